#!/usr/bin/env bash
# A stand-in for `wbuild` that checks the benchmark harness itself, not wbuild: it answers
# `once --json` with a result line after hashing src/ with sha256sum, and `watch --json` with
# pass.done / node.start events, running the project's task on each inotifywait event.
#
#   .build/release/wbuild-bench --wbuild Benchmarks/stand-in-wbuild.sh --sizes 1000 --watch-files 2000 --writes 10
#
# (Run wbuild-bench directly, without --readme, so its figures never land in the README.)
set -euo pipefail
case "${1:-}" in
once)
  find src -type f -print0 | xargs -0 sha256sum > /dev/null
  mkdir -p .wbuild
  echo '{"type":"result","ok":true,"ms":1,"nodes":[{"id":"task:hash","status":"built","ms":1}]}'
  ;;
watch)
  cmd=$(grep -o 'cmd: "[^"]*"' wbuild.json | sed 's/^cmd: "//; s/"$//')
  echo '{"type":"pass.done","ok":true,"ms":1}'
  echo '{"type":"watching"}'
  inotifywait -m -r -q -e close_write --format '%w%f' src | while read -r _; do
    echo '{"type":"node.start","id":"task:stamp","reason":"inputs changed"}'
    sh -c "$cmd"
    echo '{"type":"pass.done","ok":true,"ms":1}'
  done
  ;;
*)
  echo "stand-in-wbuild: only 'once' and 'watch' are emulated" >&2
  exit 2
  ;;
esac

#!/usr/bin/env bash
# Installs wbuild: PREFIX/bin/wbuild and the helpers it copies into containers in
# PREFIX/libexec/wbuild/ (wbuild-init, wbuild-door), where the installed binary finds them.
# Usage: scripts/install.sh [--bin-dir DIR] [PREFIX]     (PREFIX defaults to /usr/local)
#   --bin-dir DIR  install from an existing build folder (`swift build --show-bin-path`) instead
#                  of building a release first.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"
die() { printf '[install] error: %s\n' "$*" >&2; exit 1; }

bin_dir=""
prefix=/usr/local
while [ $# -gt 0 ]; do
  case "$1" in
    --bin-dir) [ $# -ge 2 ] || die "--bin-dir needs a folder"; bin_dir=$2; shift 2 ;;
    -h|--help) sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) die "unknown option $1 (see --help)" ;;
    *) prefix=$1; shift ;;
  esac
done

if [ -z "$bin_dir" ]; then
  echo "[install] building wbuild (release)"
  swift build -c release --product wbuild
  bin_dir=$(swift build -c release --show-bin-path)
fi
resources="$bin_dir/wbuild_WBuildWorkloads.resources"
[ -x "$bin_dir/wbuild" ] || die "no wbuild binary in $bin_dir; build it first (swift build -c release --product wbuild)"
for helper in wbuild-init wbuild-door; do
  [ -x "$resources/$helper" ] || die "no $helper in $resources; the SupervisorBuilder plugin builds it (it needs gcc and libc6-dev)"
done

mkdir -p "$prefix/bin" "$prefix/libexec/wbuild" || die "cannot create $prefix/bin or $prefix/libexec/wbuild (run as a user who may write there, or give another PREFIX)"
# Beside, then renamed over: a wbuild running from PREFIX keeps its old file until it exits.
install -m 0755 "$bin_dir/wbuild" "$prefix/bin/.wbuild.new" && mv -f "$prefix/bin/.wbuild.new" "$prefix/bin/wbuild"
for helper in wbuild-init wbuild-door; do
  install -m 0755 "$resources/$helper" "$prefix/libexec/wbuild/.$helper.new"
  mv -f "$prefix/libexec/wbuild/.$helper.new" "$prefix/libexec/wbuild/$helper"
done
echo "[install] $("$prefix/bin/wbuild" --version) → $prefix/bin/wbuild (helpers in $prefix/libexec/wbuild)"

#!/usr/bin/env bash
# Makes wbuild-VERSION-linux-x86_64.tar.gz: bin/wbuild and libexec/wbuild/{wbuild-init,wbuild-door}
# under one top folder, the layout scripts/install.sh makes, so it works wherever it is unpacked.
# Usage: scripts/package.sh [--bin-dir DIR] [--out DIR]   (the archive goes to --out, default .)
set -euo pipefail
cd "$(dirname "$0")/.."
die() { printf '[package] error: %s\n' "$*" >&2; exit 1; }

install_args=()
out=.
while [ $# -gt 0 ]; do
  case "$1" in
    --bin-dir) [ $# -ge 2 ] || die "--bin-dir needs a folder"; install_args+=(--bin-dir "$2"); shift 2 ;;
    --out) [ $# -ge 2 ] || die "--out needs a folder"; out=$2; shift 2 ;;
    -h|--help) sed -n '2,4p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument $1 (see --help)" ;;
  esac
done

version=$(tr -d ' \n' < VERSION)
arch=$(uname -m)
name="wbuild-$version-linux-$arch"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
bash scripts/install.sh "${install_args[@]}" "$stage/$name" >/dev/null
mkdir -p "$out"
# Sorted names, no owners, one mtime: the same inputs give the same archive.
tar -C "$stage" --sort=name --owner=0 --group=0 --numeric-owner --mtime='@0' -czf "$out/$name.tar.gz" "$name"
echo "[package] $out/$name.tar.gz"

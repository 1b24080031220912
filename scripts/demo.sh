#!/usr/bin/env bash
# Runs a sample end to end on a fresh Debian 12 machine: installs and starts what it needs,
# builds wbuild, then `wbuild watch` in the sample (Ctrl-C stops everything it started).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"
sample=${1:-hello}
bash scripts/setup.sh
swift build --product wbuild
bin="$(swift build --show-bin-path)/wbuild"
cd "Samples/$sample"
echo "[demo] wbuild watch in Samples/$sample — edit its files and watch it react; Ctrl-C to stop"
exec "$bin" watch

#!/usr/bin/env bash
# The whole test suite, as CI runs it: set-up (engine, base images), a strict build, every test.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"

bash scripts/setup.sh
echo "[test] building (warnings are errors)"
swift build --build-tests -Xswiftc -warnings-as-errors
echo "[test] running tests"
set +e
swift test --skip-build 2>&1 | tee .build/test-output.txt
status=${PIPESTATUS[0]}
set -e
exit "$status"

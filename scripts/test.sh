#!/usr/bin/env bash
# The whole test suite, as CI runs it: set-up (engine, base images), a strict build, every test.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"

bash scripts/setup.sh
echo "[test] building (warnings are errors)"
swift build --build-tests -Xswiftc -warnings-as-errors
echo "[test] running tests"
# Unit and integration tests without containers run in parallel; the ones that drive the
# engine (containers, builds, watch loops with real processes) run one at a time, since on a
# 2-core machine dozens of containers starting at once only trade speed for timeouts.
engine_suites='EndToEndTests|WBuildWorkloadsTests|WBuildDockerTests'
set +e
swift test --skip-build --skip "$engine_suites" 2>&1 | tee .build/test-output-unit.txt
unit=${PIPESTATUS[0]}
swift test --skip-build --no-parallel --filter "$engine_suites" 2>&1 | tee .build/test-output-engine.txt
engine=${PIPESTATUS[0]}
set -e
echo "[test] unit and integration: exit $unit; engine: exit $engine"
bash scripts/test-summary.sh .build/test-output-unit.txt .build/test-output-engine.txt
[ "$unit" -eq 0 ] && [ "$engine" -eq 0 ]

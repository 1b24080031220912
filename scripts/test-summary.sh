#!/usr/bin/env bash
# Prints one line over several `swift test` outputs (Swift Testing): `N passed, N failed`.
# A run that ended without its closing `Test run with N tests` line (the test process crashed)
# counts as one failure more, and says so.
# Usage: test-summary.sh OUTPUT...
set -euo pipefail
passed=0
failed=0
for output in "$@"; do
  total=$(sed -n 's/^.*Test run with \([0-9][0-9]*\) tests\{0,1\} .*$/\1/p' "$output" | tail -n 1)
  # Failed tests: their closing line (not an issue line, not a suite, not the run, not a
  # single argument case of a parameterized test).
  failures=$(grep -E '^✘ Test .* failed after ' "$output" | grep -vcE '^✘ Test (run with|case )' || true)
  if [ -z "$total" ]; then
    echo "[test] $output has no closing line: the test process ended early (crashed?); see that file" >&2
    failed=$((failed + failures + 1))
    continue
  fi
  failed=$((failed + failures))
  passed=$((passed + total - failures))
done
echo "$passed passed, $failed failed"

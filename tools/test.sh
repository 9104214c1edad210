#!/usr/bin/env bash
# The whole test suite, step by step (called by `make test`). Every step runs
# even when an earlier one failed, except those that need a binary that did
# not build; a summary table and one summary line end it; exit 1 on any failure.
set -uo pipefail

cd "$(dirname "$0")/.."
make=${MAKE:-make}

steps=(vet fmt-check go-test fuzz-short typecheck lint unit)
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  steps+=(bindings-check)
fi
steps+=(reliability ha-test build build-dev e2e window-check dist-check)

declare -A result secs
passed=0 failed=0 skipped=0
start=$SECONDS

for step in "${steps[@]}"; do
  need=
  case "$step" in
    e2e) need=build-dev ;;
    window-check | dist-check) need=build ;;
  esac
  if [ -n "$need" ] && [ "${result[$need]:-}" != PASS ]; then
    result[$step]=SKIP secs[$step]=0
    skipped=$((skipped + 1))
    echo "=== $step: skipped ($need failed)"
    continue
  fi
  echo "=== $step"
  t0=$SECONDS
  if $make "$step"; then
    result[$step]=PASS
    passed=$((passed + 1))
  else
    result[$step]=FAIL
    failed=$((failed + 1))
  fi
  secs[$step]=$((SECONDS - t0))
  echo "=== $step: ${result[$step]} (${secs[$step]}s)"
done

echo
echo "make test summary"
for step in "${steps[@]}"; do
  printf '  %-15s %-4s %4ss\n' "$step" "${result[$step]}" "${secs[$step]}"
done
total=$((SECONDS - start))
if [ $((failed + skipped)) -eq 0 ]; then
  echo "make test: PASSED in ${total}s"
else
  echo "make test: FAILED in ${total}s"
fi
# The plain closing line CI reads, alone and last.
echo "summary: $passed passed, $failed failed, $skipped skipped"
[ $((failed + skipped)) -eq 0 ]

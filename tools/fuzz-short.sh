#!/usr/bin/env bash
# Run every Go fuzz target briefly (FUZZTIME, default 10s each): the corpus in
# testdata/fuzz plus new random inputs. `make fuzz-short`; part of make test.
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime=${FUZZTIME:-10s}

n=0
while IFS= read -r file; do
  dir=./$(dirname "$file")
  for fn in $(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*/\1/p' "$file"); do
    echo "fuzz: $dir $fn ($fuzztime)"
    go test -run '^$' -fuzz "^${fn}\$" -fuzztime "$fuzztime" "$dir"
    n=$((n + 1))
  done
done < <(find . -name '*_test.go' -not -path './frontend/*' -not -path './build/*' -print | sed 's|^\./||' | sort)

echo "fuzz: $n fuzz targets run"

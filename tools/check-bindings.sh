#!/usr/bin/env bash
# Bindings drift check: regenerate frontend/wailsjs with the pinned wails CLI
# and fail if the result differs from what was in the tree before (in a fresh
# clone, that is what is committed). On failure the tree keeps the fresh
# bindings: review and commit them.
set -euo pipefail
cd "$(dirname "$0")/.."

tmp=$(mktemp -d "${TMPDIR:-/tmp}/hostbound-bindings.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cp -a frontend/wailsjs "$tmp/before"

go tool -modfile=tools/go.mod wails generate module -tags webkit2_41

if ! diff -ru "$tmp/before" frontend/wailsjs; then
  echo "bindings: frontend/wailsjs was out of date with the Go code; it is regenerated now, commit it" >&2
  exit 1
fi
if git rev-parse --is-inside-work-tree >/dev/null 2>&1 &&
  [ -n "$(git -c core.fileMode=false status --porcelain --untracked-files=all -- frontend/wailsjs)" ]; then
  echo "bindings: up to date, but not committed:"
  git -c core.fileMode=false status --short --untracked-files=all -- frontend/wailsjs
  if [ "${CI:-}" = true ]; then
    echo "bindings: in CI the committed frontend/wailsjs must be current" >&2
    exit 1
  fi
fi
echo "bindings: frontend/wailsjs up to date"

#!/usr/bin/env bash
# Write the licence notices of everything bundled in a Hostbound binary:
# the Go toolchain's runtime, every Go module linked into it (as listed by
# `go version -m BINARY`, replacements followed) with its licence files from
# the module cache, and the frontend's production npm packages (those the
# lockfile does not mark dev-only) with their licence files from
# frontend/node_modules.
#
#   tools/dist/licenses.sh BINARY OUT
#
# A package without a licence file needs a line in tools/dist/licence-notes.txt
# (printed in its place); any other such package fails the run, so a new
# dependency without a licence is noticed before it ships.
set -euo pipefail

bin=${1:?usage: $0 BINARY OUT}
out=${2:?usage: $0 BINARY OUT}
root=$(cd "$(dirname "$0")/../.." && pwd)
modcache=$(go env GOMODCACHE)
goroot=$(go env GOROOT)
notes=$root/tools/dist/licence-notes.txt

licence_files() { # DIR: its top-level licence files, sorted
  find "$1" -maxdepth 1 -type f \( -iname 'licen[cs]e*' -o -iname 'copying*' -o -iname 'notice*' -o -iname 'patents' \) \
    -not -iname '*.go' -not -iname '*.js' -not -iname '*.ts' -print 2>/dev/null | LC_ALL=C sort
}

# The module cache spells capitals as !lower (golang.org/x/mod/module).
escape() { sed -E 's/[A-Z]/!\L&/g' <<<"$1"; }

section() { # TITLE DIR NAME VERSION
  local files note
  files=$(licence_files "$2")
  printf '\n==============================================================================\n%s\n==============================================================================\n' "$1"
  if [ -z "$files" ]; then
    note=$(awk -F'\t' -v n="$3" '$1 == n { print $2 }' "$notes")
    if [ -z "$note" ]; then
      echo "$3@$4" >>"$out.missing"
    else
      printf '\n%s\n' "$note"
    fi
    return
  fi
  while IFS= read -r f; do
    printf '\n--- %s\n\n' "$(basename "$f")"
    cat "$f"
  done <<<"$files"
}

{
  echo "Hostbound — licences of the software bundled in this binary"
  echo
  echo "The Hostbound binary contains the Go runtime and standard library, the"
  echo "Go modules below, and the frontend's production npm packages below. Each"
  echo "one's licence text follows, as shipped by its authors."

  gover=$(go version "$bin" | awk '{print $2}')
  rm -f "$out.missing"
  section "Go $gover (runtime and standard library)" "$goroot" go "$gover"

  # dep lines, with a following => line replacing the one before it.
  go version -m "$bin" | awk -F'\t' '
    $2 == "dep" { if (p != "") print p, v; p = $3; v = $4 }
    $2 == "=>"  { p = $3; v = $4 }
    END         { if (p != "") print p, v }' |
    while read -r path ver; do
      case "$path" in ./* | ../* | /*) dir=$root/$path ;; *) dir=$modcache/$(escape "$path")@$(escape "$ver") ;; esac
      [ -d "$dir" ] || { echo "licenses: $path@$ver is not in the module cache (go mod download)" >&2; exit 1; }
      section "Go module $path $ver" "$dir" "$path" "$ver"
    done

  # Production npm packages: every lockfile entry not marked dev.
  (cd "$root/frontend" && node -e '
    const lock = require("./package-lock.json");
    for (const [k, v] of Object.entries(lock.packages)) {
      if (k === "" || v.dev || !k.startsWith("node_modules/")) continue;
      console.log(k + "\t" + (v.version || "") + "\t" + (v.license || "unknown"));
    }') | LC_ALL=C sort |
    while IFS=$'\t' read -r dir ver lic; do
      name=${dir##*node_modules/}
      d=$root/frontend/$dir
      [ -d "$d" ] || { echo "licenses: frontend/$dir is missing (npm ci)" >&2; exit 1; }
      section "npm package $name $ver ($lic)" "$d" "$name" "$ver"
    done
} >"$out.tmp"
# (section runs in pipeline subshells: what is missing travels through a file)

if [ -s "$out.missing" ]; then
  echo "licenses: no licence file found for:" >&2
  sed 's/^/  /' "$out.missing" >&2
  rm -f "$out.missing" "$out.tmp"
  exit 1
fi
rm -f "$out.missing"
mv "$out.tmp" "$out"
echo "licenses: $out: Go $(go version "$bin" | awk '{print $2}'), $(grep -c '^Go module ' "$out") Go modules, $(grep -c '^npm package ' "$out") npm packages"

#!/usr/bin/env bash
# make dist: the installable packages, into build/dist/ (emptied first).
#
#   hostbound_<v>_amd64.deb                      nfpm, tools/dist/nfpm.yaml
#   hostbound-<v>-linux-amd64.tar.gz             binary, desktop file, icon, man page, README, licences
#   hostbound-<v>-windows-amd64-installer.exe    wails build -platform windows/amd64 -nsis, then makensis
#   SHA256SUMS                                   sha256sum of the three
#
# Called by the Makefile after `make build` with BIN (the Linux production
# binary). The version is the one that binary reports (`hostbound --version`:
# the Makefile's VERSION, productVersion in wails.json + the short commit), so
# every package carries the same version as the binary inside it even when
# HEAD moves during the build. Work files go to build/pkg/.
# Needs go, makensis (nsis), gzip, tar.
set -euo pipefail
cd "$(dirname "$0")/../.."

bin=${BIN:-build/bin/hostbound}
go=${GO:-go}
dist=build/dist
work=build/pkg
wails=("$go" tool -modfile=tools/go.mod wails)
nfpm=("$go" tool -modfile=tools/dist/go.mod nfpm)
# Reproducible archives: every mtime is the commit's time.
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}

say() { echo "dist: $*"; }
t0=$SECONDS
step() { say "$1 ($((SECONDS - t0))s)"; }

[ -x "$bin" ] || { say "$bin not found; run make build"; exit 1; }
version=$("$bin" --version) && version=${version#hostbound }
case "$version" in [0-9]*) ;; *) say "unexpected version '$version' from $bin --version"; exit 1 ;; esac
command -v makensis >/dev/null || { say "makensis not found; run tools/install-deps.sh (nsis)"; exit 1; }
rm -rf "$dist" "$work"
mkdir -p "$dist" "$work/linux" "$work/windows"

# ---- Linux: licences, man page, tarball, .deb -------------------------------
tools/dist/licenses.sh "$bin" "$work/linux/THIRD_PARTY_LICENSES.txt"
cp "$bin" "$work/linux/hostbound"
gzip -9n <build/linux/hostbound.1 >"$work/linux/hostbound.1.gz"
cp "$work/linux/THIRD_PARTY_LICENSES.txt" "$work/linux/copyright"

tree=hostbound-$version-linux-amd64
mkdir -p "$work/tar/$tree"
cp "$bin" build/linux/hostbound.desktop build/linux/hostbound.1 README.md \
  "$work/linux/THIRD_PARTY_LICENSES.txt" "$work/tar/$tree/"
cp build/linux/icons/hicolor/256x256/apps/hostbound.png "$work/tar/$tree/hostbound.png"
tar -C "$work/tar" --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$SOURCE_DATE_EPOCH" \
  -cf - "$tree" | gzip -9n >"$dist/$tree.tar.gz"
step "tarball $tree.tar.gz"

VERSION=$version "${nfpm[@]}" package --config tools/dist/nfpm.yaml --packager deb \
  --target "$dist/hostbound_${version}_amd64.deb"
step "deb hostbound_${version}_amd64.deb"

# ---- Windows: cross-built hostbound.exe and the NSIS installer --------------
# -s: the frontend is built already; -skipbindings: frontend/wailsjs is
# committed; -m, -nosyncgomod: never touch go.mod. Wails' Windows target
# needs no cgo.
"${wails[@]}" build -platform windows/amd64 -nsis -s -skipbindings -m -nosyncgomod -trimpath \
  -nocolour -v 0 -ldflags "-X main.version=$version" -o hostbound.exe
exe=build/bin/hostbound.exe
step "windows $exe built"
tools/dist/licenses.sh "$exe" "$work/windows/THIRD_PARTY_LICENSES.txt"
installer=hostbound-$version-windows-amd64-installer.exe
# Wails rendered wails_tools.nsh and tmp\ beside project.nsi; build again
# with Hostbound's additions (full version, licences, README).
root=$(pwd)
(cd build/windows/installer && makensis -V2 -INPUTCHARSET UTF8 \
  "-DARG_WAILS_AMD64_BINARY=$root/$exe" \
  "-DHOSTBOUND_VERSION=$version" \
  "-DHOSTBOUND_LICENCES=$root/$work/windows/THIRD_PARTY_LICENSES.txt" \
  "-DHOSTBOUND_README=$root/README.md" \
  "-DHOSTBOUND_OUTFILE=$root/$dist/$installer" \
  project.nsi)
rm -f build/bin/hostbound-amd64-installer.exe
step "windows installer $installer"

# ---- checksums --------------------------------------------------------------
(cd "$dist" && sha256sum -- $(ls | grep -v '^SHA256SUMS$') >SHA256SUMS)
say "build/dist/ for $version in $((SECONDS - t0))s:"
(cd "$dist" && for f in *; do printf '  %-60s %9s bytes  %s\n' "$f" "$(stat -c %s "$f")" "$(du -h "$f" | cut -f1)"; done)

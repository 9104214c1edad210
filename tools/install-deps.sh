#!/usr/bin/env bash
# Install the Debian/Ubuntu system packages Hostbound needs to build, run and
# test, skipping those already installed so that a warm run costs nothing.
#
#   tools/install-deps.sh          build + run + test + packaging (make dist) packages
#   tools/install-deps.sh --run    only what `make run` needs (build + GUI)
#
# Runs apt-get directly as root, through sudo otherwise. Never prompts
# (DEBIAN_FRONTEND=noninteractive, -y), so it works in CI without stdin.
set -euo pipefail

build_pkgs=(libgtk-3-dev libwebkit2gtk-4.1-dev pkg-config)
# postgresql: the PostgreSQL store engine's tests run a throwaway cluster (backend/internal/pgtest).
test_pkgs=(xvfb xauth dbus-daemon gnome-keyring libglib2.0-bin chromium xdotool imagemagick x11-utils openssh-client age postgresql)
# make dist and make dist-check: the Windows installer (makensis), its
# listing (7z), the .desktop check, `file` for the PE check.
dist_pkgs=(nsis p7zip-full desktop-file-utils file)

case "${1:-}" in
  --run) pkgs=("${build_pkgs[@]}") ;;
  "" | --all) pkgs=("${build_pkgs[@]}" "${test_pkgs[@]}" "${dist_pkgs[@]}") ;;
  *) echo "usage: $0 [--run|--all]" >&2; exit 2 ;;
esac

if ! command -v dpkg >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
  echo "install-deps: not a Debian/Ubuntu system (no dpkg/apt-get)." >&2
  echo "install-deps: install by hand: ${pkgs[*]}" >&2
  exit 0
fi

missing=()
for p in "${pkgs[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#pkgs[@]} system packages present"
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1; then
  sudo=(sudo)
else
  echo "install-deps: missing packages (${missing[*]}) and no sudo; run as root: apt-get install ${missing[*]}" >&2
  exit 1
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"

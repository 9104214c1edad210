#!/usr/bin/env bash
# make dist-check: test what make dist put in build/dist/.
#
#  1. SHA256SUMS lists every other file of build/dist/ and matches.
#  2. The .deb: its control fields (version, Depends, maintainer scripts),
#     the dependencies exist on this system, and its contents.
#  3. The .deb in a fresh root (dpkg --root, maintainer scripts run with
#     DPKG_ROOT, not chrooted, so nothing of this system is touched):
#     installed, the user hostbound created, /usr/bin/hostbound --version,
#     the unit disabled and verified (systemd-analyze verify), the desktop
#     entry valid, the man page renders; removed and purged: the user gone and
#     the root's file list identical to the one before. A second round shows
#     that purge keeps a vault in /var/lib/hostbound.
#  4. As root in CI (or DIST_CHECK_SYSTEM=1): the same package installed on
#     this system with plain dpkg -i (real Depends, scripts without
#     DPKG_ROOT), checked, purged, and /usr, /etc, /var/lib and the user
#     database compared with before. Skipped elsewhere.
#  5. The Windows installer: a PE (Nullsoft), `7z l` shows the payload, the
#     hostbound.exe inside is byte for byte build/bin/hostbound.exe, a valid
#     PE32+ GUI x86-64 binary carrying the version.
#  6. The tarball: its files, and its binary opens a window under Xvfb with a
#     real Secret Service (tools/window-check.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."
root_dir=$(pwd)
dist=build/dist

say() { echo "dist-check: $*"; }
fail() { echo "dist-check: FAIL: $*" >&2; exit 1; }
t0=$SECONDS
declare -a timings=()
section() { # NAME: close the previous section's timer, open a new one
  if [ -n "${cur:-}" ]; then timings+=("$(printf '  %-22s %4ss' "$cur" $((SECONDS - ts)))"); fi
  cur=$1 ts=$SECONDS
  [ "$1" = end ] || echo "--- dist-check: $1"
}

one() { # GLOB: the one file of build/dist matching it
  local f=("$dist"/$1)
  [ ${#f[@]} -eq 1 ] && [ -f "${f[0]}" ] || fail "expected one $1 in $dist (run make dist)"
  echo "${f[0]}"
}
deb=$(one 'hostbound_*_amd64.deb')
tarball=$(one 'hostbound-*-linux-amd64.tar.gz')
installer=$(one 'hostbound-*-windows-amd64-installer.exe')
version=${deb##*/hostbound_}
version=${version%_amd64.deb}
[ "$tarball" = "$dist/hostbound-$version-linux-amd64.tar.gz" ] || fail "tarball $tarball is not of version $version"
[ "$installer" = "$dist/hostbound-$version-windows-amd64-installer.exe" ] || fail "installer $installer is not of version $version"
say "version $version"

# ---- 1. checksums -----------------------------------------------------------
section checksums
(cd "$dist" && sha256sum --quiet -c SHA256SUMS) || fail "SHA256SUMS does not match"
listed=$(awk '{print $2}' "$dist/SHA256SUMS" | sed 's/^\*//' | sort)
present=$(cd "$dist" && ls | grep -v '^SHA256SUMS$' | sort)
[ "$listed" = "$present" ] || fail "SHA256SUMS lists [$listed], build/dist has [$present]"
say "SHA256SUMS: $(echo "$listed" | wc -l) files, all match"

# ---- 2. the .deb's metadata -------------------------------------------------
section deb-metadata
field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = hostbound ] || fail "Package: $(field Package)"
[ "$(field Version)" = "$version" ] || fail "Version: $(field Version), want $version"
[ "$(field Architecture)" = amd64 ] || fail "Architecture: $(field Architecture)"
depends=$(field Depends)
for d in libgtk-3-0 libwebkit2gtk-4.1-0; do
  grep -Eq "(^|, )$d( |,|$)" <<<"$depends" || fail "Depends ($depends) lacks $d"
  # The name must be one dpkg or apt knows here (t64 packages Provide the old names).
  dpkg-query -W "$d" >/dev/null 2>&1 || apt-cache show "$d" >/dev/null 2>&1 ||
    grep -q "^Provides:.*\b$d\b" /var/lib/dpkg/status || fail "no package $d known on this system"
done
say "control: Package hostbound, Version $version, Depends: $depends"
ctrl=$(mktemp -d)
dpkg-deb -e "$deb" "$ctrl"
for s in postinst prerm postrm; do
  [ -x "$ctrl/$s" ] || fail "no $s in the package"
  sh -n "$ctrl/$s" || fail "$s: syntax"
done
rm -rf "$ctrl"
want=(./usr/bin/hostbound ./usr/share/applications/hostbound.desktop
  ./usr/share/icons/hicolor/48x48/apps/hostbound.png ./usr/share/icons/hicolor/256x256/apps/hostbound.png
  ./usr/share/man/man1/hostbound.1.gz ./usr/lib/systemd/system/hostbound.service
  ./usr/share/doc/hostbound/copyright ./usr/share/doc/hostbound/README.md ./etc/hostbound/)
contents=$(dpkg-deb -c "$deb" | awk '{print $6}')
for p in "${want[@]}"; do grep -qxF "$p" <<<"$contents" || fail "the package lacks $p"; done
say "contents: $(grep -vc '/$' <<<"$contents") files, all ${#want[@]} expected paths present"

# ---- 3. the .deb in a fresh root -------------------------------------------
section deb-fresh-root
fresh=$(mktemp -d "${TMPDIR:-/tmp}/hostbound-root.XXXXXX")
sysinstalled=
cleanup() {
  rm -rf "$fresh" "$fresh.log" "${tmpx:-}" "${unpacked:-}"
  if [ -n "$sysinstalled" ]; then dpkg -P hostbound >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT
# A fresh root: dpkg's database and the base user database, nothing else.
mkdir -p "$fresh"/var/lib/dpkg/{info,updates,triggers} "$fresh/etc"
: >"$fresh/var/lib/dpkg/status"
: >"$fresh/var/lib/dpkg/available"
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$fresh/etc/passwd"
printf 'root:x:0:\n' >"$fresh/etc/group"
printf 'root:*:19000:0:99999:7:::\n' >"$fresh/etc/shadow"
printf 'root:*::\n' >"$fresh/etc/gshadow"
chmod 0640 "$fresh/etc/shadow" "$fresh/etc/gshadow"
for f in passwd group shadow gshadow; do cp -p "$fresh/etc/$f" "$fresh/etc/$f-"; done # shadow's backups, as on any system
# ... and systemd's targets and slices, so that systemd-analyze verify --root
# finds the units hostbound.service depends on (sysinit.target, …).
if [ -d /usr/lib/systemd/system ]; then
  mkdir -p "$fresh/usr/lib/systemd/system"
  find /usr/lib/systemd/system -maxdepth 1 -type f \( -name '*.target' -o -name '*.slice' \) \
    -exec cp -t "$fresh/usr/lib/systemd/system/" {} +
fi
snapshot() { # DIR: every path under it with type and mode, dpkg's own backups left out
  (cd "$1" && find . -printf '%y %m %p\n' | grep -Ev ' \./var/lib/dpkg/(status-old|available-old|lock.*|info/format|triggers/Lock|triggers/Unincorp)$' | LC_ALL=C sort)
}
users() { cat "$1/etc/passwd" "$1/etc/group" "$1/etc/shadow" "$1/etc/gshadow" | sha256sum; }
before=$(snapshot "$fresh")
users_before=$(users "$fresh")
# --force-depends: GTK and WebKitGTK are not in the fresh root (section 2
# found them here, section 4 installs with the real check).
dpkgr=(dpkg --root="$fresh" --force-not-root --force-script-chrootless --force-depends --log=/dev/null)
"${dpkgr[@]}" -i "$deb" >"$fresh.log" 2>&1 || { cat "$fresh.log"; fail "dpkg -i into the fresh root"; }
[ "$("${dpkgr[@]}" -s hostbound | sed -n 's/^Status: //p')" = "install ok installed" ] || fail "not installed"
n=0
while IFS= read -r p; do
  [ "$p" = /. ] && continue
  [ -e "$fresh$p" ] || fail "dpkg -L lists $p, which is missing"
  n=$((n + 1))
done < <("${dpkgr[@]}" -L hostbound)
say "installed into $fresh: $n paths, all present"
out=$("$fresh/usr/bin/hostbound" --version) || fail "/usr/bin/hostbound --version failed"
[ "$out" = "hostbound $version" ] || fail "/usr/bin/hostbound --version: '$out', want 'hostbound $version'"
say "/usr/bin/hostbound --version: $out"
pw=$(grep '^hostbound:' "$fresh/etc/passwd") || fail "postinst created no user hostbound"
IFS=: read -r _ _ uid gid _ home shell <<<"$pw"
[ "$uid" -lt 1000 ] && [ "$shell" = /usr/sbin/nologin ] && [ "$home" = /var/lib/hostbound ] ||
  fail "user hostbound: $pw (want a system user, home /var/lib/hostbound, shell nologin)"
grep -q "^hostbound:x:$gid:" "$fresh/etc/group" || fail "no group hostbound ($gid)"
grep -q '^hostbound:' "$fresh/etc/shadow" || fail "no shadow entry for hostbound"
say "user: $pw"
[ "$(stat -c %a "$fresh/etc/hostbound")" = 700 ] || fail "/etc/hostbound is not 0700"
unit=$fresh/usr/lib/systemd/system/hostbound.service
enabled=$(systemctl --root="$fresh" is-enabled hostbound.service 2>/dev/null || true)
[ "$enabled" = disabled ] || fail "hostbound.service is '$enabled' after install, want disabled"
if command -v systemd-analyze >/dev/null 2>&1; then
  # --root makes the unit, its dependencies and ExecStart= resolve inside the
  # fresh root (a missing /usr/bin/hostbound there fails it).
  systemd-analyze verify --man=no --root="$fresh" hostbound.service || fail "systemd-analyze verify hostbound.service"
  say "unit: disabled; systemd-analyze verify: ok ($(systemd-analyze --version | head -n1))"
else
  for k in ExecStart=/usr/bin/hostbound User=hostbound LoadCredential=passphrase: WantedBy=multi-user.target; do
    grep -q "^$k" "$unit" || fail "unit lacks $k"
  done
  say "unit: disabled; no systemd-analyze here: key lines checked"
fi
grep -q '^ExecStart=/usr/bin/hostbound serve ' "$unit" || fail "the unit does not run hostbound serve"
desktop-file-validate "$fresh/usr/share/applications/hostbound.desktop" || fail "desktop-file-validate"
grep -qx 'Icon=hostbound' "$fresh/usr/share/applications/hostbound.desktop" || fail "desktop entry: Icon"
man_warn=$(MANWIDTH=80 man --warnings -l "$fresh/usr/share/man/man1/hostbound.1.gz" 2>&1 >/dev/null) || fail "man -l: $man_warn"
[ -z "$man_warn" ] || fail "man page warnings: $man_warn"
say "desktop entry valid; man page renders ($(MANWIDTH=80 man -l "$fresh/usr/share/man/man1/hostbound.1.gz" 2>/dev/null | wc -l) lines)"

"${dpkgr[@]}" -r hostbound >"$fresh.log" 2>&1 || { cat "$fresh.log"; fail "dpkg -r"; }
[ ! -e "$fresh/usr/bin/hostbound" ] || fail "dpkg -r left /usr/bin/hostbound"
grep -q '^hostbound:' "$fresh/etc/passwd" || fail "dpkg -r removed the user (only purge should)"
"${dpkgr[@]}" -P hostbound >"$fresh.log" 2>&1 || { cat "$fresh.log"; fail "dpkg -P"; }
[ "$(users "$fresh")" = "$users_before" ] || fail "after purge /etc/{passwd,group,shadow,gshadow} differ from before"
after=$(snapshot "$fresh")
if [ "$before" != "$after" ]; then
  diff <(echo "$before") <(echo "$after") >&2 || true
  fail "the fresh root differs after dpkg -P (above)"
fi
say "dpkg -r then -P: the user database byte for byte as before, the root's $(wc -l <<<"$after") paths as before"

# Purge never deletes a vault.
"${dpkgr[@]}" -i "$deb" >"$fresh.log" 2>&1 || { cat "$fresh.log"; fail "dpkg -i (round 2)"; }
mkdir -m 0700 "$fresh/var/lib/hostbound" && echo vault >"$fresh/var/lib/hostbound/MANIFEST"
"${dpkgr[@]}" -P hostbound >"$fresh.log" 2>&1 || { cat "$fresh.log"; fail "dpkg -P (round 2)"; }
[ -f "$fresh/var/lib/hostbound/MANIFEST" ] || fail "purge deleted /var/lib/hostbound"
grep -q 'kept /var/lib/hostbound' "$fresh.log" || fail "purge did not say it kept /var/lib/hostbound"
! grep -q '^hostbound:' "$fresh/etc/passwd" || fail "purge (round 2) left the user"
say "purge with a vault in /var/lib/hostbound: kept, and said so"
rm -f "$fresh.log"

# ---- 4. the .deb on this system (root in CI) -------------------------------
section deb-system
if [ "$(id -u)" -ne 0 ] || { [ -z "${CI:-}" ] && [ "${DIST_CHECK_SYSTEM:-}" != 1 ]; }; then
  say "skipped: installs on this system only as root in CI or with DIST_CHECK_SYSTEM=1 (the fresh-root round above ran)"
elif dpkg-query -W -f='${Status}' hostbound 2>/dev/null | grep -q installed || getent passwd hostbound >/dev/null; then
  say "skipped: a hostbound package or user already exists on this system"
else
  sysnap() {
    find /usr /etc /var/lib /opt -xdev -printf '%y %m %p\n' 2>/dev/null |
      grep -Ev ' /var/lib/(dpkg|apt|systemd|dhcp|logrotate)(/|$)| /etc/(ld\.so\.cache|passwd-|group-|shadow-|gshadow-)$' |
      grep -Ev ' /usr/share/(icons/[^/]+/icon-theme\.cache|applications/mimeinfo\.cache)$' | LC_ALL=C sort
    getent passwd | cut -d: -f1 | sort | tr '\n' ' '
    getent group | cut -d: -f1 | sort | tr '\n' ' '
  }
  sys_before=$(sysnap)
  sysinstalled=1
  dpkg -i "$deb" >/tmp/hostbound-dpkg.log 2>&1 || { cat /tmp/hostbound-dpkg.log; fail "dpkg -i on this system"; }
  out=$(/usr/bin/hostbound --version) && [ "$out" = "hostbound $version" ] || fail "/usr/bin/hostbound --version: $out"
  id hostbound >/dev/null || fail "no user hostbound after dpkg -i"
  [ "$(systemctl is-enabled hostbound.service 2>/dev/null || true)" = disabled ] || fail "hostbound.service not disabled"
  if command -v systemd-analyze >/dev/null 2>&1; then
    systemd-analyze verify --man=no /usr/lib/systemd/system/hostbound.service || fail "systemd-analyze verify (system)"
  fi
  dpkg -P hostbound >/tmp/hostbound-dpkg.log 2>&1 || { cat /tmp/hostbound-dpkg.log; fail "dpkg -P on this system"; }
  sysinstalled=
  rm -f /tmp/hostbound-dpkg.log
  sys_after=$(sysnap)
  if [ "$sys_before" != "$sys_after" ]; then
    diff <(echo "$sys_before") <(echo "$sys_after") >&2 || true
    fail "this system differs after dpkg -P (above)"
  fi
  say "dpkg -i on this system (Depends satisfied), $out, user hostbound, unit disabled and verified; dpkg -P: /usr /etc /var/lib /opt and the user database as before ($(wc -l <<<"$sys_after") paths)"
fi

# ---- 5. the Windows installer ----------------------------------------------
section windows
exe=build/bin/hostbound.exe
ft=$(file -b "$installer")
grep -q 'PE32 executable.*Nullsoft Installer' <<<"$ft" || fail "installer: $ft"
listing=$(7z l -ba -slt "$installer") || fail "7z l $installer"
payload=$(sed -n 's/^Path = //p' <<<"$listing")
for p in hostbound.exe uninstall.exe THIRD_PARTY_LICENSES.txt README.md '$PLUGINSDIR/webview2bootstrapper/MicrosoftEdgeWebview2Setup.exe'; do
  grep -qxF "$p" <<<"$payload" || fail "the installer's payload lacks $p"
done
7z l "$installer" | sed -n '/^   Date/,$p'
tmpx=$(mktemp -d)
7z e -y -o"$tmpx" "$installer" hostbound.exe >/dev/null || fail "7z e hostbound.exe"
cmp -s "$tmpx/hostbound.exe" "$exe" || fail "the installer's hostbound.exe is not $exe"
fe=$(file -b "$exe")
grep -q '^PE32+ executable (GUI) x86-64.*MS Windows' <<<"$fe" || fail "$exe: $fe"
grep -qaF "$version" "$exe" || fail "$exe does not carry the version $version"
go version -m "$exe" | grep -q 'GOOS=windows' || fail "$exe: not built for GOOS=windows"
say "installer $(stat -c %s "$installer") bytes: $ft"
say "hostbound.exe $(stat -c %s "$exe") bytes, identical in the installer: $fe, version $version"

# ---- 6. the tarball ---------------------------------------------------------
section tarball
unpacked=$(mktemp -d)
tar -C "$unpacked" -xzf "$tarball"
top=$unpacked/hostbound-$version-linux-amd64
for f in hostbound hostbound.desktop hostbound.png hostbound.1 README.md THIRD_PARTY_LICENSES.txt; do
  [ -f "$top/$f" ] || fail "the tarball lacks $f"
done
[ "$(tar -tzf "$tarball" | grep -vc '/$')" -eq 6 ] || fail "the tarball holds other files: $(tar -tzf "$tarball" | tr '\n' ' ')"
[ -x "$top/hostbound" ] || fail "the tarball's hostbound is not executable"
desktop-file-validate "$top/hostbound.desktop" || fail "desktop-file-validate (tarball)"
grep -q '^Go module github.com/wailsapp/wails/v2 ' "$top/THIRD_PARTY_LICENSES.txt" &&
  grep -q '^npm package react ' "$top/THIRD_PARTY_LICENSES.txt" || fail "THIRD_PARTY_LICENSES.txt lacks wails or react"
out=$("$top/hostbound" --version)
[ "$out" = "hostbound $version" ] || fail "tarball hostbound --version: $out"
say "unpacked: 6 files, $out"
tools/with-secret-service.sh env HOSTBOUND_BIN="$top/hostbound" WINDOW_SHOT=window-tarball.png tools/window-check.sh keyring ||
  fail "the tarball's binary did not open its window"

section end
echo
echo "dist-check: PASSED in $((SECONDS - t0))s"
printf '%s\n' "${timings[@]}"

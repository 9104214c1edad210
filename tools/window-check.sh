#!/usr/bin/env bash
# Real-window check: start the production binary on the current X display
# with a fresh data directory, wait for its window, screenshot the screen into
# build/test-artifacts/window-<mode>.png and check the picture is not blank.
#
#   tools/window-check.sh [keyring|passphrase]   (default: keyring)
#
# keyring:    the app sees the session bus as given (run under
#             tools/with-secret-service.sh for a real Secret Service);
# passphrase: DBUS_SESSION_BUS_ADDRESS is removed, so the app falls back to
#             the passphrase setup screen.
#
# Needs DISPLAY (xvfb-run provides it), xdotool and ImageMagick.
# Env: HOSTBOUND_BIN (default build/bin/hostbound), WINDOW_TIMEOUT (30 s),
#      WINDOW_MIN_COLOURS (24), WINDOW_SHOT (the screenshot's name in
#      build/test-artifacts, default window-<mode>.png).
set -euo pipefail

mode=${1:-keyring}
case "$mode" in keyring | passphrase) ;; *) echo "usage: $0 [keyring|passphrase]" >&2; exit 2 ;; esac

root=$(cd "$(dirname "$0")/.." && pwd)
bin=${HOSTBOUND_BIN:-$root/build/bin/hostbound}
timeout_s=${WINDOW_TIMEOUT:-30}
min_colours=${WINDOW_MIN_COLOURS:-24}
artifacts=$root/build/test-artifacts
shot=$artifacts/${WINDOW_SHOT:-window-$mode.png}

say() { echo "window-check[$mode]: $*"; }
fail() { say "FAIL: $*"; exit 1; }

[ -n "${DISPLAY:-}" ] || fail "no DISPLAY (run under xvfb-run or tools/with-secret-service.sh)"
[ -x "$bin" ] || fail "$bin not found; run make build"
for t in xdotool import identify setsid; do
  command -v "$t" >/dev/null 2>&1 || fail "$t not found; run tools/install-deps.sh"
done
mkdir -p "$artifacts"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/hostbound-window.XXXXXX")
mkdir -p "$tmp/data" "$tmp/config" "$tmp/cache" "$tmp/xdgdata"
log=$tmp/stdout.log
pid=

cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM -- "-$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

envs=(HOSTBOUND_DATA_DIR="$tmp/data" XDG_CONFIG_HOME="$tmp/config" XDG_CACHE_HOME="$tmp/cache" XDG_DATA_HOME="$tmp/xdgdata")
unset_bus=()
[ "$mode" = passphrase ] && unset_bus=(-u DBUS_SESSION_BUS_ADDRESS)

# Own process group (setsid) so that the whole app, WebKit helpers included,
# can be killed at the end.
setsid env "${unset_bus[@]}" "${envs[@]}" "$bin" --data-dir "$tmp/data" >"$log" 2>&1 &
pid=$!
say "started $bin (pid $pid), waiting up to ${timeout_s}s for a window named Hostbound"

wid=
deadline=$((SECONDS + timeout_s))
while [ -z "$wid" ] && [ $SECONDS -lt $deadline ] && kill -0 "$pid" 2>/dev/null; do
  wid=$(timeout 2 xdotool search --sync --onlyvisible --name '^Hostbound$' 2>/dev/null | head -n1) || true
done
if [ -z "$wid" ]; then
  say "no window; app output:"
  sed 's/^/  | /' "$log" | tail -n 40
  kill -0 "$pid" 2>/dev/null || say "the app has exited"
  fail "no window named Hostbound within ${timeout_s}s"
fi
say "window $wid: $(xdotool getwindowgeometry "$wid" | tr '\n' ' ')"

# Let WebKit load and paint the UI, then require the picture to settle on
# something richer than a blank window.
colours=0
for _ in $(seq 1 20); do
  sleep 1
  kill -0 "$pid" 2>/dev/null || { sed 's/^/  | /' "$log" | tail -n 40; fail "the app exited after opening its window"; }
  import -window root "$shot"
  colours=$(identify -format '%k' "$shot")
  [ "$colours" -ge "$min_colours" ] && break
done
# One more second for late layout (fonts, transitions), then the final shot.
if [ "$colours" -ge "$min_colours" ]; then
  sleep 1
  import -window root "$shot"
  colours=$(identify -format '%k' "$shot")
fi
say "screenshot $shot: $colours distinct colours"
[ "$colours" -ge "$min_colours" ] || fail "screenshot looks blank ($colours colours < $min_colours)"
say "ok"

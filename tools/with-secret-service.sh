#!/usr/bin/env bash
# Run a command with a real Secret Service and an X display:
#
#   tools/with-secret-service.sh CMD [ARGS...]
#
# Starts a private D-Bus session (dbus-run-session) with gnome-keyring's
# secrets component unlocked by a throw-away password, waits until
# org.freedesktop.secrets is on the bus, then runs CMD under `xvfb-run -a`.
# The keyring lives in fresh temporary XDG/HOME directories, so the user's
# own keyring is never touched, and everything started here is gone when it
# returns. The exit status is CMD's.
set -euo pipefail

if [ $# -eq 0 ]; then
  echo "usage: $0 CMD [ARGS...]" >&2
  exit 2
fi
for tool in dbus-run-session gnome-keyring-daemon gdbus xvfb-run; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "with-secret-service: $tool not found; run tools/install-deps.sh" >&2
    exit 1
  fi
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/hostbound-ss.XXXXXX")
cleanup() { rm -rf "$tmp"; }
trap cleanup EXIT

mkdir -p "$tmp/data" "$tmp/config" "$tmp/cache" "$tmp/state" "$tmp/runtime"
chmod 700 "$tmp/runtime"

# Go and npm keep using the user's caches, not the fresh XDG_CACHE_HOME below
# (computed before XDG_CACHE_HOME changes).
for v in GOCACHE GOENV; do
  val=${!v:-$(go env "$v" 2>/dev/null || true)}
  if [ -n "$val" ]; then export "$v=$val"; fi
done
export npm_config_cache="${npm_config_cache:-$HOME/.npm}"

# Keep the real HOME for the command; only the XDG locations are fresh.
# gnome-keyring stores its files under XDG_DATA_HOME/keyrings and its control
# socket under XDG_RUNTIME_DIR.
export XDG_DATA_HOME="$tmp/data"
export XDG_CONFIG_HOME="$tmp/config"
export XDG_CACHE_HOME="$tmp/cache"
export XDG_STATE_HOME="$tmp/state"
export XDG_RUNTIME_DIR="$tmp/runtime"
unset DBUS_SESSION_BUS_ADDRESS

# A session bus without service activation: gnome-keyring is started by hand
# below, and nothing else (document portal with its FUSE mount, a11y bus) is
# started behind our back or left running.
cat >"$tmp/session.conf" <<'CONF'
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <keep_umask/>
  <listen>unix:tmpdir=/tmp</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
CONF

dbus-run-session --config-file="$tmp/session.conf" -- bash -ec '
  echo -n hostbound-test | gnome-keyring-daemon --foreground --unlock --components=secrets >/dev/null 2>&1 &
  K=$!
  trap "kill $K 2>/dev/null; wait $K 2>/dev/null || true" EXIT
  gdbus wait --session --timeout 10 org.freedesktop.secrets
  xvfb-run -a -s "-screen 0 1280x1024x24" "$@"
' with-secret-service "$@"

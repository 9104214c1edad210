#!/usr/bin/env bash
# make bench-rest: audited GET PASSWORD of `hostbound serve`, measured out of
# process against the bare TLS handler of ../shared/bench (issue 14).
#
# For each API user count (BENCH_USERS, default "1 100000") it makes a fresh
# data directory (tools/benchsetup), starts `hostbound serve` and the
# baseline side by side (idle, loaded one at a time), and for c = 1, 16, 64
# runs BENCH_REPS repetitions of loadgen, alternating the two servers. It
# prints req/s of both, the median of the per-repetition ratios, p50/p99 and
# the RSS of serve after the runs (VmRSS, and VmHWM, its peak; VmRSS split
# into anonymous memory and the file-backed pages of Badger's mmapped files).
#
#   tools/bench-rest.sh             the full table (about 6 min per user count)
#   tools/bench-rest.sh --profile   a 10 s CPU, block and allocation profile of
#                                   serve at c=64 (pprof -top), allocations per
#                                   request from /debug/vars (HOSTBOUND_PPROF), and
#                                   the committer's time per batch by phase
#
# Environment: BENCH_SECONDS (10), BENCH_WARMUP (2), BENCH_REPS (3),
# BENCH_CONC ("1 16 64"), BENCH_USERS ("1 100000"), BENCH_STORES ("badger";
# "badger postgres" runs each table on a throwaway PostgreSQL cluster of its
# own too, fsync and synchronous_commit on), BENCH_DIR (the yardstick,
# ../shared/bench from the repository root), BENCH_KEEP=1 keeps the work
# directory, BENCH_PROFILE_OUT (/tmp/bench-rest-profile) where --profile
# leaves its profiles, BENCH_PROFILE_CONC (64) the clients it profiles,
# BENCH_SERVE_ENV ("VAR=value ...") extra environment of serve only. A quick try: BENCH_SECONDS=3 BENCH_REPS=1 BENCH_USERS=1.
#
# The machine is shared: absolute req/s move between runs; ratios taken in
# one run hold (see the yardstick's README). Check non2xx and errors.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH_DIR=${BENCH_DIR:-$ROOT/../shared/bench}
SECONDS_=${BENCH_SECONDS:-10}
WARMUP=${BENCH_WARMUP:-2}
REPS=${BENCH_REPS:-3}
CONC=${BENCH_CONC:-1 16 64}
USERS=${BENCH_USERS:-1 100000}
STORES=${BENCH_STORES:-badger}
PROFILE=0
PROFILE_SECONDS=10
PROFILE_OUT=${BENCH_PROFILE_OUT:-/tmp/bench-rest-profile}
GO=${GO:-go}

for arg in "$@"; do
  case "$arg" in
    --profile) PROFILE=1 ;;
    -h|--help) awk 'NR > 1 && /^#/ {print; next} NR > 1 {exit}' "$0"; exit 0 ;;
    *) echo "bench-rest: unknown argument $arg (want --profile)" >&2; exit 2 ;;
  esac
done
for v in SECONDS_ WARMUP REPS; do
  [[ ${!v} =~ ^[0-9]+$ ]] || { echo "bench-rest: BENCH_${v%_}=${!v}: want a whole number" >&2; exit 2; }
done
(( SECONDS_ > 0 && REPS > 0 )) || { echo "bench-rest: BENCH_SECONDS and BENCH_REPS must be at least 1" >&2; exit 2; }
[[ -d $BENCH_DIR/loadgen && -d $BENCH_DIR/baseline ]] ||
  { echo "bench-rest: no yardstick in $BENCH_DIR (want loadgen/ and baseline/; set BENCH_DIR)" >&2; exit 2; }

WORK=$(mktemp -d /tmp/bench-rest.XXXXXX)
PIDS=() PG_DIR=
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  if [[ -n $PG_DIR ]]; then # postgres itself, under runuser
    [[ -f $PG_DIR/data/postmaster.pid ]] && kill -INT "$(head -1 "$PG_DIR/data/postmaster.pid")" 2>/dev/null
    sleep 1; rm -rf "$PG_DIR"
  fi
  if [[ ${BENCH_KEEP:-} == 1 ]]; then echo "bench-rest: kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

say() { echo "bench-rest: $*" >&2; }

say "building loadgen, baseline, hostbound and benchsetup in $WORK"
(cd "$BENCH_DIR/loadgen" && $GO build -o "$WORK/loadgen" .)
(cd "$BENCH_DIR/baseline" && $GO build -o "$WORK/baseline" .)
# The serve path needs no Wails tags (backend/reliability builds it so too).
(cd "$ROOT" && $GO build -o "$WORK/hostbound" .)
# tools/ is its own module (the wails tool): build benchsetup by file name.
(cd "$ROOT" && $GO build -o "$WORK/benchsetup" ./tools/benchsetup/main.go)

# jfield FILE KEY: a string or number field of setup.json.
jfield() { sed -n "s/^ *\"$2\": *\"\{0,1\}\([^\",]*\)\"\{0,1\},\{0,1\}$/\1/p" "$1"; }

# wait_log FILE PATTERN PID: the first match of sed PATTERN in FILE, once
# the process PID logged it (within 60 s).
wait_log() {
  local file=$1 pat=$2 pid=$3 got
  for _ in $(seq 600); do
    got=$(sed -n "$pat" "$file" 2>/dev/null | head -1 || true) # the file may not exist yet
    if [[ -n $got ]]; then echo "$got"; return 0; fi
    kill -0 "$pid" 2>/dev/null || { say "process $pid exited:"; tail -5 "$file" >&2; return 1; }
    sleep 0.1
  done
  say "timed out waiting for $file"; tail -5 "$file" >&2; return 1
}

# freeport: a loopback port nobody listens on now.
freeport() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# cpu PID: the CPU time (user + system) PID has used, in clock ticks.
cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# cpu_per_req TICKS0 TICKS1 RPS: µs of CPU per request over a loadgen run
# (warmup included, assumed at the run's rate). Unlike req/s it barely
# moves with what else the machine runs.
cpu_per_req() {
  awk -v t=$(($2 - $1)) -v hz="$(getconf CLK_TCK)" -v r="$3" -v d=$((SECONDS_ + WARMUP)) \
    'BEGIN {printf "%.0f\n", (r > 0 ? t / hz * 1e6 / (r * d) : 0)}'
}

# busy: "busy total" clock ticks of the whole machine so far (/proc/stat).
busy() { awk '$1=="cpu" {t=0; for (i=2; i<=NF; i++) t+=$i; print t-$5-$6, t; exit}' /proc/stat; }

# idle_pct "B0 T0" "B1 T1": the machine's idle share between two busy readings
# (near 0: the run was bound by CPU; well above: by waits).
idle_pct() {
  awk -v a="$1" -v b="$2" 'BEGIN {split(a, x, " "); split(b, y, " "); t=y[2]-x[2];
    printf "%.0f\n", (t > 0 ? 100 * (1 - (y[1]-x[1]) / t) : 0)}'
}

# other_per_req "B0 T0" "B1 T1" TICKS0 TICKS1 RPS: µs per request of the
# machine's CPU not spent by the server (loadgen, mostly).
other_per_req() {
  local x=($1) y=($2)
  cpu_per_req 0 "$(( (y[0] - x[0]) - ($4 - $3) ))" "$5"
}

rss() { awk -v k="$2:" '$1==k {print int($2/1024)}' "/proc/$1/status"; }

# load URL C [args...]: one loadgen run; prints "rps p50 p99 non2xx errors".
load() {
  local url=$1 c=$2; shift 2
  "$WORK/loadgen" -url "$url" -c "$c" -d "${SECONDS_}s" -warmup "${WARMUP}s" "$@" 2>>"$WORK/loadgen.err" |
    sed -n 's/^rps=\([^ ]*\) p50_ms=\([^ ]*\) p99_ms=\([^ ]*\) non2xx=\([^ ]*\) errors=\([^ ]*\)$/\1 \2 \3 \4 \5/p'
}

# col FILE I: the median of column I of FILE.
col() { awk -v i="$2" '{print $i}' "$1" | median; }

median() { sort -g | awk '{v[NR]=$1} END {if (NR==0) print "nan"; else if (NR%2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2}'; }

# start_baseline: the bare TLS server on a free port; sets BASE_URL, BASE_PID.
start_baseline() {
  local port; port=$(freeport)
  "$WORK/baseline" -addr "127.0.0.1:$port" -cert "$WORK/baseline-cert.pem" -size 200 >"$WORK/baseline.log" 2>&1 &
  BASE_PID=$!; PIDS+=("$BASE_PID")
  wait_log "$WORK/baseline.log" 's/.*baseline: https:\/\/\([^/]*\)\/.*/\1/p' "$BASE_PID" >/dev/null
  BASE_URL="https://127.0.0.1:$port/"
}

# start_postgres: a throwaway cluster on a unix socket (as the postgres
# user when root: initdb refuses root); sets PG_DIR, PG_BIN, PG_PID.
start_postgres() {
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [[ -x $PG_BIN/initdb ]] || { say "BENCH_STORES has postgres, but PostgreSQL is not installed (tools/install-deps.sh)"; exit 2; }
  PG_DIR=$(mktemp -d /tmp/bench-rest-pg.XXXXXX); chmod 755 "$PG_DIR"
  local as=()
  if (( EUID == 0 )); then chown postgres "$PG_DIR"; as=(runuser -u postgres --); fi
  "${as[@]}" "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres -A trust >"$PG_DIR/initdb.log" 2>&1 ||
    { say "initdb failed:"; tail -5 "$PG_DIR/initdb.log" >&2; exit 1; }
  "${as[@]}" "$PG_BIN/postgres" -D "$PG_DIR/data" -k "$PG_DIR" -c listen_addresses= -c max_connections=100 \
    -c shared_buffers=128MB >"$PG_DIR/postgres.log" 2>&1 &
  PG_PID=$!; PIDS+=("$PG_PID")
  local i
  for i in $(seq 100); do "$PG_BIN/pg_isready" -q -h "$PG_DIR" && return; sleep 0.1; done
  say "PostgreSQL did not start:"; tail -5 "$PG_DIR/postgres.log" >&2; exit 1
}

# pg_url DB: a fresh database DB of the throwaway cluster.
pg_url() {
  "$PG_BIN/createdb" -h "$PG_DIR" -U postgres "$1"
  echo "postgres://postgres@/$1?host=$PG_DIR&sslmode=disable"
}

# start_serve N STORE [env...]: benchsetup with N API users on STORE
# (badger: the data directory's own; postgres: a fresh database), then
# serve on a free port; sets HB_URL, HB_KEY, HB_PID.
start_serve() {
  local n=$1 kind=$2; shift 2
  local d="$WORK/data-$n-$kind" url=
  [[ $kind == postgres ]] && url=$(pg_url "bench_$n")
  "$WORK/benchsetup" -dir "$d" -users "$n" -out "$WORK/setup-$n.json" -store "$url" 2> >(grep -v ' of ' >&2)
  HB_KEY=$(jfield "$WORK/setup-$n.json" key)
  local path port; path=$(jfield "$WORK/setup-$n.json" passwordPath); port=$(freeport)
  env "$@" "$WORK/hostbound" serve --data-dir "$d" --passphrase-file "$(jfield "$WORK/setup-$n.json" passphraseFile)" \
    ${url:+--store "$url"} --listen "127.0.0.1:$port" >"$WORK/serve-$n.log" 2>&1 &
  HB_PID=$!; PIDS+=("$HB_PID")
  wait_log "$WORK/serve-$n.log" '/serving the REST API/p' "$HB_PID" >/dev/null
  HB_URL="https://127.0.0.1:$port$path"
}

stop_pid() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

# hb_load C: loadgen against serve (its certificate is self-signed and not
# exported: -insecure, loopback only; the handshake costs the same).
hb_load() { load "$HB_URL" "$1" -insecure -header "AUTHTOKEN: $HB_KEY"; }
base_load() { load "$BASE_URL" "$1" -cacert "$WORK/baseline-cert.pem"; }

run_table() {
  local n=$1 kind=$2
  start_baseline
  # shellcheck disable=SC2086 # BENCH_SERVE_ENV is a list of VAR=value words
  start_serve "$n" "$kind" ${BENCH_SERVE_ENV:-}
  say "$n API user(s), $kind store: serve pid $HB_PID (RSS $(rss "$HB_PID" VmRSS) MB idle, $(rss "$HB_PID" RssAnon) MB anonymous), baseline pid $BASE_PID;" \
      "c = $CONC, $REPS rep(s) of ${WARMUP}s + ${SECONDS_}s each"
  local rows=() c r
  for c in $CONC; do
    : >"$WORK/hb-$c" ; : >"$WORK/base-$c"; : >"$WORK/ratio-$c"
    for r in $(seq "$REPS"); do
      local h b h0 h1 b0 b1 m0 m1 n0 n1
      # Alternate which server goes first, so neither always runs warm.
      hb_run() { h0=$(cpu "$HB_PID"); m0=$(busy); h=$(hb_load "$c"); m1=$(busy); h1=$(cpu "$HB_PID"); }
      base_run() { b0=$(cpu "$BASE_PID"); n0=$(busy); b=$(base_load "$c"); n1=$(busy); b1=$(cpu "$BASE_PID"); }
      if (( r % 2 )); then hb_run; base_run; else base_run; hb_run; fi
      [[ -n $h && -n $b ]] || { say "loadgen failed (c=$c rep $r):"; tail -3 "$WORK/loadgen.err" >&2; exit 1; }
      echo "$h $(cpu_per_req "$h0" "$h1" "${h%% *}") $(idle_pct "$m0" "$m1") $(other_per_req "$m0" "$m1" "$h0" "$h1" "${h%% *}")" >>"$WORK/hb-$c"
      echo "$b $(cpu_per_req "$b0" "$b1" "${b%% *}") $(idle_pct "$n0" "$n1") $(other_per_req "$n0" "$n1" "$b0" "$b1" "${b%% *}")" >>"$WORK/base-$c"
      awk -v h="${h%% *}" -v b="${b%% *}" 'BEGIN {printf "%.4f\n", (b > 0 ? h / b : 0)}' >>"$WORK/ratio-$c"
      say "  c=$c rep $r: hostbound ${h%% *} req/s, baseline ${b%% *} req/s"
    done
    local bad; bad=$(awk '{n += $4 + $5} END {print n+0}' "$WORK/hb-$c" "$WORK/base-$c")
    rows+=("$(printf '%-4s %10.0f %10.0f %7.3f %8.2f %8.2f %8.2f %8.2f %7.0f %7.0f %7.0f %7.0f %6.0f%% %6.0f%% %s' "$c" \
      "$(col "$WORK/hb-$c" 1)" "$(col "$WORK/base-$c" 1)" "$(median <"$WORK/ratio-$c")" \
      "$(col "$WORK/hb-$c" 2)" "$(col "$WORK/hb-$c" 3)" "$(col "$WORK/base-$c" 2)" "$(col "$WORK/base-$c" 3)" \
      "$(col "$WORK/hb-$c" 6)" "$(col "$WORK/base-$c" 6)" "$(col "$WORK/hb-$c" 8)" "$(col "$WORK/base-$c" 8)" \
      "$(col "$WORK/hb-$c" 7)" "$(col "$WORK/base-$c" 7)" \
      "$([[ $bad == 0 ]] && echo ok || echo "NON-2XX/ERRORS: $bad")")")
  done
  local rss_now hwm anon file; rss_now=$(rss "$HB_PID" VmRSS); hwm=$(rss "$HB_PID" VmHWM)
  anon=$(rss "$HB_PID" RssAnon); file=$(rss "$HB_PID" RssFile)
  echo
  echo "hostbound serve vs baseline, $n API user(s) in the $kind store; median of $REPS, ${SECONDS_}s each (+${WARMUP}s warmup)"
  printf '%-4s %10s %10s %7s %8s %8s %8s %8s %7s %7s %7s %7s %7s %7s %s\n' c "hb req/s" "base req/s" ratio "hb p50" "hb p99" "base p50" "base p99" "hb cpu" "bs cpu" "hb oth" "bs oth" "hb idl" "bs idl" check
  printf '%s\n' "${rows[@]}"
  echo "RSS of serve after the runs: ${rss_now} MB (peak ${hwm} MB): ${anon} MB anonymous (the process's memory), ${file} MB"
  echo "file-backed (Badger's memory-mapped tables and memtable logs: page cache the kernel reclaims); latencies in ms; cpu: µs of CPU per request"
  echo "(the server's own, not loadgen's); oth: the rest of the machine's CPU per request (loadgen's, mostly); idl: the machine's idle CPU during the run; $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  stop_pid "$HB_PID"; stop_pid "$BASE_PID"
}

# counter NAME: a number from serve's /debug/vars memstats.
counter() { curl -s "http://$PPROF/debug/vars" | tr ',' '\n' | sed -n "s/.*\"$1\": *\([0-9]*\).*/\1/p" | head -1; }

# commit_phases BEFORE AFTER: the committer's time per batch over the
# profile's window, from two /debug/vars snapshots (backend/store/committimes.go).
commit_phases() {
  python3 - "$1" "$2" <<'PY'
import json, sys
a, b = (json.load(open(f))["store_commit"] for f in sys.argv[1:3])
n = b["batch"]["count"] - a["batch"]["count"]
if n <= 0:
    sys.exit()
w = b["writers"] - a["writers"]
print(f"committer: {n} batches, {w / n:.1f} writers per batch; µs per batch:", end="")
for p in ("batch", "functions", "commit", "redo_write", "sync", "ledger", "badger_commit"):
    print(f" {p} {(b[p]['us'] - a[p]['us']) / n:.0f}", end="")
print()
PY
}

run_profile() {
  local n=${USERS%% *} c=${BENCH_PROFILE_CONC:-64}
  PPROF=127.0.0.1:$(freeport)
  start_serve "$n" "${STORES%% *}" HOSTBOUND_PPROF="$PPROF"
  say "profiling serve ($n API user(s), c=$c): ${PROFILE_SECONDS}s CPU, block and allocation profiles from $PPROF"
  local out="$WORK/load-profile"
  SECONDS_=$PROFILE_SECONDS WARMUP=$WARMUP hb_load "$c" >"$out" &
  local lp=$!
  sleep "$WARMUP"
  local m0 b0; m0=$(counter Mallocs); b0=$(counter TotalAlloc)
  curl -s "http://$PPROF/debug/vars" >"$WORK/vars0.json"
  curl -s -o "$WORK/cpu.pb.gz" "http://$PPROF/debug/pprof/profile?seconds=$PROFILE_SECONDS" &
  local p1=$!
  curl -s -o "$WORK/block.pb.gz" "http://$PPROF/debug/pprof/block?seconds=$PROFILE_SECONDS" &
  local p2=$!
  curl -s -o "$WORK/allocs.pb.gz" "http://$PPROF/debug/pprof/allocs?seconds=$PROFILE_SECONDS" &
  local p3=$!
  wait "$lp" "$p1" "$p2" "$p3"
  local m1 b1; m1=$(counter Mallocs); b1=$(counter TotalAlloc)
  curl -s "http://$PPROF/debug/vars" >"$WORK/vars1.json"
  read -r rps p50 p99 non2xx errs <"$out"
  local reqs; reqs=$(awk -v r="$rps" -v s="$PROFILE_SECONDS" 'BEGIN {printf "%d", r * s}')
  echo
  echo "profile of serve at c=$c with $n API user(s): $rps req/s, p50 $p50 ms, p99 $p99 ms, non2xx $non2xx, errors $errs" \
       "(block profiling on: slower than the table)"
  awk -v m=$((m1 - m0)) -v b=$((b1 - b0)) -v r="$reqs" \
    'BEGIN {if (r > 0) printf "allocations per request: %.0f (%.0f bytes), from runtime.MemStats over %d requests\n", m / r, b / r, r}'
  echo "RSS of serve: $(rss "$HB_PID" VmRSS) MB (peak $(rss "$HB_PID" VmHWM) MB)"
  commit_phases "$WORK/vars0.json" "$WORK/vars1.json"
  # top PROFILE TITLE [pprof flags...]: go tool pprof -top, 25 lines.
  top() {
    local f=$1 title=$2; shift 2
    echo; echo "---- $title (go tool pprof -top -nodecount=25 $*) ----"
    $GO tool pprof -top -nodecount=25 "$@" "$WORK/hostbound" "$WORK/$f.pb.gz" 2>/dev/null | sed '/^Build ID/d'
  }
  top cpu "CPU, by own time"
  top cpu "CPU, by cumulative time" -cum
  # Blocked time is mostly idle goroutines (flat: chanrecv, select); by
  # cumulative time it shows where requests wait.
  top block "blocked time, by cumulative time" -cum
  top allocs "allocated bytes" -sample_index=alloc_space
  top allocs "allocated objects" -sample_index=alloc_objects
  mkdir -p "$PROFILE_OUT"
  cp "$WORK/cpu.pb.gz" "$WORK/block.pb.gz" "$WORK/allocs.pb.gz" "$WORK/hostbound" "$PROFILE_OUT/"
  echo; echo "profiles kept in $PROFILE_OUT (go tool pprof -http=127.0.0.1:0 $PROFILE_OUT/hostbound $PROFILE_OUT/cpu.pb.gz)"
  stop_pid "$HB_PID"
}

if (( PROFILE )); then
  run_profile
else
  for kind in $STORES; do
    [[ $kind == badger || $kind == postgres ]] || { say "BENCH_STORES: $kind is not badger or postgres"; exit 2; }
  done
  [[ " $STORES " == *" postgres "* ]] && start_postgres
  for n in $USERS; do
    [[ $n =~ ^[0-9]+$ ]] || { say "BENCH_USERS: $n is not a number"; exit 2; }
    for kind in $STORES; do run_table "$n" "$kind"; done
  done
fi

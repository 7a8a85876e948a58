#!/usr/bin/env bash
# Body-scan frame ingest benchmark, in one run (about 5 minutes):
#   1. BareKestrel (bench/BareKestrel): the same JSON in and out over Kestrel, nothing else;
#   2. Scanport on SQLite: status latency (1 connection) at 100, 10,000 and 100,000 frames in the scan, then
#      frame ingest (16 connections, each streaming a scan of its own);
#   3. Scanport on PostgreSQL (a throw-away cluster with fsync and synchronous_commit on): the same;
#   4. pgbench on that same PostgreSQL database: bench/bodyscan/frame-transaction.sql, the transaction Scanport
#      runs per frame, 16 clients, 2 threads, each client on a scan of its own made through the API.
# Prints a results table and the ratios, and writes them to bench/bodyscan/results.md.
# Every load runs for a fixed time (wrk -d, pgbench -T); everything started here is stopped on exit.
# Durations can be shortened for a smoke run: INGEST_S, STATUS_S, PGBENCH_S, WARMUP_S, DIAG_S (seconds).
set -euo pipefail
cd "$(dirname "$0")/../.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

INGEST_S=${INGEST_S:-15}
STATUS_S=${STATUS_S:-10}
PGBENCH_S=${PGBENCH_S:-15}
# Long enough for .NET's tiered JIT to finish recompiling the hot paths: measured 5 s after start, it still took a fifth
# of the server's CPU (the tier-1 compiler thread), and ingest read 40 % low.
WARMUP_S=${WARMUP_S:-20}
DIAG_S=${DIAG_S:-5}
CLIENTS=16
BENCH=bench/bodyscan
RESULTS=${RESULTS:-$BENCH/results.md}

ops/ensure-packages.sh wrk curl postgresql-15 postgresql-client-15
command -v dotnet >/dev/null || { echo "The .NET 10 SDK is required." >&2; exit 1; }

tmp=$(mktemp -d)
server_pid=""
PG_DIR=""
stop_server() {
  [ -n "$server_pid" ] || return 0
  kill -TERM "$server_pid" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.2; done
  kill -KILL "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
}
cleanup() {
  stop_server
  [ -n "$PG_DIR" ] && ops/postgres-throwaway.sh stop "$PG_DIR"
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null \
    || shuf -i 20000-60000 -n 1
}
log() { printf '\n== %s %s\n' "$(date -u +%T)" "$*" >&2; }

# CPU accounting, in clock ticks, so that each run also says what a request cost and how busy the machine was
# (the load generator and anything else running here share the same cores).
TICK=$(getconf CLK_TCK)
proc_ticks() { awk '{ print $14 + $15 + $16 + $17 }' "/proc/$1/stat" 2>/dev/null || echo 0; } # self + reaped children
server_ticks() { if [ -n "$server_pid" ]; then proc_ticks "$server_pid"; else echo 0; fi; }
pg_ticks() { # the postmaster, its reaped backends and its live ones
  local pm total c
  pm=$(head -1 "$PG_DIR/data/postmaster.pid" 2>/dev/null) || { echo 0; return; }
  total=$(proc_ticks "$pm")
  for c in $(pgrep -P "$pm" || true); do total=$((total + $(awk '{ print $14 + $15 }' "/proc/$c/stat" 2>/dev/null || echo 0))); done
  echo "$total"
}
machine_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat; }
cpu_begin() { CPU0=("$(server_ticks)" "$(if [ -n "$PG_DIR" ]; then pg_ticks; else echo 0; fi)" $(machine_ticks)); }
cpu_end() { # LABEL REQUESTS
  local s p m
  s=$(server_ticks); p=$(if [ -n "$PG_DIR" ]; then pg_ticks; else echo 0; fi); m=($(machine_ticks))
  [ -n "$server_pid" ] && R[$1.server_cpu_ms]=$(awk -v d=$((s - CPU0[0])) -v n="$2" -v t="$TICK" 'BEGIN { if (n > 0) printf "%.3f", d * 1000 / t / n }')
  [ -n "$PG_DIR" ] && R[$1.pg_cpu_ms]=$(awk -v d=$((p - CPU0[1])) -v n="$2" -v t="$TICK" 'BEGIN { if (n > 0) printf "%.3f", d * 1000 / t / n }')
  R[$1.busy_pct]=$(awk -v b=$((m[0] - CPU0[2])) -v a=$((m[1] - CPU0[3])) 'BEGIN { if (a > 0) printf "%.0f", 100 * b / a }')
}

# ---- build ---------------------------------------------------------------------------------------------------
log "Publishing Release builds"
dotnet publish src/Scanport -c Release -o "$tmp/scanport" -nologo -v quiet
dotnet publish bench/BareKestrel -c Release -o "$tmp/bare" -nologo -v quiet

# ---- measurement helpers -------------------------------------------------------------------------------------
declare -A R          # R[label.key] = value, from the RESULT line of each run
invalid=()            # why a run does not count
declare -A LOGERR     # server label -> what it logged at Warning and up
declare -A LOGSTART   # server label -> log lines written before it answered (start-up)

# wrk_run LABEL SCRIPT THREADS CONNECTIONS SECONDS URL: the script's environment comes from the caller.
wrk_run() {
  local label=$1 script=$2 threads=$3 conns=$4 secs=$5 url=$6 out="$tmp/wrk-$1.txt"
  cpu_begin
  timeout $((secs + 60)) wrk -t"$threads" -c"$conns" -d"${secs}s" --timeout 10s --latency -s "$script" "$url" >"$out" 2>&1 || true
  local line; line=$(grep '^RESULT ' "$out" || true)
  if [ -z "$line" ]; then
    cat "$out" >&2
    invalid+=("$label: wrk printed no result"); return 0
  fi
  local kv
  for kv in ${line#RESULT }; do R[$label.${kv%%=*}]=${kv#*=}; done
  cpu_end "$label" "${R[$label.requests]}"
  printf '%-24s %s server_cpu_ms_per_req=%s pg_cpu_ms_per_req=%s machine_busy_pct=%s\n' "$label" "${line#RESULT }" \
    "${R[$label.server_cpu_ms]:-}" "${R[$label.pg_cpu_ms]:-}" "${R[$label.busy_pct]:-}" >&2
  local bad=$(( ${R[$label.other_status]} + ${R[$label.duplicate_200]} + ${R[$label.err_connect]} + ${R[$label.err_read]} \
    + ${R[$label.err_write]} + ${R[$label.err_timeout]} ))
  if [ "$bad" -ne 0 ] || [ "${R[$label.requests]}" -eq 0 ]; then
    invalid+=("$label: ${R[$label.other_status]} other statuses (first ${R[$label.first_other_status]}), ${R[$label.duplicate_200]} duplicate 200s, socket errors connect/read/write/timeout ${R[$label.err_connect]}/${R[$label.err_read]}/${R[$label.err_write]}/${R[$label.err_timeout]}")
  fi
}

# start_server LABEL URL_TO_POLL COMMAND...: runs it in the background (logging to $tmp/LABEL.log) and waits
# (at most 60 s) until URL_TO_POLL answers 200.
start_server() {
  local label=$1 ready=$2; shift 2
  "$@" >"$tmp/$label.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 240); do
    kill -0 "$server_pid" 2>/dev/null || { cat "$tmp/$label.log" >&2; echo "$label exited at start" >&2; exit 1; }
    if [ "$(curl -s -o /dev/null --max-time 2 -w '%{http_code}' "$ready" || true)" = 200 ]; then
      LOGSTART[$label]=$(wc -l <"$tmp/$label.log"); return 0
    fi
    sleep 0.25
  done
  cat "$tmp/$label.log" >&2; echo "$label did not become ready in 60 s" >&2; exit 1
}

# check_log LABEL: counts error and warning lines the server logged (Warning level and up).
# Errors logged while measuring make the run invalid; errors logged at start-up are reported.
check_log() {
  local f="$tmp/$1.log" n=${LOGSTART[$1]:-0} boot aborted errors warns
  boot=$(head -n "$n" "$f" | grep -cE '^(fail|crit):' || true)
  # EF logs "An error occurred using a transaction" (Transaction[20205]) when a request is aborted mid-transaction:
  # wrk closes its connections with requests in flight when its time is up. Counted apart, not an error of the run.
  aborted=$(tail -n +"$((n + 1))" "$f" | grep -cE '^fail: Microsoft\.EntityFrameworkCore\.Database\.Transaction\[20205\]' || true)
  errors=$(( $(tail -n +"$((n + 1))" "$f" | grep -cE '^(fail|crit):' || true) - aborted ))
  warns=$(grep -cE '^warn:' "$f" || true)
  LOGERR[$1]="$errors error(s) while measuring, $aborted aborted transaction(s) at wrk stops, $boot at start-up, $warns warning(s)"
  if [ "$boot" -ne 0 ]; then
    LOGERR[$1]+=" (start-up: $(head -n "$n" "$f" | grep -E -A2 '^(fail|crit):' | sed -n 's/^ *//; 2,3p' | tr '\n' ' ' | cut -c1-160))"
  fi
  if [ "$errors" -ne 0 ]; then
    invalid+=("$1: $errors error lines in the server log while measuring")
    tail -n +"$((n + 1))" "$f" | grep -E -A12 '^(fail|crit):' | grep -v '^ *at ' | head -30 >&2
  fi
  [ "$warns" -eq 0 ] || grep -E -A2 '^warn:' "$f" | head -10 >&2
}

json_field() { sed -n "s/.*\"$1\":\"\\([^\"]*\\)\".*/\\1/p"; }

# api METHOD PATH [BODY]: Scanport call with the bearer token; prints the body, fails on a non-2xx status.
api() {
  local code
  code=$(curl -sS --max-time 120 -o "$tmp/body" -w '%{http_code}' -X "$1" -H "Authorization: Bearer $TOKEN" \
    -H 'Content-Type: application/json' ${3:+--data-binary "$3"} "$BASE$2")
  case $code in 2??) cat "$tmp/body" ;; *) echo "$1 $2 answered $code: $(head -c 500 "$tmp/body")" >&2; exit 1 ;; esac
}

init_scan() { api POST /api/scan/init "{\"sessionId\":\"$1\"}" | json_field scanId; }

# seed SCAN FROM TO: records frames FROM..TO through the batch endpoint, 1000 per request.
seed() {
  local scan=$1 from=$2 to=$3 a b
  for ((a = from; a <= to; a += 1000)); do
    b=$((a + 999 < to ? a + 999 : to))
    awk -v s="$scan" -v a="$a" -v b="$b" 'BEGIN {
      printf "{\"scanId\":\"%s\",\"frames\":[", s
      for (i = a; i <= b; i++) printf "%s{\"frameNumber\":%d,\"userInFrame\":true,\"confidence\":0.9,\"stabilityScore\":0.8,\"iou\":0.7}", (i > a ? "," : ""), i
      printf "]}" }' >"$tmp/batch.json"
    api POST /api/scan/frames/batch "@$tmp/batch.json" >/dev/null
  done
  local count; count=$(api GET "/api/scan/status?scanId=$scan" | sed -n 's/.*"frameCount":\([0-9]*\).*/\1/p')
  [ "$count" = "$to" ] || { echo "scan $scan has $count frames, expected $to" >&2; exit 1; }
}

EMAIL=bench@example.com
PASS="Bench-$RANDOM$RANDOM$RANDOM"
scanport_env=(
  Bootstrap__AdminEmail=$EMAIL Bootstrap__AdminPassword=$PASS
  Auth__TokenRequestsPerMinute=100000
  Surfaces__BodyScan__RequestsPerSecond=1000000 Surfaces__BodyScan__Burst=1000000
  Logging__LogLevel__Default=Warning
)

# measure_scanport LABEL (sqlite|pg) EXTRA_ENV...: starts Scanport, measures status then ingest; leaves it running.
measure_scanport() {
  local label=$1; shift
  local port; port=$(free_port)
  BASE=http://127.0.0.1:$port
  mkdir -p "$tmp/$label-data"
  start_server "$label" "$BASE/readyz" env "${scanport_env[@]}" "$@" Scanport__DataDir="$tmp/$label-data" \
    ASPNETCORE_URLS="$BASE" dotnet "$tmp/scanport/Scanport.dll"
  TOKEN=$(curl -sS --max-time 30 -d grant_type=password --data-urlencode "username=$EMAIL" --data-urlencode "password=$PASS" \
    "$BASE/platform/v1/oauth/token" | json_field access_token)
  [ -n "$TOKEN" ] || { echo "no token from $label" >&2; exit 1; }

  # Status latency as one scan grows: 100, then 10,000, then 100,000 frames (also the table's size).
  local scan n prev=0
  scan=$(init_scan "status-scan")
  for n in 100 10000 100000; do
    log "$label: seeding the status scan to $n frames"
    seed "$scan" $((prev + 1)) "$n"; prev=$n
    if [ "$n" = 100 ]; then
      TOKEN=$TOKEN wrk_run "$label-status-warmup" "$BENCH/status.lua" 1 1 "$WARMUP_S" "$BASE/api/scan/status?scanId=$scan"
    fi
    log "$label: status latency at $n frames (1 connection, ${STATUS_S}s)"
    TOKEN=$TOKEN wrk_run "$label-status-$n" "$BENCH/status.lua" 1 1 "$STATUS_S" "$BASE/api/scan/status?scanId=$scan"
  done

  # Ingest: 16 connections, one wrk thread and one scan each.
  local ids=() i
  for ((i = 0; i < CLIENTS; i++)); do ids+=("$(init_scan "ingest-$i")"); done
  local joined; joined=$(IFS=,; echo "${ids[*]}")
  log "$label: ingest warm-up (${WARMUP_S}s), then ingest ($CLIENTS connections, ${INGEST_S}s)"
  SCAN_IDS=$joined TOKEN=$TOKEN FRAME_START=0 wrk_run "$label-ingest-warmup" "$BENCH/ingest.lua" "$CLIENTS" "$CLIENTS" "$WARMUP_S" "$BASE/api/scan/frames"
  SCAN_IDS=$joined TOKEN=$TOKEN FRAME_START=1000000000 wrk_run "$label-ingest" "$BENCH/ingest.lua" "$CLIENTS" "$CLIENTS" "$INGEST_S" "$BASE/api/scan/frames"
  # What the server stored must be what wrk counted as recorded, give or take the requests in flight when
  # each of the two wrk runs stopped (the server finishes them; wrk no longer counts them).
  local stored=0 c
  for i in "${ids[@]}"; do
    c=$(api GET "/api/scan/status?scanId=$i" | sed -n 's/.*"frameCount":\([0-9]*\).*/\1/p'); stored=$((stored + c))
  done
  local counted=$(( ${R[$label-ingest-warmup.good]:-0} + ${R[$label-ingest.good]:-0} ))
  R[$label.stored]=$stored; R[$label.counted]=$counted
  [ "$stored" -ge "$counted" ] && [ "$stored" -le $((counted + 2 * CLIENTS)) ] \
    || invalid+=("$label: the ingest scans hold $stored frames, wrk counted $counted 201s")

  # Diagnostic: the same ingest from a single connection (no concurrent writers).
  local one; one=$(init_scan "ingest-single")
  log "$label: ingest from 1 connection (${DIAG_S}s, diagnostic)"
  SCAN_IDS=$one TOKEN=$TOKEN FRAME_START=1000000000 wrk_run "$label-ingest-1conn" "$BENCH/ingest.lua" 1 1 "$DIAG_S" "$BASE/api/scan/frames"
  if [ "$label" = sqlite ]; then
    # Diagnostic: Scanport's request pipeline without the database (token check, rate limiter, routing, error
    # JSON): a status request whose scan id is not an id is answered 404 before any query.
    log "$label: request pipeline without the database, 16 connections (${DIAG_S}s, diagnostic)"
    TOKEN=$TOKEN EXPECT=404 wrk_run "$label-pipeline" "$BENCH/status.lua" "$CLIENTS" "$CLIENTS" "$DIAG_S" "$BASE/api/scan/status?scanId=not-an-id"
  fi
}

LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- 1. BareKestrel ------------------------------------------------------------------------------------------
port=$(free_port)
BARE=http://127.0.0.1:$port
log "BareKestrel"
start_server bare "$BARE/status" env Logging__LogLevel__Default=Warning ASPNETCORE_URLS="$BARE" dotnet "$tmp/bare/BareKestrel.dll"
bare_scans=$(for ((i = 0; i < CLIENTS; i++)); do printf '%s00000000-0000-7000-8000-%012d' "${i:+,}" "$i"; done); bare_scans=${bare_scans#,}
SCAN_IDS=$bare_scans FRAME_START=0 wrk_run bare-ingest-warmup "$BENCH/ingest.lua" "$CLIENTS" "$CLIENTS" "$WARMUP_S" "$BARE/frames"
SCAN_IDS=$bare_scans FRAME_START=1000000000 wrk_run bare-ingest "$BENCH/ingest.lua" "$CLIENTS" "$CLIENTS" "$INGEST_S" "$BARE/frames"
wrk_run bare-status "$BENCH/status.lua" 1 1 "$STATUS_S" "$BARE/status?scanId=00000000-0000-7000-8000-000000000000"
stop_server; check_log bare

# ---- 2. Scanport on SQLite -----------------------------------------------------------------------------------
log "Scanport on SQLite"
measure_scanport sqlite
stop_server; check_log sqlite

# ---- 3. Scanport on PostgreSQL, 4. pgbench on the same database ----------------------------------------------
log "Scanport on PostgreSQL (fsync=on, synchronous_commit=on)"
eval "$(PG_FSYNC=on PG_SYNC_COMMIT=on ops/postgres-throwaway.sh)"
measure_scanport pg Database__Provider=postgres Database__ConnectionString="$PG_CONNECTION"
for ((i = 0; i < CLIENTS; i++)); do init_scan "pgbench-$i" >/dev/null; done
stop_server; check_log pg

pgbench_run() { # LABEL SECONDS FRAME_START
  local out="$tmp/$1.txt"
  cpu_begin
  timeout $(($2 + 60)) pgbench -n -M prepared -c "$CLIENTS" -j 2 -T "$2" -D need_lookup=1 -D frame="$3" \
    -f "$BENCH/frame-transaction.sql" "$PG_URL" >"$out" 2>&1 || { cat "$out" >&2; invalid+=("$1: pgbench failed"); }
  R[$1.rps]=$(sed -nE 's/^tps = ([0-9.]+) .*/\1/p' "$out" | head -1)
  R[$1.lat_avg_ms]=$(sed -nE 's/^latency average = ([0-9.]+) ms/\1/p' "$out")
  R[$1.requests]=$(sed -nE 's/^number of transactions actually processed: ([0-9]+).*/\1/p' "$out")
  R[$1.failed]=$(sed -nE 's/^number of failed transactions: ([0-9]+).*/\1/p' "$out")
  sleep 0.5 # let the postmaster reap the exited backends, so their CPU time is counted
  cpu_end "$1" "${R[$1.requests]:-0}"
  printf '%-24s tps=%s lat_avg_ms=%s transactions=%s failed=%s pg_cpu_ms_per_txn=%s machine_busy_pct=%s\n' "$1" "${R[$1.rps]}" \
    "${R[$1.lat_avg_ms]}" "${R[$1.requests]}" "${R[$1.failed]:-?}" "${R[$1.pg_cpu_ms]:-}" "${R[$1.busy_pct]:-}" >&2
  [ -n "${R[$1.rps]}" ] && [ "${R[$1.failed]:-0}" = 0 ] || invalid+=("$1: ${R[$1.failed]:-unknown} failed transactions")
}
log "pgbench: $BENCH/frame-transaction.sql, $CLIENTS clients, 2 threads, ${PGBENCH_S}s"
pgbench_run pgbench-warmup "$WARMUP_S" 0
pgbench_run pgbench "$PGBENCH_S" 1000000000
pg_frames=$(psql "$PG_URL" -Atc "SELECT count(*) FROM frames")

# ---- report --------------------------------------------------------------------------------------------------
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else printf "n/a" }'; }
min() { awk -v a="$1" -v b="$2" 'BEGIN { print (a < b ? a : b) }'; }
fmt() { if [ -z "${1:-}" ]; then echo "–"; else awk -v a="$1" 'BEGIN { printf (a >= 100 ? "%.0f" : "%.2f"), a }'; fi; }
row() { # LABEL WHAT CONNECTIONS
  printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$2" "$3" "$(fmt "${R[$1.rps]:-}")" "$(fmt "${R[$1.lat_avg_ms]:-}")" \
    "$(fmt "${R[$1.lat_p99_ms]:-}")" "${R[$1.requests]:-–}" "$(( ${R[$1.other_status]:-0} + ${R[$1.duplicate_200]:-0} + ${R[$1.failed]:-0} ))" \
    "$(fmt "${R[$1.server_cpu_ms]:-}")" "$(fmt "${R[$1.pg_cpu_ms]:-}")" "${R[$1.busy_pct]:-–}"
}
pass() { awk -v r="$1" -v op="$2" -v t="$3" 'BEGIN { ok = (op == ">=" ? r >= t : r <= t); print (ok ? "meets" : "MISSES") }'; }

bare=${R[bare-ingest.rps]}; pgb=${R[pgbench.rps]}; smaller=$(min "$bare" "$pgb")
r_sqlite_bare=$(ratio "${R[sqlite-ingest.rps]}" "$bare"); r_pg_bare=$(ratio "${R[pg-ingest.rps]}" "$bare")
r_pg_pgbench=$(ratio "${R[pg-ingest.rps]}" "$pgb")
r_sqlite_min=$(ratio "${R[sqlite-ingest.rps]}" "$smaller"); r_pg_min=$(ratio "${R[pg-ingest.rps]}" "$smaller")
r_sqlite_status=$(ratio "${R[sqlite-status-100000.lat_avg_ms]}" "${R[sqlite-status-100.lat_avg_ms]}")
r_pg_status=$(ratio "${R[pg-status-100000.lat_avg_ms]}" "${R[pg-status-100.lat_avg_ms]}")
r_sqlite_status99=$(ratio "${R[sqlite-status-100000.lat_p99_ms]}" "${R[sqlite-status-100.lat_p99_ms]}")
r_pg_status99=$(ratio "${R[pg-status-100000.lat_p99_ms]}" "${R[pg-status-100.lat_p99_ms]}")

{
  echo "# Body-scan frame ingest benchmark"
  echo
  echo "Run $(date -u '+%Y-%m-%d %H:%M UTC') by \`bench/bodyscan/run.sh\` on $(nproc) cores" \
    "($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)), $(dotnet --version) SDK," \
    "$(wrk -v 2>&1 | head -1 | cut -d' ' -f1,2), $(pgbench --version)."
  echo "The load generators run on the same cores as the servers. Scanport and BareKestrel are Release builds;"
  echo "PostgreSQL 15 runs with fsync=on and synchronous_commit=on (full_page_writes=off, as ops/postgres-throwaway.sh"
  echo "sets it); SQLite runs as Scanport configures it (WAL, synchronous=NORMAL: no fsync per commit)."
  echo "Ingest: ${INGEST_S}s, $CLIENTS connections (wrk, one thread and one scan each; pgbench: $CLIENTS clients, 2 threads,"
  echo "one scan each), after a ${WARMUP_S}s warm-up. Status: ${STATUS_S}s, 1 connection, one scan grown to 100, 10,000"
  echo "and 100,000 frames (the frames table holds about as many at each step). CPU ms/req: CPU time of the server"
  echo "process (and of all PostgreSQL processes) over the run, per request; machine busy: all processes on the machine."
  echo "Load average at the start: $LOAD0; at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo
  echo "| Run | Connections | Requests/s | Latency avg (ms) | Latency p99 (ms) | Requests | Unexpected responses | Server CPU ms/req | PostgreSQL CPU ms/req | Machine CPU busy % |"
  echo "|---|---|---|---|---|---|---|---|---|---|"
  row bare-ingest "BareKestrel POST /frames" "$CLIENTS"
  row bare-status "BareKestrel GET /status" 1
  row pgbench "pgbench frame transaction (TPS)" "$CLIENTS"
  row sqlite-ingest "Scanport SQLite ingest" "$CLIENTS"
  row sqlite-ingest-1conn "Scanport SQLite ingest (diagnostic)" 1
  row sqlite-pipeline "Scanport GET status, bad id → 404, no DB (diagnostic)" "$CLIENTS"
  for n in 100 10000 100000; do row "sqlite-status-$n" "Scanport SQLite status, $n frames" 1; done
  row pg-ingest "Scanport PostgreSQL ingest" "$CLIENTS"
  row pg-ingest-1conn "Scanport PostgreSQL ingest (diagnostic)" 1
  for n in 100 10000 100000; do row "pg-status-$n" "Scanport PostgreSQL status, $n frames" 1; done
  echo
  echo "| Ratio | Value | Target |"
  echo "|---|---|---|"
  echo "| Scanport SQLite ingest / BareKestrel | $r_sqlite_bare | |"
  echo "| Scanport PostgreSQL ingest / BareKestrel | $r_pg_bare | |"
  echo "| Scanport PostgreSQL ingest / pgbench TPS | $r_pg_pgbench | |"
  echo "| Scanport SQLite ingest / min(BareKestrel, pgbench) | $r_sqlite_min | ≥ 0.5: $(pass "$r_sqlite_min" ">=" 0.5) |"
  echo "| Scanport PostgreSQL ingest / min(BareKestrel, pgbench) | $r_pg_min | ≥ 0.5: $(pass "$r_pg_min" ">=" 0.5) |"
  echo "| SQLite status latency avg, 100,000 / 100 frames | $r_sqlite_status | flat (≤ 1.5): $(pass "$r_sqlite_status" "<=" 1.5) |"
  echo "| SQLite status latency p99, 100,000 / 100 frames | $r_sqlite_status99 | |"
  echo "| PostgreSQL status latency avg, 100,000 / 100 frames | $r_pg_status | flat (≤ 1.5): $(pass "$r_pg_status" "<=" 1.5) |"
  echo "| PostgreSQL status latency p99, 100,000 / 100 frames | $r_pg_status99 | |"
  echo
  echo "Server logs (Warning and up): BareKestrel ${LOGERR[bare]}; Scanport SQLite ${LOGERR[sqlite]};" \
    "Scanport PostgreSQL ${LOGERR[pg]}."
  echo "Ingest scans: SQLite stored ${R[sqlite.stored]} frames for ${R[sqlite.counted]} counted 201s, PostgreSQL ${R[pg.stored]}" \
    "for ${R[pg.counted]} (the difference is the requests in flight when wrk stopped). Frames in the PostgreSQL database at the end: $pg_frames."
  if [ ${#invalid[@]} -eq 0 ]; then
    echo "Every measured request got its expected status (201 for frames, 200 for status) with no socket errors."
  else
    echo
    echo "**INVALID RUN**:"
    for m in "${invalid[@]}"; do echo "- $m"; done
  fi
} >"$tmp/results.md"

cp "$tmp/results.md" "$RESULTS"
echo >&2
cat "$tmp/results.md"
[ ${#invalid[@]} -eq 0 ]

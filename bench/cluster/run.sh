#!/usr/bin/env bash
# Cluster benchmark (about 4 to 6 minutes): body-scan frame ingest through HAProxy into a cluster started by
# ops/cluster/cluster.sh (its own PostgreSQL with fsync and synchronous_commit on, the storage node, 2 API nodes, a
# worker), with two API nodes behind the balancer against one (a second HAProxy frontend whose only server is api-1),
# and pgbench running the transaction Scanport runs per frame (bench/bodyscan/frame-transaction.sql) on the same
# database. ROUNDS (3) interleaved rounds of INGEST_S (15) seconds after a WARMUP_S (20) warm-up (for .NET's tiered JIT to finish), CLIENTS (16) wrk
# connections (one thread and one fresh scan each); best counts. Needs root or the packages wrk haproxy
# postgresql-15 postgresql-client-15. Writes bench/cluster/results.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
ROUNDS=${ROUNDS:-3}; INGEST_S=${INGEST_S:-15}; WARMUP_S=${WARMUP_S:-20}; CLIENTS=${CLIENTS:-16}
RESULTS=${RESULTS:-bench/cluster/results.md}
BENCH=bench/bodyscan

ops/ensure-packages.sh wrk haproxy curl jq postgresql-15 postgresql-client-15
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cluster-bench.XXXXXX")
chmod 755 "$tmp" # PostgreSQL runs as its own user under it
cleanup() {
  [ -f "$tmp/one.pid" ] && kill "$(cat "$tmp/one.pid")" 2>/dev/null || true
  CLUSTER_DIR=$tmp/cluster ops/cluster/cluster.sh stop >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
log() { printf '\n== %s %s\n' "$(date -u +%T)" "$*" >&2; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

log "Publishing Scanport (Release) and starting the cluster"
tools/console-build.sh
dotnet publish src/Scanport -c Release -o "$tmp/app" -nologo -v quiet
two_port=$(free_port)
CLUSTER_DIR=$tmp/cluster PORT=$two_port SCANPORT_DLL=$tmp/app/Scanport.dll API_NODES=2 WORKER_NODES=1 \
  ADMIN_EMAIL=bench@example.com ADMIN_PASSWORD="Bench-$RANDOM$RANDOM$RANDOM" \
  Surfaces__BodyScan__RequestsPerSecond=1000000 Surfaces__BodyScan__Burst=1000000 Auth__TokenRequestsPerMinute=100000 \
  Logging__LogLevel__Default=Warning ops/cluster/cluster.sh start
# shellcheck disable=SC1091
. "$tmp/cluster/cluster.env"
# shellcheck disable=SC1091
. "$tmp/cluster/admin.env"

# The same balancer settings with api-1 alone: the one-node reference.
one_port=$(free_port)
sed -e "s/bind 127.0.0.1:$two_port/bind 127.0.0.1:$one_port/" -e '/server api-2 /d' -e "s|pidfile .*|pidfile $tmp/one.pid|" \
  "$tmp/cluster/run/haproxy.cfg" >"$tmp/one.cfg"
haproxy -D -f "$tmp/one.cfg"
for _ in $(seq 50); do [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$one_port/readyz")" = 200 ] && break; sleep 0.2; done

TOKEN=$(curl -sS -d grant_type=password --data-urlencode "username=$ADMIN_EMAIL" --data-urlencode "password=$ADMIN_PASSWORD" \
  "$URL/platform/v1/oauth/token" | jq -r .access_token)
scans() { # prefix: CLIENTS fresh scans, comma-separated
  local ids=() i
  for ((i = 0; i < CLIENTS; i++)); do
    ids+=("$(curl -sS -H "Authorization: Bearer $TOKEN" -H 'content-type: application/json' \
      -d "{\"sessionId\":\"$1-$i\"}" "$URL/api/scan/init" | jq -r .scanId)")
  done
  (IFS=,; echo "${ids[*]}")
}
# wrk_ingest label url: warm-up, then the measured run; prints frames recorded per second.
wrk_ingest() {
  local ids; ids=$(scans "$1-$RANDOM")
  SCAN_IDS=$ids TOKEN=$TOKEN FRAME_START=0 wrk -t"$CLIENTS" -c"$CLIENTS" -d"${WARMUP_S}s" -s "$BENCH/ingest.lua" "$2/api/scan/frames" >/dev/null
  SCAN_IDS=$ids TOKEN=$TOKEN FRAME_START=1000000000 wrk -t"$CLIENTS" -c"$CLIENTS" -d"${INGEST_S}s" --timeout 10s -s "$BENCH/ingest.lua" \
    "$2/api/scan/frames" >"$tmp/$1.out" 2>&1
  local result; result=$(grep '^RESULT' "$tmp/$1.out")
  echo "$1 $result" >&2
  [[ $result == *" other_status=0 "* && $result == *"err_connect=0 err_read=0 err_write=0 err_timeout=0"* ]] \
    || { echo "$1: unexpected answers or socket errors" >&2; exit 1; }
  sed -E 's/.* good=([0-9]+) .*/\1/' <<<"$result" | awk -v s="$INGEST_S" '{ printf "%.0f", $1 / s }'
}
pgbench_run() { # label round: pgbench clients, each on a scan of its own made through the API
  local i
  # pgbench numbers its clients from 0.
  for ((i = 0; i < CLIENTS; i++)); do
    curl -sS -H "Authorization: Bearer $TOKEN" -H 'content-type: application/json' -d "{\"sessionId\":\"pgbench-$i\"}" \
      "$URL/api/scan/init" >/dev/null
  done
  timeout $((INGEST_S + 60)) pgbench -n -M prepared -c "$CLIENTS" -j 2 -T "$INGEST_S" -D need_lookup=1 -D frame=$(($2 * 100000000)) \
    -f "$BENCH/frame-transaction.sql" "postgresql://postgres@127.0.0.1:$PG_PORT/scanport" >"$tmp/$1.out" 2>&1 \
    || { tail -5 "$tmp/$1.out" >&2; exit 1; }
  # Each round's clients find the newest scans of their names: complete the old ones first.
  psql -q "postgresql://postgres@127.0.0.1:$PG_PORT/scanport" -c "UPDATE scans SET status = 'completed' WHERE session_id LIKE 'pgbench-%'"
  local tps; tps=$(sed -nE 's/^tps = ([0-9.]+) .*without.*/\1/p' "$tmp/$1.out")
  echo "$1 tps=$tps" >&2
  printf '%.0f' "$tps"
}

declare -a TWO ONE PG
for ((round = 1; round <= ROUNDS; round++)); do
  log "Round $round of $ROUNDS"
  if ((round % 2)); then
    TWO+=("$(wrk_ingest "two-$round" "$URL")"); ONE+=("$(wrk_ingest "one-$round" "http://127.0.0.1:$one_port")")
  else
    ONE+=("$(wrk_ingest "one-$round" "http://127.0.0.1:$one_port")"); TWO+=("$(wrk_ingest "two-$round" "$URL")")
  fi
  PG+=("$(pgbench_run "pgbench-$round" "$round")")
done
best() { printf '%s\n' "$@" | sort -n | tail -1; }
two=$(best "${TWO[@]}"); one=$(best "${ONE[@]}"); pg=$(best "${PG[@]}")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
{
  echo "# Cluster benchmark"
  echo
  echo "$(date -u +%F), $(nproc) cores, $(haproxy -v | head -1 | cut -d' ' -f1-3), $(pgbench --version). \`bench/cluster/run.sh\`:"
  echo "ops/cluster/cluster.sh's PostgreSQL (fsync and synchronous_commit on), HAProxy, API nodes and a worker, wrk and pgbench"
  echo "all on these cores. $CLIENTS connections, ${INGEST_S}s a run after ${WARMUP_S}s of warm-up, best of $ROUNDS interleaved rounds."
  echo
  echo "| run | frames/s (each round) | best |"
  echo "|---|---|---|"
  echo "| HAProxy, 2 API nodes | ${TWO[*]} | $two |"
  echo "| HAProxy, 1 API node | ${ONE[*]} | $one |"
  echo "| pgbench, the same transaction (TPS) | ${PG[*]} | $pg |"
  echo
  echo "| ratio | value | target |"
  echo "|---|---|---|"
  echo "| 2 nodes / 1 node | $(ratio "$two" "$one") | ≥ 1.6 with the cores for it |"
  echo "| 2 nodes / pgbench | $(ratio "$two" "$pg") | ≥ 0.6 |"
  echo "| 1 node / pgbench | $(ratio "$one" "$pg") | |"
} | tee "$RESULTS"

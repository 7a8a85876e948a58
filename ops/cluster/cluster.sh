#!/usr/bin/env bash
# Scanport as a production cluster on one machine, for trying it out and for the cluster tests:
#   PostgreSQL 15 (its own, durable: fsync and synchronous_commit on), a storage node (Scanport --role storage: the
#   embedded S3 endpoint with SigV4 and STS, over its own disk), `--migrate` once, API_NODES (2) `--role api` and
#   WORKER_NODES (2) `--role worker` processes on the `s3` provider, and HAProxy in front of the API nodes
#   (health checks on /readyz, WebSockets and Server-Sent Events passed through).
#
#   ops/cluster/cluster.sh start     starts everything (installs haproxy and PostgreSQL 15 from Debian when missing)
#   ops/cluster/cluster.sh stop      stops everything it started (the data stays in CLUSTER_DIR)
#   ops/cluster/cluster.sh status    each process and its health
#   ops/cluster/cluster.sh kill NAME SIGKILLs one node (api-1, worker-2, storage, ...) and its programs, as a crash would
#   ops/cluster/cluster.sh restart NAME  starts a stopped or killed node again
#   ops/cluster/cluster.sh restart-db [S] stops PostgreSQL (fast: open sessions are cut), waits S seconds (0), starts it
#
# Settings (environment): CLUSTER_DIR (.cluster), PORT (8080, the balancer's), API_NODES, WORKER_NODES,
# SCANPORT_DLL (a built Scanport.dll; default: `dotnet publish` into CLUSTER_DIR/app), ADMIN_EMAIL / ADMIN_PASSWORD
# (the first admin; default admin@example.com and a generated password, written to CLUSTER_DIR/admin.env).
# Every other Scanport setting in the environment (Auth__..., Jobs__HeartbeatTimeout, ...) reaches every node.
# CLUSTER_DIR/cluster.env lists what was started: ports, the balancer's URL, the database's connection string.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
dir=$(realpath -m "${CLUSTER_DIR:-$repo/.cluster}")
run=$dir/run
pgbin=/usr/lib/postgresql/15/bin
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
log() { printf '%s %s\n' "$(date -u +%T)" "$*" >&2; }

# Waits until URL answers 200, or says which process died or what its log ends with.
wait_ready() { # name url
  local name=$1 url=$2 pid
  pid=$(cat "$run/$name.pid")
  for _ in $(seq 600); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$url" || true)" = 200 ] && return 0
    kill -0 "$pid" 2>/dev/null || { echo "$name exited; the end of its log:" >&2; tail -20 "$dir/logs/$name.log" >&2; return 1; }
    sleep 0.2
  done
  echo "$name was not ready at $url within 120 s; the end of its log:" >&2
  tail -20 "$dir/logs/$name.log" >&2
  return 1
}

# Starts one Scanport node in the background: name, port, then its arguments. Its environment comes from node.env.
start_node() {
  local name=$1 port=$2; shift 2
  mkdir -p "$dir/nodes/$name" "$dir/logs"
  (
    set -a
    # shellcheck disable=SC1091
    [ "$name" = storage ] || . "$dir/node.env"
    set +a
    export Scanport__DataDir="$dir/nodes/$name" ASPNETCORE_URLS="http://127.0.0.1:$port"
    exec dotnet "$(cat "$run/dll")" "$@" >>"$dir/logs/$name.log" 2>&1
  ) &
  echo $! >"$run/$name.pid"
  echo "$port" >"$run/$name.port"
}

node_args() { # the command-line arguments of a node, by its name
  case $1 in
    storage) echo "--role storage" ;;
    api-*) echo "--role api" ;;
    worker-*) echo "--role worker" ;;
  esac
}

start_postgres() {
  "$repo/ops/ensure-packages.sh" postgresql-15 postgresql-client-15
  local port
  port=$(cat "$run/pg.port" 2>/dev/null || free_port)
  if [ ! -d "$dir/pg/data" ]; then
    mkdir -p "$dir/pg"
    chmod 755 "$dir" "$dir/pg"
    [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$dir/pg"
    as_pg "$pgbin/initdb" -D "$dir/pg/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  echo "$port" >"$run/pg.port"
  pg_start
}

pg_start() {
  as_pg "$pgbin/pg_ctl" -D "$dir/pg/data" -l "$dir/pg/log" -w -o "-p $(cat "$run/pg.port") -k $dir/pg -c listen_addresses=127.0.0.1 -c max_connections=300" start >/dev/null
}

write_haproxy() {
  local servers="" name
  for name in $(api_names); do servers+="  server $name 127.0.0.1:$(cat "$run/$name.port") check"$'\n'; done
  cat >"$run/haproxy.cfg" <<EOF
global
  maxconn 4096
  pidfile $run/haproxy.pid

defaults
  mode http
  option forwardfor
  timeout connect 5s
  timeout http-request 15s
  # Uploads, Server-Sent Events (the body-scan status stream) and WebSockets (job events) stay open for long.
  timeout client 1h
  timeout server 1h
  timeout tunnel 1h
  # A request that found no node (connection refused) goes to another; a request a node received is never replayed.
  retries 3
  option redispatch

frontend scanport
  bind 127.0.0.1:${PORT:-8080}
  default_backend api

backend api
  balance roundrobin
  option httpchk GET /readyz
  http-check expect status 200
  default-server inter 1s fall 2 rise 2 on-marked-down shutdown-sessions
$servers
EOF
}

api_names() { for i in $(seq "${API_NODES:-2}"); do echo "api-$i"; done; }
worker_names() { for i in $(seq "${WORKER_NODES:-2}"); do echo "worker-$i"; done; }

start() {
  "$repo/ops/ensure-packages.sh" haproxy curl jq
  mkdir -p "$run" "$dir/logs"
  if [ -n "${SCANPORT_DLL:-}" ]; then
    realpath "$SCANPORT_DLL" >"$run/dll"
  else
    log "Publishing Scanport into $dir/app"
    (cd "$repo" && tools/console-build.sh && dotnet publish src/Scanport -c Release -o "$dir/app" -nologo -v quiet)
    echo "$dir/app/Scanport.dll" >"$run/dll"
  fi

  log "PostgreSQL"
  start_postgres
  local pg_port connection storage_port credentials
  pg_port=$(cat "$run/pg.port")
  as_pg "$pgbin/psql" -h "$dir/pg" -p "$pg_port" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'scanport'" | grep -q 1 \
    || as_pg "$pgbin/createdb" -h "$dir/pg" -p "$pg_port" -U postgres scanport
  connection="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=scanport;Maximum Pool Size=100"

  log "Storage node"
  storage_port=$(cat "$run/storage.port" 2>/dev/null || free_port)
  start_node storage "$storage_port" --role storage
  wait_ready storage "http://127.0.0.1:$storage_port/readyz"
  credentials=$(Scanport__DataDir="$dir/nodes/storage" dotnet "$(cat "$run/dll")" --role storage --storage-credentials)

  if [ ! -f "$dir/admin.env" ]; then
    printf 'ADMIN_EMAIL=%q\nADMIN_PASSWORD=%q\n' "${ADMIN_EMAIL:-admin@example.com}" "${ADMIN_PASSWORD:-$(head -c 18 /dev/urandom | base64 | tr '+/' '-_')}" >"$dir/admin.env"
    chmod 600 "$dir/admin.env"
  fi
  # shellcheck disable=SC1091
  . "$dir/admin.env"
  # What every API and worker node is started with: one database, one object store, the balancer as the only way in.
  {
    echo "Database__Provider=postgres"
    printf 'Database__ConnectionString=%q\n' "$connection"
    echo "Database__MigrateOnStartup=false"
    echo "Storage__Provider=s3"
    echo "Storage__S3__ServiceUrl=http://127.0.0.1:$storage_port"
    echo "Storage__S3__RoleArn=arn:aws:iam::000000000000:role/scanport"
    jq -r 'to_entries[] | "\(.key)=\(.value)"' <<<"$credentials"
    printf 'Bootstrap__AdminEmail=%q\nBootstrap__AdminPassword=%q\n' "$ADMIN_EMAIL" "$ADMIN_PASSWORD"
    echo "ASPNETCORE_FORWARDEDHEADERS_ENABLED=true"
  } >"$dir/node.env"
  chmod 600 "$dir/node.env"

  log "Migrations (--migrate, once)"
  (set -a; . "$dir/node.env"; set +a; Scanport__DataDir="$dir/nodes/migrate" dotnet "$(cat "$run/dll")" --migrate >>"$dir/logs/migrate.log" 2>&1) \
    || { tail -20 "$dir/logs/migrate.log" >&2; exit 1; }

  local name port
  # The first API node alone first: it bootstraps the organization, its admin and the signing keys.
  for name in $(api_names) $(worker_names); do
    log "$name"
    port=$(cat "$run/$name.port" 2>/dev/null || free_port)
    # shellcheck disable=SC2046
    start_node "$name" "$port" $(node_args "$name")
    [ "$name" != api-1 ] || wait_ready api-1 "http://127.0.0.1:$port/readyz"
  done
  for name in $(api_names) $(worker_names); do wait_ready "$name" "http://127.0.0.1:$(cat "$run/$name.port")/readyz"; done

  log "HAProxy on 127.0.0.1:${PORT:-8080}"
  write_haproxy
  haproxy -c -q -f "$run/haproxy.cfg"
  haproxy -D -f "$run/haproxy.cfg"
  for _ in $(seq 100); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:${PORT:-8080}/readyz" || true)" = 200 ] && break
    sleep 0.2
  done
  {
    echo "URL=http://127.0.0.1:${PORT:-8080}"
    echo "STORAGE_URL=http://127.0.0.1:$storage_port"
    echo "PG_PORT=$pg_port"
    printf 'PG_CONNECTION=%q\n' "$connection"
    for name in $(api_names) $(worker_names); do echo "PORT_${name//-/_}=$(cat "$run/$name.port")"; done
  } >"$dir/cluster.env"
  log "Scanport is up at http://127.0.0.1:${PORT:-8080} (admin: $ADMIN_EMAIL, password in $dir/admin.env)"
}

stop_pid() { # name: TERM, then KILL after 10 s
  local pid
  pid=$(cat "$run/$1.pid" 2>/dev/null) || return 0
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$run/$1.pid"
}

stop() {
  [ -f "$run/haproxy.pid" ] && { kill "$(cat "$run/haproxy.pid")" 2>/dev/null || true; rm -f "$run/haproxy.pid"; }
  local name
  for name in $(worker_names) $(api_names) storage; do stop_pid "$name"; done
  [ -d "$dir/pg/data" ] && as_pg "$pgbin/pg_ctl" -D "$dir/pg/data" -m fast -w stop >/dev/null 2>&1 || true
  log "stopped (data kept in $dir)"
}

status() {
  local name pid state
  for name in storage $(api_names) $(worker_names); do
    pid=$(cat "$run/$name.pid" 2>/dev/null || echo -)
    if [ "$pid" != - ] && kill -0 "$pid" 2>/dev/null; then
      state=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$(cat "$run/$name.port")/readyz" || true)
      echo "$name pid $pid port $(cat "$run/$name.port") readyz $state"
    else
      echo "$name not running"
    fi
  done
}

case ${1:-} in
  start) start ;;
  stop) stop ;;
  status) status ;;
  kill)
    # The node and the programs it runs (ffmpeg, COLMAP), at once, as a lost machine.
    pid=$(cat "$run/${2:?name}.pid")
    # shellcheck disable=SC2046
    kill -KILL "$pid" $(pgrep -P "$pid") 2>/dev/null || true
    log "$2 killed" ;;
  # shellcheck disable=SC2046
  restart) start_node "${2:?name}" "$(cat "$run/$2.port")" $(node_args "$2"); wait_ready "$2" "http://127.0.0.1:$(cat "$run/$2.port")/readyz" ;;
  restart-db)
    as_pg "$pgbin/pg_ctl" -D "$dir/pg/data" -m fast -w stop >/dev/null
    sleep "${2:-0}"
    pg_start
    log "PostgreSQL restarted" ;;
  *) sed -n '2,20p' "$0" >&2; exit 2 ;;
esac

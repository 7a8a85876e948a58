#!/usr/bin/env bash
# Starts a throw-away PostgreSQL 15 cluster on a free loopback port, as a non-root user, in a temp directory.
# Prints shell assignments to eval: PG_DIR, PG_PORT, PG_CONNECTION (Npgsql), PG_URL (libpq).
# Stop it with: ops/postgres-throwaway.sh stop "$PG_DIR"
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
pgbin=/usr/lib/postgresql/15/bin

as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

if [ "${1:-}" = "stop" ]; then
  [ -d "${2:-}/data" ] && as_pg "$pgbin/pg_ctl" -D "$2/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "${2:?}"
  exit 0
fi

"$here/ensure-packages.sh" postgresql-15 postgresql-client-15
dir=$(mktemp -d /tmp/scanport-pg.XXXXXX)
chmod 755 "$dir"
[ "$(id -u)" -eq 0 ] && chown postgres:postgres "$dir"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null \
  || shuf -i 20000-60000 -n 1)
as_pg "$pgbin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
# A throw-away cluster: durability settings off for speed, sockets only in its own directory.
as_pg "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/log" -w -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=${PG_FSYNC:-off} -c synchronous_commit=${PG_SYNC_COMMIT:-off} -c full_page_writes=off" start >/dev/null
echo "PG_DIR=$dir"
echo "PG_PORT=$port"
echo "PG_CONNECTION='Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres;Pooling=true;Maximum Pool Size=50'"
echo "PG_URL='postgresql://postgres@127.0.0.1:$port/postgres'"

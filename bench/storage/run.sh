#!/usr/bin/env bash
# Storage benchmark, in one run (about 3 to 6 minutes): a 1 GiB upload with aws-cli (Debian's awscli, its defaults:
# 8 MiB multipart chunks, 10 concurrent requests) into Scanport's embedded S3 endpoint, next to
#   - dd writing the same bytes from the same source file to the same filesystem (with conv=fsync, and without),
#   - the same upload into s3rver 3.7.1 (npm, installed into the run's temp dir).
# Each is run ROUNDS times (2 by default), interleaved, each upload to a fresh key; the best (least time) counts.
# Peak RSS of Scanport and of s3rver is sampled from /proc every 100 ms during their uploads. Each server's first
# upload is downloaded back and compared byte for byte (cmp); a mismatch makes the run invalid.
# A last, diagnostic Scanport upload runs with --debug to split its time into the parts and CompleteMultipartUpload.
# Prints a results table and the ratios, and writes them to bench/storage/results.md.
# Everything runs in one temp dir (TMPDIR, else /tmp), which is removed on exit with every process started here.
set -euo pipefail
cd "$(dirname "$0")/../.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

SIZE_MB=${SIZE_MB:-1024}   # MiB; a smaller size makes a smoke run
ROUNDS=${ROUNDS:-2}
DIAG=${DIAG:-1}            # 0 skips the --debug diagnostic upload
BENCH=bench/storage
RESULTS=${RESULTS:-$BENCH/results.md}
AWS=/usr/bin/aws           # Debian's aws-cli (v2), not whatever else is first on PATH
S3RVER_VERSION=3.7.1

ops/ensure-packages.sh awscli curl
command -v dotnet >/dev/null || { echo "The .NET 10 SDK is required." >&2; exit 1; }
command -v node >/dev/null && command -v npm >/dev/null || { echo "node and npm are required (for s3rver)." >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/storage-bench.XXXXXX")
pids=()       # servers started here
samplers=()   # background RSS samplers
cleanup() {
  local p
  for p in "${samplers[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$p" 2>/dev/null || true
    wait "$p" 2>/dev/null || true
  done
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null \
    || shuf -i 20000-60000 -n 1
}
log() { printf '\n== %s %s\n' "$(date -u +%T)" "$*" >&2; }
now() { date +%s.%N; }
json_field() { sed -n "s/.*\"$1\":\"\\([^\"]*\\)\".*/\\1/p"; }
TICK=$(getconf CLK_TCK)
proc_ticks() { awk '{ print $14, $15 }' "/proc/$1/stat" 2>/dev/null || echo 0 0; } # utime stime
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }
hwm_kb() { awk '/^VmHWM:/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }
machine_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat; }
declare -A R
invalid=()

# ---- preparation (not timed) -----------------------------------------------------------------------------------
log "Publishing Scanport (Release), installing s3rver $S3RVER_VERSION into the temp dir"
dotnet publish src/Scanport -c Release -o "$tmp/scanport" -nologo -v quiet
timeout 300 npm install --prefix "$tmp/s3rver" "s3rver@$S3RVER_VERSION" --no-audit --no-fund --no-save --loglevel=error >&2

log "Source file: $SIZE_MB MiB from /dev/urandom"
head -c "$((SIZE_MB * 1024 * 1024))" /dev/urandom >"$tmp/source.bin"
cat "$tmp/source.bin" >/dev/null  # warm in the page cache; every run below reads it from there
mkdir -p "$tmp/dd" "$tmp/scanport-data" "$tmp/s3rver-data"

# start_server LABEL URL_TO_POLL COMMAND...: background, logging to $tmp/LABEL.log; waits (60 s at most) for a 200.
start_server() {
  local label=$1 ready=$2 pid; shift 2
  "$@" >"$tmp/$label.log" 2>&1 &
  pid=$!; pids+=("$pid"); R[$label.pid]=$pid
  for _ in $(seq 240); do
    kill -0 "$pid" 2>/dev/null || { cat "$tmp/$label.log" >&2; echo "$label exited at start" >&2; exit 1; }
    if [ "$(curl -s -o /dev/null --max-time 2 -w '%{http_code}' "$ready" || true)" = 200 ]; then return 0; fi
    sleep 0.25
  done
  cat "$tmp/$label.log" >&2; echo "$label did not become ready in 60 s" >&2; exit 1
}

# Scanport
EMAIL=bench@example.com
PASS="Bench-$RANDOM$RANDOM$RANDOM"
sp_port=$(free_port); SP=http://127.0.0.1:$sp_port
log "Starting Scanport on $SP"
start_server scanport "$SP/healthz" env Bootstrap__AdminEmail=$EMAIL Bootstrap__AdminPassword="$PASS" \
  Logging__LogLevel__Default=Warning Scanport__DataDir="$tmp/scanport-data" ASPNETCORE_URLS="$SP" \
  dotnet "$tmp/scanport/Scanport.dll"
TOKEN=$(curl -sS --max-time 30 -d grant_type=password --data-urlencode "username=$EMAIL" --data-urlencode "password=$PASS" \
  "$SP/platform/v1/oauth/token" | json_field access_token)
[ -n "$TOKEN" ] || { echo "no token from Scanport" >&2; exit 1; }
curl -sS --max-time 30 -H "Authorization: Bearer $TOKEN" -H 'content-type: application/json' \
  -d '{"prefix":"bench/","expires_in":3600}' "$SP/platform/v1/storage/credentials" >"$tmp/creds.json"
for f in access_key_id secret_access_key session_token bucket prefix region endpoint_url; do
  v=$(json_field "$f" <"$tmp/creds.json")
  [ -n "$v" ] || { echo "no $f in the credentials answer: $(head -c 300 "$tmp/creds.json")" >&2; exit 1; }
  R[sp.$f]=$v
done
sp_env=(AWS_ACCESS_KEY_ID="${R[sp.access_key_id]}" AWS_SECRET_ACCESS_KEY="${R[sp.secret_access_key]}"
  AWS_SESSION_TOKEN="${R[sp.session_token]}" AWS_DEFAULT_REGION="${R[sp.region]}")
sp_url="s3://${R[sp.bucket]}/${R[sp.prefix]}"
sp_endpoint=${R[sp.endpoint_url]}

# s3rver
s3_port=$(free_port); S3=http://127.0.0.1:$s3_port
log "Starting s3rver $S3RVER_VERSION on $S3"
start_server s3rver "$S3/" node "$tmp/s3rver/node_modules/s3rver/bin/s3rver.js" --directory "$tmp/s3rver-data" \
  --port "$s3_port" --address 127.0.0.1 --configure-bucket bench --silent
s3_env=(AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER AWS_DEFAULT_REGION=us-east-1)
s3_url="s3://bench/"
s3_endpoint=$S3

# "${aws[@]}" ENV... "$AWS" ARGS...: Debian's aws-cli with none of this machine's configuration, 300 s at most.
# TZ=UTC makes its --debug timestamps UTC.
aws=(timeout 300 env AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_PAGER= TZ=UTC)

# sampler PID OUT: VmRSS (kB) of PID every 100 ms until killed.
sampler() { while :; do rss_kb "$1"; sleep 0.1; done >"$2"; }

# timed LABEL ROUND COMMAND...: runs it, recording seconds (and CPU of the server LABEL names, when it has one).
timed() {
  local label=$1 round=$2 t0 t1 s0=(0 0) s1 pid=${R[$1.pid]:-} spl=""; shift 2
  sync  # writeback of the previous run is not charged to this one
  if [ -n "$pid" ]; then
    s0=($(proc_ticks "$pid"))
    sampler "$pid" "$tmp/rss-$label-$round" & spl=$!; samplers+=("$spl")
  fi
  local m0 m1; m0=($(machine_ticks))
  t0=$(now)
  if ! /usr/bin/time -f '%e %U %S' -o "$tmp/time-$label-$round" "$@" >"$tmp/out-$label-$round" 2>&1; then
    cat "$tmp/out-$label-$round" >&2; invalid+=("$label round $round: the command failed")
  fi
  t1=$(now); m1=($(machine_ticks))
  R[$label.$round.s]=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
  read -r _ "R[$label.$round.cu]" "R[$label.$round.cs]" < <(tail -1 "$tmp/time-$label-$round") || true
  if [ -n "$pid" ]; then
    s1=($(proc_ticks "$pid")); kill "$spl" 2>/dev/null || true; wait "$spl" 2>/dev/null || true
    R[$label.$round.server_user]=$(awk -v d=$((s1[0] - s0[0])) -v t="$TICK" 'BEGIN { printf "%.2f", d / t }')
    R[$label.$round.server_sys]=$(awk -v d=$((s1[1] - s0[1])) -v t="$TICK" 'BEGIN { printf "%.2f", d / t }')
    R[$label.$round.server_cpu]=$(awk -v a="${R[$label.$round.server_user]}" -v b="${R[$label.$round.server_sys]}" 'BEGIN { printf "%.2f", a + b }')
    R[$label.$round.rss_mb]=$(sort -n "$tmp/rss-$label-$round" | tail -1 | awk '{ printf "%.0f", $1 / 1024 }')
  fi
  # How busy the whole machine was, and the CPU seconds of everything but this client and this server.
  R[$label.$round.busy]=$(awk -v b=$((m1[0] - m0[0])) -v a=$((m1[1] - m0[1])) 'BEGIN { if (a > 0) printf "%.0f", 100 * b / a }')
  R[$label.$round.others]=$(awk -v b=$((m1[0] - m0[0])) -v t="$TICK" -v u="${R[$label.$round.cu]:-0}" -v s="${R[$label.$round.cs]:-0}" \
    -v v="${R[$label.$round.server_cpu]:-0}" 'BEGIN { x = b / t - u - s - v; printf "%.1f", (x < 0 ? 0 : x) }')
  printf '%-12s round %s: %8.3f s %7.1f MB/s  client cpu %s+%s s  server cpu %s+%s s  others %s s  busy %s%%  peak rss %s MB\n' "$label" "$round" \
    "${R[$label.$round.s]}" "$(awk -v s="${R[$label.$round.s]}" -v m="$SIZE_MB" 'BEGIN { print m / s }')" \
    "${R[$label.$round.cu]:-?}" "${R[$label.$round.cs]:-?}" "${R[$label.$round.server_user]:--}" "${R[$label.$round.server_sys]:--}" "${R[$label.$round.others]}" "${R[$label.$round.busy]}" "${R[$label.$round.rss_mb]:--}" >&2
}

R[scanport.hwm_start_mb]=$(awk -v k="$(hwm_kb "${R[scanport.pid]}")" 'BEGIN { printf "%.0f", k / 1024 }')
R[scanport.rss_idle_mb]=$(awk -v k="$(rss_kb "${R[scanport.pid]}")" 'BEGIN { printf "%.0f", k / 1024 }')
R[s3rver.rss_idle_mb]=$(awk -v k="$(rss_kb "${R[s3rver.pid]}")" 'BEGIN { printf "%.0f", k / 1024 }')
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- measurement ---------------------------------------------------------------------------------------------
for ((round = 1; round <= ROUNDS; round++)); do
  log "Round $round of $ROUNDS"
  timed dd-fsync "$round" timeout 300 dd if="$tmp/source.bin" of="$tmp/dd/out-fsync-$round.bin" bs=8M conv=fsync status=none
  rm -f "$tmp/dd/out-fsync-$round.bin"
  timed dd-nofsync "$round" timeout 300 dd if="$tmp/source.bin" of="$tmp/dd/out-nofsync-$round.bin" bs=8M status=none
  rm -f "$tmp/dd/out-nofsync-$round.bin"
  timed scanport "$round" "${aws[@]}" "${sp_env[@]}" "$AWS" --endpoint-url "$sp_endpoint" s3 cp "$tmp/source.bin" "${sp_url}big-$round.bin" --only-show-errors
  timed s3rver "$round" "${aws[@]}" "${s3_env[@]}" "$AWS" --endpoint-url "$s3_endpoint" s3 cp "$tmp/source.bin" "${s3_url}big-$round.bin" --only-show-errors
done
R[scanport.hwm_end_mb]=$(awk -v k="$(hwm_kb "${R[scanport.pid]}")" 'BEGIN { printf "%.0f", k / 1024 }')
R[s3rver.hwm_end_mb]=$(awk -v k="$(hwm_kb "${R[s3rver.pid]}")" 'BEGIN { printf "%.0f", k / 1024 }')

# ---- the data must be right ------------------------------------------------------------------------------------
log "Downloading each server's first upload back and comparing it with the source"
for label in scanport s3rver; do
  if [ "$label" = scanport ]; then envs=("${sp_env[@]}"); ep=$sp_endpoint; url=${sp_url}big-1.bin
  else envs=("${s3_env[@]}"); ep=$s3_endpoint; url=${s3_url}big-1.bin; fi
  t0=$(now)
  if "${aws[@]}" "${envs[@]}" "$AWS" --endpoint-url "$ep" s3 cp "$url" "$tmp/back.bin" --only-show-errors >&2; then
    R[$label.get_s]=$(awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.3f", b - a }')
    if cmp -s "$tmp/source.bin" "$tmp/back.bin"; then R[$label.cmp]="identical"
    else R[$label.cmp]="DIFFERENT"; invalid+=("$label: the object read back differs from the source"); fi
  else
    R[$label.cmp]="download failed"; invalid+=("$label: the download failed")
  fi
  rm -f "$tmp/back.bin"
  echo "$label: read back in ${R[$label.get_s]:-?} s, ${R[$label.cmp]}" >&2
done
R[scanport.blob_mb]=$(du -sm "$tmp/scanport-data/blobs" | cut -f1)

# ---- diagnostic: where Scanport's upload time goes ---------------------------------------------------------------
# One more upload with --debug: the log's timestamps split it into the parts (CreateMultipartUpload up to the
# CompleteMultipartUpload request) and the completion (that request up to the end). --debug costs aws-cli CPU, so
# this run is only for the split, not for the rate.
if [ "$DIAG" = 1 ]; then
  log "Diagnostic: Scanport upload with aws --debug"
  sync
  t0=$(now)
  "${aws[@]}" "${sp_env[@]}" "$AWS" --debug --endpoint-url "$sp_endpoint" s3 cp "$tmp/source.bin" "${sp_url}big-diag.bin" --only-show-errors 2>&1 \
    | grep -E 'Making request for OperationModel\(name=(CreateMultipartUpload|CompleteMultipartUpload)|Sending http request: .*method=PUT.*partNumber=1[&,]' >"$tmp/diag.log" || true
  t1=$(now)
  R[diag.s]=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
  # Timestamps look like "2025-01-01 12:00:00,123 - ..." (UTC)
  ts() { grep "name=$1" "$tmp/diag.log" | head -1 | awk '{ split($2, t, /[:,]/); printf "%.3f", t[1] * 3600 + t[2] * 60 + t[3] + t[4] / 1000 }'; }
  create=$(ts CreateMultipartUpload); complete=$(ts CompleteMultipartUpload)
  if [ -n "$create" ] && [ -n "$complete" ]; then
    local_t1=$(awk -v t="$t1" 'BEGIN { printf "%.3f", t - int(t / 86400) * 86400 }') # UTC seconds of the day
    R[diag.parts_s]=$(awk -v a="$create" -v b="$complete" 'BEGIN { printf "%.3f", b - a }')
    R[diag.complete_s]=$(awk -v a="$complete" -v b="$local_t1" 'BEGIN { d = b - a; if (d < 0) d += 86400; printf "%.3f", d }')
  fi
  part=$(grep -m1 'Sending http request' "$tmp/diag.log" || true)
  R[diag.sha]=$(sed -n "s/.*'X-Amz-Content-SHA256': b\?'\([^']*\)'.*/\1/p" <<<"$part" | cut -c1-16 || true)
  R[diag.headers]=$(grep -oE "'[A-Za-z0-9-]+': " <<<"$part" | tr -d "': " | tr '\n' ' ' || true)
  R[diag.md5]=$(grep -q "Content-MD5" <<<"$part" && echo yes || echo no)
  R[diag.cksum]=$(grep -oiE "x-amz-checksum-[a-z0-9]+|x-amz-sdk-checksum-algorithm" <<<"$part" | sort -u | tr '\n' ' ' || true)
  echo "part 1 header names: ${R[diag.headers]:-?}" >&2
  echo "part 1 headers: x-amz-content-sha256=${R[diag.sha]:-?}… Content-MD5=${R[diag.md5]} checksum headers: ${R[diag.cksum]:-none}" >&2
  R[hash]=$(openssl speed -seconds 1 -bytes 262144 md5 sha256 2>/dev/null | awk '$1 == "md5" || $1 == "sha256" { printf "%s%s %.0f MB/s", sep, $1, $2 / 1024; sep = ", " }' || true)
  echo "openssl speed, one core, 256 KiB blocks: ${R[hash]:-?}" >&2
  echo "diagnostic upload: ${R[diag.s]} s in all; CreateMultipartUpload → CompleteMultipartUpload request ${R[diag.parts_s]:-?} s; from that request to the end ${R[diag.complete_s]:-?} s" >&2
fi

# Server logs (Warning and up)
R[scanport.log]=$(grep -cE '^(warn|fail|crit):' "$tmp/scanport.log" || true)
if [ "${R[scanport.log]}" -ne 0 ]; then
  grep -E -A3 '^(warn|fail|crit):' "$tmp/scanport.log" | grep -v '^ *at ' | head -20 >&2
  grep -qE '^(fail|crit):' "$tmp/scanport.log" && invalid+=("scanport: error lines in its log")
fi

# ---- report --------------------------------------------------------------------------------------------------
best() { # LABEL: least time over the rounds
  local r b=""
  for ((r = 1; r <= ROUNDS; r++)); do
    [ -n "${R[$1.$r.s]:-}" ] || continue
    if [ -z "$b" ] || awk -v a="${R[$1.$r.s]}" -v b="${R[$1.$b.s]}" 'BEGIN { exit !(a < b) }'; then b=$r; fi
  done
  echo "$b"
}
rate() { awk -v s="$1" -v m="$SIZE_MB" 'BEGIN { if (s > 0) printf "%.1f", m / s; else print "n/a" }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else printf "n/a" }'; }
pass() { awk -v r="$1" -v op="$2" -v t="$3" 'BEGIN { ok = (op == ">=" ? r >= t : r <= t); print (ok ? "meets" : "MISSES") }'; }
maxrss() { local r m=0; for ((r = 1; r <= ROUNDS; r++)); do m=$(awk -v a="$m" -v b="${R[$1.$r.rss_mb]:-0}" 'BEGIN { print (b > a ? b : a) }'); done; echo "$m"; }
for l in dd-fsync dd-nofsync scanport s3rver; do
  b=$(best "$l"); R[$l.best]=$b; R[$l.rate]=$(rate "${R[$l.$b.s]}")
done
sp_rss=$(maxrss scanport); s3_rss=$(maxrss s3rver)
r_dd=$(ratio "${R[scanport.rate]}" "${R[dd-fsync.rate]}")
r_ddn=$(ratio "${R[scanport.rate]}" "${R[dd-nofsync.rate]}")
r_s3=$(ratio "${R[scanport.rate]}" "${R[s3rver.rate]}")
# CPU-bound ceilings for Scanport's best round: its bytes at the CPU it took, were all $(nproc) cores free for it.
b=${R[scanport.best]}; cores=$(nproc)
ceil_all=$(awk -v m="$SIZE_MB" -v c="$cores" -v u="${R[scanport.$b.cu]}" -v s="${R[scanport.$b.cs]}" -v v="${R[scanport.$b.server_cpu]}" \
  'BEGIN { printf "%.0f", m / ((u + s + v) / c) }')
ceil_client=$(awk -v m="$SIZE_MB" -v c="$cores" -v u="${R[scanport.$b.cu]}" -v s="${R[scanport.$b.cs]}" 'BEGIN { printf "%.0f", m / ((u + s) / c) }')

row() { # LABEL WHAT
  local l=$1 b=${R[$1.best]} r all="" cpu=""
  for ((r = 1; r <= ROUNDS; r++)); do all+="${all:+, }${R[$l.$r.s]} s ($(rate "${R[$l.$r.s]}"))"; done
  for ((r = 1; r <= ROUNDS; r++)); do
    cpu+="${cpu:+; }${R[$l.$r.cu]:-?}+${R[$l.$r.cs]:-?}"
    [ -n "${R[$l.$r.server_cpu]:-}" ] && cpu+=" / ${R[$l.$r.server_user]}+${R[$l.$r.server_sys]}"
    cpu+=" / ${R[$l.$r.others]} (${R[$l.$r.busy]}%)"
  done
  printf '| %s | %s | %s | %s | %s | %s |\n' "$2" "${R[$l.$b.s]}" "${R[$l.rate]}" "$all" "$cpu" "$( [ -n "${R[$l.1.rss_mb]:-}" ] && maxrss "$l" || echo –)"
}

fs=$(df -T "$tmp" | awk 'NR == 2 { print $2 }')
{
  echo "# Storage benchmark: 1 GiB upload"
  echo
  echo "Run $(date -u '+%Y-%m-%d %H:%M UTC') by \`bench/storage/run.sh\` on $(nproc) cores" \
    "($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)), $(dotnet --version) SDK, $("$AWS" --version 2>&1 | cut -d' ' -f1,2)," \
    "s3rver $S3RVER_VERSION on node $(node --version), $(dd --version | head -1)."
  echo "Source: $SIZE_MB MiB from /dev/urandom, written once and read warm from the page cache by every run. dd, Scanport's"
  echo "data dir and s3rver's directory are in one temp dir on the same $fs filesystem; \`sync\` runs (untimed) before each run."
  echo "Uploads: \`aws s3 cp\` with aws-cli's defaults (8 MiB parts, 10 concurrent requests) and no config file, each to a fresh"
  echo "key; aws-cli, the servers and dd share the same cores. dd: \`bs=8M\`, with \`conv=fsync\` and without. Scanport is a"
  echo "Release build at log level Warning (it fsyncs every blob); s3rver does not fsync. $ROUNDS rounds, interleaved;"
  echo "the best (least time) counts. MB/s is MiB/s ($SIZE_MB / seconds). CPU: aws-cli (or dd) user+system seconds, the"
  echo "server process's, and that of every other process on the machine (not part of the benchmark: on a shared machine,"
  echo "other work competes for the $(nproc) cores), with how busy all cores were over the run. Peak RSS: VmRSS sampled every 100 ms during the server's uploads."
  echo "Load average at the start: $LOAD0; at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo
  echo "| Run | Best s | Best MB/s | All rounds: s (MB/s) | CPU s per round: client user+sys / server user+sys / rest of the machine (machine busy %) | Peak RSS MB |"
  echo "|---|---|---|---|---|---|"
  row dd-fsync "dd bs=8M conv=fsync"
  row dd-nofsync "dd bs=8M (no fsync)"
  row scanport "aws s3 cp → Scanport embedded endpoint"
  row s3rver "aws s3 cp → s3rver $S3RVER_VERSION"
  echo
  echo "| Ratio | Value | Target |"
  echo "|---|---|---|"
  echo "| Scanport / dd (fsync) | $r_dd | ≥ 0.7: $(pass "$r_dd" ">=" 0.7) |"
  echo "| Scanport / dd (no fsync) | $r_ddn | |"
  echo "| Scanport / s3rver | $r_s3 | well ahead (> 1) : $(pass "$r_s3" ">=" 1.0001) |"
  echo "| Scanport peak RSS during its uploads (MB) | $sp_rss | < 300: $(pass "$sp_rss" "<=" 299.999) |"
  echo "| s3rver peak RSS during its uploads (MB) | $s3_rss | |"
  echo "| Ceiling from CPU, aws-cli + Scanport on all $cores cores (MB/s; / dd fsync) | $ceil_all; $(ratio "$ceil_all" "${R[dd-fsync.rate]}") | |"
  echo "| Ceiling from CPU, aws-cli alone on all $cores cores (MB/s; / dd fsync) | $ceil_client; $(ratio "$ceil_client" "${R[dd-fsync.rate]}") | |"
  echo
  echo "Scanport RSS idle before the uploads: ${R[scanport.rss_idle_mb]} MB; VmHWM (peak over its life) ${R[scanport.hwm_start_mb]} MB" \
    "after start-up, ${R[scanport.hwm_end_mb]} MB after the uploads. s3rver idle: ${R[s3rver.rss_idle_mb]} MB; VmHWM after: ${R[s3rver.hwm_end_mb]} MB."
  echo "Read back (aws s3 cp download of the first upload, then cmp): Scanport ${R[scanport.cmp]} (${R[scanport.get_s]:-?} s)," \
    "s3rver ${R[s3rver.cmp]} (${R[s3rver.get_s]:-?} s). Scanport's blobs dir after all uploads: ${R[scanport.blob_mb]} MB."
  if [ "$DIAG" = 1 ]; then
    echo "Diagnostic Scanport upload with \`aws --debug\` (slower; for the split only): ${R[diag.s]} s in all;" \
      "CreateMultipartUpload up to the CompleteMultipartUpload request ${R[diag.parts_s]:-?} s, from that request to the end ${R[diag.complete_s]:-?} s."
    echo "aws-cli sends each part with x-amz-content-sha256 \`${R[diag.sha]:-?}…\` (a hex digest means the part's SHA-256 is signed and" \
      "checked by the server), Content-MD5: ${R[diag.md5]}, checksum headers: ${R[diag.cksum]:-none}. This CPU hashes (openssl speed, one core," \
      "256 KiB blocks): ${R[hash]:-?}."
  fi
  echo "Scanport log lines at Warning and up: ${R[scanport.log]}$( [ "${R[scanport.log]}" -eq 0 ] || echo " (first: $(grep -m1 -A1 -E '^(warn|fail|crit):' "$tmp/scanport.log" | sed 's/^ *//' | tr '\n' ' ' | cut -c1-200))")."
  echo "Ceilings: $SIZE_MB MiB divided by (CPU seconds of the best Scanport round / $cores cores), i.e. the rate if that CPU"
  echo "work were spread perfectly over all cores with nothing else running; the second counts aws-cli's CPU alone."
  if [ ${#invalid[@]} -eq 0 ]; then
    echo "Every upload succeeded and the data read back is byte-identical."
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

#!/usr/bin/env bash
# APS integration surface upload benchmark, in one run (about 2 to 4 minutes): the same SIZE_MB (512) MiB file, into the
# same Scanport (embedded store, its own APS cloud), each ROUNDS (2) times interleaved, the best (least time) counting:
#   - plain:       `aws s3api put-object` (Debian's aws-cli, one PUT) through the embedded S3 endpoint, with the
#                  organization's storage credentials (POST /platform/v1/storage/credentials): the reference, as
#                  bench/aps/upload.sh does it (an empty put-object is timed too, for aws-cli's own start);
#   - integration: the APS integration document's upload as its clients do it with curl: register
#                  (POST /aps/api/v1/auth/register) and log in (form) once, POST /aps/api/v1/projects once (the project's
#                  bucket is made then), then per round POST /aps/api/v1/files, multipart (file=@...;filename=*.obj,
#                  project_id), checking the answer is 201 with the file's size and status "uploaded". The type check reads
#                  the extension only; the bytes are random and nothing is translated.
# What the integration path does with the bytes: the surface reads the multipart body to a temporary file under the data
# directory (never memory), checks it, then the APS client streams that file to the project's OSS bucket in 5 MiB parts,
# each PUT to its signed URL, which here is this same server over loopback (SHA-1 of the parts computed on the way and
# compared with the one the cloud stores at completion). So the bytes are written to disk twice (temporary file, then
# the stored object) and cross loopback twice (curl to the surface, the client to OSS), against once each for plain:
# expect plain / integration well under 1 (about 0.5 if disk and loopback dominate).
# Peak RSS of the Scanport process: VmHWM is reset (/proc/PID/clear_refs, 5) before each upload and read after it, and
# VmRSS is sampled every 100 ms as well; a streamed upload keeps it near the idle RSS, far below the file's size.
# Prints the table and the ratio plain / integration and writes them to bench/aps/integration-results.md. Everything runs
# in one temp dir, removed on exit.
set -euo pipefail
cd "$(dirname "$0")/../.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

SIZE_MB=${SIZE_MB:-512}
ROUNDS=${ROUNDS:-2}
RESULTS=${RESULTS:-bench/aps/integration-results.md}
AWS=/usr/bin/aws
BASE=/aps/api/v1

ops/ensure-packages.sh awscli curl jq
command -v dotnet >/dev/null || { echo "The .NET 10 SDK is required." >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/apsi-bench.XXXXXX")
server_pid=""
sampler_pid=""
cleanup() {
  if [ -n "$sampler_pid" ]; then kill "$sampler_pid" 2>/dev/null || true; wait "$sampler_pid" 2>/dev/null || true; fi
  if [ -n "$server_pid" ]; then
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
log() { printf '\n== %s %s\n' "$(date -u +%T)" "$*" >&2; }
now() { date +%s.%N; }
declare -A R

log "Publishing Scanport (Release)"
dotnet publish src/Scanport -c Release -o "$tmp/scanport" -nologo -v quiet
log "Source file: $SIZE_MB MiB from /dev/urandom"
BYTES=$((SIZE_MB * 1024 * 1024))
head -c "$BYTES" /dev/urandom >"$tmp/source.bin"

EMAIL=bench@example.com
PASS="Bench-$RANDOM$RANDOM$RANDOM"
port=$(free_port); SP=http://127.0.0.1:$port
log "Starting Scanport on $SP"
# The document's defaults (500 MB uploads, 100 requests a minute per user) would refuse the benchmark itself.
env Bootstrap__AdminEmail=$EMAIL Bootstrap__AdminPassword="$PASS" Logging__LogLevel__Default=Warning \
  Surfaces__Aps__MaxUploadBytes=$((BYTES + 64 * 1024 * 1024)) Surfaces__Aps__RequestsPerMinutePerUser=100000 \
  Surfaces__Aps__RequestsPerMinutePerAddress=100000 \
  Scanport__DataDir="$tmp/data" ASPNETCORE_URLS="$SP" dotnet "$tmp/scanport/Scanport.dll" >"$tmp/scanport.log" 2>&1 &
server_pid=$!
for _ in $(seq 240); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "$SP/healthz" || true)" = 200 ] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$tmp/scanport.log" >&2; exit 1; }
  sleep 0.25
done

# The reference's credentials, as upload.sh gets them.
ADMIN=$(curl -sS -d grant_type=password --data-urlencode "username=$EMAIL" --data-urlencode "password=$PASS" "$SP/platform/v1/oauth/token" | jq -r .access_token)
CREDS=$(curl -sS -H "Authorization: Bearer $ADMIN" -H 'content-type: application/json' -d '{"prefix":"bench/","expires_in":3600}' "$SP/platform/v1/storage/credentials")
aws=(timeout 600 env AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_PAGER= AWS_ACCESS_KEY_ID="$(jq -r .access_key_id <<<"$CREDS")"
  AWS_SECRET_ACCESS_KEY="$(jq -r .secret_access_key <<<"$CREDS")" AWS_SESSION_TOKEN="$(jq -r .session_token <<<"$CREDS")"
  AWS_DEFAULT_REGION="$(jq -r .region <<<"$CREDS")" "$AWS" --endpoint-url "$(jq -r .endpoint_url <<<"$CREDS")")
PLAIN_BUCKET=$(jq -r .bucket <<<"$CREDS"); PLAIN_PREFIX=$(jq -r .prefix <<<"$CREDS")

# The integration document's client: an account of its own (an organization of its own), a bearer, a project.
USER_EMAIL="apsi-client-$RANDOM@example.com"
USER_PASS="Pw-$RANDOM$RANDOM-$RANDOM"
code=$(curl -sS -o "$tmp/register.json" -w '%{http_code}' -H 'content-type: application/json' \
  -d "{\"email\":\"$USER_EMAIL\",\"password\":\"$USER_PASS\",\"full_name\":\"Bench Client\"}" "$SP$BASE/auth/register")
[ "$code" = 201 ] || { echo "register answered $code: $(cat "$tmp/register.json")" >&2; exit 1; }
TOKEN=$(curl -sS --data-urlencode "username=$USER_EMAIL" --data-urlencode "password=$USER_PASS" "$SP$BASE/auth/login" | jq -r .access_token)
[ -n "$TOKEN" ] && [ "$TOKEN" != null ] || { echo "no bearer from $BASE/auth/login" >&2; exit 1; }
code=$(curl -sS -o "$tmp/project.json" -w '%{http_code}' -H "Authorization: Bearer $TOKEN" -H 'content-type: application/json' \
  -d '{"name":"Upload benchmark","description":"bench/aps/integration.sh"}' "$SP$BASE/projects")
[ "$code" = 201 ] || { echo "project answered $code: $(cat "$tmp/project.json")" >&2; exit 1; }
PROJECT=$(jq -r .id <"$tmp/project.json")

plain() { "${aws[@]}" s3api put-object --bucket "$PLAIN_BUCKET" --key "${PLAIN_PREFIX}plain-$1.bin" --body "$tmp/source.bin" >/dev/null; }
: >"$tmp/empty.bin"
plain_empty() { "${aws[@]}" s3api put-object --bucket "$PLAIN_BUCKET" --key "${PLAIN_PREFIX}empty-$1.bin" --body "$tmp/empty.bin" >/dev/null; }
integration() {
  local out="$tmp/file-$1.json" code
  code=$(curl -sS -o "$out" -w '%{http_code}' -H "Authorization: Bearer $TOKEN" \
    -F "file=@$tmp/source.bin;filename=bench-$1.obj;type=application/octet-stream" -F "project_id=$PROJECT" "$SP$BASE/files")
  [ "$code" = 201 ] || { echo "upload $1 answered $code: $(cat "$out")" >&2; return 1; }
  [ "$(jq -r .size <"$out")" = "$BYTES" ] && [ "$(jq -r .status <"$out")" = uploaded ] && [ "$(jq -r .project_id <"$out")" = "$PROJECT" ] ||
    { echo "upload $1: unexpected answer $(cat "$out")" >&2; return 1; }
}

kb() { awk -v f="$1" '$1 == f ":" { print $2 }' "/proc/$server_pid/status"; }
mb() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$server_pid/stat"; }
max() { awk -v a="${1:-0}" -v b="$2" 'BEGIN { print (b > a ? b : a) }'; }
# timed LABEL CMD...: the best time, the server's peak RSS (VmHWM reset before; VmRSS sampled) and CPU, over the rounds.
timed() {
  local label=$1 t0 t1 c0 hwm sampled reset=no; shift
  sync
  echo 5 >"/proc/$server_pid/clear_refs" 2>/dev/null && reset=yes
  (while :; do kb VmRSS; sleep 0.1; done >"$tmp/rss-$label") & sampler_pid=$!
  c0=$(cpu_ticks); t0=$(now)
  "$@"
  t1=$(now)
  kill "$sampler_pid"; wait "$sampler_pid" 2>/dev/null || true; sampler_pid=""
  hwm=$(kb VmHWM); sampled=$(sort -n "$tmp/rss-$label" | tail -1)
  R[$label]=$(awk -v a="$t0" -v b="$t1" -v o="${R[$label]:-1e9}" 'BEGIN { t = b - a; printf "%.3f", (t < o ? t : o) }')
  R[$label.cpu]=$(awk -v c="$(( $(cpu_ticks) - c0 ))" -v hz="$(getconf CLK_TCK)" -v o="${R[$label.cpu]:-1e9}" 'BEGIN { t = c / hz; printf "%.2f", (t < o ? t : o) }')
  [ "$reset" = yes ] && R[$label.hwm]=$(max "${R[$label.hwm]:-0}" "$hwm")
  R[$label.rss]=$(max "${R[$label.rss]:-0}" "${sampled:-0}")
  echo "$label $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }') s (best ${R[$label]} s), server peak RSS $(mb "${R[$label.hwm]:-$sampled}") MB" >&2
}

cat "$tmp/source.bin" >/dev/null
R[idle]=$(kb VmRSS)
for ((round = 1; round <= ROUNDS; round++)); do
  log "Round $round of $ROUNDS"
  timed plain_empty plain_empty "$round"
  timed plain plain "$round"
  timed integration integration "$round"
done
R[after]=$(kb VmRSS)
left=$(find "$tmp/data/tmp/uploads" -type f 2>/dev/null | wc -l)
[ "$left" = 0 ] || { echo "$left temporary upload files were left behind" >&2; exit 1; }
listed=$(curl -sS -H "Authorization: Bearer $TOKEN" "$SP$BASE/files?project_id=$PROJECT&limit=100" | jq '[.items[] | select(.size == '"$BYTES"')] | length')
[ "$listed" = "$ROUNDS" ] || { echo "$BASE/files lists $listed files of $BYTES bytes, not $ROUNDS" >&2; exit 1; }

ratio() { awk -v a="${R[plain]}" -v b="$1" 'BEGIN { printf "%.2f", a / b }'; }
net() { awk -v a="${R[plain]}" -v e="${R[plain_empty]}" -v b="$1" 'BEGIN { printf "%.2f", (a - e) / b }'; }
mibs() { awk -v s="$1" -v m="$SIZE_MB" 'BEGIN { printf "%.0f", m / s }'; }
peak() { if [ -n "${R[$1.hwm]:-}" ]; then mb "${R[$1.hwm]}"; else echo "–"; fi; }
{
  echo "# APS integration upload (POST $BASE/files) vs plain S3 PUT ($(date -u +%F), ${SIZE_MB} MiB, best of $ROUNDS, $(nproc) cores)"
  echo
  echo "| upload | seconds | MiB/s | plain / this | (plain - aws-cli start) / this | server CPU s | server peak RSS MB (VmHWM) | server peak RSS MB (VmRSS every 100 ms) |"
  echo "|---|---|---|---|---|---|---|---|"
  echo "| aws-cli start: put-object of an empty file | ${R[plain_empty]} | | | | ${R[plain_empty.cpu]} | $(peak plain_empty) | $(mb "${R[plain_empty.rss]}") |"
  echo "| plain: aws s3api put-object through the embedded endpoint | ${R[plain]} | $(mibs "${R[plain]}") | 1.00 | | ${R[plain.cpu]} | $(peak plain) | $(mb "${R[plain.rss]}") |"
  echo "| integration: curl multipart POST $BASE/files (.obj), 201 | ${R[integration]} | $(mibs "${R[integration]}") | $(ratio "${R[integration]}") | $(net "${R[integration]}") | ${R[integration.cpu]} | $(peak integration) | $(mb "${R[integration.rss]}") |"
  echo
  echo "plain / integration = $(ratio "${R[integration]}") (expected well under 1: the surface writes the bytes to a temporary file, then" \
    "streams them in 5 MiB signed parts to OSS over loopback, so they are written twice and sent twice)."
  echo "Scanport RSS idle before the uploads: $(mb "${R[idle]}") MB, after them: $(mb "${R[after]}") MB; the file is ${SIZE_MB} MiB."
  echo "Peak RSS: VmHWM reset (clear_refs 5) before each upload and read after it, the highest over the rounds; CPU: the server's user+sys, the least over the rounds."
  echo "Every integration upload answered 201 with the file's size and status uploaded (the APS client compares its SHA-1 with the one OSS stores);" \
    "the file list shows all $ROUNDS, and no temporary upload file was left behind."
} | tee "$RESULTS"

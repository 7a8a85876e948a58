#!/usr/bin/env bash
# APS OSS signed-upload benchmark, in one run (about 2 to 4 minutes): the same SIZE_MB (1024) MiB file, into the same
# Scanport (embedded store), each ROUNDS (2) times interleaved, the best (least time) counting:
#   - plain:  `aws s3api put-object` (Debian's aws-cli, one PUT) through the embedded S3 endpoint, with the organization's
#             storage credentials (POST /platform/v1/storage/credentials): the reference;
#   - signed: APS's signed S3 upload as a client does it with curl: GET .../signeds3upload?parts=1 (the presigned URL),
#             one PUT of the whole file to it, POST .../signeds3upload {uploadKey} (Scanport lists the parts, completes,
#             and computes the SHA-1 by reading the object back), the OSS object's details in the answer;
#   - signed-parts: the same with PARTS (8) part URLs, PUT by curl PARALLEL (4) at a time, then completed.
# Checks every signed upload's sha1 against sha1sum of the source. Prints the table and the ratios (plain time / signed
# time: target >= 0.8), and writes them to bench/aps/upload-results.md. Everything runs in one temp dir, removed on exit.
set -euo pipefail
cd "$(dirname "$0")/../.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

SIZE_MB=${SIZE_MB:-1024}
ROUNDS=${ROUNDS:-2}
PARTS=${PARTS:-8}
PARALLEL=${PARALLEL:-4}
RESULTS=${RESULTS:-bench/aps/upload-results.md}
AWS=/usr/bin/aws

ops/ensure-packages.sh awscli curl jq
command -v dotnet >/dev/null || { echo "The .NET 10 SDK is required." >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/aps-bench.XXXXXX")
server_pid=""
cleanup() {
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
head -c "$((SIZE_MB * 1024 * 1024))" /dev/urandom >"$tmp/source.bin"
SHA1=$(sha1sum "$tmp/source.bin" | cut -d' ' -f1)
PART_BYTES=$(( (SIZE_MB * 1024 * 1024 + PARTS - 1) / PARTS ))
split -b "$PART_BYTES" -d -a 5 "$tmp/source.bin" "$tmp/part."

EMAIL=bench@example.com
PASS="Bench-$RANDOM$RANDOM$RANDOM"
port=$(free_port); SP=http://127.0.0.1:$port
log "Starting Scanport on $SP"
env Bootstrap__AdminEmail=$EMAIL Bootstrap__AdminPassword="$PASS" Logging__LogLevel__Default=Warning \
  Scanport__DataDir="$tmp/data" ASPNETCORE_URLS="$SP" dotnet "$tmp/scanport/Scanport.dll" >"$tmp/scanport.log" 2>&1 &
server_pid=$!
for _ in $(seq 240); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "$SP/healthz" || true)" = 200 ] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$tmp/scanport.log" >&2; exit 1; }
  sleep 0.25
done

ADMIN=$(curl -sS -d grant_type=password --data-urlencode "username=$EMAIL" --data-urlencode "password=$PASS" "$SP/platform/v1/oauth/token" | jq -r .access_token)
KEY=$(curl -sS -H "Authorization: Bearer $ADMIN" -H 'content-type: application/json' -d '{"name":"bench","role":"operator"}' "$SP/platform/v1/api-keys")
APS=$(curl -sS -u "$(jq -r .id <<<"$KEY"):$(jq -r .secret <<<"$KEY")" -d grant_type=client_credentials \
  --data-urlencode "scope=bucket:create data:read data:write data:create" "$SP/authentication/v2/token" | jq -r .access_token)
[ -n "$APS" ] && [ "$APS" != null ] || { echo "no APS token" >&2; exit 1; }
BUCKET="bench-$RANDOM$RANDOM"
curl -sS -f -H "Authorization: Bearer $APS" -H 'content-type: application/json' -d "{\"bucketKey\":\"$BUCKET\",\"policyKey\":\"transient\"}" \
  "$SP/oss/v2/buckets" >/dev/null
CREDS=$(curl -sS -H "Authorization: Bearer $ADMIN" -H 'content-type: application/json' -d '{"prefix":"bench/","expires_in":3600}' "$SP/platform/v1/storage/credentials")
aws=(timeout 600 env AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_PAGER= AWS_ACCESS_KEY_ID="$(jq -r .access_key_id <<<"$CREDS")"
  AWS_SECRET_ACCESS_KEY="$(jq -r .secret_access_key <<<"$CREDS")" AWS_SESSION_TOKEN="$(jq -r .session_token <<<"$CREDS")"
  AWS_DEFAULT_REGION="$(jq -r .region <<<"$CREDS")" "$AWS" --endpoint-url "$(jq -r .endpoint_url <<<"$CREDS")")
PLAIN_BUCKET=$(jq -r .bucket <<<"$CREDS"); PLAIN_PREFIX=$(jq -r .prefix <<<"$CREDS")

plain() { "${aws[@]}" s3api put-object --bucket "$PLAIN_BUCKET" --key "${PLAIN_PREFIX}plain-$1.bin" --body "$tmp/source.bin" >/dev/null; }
# aws-cli's own start (Python, botocore) with an empty body: what the plain PUT pays that curl does not.
: >"$tmp/empty.bin"
plain_empty() { "${aws[@]}" s3api put-object --bucket "$PLAIN_BUCKET" --key "${PLAIN_PREFIX}empty-$1.bin" --body "$tmp/empty.bin" >/dev/null; }
signed() { # $1: object key, $2: parts
  local base="$SP/oss/v2/buckets/$BUCKET/objects/$1/signeds3upload" urls key i
  urls=$(curl -sS -f -H "Authorization: Bearer $APS" "$base?parts=$2&minutesExpiration=60")
  key=$(jq -r .uploadKey <<<"$urls")
  if [ "$2" = 1 ]; then
    curl -sS -f -o /dev/null -X PUT -T "$tmp/source.bin" "$(jq -r '.urls[0]' <<<"$urls")"
  else
    for ((i = 0; i < $2; i++)); do printf '%s %s\n' "$(printf '%s/part.%05d' "$tmp" "$i")" "$(jq -r ".urls[$i]" <<<"$urls")"; done |
      xargs -P "$PARALLEL" -n 2 sh -c 'curl -sS -f -o /dev/null -X PUT -T "$0" "$1"'
  fi
  curl -sS -f -H "Authorization: Bearer $APS" -H 'content-type: application/json' -d "{\"uploadKey\":\"$key\"}" "$base" >"$tmp/done-$1.json"
  [ "$(jq -r .sha1 <"$tmp/done-$1.json")" = "$SHA1" ] || { echo "sha1 mismatch for $1: $(cat "$tmp/done-$1.json")" >&2; return 1; }
}
timed() { local label=$1 t0; shift; sync; t0=$(now); "$@"; R[$label]=$(awk -v a="$t0" -v b="$(now)" -v o="${R[$label]:-1e9}" 'BEGIN { t = b - a; printf "%.3f", (t < o ? t : o) }'); }

cat "$tmp/source.bin" >/dev/null
for ((round = 1; round <= ROUNDS; round++)); do
  log "Round $round of $ROUNDS"
  timed plain_empty plain_empty "$round"; echo "plain-empty  ${R[plain_empty]} s (best so far)" >&2
  timed plain plain "$round"; echo "plain        ${R[plain]} s (best so far)" >&2
  timed signed signed "one-$round.bin" 1; echo "signed       ${R[signed]} s (best so far)" >&2
  timed signed_parts signed "parts-$round.bin" "$PARTS"; echo "signed-parts ${R[signed_parts]} s (best so far)" >&2
done

ratio() { awk -v a="${R[plain]}" -v b="$1" 'BEGIN { printf "%.2f", a / b }'; }
net() { awk -v a="${R[plain]}" -v e="${R[plain_empty]}" -v b="$1" 'BEGIN { printf "%.2f", (a - e) / b }'; }
mbs() { awk -v s="$1" -v m="$SIZE_MB" 'BEGIN { printf "%.0f", m / s }'; }
{
  echo "# APS OSS signed upload vs plain S3 PUT ($(date -u +%F), ${SIZE_MB} MiB, best of $ROUNDS, $(nproc) cores)"
  echo
  echo "| upload | seconds | MiB/s | plain / this | (plain - aws-cli start) / this |"
  echo "|---|---|---|---|---|"
  echo "| aws-cli start: put-object of an empty file | ${R[plain_empty]} | | | |"
  echo "| plain: aws s3api put-object through the embedded endpoint | ${R[plain]} | $(mbs "${R[plain]}") | 1.00 | |"
  echo "| signed: signeds3upload parts=1, curl PUT, complete (server SHA-1) | ${R[signed]} | $(mbs "${R[signed]}") | $(ratio "${R[signed]}") | $(net "${R[signed]}") |"
  echo "| signed-parts: $PARTS part URLs, curl $PARALLEL at a time, complete | ${R[signed_parts]} | $(mbs "${R[signed_parts]}") | $(ratio "${R[signed_parts]}") | $(net "${R[signed_parts]}") |"
  echo
  echo "Target: plain / signed >= 0.8. Every signed upload's sha1 was checked against sha1sum of the source."
} | tee "$RESULTS"

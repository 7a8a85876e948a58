#!/usr/bin/env bash
# The APS cloud's three costs, each next to its reference in the same run (about 5 minutes):
#   1. upload:      OSS's signed S3 upload of SIZE_MB (1 GiB): GET signeds3upload for PART_MB parts, one PUT per part to
#                   the presigned URLs, POST signeds3upload {uploadKey} (the server lists the parts, completes, hashes
#                   the object for its sha1, records it) — against one plain S3 PUT of the same bytes to a presigned URL of
#                   the same embedded endpoint. Both clients are one curl process reading the same file from the page
#                   cache. Target (issue 11): plain / signed >= 0.8.
#   2. translation: a Model Derivative job (POST job with x-ads-force, then GET manifest every 50 ms until success) on a
#                   generated OBJ of TRIANGLES triangles in GROUPS groups — against `assimp export` of the same file to
#                   glb2, the converter the job runs, typed by hand. Target: job / by hand <= 1.1.
#   3. polling:     GET manifest of a translated model at 1, 10 and 100 connections (wrk, POLL_S seconds each):
#                   latency percentiles and throughput; flat means p50 grows with the queue of connections, not faster.
# ROUNDS (3) rounds of 1 and 2, the order swapped each round; medians count. Scanport is published (Release) and
# started on a free port over a fresh data directory, as ./run starts it. Writes bench/aps/results.md (RESULTS=...).
# Needs: curl jq wrk assimp-utils python3-boto3 bc (installed when missing).
set -euo pipefail
cd "$(dirname "$0")/../.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

SIZE_MB=${SIZE_MB:-1024}
PART_MB=${PART_MB:-64}
ROUNDS=${ROUNDS:-3}
TRIANGLES=${TRIANGLES:-1000000}
GROUPS_N=${GROUPS:-100}
POLL_S=${POLL_S:-10}
RESULTS=${RESULTS:-bench/aps/results.md}
PY=/usr/bin/python3   # Debian's, with python3-boto3

ops/ensure-packages.sh curl jq wrk assimp-utils python3-boto3 bc
command -v dotnet >/dev/null || { echo "The .NET 10 SDK is required." >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/aps-bench.XXXXXX")
server=
cleanup() {
  local rc=$?
  if [ "$rc" -ne 0 ] && [ -f "$tmp/server.log" ]; then echo "failed ($rc); the server's log ends:" >&2; tail -20 "$tmp/server.log" >&2; fi
  if [ -n "$server" ]; then kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
log() { printf '\n== %s %s\n' "$(date -u +%T)" "$*" >&2; }
now() { date +%s.%N; }
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {printf "%.3f\n", (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
ratio() { echo "scale=3; $1 / $2" | bc; }
fail() { echo "$*" >&2; exit 1; }

# ---- a running Scanport, an API key, an APS token, a bucket (not timed) ----------------------------------------
log "Publishing Scanport (Release) and starting it"
dotnet publish src/Scanport -c Release -o "$tmp/app" --nologo -v quiet >&2
port=$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
admin_password="Bench-$RANDOM$RANDOM$RANDOM"
Scanport__DataDir="$tmp/data" Bootstrap__AdminEmail=admin@bench.test Bootstrap__AdminPassword="$admin_password" \
  Logging__LogLevel__Default=Warning dotnet "$tmp/app/Scanport.dll" --contentRoot "$tmp/app" --urls "$base" >"$tmp/server.log" 2>&1 &
server=$!
for _ in $(seq 240); do curl -fs "$base/healthz" >/dev/null && break; sleep 0.5; done
curl -fsS "$base/healthz" >/dev/null
platform=$(curl -fsS -d grant_type=password -d username=admin@bench.test --data-urlencode "password=$admin_password" \
  "$base/platform/v1/oauth/token" | jq -r .access_token)
key=$(curl -fsS -H "Authorization: Bearer $platform" -H 'Content-Type: application/json' -d '{"name":"aps bench","role":"admin"}' \
  "$base/platform/v1/api-keys")
client_id=$(jq -r .id <<<"$key"); client_secret=$(jq -r .secret <<<"$key")
aps_token() {
  curl -fsS -u "$client_id:$client_secret" -d grant_type=client_credentials \
    --data-urlencode "scope=data:read data:write data:create bucket:create bucket:read viewables:read" \
    "$base/authentication/v2/token" | jq -r .access_token
}
token=$(aps_token)
call() { curl -fsS -H "Authorization: Bearer $token" "$@"; }
bucket="bench-$RANDOM$RANDOM"
call -H 'Content-Type: application/json' -d "{\"bucketKey\":\"$bucket\",\"policyKey\":\"persistent\"}" "$base/oss/v2/buckets" >/dev/null

# The plain PUT's URL: a presigned PUT of the embedded endpoint, made with boto3 from the platform's storage credentials.
call_platform() { curl -fsS -H "Authorization: Bearer $platform" "$@"; }
creds=$(call_platform -H 'Content-Type: application/json' -d '{"prefix":"bench/","expires_in":3600}' "$base/platform/v1/storage/credentials")
presign_put() { # $1: key under the credentials' prefix
  CREDS=$creds KEY=$1 $PY - <<'EOF'
import json, os, boto3
from botocore.config import Config
c = json.loads(os.environ["CREDS"])
s3 = boto3.client("s3", endpoint_url=c["endpoint_url"], region_name=c["region"], aws_access_key_id=c["access_key_id"],
                  aws_secret_access_key=c["secret_access_key"], aws_session_token=c["session_token"],
                  config=Config(signature_version="s3v4", s3={"addressing_style": "path"}))
print(s3.generate_presigned_url("put_object", Params={"Bucket": c["bucket"], "Key": c["prefix"] + os.environ["KEY"]}, ExpiresIn=3600))
EOF
}

# ---- 1. upload ----------------------------------------------------------------------------------------------------
log "Source: $SIZE_MB MiB from /dev/urandom, in $PART_MB MiB parts"
head -c "$((SIZE_MB * 1024 * 1024))" /dev/urandom >"$tmp/source.bin"
mkdir "$tmp/parts" && split -b "${PART_MB}M" -d -a 4 "$tmp/source.bin" "$tmp/parts/p"
parts=("$tmp"/parts/p*)
cat "$tmp/source.bin" "${parts[@]}" >/dev/null
source_sha1=$(sha1sum "$tmp/source.bin" | cut -d' ' -f1)

plain_upload() { # $1: round; prints seconds
  local url t0; url=$(presign_put "plain-$1.bin"); sync; t0=$(now)
  curl -fsS -o /dev/null -T "$tmp/source.bin" "$url"
  echo "$(now) - $t0" | bc
}
signed_upload() { # $1: round; prints seconds, checks the sha1 the server recorded
  local object="signed-$1.bin" t0 answer args=() i=0 done
  sync; t0=$(now)
  answer=$(call "$base/oss/v2/buckets/$bucket/objects/$object/signeds3upload?parts=${#parts[@]}&minutesExpiration=60")
  for p in "${parts[@]}"; do args+=(-T "$p" "$(jq -r ".urls[$i]" <<<"$answer")"); i=$((i + 1)); done
  curl -fsS -o /dev/null "${args[@]}"
  done=$(call -H 'Content-Type: application/json' -d "{\"uploadKey\":\"$(jq -r .uploadKey <<<"$answer")\"}" \
    "$base/oss/v2/buckets/$bucket/objects/$object/signeds3upload")
  echo "$(now) - $t0" | bc
  local sha1; sha1=$(call "$base/oss/v2/buckets/$bucket/objects/$object/details" | jq -r .sha1)
  [ "$sha1" = "$source_sha1" ] || fail "the signed upload's sha1 is $sha1, the file's $source_sha1 (completion said: $done)"
}

# ---- 2. translation -------------------------------------------------------------------------------------------------
log "Model: an OBJ of $TRIANGLES triangles in $GROUPS_N groups"
$PY - "$tmp/model.obj" "$TRIANGLES" "$GROUPS_N" <<'EOF'
import math, sys
path, triangles, groups = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
side = max(1, int(math.sqrt(triangles / 2 / groups)))  # quads per side of each group's grid
with open(path, "w") as f:
    base = 1
    for g in range(groups):
        f.write(f"g part_{g:04d}\n")
        ox = (g % 10) * (side + 2)
        oy = (g // 10) * (side + 2)
        for y in range(side + 1):
            for x in range(side + 1):
                f.write(f"v {ox + x} {oy + y} {math.sin((ox + x) * 0.1) * math.cos((oy + y) * 0.1):.4f}\n")
        for y in range(side):
            for x in range(side):
                a = base + y * (side + 1) + x
                f.write(f"f {a} {a + 1} {a + side + 2}\nf {a} {a + side + 2} {a + side + 1}\n")
        base += (side + 1) ** 2
EOF
model_bytes=$(stat -c %s "$tmp/model.obj")
answer=$(call "$base/oss/v2/buckets/$bucket/objects/model.obj/signeds3upload")
curl -fsS -o /dev/null -T "$tmp/model.obj" "$(jq -r '.urls[0]' <<<"$answer")"
object_id=$(call -H 'Content-Type: application/json' -d "{\"uploadKey\":\"$(jq -r .uploadKey <<<"$answer")\"}" \
  "$base/oss/v2/buckets/$bucket/objects/model.obj/signeds3upload" | jq -r .objectId)
urn=$(printf '%s' "$object_id" | base64 -w0 | tr '+/' '-_' | tr -d '=')

translate() { # prints seconds from the POST to the first manifest that says success
  local t0 status
  t0=$(now)
  call -H 'Content-Type: application/json' -H 'x-ads-force: true' \
    -d "{\"input\":{\"urn\":\"$urn\"},\"output\":{\"formats\":[{\"type\":\"svf2\",\"views\":[\"3d\"]}]}}" \
    "$base/modelderivative/v2/designdata/job" >/dev/null
  while :; do
    status=$(call "$base/modelderivative/v2/designdata/$urn/manifest" | jq -r .status)
    case "$status" in success) break ;; failed | timeout) fail "the translation ended $status" ;; esac
    sleep 0.05
  done
  echo "$(now) - $t0" | bc
}
by_hand() {
  local t0; t0=$(now)
  assimp export "$tmp/model.obj" "$tmp/by-hand.glb" -f glb2 >/dev/null
  echo "$(now) - $t0" | bc
}

declare -a plain signed job hand
log "Warm-up: one of each"
plain_upload 0 >/dev/null; signed_upload 0 >/dev/null; translate >/dev/null; by_hand >/dev/null
for r in $(seq "$ROUNDS"); do
  log "Round $r of $ROUNDS"
  if [ $((r % 2)) -eq 1 ]; then
    plain+=("$(plain_upload "$r")"); signed+=("$(signed_upload "$r")"); job+=("$(translate)"); hand+=("$(by_hand)")
  else
    signed+=("$(signed_upload "$r")"); plain+=("$(plain_upload "$r")"); hand+=("$(by_hand)"); job+=("$(translate)")
  fi
  echo "plain ${plain[-1]} s, signed ${signed[-1]} s, job ${job[-1]} s, by hand ${hand[-1]} s" >&2
done

# ---- 3. polling -----------------------------------------------------------------------------------------------------
cat >"$tmp/poll.lua" <<EOF
wrk.headers["Authorization"] = "Bearer $token"
local bad = 0
function response(status) if status ~= 200 then bad = bad + 1 end end
function done(summary, latency)
  io.write(string.format("RESULT rps=%.1f p50=%.3f p90=%.3f p99=%.3f errors=%d non200=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
end
EOF
declare -A poll
for c in 1 10 100; do
  log "Polling the manifest at $c connection(s), ${POLL_S}s"
  threads=$((c < 2 ? 1 : 2))
  wrk -t"$threads" -c"$c" -d"${POLL_S}s" --timeout 10s --latency -s "$tmp/poll.lua" "$base/modelderivative/v2/designdata/$urn/manifest" >"$tmp/wrk-$c.txt"
  poll[$c]=$(grep '^RESULT' "$tmp/wrk-$c.txt" | sed 's/^RESULT //')
  grep -q 'errors=0 non200=0' <<<"${poll[$c]}" || fail "polling at $c connections had errors: ${poll[$c]}"
  echo "$c: ${poll[$c]}" >&2
done
field() { sed -n "s/.*$2=\([0-9.]*\).*/\1/p" <<<"${poll[$1]}"; }

# ---- results --------------------------------------------------------------------------------------------------------
m_plain=$(median "${plain[@]}"); m_signed=$(median "${signed[@]}"); m_job=$(median "${job[@]}"); m_hand=$(median "${hand[@]}")
{
  echo "# APS cloud benchmark"
  echo
  echo "$(date -u +%F), $(nproc) cores, $(git rev-parse --short HEAD). Medians of $ROUNDS rounds after a warm-up; the load"
  echo "generators run on the same cores as Scanport. $(curl --version | head -1 | cut -d' ' -f1,2), $(wrk -v 2>&1 | head -1 | cut -d' ' -f1,2), assimp $(assimp version 2>/dev/null | grep -o 'Version [0-9.]*' | head -1)."
  echo
  echo "| measure | Scanport | reference | ratio | target |"
  echo "|---|---|---|---|---|"
  echo "| upload of $SIZE_MB MiB: signed S3 upload ($PART_MB MiB parts) vs one presigned PUT, s | $m_signed | $m_plain | $(ratio "$m_plain" "$m_signed") (plain / signed) | >= 0.8 |"
  echo "| translation of an OBJ ($TRIANGLES triangles, $GROUPS_N groups, $((model_bytes / 1048576)) MiB): job vs assimp export by hand, s | $m_job | $m_hand | $(ratio "$m_job" "$m_hand") (job / by hand) | <= 1.1 |"
  echo
  echo "Rounds (s): plain ${plain[*]}; signed ${signed[*]}; job ${job[*]}; by hand ${hand[*]}."
  echo
  echo "Manifest polling (GET manifest of a translated model, ${POLL_S}s each):"
  echo
  echo "| connections | requests/s | p50 ms | p90 ms | p99 ms |"
  echo "|---|---|---|---|---|"
  for c in 1 10 100; do echo "| $c | $(field $c rps) | $(field $c p50) | $(field $c p90) | $(field $c p99) |"; done
  echo
  echo "p50 at 100 connections / p50 at 1, against the 100x queue: $(ratio "$(field 100 p50)" "$(field 1 p50)")."
} | tee "$RESULTS"

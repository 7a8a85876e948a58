#!/usr/bin/env bash
# Model Derivative in a running Scanport, next to its reference in the same run (about 3 minutes; the OSS upload has
# its own bench, bench/aps/upload.sh):
#   1. translation: a job (POST job with x-ads-force, then GET manifest every 50 ms until success) on a generated OBJ of
#                   TRIANGLES triangles in MODEL_GROUPS groups, uploaded through OSS's signed S3 upload — against
#                   `assimp export` of the same file to glb2, the converter the job runs, typed by hand. The job also
#                   reads assimp's output, builds the object tree and properties, draws three thumbnails and stores
#                   everything. ROUNDS (3) rounds after a warm-up, the order swapped each round; medians count.
#                   Target (issue 11): job / by hand <= 1.1.
#   2. polling:     GET manifest of the translated model at 1, 10 and 100 connections (wrk, POLL_S seconds each):
#                   latency percentiles and throughput; flat means p50 grows no faster than the queue of connections.
# Scanport is published (Release) and started on a free port over a fresh data directory, as ./run starts it.
# Writes bench/aps/translation-results.md (RESULTS=...). Needs: curl jq wrk assimp-utils bc (installed when missing).
set -euo pipefail
cd "$(dirname "$0")/../.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

ROUNDS=${ROUNDS:-3}
TRIANGLES=${TRIANGLES:-1000000}
GROUPS_N=${MODEL_GROUPS:-100}
POLL_S=${POLL_S:-10}
RESULTS=${RESULTS:-bench/aps/translation-results.md}
PY=/usr/bin/python3

ops/ensure-packages.sh curl jq wrk assimp-utils bc
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

# ---- 1. translation -------------------------------------------------------------------------------------------------
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

declare -a job hand
log "Warm-up: one of each"
translate >/dev/null; by_hand >/dev/null
for r in $(seq "$ROUNDS"); do
  log "Round $r of $ROUNDS"
  if [ $((r % 2)) -eq 1 ]; then
    job+=("$(translate)"); hand+=("$(by_hand)")
  else
    hand+=("$(by_hand)"); job+=("$(translate)")
  fi
  echo "job ${job[-1]} s, by hand ${hand[-1]} s" >&2
done

# ---- 2. polling -----------------------------------------------------------------------------------------------------
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
m_job=$(median "${job[@]}"); m_hand=$(median "${hand[@]}")
{
  echo "# Model Derivative benchmark"
  echo
  echo "$(date -u +%F), $(nproc) cores, $(git rev-parse --short HEAD). Medians of $ROUNDS rounds after a warm-up; the load"
  echo "generators run on the same cores as Scanport. $(curl --version | head -1 | cut -d' ' -f1,2), $(wrk -v 2>&1 | head -1 | cut -d' ' -f1,2), assimp $(assimp version 2>/dev/null | grep -o 'Version [0-9.]*' | head -1)."
  echo
  echo "| measure | Scanport | reference | ratio | target |"
  echo "|---|---|---|---|---|"
  echo "| translation of an OBJ ($TRIANGLES triangles, $GROUPS_N groups, $((model_bytes / 1048576)) MiB): job vs assimp export by hand, s | $m_job | $m_hand | $(ratio "$m_job" "$m_hand") (job / by hand) | <= 1.1 |"
  echo
  echo "Rounds (s): job ${job[*]}; by hand ${hand[*]}."
  echo
  echo "Manifest polling (GET manifest of a translated model, ${POLL_S}s each):"
  echo
  echo "| connections | requests/s | p50 ms | p90 ms | p99 ms |"
  echo "|---|---|---|---|---|"
  for c in 1 10 100; do echo "| $c | $(field $c rps) | $(field $c p50) | $(field $c p90) | $(field $c p99) |"; done
  echo
  echo "p50 at 100 connections / p50 at 1, against the 100x queue: $(ratio "$(field 100 p50)" "$(field 1 p50)")."
} | tee "$RESULTS"

#!/usr/bin/env bash
# Console benchmark, in one run (about 3 to 5 minutes):
#   1. Initial JavaScript of the sign-in and project pages: the scripts index.html loads (its module and modulepreloads),
#      gzip -9, against the issue's 150 kB; and the chunks each viewer page fetches when opened (three.js only there).
#   2. Point clouds: a LAZ of POINTS (10,000,000) points made by make-laz.mjs from ../shared/data's Autzen sample, uploaded
#      as a ScanAce snapshot (aws-cli with the snapshot's credentials, commit, ingestion) into a running Scanport
#      (published in Release, embedded store). Then ROUNDS (3) interleaved rounds of:
#        - reference: laz-perf (the npm package and WASM the viewer runs) decoding every point in Node, read from the
#          file's presigned URL (decode-node.mjs): time to the first point and to the last;
#        - console: the point-cloud page loaded in Debian's Chromium (headless, SwiftShader WebGL) by a signed-in person
#          (bench/Scanport.Bench.Console, Playwright), its marks pointcloud:first-points and pointcloud:all-points read
#          once the viewer says data-state=ready: from the navigation's start, so they include loading the app, asking for
#          the URL, downloading, decoding in the worker and handing the points to three.js.
#      Best of the rounds counts; ratio console / reference for all points (target ≤ 1.3).
# Writes the table to bench/console/results.md (and with SCREENSHOT=path.png the viewer's page as the last round left it).
# Everything runs in one temp dir, removed on exit.
set -euo pipefail
cd "$(dirname "$0")/../.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

POINTS=${POINTS:-10000000}
ROUNDS=${ROUNDS:-3}
RESULTS=${RESULTS:-bench/console/results.md}
SOURCE=${SOURCE:-../shared/data/pointclouds/autzen_trim.laz}
SCREENSHOT=${SCREENSHOT:-}

ops/ensure-packages.sh awscli curl jq chromium gzip
command -v dotnet >/dev/null || { echo "The .NET 10 SDK is required." >&2; exit 1; }
tools/console-build.sh

tmp=$(mktemp -d "${TMPDIR:-/tmp}/console-bench.XXXXXX")
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
gz() { gzip -9 -c "$1" | wc -c; }
kb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1000 }'; }

log "1. Initial JavaScript (console/dist)"
dist=console/dist
initial=$(grep -oE '(src|href)="/console/assets/[^"]+\.js"' "$dist/index.html" | sed -E 's/^(src|href)="\/console\///; s/"$//' | sort -u)
initial_bytes=0
for f in $initial; do initial_bytes=$((initial_bytes + $(gz "$dist/$f"))); done
echo "initial scripts: $initial ($(kb "$initial_bytes") kB gzip)" >&2
# A lazy page's chunk and the chunks it imports statically (import statements naming ./x.js), transitively.
chunk_closure() {
  local todo=("$@") seen=" " f
  while [ ${#todo[@]} -gt 0 ]; do
    f=${todo[0]}; todo=("${todo[@]:1}")
    [[ $seen == *" $f "* ]] && continue
    seen+="$f "
    for g in $(grep -oE 'from"\./[^"]+\.js"|import"\./[^"]+\.js"' "$dist/assets/$f" | sed -E 's/^(from|import)"\.\///; s/"$//'); do todo+=("$g"); done
  done
  echo "$seen"
}
declare -A LAZY
for page in PointCloudPage ModelPage SessionPage BodyScanPage JobPage; do
  main=$(cd "$dist/assets" && ls $page-*.js 2>/dev/null | head -1) || true
  [ -n "$main" ] || continue
  bytes=0
  for f in $(chunk_closure "$main"); do
    [[ " $initial " == *" assets/$f "* ]] && continue
    bytes=$((bytes + $(gz "$dist/assets/$f")))
  done
  LAZY[$page]=$bytes
  echo "$page: $(kb "$bytes") kB gzip more when opened" >&2
done

log "Publishing Scanport and the browser driver (Release)"
dotnet publish src/Scanport -c Release -o "$tmp/scanport" -nologo -v quiet
dotnet build bench/Scanport.Bench.Console -c Release -o "$tmp/driver" -nologo -v quiet

log "2. A LAZ of $POINTS points"
node bench/console/make-laz.mjs "$SOURCE" "$tmp/cloud.laz" "$POINTS" | tee "$tmp/made.txt" >&2
points=$(sed -E 's/.*points=([0-9]+).*/\1/' "$tmp/made.txt")
file_mb=$(awk -v b="$(stat -c %s "$tmp/cloud.laz")" 'BEGIN { printf "%.1f", b / 1048576 }')

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

TOKEN=$(curl -sS -d grant_type=password --data-urlencode "username=$EMAIL" --data-urlencode "password=$PASS" "$SP/platform/v1/oauth/token" | jq -r .access_token)
api() { curl -sS --fail-with-body -H "Authorization: Bearer $TOKEN" -H 'content-type: application/json' "$@"; }
PROJECT=$(api -d '{"name":"Console benchmark","cloud_only":true}' "$SP/platform/v1/projects")
PID=$(jq -r .id <<<"$PROJECT"); OID=$(jq -r .object_id <<<"$PROJECT")
SNAP=$(api -d '{"name":"Autzen x91","utm_zone_nr":10,"utm_hemisphere":"N"}' "$SP/scanace/projects/$OID/snapshots" | jq -r .data.id)
CREDS=$(api "$SP/scanace/snapshots/$SNAP/s3-upload-credentials" | jq .data)
KEY="$(jq -r .s3_prefix <<<"$CREDS")cloud.laz"
log "Uploading the snapshot ($file_mb MiB) and waiting for ingestion"
timeout 600 env AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_PAGER= \
  AWS_ACCESS_KEY_ID="$(jq -r .access_key_id <<<"$CREDS")" AWS_SECRET_ACCESS_KEY="$(jq -r .access_key_secret <<<"$CREDS")" \
  AWS_SESSION_TOKEN="$(jq -r .session_token <<<"$CREDS")" AWS_DEFAULT_REGION="$(jq -r .region <<<"$CREDS")" \
  /usr/bin/aws --endpoint-url "$(jq -r .endpoint_url <<<"$CREDS")" s3 cp --only-show-errors "$tmp/cloud.laz" "s3://$(jq -r .bucket <<<"$CREDS")/$KEY"
api -d "{\"laz_s3_key\":\"$KEY\"}" "$SP/scanace/snapshots/$SNAP/commit" >/dev/null
for _ in $(seq 600); do
  status=$(api "$SP/scanace/snapshots/$SNAP" | jq -r .data.status)
  [ "$status" = ready ] && break
  [ "$status" = failed ] && { api "$SP/scanace/snapshots/$SNAP" >&2; exit 1; }
  sleep 0.5
done
[ "$(api "$SP/scanace/snapshots/$SNAP" | jq -r .data.point_cloud.point_count)" = "$points" ] || { echo "ingestion read another point count" >&2; exit 1; }

best() { sort -n | head -1; }
: >"$tmp/node.jsonl"; : >"$tmp/browser.jsonl"
for ((round = 1; round <= ROUNDS; round++)); do
  log "Round $round of $ROUNDS"
  url=$(api "$SP/platform/v1/projects/$PID/files/$SNAP/url" | jq -r .url)
  node bench/console/decode-node.mjs "$url" console/node_modules/laz-perf | tee -a "$tmp/node.jsonl" >&2
  dotnet "$tmp/driver/Scanport.Bench.Console.dll" "$SP" "$EMAIL" "$PASS" "/console/projects/$PID/point-clouds/$SNAP" --rounds 1 \
    --chromium "$(command -v chromium)" ${SCREENSHOT:+--screenshot "$(realpath -m "$SCREENSHOT")"} | tee -a "$tmp/browser.jsonl" >&2
done
declare -A R
R[node.first]=$(jq -r .first_ms "$tmp/node.jsonl" | best)
R[node.all]=$(jq -r .all_ms "$tmp/node.jsonl" | best)
R[browser.first]=$(jq -r '.marks["pointcloud:first-points"]' "$tmp/browser.jsonl" | best)
R[browser.all]=$(jq -r '.marks["pointcloud:all-points"]' "$tmp/browser.jsonl" | best)
loaded=$(jq -r '.attributes["data-points-loaded"]' "$tmp/browser.jsonl" | tail -1)
total=$(jq -r '.attributes["data-points-total"]' "$tmp/browser.jsonl" | tail -1)
[ "$loaded" = "$points" ] && [ "$total" = "$points" ] || { echo "the viewer loaded $loaded of $total points, not $points" >&2; exit 1; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
s() { awk -v ms="$1" 'BEGIN { printf "%.2f", ms / 1000 }'; }

{
  echo "# Console benchmark"
  echo
  echo "$(date -u +%F), $(nproc) cores, $(node --version), $(chromium --version 2>/dev/null | head -1). \`bench/console/run.sh\`, best of $ROUNDS rounds."
  echo
  echo "## Initial JavaScript (gzip -9)"
  echo
  echo "| what | kB | target |"
  echo "|---|---|---|"
  echo "| sign-in and project pages: $(echo $initial | tr ' ' ',') | $(kb "$initial_bytes") | ≤ 150 |"
  for page in "${!LAZY[@]}"; do echo "| $page, fetched when opened | $(kb "${LAZY[$page]}") | |"; done
  echo
  echo "## A LAZ of $points points ($file_mb MiB), first and all points"
  echo
  echo "| | first points (s) | all points (s) |"
  echo "|---|---|---|"
  echo "| laz-perf in Node (fetch + decode) | $(s "${R[node.first]}") | $(s "${R[node.all]}") |"
  echo "| console viewer in Chromium (from navigation) | $(s "${R[browser.first]}") | $(s "${R[browser.all]}") |"
  echo "| ratio console / Node | $(ratio "${R[browser.first]}" "${R[node.first]}") | $(ratio "${R[browser.all]}" "${R[node.all]}") (target ≤ 1.3) |"
} | tee "$RESULTS"

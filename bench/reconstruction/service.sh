#!/usr/bin/env bash
# The reconstruction API's two jobs in a running Scanport, each next to the same commands typed by hand, in one run:
#   frames:         POST /files/extract-frames (orbit-30.mp4, one frame every 0.1 s: its 30 frames) vs the identical
#                   ffmpeg command on the same video;
#   reconstruction: POST /projects/{id}/start-reconstruction?quality=low vs the same five COLMAP commands (feature_extractor,
#                   sequential_matcher, mapper, model_converter, poisson_mesher) on the same frames.
# Scanport is published (Release) and started on a free port over a fresh data directory, as ./run starts it; the
# bench registers a user, makes a project and uploads the video through the API (not timed). Each job is timed two
# ways: the job's own wall time (completed_at - started_at from GET /jobs/{id}: what the worker spent, fetching its
# inputs from the object store and storing its outputs included) and the client's (from the POST to the job's end event
# on the project's WebSocket: queueing included). ROUNDS (5) rounds after WARMUP (2) jobs of each kind, the order swapped each round; medians count.
# Targets (issue 5): job / by hand ≤ 1.05 for both. Writes bench/reconstruction/service-results.md.
# Needs root or the packages: ffmpeg colmap curl jq bc nodejs.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${ROUNDS:-5}
WARMUP=${WARMUP:-2}
QUALITY=low
INTERVAL=0.1
video=$(cd ../shared/data/scenes && pwd)/orbit-30.mp4
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

ops/ensure-packages.sh ffmpeg colmap curl jq bc nodejs
tmp=$(mktemp -d "${TMPDIR:-/tmp}/service-bench.XXXXXX")
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
fmt() { printf '%.3f ' "$@" | sed 's/ $//'; }
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {printf "%.3f\n", (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
ratio() { echo "scale=3; $1 / $2" | bc; }
seconds() { date -d "$1" +%s.%N; }

# ---- a running Scanport (not timed) ------------------------------------------------------------------------------
log "Publishing Scanport (Release) and starting it"
dotnet publish src/Scanport -c Release -o "$tmp/app" --nologo -v quiet >&2
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
Scanport__DataDir="$tmp/data" Bootstrap__AdminEmail=admin@bench.test Bootstrap__AdminPassword=bench-admin-password \
  dotnet "$tmp/app/Scanport.dll" --contentRoot "$tmp/app" --urls "http://127.0.0.1:$port" >"$tmp/server.log" 2>&1 &
server=$!
for _ in $(seq 240); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.5; done
curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null
api="http://127.0.0.1:$port/api/v1"
curl -fsS -H 'Content-Type: application/json' -d '{"username":"bench","email":"bench@bench.test","password":"Orbit-Thirty-Frames9"}' "$api/auth/register" >/dev/null
token=$(curl -fsS -d username=bench -d password=Orbit-Thirty-Frames9 "$api/auth/token" | jq -r .access_token)
call() { curl -fsS -H "Authorization: Bearer $token" "$@"; }
project=$(call -H 'Content-Type: application/json' -d '{"name":"orbit-30"}' "$api/projects" | jq .id)
call -F "project_id=$project" -F "file=@$video;type=video/mp4" "$api/files/upload/video" >/dev/null
cat "$video" >/dev/null

# Starts a job and waits for its end on the project's WebSocket, as an API client would (a poll's curl and jq would
# compete with the job for the cores); prints "id job-wall client-wall" (seconds). $@: the POST's curl arguments.
# The job's wall time is the server's own timestamps (GET /jobs/{id} once it has ended).
node_ws=(node); node -e 'if (typeof WebSocket !== "function") process.exit(1)' 2>/dev/null || node_ws=(node --experimental-websocket)
run_job() {
  local fd line t0 id event done_at job
  exec {fd}< <("${node_ws[@]}" bench/reconstruction/wait-job.mjs "ws://127.0.0.1:$port/ws/jobs/$project" "$token")
  read -r -u "$fd" line; [ "$line" = connected ] || { echo "the job socket did not connect: $line" >&2; exit 1; }
  t0=$(now)
  id=$(call "$@" | jq .job_id)
  read -r -u "$fd" event; done_at=$(now)
  exec {fd}<&-
  [ "$(jq .job_id <<<"$event")" = "$id" ] || { echo "an event of another job: $event" >&2; exit 1; }
  job=$(call "$api/jobs/$id")
  [ "$(jq -r .status <<<"$job")" = completed ] || { echo "job $id did not complete: $job" >&2; exit 1; }
  echo "$id $(fmt "$(echo "$(seconds "$(jq -r .completed_at <<<"$job")") - $(seconds "$(jq -r .started_at <<<"$job")")" | bc)" "$(echo "$done_at - $t0" | bc)")"
}

# The commands the jobs run (FrameExtractor.Arguments; ColmapPipeline at low, sequential), written out by hand.
filters="fps=1/$INTERVAL,scale=w='min(iw,1920)':h='min(ih,1920)':force_original_aspect_ratio=decrease"
hand_frames() { # $1: output dir
  ffmpeg -nostdin -v error -protocol_whitelist file -f mov -i "file:$video" -map 0:V:0 -vf "$filters" \
    -frames:v 300 -q:v 2 -f image2 "file:$1/frame_%06d.jpg" -progress pipe:1 -nostats >/dev/null
}
hand_colmap() { # $1: work dir (frames in $1/images, the job's points-with-normals in $1/points.ply)
  local w=$1 db=$1/colmap/database.db
  mkdir -p "$w/colmap/sparse" "$w/colmap/model"
  ( cd "$w/colmap"
    colmap feature_extractor --database_path "$db" --image_path "$w/images" --ImageReader.camera_model SIMPLE_RADIAL --ImageReader.single_camera 1 --SiftExtraction.use_gpu 0 --SiftExtraction.max_image_size 800 --SiftExtraction.max_num_features 1024 --SiftExtraction.first_octave 0 --SiftExtraction.estimate_affine_shape 0 --SiftExtraction.domain_size_pooling 0
    colmap sequential_matcher --database_path "$db" --SequentialMatching.overlap 5 --SequentialMatching.quadratic_overlap 1 --SiftMatching.use_gpu 0 --SiftMatching.guided_matching 0
    colmap mapper --database_path "$db" --image_path "$w/images" --output_path "$w/colmap/sparse"
    colmap model_converter --input_path "$w/colmap/sparse/0" --output_path "$w/colmap/model" --output_type TXT
    colmap poisson_mesher --input_path "$w/points.ply" --output_path "$w/mesh.ply" --PoissonMeshing.depth 8 --PoissonMeshing.trim 5
  ) >"$w.log" 2>&1
}

declare -a fj fc fh rj rc rh rid fid
api_frames() {
  local id job client
  read -r id job client < <(run_job -d "project_id=$project" -d "interval=$INTERVAL" "$api/files/extract-frames"); fj+=("$job"); fc+=("$client"); fid+=("$id")
  echo "frames job: $job s (client $client s)" >&2
}
by_hand_frames() {
  local out="$tmp/frames-$1" t0 t1
  rm -rf "$out"; mkdir -p "$out"; sync
  t0=$(now); hand_frames "$out"; t1=$(now)
  fh+=("$(fmt "$(echo "$t1 - $t0" | bc)")"); echo "ffmpeg by hand: ${fh[-1]} s" >&2
}
api_reconstruction() {
  local id job client
  read -r id job client < <(run_job -X POST "$api/projects/$project/start-reconstruction?quality=$QUALITY"); rj+=("$job"); rc+=("$client"); rid+=("$id")
  echo "reconstruction job: $job s (client $client s)" >&2
  [ -f "$tmp/points.ply" ] || call -o "$tmp/points.ply" "$api/files/download/$project/point_cloud"
}
by_hand_colmap() {
  local w="$tmp/hand-$1" t0 t1
  rm -rf "$w" "$w.log"; mkdir -p "$w"; cp -r "$tmp/frames-$1" "$w/images"; cp "$tmp/points.ply" "$w/points.ply"; sync
  t0=$(now); hand_colmap "$w"; t1=$(now)
  rh+=("$(fmt "$(echo "$t1 - $t0" | bc)")"); echo "COLMAP by hand: ${rh[-1]} s" >&2
}

# ---- timed runs -------------------------------------------------------------------------------------------------
# A fresh process spends seconds of CPU on its first jobs (JIT, tiering, EF Core compiling each query once), CPU that
# COLMAP would otherwise have: measured at 7.3, 3.4, 2.0, 1.4 and 1.2 CPU-s in the server during its first five
# reconstructions. A service has run jobs before; the warm-up jobs stand for that.
log "Warm-up: $WARMUP frames jobs and $WARMUP reconstructions (not counted)"
for ((w = 1; w <= WARMUP; w++)); do api_frames; api_reconstruction; done
fj=(); fc=(); rj=(); rc=(); rid=(); fid=()
for ((r = 1; r <= ROUNDS; r++)); do
  if ((r % 2 == 1)); then
    log "Round $r of $ROUNDS: Scanport, then by hand"; api_frames; by_hand_frames "$r"; api_reconstruction; by_hand_colmap "$r"
  else
    log "Round $r of $ROUNDS: by hand, then Scanport"; by_hand_frames "$r"; api_frames; by_hand_colmap "$r"; api_reconstruction
  fi
done

# ---- checks -----------------------------------------------------------------------------------------------------
call -o "$tmp/frames.zip" "$api/files/download/$project/frames"
mkdir "$tmp/job-frames" && (cd "$tmp/job-frames" && python3 -m zipfile -e "$tmp/frames.zip" .)
identical=$(diff -q <(cd "$tmp/job-frames" && md5sum frame_*.jpg) <(cd "$tmp/frames-1" && md5sum frame_*.jpg) >/dev/null && echo yes || echo NO)
project_json=$(call "$api/projects/$project")
registered=$(jq .processed_frames <<<"$project_json"); total=$(jq .total_frames <<<"$project_json")
hand_registered=$(colmap model_analyzer --path "$tmp/hand-1/colmap/sparse/0" 2>&1 | sed -n 's/.*Registered images: *//p')

# The job's own COLMAP commands ("<command> exited 0 after N s" in its log): what is left of the job is Scanport's work.
declare -a rsteps
for id in "${rid[@]}"; do
  rsteps+=("$(call "$api/jobs/$id/logs" | jq -r '.logs[]' | sed -nE 's/^[^ ]+ [a-z_]+ exited 0 after ([0-9.]+) s$/\1/p' | paste -sd+ | bc)")
done
call "$api/jobs/${rid[0]}/logs" | jq -r '.logs[]' | grep -E 'exited|registered|^[^ ]+ COLMAP' >&2 || true
# The frames job's ffmpeg step: from its "extracting" line (video fetched, ffmpeg starting) to "ffmpeg wrote" (frames on disk).
declare -a fsteps
for id in "${fid[@]}"; do
  logs=$(call "$api/jobs/$id/logs" | jq -r '.logs[]')
  a=$(grep -m1 ' extracting a frame' <<<"$logs" | cut -d' ' -f1); b=$(grep -m1 ' ffmpeg wrote' <<<"$logs" | cut -d' ' -f1)
  fsteps+=("$(fmt "$(echo "$(seconds "$b") - $(seconds "$a")" | bc)")")
done
mfs=$(median "${fsteps[@]}")

# ---- report -----------------------------------------------------------------------------------------------------
mfj=$(median "${fj[@]}"); mfc=$(median "${fc[@]}"); mfh=$(median "${fh[@]}")
mrj=$(median "${rj[@]}"); mrc=$(median "${rc[@]}"); mrh=$(median "${rh[@]}")
verdict() { [ "$(echo "$1 <= 1.05" | bc)" = 1 ] && echo meets || echo misses; }
out=bench/reconstruction/service-results.md
{
  echo "# The reconstruction API's jobs in a running Scanport vs the same commands by hand"
  echo
  echo "Run $(date -u '+%Y-%m-%d %H:%M') UTC by \`bench/reconstruction/service.sh\` on $(nproc) cores ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)),"
  echo "$(dotnet --version) SDK, $(ffmpeg -version | head -1 | cut -d' ' -f1-3), $(colmap -h 2>&1 | grep -m1 '^COLMAP' | sed 's/ -- .*//') (Debian, CPU)."
  echo "Scanport published in Release and started as \`./run\` starts it (embedded: SQLite, the embedded object store), one"
  echo "user, one project, orbit-30.mp4 uploaded through the API. $ROUNDS rounds after $WARMUP warm-up jobs of each kind, the order swapped each"
  echo "round; medians count. Job: \`completed_at - started_at\` of \`GET /jobs/{id}\` (the worker's time: inputs fetched from"
  echo "the object store, outputs stored). Client: from the POST to the job's end event on the project's WebSocket (a client"
  echo "asleep on the socket, taking no CPU from the job)."
  echo "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo
  echo "| Work | Scanport job, s | Client's view, s | By hand, s | Job / by hand | Target |"
  echo "|---|---|---|---|---|---|"
  echo "| Frames: 30 from orbit-30.mp4 (one every $INTERVAL s) | $mfj | $mfc | $mfh | $(ratio "$mfj" "$mfh") | ≤ 1.05: $(verdict "$(ratio "$mfj" "$mfh")") |"
  echo "| … of which its ffmpeg step (log stamps) | $mfs | | $mfh | $(ratio "$mfs" "$mfh") | |"
  echo "| Reconstruction at $QUALITY (30 frames) | $mrj | $mrc | $mrh | $(ratio "$mrj" "$mrh") | ≤ 1.05: $(verdict "$(ratio "$mrj" "$mrh")") |"
  echo
  echo "| Rounds | Scanport job, s | Client's view, s | By hand, s |"
  echo "|---|---|---|---|"
  echo "| Frames | ${fj[*]} | ${fc[*]} | ${fh[*]} |"
  echo "| Reconstruction | ${rj[*]} | ${rc[*]} | ${rh[*]} |"
  echo "| Frames job's ffmpeg step (log stamps) | ${fsteps[*]} | | |"
  echo "| Reconstruction job's COLMAP commands (sum from its log) | ${rsteps[*]} | | |"
  echo
  echo "By hand: ffmpeg \`-protocol_whitelist file -f mov -i file:VIDEO -map 0:V:0 -vf \"$filters\" -frames:v 300 -q:v 2 -f image2\`"
  echo "(the job's command); COLMAP's feature_extractor, sequential_matcher, mapper, model_converter and poisson_mesher with the"
  echo "\`low\` preset's options on the by-hand frames (poisson_mesher on the job's points-with-normals PLY). Normal estimation,"
  echo "the coloured glTF, the object-store transfers and the job bookkeeping are Scanport's only."
  echo "Frames of the job and by hand byte-identical: $identical. Registered: $registered of $total frames (job), $hand_registered (by hand)."
} >"$out"
cat "$out"

#!/usr/bin/env bash
# COLMAP reconstruction benchmark, in one run (about 4 to 8 minutes on 2 cores): the 30 orbit-30 frames reconstructed
#   - by Scanport: bench/Scanport.Bench.Colmap runs ColmapPipeline as the reconstruction job does (COLMAP commands
#     through ProcessRunner with every line logged and parsed for progress, sparse model read back, normals
#     estimated, Poisson mesh, mesh coloured from the frames and written as glTF binary). It runs twice in one process:
#     the "cold" first job (.NET start, JIT and the COLMAP capability probe included, as the first job of a freshly
#     started service) and then the timed "job", as every later job of a long-lived service runs;
#   - by hand: a plain shell script running the same COLMAP commands with the same options one after another
#     (feature_extractor, sequential_matcher, mapper, model_converter to TXT, poisson_mesher). The normals are not a
#     COLMAP command: the by-hand poisson_mesher meshes the points-with-normals PLY of Scanport's first job, so the
#     by-hand path leaves out exactly what Scanport adds (normal estimation, colouring, glTF, process and log handling).
# The commands Scanport logged ("$ colmap ...") are compared with the by-hand ones, paths replaced by placeholders: the
# run stops if they differ. The preset is low (the CI preset; the by-hand commands spell out its options). ROUNDS (5)
# rounds, interleaved, the order swapped every round; frames warm in the page cache. Both sides time each COLMAP
# command, so Scanport's own work (its job time less its COLMAP commands) is reported apart from the COLMAP commands'
# run-to-run noise. Writes the tables to bench/reconstruction/colmap-results.md. Everything runs in one temp dir
# (TMPDIR, else /tmp), removed on exit.
set -euo pipefail
cd "$(dirname "$0")/../.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 QT_QPA_PLATFORM=offscreen

ROUNDS=${ROUNDS:-5}
QUALITY=low
RESULTS=${RESULTS:-bench/reconstruction/colmap-results.md}
SCENE=../shared/data/scenes/orbit-30

ops/ensure-packages.sh colmap bc
command -v dotnet >/dev/null || { echo "The .NET 10 SDK is required." >&2; exit 1; }
[ -d "$SCENE" ] || { echo "The scene frames ($SCENE) are missing." >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/colmap-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
log() { printf '\n== %s %s\n' "$(date -u +%T)" "$*" >&2; }
now() { date +%s.%N; }
field() { tr ' ' '\n' | sed -n "s/^$1=//p" | head -1; }
steps() { sed -nE 's/^[a-z_]+ exited 0 after ([0-9.]+) s$/\1/p' "$1"; } # Scanport's "<command> exited 0 after N s"

# ---- preparation (not timed) -----------------------------------------------------------------------------------
log "Building bench/Scanport.Bench.Colmap (Release)"
dotnet build bench/Scanport.Bench.Colmap -c Release -o "$tmp/bench" -nologo -v quiet >&2
frames="$tmp/frames"
mkdir -p "$frames"
cp "$SCENE"/frame_*.jpg "$frames/"
cat "$frames"/*.jpg >/dev/null

# ---- the by-hand path: preset low's options, as ColmapCommands builds them ----------------------------------------
hand_commands() { # $1: work dir; prints one command a line
  local w=$1 db=$1/colmap/database.db
  cat <<EOF
colmap feature_extractor --database_path $db --image_path $frames --ImageReader.camera_model SIMPLE_RADIAL --ImageReader.single_camera 1 --SiftExtraction.use_gpu 0 --SiftExtraction.max_image_size 800 --SiftExtraction.max_num_features 1024 --SiftExtraction.first_octave 0 --SiftExtraction.estimate_affine_shape 0 --SiftExtraction.domain_size_pooling 0
colmap sequential_matcher --database_path $db --SequentialMatching.overlap 5 --SequentialMatching.quadratic_overlap 1 --SiftMatching.use_gpu 0 --SiftMatching.guided_matching 0
colmap mapper --database_path $db --image_path $frames --output_path $w/colmap/sparse
colmap model_converter --input_path $w/colmap/sparse/0 --output_path $w/colmap/model --output_type TXT
colmap poisson_mesher --input_path $w/points.ply --output_path $w/mesh.ply --PoissonMeshing.depth 8 --PoissonMeshing.trim 5
EOF
}

# ---- timed runs -------------------------------------------------------------------------------------------------
declare -a s_job s_cold s_steps s_step_list h_wall h_steps h_step_list s_line
run_scanport() {
  local w="$tmp/scanport-$1"
  rm -rf "$w" "$w-warmup" "$w.log"; sync
  dotnet "$tmp/bench/Scanport.Bench.Colmap.dll" "$frames" "$w" --quality "$QUALITY" --sequential --log "$w.log" --warm >"$w.out"
  s_cold+=("$(grep '^run=cold' "$w.out" | field since_start)")
  s_job+=("$(grep '^run=job' "$w.out" | field seconds)"); s_line+=("$(grep '^run=job' "$w.out")")
  s_steps+=("$(steps "$w.log" | paste -sd+ | bc)"); s_step_list+=("$(steps "$w.log" | paste -sd' ')")
  echo "Scanport: cold ${s_cold[-1]} s, job ${s_job[-1]} s" >&2
  [ -f "$tmp/points.ply" ] || cp "$w/points.ply" "$tmp/points.ply"
  [ -f "$tmp/scanport.log" ] || cp "$w.log" "$tmp/scanport.log"
}
run_by_hand() {
  local w="$tmp/hand-$1" t0 t1
  rm -rf "$w" "$w.log"; mkdir -p "$w/colmap/sparse" "$w/colmap/model"; cp "$tmp/points.ply" "$w/points.ply"
  # A plain script; each command timed by bash's own time keyword (no extra process), its output to a log file.
  { echo 'set -e'; echo "TIMEFORMAT='%R'"; echo "cd '$w/colmap'"
    hand_commands "$w" | sed "s|.*|{ time & </dev/null >>'$w.log' 2>\\&1; } 2>>'$w.times'|"; } >"$w.sh"
  sync
  t0=$(now); bash "$w.sh"; t1=$(now)
  h_wall+=("$(echo "$t1 - $t0" | bc)")
  h_steps+=("$(paste -sd+ "$w.times" | bc)"); h_step_list+=("$(paste -sd' ' "$w.times")")
  echo "by hand: ${h_wall[-1]} s" >&2
  [ -f "$tmp/hand-analysis" ] || { colmap model_analyzer --path "$w/colmap/sparse/0" >"$tmp/hand-analysis" 2>&1 || true; }
}
for ((r = 1; r <= ROUNDS; r++)); do
  if ((r % 2 == 1)); then
    log "Round $r of $ROUNDS: Scanport, then by hand"; run_scanport "$r"; run_by_hand "$r"
  else
    log "Round $r of $ROUNDS: by hand, then Scanport"; run_by_hand "$r"; run_scanport "$r"
  fi
done

# ---- checks -----------------------------------------------------------------------------------------------------
log "Comparing Scanport's COLMAP commands with the by-hand ones"
grep '^\$ colmap ' "$tmp/scanport.log" | sed -e 's/^\$ //' -e "s#$tmp/scanport-1#WORK#g" -e "s#$frames#FRAMES#g" >"$tmp/cmd-scanport"
hand_commands "$tmp/hand" | sed -e "s#$tmp/hand#WORK#g" -e "s#$frames#FRAMES#g" >"$tmp/cmd-hand"
diff "$tmp/cmd-scanport" "$tmp/cmd-hand" >&2 || { echo "Scanport ran other COLMAP commands than the by-hand path: fix hand_commands." >&2; exit 1; }
hand_registered=$(sed -n 's/.*Registered images: *//p' "$tmp/hand-analysis")
hand_points=$(sed -n 's/.*Points: *//p' "$tmp/hand-analysis")

# ---- report -----------------------------------------------------------------------------------------------------
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
best() { printf '%s\n' "$@" | sort -g | head -1; }
fmt() { printf '%.2f' "$1"; }
ratio_list() { local -n a=$1 b=$2; local k; for k in "${!a[@]}"; do echo "${a[$k]} / ${b[$k]}" | bc -l; done; }
mapfile -t job_ratios < <(ratio_list s_job h_wall)
mapfile -t cold_ratios < <(ratio_list s_cold h_wall)
own=(); for k in "${!s_job[@]}"; do own+=("$(echo "${s_job[$k]} - ${s_steps[$k]}" | bc -l)"); done
job_ratio=$(printf '%.3f' "$(median "${job_ratios[@]}")")
cold_ratio=$(printf '%.3f' "$(median "${cold_ratios[@]}")")
own_ratio=$(printf '%.3f' "$(echo "1 + $(median "${own[@]}") / $(median "${h_wall[@]}")" | bc -l)")
verdict=$( (($(echo "$job_ratio <= 1.05" | bc))) && echo meets || echo MISSES)
list() { local out="" v; for v in "$@"; do out+="$(fmt "$v"), "; done; echo "${out%, }"; }
list3() { local out="" v; for v in "$@"; do out+="$(printf '%.3f' "$v"), "; done; echo "${out%, }"; }

{
  echo "# COLMAP reconstruction benchmark: orbit-30, quality $QUALITY"
  echo
  echo "Run $(date -u '+%Y-%m-%d %H:%M') UTC by \`bench/reconstruction/colmap.sh\` on $(nproc) cores ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)),"
  echo "$(dotnet --version) SDK, $(colmap -h 2>&1 | grep -m1 '^COLMAP' | sed 's/ -- .*//') (Debian, CPU), 30 frames of 640x480 warm in the page cache."
  echo "Scanport: \`Scanport.Bench.Colmap --warm\` runs \`ColmapPipeline\` at \`$QUALITY\` (sequential) twice in one process: the cold"
  echo "first job (from the program's start: JIT and the one \`colmap -h\` capability probe included) and the job (its"
  echo "\`Elapsed\`, the \`processing_time\` a job reports), as in a running service. By hand: a bash script of the same five"
  echo "COLMAP commands with the same options (feature_extractor, sequential_matcher, mapper, model_converter TXT,"
  echo "poisson_mesher on the points-with-normals PLY of Scanport's first job), wall time of the whole script; normal"
  echo "estimation, mesh colouring and the glTF are Scanport's only. Commands compared: identical. $ROUNDS rounds,"
  echo "interleaved, order swapped each round. Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) (the cores are shared)."
  echo
  echo "| Run | Median s | Best s | All rounds, s |"
  echo "|---|---|---|---|"
  echo "| Scanport job (COLMAP + normals + mesh + coloured glTF) | $(fmt "$(median "${s_job[@]}")") | $(fmt "$(best "${s_job[@]}")") | $(list "${s_job[@]}") |"
  echo "| Scanport cold first job (+ .NET start, JIT, probe) | $(fmt "$(median "${s_cold[@]}")") | $(fmt "$(best "${s_cold[@]}")") | $(list "${s_cold[@]}") |"
  echo "| Same COLMAP commands by hand | $(fmt "$(median "${h_wall[@]}")") | $(fmt "$(best "${h_wall[@]}")") | $(list "${h_wall[@]}") |"
  echo
  echo "| Ratio | Median of the rounds | Each round | Target |"
  echo "|---|---|---|---|"
  echo "| Scanport job / by hand | $job_ratio | $(list3 "${job_ratios[@]}") | ≤ 1.05: $verdict |"
  echo "| Scanport cold first job / by hand | $cold_ratio | $(list3 "${cold_ratios[@]}") | |"
  echo "| 1 + Scanport's own work (job less its COLMAP commands: $(list "${own[@]}") s) / by hand | $own_ratio | | |"
  echo
  echo "| Round | Scanport job's COLMAP commands, s (sum) | By hand, s (sum) |"
  echo "|---|---|---|"
  for k in "${!s_job[@]}"; do echo "| $((k + 1)) | ${s_step_list[$k]} ($(fmt "${s_steps[$k]}")) | ${h_step_list[$k]} ($(fmt "${h_steps[$k]}")) |"; done
  echo
  echo "Commands in order: feature_extractor, sequential_matcher, mapper, model_converter, poisson_mesher."
  echo "Scanport's job (first round): \`${s_line[0]}\`. By hand (first round): $hand_registered images registered, $hand_points points."
} | tee "$RESULTS"

#!/usr/bin/env bash
# COLMAP reconstruction benchmark, in one run (about 4 to 6 minutes on 2 cores): the 30 orbit-30 frames reconstructed
#   - by Scanport: bench/Scanport.Bench.Colmap runs ColmapPipeline as the reconstruction job does (one .NET process:
#     runtime start, COLMAP commands through ExternalProcess with every line logged and parsed for progress, sparse
#     model read back, normals estimated, Poisson mesh, mesh coloured from the frames and written as glTF binary);
#   - by hand: this script runs the same COLMAP commands with the same options one after another (feature_extractor,
#     sequential_matcher, mapper, model_converter to TXT, poisson_mesher). The normals are not a COLMAP command: the
#     by-hand poisson_mesher meshes the points-with-normals PLY of Scanport's first run, so the by-hand path leaves out
#     exactly what Scanport adds (normal estimation, colouring, glTF, .NET start, process and log handling).
# The commands Scanport logged ("$ colmap ...") are compared with this script's, paths replaced by placeholders: the
# run stops if they differ. The preset is low (the CI preset; the by-hand commands spell out its options). ROUNDS (3)
# rounds, interleaved, the order swapped every round;
# frames warm in the page cache. Reports every round's wall time, the best of each and the ratios, and writes them to
# bench/reconstruction/colmap-results.md. Everything runs in one temp dir (TMPDIR, else /tmp), removed on exit.
set -euo pipefail
cd "$(dirname "$0")/../.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 QT_QPA_PLATFORM=offscreen

ROUNDS=${ROUNDS:-3}
QUALITY=low
RESULTS=${RESULTS:-bench/reconstruction/colmap-results.md}
SCENE=../shared/data/scenes/orbit-30

ops/ensure-packages.sh colmap bc time
command -v dotnet >/dev/null || { echo "The .NET 10 SDK is required." >&2; exit 1; }
[ -d "$SCENE" ] || { echo "The scene frames ($SCENE) are missing." >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/colmap-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
log() { printf '\n== %s %s\n' "$(date -u +%T)" "$*" >&2; }
now() { date +%s.%N; }
field() { sed -n "s/.* $1=\\([^ ]*\\).*/\\1/p; s/^$1=\\([^ ]*\\).*/\\1/p" | head -1; }

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
by_hand() { # $1: work dir (fresh), with points.ply already there; the commands become a plain shell script
  mkdir -p "$1/colmap/sparse" "$1/colmap/model"
  # Each command timed by bash's own time keyword (no extra process), its output to the log as Scanport's goes to its log.
  { echo 'set -e'; echo "TIMEFORMAT='%R'"; echo "cd '$1/colmap'"
    hand_commands "$1" | sed "s|.*|{ time & </dev/null >>'$1.log' 2>\\&1; } 2>>'$1.times'|"; } >"$1.sh"
  bash "$1.sh"
}
scanport() { # $1: work dir (absent)
  dotnet "$tmp/bench/Scanport.Bench.Colmap.dll" "$frames" "$1" --quality "$QUALITY" --sequential --log "$1.log"
}
timed() { # $1: file for wall, user+system seconds; rest: command (a function of this script, run by a child bash)
  local out=$1; shift
  /usr/bin/time -f '%e %U %S' -o "$out" bash -c "$(declare -f hand_commands by_hand scanport); tmp='$tmp' frames='$frames' QUALITY='$QUALITY'; $*"
}

# ---- timed runs -------------------------------------------------------------------------------------------------
declare -a s_wall s_cpu s_steps s_step_list h_wall h_cpu h_steps h_step_list s_line
run_scanport() {
  local w="$tmp/scanport-$1" e u s
  rm -rf "$w" "$w.log"; sync
  timed "$tmp/t" "scanport '$w' >'$w.out'"
  read -r e u s <"$tmp/t"; s_wall+=("$e"); s_cpu+=("$(echo "$u + $s" | bc)"); s_line+=("$(cat "$w.out")")
  # Scanport logs "<command> exited 0 after N s" for each COLMAP command: the rest of its wall time is its own work.
  s_steps+=("$(sed -nE 's/^[a-z_]+ exited 0 after ([0-9.]+) s$/\1/p' "$w.log" | paste -sd+ | bc)")
  s_step_list+=("$(sed -nE 's/^[a-z_]+ exited 0 after ([0-9.]+) s$/\1/p' "$w.log" | paste -sd' ')")
  echo "Scanport: $e s (cpu $(echo "$u + $s" | bc) s): $(cat "$w.out")" >&2
  [ -f "$tmp/points.ply" ] || cp "$w/points.ply" "$tmp/points.ply"
  [ -f "$tmp/scanport.log" ] || cp "$w.log" "$tmp/scanport.log"
}
run_by_hand() {
  local w="$tmp/hand-$1" e u s
  rm -rf "$w" "$w.log"; mkdir -p "$w"; cp "$tmp/points.ply" "$w/points.ply"; sync
  timed "$tmp/t" "by_hand '$w'"
  read -r e u s <"$tmp/t"; h_wall+=("$e"); h_cpu+=("$(echo "$u + $s" | bc)")
  h_steps+=("$(paste -sd+ "$w.times" | bc)"); h_step_list+=("$(paste -sd' ' "$w.times")")
  echo "by hand: $e s (cpu $(echo "$u + $s" | bc) s)" >&2
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
best() { printf '%s\n' "$@" | sort -g | head -1; }
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
fmt() { printf '%.1f' "$1"; }
sb=$(best "${s_wall[@]}"); hb=$(best "${h_wall[@]}")
sm=$(median "${s_wall[@]}"); hm=$(median "${h_wall[@]}")
ratios=(); for k in "${!s_wall[@]}"; do ratios+=("$(echo "${s_wall[$k]} / ${h_wall[$k]}" | bc -l)"); done
cpu_ratios=(); for k in "${!s_cpu[@]}"; do cpu_ratios+=("$(echo "${s_cpu[$k]} / ${h_cpu[$k]}" | bc -l)"); done
cpu_ratio=$(printf '%.3f' "$(median "${cpu_ratios[@]}")")
ratio_best=$(printf '%.3f' "$(echo "$sb / $hb" | bc -l)")
ratio_median=$(printf '%.3f' "$(median "${ratios[@]}")")
# Scanport's own work (its wall time less the COLMAP commands it ran), over the by-hand COLMAP time: the overhead
# with the COLMAP commands' own run-to-run noise (other load on the shared cores) taken out.
own=(); for k in "${!s_wall[@]}"; do own+=("$(echo "${s_wall[$k]} - ${s_steps[$k]}" | bc -l)"); done
own_median=$(median "${own[@]}")
own_ratio=$(printf '%.3f' "$(echo "1 + $own_median / $(median "${h_wall[@]}")" | bc -l)")
verdict=$( (($(echo "$ratio_median <= 1.05" | bc))) && echo meets || echo MISSES)
rounds() { local -n w=$1 c=$2; local out="" k; for k in "${!w[@]}"; do out+="$(fmt "${w[$k]}") s (cpu $(fmt "${c[$k]}") s), "; done; echo "${out%, }"; }
pairs() { local out="" v; for v in "${ratios[@]}"; do out+="$(printf '%.3f' "$v"), "; done; echo "${out%, }"; }

{
  echo "# COLMAP reconstruction benchmark: orbit-30, quality $QUALITY"
  echo
  echo "Run $(date -u '+%Y-%m-%d %H:%M') UTC by \`bench/reconstruction/colmap.sh\` on $(nproc) cores ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)),"
  echo "$(dotnet --version) SDK, $(colmap -h 2>&1 | grep -m1 '^COLMAP' | sed 's/ -- .*//') (Debian, CPU), 30 frames of 640x480 warm in the page cache."
  echo "Scanport: \`Scanport.Bench.Colmap\` (one process, .NET start included) running \`ColmapPipeline\` at \`$QUALITY\`, sequential."
  echo "By hand: the same five COLMAP commands with the same options from bash (feature_extractor, sequential_matcher,"
  echo "mapper, model_converter TXT, poisson_mesher on the points-with-normals PLY of Scanport's first run); not included"
  echo "there: normal estimation, mesh colouring and the glTF, which only Scanport does. Commands compared: identical."
  echo "$ROUNDS rounds, interleaved, order swapped each round. Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) (the cores are shared)."
  echo
  echo "| Run | Best wall s | Median wall s | Median CPU s | All rounds |"
  echo "|---|---|---|---|---|"
  echo "| Scanport pipeline (COLMAP + normals + mesh + coloured glTF) | $(fmt "$sb") | $(fmt "$sm") | $(fmt "$(median "${s_cpu[@]}")") | $(rounds s_wall s_cpu) |"
  echo "| Same COLMAP commands by hand | $(fmt "$hb") | $(fmt "$hm") | $(fmt "$(median "${h_cpu[@]}")") | $(rounds h_wall h_cpu) |"
  echo
  echo "| Ratio | Value | Target |"
  echo "|---|---|---|"
  echo "| Scanport / by hand, median of the rounds' ratios | $ratio_median | ≤ 1.05: $verdict |"
  echo "| Scanport / by hand, best against best | $ratio_best | |"
  echo "| Each round's ratio | $(pairs) | |"
  echo "| Scanport CPU / by-hand CPU (user+system), median of the rounds | $cpu_ratio | |"
  echo "| 1 + Scanport's own work (wall less its COLMAP commands, median $(printf '%.2f' "$own_median") s) / by-hand median | $own_ratio | ≤ 1.05 |"
  echo
  echo "Scanport's summary (first round): \`${s_line[0]}\`."
  echo "By hand (first round): $hand_registered images registered, $hand_points points."
  echo
  echo "| Round | Scanport's COLMAP commands, s (sum) | By hand, s (sum) |"
  echo "|---|---|---|"
  for k in "${!s_wall[@]}"; do echo "| $((k + 1)) | ${s_step_list[$k]} ($(fmt "${s_steps[$k]}")) | ${h_step_list[$k]} ($(fmt "${h_steps[$k]}")) |"; done
  echo
  echo "Commands in order: feature_extractor, sequential_matcher, mapper, model_converter, poisson_mesher."
} | tee "$RESULTS"

#!/usr/bin/env bash
# Frame extraction benchmark, in one run (about 3 to 4 minutes): a DURATION-second SIZE video at FPS (H.264, lavfi's
# testsrc2 with moving noise, so every frame is new to the decoder), then ROUNDS rounds, interleaved, of
#   (a) Scanport: bench/Scanport.Bench.Reconstruction frames, a new .NET process that runs VideoProbe.ProbeAsync as the
#       upload does, then FrameExtractor.ExtractAsync with that VideoInfo as the extraction job does (one ffmpeg run
#       whose -progress output it reads line by line, then the frames listed), each timed inside the process, and
#   (b) the identical ffmpeg command typed by hand (same arguments, progress to /dev/null).
# One warm-up of each first (not counted); the video stays in the page cache. The target compares the extraction as a
# job runs it (in a running service: no .NET start; the video probed at upload) with (b)'s whole process; the whole
# .NET process (start, JIT, probe, extraction; /usr/bin/time) is reported beside it.
# The frames of (a) and (b) must be byte-identical (md5), which shows the two ran the same ffmpeg command.
# Prints the table and the ratio of medians (target ≤ 1.05) and writes bench/reconstruction/results.md.
# Everything runs in one temp dir (TMPDIR, else /tmp), removed on exit.
#   DURATION=30 SIZE=1920x1080 FPS=30 INTERVAL=1 LONG_EDGE= ROUNDS=7 bench/reconstruction/frames.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 LC_ALL=C

DURATION=${DURATION:-30}
SIZE=${SIZE:-1920x1080}
FPS=${FPS:-30}
INTERVAL=$(printf '%g' "${INTERVAL:-1}")
LONG_EDGE=${LONG_EDGE:-}
ROUNDS=${ROUNDS:-7}
BENCH=bench/reconstruction
RESULTS=${RESULTS:-$BENCH/results.md}

ops/ensure-packages.sh ffmpeg time bc
command -v dotnet >/dev/null || { echo "The .NET 10 SDK is required." >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/frames-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
log() { printf '\n== %s %s\n' "$(date -u +%T)" "$*" >&2; }
field() { sed -n "s/^$1=\\([^ ]*\\).*/\\1/p; s/.* $1=\\([^ ]*\\).*/\\1/p" | head -1; }

# ---- preparation (not timed) -----------------------------------------------------------------------------------
log "Building bench/Scanport.Bench.Reconstruction (Release)"
dotnet build bench/Scanport.Bench.Reconstruction -c Release -o "$tmp/bench" -nologo -v quiet >&2

log "Making a ${DURATION} s ${SIZE} video at ${FPS} fps (H.264, testsrc2 + noise)"
video="$tmp/video.mp4"
ffmpeg -v error -nostdin -f lavfi -i "testsrc2=size=$SIZE:rate=$FPS:duration=$DURATION" -vf "noise=alls=6:allf=t" \
  -c:v libx264 -preset ultrafast -crf 23 -pix_fmt yuv420p "$video"
video_mb=$(du -m "$video" | cut -f1)
cat "$video" >/dev/null  # warm in the page cache

# The command FrameExtractor builds (FrameExtractor.Arguments), written out by hand.
filters="fps=1/$INTERVAL"
[ -n "$LONG_EDGE" ] && filters+=",scale=w='min(iw,$LONG_EDGE)':h='min(ih,$LONG_EDGE)':force_original_aspect_ratio=decrease"
by_hand=(ffmpeg -nostdin -v error -protocol_whitelist file -f mov -i "file:$video" -map 0:V:0 -vf "$filters"
  -frames:v 10000 -q:v 2 -f image2 "file:$tmp/out-ffmpeg/frame_%06d.jpg" -progress pipe:1 -nostats)
scanport=(dotnet "$tmp/bench/Scanport.Bench.Reconstruction.dll" frames "$video" "$tmp/out-scanport" "$INTERVAL" --max-frames 10000
  ${LONG_EDGE:+--max-long-edge "$LONG_EDGE"})
timed() { # $1: file for time's output; rest: command
  local out=$1; shift
  /usr/bin/time -f '%e %U %S %M' -o "$out" "$@"
}

# ---- timed runs -------------------------------------------------------------------------------------------------
declare -a s_wall s_cpu s_rss s_inproc s_probe f_wall f_cpu f_rss pair
for ((r = 0; r <= ROUNDS; r++)); do
  label=$([ "$r" -eq 0 ] && echo "Warm-up" || echo "Round $r of $ROUNDS")
  log "$label: Scanport FrameExtractor"
  rm -rf "$tmp/out-scanport"; sync
  timed "$tmp/t-s" "${scanport[@]}" >"$tmp/scanport.out"
  log "$label: ffmpeg by hand"
  rm -rf "$tmp/out-ffmpeg"; mkdir "$tmp/out-ffmpeg"; sync
  timed "$tmp/t-f" "${by_hand[@]}" >/dev/null
  [ "$r" -eq 0 ] && continue
  read -r e u s m <"$tmp/t-s"; s_wall+=("$e"); s_cpu+=("$(echo "$u + $s" | bc)"); s_rss+=("$m")
  s_inproc+=("$(field seconds <"$tmp/scanport.out")"); s_probe+=("$(field probe_seconds <"$tmp/scanport.out")")
  read -r e2 u s m <"$tmp/t-f"; f_wall+=("$e2"); f_cpu+=("$(echo "$u + $s" | bc)"); f_rss+=("$m")
  pair+=("$(echo "scale=4; ${s_inproc[-1]} / $e2" | bc)")
done

# ---- checks -----------------------------------------------------------------------------------------------------
count_s=$(find "$tmp/out-scanport" -name 'frame_*.jpg' | wc -l); count_f=$(find "$tmp/out-ffmpeg" -name 'frame_*.jpg' | wc -l)
identical=$(diff -q <(cd "$tmp/out-scanport" && md5sum frame_*.jpg) <(cd "$tmp/out-ffmpeg" && md5sum frame_*.jpg) >/dev/null && echo yes || echo NO)
frame_size=$(ffprobe -v error -select_streams v:0 -show_entries stream=width,height -of csv=p=0:s=x "$tmp/out-ffmpeg/frame_000001.jpg")

# ---- report -----------------------------------------------------------------------------------------------------
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
max() { printf '%s\n' "$@" | sort -g | tail -1; }
ratio() { printf '%.3f' "$(echo "$1 / $2" | bc -l)"; }
sm=$(median "${s_wall[@]}"); fm=$(median "${f_wall[@]}"); im=$(median "${s_inproc[@]}")
pm=$(median "${s_probe[@]}")
r_job=$(ratio "$im" "$fm"); r_pair=$(printf '%.3f' "$(median "${pair[@]}")"); r_wall=$(ratio "$sm" "$fm")
r_cpu=$(ratio "$(median "${s_cpu[@]}")" "$(median "${f_cpu[@]}")")
verdict=$( (($(echo "$r_job <= 1.05" | bc))) && echo meets || echo MISSES)
rounds() { local -n w=$1 c=$2; local out="" k; for k in "${!w[@]}"; do out+="${w[$k]} ($(printf '%.2f' "${c[$k]}")), "; done; echo "${out%, }"; }

{
  echo "# Frame extraction benchmark: ${DURATION} s of ${SIZE} video, one frame every ${INTERVAL} s"
  echo
  echo "Run $(date -u '+%Y-%m-%d %H:%M') UTC by \`bench/reconstruction/frames.sh\` on $(nproc) cores ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)),"
  echo "$(dotnet --version) SDK, $(ffmpeg -version | head -1 | cut -d' ' -f1-3) (Debian)."
  echo "Video: ${DURATION} s, ${SIZE}, ${FPS} fps, H.264 (libx264 ultrafast, CRF 23) of lavfi testsrc2 with moving noise, ${video_mb} MB, warm in the page cache."
  echo "Frames: one every ${INTERVAL} s${LONG_EDGE:+, long edge at most $LONG_EDGE px}, JPEG q 2: $count_s of $frame_size."
  echo "Scanport: \`bench/Scanport.Bench.Reconstruction frames\`, a new .NET process each run: \`VideoProbe.ProbeAsync\` (as at upload),"
  echo "then \`FrameExtractor.ExtractAsync\` with that \`VideoInfo\` (as the job: one ffmpeg run with \`-progress pipe:1\` read line by"
  echo "line, then the frames listed), each timed inside the process."
  echo "ffmpeg by hand: \`ffmpeg -nostdin -v error -protocol_whitelist file -f mov -i file:VIDEO -map 0:V:0 -vf \"$filters\""
  echo "-frames:v 10000 -q:v 2 -f image2 file:OUT/frame_%06d.jpg -progress pipe:1 -nostats >/dev/null\`."
  echo "$ROUNDS rounds after one warm-up, Scanport and ffmpeg in turn; medians count. Wall times are whole processes (/usr/bin/time)."
  echo "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) (the cores are shared with other work)."
  echo
  echo "| Run | Median wall s | All rounds: wall s (CPU s) | Peak RSS MB |"
  echo "|---|---|---|---|"
  echo "| Scanport extraction as a job runs it (in-process, video probed before) | $im | ${s_inproc[*]} | |"
  echo "| Scanport probe as an upload runs it (in-process) | $pm | ${s_probe[*]} | |"
  echo "| Scanport whole process (.NET start, probe, extraction) | $sm | $(rounds s_wall s_cpu) | $(( $(max "${s_rss[@]}") / 1024 )) |"
  echo "| ffmpeg by hand | $fm | $(rounds f_wall f_cpu) | $(( $(max "${f_rss[@]}") / 1024 )) |"
  echo
  echo "| Ratio | Value | Target |"
  echo "|---|---|---|"
  echo "| Scanport extraction (job) / ffmpeg, median wall times | $r_job | ≤ 1.05: $verdict |"
  echo "| The same, median of the per-round ratios | $r_pair | |"
  echo "| Scanport whole process / ffmpeg, median wall times | $r_wall | |"
  echo "| Scanport whole process / ffmpeg, median CPU (user + system; .NET, ffprobe and ffmpeg) | $r_cpu | |"
  echo "| Frames written (Scanport / ffmpeg) | $count_s / $count_f | equal |"
  echo "| Frames byte-identical (md5) | $identical | yes |"
} | tee "$RESULTS"

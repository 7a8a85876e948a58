#!/usr/bin/env bash
# Imaging benchmark, in one run (about 3 minutes): N distinct 12-megapixel JPEGs (4032x3024, EXIF, half of them tagged
# Orientation 6 as phones write portraits), then, single worker each, one process processing the photos one after another:
#   - Scanport: bench/Scanport.Bench.Imaging calls ImageProcessor.Analyze on every photo (header check, EXIF, one
#     shrink-on-load decode, thumbnails 1200/600/150, sharpness and exposure QC) and writes the thumbnails to disk;
#   - Debian's vipsthumbnail making the same three thumbnails (same long edges, Q=82, metadata stripped): one invocation
#     per size over all the photos (3 processes in all), the fastest fair way (process start paid 3 times, not 3N).
# Both use the same libvips (the system's) with the same thread count (CONCURRENCY, default: cores). ROUNDS rounds
# (3 by default), interleaved, photos warm in the page cache; the best (least wall time, process start included) counts.
# Peak RSS from /usr/bin/time -v (the largest of the three vipsthumbnail processes). The thumbnails of both are
# compared: sizes must agree, and the PSNR between Scanport's and vipsthumbnail's 1200 px thumbnails is reported.
# Prints a results table and the ratios, and writes them to bench/imaging/results.md.
# Everything runs in one temp dir (TMPDIR, else /tmp), removed on exit.
set -euo pipefail
cd "$(dirname "$0")/../.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

N=${N:-20}
ROUNDS=${ROUNDS:-3}
CONCURRENCY=${CONCURRENCY:-$(nproc)}
BENCH=bench/imaging
RESULTS=${RESULTS:-$BENCH/results.md}
FRAMES=../shared/data/scenes/orbit-30
Q=82

ops/ensure-packages.sh libvips-tools libimage-exiftool-perl time
command -v dotnet >/dev/null || { echo "The .NET 10 SDK is required." >&2; exit 1; }
[ -d "$FRAMES" ] || { echo "The scene frames ($FRAMES) are missing." >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/imaging-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
log() { printf '\n== %s %s\n' "$(date -u +%T)" "$*" >&2; }
field() { sed -n "s/^$1=\\([^ ]*\\).*/\\1/p; s/.* $1=\\([^ ]*\\).*/\\1/p" | head -1; }

# ---- preparation (not timed) -----------------------------------------------------------------------------------
log "Building bench/Scanport.Bench.Imaging (Release)"
dotnet build bench/Scanport.Bench.Imaging -c Release -o "$tmp/bench" -nologo -v quiet >&2

log "Making $N photos of 4032x3024 from the rendered frames ($FRAMES)"
mkdir -p "$tmp/photos" "$tmp/work"
for ((i = 0; i < N; i++)); do
  # A 7x7 mosaic of native-resolution frames, in an order and at an offset of its own, plus sensor-like noise:
  # detail everywhere, so the JPEGs are as large as a phone's (about 5 MB at Q=90), none like another.
  list=""
  for ((k = 0; k < 49; k++)); do list+="$FRAMES/frame_$(printf %03d $(((k * 7 + i * 11) % 30))).jpg "; done
  w="$tmp/work"
  vips arrayjoin "$list" "$w/mosaic.v" --across 7
  vips crop "$w/mosaic.v" "$w/crop.v" $((i * 17 % 448)) $((i * 11 % 336)) 4032 3024
  vips gaussnoise "$w/noise.v" 4032 3024 --sigma 4 --mean 0 --seed "$i"
  vips add "$w/crop.v" "$w/noise.v" "$w/sum.v"
  vips cast "$w/sum.v" "$tmp/photos/$(printf 'IMG_%04d' "$i").jpg[Q=90]" uchar
  rm -f "$w"/*.v
done
exiftool -q -overwrite_original -ISO=100 -ExposureTime=1/250 -FNumber=1.8 '-DateTimeOriginal=2025:01:15 10:01:00' \
  -OffsetTimeOriginal=+00:00 -Make=Bench -Model=Phone "$tmp/photos"
exiftool -q -overwrite_original -Orientation#=6 "$tmp"/photos/IMG_*[13579].jpg
photo_mb=$(du -cm "$tmp"/photos/*.jpg | tail -1 | cut -f1)
cat "$tmp"/photos/*.jpg >/dev/null  # warm in the page cache

# ---- timed runs -------------------------------------------------------------------------------------------------
declare -a scanport_wall scanport_inproc scanport_cpu scanport_rss vt_wall vt_cpu vt_rss
timed() { # $1: file for time's output; rest: command
  local out=$1; shift
  /usr/bin/time -f '%e %U %S %M' -o "$out" "$@"
}
for ((r = 1; r <= ROUNDS; r++)); do
  log "Round $r of $ROUNDS: Scanport"
  rm -rf "$tmp/out-scanport"; sync
  timed "$tmp/t-scanport" dotnet "$tmp/bench/Scanport.Bench.Imaging.dll" "$tmp/photos" "$tmp/out-scanport" --concurrency "$CONCURRENCY" >"$tmp/scanport.out"
  read -r e u s m <"$tmp/t-scanport"
  scanport_wall+=("$e"); scanport_cpu+=("$(echo "$u + $s" | bc)"); scanport_rss+=("$m")
  scanport_inproc+=("$(field seconds <"$tmp/scanport.out")")

  log "Round $r of $ROUNDS: vipsthumbnail -s 1200, 600, 150"
  rm -rf "$tmp/out-vt"; mkdir -p "$tmp/out-vt"; sync
  total=0; cpu=0; rss=0
  for size in 1200 600 150; do
    VIPS_CONCURRENCY=$CONCURRENCY timed "$tmp/t-vt" vipsthumbnail -s "$size" -o "$tmp/out-vt/%s_$size.jpg[Q=$Q,strip]" "$tmp"/photos/*.jpg
    read -r e u s m <"$tmp/t-vt"
    total=$(echo "$total + $e" | bc); cpu=$(echo "$cpu + $u + $s" | bc); ((m > rss)) && rss=$m
  done
  vt_wall+=("$total"); vt_cpu+=("$cpu"); vt_rss+=("$rss")
done

# ---- checks -----------------------------------------------------------------------------------------------------
log "Comparing the thumbnails"
count_ours=$(find "$tmp/out-scanport" -name '*.jpg' | wc -l); count_vt=$(find "$tmp/out-vt" -name '*.jpg' | wc -l)
mismatch=0
for f in "$tmp"/out-vt/*.jpg; do
  ours="$tmp/out-scanport/$(basename "$f")"
  [ -f "$ours" ] && [ "$(vipsheader -f width "$ours")x$(vipsheader -f height "$ours")" = "$(vipsheader -f width "$f")x$(vipsheader -f height "$f")" ] \
    || { mismatch=$((mismatch + 1)); echo "size differs: $(basename "$f")" >&2; }
done
psnr_sum=0; compared=$((N < 4 ? N : 4))
for ((i = 0; i < compared; i++)); do
  name=$(printf 'IMG_%04d_1200.jpg' "$i")
  vips subtract "$tmp/out-scanport/$name" "$tmp/out-vt/$name" "$tmp/work/d.v"
  vips multiply "$tmp/work/d.v" "$tmp/work/d.v" "$tmp/work/sq.v"
  mse=$(vips avg "$tmp/work/sq.v")
  psnr_sum=$(echo "$psnr_sum + 10 * l(255^2 / $mse) / l(10)" | bc -l)
done
psnr=$(printf '%.1f' "$(echo "$psnr_sum / $compared" | bc -l)")
qc_line=$(grep -m1 '^images=' "$tmp/scanport.out")

# ---- report -----------------------------------------------------------------------------------------------------
best() { printf '%s\n' "$@" | sort -g | head -1; }
max() { printf '%s\n' "$@" | sort -g | tail -1; }
sb=$(best "${scanport_wall[@]}"); vb=$(best "${vt_wall[@]}")
si=$(best "${scanport_inproc[@]}")
ratio=$(printf '%.2f' "$(echo "$sb / $vb" | bc -l)")
cpu_ratio=$(printf '%.2f' "$(echo "$(best "${scanport_cpu[@]}") / $(best "${vt_cpu[@]}")" | bc -l)")
ips() { printf '%.2f' "$(echo "$N / $1" | bc -l)"; }
rounds() { local -n w=$1 c=$2; local out="" k; for k in "${!w[@]}"; do out+="${w[$k]} s (cpu ${c[$k]} s), "; done; echo "${out%, }"; }
verdict=$( (($(echo "$ratio <= 1.3" | bc))) && echo meets || echo MISSES)

{
  echo "# Imaging benchmark: $N photos of 12 megapixels"
  echo
  echo "Run $(date -u '+%Y-%m-%d %H:%M') UTC by \`bench/imaging/run.sh\` on $(nproc) cores ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)),"
  echo "$(dotnet --version) SDK, libvips $(vips --version | sed 's/vips-//') (Debian), libvips threads per process: $CONCURRENCY."
  echo "Photos: $N JPEGs of 4032x3024 at Q=90 ($photo_mb MB in all), each a 7x7 mosaic of the rendered scene frames in its own"
  echo "order and crop plus Gaussian noise (sigma 4), with EXIF; half tagged Orientation 6. Read warm from the page cache."
  echo "Scanport: \`ImageProcessor.Analyze\` per photo (header check, EXIF, one decode with JPEG shrink-on-load, thumbnails"
  echo "1200/600/150 at Q=$Q, sharpness and exposure QC), thumbnails written to disk; one process, one photo after another."
  echo "vipsthumbnail: \`vipsthumbnail -s SIZE -o '%s_SIZE.jpg[Q=$Q,strip]' photos/*.jpg\` once per size, one after another."
  echo "Wall times include process start (.NET runtime start and JIT for Scanport). $ROUNDS rounds, interleaved; the best counts."
  echo "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) (the cores are shared with other work)."
  echo
  echo "| Run | Best wall s | Images/s | All rounds | Peak RSS MB |"
  echo "|---|---|---|---|---|"
  echo "| Scanport pipeline (3 thumbnails + QC + EXIF) | $sb | $(ips "$sb") | $(rounds scanport_wall scanport_cpu) | $(( $(max "${scanport_rss[@]}") / 1024 )) |"
  echo "| Scanport, inside the process (no runtime start) | $si | $(ips "$si") | ${scanport_inproc[*]} s | |"
  echo "| vipsthumbnail, 3 thumbnails (3 processes) | $vb | $(ips "$vb") | $(rounds vt_wall vt_cpu) | $(( $(max "${vt_rss[@]}") / 1024 )) |"
  echo
  echo "| Ratio | Value | Target |"
  echo "|---|---|---|"
  echo "| Scanport time / vipsthumbnail time | $ratio | ≤ 1.3: $verdict |"
  echo "| Scanport CPU / vipsthumbnail CPU (user+system, least of the rounds) | $cpu_ratio | |"
  echo "| Thumbnails written (Scanport / vipsthumbnail) | $count_ours / $count_vt | equal |"
  echo "| Thumbnail sizes that differ | $mismatch | 0 |"
  echo "| PSNR, Scanport's 1200 px vs vipsthumbnail's ($compared photos) | $psnr dB | |"
  echo
  echo "Scanport's own summary line: \`$qc_line\`."
} | tee "$RESULTS"

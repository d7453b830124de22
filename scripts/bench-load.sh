#!/usr/bin/env bash
# Loading a checkpoint: wall time and peak RSS of `./jlens logits` (JVM start, load, weight processing, one forward
# of 16 tokens, write the .npy), processed (TransformerLens' from_pretrained) and with --no-processing, beside
# reading the same file once with numpy (np.fromfile in a python3 child), for random F32 GPT-2 checkpoints of the
# four GPT-2 shapes. A benchmark, not a test: a failing run (e.g. OutOfMemoryError) is a table cell, not an abort.
#   scripts/bench-load.sh                         all four sizes
#   SIZES="small medium" scripts/bench-load.sh    some of small (gpt2), medium, large, xl
# Checkpoints are made once by scripts/fixtures/make_gpt2_checkpoint.py under target/bench-load/checkpoints (or
# $JLENS_BENCH_CHECKPOINTS; 0.5, 1.4, 3.1 and 6.2 GB). jlens runs with the launcher's JVM settings (no -Xmx: the
# JVM's default heap; its AOT cache), plus $JAVA_OPTS if set. Each file is read once with cat first so that every
# side finds it in the page cache. Peak RSS is ru_maxrss of the child (a python wrapper, getrusage(RUSAGE_CHILDREN)).
# Prints one markdown table and writes it to target/bench-load/table.md, with the raw output of every run in
# target/bench-load/logs/ and /proc/loadavg before and after each size.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT="$ROOT/target/bench-load"
CKPTS="${JLENS_BENCH_CHECKPOINTS:-$OUT/checkpoints}"
LOGS="$OUT/logs"
TOKENS=50256,464,2068,7586,21831,18045,625,262,16931,3290,13,383,2068,7586,21831,318  # BOS + 15 ids, fixed
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
rm -rf "$LOGS" "$OUT/table.md"
mkdir -p "$LOGS" "$CKPTS"

preset() {  # the make_gpt2_checkpoint.py preset of a size
  case "$1" in
    small) echo gpt2 ;;
    medium | large | xl) echo "gpt2-$1" ;;
    *) echo "bench-load: unknown size '$1' (small, medium, large or xl)" >&2; return 1 ;;
  esac
}

measure() {  # measure LOG CMD...: runs CMD in LOG's folder (output to LOG), prints "seconds peak_rss_kb exit_status"
  python3 - "$@" <<'PY'
import os, resource, subprocess, sys, time
log, cmd = sys.argv[1], sys.argv[2:]
with open(log, "wb") as f:
    start = time.perf_counter()
    rc = subprocess.call(cmd, stdin=subprocess.DEVNULL, stdout=f, stderr=subprocess.STDOUT,
                         cwd=os.path.dirname(log))  # where a crashing JVM leaves its hs_err file
    wall = time.perf_counter() - start
print(f"{wall:.2f} {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss} {rc}")
PY
}

cell() {  # cell LOG "seconds rss_kb rc" FILE_BYTES|-: "1.23 s / 0.61 GB (1.2x file)", or "failed (first error line)"
  local log=$1 wall rss rc
  read -r wall rss rc <<< "$2"
  if [ "$rc" != 0 ]; then
    local err
    err=$(grep -m1 -E 'Error|Exception|^jlens: ' "$log" || true)
    [ -n "$err" ] || err=$(grep -v '^[[:space:]]*$' "$log" | tail -n1 || true)
    [ -n "$err" ] || err="no output; a negative status is the signal that ended it"
    echo "failed (exit $rc: ${err//|/\\|})"
  else
    awk -v w="$wall" -v r="$rss" -v f="$3" 'BEGIN {
      s = sprintf("%.2f s / %.2f GB", w, r * 1024 / 1e9)
      if (f != "-") s = s sprintf(" (%.2fx)", r * 1024 / f)
      print s }'
  fi
}

run_jlens() {  # run_jlens NAME SIZE_DIR [FLAGS...]: one measured ./jlens logits run
  local name=$1 dir=$2
  shift 2
  measure "$LOGS/$name.log" "$ROOT/jlens" logits --model "$dir" --tokens "$TOKENS" --out "$TMP/$name.npy" "$@"
}

sizes=${SIZES:-small medium large xl}
for size in $sizes; do preset "$size" > /dev/null; done  # reject a typo before making anything
for size in $sizes; do
  dir="$CKPTS/$(preset "$size")-random-f32"
  python3 "$ROOT/scripts/fixtures/make_gpt2_checkpoint.py" --out "$dir" --preset "$(preset "$size")" --if-stale
done
echo "bench-load: building jlens and its AOT cache if needed ..." >&2
# the launcher builds on first use and makes the JVM's AOT cache on the first model run: keep both out of the runs
"$ROOT/jlens" logits --model tiny-random --tokens 50256 --out "$TMP/warm.npy" > /dev/null

{
  echo "| size | file | numpy read s / RSS | jlens processed s / RSS (x file) | jlens unprocessed s / RSS (x file) |"
  echo "| --- | --- | --- | --- | --- |"
} > "$TMP/table.md"
for size in $sizes; do
  file="$CKPTS/$(preset "$size")-random-f32/model.safetensors"
  bytes=$(stat -c %s "$file")
  cat "$file" > /dev/null
  echo "$size load before: $(cat /proc/loadavg)" | tee -a "$LOGS/loadavg.txt" >&2
  numpy=$(measure "$LOGS/$size-numpy.log" python3 -c \
    'import sys, numpy as np; print(np.fromfile(sys.argv[1], dtype=np.uint8).nbytes, "bytes read")' "$file")
  processed=$(run_jlens "$size-processed" "$(dirname "$file")")
  raw=$(run_jlens "$size-unprocessed" "$(dirname "$file")" --no-processing)
  echo "$size load after: $(cat /proc/loadavg)" | tee -a "$LOGS/loadavg.txt" >&2
  printf '| %s | %s | %s | %s | %s |\n' "$size" "$(awk -v b="$bytes" 'BEGIN { printf "%.2f GB", b / 1e9 }')" \
    "$(cell "$LOGS/$size-numpy.log" "$numpy" -)" \
    "$(cell "$LOGS/$size-processed.log" "$processed" "$bytes")" \
    "$(cell "$LOGS/$size-unprocessed.log" "$raw" "$bytes")" >> "$TMP/table.md"
done
{
  cat "$TMP/table.md"
  echo
  echo "$(nproc) CPUs, $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo) memory," \
       "JAVA_OPTS='${JAVA_OPTS:-}'; GB = 1e9 bytes; RSS is the peak (ru_maxrss) of the child process."
  echo "load (/proc/loadavg) before and after each size:"
  sed 's/^/    /' "$LOGS/loadavg.txt"
} > "$OUT/table.md"
cat "$OUT/table.md"

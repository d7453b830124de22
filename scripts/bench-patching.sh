#!/usr/bin/env bash
# Patching sweeps at the IOI shape (PatchingBenchmark): naive vs fast loop vs attribution patching, sweep by sweep,
# in one run, then attribution's forward-equivalents (AttributionCost: each estimate paired with a plain forward,
# interleaved in one JVM; target/bench-patching/attribution-paired.txt), then the PyTorch autograd peer of
# attribution patching (scripts/attribution_peer_torch.py, needs /usr/bin/python3 with torch; skipped with a note
# when it is missing).
#   scripts/bench-patching.sh [JMH args...]        e.g. -wi 2 -i 3   (SWEEPS="resid_pre" to pick)
# The naive loop runs the stratified subset (every naive patch is one full forward, so its patches/s does not
# depend on which patches run); the fast loop runs the full sweep for resid_pre (180 patches) and head_out_all_pos
# (144), where it amortises its one corrupted forward as a user's sweep does, and the stratified subset for
# head_out_by_pos (a full fast by-pos sweep takes minutes per call). Writes target/bench-patching/*.json and prints
# sweep, naive and fast patches/s and the speed-up, with /proc/loadavg before and after each pair.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT="$ROOT/target/bench-patching"
rm -rf "$OUT"
mkdir -p "$OUT"
for sweep in ${SWEEPS:-resid_pre head_out_all_pos head_out_by_pos}; do
  fast_subset=full
  [ "$sweep" = head_out_by_pos ] && fast_subset=stratified
  echo "$sweep load before: $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$OUT/load-$sweep.txt"
  "$ROOT/jlens" bench 'PatchingBenchmark' -p sweep="$sweep" -p loop=naive -p subset=stratified \
    -rf json -rff "$OUT/naive-$sweep.json" "$@"
  "$ROOT/jlens" bench 'PatchingBenchmark' -p sweep="$sweep" -p loop=fast -p subset="$fast_subset" \
    -rf json -rff "$OUT/fast-$sweep.json" "$@"
  "$ROOT/jlens" bench 'PatchingBenchmark' -p sweep="$sweep" -p loop=attribution -p subset=full \
    -rf json -rff "$OUT/attribution-$sweep.json" "$@"
  echo "$sweep load after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/load-$sweep.txt"
done
# attribution estimates in forward-equivalents: paired with a forward, interleaved in one JVM
"$ROOT/scripts/paired.sh" AttributionCost | tee "$OUT/attribution-paired.txt"
if /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  /usr/bin/python3 "$ROOT/scripts/attribution_peer_torch.py" | tee "$OUT/torch-attribution.txt"
else
  echo "no torch for /usr/bin/python3: the PyTorch attribution peer is skipped" | tee "$OUT/torch-attribution.txt"
fi
python3 "$ROOT/scripts/patching_table.py" "$OUT"

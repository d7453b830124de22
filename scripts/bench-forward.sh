#!/usr/bin/env bash
# GPT-2-small-shaped forward: jlens (JMH ForwardBenchmark: no hooks / observing hooks / cache-all, plus SGEMM at
# 120x768x3072 for the FLOP lower bound) and numpy float32 on the same checkpoint, in one run.
#   scripts/bench-forward.sh [JMH args...]
# Makes the checkpoint once (model/target/fixtures/gpt2-random), writes target/bench-forward/{jmh,numpy}.json
# and prints ms per forward beside numpy's and beside the FLOP lower bound at the measured SGEMM rate.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT="$ROOT/target/bench-forward"
CKPT="$ROOT/model/target/fixtures/gpt2-random"
mkdir -p "$OUT"
python3 "$ROOT/scripts/fixtures/make_gpt2_checkpoint.py" --out "$CKPT" --preset gpt2 --if-stale
echo "load before JMH: $(cut -d' ' -f1-3 /proc/loadavg)"
"$ROOT/jlens" bench 'ForwardBenchmark|SgemmBenchmark' -p shape=120x768x3072 -p checkpoint="$CKPT" \
    -rf json -rff "$OUT/jmh.json" "$@"
echo "load after JMH: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 "$ROOT/scripts/forward_peer.py" --model "$CKPT" > "$OUT/numpy.json"
python3 "$ROOT/scripts/forward_table.py" "$OUT/jmh.json" "$OUT/numpy.json"

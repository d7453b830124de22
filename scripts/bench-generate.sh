#!/usr/bin/env bash
# KV-cached decoding on GPT-2 small's shape: jlens (JMH GenerateBenchmark at batch 1 and 8, beside
# ReadBandwidthBenchmark streaming the same 123.5 M floats, the memory floor of a batch-1 step) and a KV-cached
# greedy loop in PyTorch (CPU, fp32, system python3-torch) and numpy on the same checkpoint, in one run.
#   scripts/bench-generate.sh [CHECKPOINT_DIR] [JMH args...]
# Then DecodeCost: batch-8 against batch-1 steps, paired and interleaved in one JVM (target/bench-generate/paired.txt).
# Writes target/bench-generate/{jmh,peer-torch,peer-numpy}.json and prints ms per decode step and tokens/s.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT="$ROOT/target/bench-generate"
CKPT=${1:-$ROOT/model/target/fixtures/gpt2-random}
shift || true
mkdir -p "$OUT"
python3 "$ROOT/scripts/fixtures/make_gpt2_checkpoint.py" --out "$CKPT" --preset gpt2 --if-stale
echo "load before JMH: $(cut -d' ' -f1-3 /proc/loadavg)"
"$ROOT/jlens" bench 'GenerateBenchmark|ReadBandwidthBenchmark' -p checkpoint="$CKPT" -p shape=1x768x160849 \
    -rf json -rff "$OUT/jmh.json" "$@"
echo "load after JMH: $(cut -d' ' -f1-3 /proc/loadavg)"
# batch 8 against batch 1 as paired, interleaved steps in one JVM: JMH's separate forks drift apart on a shared host
"$ROOT/scripts/paired.sh" DecodeCost "$CKPT" | tee "$OUT/paired.txt"
/usr/bin/python3 "$ROOT/scripts/generate_peer.py" --model "$CKPT" --lib torch > "$OUT/peer-torch.json"
python3 "$ROOT/scripts/generate_peer.py" --model "$CKPT" --lib numpy > "$OUT/peer-numpy.json"
python3 "$ROOT/scripts/generate_table.py" "$OUT/jmh.json" "$OUT/peer-torch.json" "$OUT/peer-numpy.json"

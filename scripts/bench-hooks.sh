#!/usr/bin/env bash
# What hooks cost on the GPT-2-small shape: the plain forward, observing every hook point (runWithHooks, hooks
# returning null) and runWithCache of everything, as paired forwards interleaved in one JVM (HookCost).
#   scripts/bench-hooks.sh [BxP] [WARMUP] [REPS]       defaults 8x15 10 30
# Why not three JMH runs: each JMH fork compiles the GEMM tile anew, and this 2-core host's speed drifts by tens of
# percent over a fork's seconds (the unhooked forward's best iteration moved 1.3x between forks), more than the
# effect measured. HookCost runs the three back to back in each repetition and reports the median of the per-
# repetition ratios. The peer is the unhooked forward in the same repetition. JMH's view of the same variants:
# ./jlens bench ForwardBenchmark -p batch=8x15 (scripts/bench-forward.sh).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CKPT="$ROOT/model/target/fixtures/gpt2-random"
python3 "$ROOT/scripts/fixtures/make_gpt2_checkpoint.py" --out "$CKPT" --preset gpt2 --if-stale
"$ROOT/jlens" bench -l > /dev/null  # builds benchmarks.jar when stale
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
"$ROOT/scripts/paired.sh" HookCost "$CKPT" "${1:-8x15}" "${2:-10}" "${3:-30}"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"

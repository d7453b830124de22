#!/usr/bin/env bash
# One shared GPT-2-small-shaped model, forward at 1x15: one caller vs two callers (JMH SharedModelBenchmark), in the
# fair configuration (-Djlens.threads=1: every caller is its own only worker) and in the default one (a crew of one
# thread per core), alternated ROUNDS times (default 2) so both see the same machine drift.
#   scripts/bench-threads.sh [JMH args...]      e.g. scripts/bench-threads.sh -f 1 -wi 1 -i 3
# Prints forwards/s per configuration and twoCallers / oneCaller (issue 16's target: >= 1.6 in the fair one),
# with the load average before and after each run; and, robust to other load, the callers' CPU ms per forward and
# 2 x (one caller's / two callers'), the ratio two idle cores would give if the callers' CPU cost stays as measured
# (fair configuration only: in the default one the crew's helpers work off the callers' clocks). JSON in
# target/bench-threads/.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT="$ROOT/target/bench-threads"
mkdir -p "$OUT"
for round in $(seq "${ROUNDS:-2}"); do
  for config in fair default; do
    flags=()
    [ $config = fair ] && flags=(-jvmArgsPrepend -Djlens.threads=1)
    before=$(cut -d' ' -f1-3 /proc/loadavg)
    "$ROOT/jlens" bench SharedModelBenchmark "${flags[@]}" -rf json -rff "$OUT/$config-$round.json" "$@" >/dev/null
    python3 - "$OUT/$config-$round.json" "$round" "$config" "$before" "$(cut -d' ' -f1-3 /proc/loadavg)" <<'EOF'
import json, sys
path, round_, config, before, after = sys.argv[1:]
runs = {r["benchmark"].rsplit(".", 1)[1]: r for r in json.load(open(path))}
rate = {k: r["primaryMetric"]["score"] for k, r in runs.items()}
cpu = {k: r["secondaryMetrics"]["cpuMillis"]["score"] / rate[k] for k, r in runs.items()}  # caller CPU ms per forward
print(f"round {round_} {config:<7} one caller {rate['oneCaller']:6.2f}/s  two callers {rate['twoCallers']:6.2f}/s"
      f"  ratio {rate['twoCallers'] / rate['oneCaller']:.2f}  |  caller CPU ms/forward {cpu['oneCaller']:.1f} vs"
      f" {cpu['twoCallers']:.1f}: CPU-time ratio 2 x {cpu['oneCaller'] / cpu['twoCallers']:.2f}"
      f" = {2 * cpu['oneCaller'] / cpu['twoCallers']:.2f}  (load {before} -> {after})")
EOF
  done
done

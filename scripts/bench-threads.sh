#!/usr/bin/env bash
# One shared GPT-2-small-shaped model, forward at 1x15: one caller vs two callers (JMH SharedModelBenchmark), in the
# fair configuration (-Djlens.threads=1: every caller is its own only worker) and in the default one (a crew of one
# thread per core), alternated ROUNDS times (default 2) so both see the same machine drift.
#   scripts/bench-threads.sh [JMH args...]      e.g. scripts/bench-threads.sh -f 1 -wi 1 -i 3
# Prints forwards/s per configuration and twoCallers / oneCaller (issue 16's target: >= 1.6 in the fair one),
# with the load average before and after each run. JSON in target/bench-threads/.
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
score = {r["benchmark"].rsplit(".", 1)[1]: r["primaryMetric"]["score"] for r in json.load(open(path))}
one, two = score["oneCaller"], score["twoCallers"]
print(f"round {round_} {config:<7} one caller {one:6.2f}/s  two callers {two:6.2f}/s  ratio {two / one:.2f}"
      f"  (load {before} -> {after})")
EOF
  done
done

#!/usr/bin/env bash
# SGEMM: jlens (JMH SgemmBenchmark.packed) beside two BLAS peers at the same shapes, interleaved in rounds.
#   scripts/bench-sgemm.sh [JMH args...]     e.g. ROUNDS=5 SHAPES="120x768x2304 1x768x50257" scripts/bench-sgemm.sh
# The peers: OpenBLAS's sgemm under the same JMH harness (SgemmBenchmark.openblas, bound through FFM to the library
# numpy bundles, found by scripts/openblas-path.py; left out with a message when there is none), and numpy's matmul
# (scripts/sgemm_peer.py, PEER_SECONDS default 2). The speed of this shared machine drifts by up to 1.6x over tens
# of seconds, so one run of each side can land on different sides of a drift. Each of ROUNDS (default 5) rounds
# runs, shape by shape, a short JMH run of each JMH side (default -f 1 -wi 8 -i 10 -w 300ms -r 300ms; JMH args
# replace these) and the numpy peer right beside them: jlens, OpenBLAS, numpy in odd rounds and the reverse order in
# even ones, so no side always runs first; the table gives the median over rounds of each round's ratio. One-row
# shapes also time reading B once (ReadBandwidthBenchmark), their memory floor. Then the scalar-twin baseline
# (SgemmScalarBenchmark) once. Builds benchmarks.jar when stale (./jlens bench); writes
# target/bench-sgemm/{jmh,openblas,numpy}-SHAPE-rROUND.json; prints the table of sgemm_table.py.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT="$ROOT/target/bench-sgemm"
rm -rf "$OUT"
mkdir -p "$OUT"
jmh_args=("$@")
[ ${#jmh_args[@]} -gt 0 ] || jmh_args=(-f 1 -wi 8 -i 10 -w 300ms -r 300ms)
if [ -z "${SHAPES:-}" ]; then  # the @Param list of SgemmBenchmark, from JMH's -lp listing
  SHAPES=$("$ROOT/jlens" bench -lp 'SgemmBenchmark.packed' | sed -n 's/.*param "shape" = {\(.*\)}/\1/p' | tr -d ',')
fi
openblas=$(python3 "$ROOT/scripts/openblas-path.py") \
  || { echo "bench-sgemm: no OpenBLAS peer under JMH" >&2; openblas=; }
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
run_jlens() {  # one-row products also time reading B once (ReadBandwidthBenchmark), their memory floor
  local benchmarks='SgemmBenchmark.packed'
  [ "${shape%%x*}" = 1 ] && benchmarks='SgemmBenchmark.packed|ReadBandwidthBenchmark.read'
  "$ROOT/jlens" bench "$benchmarks" -p shape="$shape" -rf json -rff "$OUT/jmh-$shape-r$round.json" \
      "${jmh_args[@]}" > "$OUT/jmh-$shape-r$round.log" 2>&1
}
run_openblas() {
  [ -n "$openblas" ] || return 0
  "$ROOT/jlens" bench 'SgemmBenchmark.openblas' -p shape="$shape" -rf json -rff "$OUT/openblas-$shape-r$round.json" \
      -jvmArgsPrepend "-Djlens.openblas=$openblas" "${jmh_args[@]}" > "$OUT/openblas-$shape-r$round.log" 2>&1
}
run_numpy() {
  python3 "$ROOT/scripts/sgemm_peer.py" --seconds "${PEER_SECONDS:-2}" "$shape" > "$OUT/numpy-$shape-r$round.json"
}
for round in $(seq "${ROUNDS:-5}"); do
  for shape in $SHAPES; do
    if [ $((round % 2)) = 1 ]; then run_jlens; run_openblas; run_numpy; else run_numpy; run_openblas; run_jlens; fi
    echo "round $round $shape done (load $(cut -d' ' -f1 /proc/loadavg))"
  done
done
"$ROOT/jlens" bench 'SgemmScalarBenchmark' -rf json -rff "$OUT/jmh-scalar.json" "${jmh_args[@]}" \
    > "$OUT/jmh-scalar.log" 2>&1
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 "$ROOT/scripts/sgemm_table.py" "$OUT"

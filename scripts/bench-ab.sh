#!/usr/bin/env bash
# A/B of two builds of benchmarks.jar on one JMH benchmark, alternated so both see the same machine drift.
#   scripts/bench-ab.sh OLD.jar NEW.jar BENCHMARK PARAM=VALUE... [-- JVM flags for NEW only]
# (JVM flags go in with -jvmArgsPrepend: a command-line -jvmArgsAppend replaces the forks' @Fork flags, GC included.)
#   e.g. cp benchmarks/target/benchmarks.jar /tmp/old.jar; (change, ./jlens bench -l); \
#        scripts/bench-ab.sh /tmp/old.jar benchmarks/target/benchmarks.jar SgemmBenchmark.packed shape=1x768x50257
# ROUNDS (default 3) rounds of old then new, each 8 warm-up and 20 measured iterations of 300 ms; prints the min,
# median and max per run in the benchmark's unit: on a shared machine the best iteration (min of a time, max of a
# throughput) is the least disturbed and one JMH mean is not enough.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/find-jdk.sh" >/dev/null
old=$1 new=$2 bench=$3
shift 3
params=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do params+=(-p "$1"); shift; done
[ "${1:-}" = "--" ] && shift
new_flags=("$@")
for round in $(seq "${ROUNDS:-3}"); do
  for side in old new; do
    jar=$old; extra=()
    if [ $side = new ]; then jar=$new; [ ${#new_flags[@]} -gt 0 ] && extra=(-jvmArgsPrepend "${new_flags[*]}"); fi
    "$JAVA_HOME/bin/java" --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED -jar "$jar" "$bench" \
        "${params[@]}" -f 1 -wi 8 -i 20 -w 300ms -r 300ms "${extra[@]}" 2>/dev/null \
      | awk '/^Iteration/ {print $3, $4}' | sort -g \
      | awk -v r="$round" -v s="$side" -v l="$(cut -d' ' -f1 /proc/loadavg)" \
          '{a[NR]=$1; u=$2} END {printf "round %s %-3s min %.3f  median %.3f  max %.3f %s  (load %s)\n", r, s, a[1],
            a[int((NR+1)/2)], a[NR], u, l}'
  done
done

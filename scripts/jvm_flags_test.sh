#!/usr/bin/env bash
# Checks scripts/jvm-flags.sh's collector choice (run by .ci/run): on two cores, serial for one-shot commands and G1 for
# the batched-forward loops; a collector in $JAVA_OPTS wins; on more cores the JVM's own choice (no flag).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
fail=0
check() {  # check CORES JAVA_OPTS CMD EXPECTED: the collector flag gc_flags_for CMD leaves ("none" for none)
  local got
  got=$(CORES="$1" JAVA_OPTS="$2" bash -c 'nproc() { echo "$CORES"; }; source "$0/scripts/jvm-flags.sh"
        gc_flags_for "$1"; printf "%s\n" "${GC_FLAGS[@]}" | grep -m1 -- "-XX:+Use.*GC" || echo none' "$ROOT" "$3")
  if [ "$got" != "$4" ]; then
    echo "jvm_flags_test: $1 cores, JAVA_OPTS='$2', $3: expected $4, got $got" >&2
    fail=1
  fi
}
for cmd in logits run generate verify heads; do check 2 "" "$cmd" -XX:+UseSerialGC; done
for cmd in patch patch-dataset top-activations export-activations; do check 2 "" "$cmd" -XX:+UseG1GC; done
check 2 -XX:+UseParallelGC patch none
check 2 -XX:+UseParallelGC logits none
check 8 "" patch none
check 8 "" logits none
[ "$fail" = 0 ] && echo "jvm_flags_test: OK"
exit "$fail"

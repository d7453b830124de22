#!/usr/bin/env bash
# Runs one of the paired, interleaved harnesses of the benchmarks module (HookCost, DecodeCost, AttributionCost: a
# baseline and its variants back to back in one JVM) with JlensBenchmark's fork flags, so that its runs compute as
# the JMH benchmarks' do. Called by bench-hooks.sh, bench-generate.sh and bench-patching.sh after a build.
#   scripts/paired.sh CLASS [ARGS...]        e.g. scripts/paired.sh DecodeCost model/target/fixtures/gpt2-random
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$ROOT/scripts/find-jdk.sh" > /dev/null
source "$ROOT/scripts/jvm-flags.sh"
class=$1
shift
"$JAVA_HOME/bin/java" "${JVM_FLAGS[@]}" -XX:+UseParallelGC -Xms2g -Xmx8g -cp "$ROOT/benchmarks/target/benchmarks.jar" \
    "dev.jlens.benchmarks.$class" "$@" 2>&1 | grep -v 'incubator modules\|^INFO: jlens backend'

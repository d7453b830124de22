#!/usr/bin/env bash
# Tokens/s of the top-activations job (local engine with 1 and 2 threads, Spark local[2]) beside the plain batched
# forward, in one JVM (dev.jlens.spark.TopActivationsThroughput), and the job's peak RSS on a corpus and on one 10x
# longer (memory must not grow with the corpus; skipped with RSS=0). Builds with -Pspark (downloads Spark once).
#   scripts/bench_top_activations.sh [MODEL] [HOOK] [CORPUS_KB] [CTX_LEN] [BATCH] [K] [ORDER]
# defaults: the GPT-2-small-shaped random checkpoint, blocks.5.mlp.hook_post, 200 KB of fortunes text (~50k tokens),
# ORDER forward,local-1,local-2,spark (the configurations, run in this order; alternate them, e.g.
# local-2,spark,local-2,spark, so the shared machine's load drift hits both).
cd "$(dirname "$0")/.."
source scripts/find-jdk.sh >/dev/null # before set -e: it probes candidates with failing tests
set -euo pipefail
export MAVEN_OPTS=--sun-misc-unsafe-memory-access=allow
MODEL=${1:-/work/wt-bench/target/bench-load/checkpoints/gpt2-random-f32}
HOOK=${2:-blocks.5.mlp.hook_post}
KB=${3:-200}
CTX=${4:-128}
BATCH=${5:-8}
K=${6:-20}
ORDER=${7:-forward,local-1,local-2,spark}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
# real English: the text fortune databases of Debian's fortunes package, one line per document
cat $(ls /usr/share/games/fortunes/* | grep -v '\.dat$\|\.u8$') | grep -v '^%$' | head -c $((KB * 1024)) \
    > "$WORK/corpus.txt" || true # head closes the pipe early
for i in $(seq 10); do cat "$WORK/corpus.txt"; done > "$WORK/corpus10.txt"
mvn -B -o -q -Pspark -DskipTests package -pl spark -am
mvn -B -o -q -Pspark dependency:build-classpath -pl spark -Dmdep.outputFile="$WORK/cp.txt" \
    -Dmdep.includeScope=test >/dev/null
# a copy of the compiled classes, so that a rebuild during the (long) run cannot pull them away
CP=""
for d in spark/target/test-classes spark/target/classes model/target/classes tensor/target/classes \
         hooks/target/classes kernels/target/classes; do
    mkdir -p "$WORK/$d" && cp -r "$d/." "$WORK/$d/" && CP="$CP$WORK/$d:"
done
CP="$CP$(cat "$WORK/cp.txt")"
FLAGS=(--add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:+UseParallelGC -Xmx6g)
echo "== throughput ($(nproc) cores; $(uptime))"
"$JAVA_HOME/bin/java" "${FLAGS[@]}" -cp "$CP" dev.jlens.spark.TopActivationsThroughput "$MODEL" \
    "$WORK/corpus.txt" "$HOOK" "$CTX" "$BATCH" "$K" "$ORDER" 2>&1 \
    | grep --line-buffered -v '^WARNING\|^INFO\|WARN \|INFO \|Backends select'
[ "${RSS:-1}" = 0 ] && exit 0
echo "== peak RSS of ./jlens top-activations (induction-2l, blocks.1.attn.hook_z, 1 thread)"
for c in corpus corpus10; do
    /usr/bin/time -f "$c.txt ($(wc -c < "$WORK/$c.txt") bytes): peak RSS %M KB, %e s" \
        "$JAVA_HOME/bin/java" "${FLAGS[@]}" -jar model/target/jlens.jar top-activations --model induction-2l \
        --corpus "$WORK/$c.txt" --hooks blocks.1.attn.hook_z --k "$K" --ctx-len "$CTX" --threads 1 \
        --out "$WORK/rss-$c" 2>&1 | grep -v '^WARNING\|^INFO\|^top-act\|^wrote\|positions/s\|Backends select'
done

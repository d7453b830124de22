# Sourced by ./jlens and scripts/device-check.sh: JVM_FLAGS, the flags every jlens JVM runs with, then $JAVA_OPTS.
JVM_FLAGS=(--add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED
           '-Djava.util.logging.SimpleFormatter.format=%4$s: %5$s%6$s%n')
# huge pages for the heap where the kernel grants them on request (weights are streamed: fewer TLB misses)
grep -qs '\[madvise\]\|\[always\]' /sys/kernel/mm/transparent_hugepage/enabled \
  && JVM_FLAGS+=(-XX:+UseTransparentHugePages)
JVM_FLAGS+=(${JAVA_OPTS:-})

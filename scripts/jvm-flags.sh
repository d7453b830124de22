# Sourced by ./jlens and scripts/device-check.sh: JVM_FLAGS, the flags every jlens JVM runs with, then $JAVA_OPTS;
# GC_FLAGS, the collector of a command's JVM (not JMH's: its forks inherit the host's flags and name their own), and
# gc_flags_for CMD, which adjusts it to the command.
JVM_FLAGS=(--add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED
           '-Djava.util.logging.SimpleFormatter.format=%4$s: %5$s%6$s%n')
# huge pages for the heap where the kernel grants them on request (weights are streamed: fewer TLB misses)
grep -qs '\[madvise\]\|\[always\]' /sys/kernel/mm/transparent_hugepage/enabled \
  && JVM_FLAGS+=(-XX:+UseTransparentHugePages)
# on one or two cores the serial collector (the JVM picks it itself on one): a smaller heap footprint, no concurrent
# GC threads competing with the kernels' workers; a collector named in $JAVA_OPTS wins
GC_FLAGS=()
if [ "$(nproc 2> /dev/null || echo 4)" -le 2 ] && [[ "${JAVA_OPTS:-}" != *GC* ]]; then
  GC_FLAGS=(-XX:+UseSerialGC)
fi
# a small initial heap, grown as a workload needs it: by default it is 1/64 of RAM (378 MB on 24 GiB), whose young
# generation (1/3) the first forward fills with short-lived vectors before C2 compiles the kernels, all resident.
# Not smaller than 96 MB: with a 10 MB young generation (-Xms32m) a 128-token gpt2-xl forward's activations
# overflowed the survivor spaces into the old generation, which grew by 0.7 GB of garbage instead of being collected
if [[ "${JAVA_OPTS:-}" != *-Xms* ]]; then
  GC_FLAGS+=(-Xms96m)
fi
JVM_FLAGS+=(${JAVA_OPTS:-})

# gc_flags_for CMD: G1 instead of the serial collector for the commands that loop over batched forwards. The serial
# collector puts every activation larger than its young generation straight into the old one, which it grows up to the
# maximum heap (1/4 of RAM) before it collects: on 2 cores, a gpt2-small z sweep (./jlens patch) peaked at 6.4 GB with
# it and 1.6 GB with G1, top-activations over 229 KB of text at 4.6 and 1.6 GB, a gpt2-xl resid_pre sweep at 12.3 and
# 7.0 GB, each as fast or faster with G1. The rest stays serial: G1 takes a gpt2-small load + forward to 1.8-2.0x
# its file (serial 1.26x) and a 200-token generate to 1.37 GB (serial 0.85 GB)
gc_flags_for() {
  case "$1" in
    patch|patch-dataset|top-activations|export-activations)
      if [ "${GC_FLAGS[0]:-}" = -XX:+UseSerialGC ]; then GC_FLAGS[0]=-XX:+UseG1GC; fi
      ;;
  esac
}

#!/usr/bin/env bash
# The CUDA backend's check on a bare GPU machine (no JDK, no Maven, no network; python3 with numpy and torch).
#   scripts/device-check.sh --prepare   here, with JDK 25, Maven and nvcc: the jars with the PTX, a jlink'd JDK 25
#                                       runtime and the JUnit console launcher into target/device/ (carry that)
#   scripts/device-check.sh             there: the GPU tests, selfcheck, forward vs PyTorch eager, patching sweep
#   scripts/device-check.sh --dry-run   the same steps on the CPU with the prepared runtime only (GPU tests skip
#                                       themselves with the reason; the PyTorch peer runs on the CPU if installed)
# The run makes a GPT-2-small-shaped random checkpoint with numpy in target/device-work/ (never carried), writes
# every step's log to $DEVICE_LOGS (default target/device/logs) and prints one summary table (also summary.md).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DEVICE="$ROOT/target/device"
WORK="$ROOT/target/device-work"
LOGS=${DEVICE_LOGS:-$DEVICE/logs}
LIMIT_MIB=56  # target/device; the whole carried tree (sources ~3 MiB, logs) must stay under 64 MiB
TESTS=(dev.jlens.kernels.CudaMatrixTest dev.jlens.kernels.cuda.CudaDeviceTest dev.jlens.model.CudaForwardTest)
# Modules jdeps finds that no step of the run loads: plots (java.desktop, 19 MiB of the 64), the hub tests' local
# server (jdk.httpserver), picocli's optional java.sql converters and JUnit's XML reports (java.xml, 5 MiB; the
# table reads the console launcher's test feed instead).
UNUSED_MODULES='java.desktop|jdk.httpserver|java.sql|java.xml'
# JMH per benchmark and parameter set, one fork: benchmarks of milliseconds per op (the cuda forward and sweep)
# 3 s warm-up and 5 s measured; the cpu sweep (seconds per op on 16 cores) one warm-up and two measured ops;
# the dry run one op of each.
FAST_BOUNDS=(-f 1 -wi 3 -w 1 -i 5 -r 1)
SLOW_BOUNDS=(-f 1 -wi 1 -w 1 -i 2 -r 1)
DRY_BOUNDS=(-f 1 -wi 0 -i 1 -r 1)

prepare() {
  source "$ROOT/scripts/find-jdk.sh"
  export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
  local nvcc=${NVCC:-$(command -v nvcc || ls /usr/local/cuda*/bin/nvcc 2>/dev/null | head -n1 || true)}
  [ -n "$nvcc" ] || { echo "device-check: --prepare needs nvcc to put the PTX kernels in the jars" \
    "(scripts/build-ptx.sh); install the CUDA toolkit or set NVCC" >&2; exit 1; }
  local mvn=(mvn -B -q -f "$ROOT/pom.xml")
  echo "device-check: building the jars (PTX with $nvcc)..."
  "${mvn[@]}" -o -DskipTests package || "${mvn[@]}" -DskipTests package
  local cu ptx
  cu=$(ls "$ROOT"/kernels/src/main/cuda/*.cu | wc -l)
  ptx=$("$JAVA_HOME/bin/jar" tf "$ROOT/benchmarks/target/benchmarks.jar" | grep -c '^cuda/.*\.ptx$' || true)
  [ "$ptx" -eq "$cu" ] || { echo "device-check: benchmarks.jar holds $ptx PTX files for $cu .cu sources" >&2; exit 1; }

  rm -rf "$DEVICE"
  mkdir -p "$DEVICE/lib/tests"
  # benchmarks.jar is the shaded superset of jlens.jar (every module, its dependencies, the merged backend
  # services) plus JMH: one application jar for the tests, selfcheck (dev.jlens.model.cli.Main) and JMH.
  cp "$ROOT/benchmarks/target/benchmarks.jar" "$DEVICE/lib/"
  local module
  for module in tensor kernels model; do
    "$JAVA_HOME/bin/jar" --create --file "$DEVICE/lib/tests/jlens-$module-tests.jar" \
      -C "$ROOT/$module/target/test-classes" .
  done
  local junit platform
  junit=$(sed -n 's:.*<junit.version>\(.*\)</junit.version>.*:\1:p' "$ROOT/pom.xml")
  platform=$( [ "${junit%%.*}" = 5 ] && echo "1.${junit#5.}" || echo "$junit" )  # JUnit 5.x.y runs on Platform 1.x.y
  local copy=(-N dependency:copy -Dartifact="org.junit.platform:junit-platform-console-standalone:$platform"
              -DoutputDirectory="$DEVICE/lib")
  "${mvn[@]}" -o "${copy[@]}" 2>/dev/null || "${mvn[@]}" "${copy[@]}"

  local modules
  modules=$("$JAVA_HOME/bin/jdeps" --multi-release 25 --ignore-missing-deps --list-deps \
      --add-modules jdk.incubator.vector "$DEVICE"/lib/*.jar "$DEVICE"/lib/tests/*.jar 2>/dev/null \
    | awk '!/\//{print $1}' | grep -Ev "^($UNUSED_MODULES)$" | paste -sd, -)  # lines with / name packages
  modules="$modules,jdk.incubator.vector"
  echo "device-check: jlink $modules"
  "$JAVA_HOME/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
    --compress zip-9 --output "$DEVICE/jre"
  # jlink's --strip-native-debug-symbols is not available when linking from the JDK's run-time image (no jmods)
  if command -v strip >/dev/null; then
    find "$DEVICE/jre/lib" -name '*.so' -exec strip --strip-unneeded {} +
  fi
  {
    echo "prepared $(date -u +%FT%TZ) from commit $(git -C "$ROOT" rev-parse --short HEAD)" \
      "$(git -C "$ROOT" diff --quiet HEAD 2>/dev/null || echo '(with uncommitted changes)')"
    echo "runtime: $("$DEVICE/jre/bin/java" -version 2>&1 | head -n1); modules $modules"
    echo "PTX: $ptx files from $("$nvcc" --version | tail -n1)"
    echo "JUnit Platform console $platform (JUnit $junit)"
  } > "$DEVICE/PREPARED.txt"
  cat "$DEVICE/PREPARED.txt"
  du -sh "$DEVICE"/jre "$DEVICE"/lib/*.jar "$DEVICE"/lib/tests
  du -sh "$DEVICE"
  local mib
  mib=$(du -sm "$DEVICE" | cut -f1)
  [ "$mib" -le "$LIMIT_MIB" ] || { echo "device-check: target/device is $mib MiB, over $LIMIT_MIB" >&2; exit 1; }
}

# step NAME TIMEOUT_S COMMAND...: runs one step into $LOGS/NAME.log, appends "NAME rc seconds" to steps.tsv.
# The timeouts of a GPU run add up to 555 s (under 10 minutes even if every step hangs); the dry run's are 3x.
step() {
  local name=$1 limit=$2 start rc=0
  shift 2
  start=$(date +%s)
  echo "device-check: $name ..."
  timeout "$((limit * SLOW))" "$@" > "$LOGS/$name.log" 2>&1 || rc=$?
  printf '%s\t%s\t%s\n' "$name" "$rc" "$(( $(date +%s) - start ))" >> "$LOGS/steps.tsv"
}

# skip NAME REASON: records a step that does not run here
skip() {
  printf '%s\t%s\t0\t%s\n' "$1" skipped "$2" >> "$LOGS/steps.tsv"
}

run() {
  local dry=$1 java="$DEVICE/jre/bin/java" lib="$DEVICE/lib" backend=cuda subset=full
  local fast_bounds=("${FAST_BOUNDS[@]}") slow_bounds=("${SLOW_BOUNDS[@]}")
  [ -x "$java" ] || { echo "device-check: no prepared runtime in $DEVICE; run scripts/device-check.sh --prepare" \
    "where a JDK 25, Maven and nvcc are installed, and carry target/device along" >&2; exit 1; }
  SLOW=1
  if [ "$dry" = 1 ]; then  # the dry run's machine may be a small, shared CPU: one op per benchmark, 24 patches
    backend=cpu SLOW=3 subset=stratified fast_bounds=("${DRY_BOUNDS[@]}") slow_bounds=("${DRY_BOUNDS[@]}")
  fi
  mkdir -p "$LOGS" "$WORK"
  rm -f "$LOGS"/steps.tsv "$LOGS"/forward-*.json "$LOGS"/torch-*.json "$LOGS"/patching-*.json  # a previous run's
  source "$ROOT/scripts/jvm-flags.sh"
  local started ckpt="$WORK/gpt2-random" classpath
  started=$(date +%s)
  cp "$DEVICE/PREPARED.txt" "$LOGS/"
  { uname -srm; echo "$(nproc) cores"
    if command -v nvidia-smi >/dev/null; then nvidia-smi --query-gpu=name,driver_version,memory.total \
      --format=csv,noheader 2>&1 || true; else echo "no nvidia-smi"; fi
  } > "$LOGS/machine.txt"
  step checkpoint 60 python3 "$ROOT/scripts/fixtures/make_gpt2_checkpoint.py" --out "$ckpt" --preset gpt2 --if-stale
  classpath=$(ls "$lib"/benchmarks.jar "$lib"/tests/*.jar | paste -sd: -)
  step tests 150 "$java" "${JVM_FLAGS[@]}" -Djlens.test.checkpoint="$ckpt" \
    -jar "$lib"/junit-platform-console-standalone-*.jar execute --disable-banner --disable-ansi-colors \
    --details=testfeed --class-path "$classpath" "${TESTS[@]/#/--select-class=}"
  step selfcheck 45 "$java" "${JVM_FLAGS[@]}" -cp "$lib/benchmarks.jar" dev.jlens.model.cli.Main \
    selfcheck --backend "$backend"
  local jmh=("$java" "${JVM_FLAGS[@]}" -jar "$lib/benchmarks.jar")
  step "forward-$backend" 100 "${jmh[@]}" ForwardBenchmark -p batch=8x15,1x1024 -p hooks=none \
    -p checkpoint="$ckpt" -jvmArgsPrepend "-Djlens.backend=$backend" "${fast_bounds[@]}" \
    -rf json -rff "$LOGS/forward-$backend.json"
  local torch_device=cuda runs=50
  [ "$dry" = 1 ] && { torch_device=cpu; runs=5; }
  if python3 -c 'import torch, transformers' 2>/dev/null; then
    step "torch-$torch_device" 60 sh -c 'python3 "$0" --model "$1" --shapes 8x15,1x1024 --runs "$2" --device "$3" \
      > "$4"' "$ROOT/scripts/forward_peer_torch.py" "$ckpt" "$runs" "$torch_device" "$LOGS/torch-$torch_device.json"
  else
    skip "torch-$torch_device" "python3 cannot import torch and transformers here"
  fi
  local sweep=("${jmh[@]}" PatchingBenchmark -p sweep=resid_pre -p loop=fast -p subset="$subset")
  if [ "$dry" = 1 ]; then
    skip patching-cuda "dry run: no GPU"
  else
    step patching-cuda 60 "${sweep[@]}" -jvmArgsPrepend -Djlens.backend=cuda "${fast_bounds[@]}" \
      -rf json -rff "$LOGS/patching-cuda.json"
  fi
  step patching-cpu 80 "${sweep[@]}" -jvmArgsPrepend -Djlens.backend=cpu "${slow_bounds[@]}" \
    -rf json -rff "$LOGS/patching-cpu.json"
  python3 "$ROOT/scripts/device_table.py" "$LOGS" $([ "$dry" = 1 ] && echo --dry-run) \
    --seconds "$(( $(date +%s) - started ))" | tee "$LOGS/summary.md"
}

case "${1:-}" in
  --prepare) prepare ;;
  --dry-run) run 1 ;;
  "") run 0 ;;
  *) echo "usage: scripts/device-check.sh [--prepare | --dry-run]   (DEVICE_LOGS=DIR for the logs)" >&2; exit 2 ;;
esac

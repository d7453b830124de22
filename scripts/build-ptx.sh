#!/usr/bin/env bash
# Compiles every kernels/src/main/cuda/*.cu to PTX (virtual arch compute_80, JIT-compiled by the driver for the
# GPU it finds, e.g. sm_90 on an H100) into the jar's resources under cuda/. Run by Maven (kernels/pom.xml,
# generate-resources). Without nvcc it writes nothing and succeeds: the cuda backend then reports
# "no PTX kernels in this build". nvcc is looked up as $NVCC, on PATH, then under /usr/local/cuda*/bin.
#   scripts/build-ptx.sh SRC_DIR OUT_DIR
set -euo pipefail
src=$1
out=$2
nvcc=${NVCC:-$(command -v nvcc || true)}
if [ -z "$nvcc" ]; then
  for candidate in /usr/local/cuda/bin/nvcc /usr/local/cuda-*/bin/nvcc; do
    if [ -x "$candidate" ]; then nvcc=$candidate; break; fi
  done
fi
if [ -z "$nvcc" ]; then
  echo "build-ptx: nvcc not found (set NVCC or install the CUDA toolkit); building without CUDA kernels" >&2
  exit 0
fi
mkdir -p "$out"
for cu in "$src"/*.cu; do
  ptx="$out/$(basename "${cu%.cu}").ptx"
  if [ ! -f "$ptx" ] || [ "$cu" -nt "$ptx" ] || [ -n "$(find "$src" -name '*.cuh' -newer "$ptx")" ]; then
    "$nvcc" -ptx -arch=compute_80 -O3 -std=c++17 -o "$ptx" "$cu"
  fi
done

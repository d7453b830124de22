#!/usr/bin/env bash
# Disassembles C2's code for one kernel method as it runs in a JMH benchmark, without the hsdis plugin.
#   scripts/disasm-c2.sh 'dev.jlens.kernels.cpu.GemmKernel::tile6' SgemmBenchmark.packed shape=120x768x2304
# Runs the benchmark briefly (same @Fork flags: the GC changes C2's schedule) with CompileCommand=print, takes the
# last C2 compile of the method from the [MachCode] hex and prints it through objdump (binutils) as Intel syntax.
# What to look for in a register tile's inner loop: a `vmovdqu/vmovups ... [rsp+...]` store and reload is a spilled
# accumulator (the tile then runs 2-3x slower), and a `cmp ...; jae` inside the loop is a range check C2 kept.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
method=$1 bench=$2
shift 2
params=()
for p in "$@"; do params+=(-p "$p"); done
command -v objdump >/dev/null || { echo "disasm-c2: needs objdump (Debian: apt-get install binutils)" >&2; exit 1; }
log=$(mktemp)
trap 'rm -f "$log" "$log.bin"' EXIT
"$ROOT/jlens" bench "$bench" "${params[@]}" -f 1 -wi 4 -i 1 -w 1s -r 500ms \
    -jvmArgsPrepend "-XX:+UnlockDiagnosticVMOptions -XX:CompileCommand=print,$method" > "$log" 2>&1
name=${method##*::}
start=$(grep -n "Compiled method (c2).*::${name} (" "$log" | tail -1 | cut -d: -f1 || true)
[ -n "$start" ] || { echo "disasm-c2: no C2 compile of $method in the run (see JMH output: is it hot?)" >&2; exit 1; }
# the [MachCode] lines of that compile: "  0xADDR: 8984 2400 | c0fe ..." -> raw bytes
tail -n "+$start" "$log" | awk 'NR > 1 && /Compiled method/ {exit} {print}' \
  | grep -E '^\s+0x[0-9a-f]+: [0-9a-f]{2}' | sed 's/^\s*0x[0-9a-f]*: //; s/[| ]//g' | tr -d '\n' \
  | python3 -c 'import sys; sys.stdout.buffer.write(bytes.fromhex(sys.stdin.read()))' > "$log.bin"
grep "Compiled method (c2).*::${name} (" "$log" | tail -1
objdump -D -b binary -mi386:x86-64 -M intel "$log.bin" | tail -n +8

#!/usr/bin/env bash
# Where one stage's time goes, by samples rather than instructions: perf samples the CPU
# clock over N in-process, one-job lints of real xv6-riscv, keeps the samples taken with
# the stage's function on the stack, and prints the symbols they fell in (self) and the
# functions they were under (inclusive), demangled. Beside bench/instructions.sh, which
# counts instructions: the two disagree where code waits on memory (the walk chases
# pointers through hash tables and boxes), and it was this view that showed retains and
# releases to be a fifth of the analysis.
#
#   bench/time-profile.sh LADDER [N] [STAGE] [-- XV6_TREE]
#
#   LADDER    a release build of ladder (its ladder_LadderCore.resources beside it)
#   N         lints to sample (default 10)
#   STAGE     a fragment of the mangled name of the function whose samples count (default
#             8AnalyzerV7analyse_5known, the analysis; 8LoweringV8lowerAll is lowering)
#   XV6_TREE  a checkout of mit-pdos/xv6-riscv (bench/xv6-tree.sh; default /work/real/xv6-riscv)
#
# Needs perf (the linux-perf package, installed with apt-get as root when missing) and swift
# (for `swift demangle`). libclang has no frame pointers, so its own samples are not
# attributed: profile ladder's stages with it, not the parse.
set -euo pipefail
[ $# -ge 1 ] || { sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
ladder=$(realpath "$1"); shift
n=10; stage=8AnalyzerV7analyse_5known
if [ $# -gt 0 ] && [ "$1" != "--" ]; then n=$1; shift; fi
if [ $# -gt 0 ] && [ "$1" != "--" ]; then stage=$1; shift; fi
[ "${1:-}" = "--" ] && shift
tree=$(realpath "${1:-/work/real/xv6-riscv}")
command -v perf >/dev/null || { apt-get update -qq && apt-get install -y -qq linux-perf >/dev/null; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
flags="-target riscv64-unknown-elf -march=rv64g -mcmodel=medany -ffreestanding -fno-common -nostdlibinc -I$tree"
cat > "$work/lints.sh" <<SH
for i in \$(seq 1 $n); do "$ladder" lint --in-process -j1 --rules xv6 --no-cache . -- $flags >/dev/null 2>&1 || true; done
SH
(cd "$tree/kernel" && perf record -q -o "$work/perf.data" -e cpu-clock -F 20000 -g -- bash "$work/lints.sh" >/dev/null 2>&1)
perf script -i "$work/perf.data" -F ip,sym 2>/dev/null > "$work/stacks.txt"
python3 - "$work/stacks.txt" "$stage" <<'PY' | swift demangle --simplified | cut -c1-160
import collections, sys
path, stage = sys.argv[1], sys.argv[2]
self_, under = collections.Counter(), collections.Counter()
kept = total = 0
stack = []
def flush():
    global kept, total
    if not stack:
        return
    total += 1
    if any(stage in frame for frame in stack):
        kept += 1
        self_[stack[0]] += 1
        for frame in set(stack):
            under[frame] += 1
# One frame a line (address, then symbol), a blank line between samples.
for line in open(path, errors="replace"):
    parts = line.split(None, 1)
    if parts:
        stack.append(parts[1].strip() if len(parts) > 1 else parts[0])
    else:
        flush()
        stack = []
flush()
if kept == 0:
    sys.exit(f"time-profile.sh: no sample had {stage} on its stack ({total} samples)")
print(f"{kept} of {total} samples under {stage}")
print("self:")
for frame, count in self_.most_common(30):
    print(f"  {100 * count / kept:5.1f}%  {frame}")
print("inclusive:")
for frame, count in under.most_common(60):
    print(f"  {100 * count / kept:5.1f}%  {frame}")
PY

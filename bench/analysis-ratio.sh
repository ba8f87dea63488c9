#!/usr/bin/env bash
# Analysis against parse on real xv6-riscv, for one or more ladder binaries run in turn (A, B,
# A, B, …) so that the machine's drift falls on all of them alike: per binary, the medians of
# `--stats`'s parse and analyse clocks and of their ratio over N cold runs (issue #11's
# floor is analyse ≤ 0.2 × parse).
#
#   bench/analysis-ratio.sh N LADDER… [-- XV6_TREE]
#
#   N         runs per binary (15 is enough to tell 5% apart on an idle machine)
#   LADDER    release builds of ladder (each with its ladder_LadderCore.resources beside it)
#   XV6_TREE  a checkout of mit-pdos/xv6-riscv (bench/xv6-tree.sh; default /work/real/xv6-riscv)
set -euo pipefail
[ $# -ge 2 ] || { sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
n=$1; shift
binaries=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do binaries+=("$(realpath "$1")"); shift; done
[ "${1:-}" = "--" ] && shift
tree=$(realpath "${1:-/work/real/xv6-riscv}")
cd "$tree/kernel"
flags=(-target riscv64-unknown-elf -march=rv64g -mcmodel=medany -ffreestanding -fno-common -nostdlibinc "-I$tree")
for _ in $(seq 1 "$n"); do
  for ladder in "${binaries[@]}"; do
    printf '%s ' "$ladder"
    # Exit status 2 is expected: upstream's stale ramdisk.c does not compile.
    { "$ladder" lint --rules xv6 --stats --no-cache . -- "${flags[@]}" 2>&1 || true; } | grep "time:" || echo "no stats"
  done
done | python3 -c '
import re, statistics, sys
runs = {}
for line in sys.stdin:
    binary = line.split()[0]
    m = re.search(r"parse ([\d.]+)s, lower [\d.]+s, analyse ([\d.]+)s", line)
    if not m:
        sys.exit(f"analysis-ratio.sh: {binary} printed no --stats times")
    parse, analyse = float(m.group(1)), float(m.group(2))
    runs.setdefault(binary, []).append((parse, analyse))
for binary, r in runs.items():
    print(f"{binary}: {len(r)} runs, parse {statistics.median(p for p, _ in r) * 1000:.1f} ms, "
          f"analyse {statistics.median(a for _, a in r) * 1000:.1f} ms, "
          f"analyse/parse median {statistics.median(a / p for p, a in r):.3f}")
'

#!/usr/bin/env bash
# Instructions, not seconds: one in-process, one-job lint of real xv6-riscv per ladder binary
# under callgrind, and the inclusive instruction counts of its stages. Counts barely move
# between runs, so two builds can be told apart by a few percent on a machine whose clocks
# drift by twenty (bench/analysis-ratio.sh times the same stages). They are no clock:
# libclang's parse retires more instructions per cycle than the analysis does, so the
# analysis-to-parse ratio here (about 0.25) is well under the timed one (about 0.43).
#
#   bench/instructions.sh LADDER… [-- XV6_TREE]
#
#   LADDER    release builds of ladder (each with its ladder_LadderCore.resources beside it);
#             each is copied without its debug information, which valgrind cannot read
#   XV6_TREE  a checkout of mit-pdos/xv6-riscv (bench/xv6-tree.sh; default /work/real/xv6-riscv)
#
# Needs valgrind (installed with apt-get, as root, when missing) and swift (for
# `swift demangle`). About 30 s per binary.
set -euo pipefail
[ $# -ge 1 ] || { sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
binaries=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do binaries+=("$(realpath "$1")"); shift; done
[ "${1:-}" = "--" ] && shift
[ $# -le 1 ] || { echo "instructions.sh: one tree after --, not $#" >&2; exit 2; }
tree=$(realpath "${1:-/work/real/xv6-riscv}")
command -v valgrind >/dev/null || { apt-get update -qq && apt-get install -y -qq valgrind >/dev/null; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/stages.py" <<'PY'
import sys
name = sys.argv[1]
# A symbol follows its file name and a colon (`???:` where there is no debug information).
stages = [("total", "PROGRAM TOTALS"), ("parse", ":clang_parseTranslationUnit2 "),
          ("lower", ":Lowering.lowerAll()"), ("analyse", ":Analyzer.analyse("),
          ("phase 2", ":FixedPoint.schedule("), ("IR read", ":UnitStore.function(")]
found = {}
for line in sys.stdin:
    for key, pattern in stages:
        if key not in found and pattern in line:
            found[key] = int(line.split()[0].replace(",", ""))
missing = [key for key, _ in stages if key not in found]
if missing:
    sys.exit(f"instructions.sh: no {', '.join(missing)} in the profile of {name}")
print(name + ": " + ", ".join(f"{key} {found[key] / 1e6:.1f}M" for key, _ in stages)
      + f"; analyse/parse {found['analyse'] / found['parse']:.3f}")
PY
flags=(-target riscv64-unknown-elf -march=rv64g -mcmodel=medany -ffreestanding -fno-common -nostdlibinc "-I$tree")
n=0
for ladder in "${binaries[@]}"; do
  n=$((n + 1))
  copy="$work/$n"
  mkdir -p "$copy"
  cp "$ladder" "$copy/ladder"
  cp -r "$(dirname "$ladder")/ladder_LadderCore.resources" "$copy/"
  strip --strip-debug "$copy/ladder"
  # Exit status 2 is expected (upstream's stale ramdisk.c does not compile), and 1 would be
  # findings; anything else is a crash, whose partial profile would count too little.
  status=0
  (cd "$tree/kernel" && valgrind --tool=callgrind --callgrind-out-file="$copy/out" \
    "$copy/ladder" lint --in-process -j1 --rules xv6 --no-cache . -- "${flags[@]}" >/dev/null 2>"$copy/err") || status=$?
  if [ "$status" -gt 2 ] || [ ! -s "$copy/out" ]; then
    echo "instructions.sh: $ladder under callgrind exited $status:" >&2
    tail -n 20 "$copy/err" >&2
    exit 1
  fi
  callgrind_annotate --inclusive=yes --threshold=100 "$copy/out" 2>/dev/null | swift demangle --simplified |
    python3 "$work/stages.py" "$ladder"
done

#!/usr/bin/env bash
# A whole lint of real xv6-riscv against `gcc -fsyntax-only` on the same files, in one
# hyperfine run (compare its rows, not absolute times: the machine is noisy):
#   gcc       gcc -fsyntax-only over kernel/*.c (ramdisk.c, stale upstream, fails in both)
#   cold      ladder lint --no-cache: every file parsed, phase 2 from scratch
#   warm      ladder lint with its cache, nothing changed since the last run
#   one edit  ladder lint with its cache after one file (kernel/vm.c) changed: that file is
#             parsed again and phase 2's rounds run (--prepare alternates its contents)
#
#   bench/xv6-vs-gcc.sh LADDER [XV6_TREE] [RESULTS.md]
#
#   LADDER    a release build of ladder (its ladder_LadderCore.resources beside it)
#   XV6_TREE  a checkout of mit-pdos/xv6-riscv (bench/xv6-tree.sh; default /work/real/xv6-riscv),
#             copied to a temporary directory: the edit never touches it
#   RESULTS   hyperfine's Markdown table (default: printed only)
set -euo pipefail
[ $# -ge 1 ] || { sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
ladder=$(realpath "$1")
tree=${2:-/work/real/xv6-riscv}
results=${3:+$(realpath -m "$3")}
command -v hyperfine >/dev/null || { apt-get update -qq && apt-get install -y -qq hyperfine >/dev/null; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$tree/kernel" "$work/kernel"
cp "$work/kernel/vm.c" "$work/vm.c.orig"
cd "$work"
flags="-target riscv64-unknown-elf -march=rv64g -mcmodel=medany -ffreestanding -fno-common -nostdlibinc -I$work"
# One version or the other, dated back so the cache may keep the parse (it does not keep a
# file changed within the second before its parse).
cat > edit.sh <<EOF
#!/bin/sh
if cmp -s kernel/vm.c vm.c.orig; then { cat vm.c.orig; echo "// edited"; } > kernel/vm.c; else cp vm.c.orig kernel/vm.c; fi
touch -d '2 minutes ago' kernel/vm.c
EOF
chmod +x edit.sh
touch -d '2 minutes ago' kernel/*
"$ladder" lint --rules xv6 kernel --cache "$work/cache" -- $flags >/dev/null 2>&1 || true
export_args=()
[ -n "$results" ] && export_args=(--export-markdown "$results")
# One --prepare per command, in order: only the last edits.
hyperfine -N -i --warmup 2 --runs 15 "${export_args[@]}" \
  --prepare true --prepare true --prepare true --prepare "$work/edit.sh" \
  -n gcc "gcc -fsyntax-only -ffreestanding -nostdlib -I. $(echo kernel/*.c)" \
  -n cold "$ladder lint --rules xv6 kernel --no-cache -- $flags" \
  -n warm "$ladder lint --rules xv6 kernel --cache $work/cache -- $flags" \
  -n "one edit" "$ladder lint --rules xv6 kernel --cache $work/cache -- $flags"

#!/usr/bin/env bash
# Real xv6-riscv to evaluate ladder on: MIT's kernel source laid out as a plain tree.
#
#   bench/xv6-tree.sh SOURCE [DEST]
#
#   SOURCE  a git directory of mit-pdos/xv6-riscv: a bare one (a mirror, or `git clone --bare`)
#           or the .git of a checkout, or a checkout itself
#   DEST    where the tree goes (default /work/real/xv6-riscv); it must not exist or be empty
#
# It writes `git archive HEAD` of SOURCE into DEST (no .git), then DEST/COMMIT with the
# commit id and date, and prints the ladder command that lints the kernel. Takes a second.
#
# The script does not fetch: this workplace reaches no git host from a shell. Get the
# repository first, with the session's `fetch` tool (source github:mit-pdos/xv6-riscv; it
# answers with a bare git dir under /work/.mirror/), or elsewhere with
#   git clone --bare https://github.com/mit-pdos/xv6-riscv
#
# Not everything in kernel/ is built: kernel/ramdisk.c is not in the Makefile's OBJS and no
# longer compiles against the headers (its parse error is expected in a ladder run).
set -euo pipefail

usage() { sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
[ $# -ge 1 ] && [ $# -le 2 ] || usage
source=$1
dest=${2:-/work/real/xv6-riscv}

if git --git-dir="$source" rev-parse --verify -q HEAD >/dev/null 2>&1; then
    gitdir=$source                                   # bare repository or a .git directory
elif git -C "$source" rev-parse --verify -q HEAD >/dev/null 2>&1; then
    gitdir=$(git -C "$source" rev-parse --absolute-git-dir)   # a checkout
else
    echo "$(basename "$0"): $source is not a git directory of xv6-riscv" >&2
    usage
fi

commit=$(git --git-dir="$gitdir" rev-parse HEAD)
git --git-dir="$gitdir" cat-file -e "$commit:kernel/proc.c" 2>/dev/null || {
    echo "$(basename "$0"): $source has no kernel/proc.c at HEAD: not xv6-riscv?" >&2; exit 1; }

if [ -e "$dest" ] && [ -n "$(ls -A "$dest")" ]; then
    echo "$(basename "$0"): $dest exists and is not empty; remove it or give another DEST" >&2
    exit 1
fi
mkdir -p "$dest"
git --git-dir="$gitdir" archive HEAD | tar -x -C "$dest"
git --git-dir="$gitdir" log -1 --format='%H %cI %s' HEAD > "$dest/COMMIT"

echo "xv6-riscv $(cat "$dest/COMMIT")"
echo "tree: $dest ($(ls "$dest"/kernel/*.c | wc -l) kernel .c files)"
echo "lint: ladder lint --rules xv6 $dest/kernel -- -target riscv64-unknown-elf -march=rv64g" \
     "-mcmodel=medany -ffreestanding -fno-common -nostdlibinc -I$dest"

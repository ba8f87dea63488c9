#!/usr/bin/env bash
# CI smoke run of ground truth on the bundled kernel: fixtures/xv6 hosted as a user's
# xv6-riscv tree would be, every entry point under every failure point, each run in a child
# process. Fails when a disagreement is not explained (fixtures/groundtruth/explained.json)
# or when the run takes a minute or more.
#
#   bench/groundtruth-smoke.sh [path/to/ladder]
#
# Needs the ladder binary (default: the debug build scripts/test leaves) and a host C
# compiler: `clang` on PATH (every Swift toolchain has one), else Debian's clang-19
# (scripts/setup installs it), passed on as LADDER_CC.
set -euo pipefail
cd "$(dirname "$0")/.."
ladder=${1:-.build/debug/ladder}
if [ ! -x "$ladder" ]; then
  echo "groundtruth smoke: no ladder binary at $ladder (run scripts/test or swift build first)" >&2
  exit 2
fi
if [ -z "${LADDER_CC:-}" ] && ! command -v clang >/dev/null 2>&1; then
  if command -v clang-19 >/dev/null 2>&1; then
    LADDER_CC=$(command -v clang-19)
    export LADDER_CC
  else
    echo "groundtruth smoke: no clang on PATH and no clang-19 (scripts/setup installs it)" >&2
    exit 2
  fi
fi
out=$(mktemp)
trap 'rm -f "$out"' EXIT
start=$(date +%s)
status=0
"$ladder" groundtruth fixtures/xv6 --explained fixtures/groundtruth/explained.json --fail-on-disagreement >"$out" 2>&1 || status=$?
elapsed=$(( $(date +%s) - start ))
if [ "$status" -ne 0 ]; then
  cat "$out"
  echo "groundtruth smoke: ladder groundtruth exited $status after ${elapsed}s" >&2
  exit 1
fi
tail -1 "$out"
echo "groundtruth smoke: ${elapsed}s"
if [ "$elapsed" -ge 60 ]; then
  echo "groundtruth smoke: took ${elapsed}s, the budget is under a minute" >&2
  exit 1
fi

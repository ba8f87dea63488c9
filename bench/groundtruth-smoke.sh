#!/usr/bin/env bash
# CI smoke run of ground truth on the bundled kernel: fixtures/xv6 hosted as a user's
# xv6-riscv tree would be, every entry point under every failure point, each run in a child
# process. Fails when a disagreement is not explained (fixtures/groundtruth/explained.json)
# or when the run takes a minute or more.
#
#   bench/groundtruth-smoke.sh [path/to/ladder]
set -euo pipefail
cd "$(dirname "$0")/.."
ladder=${1:-.build/debug/ladder}
start=$(date +%s)
"$ladder" groundtruth fixtures/xv6 --explained fixtures/groundtruth/explained.json --fail-on-disagreement | tail -1
elapsed=$(( $(date +%s) - start ))
echo "groundtruth smoke: ${elapsed}s"
if [ "$elapsed" -ge 60 ]; then
  echo "groundtruth smoke: took ${elapsed}s, the budget is under a minute" >&2
  exit 1
fi

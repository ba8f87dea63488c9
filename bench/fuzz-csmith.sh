#!/usr/bin/env bash
# Robustness smoke test: ladder on N random C programs from csmith must never crash or hang
# (exit 0, 1 or 2 within the timeout). Not a benchmark of findings: csmith has no resources.
#   bench/fuzz-csmith.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-40}
command -v csmith >/dev/null && [ -e /usr/include/csmith/csmith.h ] || apt-get install -y -qq csmith libcsmith-dev >/dev/null
scripts/build-release >&2
work=$(mktemp -d)
bad=0
for i in $(seq 1 "$n"); do
  csmith --seed "$i" --no-packed-struct > "$work/p$i.c"
  set +e
  timeout 60 .build/release/ladder lint "$work/p$i.c" -- -I/usr/include/csmith -w > /dev/null 2> "$work/p$i.err"
  rc=$?
  set -e
  if [ "$rc" -gt 2 ]; then echo "seed $i: exit $rc"; bad=$((bad + 1)); fi
done
echo "$n programs, $bad crashed or hung"
rm -rf "$work"
[ "$bad" -eq 0 ]

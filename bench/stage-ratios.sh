#!/usr/bin/env bash
# Where a lint run's time goes, measured inside one process (so process start-up, which
# dominates a 0.1 s run, does not blur the ratios): parse, lower and analyse, averaged over
# N runs of `ladder lint --stats` on the same files.
#   bench/stage-ratios.sh [N] [PATH…]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-20}; shift || true
paths=("${@:-fixtures/xv6}")
scripts/setup
scripts/build-release >&2
for _ in $(seq 1 "$n"); do .build/release/ladder lint "${paths[@]}" --stats 2>&1 | grep "time:"; done | python3 -c '
import re, sys
p = l = a = 0.0; n = 0
for line in sys.stdin:
    m = re.search(r"parse ([\d.]+)s, lower ([\d.]+)s, analyse ([\d.]+)s", line)
    if m:
        p += float(m.group(1)); l += float(m.group(2)); a += float(m.group(3)); n += 1
print(f"{n} runs: parse {p/n*1000:.1f} ms, lower {l/n*1000:.1f} ms, analyse {a/n*1000:.1f} ms")
print(f"parse+lower / parse = {(p+l)/p:.2f}   analyse / parse = {a/p:.2f}   lint / parse = {(p+l+a)/p:.2f}")
'

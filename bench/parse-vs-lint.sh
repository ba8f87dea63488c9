#!/usr/bin/env bash
# Times, in one run on the same files, ladder against libclang's parse alone and against
# compilers' syntax checks, on fixtures/xv6. Ratios matter, not absolute times (the machine
# is noisy): compare rows of the same run.
#   LADDER_STAGE=parse  = libclang's parse of every file in-process, nothing else
#   LADDER_STAGE=lower  = parse + lowering to CFGs
#   ladder lint         = parse + lower + analyse
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup
scripts/build-release >&2
L=.build/release/ladder
files=(fixtures/xv6/*.c)
flags=(-ffreestanding -nostdlibinc -I fixtures/xv6)
command -v hyperfine >/dev/null || apt-get install -y -qq hyperfine >/dev/null
hyperfine -N --warmup 3 --runs 20 --export-markdown bench/results-xv6.md \
  "env LADDER_STAGE=parse $L lint fixtures/xv6" \
  "env LADDER_STAGE=lower $L lint fixtures/xv6" \
  "$L lint fixtures/xv6" \
  "clang-19 -fsyntax-only ${flags[*]} ${files[*]}" \
  "gcc -fsyntax-only -ffreestanding -nostdinc -I fixtures/xv6 ${files[*]}"

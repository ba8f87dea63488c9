#!/usr/bin/env bash
# Every real-code figure of docs/evaluation.md for one ladder binary, one after another (the
# machine is noisy: figures to compare come from runs of one sitting). About 30 minutes on
# two idle cores.
#
#   bench/real-run.sh LADDER OUTDIR
#
# Needs the trees bench/xv6-tree.sh and bench/linux-compile-db.sh make (under /work/real,
# or XV6=… LINUX=… LINUX_DB=…) with the heldout, fresh, measuring and tuning sets (and fresh2 to fresh9,
# when built: see bench/lint-linux-sets.sh). Writes
# OUTDIR/xv6.json (real xv6-riscv linted), OUTDIR/SET.json and SET.log per Linux set
# (bench/lint-linux-sets.sh), OUTDIR/seed-linux.txt (seeded recall on Linux) and
# OUTDIR/seed-xv6.txt (seeded recall on xv6). Score the sets with bench/precision-sample.py.
#
# A release binary reads its rule packs from the ladder_LadderCore.resources folder beside it,
# else from the build folder it was built in: copy both out of the build before rebuilding
# (cp -r .build-rel/release/ladder .build-rel/release/ladder_LadderCore.resources DIR/), or a
# run still going reads the newer packs.
set -uo pipefail
[ $# -eq 2 ] || { sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
[ -d "$(dirname "$1")/ladder_LadderCore.resources" ] || echo "real-run.sh: warning: no ladder_LadderCore.resources beside $1; its packs come from the build folder it was built in" >&2
ladder=$(realpath "$1"); out=$(mkdir -p "$2" && cd "$2" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
xv6=${XV6:-/work/real/xv6-riscv}
linux=${LINUX:-/work/real/linux-source-6.1}
flags=(-target riscv64-unknown-elf -march=rv64g -mcmodel=medany -ffreestanding -fno-common -nostdlibinc "-I$xv6")

"$ladder" lint --rules xv6 --format json "$xv6/kernel" -- "${flags[@]}" > "$out/xv6.json" 2> "$out/xv6.log"
python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print('xv6', len(r['findings']), 'findings', sorted({f['rule'] for f in r['findings']}))" "$out/xv6.json"
"$here/lint-linux-sets.sh" "$ladder" "$out"
(cd "$linux" && python3 "$here/seed-linux.py" run "$ladder" -j 2 --cache "$out/seed-linux-cache") > "$out/seed-linux.txt" 2>&1
tail -n 25 "$out/seed-linux.txt"
python3 "$here/seed-releases.py" "$ladder" "$xv6/kernel" -- "${flags[@]}" > "$out/seed-xv6.txt" 2>&1
tail -n 25 "$out/seed-xv6.txt"

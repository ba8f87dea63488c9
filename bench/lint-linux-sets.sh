#!/usr/bin/env bash
# Lints the Linux driver sets that bench/linux-compile-db.sh built, one after another, as the
# evaluation in docs/evaluation.md does: one JSON report and one --stats log per set.
#
#   bench/lint-linux-sets.sh LADDER OUTDIR [SET…]
#
#   LADDER  the ladder binary (a release build: `scripts/build-release`)
#   OUTDIR  gets SET.json (the report) and SET.log (stderr: --stats and notes)
#   SET     names under /work/real/linux-db (default: heldout fresh measuring tuning, and fresh2
#           to fresh9 when they were built: bench/linux-compile-db.sh …
#           fresh2=drivers/hwmon,drivers/usb/misc,drivers/dma
#           fresh3=drivers/hid,drivers/input/misc,drivers/usb/serial
#           fresh4=drivers/mfd,drivers/thermal,drivers/char/hw_random
#           fresh5=drivers/power/supply,drivers/remoteproc,drivers/nvmem,drivers/extcon,drivers/bluetooth
#           fresh6=drivers/regulator,drivers/phy,drivers/iio/light,drivers/net/can
#           fresh7=drivers/ata,drivers/tty/serial,drivers/iio/imu,drivers/iio/accel,drivers/media/i2c
#           fresh8=drivers/pinctrl,drivers/misc,drivers/crypto,drivers/iio/dac
#           fresh9=drivers/media/platform,drivers/soc,drivers/fpga,drivers/iio/pressure)
# Score a report with bench/precision-sample.py OUTDIR/SET.json --verdicts … (see its header).
set -euo pipefail
[ $# -ge 2 ] || { sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
ladder=$(realpath "$1"); out=$2; shift 2
db=${LINUX_DB:-/work/real/linux-db}
sets=("$@")
if [ ${#sets[@]} -eq 0 ]; then
    sets=(heldout fresh measuring tuning)
    # The second fresh set (session 28) where its database was built.
    [ -f "$db/fresh2/compile_commands.json" ] && sets+=(fresh2)
    # The third (session 29), never tuned on.
    [ -f "$db/fresh3/compile_commands.json" ] && sets+=(fresh3)
    # The fourth (session 30), judged only after that session's changes.
    [ -f "$db/fresh4/compile_commands.json" ] && sets+=(fresh4)
    # The fifth (session 31), first linted after that session's changes.
    [ -f "$db/fresh5/compile_commands.json" ] && sets+=(fresh5)
    # The sixth (session 32), first linted after that session's changes.
    [ -f "$db/fresh6/compile_commands.json" ] && sets+=(fresh6)
    # The seventh (session 33), first linted after that session's changes.
    [ -f "$db/fresh7/compile_commands.json" ] && sets+=(fresh7)
    # The eighth (session 34), first linted after that session's changes.
    [ -f "$db/fresh8/compile_commands.json" ] && sets+=(fresh8)
    # The ninth (session 35), first linted before that session's changes.
    [ -f "$db/fresh9/compile_commands.json" ] && sets+=(fresh9)
fi
mkdir -p "$out"
for set in "${sets[@]}"; do
    start=$(date +%s)
    "$ladder" lint -p "$db/$set/compile_commands.json" --rules linux --format json -j2 --no-cache --stats \
        > "$out/$set.json" 2> "$out/$set.log" || true   # findings exit non-zero
    # A file the report lists as not checked (a parse error, a crashed worker) is named here:
    # a count of errors beside the findings went unread for a whole session once.
    python3 -c "
import json, sys
r = json.load(open(sys.argv[1]))
errors = r.get('errors', [])
print(sys.argv[2], len(r['findings']), 'findings,', len(errors), 'errors')
for e in errors:
    print('  not checked:', e.get('file'), '-', e.get('message', '')[:120], file=sys.stderr)
" "$out/$set.json" "$set" || { echo "$set: no report; see $out/$set.log" >&2; exit 1; }
    echo "$set: $(( $(date +%s) - start )) s" >&2
done

#!/usr/bin/env bash
# Real Linux driver code to evaluate ladder on: a compile_commands.json holding Kbuild's own
# gcc command lines for chosen driver directories of Debian's linux-source-6.1 (x86_64,
# allmodconfig), produced without compiling anything.
#
#   bench/linux-compile-db.sh [ROOT] [SET…]
#
#   ROOT  where everything goes (default /work/real):
#           ROOT/linux-source-6.1/                  the kernel tree, configured and `prepare`d
#           ROOT/linux-source-6.1/compile_commands.json   every entry of every SET
#           ROOT/linux-db/NAME/compile_commands.json      one database per SET
#           ROOT/linux-db/NAME/make-n.log                 what `make -n` printed for it
#           ROOT/linux-db/counts.tsv                      entries per directory
#   SET   NAME=DIR[,DIR…], or a bare DIR (then NAME is DIR with '/' turned into '-').
#         Default: tuning=drivers/spi,drivers/gpio,drivers/watchdog
#                  measuring=drivers/rtc,drivers/iio/adc,drivers/net/ethernet/intel
#
# Steps, each skipped when already done (FORCE_CONFIG=1 redoes the configuration):
#   1. apt-get install linux-source-6.1 flex bison bc libelf-dev libssl-dev (needs root;
#      skipped when all are installed).
#   2. Unpack /usr/src/linux-source-6.1.tar.xz into ROOT (~15 s, ~1.5 GB).
#   3. make allmodconfig; scripts/config --disable WERROR KASAN UBSAN KCSAN KCOV GCOV_KERNEL
#      GCC_PLUGINS --enable DEBUG_INFO_NONE; make olddefconfig (~10 s).
#   4. make -j2 prepare (~20 s on 2 cores; it builds objtool, fixdep and the generated headers).
#   5. For each directory, `make -n -k DIR/`: Kbuild prints, without running them, the exact
#      shell lines that would compile every .c there (a few seconds per directory). Each gcc
#      `-c` command for a .c under DIR becomes one entry: directory = the kernel root, file =
#      the absolute .c path, arguments = gcc's argv as the shell would pass it (quotes removed,
#      nothing else touched: the gcc-only options are kept, since this is the file users have).
# The whole run takes 1-3 minutes after the apt-get (3 on a busy 2-core machine), ~45 s when
# redone (prepare and the make -n passes run again).
#
# `make -n` prints only what is out of date: in a tree where these drivers were really built,
# the objects are up to date and would be missing, so the script stops if it finds DIR/*.o.
# (`make -n -B` is no way around that: it tries to remake .config and prints nothing.)
set -euo pipefail

root=${1:-/work/real}
shift || true
sets=("$@")
if [ ${#sets[@]} -eq 0 ]; then
    sets=(tuning=drivers/spi,drivers/gpio,drivers/watchdog
          measuring=drivers/rtc,drivers/iio/adc,drivers/net/ethernet/intel)
fi
mkdir -p "$root"
root=$(cd "$root" && pwd)
src=$root/linux-source-6.1
db=$root/linux-db

log() { printf '%s: %s\n' "$(basename "$0")" "$*" >&2; }

# 1. packages
pkgs=(linux-source-6.1 flex bison bc libelf-dev libssl-dev)
if ! dpkg -s "${pkgs[@]}" >/dev/null 2>&1; then
    log "installing ${pkgs[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${pkgs[@]}" >/dev/null
fi

# 2. the tree
if [ ! -f "$src/Makefile" ]; then
    log "unpacking /usr/src/linux-source-6.1.tar.xz into $root"
    tar -xf /usr/src/linux-source-6.1.tar.xz -C "$root"
fi
cd "$src"

# 3. configuration; the stamp records that this script's configuration is the one in .config
stamp=.ladder-compile-db-config
if [ ! -f "$stamp" ] || [ ! -f .config ] || [ "${FORCE_CONFIG:-0}" = 1 ]; then
    log "configuring (allmodconfig)"
    make -s allmodconfig
    scripts/config --disable WERROR --disable KASAN --disable UBSAN --disable KCSAN \
        --disable KCOV --disable GCOV_KERNEL --disable GCC_PLUGINS --enable DEBUG_INFO_NONE
    make -s olddefconfig
    date -u > "$stamp"
fi

# 4. generated headers and host tools that the compile lines refer to
log "make -j2 prepare"
make -s -j2 prepare

# 5. the databases
mkdir -p "$db"
parser=$(mktemp)
trap 'rm -f "$parser"' EXIT
cat > "$parser" <<'EOF'
# stdin: what `make -n` printed; argv: kernel root, directory. stdout: JSON entries.
import json, os, shlex, sys
root, want = sys.argv[1], sys.argv[2].rstrip('/') + '/'
SEPARATORS = {';', '&&', '||', '|', '&', ';;'}

def simple_commands(line):
    """The line split as the shell would: words unquoted, cut at ; && || | &."""
    lexer = shlex.shlex(line, posix=True, punctuation_chars=';&|')
    lexer.whitespace_split = True
    lexer.commenters = ''
    words = []
    for token in lexer:
        if token in SEPARATORS:
            if words:
                yield words
            words = []
        else:
            words.append(token)
    if words:
        yield words

entries = {}
for line in sys.stdin:
    if 'gcc' not in line or '.c' not in line:
        continue
    try:
        commands = list(simple_commands(line))
    except ValueError:          # unbalanced quotes: not a command line of interest
        continue
    for argv in commands:
        if os.path.basename(argv[0]) not in ('gcc', 'cc') or '-c' not in argv:
            continue            # fixdep's copy of the command is one quoted word: skipped here
        sources = [a for prev, a in zip(argv, argv[1:])
                   if a.endswith('.c') and not a.startswith('-')
                   and prev not in ('-o', '-include', '-MF', '-MT', '-MQ')]
        if len(sources) != 1:
            continue
        file = sources[0]
        if not file.startswith(want) or file.endswith('.mod.c'):
            continue
        entries.setdefault(file, {'directory': root,
                                  'file': os.path.join(root, file),
                                  'arguments': argv})
json.dump(list(entries.values()), sys.stdout, indent=1)
EOF

printf 'set\tdirectory\tentries\t.c files in it\n' > "$db/counts.tsv"
all=()
for set in "${sets[@]}"; do
    if [[ $set == *=* ]]; then name=${set%%=*}; dirs=${set#*=}
    else set=${set%/}; name=${set//\//-}; dirs=$set; fi
    mkdir -p "$db/$name"
    parts=()
    : > "$db/$name/make-n.log"
    for dir in ${dirs//,/ }; do
        dir=${dir%/}
        [ -d "$dir" ] || { log "no directory $src/$dir"; exit 1; }
        if find "$dir" -name '*.o' -print -quit | grep -q .; then
            log "$dir holds built objects: make -n would leave them out; run 'make clean' first"
            exit 1
        fi
        out=$(mktemp)
        # -k: keep going past a target that cannot be made, so one bad subdirectory does not
        # hide the rest; the status is reported, not fatal.
        rc=0
        make -n -k "$dir/" > "$out" 2>> "$db/$name/make-n.log" || rc=$?
        [ "$rc" = 0 ] || log "make -n -k $dir/ exited $rc (see $db/$name/make-n.log)"
        cat "$out" >> "$db/$name/make-n.log"
        python3 "$parser" "$src" "$dir" < "$out" > "$out.json"
        n=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$out.json")
        total=$(find "$dir" -name '*.c' | wc -l)
        printf '%s\t%s\t%s\t%s\n' "$name" "$dir" "$n" "$total" >> "$db/counts.tsv"
        log "$dir: $n entries ($total .c files in the directory)"
        parts+=("$out.json")
        all+=("$out.json")
        rm -f "$out"
    done
    python3 -c 'import json,sys; json.dump([e for f in sys.argv[2:] for e in json.load(open(f))], open(sys.argv[1], "w"), indent=1)' \
        "$db/$name/compile_commands.json" "${parts[@]}"
done
# The union, one entry per file even when two sets share a directory.
python3 -c 'import json,sys; json.dump(list({e["file"]: e for f in sys.argv[2:] for e in json.load(open(f))}.values()), open(sys.argv[1], "w"), indent=1)' \
    "$src/compile_commands.json" "${all[@]}"
rm -f "${all[@]}"
cat "$db/counts.tsv" >&2
log "wrote $src/compile_commands.json and $db/*/compile_commands.json"

#!/usr/bin/env bash
# Seeds missing releases into a copy of an xv6-riscv tree, one per file, and checks that
# `ladder groundtruth` sees each of them happen (the dynamic side), printing ladder's static
# verdict beside it. The tree itself is never touched.
#
#   bench/groundtruth-seeded.sh path/to/xv6-riscv [path/to/ladder]
#
# Exit 0 when every seed applied and every seeded function shows a problem in its runs.
set -euo pipefail
tree=${1:?usage: $0 path/to/xv6-riscv [ladder]}
ladder=${2:-$(dirname "$0")/../.build/debug/ladder}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$tree" "$work/tree"
kernel="$work/tree/kernel"
[ -d "$kernel" ] || kernel="$work/tree"

python3 - "$kernel" > "$work/seeds.tsv" <<'PY'
import re, sys
kernel = sys.argv[1]
# file, function, what is removed, the pattern (a regex over the file) whose first group is deleted
seeds = [
    ("vm.c", "uvmalloc", "kfree(mem) when mappages fails",
     r"if\s*\(mappages\(pagetable, a,[^\n]*\)\s*!=\s*0\)\s*\{\s*\n(?:\s*//[^\n]*\n)*(\s*kfree\(mem\);\n)"),
    ("proc.c", "fork", "release(&np->lock) when uvmcopy fails",
     r"freeproc\(np\);\n(\s*release\(&np->lock\);\n)\s*return -1;"),
    ("sysfile.c", "sys_open", "iunlockput(ip) when a directory is opened for writing",
     r"T_DIR && omode != O_RDONLY\)\s*\{\s*\n(\s*iunlockput\(ip\);\n)"),
    ("file.c", "filealloc", "release(&ftable.lock) when an entry is found",
     r"f->ref = 1;\n(\s*release\(&ftable\.lock\);\n)"),
    ("fs.c", "dirlink", "iput(ip) when the name is taken",
     r"dirlookup\(dp, name, 0\)\) != 0\)\s*\{\s*\n(\s*iput\(ip\);\n)"),
    ("kalloc.c", "kalloc", "release(&kmem.lock)",
     r"kmem\.freelist = r->next;\n(\s*release\(&kmem\.lock\);\n)"),
]
for file, function, what, pattern in seeds:
    path = f"{kernel}/{file}"
    text = open(path).read()
    m = re.search(pattern, text)
    if not m:
        print(f"{file}\t{function}\t{what}\tNOT-APPLIED")
        continue
    line = text[:m.start(1)].count("\n") + 1
    open(path, "w").write(text[:m.start(1)] + "\n" + text[m.end(1):])  # one line for one: lines stay put
    print(f"{file}\t{function}\t{what} (line {line})\tapplied")
PY

start=$(date +%s.%N)
"$ladder" groundtruth "$work/tree" --format json > "$work/report.json"
end=$(date +%s.%N)

python3 - "$work/seeds.tsv" "$work/report.json" <<'PY'
import json, sys
seeds = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
report = json.load(open(sys.argv[2]))
functions = {(f["file"].rsplit("/", 1)[-1], f["function"]): f for u in report["units"] for f in u["functions"]}
ok = True
print(f"{'file':<10} {'function':<10} {'caught':<7} dynamic | static")
for file, function, what, state in seeds:
    f = functions.get((file, function))
    if state != "applied" or f is None:
        ok = False
        print(f"{file:<10} {function:<10} {'NO':<7} seed not applied: {what}")
        continue
    problems = [f"{p['problem']} {p['kind']}" + (f"@{p['line']}" if p["line"] else "") for p in f["problems"]]
    findings = [f"{x['rule']}@{x['line']}" for x in f["findings"]]
    caught = bool(problems)
    ok = ok and caught
    print(f"{file:<10} {function:<10} {'yes' if caught else 'NO':<7} {', '.join(problems) or 'clean'} | {', '.join(findings) or 'no finding'}   [{what}]")
t = report["totals"]
print(f"totals: {t['entryPoints']} entry points ({t['entryPointsRun']} run), {t['failurePoints']} failure points, {t['runs']} runs")
sys.exit(0 if ok else 1)
PY
echo "wall time: $(echo "$end - $start" | bc) s"

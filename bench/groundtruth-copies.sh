#!/usr/bin/env bash
# Looks for xv6 code copied into ground truth's C runtime (Sources/GroundTruth/Resources):
# every function body of the tree's kernel/*.c, whitespace normalised, searched for verbatim
# in every runtime file; then every run of three consecutive code lines (12 characters or
# more, no comments or #include) that a runtime file shares with the tree, for a reader to
# judge (a struct the cases' header must declare the same way, an idiom such as xv6's loop
# over p->ofile[]).
#
#   bench/groundtruth-copies.sh path/to/xv6-riscv
#
# Exit 0 when no function body is found, 1 when one is (each is listed).
set -euo pipefail
tree=${1:?usage: $0 path/to/xv6-riscv}
kernel="$tree/kernel"
[ -d "$kernel" ] || kernel="$tree"
cd "$(dirname "$0")/.."
python3 - "$kernel" Sources/GroundTruth/Resources <<'PY'
import os, re, sys

kernel, resources = sys.argv[1], sys.argv[2]
def normalise(text):
    return re.sub(r"\s+", " ", text).strip()

runtime = {}
for root, _, files in os.walk(resources):
    for name in files:
        path = os.path.join(root, name)
        runtime[path] = open(path, errors="replace").read()
flat = {path: normalise(text) for path, text in runtime.items()}

sources = sorted(os.path.join(kernel, f) for f in os.listdir(kernel) if f.endswith(".c"))
bodies, copied = 0, []
for path in sources:
    # xv6's style: the name at the start of a line, the body's braces alone on theirs.
    for m in re.finditer(r"^(\w+)\(([^;{]*?)\)\s*\n\{\n(.*?)\n\}", open(path).read(), re.S | re.M):
        bodies += 1
        body = normalise(m.group(3))
        copied += [(os.path.basename(path), m.group(1), where) for where, text in flat.items() if body in text]

def code_lines(text):
    lines = (normalise(line) for line in text.splitlines())
    return [l for l in lines if len(l) >= 12 and not l.startswith(("//", "/*", "*", "#include"))]
runs = set()
for text in runtime.values():
    lines = code_lines(text)
    runs.update(tuple(lines[i:i + 3]) for i in range(len(lines) - 2))
shared = []
for path in sources:
    lines = code_lines(open(path).read())
    shared += [(os.path.basename(path), lines[i:i + 3]) for i in range(len(lines) - 2) if tuple(lines[i:i + 3]) in runs]

print(f"{bodies} function bodies in {len(sources)} files of {kernel}; {len(copied)} found verbatim in {resources}")
for file, function, where in copied:
    print(f"  COPIED {file}: {function}() is in {where}")
print(f"{len(shared)} runs of three code lines shared")
for file, lines in shared:
    print(f"  {file}: " + " | ".join(lines))
sys.exit(1 if copied else 0)
PY

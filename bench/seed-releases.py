#!/usr/bin/env python3
"""Seeding experiment: delete one release call at a time from a copy of a kernel tree and
see whether ladder reports the function it was in. Also swaps adjacent release statements.

usage: bench/seed-releases.py LADDER TREE [-- CLANG_ARGS...]
Prints one line per mutant and a summary; writes nothing into TREE.
"""
import os, re, shutil, subprocess, sys, tempfile, json

RELEASES = ["kfree", "uvmunmap", "uvmfree", "freewalk", "proc_freepagetable", "uvmdealloc", "release",
            "releasesleep", "end_op", "iput", "iunlock", "iunlockput", "brelse", "fileclose", "freeproc"]
CALL = re.compile(r"^(\s*)(?:if\(\w+\)\s*)?(" + "|".join(RELEASES) + r")\((.*)\);\s*$")

def functions_of(text):
    """Line → enclosing function name, by brace depth (kernel style: name( at column 0)."""
    owner, current, depth = {}, None, 0
    lines = text.split("\n")
    for i, line in enumerate(lines, 1):
        m = re.match(r"^(\w+)\(", line)
        if m and depth == 0:
            current = m.group(1)
        depth += line.count("{") - line.count("}")
        owner[i] = current if depth > 0 else None
    return owner

def return_type(lines, i):
    """Kernel style: the type is on the line before `name(` at column 0."""
    for j in range(i, 0, -1):
        if re.match(r"^\w+\(", lines[j]):
            return lines[j - 1].strip(), lines[j].split("(")[0]
    return "", ""

def error_path(lines, i):
    """Whether the first return or goto after line i is an error exit by xv6's and Linux's
    conventions: -1 or a negative errno; 0 from pointer- and size-returning functions
    (not from system calls); or a goto into cleanup code."""
    rtype, name = return_type(lines, i)
    zero_is_error = ("*" in rtype or rtype in ("pagetable_t", "uint64")) and not name.startswith("sys_")
    for line in lines[i + 1:]:
        t = line.strip()
        if t.startswith("goto "):
            return True
        m = re.match(r"return\s*(.*?);", t)
        if m:
            v = m.group(1).strip()
            return v == "-1" or v.startswith("-E") or (v == "0" and zero_is_error)
        if re.match(r"^\w+\(", line):  # next function
            return False
    return False

def lint(ladder, path, cwd, args):
    out = subprocess.run([ladder, "lint", "--format", "json", path, "--"] + args, cwd=cwd,
                         capture_output=True, text=True)
    return json.loads(out.stdout)["findings"]

def main():
    ladder, tree = os.path.abspath(sys.argv[1]), sys.argv[2]
    args = sys.argv[sys.argv.index("--") + 1:] if "--" in sys.argv else []
    work = tempfile.mkdtemp(prefix="ladder-seed-")
    copy = os.path.join(work, "tree")
    shutil.copytree(tree, copy)
    results = {"deleted": [0, 0], "swapped": [0, 0], "deleted on an error path": [0, 0], "swapped on an error path": [0, 0]}
    for root, _, files in os.walk(copy):
        for name in sorted(f for f in files if f.endswith(".c")):
            path = os.path.join(root, name)
            original = open(path).read()
            rel = os.path.relpath(path, copy)
            baseline = {(f["function"], f["rule"], f["location"]["line"]) for f in lint(ladder, rel, copy, args)}
            lines = original.split("\n")
            owner = functions_of(original)
            mutants = []
            for i, line in enumerate(lines):
                if CALL.match(line):
                    mutants.append(("deleted", i, lines[:i] + [CALL.match(line).group(1) + ";"] + lines[i + 1:]))
                    if i + 1 < len(lines) and CALL.match(lines[i + 1]):
                        swapped = lines[:i] + [lines[i + 1], line] + lines[i + 2:]
                        mutants.append(("swapped", i, swapped))
            for kind, i, mutated in mutants:
                open(path, "w").write("\n".join(mutated))
                findings = lint(ladder, rel, copy, args)
                func = owner.get(i + 1)
                new = [f for f in findings if f["function"] == func
                       and (f["function"], f["rule"], f["location"]["line"]) not in baseline]
                on_error = error_path(lines, i)
                for k in [kind] + ([kind + " on an error path"] if on_error else []):
                    results[k][1] += 1
                    results[k][0] += bool(new)
                rules = sorted({f["rule"] for f in new})
                where = "error path" if on_error else "other path"
                print(f"{kind:8} {where:10} {rel}:{i + 1} in {func}: {lines[i].strip()}  ->  {', '.join(rules) or 'not reported'}")
            open(path, "w").write(original)
    shutil.rmtree(work)
    for kind, (hit, total) in results.items():
        print(f"{kind}: {hit}/{total} mutants reported in the mutated function")

main()

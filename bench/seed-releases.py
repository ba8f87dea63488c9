#!/usr/bin/env python3
"""Seeded recall on an xv6 tree, scored against a classification committed beforehand.

Mutants: every line that is a call to a release function of the xv6 pack (`kfree(mem);`,
`if(ip) iput(ip);`) deleted, one at a time (the line becomes `;`, so the other lines keep their
numbers); and every such line swapped with the next line when that one is also a release
call. A mutant is caught when `ladder lint` reports, in the function the mutant is in, a
finding the unmodified file does not have.

Whether a mutant *should* be caught is not decided here: bench/seeds/xv6-deletions.tsv says,
for every deletion, whether the program really leaks (most of it from `ladder groundtruth`
runs of each mutant, the rest read by hand; bench/seed-xv6-classify.py), and
bench/seeds/xv6-swaps.tsv whether each swap is dependent (order matters). Both were committed
before this script scored anything, so the figures cannot bend to the result.

usage:
  bench/seed-releases.py LADDER TREE [--deletions TSV] [--swaps TSV] [--per-file] [--list]
                         [-- CLANG_ARGS...]

  TREE      an xv6-riscv kernel directory (mit-pdos/xv6-riscv f5b93ef's kernel/); copied to a
            temporary directory, never written
  --per-file  lint only the mutated file, as earlier sessions measured; by default the whole
            tree is linted for every mutant, as a user runs ladder (`ladder lint kernel`), so
            callers in other files are in view (a lock helper judged by its callers); the
            phase-1 cache keeps the unchanged files from being parsed again
  --list    print the mutants (id, kind, function, error path or not) and exit: the input
            the classification is made for
  defaults: --deletions/--swaps are bench/seeds/xv6-{deletions,swaps}.tsv beside this script

example (about 4 minutes on two shared cores):
  bench/seed-releases.py .build/release/ladder /work/real/xv6-riscv/kernel -- \\
      -target riscv64-unknown-elf -march=rv64g -mcmodel=medany -ffreestanding -fno-common \\
      -nostdlibinc -I/work/real/xv6-riscv

Prints one line per mutant, then the misses, the false reports on equivalent mutants and
independent swaps, and a summary table. Exit 0 when it ran; 2 when the classification does
not match the tree's mutants (another tree, or the enumeration changed).
"""
import json, os, re, shutil, subprocess, sys, tempfile

# The release functions of rules/xv6.yaml.
RELEASES = ["kfree", "uvmunmap", "uvmfree", "freewalk", "proc_freepagetable", "uvmdealloc", "release",
            "releasesleep", "end_op", "iput", "iunlock", "iunlockput", "brelse", "fileclose", "freeproc"]
CALL = re.compile(r"^(\s*)(?:if\(\w+\)\s*)?(" + "|".join(RELEASES) + r")\((.*)\);\s*$")


def functions_of(text):
    """Line → enclosing function name, by brace depth (kernel style: name( at column 0)."""
    owner, current, depth = {}, None, 0
    for i, line in enumerate(text.split("\n"), 1):
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


class Mutant:
    """One deletion or adjacent swap. `line` is 1-based; a swap exchanges line and line + 1."""

    def __init__(self, kind, file, line, calls, function, on_error, text):
        self.kind, self.file, self.line, self.calls = kind, file, line, calls
        self.function, self.on_error, self.text = function, on_error, text

    @property
    def id(self):
        return f"{self.file}:{self.line}:{'<>'.join(self.calls)}"

    def apply(self, original):
        lines = original.split("\n")
        i = self.line - 1
        if self.kind == "delete":
            lines[i] = CALL.match(lines[i]).group(1) + ";"
        else:
            lines[i], lines[i + 1] = lines[i + 1], lines[i]
        return "\n".join(lines)


def mutants_of(kernel):
    """Every mutant of the .c files directly in `kernel`, in file and line order."""
    out = []
    for name in sorted(f for f in os.listdir(kernel) if f.endswith(".c")):
        text = open(os.path.join(kernel, name)).read()
        lines = text.split("\n")
        owner = functions_of(text)
        for i, line in enumerate(lines):
            m = CALL.match(line)
            if not m:
                continue
            on_error = error_path(lines, i)
            out.append(Mutant("delete", name, i + 1, [m.group(2)], owner.get(i + 1), on_error, line.strip()))
            n = CALL.match(lines[i + 1]) if i + 1 < len(lines) else None
            if n:
                out.append(Mutant("swap", name, i + 1, [m.group(2), n.group(2)], owner.get(i + 1), on_error,
                                  line.strip() + " <> " + lines[i + 1].strip()))
    return out


def read_tsv(path):
    """Rows of a classification file as dicts; `#` lines are comments."""
    rows = [l.rstrip("\n").split("\t") for l in open(path) if l.strip() and not l.startswith("#")]
    header, body = rows[0], rows[1:]
    return {r[0]: dict(zip(header, r)) for r in body}


def lint(ladder, path, cwd, args):
    out = subprocess.run([ladder, "lint", "--format", "json", path, "--"] + args, cwd=cwd,
                         capture_output=True, text=True)
    try:
        return json.loads(out.stdout)["findings"]
    except (ValueError, KeyError):
        raise SystemExit(f"ladder lint {path} gave no JSON report: {out.stderr.strip()[:300]}")


def main():
    argv = sys.argv[1:]
    args = argv[argv.index("--") + 1:] if "--" in argv else []
    argv = argv[:argv.index("--")] if "--" in argv else argv
    here = os.path.dirname(os.path.abspath(__file__))
    opts = {"--deletions": os.path.join(here, "seeds", "xv6-deletions.tsv"),
            "--swaps": os.path.join(here, "seeds", "xv6-swaps.tsv")}
    positional, listing, per_file = [], False, False
    while argv:
        a = argv.pop(0)
        if a in opts:
            opts[a] = argv.pop(0)
        elif a == "--list":
            listing = True
        elif a == "--per-file":
            per_file = True
        else:
            positional.append(a)
    if listing and len(positional) == 1:
        positional.insert(0, "ladder")
    if len(positional) != 2:
        raise SystemExit(__doc__)
    ladder, tree = os.path.abspath(positional[0]), os.path.abspath(positional[1])
    all_mutants = mutants_of(tree)
    if listing:
        for m in all_mutants:
            print(f"{m.id}\t{m.kind}\t{m.function}\t{'error' if m.on_error else 'other'}\t{m.text}")
        return

    deletions, swaps = read_tsv(opts["--deletions"]), read_tsv(opts["--swaps"])
    expected = {m.id for m in all_mutants if m.kind == "delete"}, {m.id for m in all_mutants if m.kind == "swap"}
    if set(deletions) != expected[0] or set(swaps) != expected[1]:
        print(f"the classification does not match this tree's mutants: "
              f"{len(expected[0] ^ set(deletions))} deletions and {len(expected[1] ^ set(swaps))} swaps differ "
              f"(e.g. {sorted((expected[0] ^ set(deletions)) | (expected[1] ^ set(swaps)))[:3]})", file=sys.stderr)
        sys.exit(2)

    work = tempfile.mkdtemp(prefix="ladder-seed-")
    try:
        copy = os.path.join(work, "kernel")
        shutil.copytree(tree, copy)
        rows = []

        def findings(name):
            # Whole tree: only the mutated file's findings count (a caller elsewhere may be
            # where a broken lock contract shows, but the mutant is in this function).
            found = lint(ladder, name if per_file else ".", copy, args)
            return [f for f in found if os.path.basename(f["location"]["file"]) == name]

        for name in sorted({m.file for m in all_mutants}):
            path = os.path.join(copy, name)
            original = open(path).read()
            baseline = {(f["function"], f["rule"], f["location"]["line"]) for f in findings(name)}
            for m in (m for m in all_mutants if m.file == name):
                open(path, "w").write(m.apply(original))
                new = [f for f in findings(name) if f["function"] == m.function
                       and (f["function"], f["rule"], f["location"]["line"]) not in baseline]
                truth = (deletions if m.kind == "delete" else swaps)[m.id]
                rows.append((m, truth, sorted({f["rule"] for f in new})))
                print(f"{m.kind:6} {truth['verdict']:11} {m.id:40} in {m.function}: "
                      f"{', '.join(rows[-1][2]) or 'not reported'}", flush=True)
            open(path, "w").write(original)
    finally:
        shutil.rmtree(work)
    report(rows)


def report(rows):
    def pick(kind, verdict, on_error=None):
        return [r for r in rows if r[0].kind == kind and r[1]["verdict"] == verdict
                and (on_error is None or r[0].on_error == on_error)]

    def line(m, truth, rules):
        return f"  {m.id:40} {m.function:20} {m.text:45} [{truth['source']}] {truth['reason']}"

    print("\nmisses: deletions that really leak, not reported")
    for r in pick("delete", "leaks"):
        if not r[2]:
            print(line(*r))
    print("\nmisses: dependent swaps, not reported")
    for r in pick("swap", "dependent"):
        if not r[2]:
            print(line(*r))
    print("\nreports on equivalent deletions and independent swaps (false reports)")
    for r in pick("delete", "equivalent") + pick("swap", "independent"):
        if r[2]:
            print(line(*r) + "  -> " + ", ".join(r[2]))

    print("\n| mutants (xv6-riscv) | classified | reported |\n|---|---|---|")
    for kind, verdict, label in [("delete", "leaks", "deletion, program really leaks"),
                                 ("delete", "equivalent", "deletion, equivalent (no leak): false reports"),
                                 ("delete", "unknown", "deletion, unknown"),
                                 ("swap", "dependent", "adjacent swap, dependent"),
                                 ("swap", "independent", "adjacent swap, independent: false reports")]:
        for scope, flag in [("all", None), ("on an error path", True)]:
            sel = pick(kind, verdict, flag)
            hit = sum(bool(r[2]) for r in sel)
            pct = f" ({100 * hit / len(sel):.0f}%)" if sel else ""
            print(f"| {label}, {scope} | {len(sel)} | {hit}/{len(sel)}{pct} |")


if __name__ == "__main__":
    main()

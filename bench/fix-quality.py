#!/usr/bin/env python3
"""How good `ladder lint --fix` is on real code: each release call of an xv6 tree deleted, one
at a time, then fixed, and the fix judged three ways.

Mutants: the deletions of bench/seeds/xv6-deletions.tsv whose verdict is `leaks` (the program
really leaks without the call; classified before this script existed). Each deletes the whole
line. A mutant ladder does not report (in the function the line is in) is counted as missed
and not judged further: fixing is only asked of what was found.

For each reported mutant, on a fresh copy of the tree:
  clean     after `ladder lint --fix`, the file has exactly the findings the unmodified
            file has (xv6 has four true unchecked-acquire warnings)
  compiles  `clang-19 -fsyntax-only` with the kernel's flags accepts the fixed file
  equal     the fixed function is the original function, ignoring whitespace

usage:
  bench/fix-quality.py LADDER XV6_ROOT [--deletions TSV] [--limit N] [--only FILE]… [--verbose]

  --only FILE  only the deletions in kernel/FILE (e.g. `--only bio.c`), to iterate on one file

  XV6_ROOT  an xv6-riscv checkout (mit-pdos/xv6-riscv f5b93ef), with kernel/; copied, never written

example (about 10 minutes on two shared cores):
  bench/fix-quality.py .build/debug/ladder /work/real/xv6-riscv
"""
import json, os, re, shutil, subprocess, sys, tempfile

FLAGS = ["-target", "riscv64-unknown-elf", "-march=rv64g", "-mcmodel=medany", "-ffreestanding",
         "-fno-common", "-nostdlibinc", "-I."]


def read_tsv(path):
    rows = [l.rstrip("\n").split("\t") for l in open(path) if l.strip() and not l.startswith("#")]
    header, body = rows[0], rows[1:]
    return [dict(zip(header, r)) for r in body]


def lint(ladder, root, rel, fix=False):
    args = [ladder, "lint", "--rules", "xv6", "--no-cache", "--format", "json", "-j1"]
    if fix:
        args.append("--fix")
    out = subprocess.run(args + [rel, "--"] + FLAGS, cwd=root, capture_output=True, text=True)
    try:
        return json.loads(out.stdout)["findings"], out.stderr
    except (ValueError, KeyError):
        raise SystemExit(f"ladder lint {rel} gave no JSON report: {out.stderr.strip()[:300]}")


def key(f):
    return (f["rule"], f["function"], f["message"])


def function_text(text, name):
    """The definition of `name` (kernel style: `name(` at column 0), whitespace removed."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if re.match(r"^" + re.escape(name) + r"\(", line):
            depth, body, started = 0, [], False
            for l in lines[i:]:
                body.append(l)
                depth += l.count("{") - l.count("}")
                started = started or "{" in l
                if started and depth == 0:
                    break
            return re.sub(r"\s+", "", "\n".join(body))
    return None


def main():
    argv = sys.argv[1:]
    if len(argv) < 2:
        raise SystemExit(__doc__)
    ladder, tree = os.path.abspath(argv[0]), os.path.abspath(argv[1])
    here = os.path.dirname(os.path.abspath(__file__))
    tsv = argv[argv.index("--deletions") + 1] if "--deletions" in argv else os.path.join(here, "seeds", "xv6-deletions.tsv")
    limit = int(argv[argv.index("--limit") + 1]) if "--limit" in argv else None
    verbose = "--verbose" in argv
    only = {argv[i + 1] for i, a in enumerate(argv) if a == "--only"}
    mutants = [r for r in read_tsv(tsv) if r["verdict"] == "leaks"
               and (not only or r["id"].split(":")[0] in only)][:limit]

    work = tempfile.mkdtemp(prefix="ladder-fix-quality-")
    root = os.path.join(work, "xv6")
    shutil.copytree(tree, root, ignore=shutil.ignore_patterns(".git"))
    baseline = {}
    rows = []
    try:
        for m in mutants:
            name, line, _ = m["id"].split(":")
            rel = os.path.join("kernel", name)
            path = os.path.join(root, rel)
            original = open(os.path.join(tree, rel)).read()
            if rel not in baseline:
                baseline[rel] = sorted(key(f) for f in lint(ladder, root, rel)[0])
            lines = original.split("\n")
            del lines[int(line) - 1]
            mutant = "\n".join(lines)
            open(path, "w").write(mutant)
            before, _ = lint(ladder, root, rel)
            new = [f for f in before if key(f) not in baseline[rel] and f["function"] == m["function"]]
            row = {"id": m["id"], "function": m["function"], "error_path": m["error_path"] == "yes"}
            if not new:
                row["result"] = "missed"
            elif not any(f.get("fix") for f in new):
                row["result"] = "no-fix"
            else:
                _, err = lint(ladder, root, rel, fix=True)
                after, _ = lint(ladder, root, rel)
                fixed = open(path).read()
                row["clean"] = sorted(key(f) for f in after) == baseline[rel]
                row["compiles"] = subprocess.run(["clang-19", "-fsyntax-only"] + FLAGS + [rel], cwd=root,
                                                 capture_output=True).returncode == 0
                row["equal"] = function_text(fixed, m["function"]) == function_text(original, m["function"])
                row["result"] = "fixed"
                if verbose and not row["equal"]:
                    diff = subprocess.run(["diff", "-u", os.path.join(tree, rel), path], capture_output=True, text=True).stdout
                    print("\n".join(diff.split("\n")[2:40]))
            open(path, "w").write(original)
            rows.append(row)
            flags = "" if row["result"] != "fixed" else \
                " ".join(k for k in ("clean", "compiles", "equal") if row[k]) or "-"
            print(f"{m['id']:36} {m['function']:20} {row['result']:7} {flags}", flush=True)
    finally:
        shutil.rmtree(work)

    fixed = [r for r in rows if r["result"] == "fixed"]
    print()
    print(f"mutants (deletions that leak): {len(rows)}")
    print(f"reported by ladder:            {sum(r['result'] != 'missed' for r in rows)}")
    print(f"  with a fix:                  {len(fixed)}")
    for k in ("clean", "compiles", "equal"):
        n = sum(r[k] for r in fixed)
        print(f"  {k + ':':28} {n}/{len(fixed)} ({100.0 * n / max(len(fixed), 1):.0f}%)")
    err = [r for r in fixed if r["error_path"]]
    print(f"  equal, error-path deletions: {sum(r['equal'] for r in err)}/{len(err)}")


if __name__ == "__main__":
    main()

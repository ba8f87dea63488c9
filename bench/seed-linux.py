#!/usr/bin/env python3
"""Seeded recall on real Linux drivers: delete one release call on an error path, one at a
time, and see whether `ladder lint` reports something new in that function (or, for a helper
that now fails holding what it acquired, at a caller, naming the function as the acquirer).

A seed is a statement that calls a release function of rules/linux.yaml (kfree, iounmap,
clk_disable_unprepare, mutex_unlock, pci_disable_device, free_netdev…; not the scope-based
`__free_*`/`class_*` entries nor the iterators that drop their previous element) and that sits
on an error path: after a label in a goto ladder (`err_free: kfree(x);`), or just before an
error return or a goto (`kfree(x); return -ENOMEM;`). Deleting it replaces its lines with empty
statements, so every other line keeps its number.

Two steps, so the seed set is fixed before anything is scored:

  bench/seed-linux.py select [--db DB] [--count N] [--seed S] > bench/seeds/linux-measuring.tsv
      every candidate of the database's files, in file and line order; more than N (default 200; the committed set used 160) are
      sampled with random.Random(S) (S = 2026) and kept in order. Reads rules/linux.yaml.
  bench/seed-linux.py run LADDER [--db DB] [--seeds TSV] [--causes TSV] [--cache DIR] [--limit K] [-j N]
      for each file: the unmodified file, then each of its seeds, linted alone; prints one line
      per seed, the misses with their cause (bench/seeds/linux-miss-causes.tsv, read by hand),
      and a summary table. Resumable: each result is kept in --cache (default
      /tmp/ladder-seed-linux-cache, keyed by the ladder binary), so an interrupted run goes on.
      -j N lints N files at once (default 1, for a shared machine).

Defaults: --db /work/real/linux-db/measuring/compile_commands.json (the measuring set: never
tuned on), --seeds bench/seeds/linux-measuring.tsv, --causes bench/seeds/linux-miss-causes.tsv.

How a file is linted without writing the kernel tree: the file (original or mutated) is copied
to a temporary directory, and a one-entry compile database there names that copy with the
original command (`-iquote` the original directory, so `#include "local.h"` still resolves;
`-Wp,-MMD,…` dropped, so nothing is written into the tree):

  nice -n 10 LADDER lint -p TMP/compile_commands.json --rules linux --format json -j 1 TMP/file.c

run from the kernel directory. About 3 s per lint on two shared cores: 200 seeds in ~90 files
take 12-15 minutes.
"""
import hashlib, json, os, random, re, shutil, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
DB = "/work/real/linux-db/measuring/compile_commands.json"

# Release entries that are not seeded: scope-based destructors (never written as calls) and
# iterators whose "release" is dropping the previous element inside a loop.
NOT_SEEDED = re.compile(r"^(__free_|class_|of_find_|of_get_next_|of_graph_get_next|fwnode_get_next|"
                        r"device_get_next|fwnode_graph_get_next|pci_get_device$)")


def release_functions():
    import yaml
    pack = yaml.safe_load(open(os.path.join(HERE, "..", "rules", "linux.yaml")))
    return sorted(f for f in pack["release"] if not NOT_SEEDED.match(f))


def entries(db):
    out = []
    for e in json.load(open(db)):
        path = e["file"] if os.path.isabs(e["file"]) else os.path.join(e["directory"], e["file"])
        out.append((os.path.normpath(path), e))
    return sorted(out, key=lambda x: x[0])


FUNC_START = re.compile(r"^[A-Za-z_][^;=]*?\b(\w+)\s*\(")


def functions_of(lines):
    """Line index -> (function name, brace depth at the line's start), kernel style: the name
    on a column-0 line at depth 0, the body's `{` alone at column 0."""
    owner, current, depth, pending = {}, None, 0, None
    for i, line in enumerate(lines):
        code = re.sub(r"//.*|/\*.*?\*/|\"(?:\\.|[^\"\\])*\"|'(?:\\.|[^'\\])*'", "", line)
        if depth == 0:
            m = FUNC_START.match(code)
            if m and not code.startswith("#"):
                pending = m.group(1)
            elif code.strip().endswith(";") or code.startswith("#"):
                pending = None
            if code.startswith("{"):
                current, pending = pending, None
        owner[i] = (current if depth > 0 else None, depth)
        depth = max(depth + code.count("{") - code.count("}"), 0)
        if depth == 0:
            current = None
    return owner


LABEL = re.compile(r"^\s?([A-Za-z_]\w*):\s*(/\*.*\*/)?\s*$")
ERR_RETURN = re.compile(r"^\s*return\s+(-E[A-Z0-9]+|ERR_PTR\(|PTR_ERR\(|ERR_CAST\()")
VAR_RETURN = re.compile(r"^\s*return\s+(\w+)\s*;")


def statement_end(lines, i):
    """Index of the line that ends the call statement starting at i, or None."""
    depth = 0
    for j in range(i, min(i + 8, len(lines))):
        code = re.sub(r"//.*|\"(?:\\.|[^\"\\])*\"", "", lines[j])
        depth += code.count("(") - code.count(")")
        if depth == 0 and code.rstrip().endswith(";"):
            return j
        if depth < 0:
            return None
    return None


def on_error_path(lines, i, end, owner):
    """'label' after a label of the function's goto ladder; 'return' before an error return
    or a goto in the same block; None otherwise."""
    function, depth = owner[i]
    j = i - 1
    while j >= 0 and owner[j][0] == function:
        m = LABEL.match(lines[j])
        if m and m.group(1) != "default" and owner[j][1] == 1:
            return "label"
        j -= 1
    # Forward: only other releases, messages, assignments and comments, then the exit.
    k = end + 1
    while k < min(end + 16, len(lines)):
        t = lines[k].strip()
        if not t or t.startswith(("/*", "*", "//")):
            k += 1
            continue
        if t.startswith("goto ") or ERR_RETURN.match(lines[k]):
            return "return"
        m = VAR_RETURN.match(lines[k])
        if m:
            if m.group(1) in ("0", "NULL", "true", "false"):
                return None
            # `return ret;` is an error exit when the block it closes was entered on that value.
            for b in range(i - 1, max(i - 15, 0), -1):
                if lines[b].rstrip().endswith("{"):
                    cond = lines[b]
                    if re.search(r"\bif\b", cond) and (re.search(rf"\b{m.group(1)}\b", cond) or "IS_ERR" in cond):
                        return "return"
                    return None
            return None
        if not (FILLER.match(lines[k]) or RELEASE_CALL.match(lines[k])):
            return None
        e = statement_end(lines, k)
        if e is None:
            return None
        k = e + 1
    return None


FILLER = re.compile(r"^\s*(\w*(err|warn|info|dbg|notice|crit)\w*\s*\(|[\w\->\.\[\]\*]+\s*=[^=])")
RELEASE_CALL = None  # set by candidates()


def candidates(db):
    names = release_functions()
    global RELEASE_CALL
    call = RELEASE_CALL = re.compile(r"^\s*(" + "|".join(map(re.escape, names)) + r")\s*\(")
    out = []
    for path, e in entries(db):
        try:
            lines = open(path, errors="replace").read().split("\n")
        except OSError:
            continue
        owner = functions_of(lines)
        for i, line in enumerate(lines):
            m = call.match(line)
            if not m or owner[i][0] is None:
                continue
            end = statement_end(lines, i)
            if end is None:
                continue
            why = on_error_path(lines, i, end, owner)
            if why:
                rel = os.path.relpath(path, e["directory"])
                out.append((f"{rel}:{i + 1}:{m.group(1)}", owner[i][0], why, end - i + 1, line.strip()))
    return out


def select(argv):
    db, count, seed = DB, 200, 2026
    while argv:
        a = argv.pop(0)
        if a == "--db":
            db = argv.pop(0)
        elif a == "--count":
            count = int(argv.pop(0))
        elif a == "--seed":
            seed = int(argv.pop(0))
        else:
            raise SystemExit(__doc__)
    found = candidates(db)
    chosen = found if len(found) <= count else sorted(random.Random(seed).sample(found, count),
                                                      key=lambda c: (c[0].rsplit(":", 2)[0], int(c[0].rsplit(":", 2)[1])))
    print(f"# bench/seed-linux.py select --db {db} --count {count} --seed {seed}: "
          f"{len(chosen)} of {len(found)} candidates (release calls of rules/linux.yaml on error paths)")
    print("id\tfunction\twhere\tlines\tcode")
    for c in chosen:
        print("\t".join(map(str, c)))


def read_tsv(path):
    rows = [l.rstrip("\n").split("\t") for l in open(path) if l.strip() and not l.startswith("#")]
    return [dict(zip(rows[0], r)) for r in rows[1:]]


def lint_copy(ladder, entry, path, text, work):
    """Lint `text` as if it were `path`, through a one-entry database in `work`."""
    for f in os.listdir(work):
        os.remove(os.path.join(work, f))
    copy = os.path.join(work, os.path.basename(path))
    open(copy, "w").write(text)
    args = list(entry.get("arguments") or entry["command"].split())
    original = {path, os.path.relpath(path, entry["directory"]), entry["file"]}
    args = [copy if a in original else a for a in args if not a.startswith("-Wp,-MMD")]
    args.insert(1, f"-iquote{os.path.dirname(path)}")
    json.dump([{"directory": entry["directory"], "file": copy, "arguments": args}],
              open(os.path.join(work, "compile_commands.json"), "w"))
    out = subprocess.run(["nice", "-n", "10", ladder, "lint", "-p", os.path.join(work, "compile_commands.json"),
                          "--rules", "linux", "--format", "json", "-j", "1", copy],
                         cwd=entry["directory"], capture_output=True, text=True)
    try:
        report = json.loads(out.stdout)
    except ValueError:
        return None, f"no JSON (exit {out.returncode}): {out.stderr.strip()[:200]}"
    errors = report.get("errors") or []
    # A finding is new when its function, rule, line or resource kind is: a seed's leak reported at
    # the same line as an older finding about another resource (`pci-device` and `iomap` both
    # at one goto) is a new finding. The function that acquired the resource is kept too: a
    # helper that now leaves its resource held on failure is reported at its caller's call,
    # naming the helper ("regulator-enable from stm32_adc_core_switches_supply_en() is not
    # released"), and that finding is about the seed.
    return [(f["function"], f["rule"], f["location"]["line"], (f.get("resource") or {}).get("kind"),
             (f.get("resource") or {}).get("acquiredBy"))
            for f in report["findings"]], \
        ("; ".join(str(e)[:200] for e in errors) if errors else None)


def delete(text, line, count):
    lines = text.split("\n")
    i = line - 1
    indent = lines[i][:len(lines[i]) - len(lines[i].lstrip())]
    lines[i] = indent + ";"
    for k in range(1, count):
        lines[i + k] = ""
    return "\n".join(lines)


def run(argv):
    if not argv:
        raise SystemExit(__doc__)
    ladder = os.path.abspath(argv.pop(0))
    opts = {"--db": DB, "--seeds": os.path.join(HERE, "seeds", "linux-measuring.tsv"),
            "--causes": os.path.join(HERE, "seeds", "linux-miss-causes.tsv"),
            "--cache": "/tmp/ladder-seed-linux-cache", "--limit": "0", "-j": "1"}
    while argv:
        a = argv.pop(0)
        if a not in opts:
            raise SystemExit(__doc__)
        opts[a] = argv.pop(0)
    seeds = read_tsv(opts["--seeds"])
    if int(opts["--limit"]):
        seeds = seeds[:int(opts["--limit"])]
    causes = {r["id"]: r for r in read_tsv(opts["--causes"])} if os.path.exists(opts["--causes"]) else {}
    db = {os.path.relpath(p, e["directory"]): (p, e) for p, e in entries(opts["--db"])}
    cache = os.path.join(opts["--cache"], hashlib.sha256(open(ladder, "rb").read()).hexdigest()[:16])
    os.makedirs(cache, exist_ok=True)
    by_file = {}
    for s in seeds:
        by_file.setdefault(s["id"].rsplit(":", 2)[0], []).append(s)

    def cached(key, make):
        # "v3": findings carry their resource kind and acquirer (older cache entries do not).
        p = os.path.join(cache, hashlib.sha256(("v3\0" + key).encode()).hexdigest()[:24] + ".json")
        if not os.path.exists(p):
            findings, error = make()
            json.dump({"findings": findings, "error": error}, open(p + ".tmp", "w"))
            os.replace(p + ".tmp", p)
        r = json.load(open(p))
        return [tuple(f) for f in r["findings"]] if r["findings"] is not None else None, r["error"]

    def one_file(rel):
        """The seeds of one file, each linted alone, against the unmodified file."""
        path, entry = db[rel]
        text = open(path, errors="replace").read()
        work = tempfile.mkdtemp(prefix="ladder-seed-linux-")
        out = []
        try:
            base, base_error = cached(rel + "\0" + text, lambda: lint_copy(ladder, entry, path, text, work))
            for s in by_file[rel]:
                _, line, call = s["id"].rsplit(":", 2)
                if text.split("\n")[int(line) - 1].strip() != s["code"]:
                    out.append((s, "stale", [], "the line no longer matches the seed"))
                    continue
                mutated = delete(text, int(line), int(s["lines"]))
                found, error = cached(rel + "\0" + mutated, lambda: lint_copy(ladder, entry, path, mutated, work))
                if found is None or base is None:
                    out.append((s, "error", [], error or base_error))
                else:
                    new = sorted({f[1] for f in set(found) - set(base) if s["function"] in (f[0], f[4])})
                    out.append((s, "caught" if new else "missed", new, error))
        finally:
            shutil.rmtree(work)
        for s, status, rules, note in out:
            print(f"{status:7} {s['id']:60} {s['function']:32} {', '.join(rules) or (note or '')}", flush=True)
        return out

    # Files are independent: -j N lints N at once (1 on a shared machine).
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(max_workers=max(int(opts["-j"]), 1)) as pool:
        results = [r for rs in pool.map(one_file, list(by_file)) for r in rs]

    print("\nmisses (cause read by hand in bench/seeds/linux-miss-causes.tsv; '?' not read yet)")
    by_cause = {}
    for s, status, _, _ in results:
        if status == "missed":
            c = causes.get(s["id"], {})
            cause = c.get("cause", "?")
            by_cause[cause] = by_cause.get(cause, 0) + 1
            print(f"  {s['id']:60} {s['function']:30} {cause:24} {c.get('note', '')}")
    caught = sum(r[1] == "caught" for r in results)
    judged = sum(r[1] in ("caught", "missed") for r in results)
    print("\n| seeds (measuring set) | count |\n|---|---|")
    print(f"| seeded | {len(results)} |")
    print(f"| linted (no processing error on the file) | {judged} |")
    for status in ("error", "stale"):
        if any(r[1] == status for r in results):
            print(f"| {status} | {sum(r[1] == status for r in results)} |")
    print(f"| **reported (recall)** | **{caught}/{judged} ({100 * caught / max(judged, 1):.0f}%)** |")
    for where in ("label", "return"):
        sel = [r for r in results if r[0]["where"] == where and r[1] in ("caught", "missed")]
        print(f"| of which {'after a ladder label' if where == 'label' else 'before an error return/goto'} | "
              f"{sum(r[1] == 'caught' for r in sel)}/{len(sel)} |")
    print("\n| misses by cause | count |\n|---|---|")
    for cause, n in sorted(by_cause.items(), key=lambda x: -x[1]):
        print(f"| {cause} | {n} |")


def main():
    if len(sys.argv) < 2 or sys.argv[1] not in ("select", "run"):
        raise SystemExit(__doc__)
    (select if sys.argv[1] == "select" else run)(sys.argv[2:])


if __name__ == "__main__":
    main()

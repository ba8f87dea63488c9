#!/usr/bin/env python3
"""Classify xv6 seeding mutants before ladder is scored on them: does the mutated program
really leak (deletions), does the order matter (adjacent swaps)?

The mutants are bench/seed-releases.py's (every release call of the xv6 pack deleted, one at a
time; every two adjacent release calls swapped). The verdict comes from the ground truth where
it can: each mutant's tree runs under `ladder groundtruth` (the tree's own C on the Sv39 model,
every scenario under every failure point), and its problems, blocked calls and panics are
compared with those of the unmodified tree. Anything new means the mutant misbehaves
(`leaks` / `dependent`). Nothing new, when the mutated line ran inside a scenario's call or
teardown, means `equivalent` / `independent`. Where no run reaches the line inside a call
(files the ground truth does not host, branches no scenario takes, code run only while a
scenario sets up) the verdict is read by hand and comes from the hand file
(bench/seeds/xv6-hand.tsv: id, verdict, reason); without an entry it is `unknown`.

Which lines run, and in which phase, is learned from one extra run in which every release line
is prefixed with a call that only records it (`gt_seed_probe("vm.c:245")`): the prefix goes on
the same line, so the program's behaviour and line numbers are unchanged. The probe is
appended to a scratch copy of the ground-truth runtime (LADDER_GT_RUNTIME); Sources/ is not
touched. It reads the runtime's `gt_phase` and `gt_current`: if those are renamed, the probe
run fails to build and says so.

usage:
  bench/seed-xv6-classify.py LADDER CHECKOUT [--out DIR] [--hand TSV] [--cache DIR] [-j N]

  CHECKOUT  an xv6-riscv checkout (kernel/ inside; mit-pdos/xv6-riscv f5b93ef), copied to a
            temporary directory, never written
  --out     where xv6-deletions.tsv and xv6-swaps.tsv are written (default bench/seeds)
  --hand    hand verdicts (default bench/seeds/xv6-hand.tsv)
  --cache   keeps each mutant's ground-truth result, so an interrupted run resumes
            (default /tmp/ladder-seed-xv6-cache)

One ground-truth run per reached mutant, restricted with --only to the functions whose
scenarios reach the line (about 5-15 s each on two shared cores): about an hour for the whole
tree the first time, seconds with a full cache. The scoring (bench/seed-releases.py) does not
need this script: it reads the committed TSVs.
"""
import hashlib, importlib.util, json, os, shutil, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("seed_releases", os.path.join(HERE, "seed-releases.py"))
seed = importlib.util.module_from_spec(spec)
spec.loader.exec_module(seed)

PROBE = r'''
// Appended by bench/seed-xv6-classify.py to a scratch copy: records that a line ran, in
// which phase and under which function's scenario, without changing what the kernel does.
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
void
gt_seed_probe(const char *id)
{
  static int fd = -1;
  if(fd < 0){
    const char *path = getenv("GTSEED_LOG");
    if(!path) return;
    fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0644);
    if(fd < 0) return;
  }
  char line[512];
  const char *fn = gt_current ? gt_current->function : "?";
  int n = 0;
  line[n++] = '0' + gt_phase; line[n++] = '\t';
  for(const char *s = fn; *s && n < 250; s++) line[n++] = *s;
  line[n++] = '\t';
  for(const char *s = id; *s && n < 500; s++) line[n++] = *s;
  line[n++] = '\n';
  write(fd, line, n);
}
'''
PHASES = {"0": "setup", "1": "call", "2": "teardown"}


def groundtruth(ladder, tree, env, only=()):
    cmd = ["nice", "-n", "10", ladder, "groundtruth", tree, "--format", "json", "-j", JOBS]
    for f in sorted(only):
        cmd += ["--only", f]
    out = subprocess.run(cmd, capture_output=True, text=True, env=env)
    try:
        return json.loads(out.stdout)
    except ValueError:
        raise SystemExit(f"ladder groundtruth gave no JSON (exit {out.returncode}): {out.stderr.strip()[:400]}")


def signature(report):
    """What the runs showed, without addresses: problems, blocked calls, panics, unit errors."""
    sig = set()
    for unit in report.get("units", []):
        if unit.get("error"):
            sig.add(("unit-error", unit["name"], unit["error"][:200]))
        for f in unit.get("functions", []):
            where = (f["file"].rsplit("/", 1)[-1], f["function"])
            for p in f.get("problems", []):
                sig.add(where + (p["problem"], p["kind"], p["line"], p["acquiredLine"], p.get("inTeardown", False)))
            for what in f.get("blocked", {}):
                sig.add(where + ("blocked", what))
            for message in f.get("panics", {}):
                sig.add(where + ("panic", message))
    return sig


def describe(item):
    file, function, what = item[0], item[1], item[2]
    if what in ("blocked", "panic"):
        return f"{function}: {what} {item[3]}"
    if what == "unit-error":
        return f"{file}: {item[2]}"
    problem, kind, line, acquired, teardown = item[2:]
    return f"{function}: {problem} {kind}" + (f"@{line}" if line else "") + (" in teardown" if teardown else "")


def main():
    argv = sys.argv[1:]
    opts = {"--out": os.path.join(HERE, "seeds"), "--hand": os.path.join(HERE, "seeds", "xv6-hand.tsv"),
            "--cache": "/tmp/ladder-seed-xv6-cache", "-j": "2"}
    positional = []
    while argv:
        a = argv.pop(0)
        if a in opts:
            opts[a] = argv.pop(0)
        else:
            positional.append(a)
    if len(positional) != 2:
        raise SystemExit(__doc__)
    global JOBS
    JOBS = opts["-j"]
    ladder, checkout = os.path.abspath(positional[0]), os.path.abspath(positional[1])
    hand = seed.read_tsv(opts["--hand"]) if os.path.exists(opts["--hand"]) else {}
    os.makedirs(opts["--cache"], exist_ok=True)

    work = tempfile.mkdtemp(prefix="ladder-seed-classify-")
    try:
        tree = os.path.join(work, "xv6")
        shutil.copytree(checkout, tree, ignore=shutil.ignore_patterns(".git"))
        kernel = os.path.join(tree, "kernel")
        runtime = os.path.join(work, "runtime")
        shutil.copytree(os.path.join(HERE, "..", "Sources", "GroundTruth", "Resources", "runtime"), runtime)
        with open(os.path.join(runtime, "gt_runtime.c"), "a") as f:
            f.write(PROBE)
        env = dict(os.environ, LADDER_GT_RUNTIME=runtime, GTSEED_LOG=os.path.join(work, "probe.log"))
        mutants = seed.mutants_of(kernel)
        originals = {m.file: open(os.path.join(kernel, m.file)).read() for m in mutants}
        # The cache is valid for one tree and one ladder: key it by both.
        key = hashlib.sha256("".join(originals[k] for k in sorted(originals)).encode()
                             + open(ladder, "rb").read()).hexdigest()[:16]
        cache = os.path.join(opts["--cache"], key)
        os.makedirs(cache, exist_ok=True)

        # Coverage: every release line prefixed with its probe, in one run.
        for name, text in originals.items():
            lines = text.split("\n")
            for m in mutants:
                if m.file == name and m.kind == "delete":
                    # Braced with the statement: it may be the body of an `if` on the line before.
                    indent = lines[m.line - 1][:len(lines[m.line - 1]) - len(lines[m.line - 1].lstrip())]
                    lines[m.line - 1] = (f'{indent}{{ extern void gt_seed_probe(const char *); '
                                         f'gt_seed_probe("{name}:{m.line}"); {lines[m.line - 1].strip()} }}')
            open(os.path.join(kernel, name), "w").write("\n".join(lines))
        cov_path = os.path.join(cache, "coverage.tsv")
        if not os.path.exists(cov_path):
            groundtruth(ladder, tree, env)
            shutil.copy(os.path.join(work, "probe.log") if os.path.exists(os.path.join(work, "probe.log")) else os.devnull, cov_path)
        for name, text in originals.items():
            open(os.path.join(kernel, name), "w").write(text)
        env.pop("GTSEED_LOG")
        reached = {}  # "file:line" -> {phase: {functions}}
        for row in open(cov_path):
            phase, function, where = row.rstrip("\n").split("\t")
            reached.setdefault(where, {}).setdefault(PHASES.get(phase, phase), set()).add(function)
        print(f"coverage: {len(reached)} of {sum(m.kind == 'delete' for m in mutants)} release lines ran", flush=True)

        base_path = os.path.join(cache, "baseline.json")
        if not os.path.exists(base_path):
            a, b = groundtruth(ladder, tree, env), groundtruth(ladder, tree, env)
            if signature(a) != signature(b):
                print(f"note: the baseline differs between two runs: {sorted(signature(a) ^ signature(b))}", file=sys.stderr)
            json.dump(sorted(map(list, signature(a) | signature(b))), open(base_path, "w"))
        baseline = {tuple(x) for x in json.load(open(base_path))}

        rows = []
        for m in mutants:
            lines_of = [f"{m.file}:{m.line}"] + ([f"{m.file}:{m.line + 1}"] if m.kind == "swap" else [])
            phases = {}
            for l in lines_of:
                for phase, fns in reached.get(l, {}).items():
                    phases.setdefault(phase, set()).update(fns)
            in_call = phases.get("call", set()) | phases.get("teardown", set())
            new = None
            if phases:
                path = os.path.join(cache, m.id.replace("/", "_").replace(":", "_").replace("<>", "-") + ".json")
                if not os.path.exists(path):
                    open(os.path.join(kernel, m.file), "w").write(m.apply(originals[m.file]))
                    # Setup code runs under every scenario: then everything runs.
                    only = () if "setup" in phases else in_call
                    report = groundtruth(ladder, tree, env, only)
                    open(os.path.join(kernel, m.file), "w").write(originals[m.file])
                    json.dump(sorted(map(list, signature(report))), open(path, "w"))
                new = sorted({tuple(x) for x in json.load(open(path))} - baseline)
            rows.append(verdict(m, phases, in_call, new, hand.get(m.id)))
            print(f"{m.kind:6} {rows[-1][1]:11} {m.id:40} {rows[-1][3]:12} {rows[-1][2]}", flush=True)
    finally:
        shutil.rmtree(work)
    write(opts["--out"], rows, mutants)


def verdict(m, phases, in_call, new, by_hand):
    """(id, verdict, reason, source) for one mutant."""
    bad, good = ("leaks", "equivalent") if m.kind == "delete" else ("dependent", "independent")
    if new:
        return m.id, bad, "; ".join(describe(x) for x in new[:4]) + (f" (+{len(new) - 4})" if len(new) > 4 else ""), "groundtruth"
    if new is not None and in_call:
        if by_hand and by_hand["verdict"] != good:
            # The runs are blind to it (a resource the runtime does not count): the hand says why.
            return m.id, by_hand["verdict"], by_hand["reason"] + f" (runs under {', '.join(sorted(in_call))} show nothing)", "hand"
        return m.id, good, f"ran under {', '.join(sorted(in_call))}: no new problem", "groundtruth"
    where = "ran only while scenarios set up, nothing new" if new is not None else \
        ("no scenario reaches it" if m.file in HOSTED else "file not hosted by the ground truth")
    if by_hand:
        return m.id, by_hand["verdict"], f"{by_hand['reason']} ({where})", "hand"
    return m.id, "unknown", where, "none"


HOSTED = {"vm.c", "kalloc.c", "proc.c", "exec.c", "pipe.c", "file.c", "sysfile.c", "fs.c", "log.c", "bio.c"}


def write(out, rows, mutants):
    by_id = {m.id: m for m in mutants}
    header = "id\tverdict\treason\tsource\tfunction\terror_path\tcode\n"
    for kind, name in [("delete", "xv6-deletions.tsv"), ("swap", "xv6-swaps.tsv")]:
        with open(os.path.join(out, name), "w") as f:
            f.write("# Written by bench/seed-xv6-classify.py on mit-pdos/xv6-riscv f5b93ef; read by bench/seed-releases.py.\n")
            f.write("# verdict: deletions leaks|equivalent|unknown, swaps dependent|independent|unknown;"
                    " source: groundtruth (a run of the mutant) or hand (read, bench/seeds/xv6-hand.tsv)\n")
            f.write(header)
            for id_, v, reason, source in rows:
                m = by_id[id_]
                if m.kind == kind:
                    f.write(f"{id_}\t{v}\t{reason}\t{source}\t{m.function}\t{'yes' if m.on_error else 'no'}\t{m.text}\n")
    counts = {}
    for id_, v, _, source in rows:
        counts[(by_id[id_].kind, v, source)] = counts.get((by_id[id_].kind, v, source), 0) + 1
    print("\n| mutants | verdict | source | count |\n|---|---|---|---|")
    for (k, v, s), n in sorted(counts.items()):
        print(f"| {k} | {v} | {s} | {n} |")


if __name__ == "__main__":
    main()

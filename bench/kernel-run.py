#!/usr/bin/env python3
"""Whole-kernel runs, measured: what docs/performance.md's "Whole-kernel runs" table reports.

    bench/kernel-run.py -p BUILD_DIR [--rules linux] [--limit N]
    bench/kernel-run.py PATH... [-- CLANG_ARGS...]      (default: fixtures/xv6)

It works on a private copy of the tree (hard links for a compile database's source root,
so a kernel costs seconds and no space; files it edits are replaced, never written through
the link), so the tree itself is never touched. Steps, each timed with /usr/bin/time:

  1. first run at -j1 into an empty cache                 (wall, peak RSS); then libclang's
     parse alone (LADDER_STAGE=parse) with and without its shortcuts (LADDER_PARSE=preamble:
     a preamble whatever the headers' size; LADDER_PARSE=plain: no preamble, header bodies
     parsed)
  2. clang-19 -fsyntax-only over the same files, one process per file, with the flags
     ladder gives libclang                                  (wall)
  3. unchanged re-run                                       (ratio to 1; target <= 5%)
  4. one .c edited (a comment appended)                     (ratio to 1; target <= 10%)
  5. the header included by the most files but not all edited: ladder's count of files
     parsed against the number of cached units that recorded the header (must be equal)
  6. first run at -j2 into an empty cache                   (speed-up over 1); and, for
     comparison, two separate -j1 processes parsing half the files each
  7. four shards in two steps (--phase summarize into one cache each, then each shard with
     every cache copied in) and `ladder merge`: its JSON findings against step 1's, byte
     for byte

With --paired N it runs instead N interleaved rounds of (first run -j1, its unchanged
re-run, first run -j2, clang-19 over the same files), each first run into an empty cache,
and prints the median of each and the median of the per-round ratios, with the load
average before and after: on a shared machine, a ratio within one round is what means
something, and interleaving spreads the other users' load over both sides alike.

Uses the release build (.build/release/ladder; built if missing). Ratios matter, not
absolute times: the machine is shared and noisy.
"""
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LADDER = os.path.join(ROOT, ".build/release/ladder")


def timed(argv, **kw):
    """(wall seconds, peak RSS in MB, exit status) of one command, through /usr/bin/time."""
    out = tempfile.NamedTemporaryFile(delete=False).name
    status = subprocess.call(["/usr/bin/time", "-o", out, "-f", "%e %M"] + argv,
                             stdout=subprocess.DEVNULL, stderr=kw.pop("stderr", subprocess.DEVNULL), **kw)
    wall, rss = open(out).read().split()[-2:]
    os.unlink(out)
    return float(wall), int(rss) / 1024, status


def replace_file(path, text):
    """Writes by rename, so a hard-linked original is left as it was."""
    tmp = path + ".bench-tmp"
    with open(tmp, "w") as f:
        f.write(text)
    shutil.copymode(path, tmp)
    os.replace(tmp, path)


def private_copy(args, work):
    """The inputs, re-rooted in `work`: (ladder input arguments, [(directory, file, clang argv)])."""
    if args.db:
        db_path = args.db if args.db.endswith(".json") else os.path.join(args.db, "compile_commands.json")
        entries = json.load(open(db_path))
        if args.under:
            entries = [e for e in entries if os.path.relpath(os.path.join(e["directory"], e["file"]), e["directory"]).startswith(args.under)]
        entries = entries[: args.limit or None]
        source = os.path.commonpath([e["directory"] for e in entries])
        tree = os.path.join(work, "tree")
        subprocess.check_call(["cp", "-al", source, tree])
        rewritten = []
        for e in entries:
            e = json.loads(json.dumps(e).replace(source, tree))
            rewritten.append(e)
        os.makedirs(os.path.join(work, "db"))
        json.dump(rewritten, open(os.path.join(work, "db/compile_commands.json"), "w"), indent=1)
        units = []
        for e in rewritten:
            argv = e.get("arguments") or e["command"].split()
            units.append((e["directory"], e["file"], syntax_only(argv[1:], e["file"])))
        return ["-p", os.path.join(work, "db")], units
    tree = os.path.join(work, "tree")
    os.makedirs(tree)
    inputs = []
    for path in args.paths:
        target = os.path.join(tree, os.path.basename(os.path.normpath(path)))
        (shutil.copytree if os.path.isdir(path) else shutil.copy2)(path, target)
        inputs.append(target)
    flags = [f.replace(os.path.abspath(args.paths[0]), inputs[0]) for f in args.clang]
    files = [f for p in inputs for f in (sorted(glob.glob(p + "/**/*.c", recursive=True)) if os.path.isdir(p) else [p])]
    return inputs + (["--"] + flags if flags else []), [(tree, f, flags) for f in files]


def syntax_only(argv, file):
    """A build's command line made a syntax check that writes nothing: no object, no
    dependency file. Flags clang itself rejects are dropped by `clang_argv`."""
    out, skip = [], False
    for a in argv:
        if skip:
            skip = False
            continue
        if a in ("-o", "-MF", "-MT", "-MQ"):
            skip = True
            continue
        if a in ("-c", "-MD", "-MMD", "-MP") or a.startswith("-Wp,") or a == file or file.endswith("/" + a):
            continue
        out.append(a)
    return out


def clang_argv(directory, file, flags):
    """clang-19 refuses gcc-only flags that libclang lets pass; drop what it names as
    unknown or unsupported, as often as it takes."""
    base = ["clang-19", "-fsyntax-only", "-Wno-unknown-warning-option", "-Wno-unused-command-line-argument",
            "-ferror-limit=0", "-w"]
    flags = list(flags)
    for _ in range(20):
        # The driver judges flags whatever the input: an empty one costs nothing to parse.
        probe = subprocess.run(base + flags + ["-x", "c", "/dev/null"], cwd=directory, capture_output=True, text=True)
        unknown = re.findall(r"(?:unknown argument|unsupported option):? '([^']+)'", probe.stderr)
        if not unknown:
            break
        flags = [f for f in flags if f not in unknown]
    return base + flags + [file]


def lint_args(inputs, cache, extra):
    """`ladder lint` arguments: ours before `--`, the inputs' clang flags after it."""
    if "--" in inputs:
        i = inputs.index("--")
        return inputs[:i] + RULES + ["--cache", cache, "--fail-on", "never"] + list(extra) + inputs[i:]
    return inputs + RULES + ["--cache", cache, "--fail-on", "never"] + list(extra)


def parsed_count(inputs, cache):
    """Files phase 1 parsed, as --stats reports it."""
    run = subprocess.run([LADDER, "lint"] + lint_args(inputs, cache, ["-j", "1", "--stats"]), capture_output=True, text=True)
    m = re.search(r"phase 1: (\d+) files? parsed", run.stderr)
    return int(m.group(1)) if m else -1


def entries(cache):
    for path in glob.glob(os.path.join(cache, "v1/units/*/*/entry.json")):
        yield json.load(open(path))


def findings(report):
    return json.dumps(json.load(open(report))["findings"], indent=1)


def main():
    import argparse
    argv = sys.argv[1:]
    clang = argv[argv.index("--") + 1:] if "--" in argv else []
    argv = argv[: argv.index("--")] if "--" in argv else argv
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-p", dest="db")
    parser.add_argument("--rules", action="append", default=[])
    parser.add_argument("--limit", type=int, default=0, help="only the first N database entries")
    parser.add_argument("--under", help="only database entries whose file is under this directory (relative to the tree)")
    parser.add_argument("--paired", type=int, default=0, help="N interleaved rounds of -j1, re-run, -j2 and clang only")
    parser.add_argument("paths", nargs="*")
    args = parser.parse_args(argv)
    args.clang = clang
    if not args.db and not args.paths:
        args.paths = [os.path.join(ROOT, "fixtures/xv6")]
        args.clang = args.clang or ["-ffreestanding", "-nostdlibinc", "-I", os.path.join(ROOT, "fixtures/xv6")]
    global RULES
    RULES = [x for r in args.rules for x in ("--rules", r)]
    if not os.path.exists(LADDER):
        subprocess.check_call([os.path.join(ROOT, "scripts/build-release")], cwd=ROOT)

    work = tempfile.mkdtemp(prefix="ladder-bench-")
    try:
        inputs, units = private_copy(args, work)
        if args.paired:
            return paired(args, inputs, units, work)
        rows = []
        c1 = os.path.join(work, "cache-j1")
        first, rss, _ = timed([LADDER, "lint"] + lint_args(inputs, c1, ["-j", "1", "--format", "json", "-o", work + "/whole.json"]))
        rows.append(("first run, -j1", first, f"{rss:.0f} MB peak RSS"))
        # libclang's parse alone, with and without the shortcuts: a plain parse reports a
        # gcc-only flag as an error and the file is dropped before lowering, so whole runs
        # would not compare like with like.
        parse = {}
        for mode in ("preamble", "plain"):
            parse[mode], _, _ = timed([LADDER, "lint"] + lint_args(inputs, os.path.join(work, "cache-" + mode), ["-j", "1", "--no-cache"]),
                                      env=dict(os.environ, LADDER_STAGE="parse", LADDER_PARSE=mode))
        rows.append(("libclang parse alone, -j1, with / without shortcuts", parse["preamble"],
                     f"{parse['plain']:.2f} s without: the shortcuts save {1 - parse['preamble'] / parse['plain']:.0%}"))

        commands = [(d, clang_argv(d, f, fl)) for d, f, fl in units]
        start, failed = time.monotonic(), 0
        for d, argv in commands:
            failed += subprocess.call(argv, cwd=d, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) != 0
        clang_wall = time.monotonic() - start
        rows.append((f"clang-19 -fsyntax-only, {len(commands)} processes", clang_wall,
                     f"ladder / clang = {first / clang_wall:.2f}" + (f" ({failed} failed)" if failed else "")))

        again, _, _ = timed([LADDER, "lint"] + lint_args(inputs, c1, ["-j", "1"]))
        rows.append(("unchanged re-run", again, f"{again / first:.1%} of the first (target <= 5%)"))

        # One .c edited: a comment at its end, two seconds old so the cache may keep it.
        edited = units[len(units) // 2][1]
        original = open(edited).read()
        replace_file(edited, original + "\n/* bench */\n")
        time.sleep(2)
        one, _, _ = timed([LADDER, "lint"] + lint_args(inputs, c1, ["-j", "1"]))
        rows.append(("one .c edited", one, f"{one / first:.1%} of the first (target <= 10%)"))
        replace_file(edited, original)
        time.sleep(2)
        subprocess.call([LADDER, "lint"] + lint_args(inputs, c1, ["-j", "1"]), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

        # The header most units read, short of all of them.
        readers = {}
        recorded = list(entries(c1))
        for entry in recorded:
            for stamp in entry["inclusions"]:
                if stamp["path"] != os.path.abspath(entry["file"]) and not stamp["path"].endswith(".c"):
                    readers[stamp["path"]] = readers.get(stamp["path"], 0) + 1
        candidates = [(n, p) for p, n in readers.items() if n < len(recorded) and p.startswith(work)]
        if candidates:
            n, header = max(candidates, key=lambda c: (c[0], [-ord(ch) for ch in c[1]]))
            original = open(header).read()
            replace_file(header, original + "\n/* bench */\n")
            time.sleep(2)
            start = time.monotonic()
            count = parsed_count(inputs, c1)
            wall = time.monotonic() - start
            rows.append((f"header read by {n} of {len(recorded)} units edited", wall,
                         f"{count} parsed again ({'exactly its readers' if count == n else 'NOT its readers'}): "
                         f"{os.path.relpath(header, work + '/tree')}"))
            replace_file(header, original)

        j2, _, _ = timed([LADDER, "lint"] + lint_args(inputs, os.path.join(work, "cache-j2"), ["-j", "2"]))
        rows.append(("first run, -j2", j2, f"speed-up {first / j2:.2f}x over -j1"))
        # What the machine allows: two -j1 parses of half the files each, side by side.
        start = time.monotonic()
        halves = [subprocess.Popen([LADDER, "lint"] + lint_args(inputs, os.path.join(work, "cache-half"),
                                                                ["-j", "1", "--no-cache", "--shard", f"{k}/2"]),
                                   env=dict(os.environ, LADDER_STAGE="parse"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                  for k in (1, 2)]
        for h in halves:
            h.wait()
        both = time.monotonic() - start
        rows.append(("two -j1 processes, half the files each (parse alone)", both,
                     f"speed-up {parse['standard'] / both:.2f}x over one: the cores this machine had free"))

        shards = 4
        for k in range(1, shards + 1):
            timed([LADDER, "lint"] + lint_args(inputs, f"{work}/step1-{k}", ["--shard", f"{k}/{shards}", "--phase", "summarize"]))
        start = time.monotonic()
        reports = []
        for k in range(1, shards + 1):
            cache = f"{work}/step2-{k}"
            os.makedirs(cache)
            for j in range(1, shards + 1):
                subprocess.check_call(["cp", "-R", "-n", f"{work}/step1-{j}/.", cache])
            timed([LADDER, "lint"] + lint_args(inputs, cache, ["--shard", f"{k}/{shards}", "--format", "json",
                                                                "-o", f"{work}/shard-{k}.json"]))
            reports.append(f"{work}/shard-{k}.json")
        subprocess.call([LADDER, "merge"] + reports + ["--format", "json", "-o", work + "/merged.json"],
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        same = findings(work + "/merged.json") == findings(work + "/whole.json")
        count = len(json.load(open(work + "/whole.json"))["findings"])
        rows.append((f"{shards} shards, two steps, merged", time.monotonic() - start,
                     f"JSON findings {'byte-identical' if same else 'DIFFERENT'} to one run ({count} findings)"))

        print(f"{len(units)} files" + (f" from {args.db}" if args.db else ""))
        print("| step | wall | result |\n|---|---|---|")
        for name, wall, note in rows:
            print(f"| {name} | {wall:.2f} s | {note} |")
        return 0 if same else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


def paired(args, inputs, units, work):
    """--paired N: interleaved rounds, medians and per-round ratios."""
    from statistics import median
    commands = [(d, clang_argv(d, f, fl)) for d, f, fl in units]
    load_before = open("/proc/loadavg").read().split()[:3]
    rounds = []
    for r in range(args.paired):
        j1, rss, _ = timed([LADDER, "lint"] + lint_args(inputs, f"{work}/p{r}-j1", ["-j", "1"]))
        again, _, _ = timed([LADDER, "lint"] + lint_args(inputs, f"{work}/p{r}-j1", ["-j", "1"]))
        j2, _, _ = timed([LADDER, "lint"] + lint_args(inputs, f"{work}/p{r}-j2", ["-j", "2"]))
        start = time.monotonic()
        for d, argv in commands:
            subprocess.call(argv, cwd=d, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        clang = time.monotonic() - start
        rounds.append(dict(j1=j1, again=again, j2=j2, clang=clang, rss=rss))
        print(f"round {r + 1}: -j1 {j1:.2f} s, re-run {again:.2f} s, -j2 {j2:.2f} s, clang {clang:.2f} s, "
              f"load {open('/proc/loadavg').read().split()[0]}", file=sys.stderr)
    load_after = open("/proc/loadavg").read().split()[:3]
    print(f"{len(units)} files" + (f" from {args.db}" if args.db else "") + f", {args.paired} interleaved rounds; "
          f"load average {' '.join(load_before)} before, {' '.join(load_after)} after; {os.cpu_count()} cores")
    print("| measure | median | per-round ratios (median) |\n|---|---|---|")
    m = lambda key: median(x[key] for x in rounds)
    ratio = lambda a, b: median(x[a] / x[b] for x in rounds)
    each = lambda a, b: ", ".join("%.2f" % (x[a] / x[b]) for x in rounds)
    print(f"| first run -j1 | {m('j1'):.2f} s | ladder / clang-19 -fsyntax-only {ratio('j1', 'clang'):.2f} "
          f"({each('j1', 'clang')}) |")
    print(f"| clang-19 -fsyntax-only, one process per file | {m('clang'):.2f} s | |")
    print(f"| unchanged re-run | {m('again'):.2f} s | {ratio('again', 'j1'):.1%} of the first |")
    print(f"| first run -j2 | {m('j2'):.2f} s | speed-up {ratio('j1', 'j2'):.2f}x "
          f"({each('j1', 'j2')}) |")
    print(f"| peak RSS, -j1 (ladder process) | {median(x['rss'] for x in rounds):.0f} MB | |")
    return 0


RULES = []
if __name__ == "__main__":
    sys.exit(main())

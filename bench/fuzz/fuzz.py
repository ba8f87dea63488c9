#!/usr/bin/env python3
"""Throws generated C at `ladder lint` and counts what must never happen.

    bench/fuzz/fuzz.py csmith  [--count N] [--first-seed S]   random programs (Debian's csmith)
    bench/fuzz/fuzz.py mutants [--count N] [--seed S]         single-edit mutants of every fixture
    bench/fuzz/fuzz.py hostile                                bench/fuzz/hostile.py's cases
    bench/fuzz/fuzz.py packs   [--count N] [--seed S]         mutants of the built-in rule packs
    bench/fuzz/fuzz.py sample                                 the small fixed sample CI runs
    common: --ladder PATH (default .build/release/ladder)  -j N (default 1)  --batch N
            --timeout-per-file S (default 60)  --keep DIR (copy every bad input there)  --json

Inputs are checked in batches, one `ladder lint --format json -o` run per batch, with file
workers (the default), so one file's crash is that file's error and the batch goes on.
Per input, one of:

  crash    its file worker died, or the ladder process itself ended by a signal or with a
           status other than 0, 1 or 2
  hang     stopped by --timeout-per-file, or the batch outlived its own generous limit
  invalid  the JSON report fails the schema (docs/json-report.schema.json), or loses the
           input: neither counted as checked nor listed under errors
  ok       anything else: findings, a parse error, a function not analysed are answers

A pack mutant is one built-in pack with a few of its values changed where a pack author
errs (a position made negative or huge, a template's hole malformed, a line deleted or
repeated), linted over fixtures written for that pack. It is a crash when ladder ends by
a signal or with a status other than 0, 1 or 2, a hang when it outlives its limit, and
invalid when it exits 2 without naming the pack file (a pack error must say where).

Hostile cases carry their own expected outcome (a case built to overflow the parser is
expected to crash its worker and nothing else); a different outcome is "unexpected".
The summary is one line per kind, and with --json one JSON object; the exit status is 1
when anything but "ok" was seen. Figures from long runs are in docs/reliability.md.
"""
import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hostile  # noqa: E402

SCHEMA = os.path.join(ROOT, "docs", "json-report.schema.json")
FIXTURE_ROOTS = ["fixtures/checks", "fixtures/xv6", "fixtures/lowering", "fixtures/reports"]
WORKER_DEATH = ("the file worker died", "the file worker's answer could not be read",
                "cannot start a file worker", "the file worker stopped before")


class Input:
    def __init__(self, path, rules="xv6", expected=None, words=""):
        self.path = path
        self.rules = rules
        self.expected = expected
        self.words = words
        self.outcome = None
        self.detail = ""
        # For the figures: did the file load (parse), and did it get findings?
        self.loaded = False


# MARK: Generators

def csmith_inputs(work, count, first_seed):
    # Without the headers every program is a parse error: a run that checks nothing.
    if shutil.which("csmith") is None or not os.path.exists("/usr/include/csmith/csmith.h"):
        sys.exit("csmith or its headers are not installed: apt-get install csmith libcsmith-dev")
    inputs = []
    for seed in range(first_seed, first_seed + count):
        path = os.path.join(work, "csmith_%d.c" % seed)
        with open(path, "w") as out:
            # csmith leaves platform.info in its working directory: keep it in ours.
            subprocess.run(["csmith", "--seed", str(seed), "--no-packed-struct"], stdout=out, check=True, cwd=work)
        inputs.append(Input(path))
    return inputs


TOKENS = ["{", "}", "(", ")", ";", ",", "&&", "||", "!", "*", "&", "0", "-1", "goto out;", "goto bad;",
          "return 0;", "return -1;", "kfree(p);", "break;", "continue;", "if (x)", "else", "#define X",
          "#if 0", "#endif", "/*", "*/", "\"", "'", "\\", "__attribute__((cleanup(f)))", "({", "})", "?", ":",
          "\x00", "\xe9", "out:", "bad:", "switch (x) {", "case 1:", "default:", "while (1)", "for (;;)",
          "do", "sizeof", "->", ".", "[", "]", "=", "==", "++", "--"]
NUMBERS = ["0", "-1", "1", "4096", "0x7fffffff", "-2147483648", "18446744073709551615"]


def mutate(data, rng):
    """One edit of `data` (bytes): the kind and the place chosen by `rng`."""
    lines = data.split(b"\n")
    kind = rng.randrange(8)
    if kind == 0 and len(lines) > 1:                       # delete a line
        del lines[rng.randrange(len(lines))]
    elif kind == 1:                                        # duplicate a line
        i = rng.randrange(len(lines))
        lines.insert(i, lines[i])
    elif kind == 2 and len(lines) > 1:                     # swap a line with the next
        i = rng.randrange(len(lines) - 1)
        lines[i], lines[i + 1] = lines[i + 1], lines[i]
    elif kind == 3 and data:                               # delete a byte
        i = rng.randrange(len(data))
        return data[:i] + data[i + 1:]
    elif kind == 4:                                        # insert a token
        i = rng.randrange(len(data) + 1)
        token = rng.choice(TOKENS).encode("latin-1")
        return data[:i] + b" " + token + b" " + data[i:]
    elif kind == 5:                                        # one identifier for another
        words = sorted(set(re.findall(rb"\b[A-Za-z_][A-Za-z0-9_]*\b", data)))
        if len(words) >= 2:
            a, b = rng.sample(words, 2)
            return data.replace(a, b, 1)
    elif kind == 6:                                        # a number for another
        digits = [i for i, c in enumerate(data) if chr(c).isdigit()]
        if digits:
            i = rng.choice(digits)
            return data[:i] + rng.choice(NUMBERS).encode() + data[i + 1:]
    elif data:                                             # truncate
        return data[:rng.randrange(len(data))]
    return b"\n".join(lines)


def mutant_inputs(work, count, seed):
    """`count` mutants spread over every fixture; each fixture root's headers are copied
    beside them, so includes resolve as in the original."""
    rng = random.Random(seed)
    fixtures = []
    for root in FIXTURE_ROOTS:
        for directory, _, names in os.walk(os.path.join(ROOT, root)):
            for name in sorted(names):
                if name.endswith(".c"):
                    fixtures.append(os.path.join(directory, name))
    fixtures.sort()
    for root in FIXTURE_ROOTS:
        for directory, _, names in os.walk(os.path.join(ROOT, root)):
            target = os.path.join(work, os.path.relpath(directory, ROOT))
            os.makedirs(target, exist_ok=True)
            for name in names:
                if name.endswith(".h"):
                    shutil.copy(os.path.join(directory, name), target)
    inputs = []
    for n in range(count):
        original = fixtures[n % len(fixtures)]
        with open(original, "rb") as f:
            data = f.read()
        rules = "linux" if data.startswith(b"// ladder-rules: linux") else "xv6"
        relative = os.path.relpath(original, ROOT)
        path = os.path.join(work, relative[:-2] + ".m%d.c" % n)
        with open(path, "wb") as out:
            out.write(mutate(data, rng))
        inputs.append(Input(path, rules))
    return inputs


def hostile_inputs(work):
    return [Input(os.path.join(work, case["file"]), "xv6", case["expected"], case["words"])
            for case in hostile.write(work)]


PACK_NUMBERS = ["-1", "-2", "7", "4096", "9223372036854775807", "-9223372036854775808", "99999999999999999999"]
PACK_HOLES = ["{}", "{-1}", "{ret", "{0}}", "{1/}", "{1/0}", "{1/-1}", "{1/x}", "{1/4096:}", "{99}", "{ret}{0}"]


def mutate_pack(text, rng):
    """A few edits of a pack's text where authors err: a number, a hole, a line."""
    lines = text.split("\n")
    for _ in range(rng.randint(1, 3)):
        numbered = [n for n, line in enumerate(lines) if re.search(r"(?<![\w{/-])\d+(?![\w}])", line)]
        holed = [n for n, line in enumerate(lines) if re.search(r"\{[^{}]*\}", line)]
        choice = rng.random()
        if choice < 0.4 and numbered:
            n = rng.choice(numbered)
            spots = list(re.finditer(r"(?<![\w{/-])\d+(?![\w}])", lines[n]))
            m = rng.choice(spots)
            lines[n] = lines[n][:m.start()] + rng.choice(PACK_NUMBERS) + lines[n][m.end():]
        elif choice < 0.8 and holed:
            n = rng.choice(holed)
            spots = list(re.finditer(r"\{[^{}]*\}", lines[n]))
            m = rng.choice(spots)
            lines[n] = lines[n][:m.start()] + rng.choice(PACK_HOLES) + lines[n][m.end():]
        elif choice < 0.9:
            del lines[rng.randrange(len(lines))]
        else:
            n = rng.randrange(len(lines))
            lines.insert(n, lines[rng.randrange(len(lines))])
    return "\n".join(lines)


def pack_inputs(work, count, seed):
    """`count` pack mutants, each with up to twelve of the fixtures that declare its pack,
    chosen by the seed."""
    rng = random.Random(seed)
    fixtures = {}
    for root in FIXTURE_ROOTS:
        for directory, _, names in os.walk(os.path.join(ROOT, root)):
            for name in sorted(names):
                if not name.endswith(".c"):
                    continue
                with open(os.path.join(directory, name), "rb") as f:
                    first = f.readline()
                match = re.match(rb"// ladder-rules: (\w+)", first)
                if match:
                    fixtures.setdefault(match.group(1).decode(), []).append(os.path.join(directory, name))
    packs = sorted(fixtures)
    inputs = []
    for n in range(count):
        name = packs[n % len(packs)]
        with open(os.path.join(ROOT, "Sources", "LadderCore", "Resources", "rules", name + ".yaml")) as f:
            text = f.read()
        case = os.path.join(work, "pack%d" % n)
        os.makedirs(case)
        path = os.path.join(case, "pack%d-%s.yaml" % (n, name))
        with open(path, "w") as out:
            out.write(mutate_pack(text, rng))
        i = Input(path, path)
        # Linted where they are, so their includes resolve; `--no-cache` writes nothing.
        i.files = sorted(rng.sample(sorted(fixtures[name]), min(12, len(fixtures[name]))))
        inputs.append(i)
    return inputs


def check_packs(inputs, ladder, timeout, work):
    """One lint per mutant pack: its own fixtures, the pack as --rules."""
    for n, i in enumerate(inputs):
        command = ["nice", "-n", "10", ladder, "lint", "--no-cache", "--rules", i.path, "--format", "json",
                   "--timeout-per-file", str(timeout), "--allow-incomplete"] + i.files
        try:
            done = subprocess.run(command, cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                  timeout=timeout * len(i.files) + 60)
        except subprocess.TimeoutExpired:
            i.outcome, i.detail = "hang", "the lint outlived its limit"
            continue
        err = done.stderr.decode(errors="replace")
        i.detail = err[-300:]
        i.loaded = done.returncode in (0, 1)
        if done.returncode not in (0, 1, 2):
            i.outcome, i.detail = "crash", "ladder ended by %s: %s" % (ended_by(done.returncode), err[-300:])
        elif done.returncode == 2 and not i.loaded and os.path.basename(i.path) + ":" not in err:
            i.outcome = "invalid"
        else:
            i.outcome = "ok"
        print("packs: %d/%d" % (n + 1, len(inputs)), file=sys.stderr, flush=True)


# MARK: Running and judging

def ended_by(status):
    """How a process that was no answer ended: by a signal, or with an odd exit status."""
    return "signal %d" % -status if status < 0 else "exit status %d" % status


def run_batch(ladder, batch, jobs, timeout, clang_args, work):
    report_path = os.path.join(work, "report.json")
    if os.path.exists(report_path):
        os.remove(report_path)
    command = ["nice", "-n", "10", ladder, "lint", "--rules", batch[0].rules, "--format", "json", "-o", report_path,
               "-j", str(jobs), "--timeout-per-file", str(timeout), "--allow-incomplete"]
    command += [i.path for i in batch] + ["--"] + clang_args
    limit = timeout * len(batch) + 120
    try:
        done = subprocess.run(command, cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=limit)
    except subprocess.TimeoutExpired:
        for i in batch:
            i.outcome, i.detail = "hang", "the batch outlived %d s" % limit
        return
    if done.returncode not in (0, 1, 2):
        for i in batch:
            i.outcome, i.detail = "crash", "ladder ended by %s: %s" % (ended_by(done.returncode),
                                                                       done.stderr.decode(errors="replace")[-300:])
        return
    try:
        with open(report_path) as f:
            report = json.load(f)
    except (OSError, ValueError) as error:
        for i in batch:
            i.outcome, i.detail = "invalid", "no JSON report (%s); status %d" % (error, done.returncode)
        return
    problems = schema_problems(report)
    if problems or not isinstance(report, dict) or "errors" not in report or "stats" not in report:
        for i in batch:
            i.outcome, i.detail = "invalid", "; ".join(problems[:3]) or "not a report object"
        return
    judge(batch, report, problems, work)


def schema_problems(report):
    try:
        import jsonschema
    except ImportError:
        return [] if all(k in report for k in ("version", "tool", "findings", "errors", "stats")) else ["keys missing"]
    with open(SCHEMA) as f:
        schema = json.load(f)
    return [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(report)]


def judge(batch, report, problems, work):
    errors = {}
    for error in report["errors"]:
        errors.setdefault(os.path.normpath(os.path.join(work, error["file"])), []).append(error["message"])
    file_level = {path for path, messages in errors.items()
                  if any(not m.startswith("function '") for m in messages)}
    paths = {os.path.normpath(i.path) for i in batch}
    # Every input is checked or listed: stats.files counts the inputs that loaded.
    lost = report["stats"]["files"] != len(paths - file_level)
    for i in batch:
        messages = errors.get(os.path.normpath(i.path), [])
        said = " | ".join(messages)
        i.loaded = os.path.normpath(i.path) not in file_level
        if any(any(w in m for w in WORKER_DEATH) for m in messages):
            outcome = "crash"
        elif any("took longer than" in m for m in messages):
            outcome = "hang"
        elif problems or lost:
            outcome = "invalid"
            said = "; ".join(problems[:3]) or "stats.files %d for %d inputs, %d with errors" % (
                report["stats"]["files"], len(paths), len(file_level))
        else:
            outcome = "ok"
        if i.expected is not None:
            actual = {"crash": "isolated-crash", "hang": "timeout"}.get(outcome)
            if actual is None and outcome == "ok":
                actual = ("function-error" if all(m.startswith("function '") for m in messages) else "file-error") \
                    if messages else "checked"
            matches = actual == i.expected and (not i.words or i.words in said)
            outcome = "ok" if matches else "unexpected"
            if not matches:
                said = "expected %s (%r), got %s: %s" % (i.expected, i.words, actual or outcome, said)
        i.outcome, i.detail = outcome, said


def check(inputs, ladder, jobs, batch_size, timeout, clang_args, work, label):
    by_rules = {}
    for i in inputs:
        by_rules.setdefault(i.rules, []).append(i)
    done = 0
    for group in by_rules.values():
        for start in range(0, len(group), batch_size):
            batch = group[start:start + batch_size]
            run_batch(ladder, batch, jobs, timeout, clang_args, work)
            done += len(batch)
            print("%s: %d/%d" % (label, done, len(inputs)), file=sys.stderr, flush=True)


def summarise(inputs, kind, seconds, keep):
    counts = {k: 0 for k in ("ok", "crash", "hang", "invalid", "unexpected")}
    bad = []
    loaded = 0
    for i in inputs:
        counts[i.outcome] += 1
        loaded += i.loaded
        if i.outcome != "ok":
            bad.append({"input": i.path, "outcome": i.outcome, "detail": i.detail[:500]})
            if keep and os.path.isfile(i.path):
                os.makedirs(keep, exist_ok=True)
                shutil.copy(i.path, keep)
    return {"kind": kind, "inputs": len(inputs), "seconds": round(seconds, 1), "parsed": loaded, **counts, "bad": bad}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("kind", choices=["csmith", "mutants", "hostile", "packs", "sample"])
    parser.add_argument("--count", type=int)
    parser.add_argument("--first-seed", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--ladder", default=os.path.join(ROOT, ".build", "release", "ladder"))
    parser.add_argument("-j", type=int, default=1)
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument("--timeout-per-file", type=int, default=60)
    parser.add_argument("--keep")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    ladder = os.path.abspath(args.ladder)
    if not os.access(ladder, os.X_OK):
        sys.exit("no ladder at %s: scripts/build-release" % ladder)

    work = tempfile.mkdtemp(prefix="ladder-fuzz-")
    start = time.time()
    runs = []
    try:
        if args.kind in ("csmith",):
            inputs = csmith_inputs(work, args.count or 100, args.first_seed)
            check(inputs, ladder, args.j, args.batch, args.timeout_per_file, ["-I/usr/include/csmith", "-w"], work, "csmith")
            runs.append(summarise(inputs, "csmith", time.time() - start, args.keep))
        if args.kind in ("mutants", "sample"):
            count = args.count or (150 if args.kind == "sample" else 600)
            inputs = mutant_inputs(work, count, args.seed)
            check(inputs, ladder, args.j, args.batch, args.timeout_per_file, [], work, "mutants")
            runs.append(summarise(inputs, "mutants", time.time() - start, args.keep))
        if args.kind in ("hostile", "sample"):
            began = time.time()
            directory = os.path.join(work, "hostile")
            inputs = hostile_inputs(directory)
            # The cases built to be stopped by the timeout get a short one of their own.
            slow = [i for i in inputs if i.expected == "timeout"]
            check([i for i in inputs if i not in slow], ladder, args.j, len(inputs), args.timeout_per_file, [],
                  directory, "hostile")
            check(slow, ladder, args.j, len(inputs), 5, [], directory, "hostile (timeouts)")
            runs.append(summarise(inputs, "hostile", time.time() - began, args.keep))
        if args.kind in ("packs", "sample"):
            began = time.time()
            inputs = pack_inputs(os.path.join(work, "packs"), args.count or (12 if args.kind == "sample" else 300), args.seed)
            check_packs(inputs, ladder, args.timeout_per_file, work)
            runs.append(summarise(inputs, "packs", time.time() - began, args.keep))
    finally:
        shutil.rmtree(work, ignore_errors=True)

    failed = False
    for run in runs:
        print("%s: %d inputs (%d parsed) in %.0f s: %d ok, %d crashes, %d hangs, %d invalid reports, %d unexpected" % (
            run["kind"], run["inputs"], run["parsed"], run["seconds"], run["ok"], run["crash"], run["hang"],
            run["invalid"], run["unexpected"]), file=sys.stderr)
        for b in run["bad"][:20]:
            print("  %s: %s: %s" % (b["outcome"], b["input"], b["detail"]), file=sys.stderr)
        failed = failed or run["ok"] != run["inputs"]
    if args.json:
        print(json.dumps(runs, indent=1))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()

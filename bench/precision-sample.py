#!/usr/bin/env python3
"""Precision of a ladder JSON report on real code, from a random sample and recorded verdicts.

    bench/precision-sample.py REPORT.json [--size 60] [--seed 2026]
                              [--verdicts bench/seeds/linux-precision-verdicts.tsv]
                              [--root /path/to/tree] [--todo OUT.json] [--list VERDICT]

Draws `random.Random(seed).sample(findings, size)` (all findings when there are fewer), in
the report's order, and looks up each sampled finding's verdict by (file relative to the
tree, line, function, rule, and the resource kind where a row names one) in the verdicts file: a finding that a later build reports
again at the same place keeps the verdict it was given, so only new findings need reading.
Prints the sample as a Markdown table, precision over the judged ones, and the verdicts per
class of reason; `--todo` writes the unjudged ones (with their path) to read next. The
verdicts file is the record: add a row per new verdict, never edit one to fit a result.

`--list false` (or true, ?) prints every finding of the report with that recorded verdict,
sample or not, with the verdict's reason: the worklist when mending a class.

The seed and size are fixed up front (2026, 60), so a build cannot pick its sample.
"""
import argparse
import collections
import csv
import json
import os
import random
import sys


def key(finding, root):
    path = finding["location"]["file"]
    if root and path.startswith(root.rstrip("/") + "/"):
        path = path[len(root.rstrip("/")) + 1:]
    return (path, str(finding["location"]["line"]), finding.get("function", ""), finding["rule"])


class Verdicts:
    """Rows keyed by (file, line, function, rule); a row may name the resource kind (the
    optional last column `kind`) when two findings share a place, one true and one false
    (ixgbe_probe's `goto err_ioremap` leaks an iomap, truly, and a pci-device, only on a path
    the code rules out). A finding takes the row for its kind, else the row without one."""

    def __init__(self, path):
        self.rows = {}
        with open(path) as f:
            rows = [line for line in f if not line.startswith("#")]
        for row in csv.DictReader(rows, delimiter="\t"):
            k = (row["file"], row["line"], row["function"], row["rule"], row.get("kind") or "")
            self.rows[k] = (row["verdict"], row["reason"])

    def get(self, finding, root, default=("?", "")):
        k = key(finding, root)
        kind = (finding.get("resource") or {}).get("kind") or ""
        return self.rows.get(k + (kind,)) or self.rows.get(k + ("",)) or default


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("report")
    parser.add_argument("--size", type=int, default=60)
    parser.add_argument("--seed", type=int, default=2026)
    here = os.path.dirname(os.path.abspath(__file__))
    parser.add_argument("--verdicts", default=os.path.join(here, "seeds", "linux-precision-verdicts.tsv"))
    parser.add_argument("--root", default="/work/real/linux-source-6.1",
                        help="the tree the report's paths are under (made relative to it)")
    parser.add_argument("--todo", help="write the sampled findings without a verdict here (JSON)")
    parser.add_argument("--list", metavar="VERDICT",
                        help="print every finding with this recorded verdict (true, false or ?) and stop")
    args = parser.parse_args()

    with open(args.report) as f:
        report = json.load(f)
    findings = report["findings"]
    verdicts = Verdicts(args.verdicts)
    if args.list:
        listed = 0
        for finding in findings:
            k = key(finding, args.root)
            verdict, reason = verdicts.get(finding, args.root)
            if verdict == args.list:
                listed += 1
                print(f"{k[0]}:{k[1]}\t{k[2]}\t{k[3]}\t{reason[:160]}")
        print(f"{listed} of {len(findings)} findings recorded {args.list}")
        return 0
    size = min(args.size, len(findings))
    sample = random.Random(args.seed).sample(findings, size)

    judged = collections.Counter()
    todo = []
    print(f"{len(findings)} findings ({dict(collections.Counter(f['rule'] for f in findings))}), "
          f"{len(report.get('errors', []))} processing errors; sample of {size}, seed {args.seed}\n")
    print("| n | file:line | function | rule | confidence | verdict |")
    print("|---|---|---|---|---|---|")
    for n, finding in enumerate(sample, 1):
        k = key(finding, args.root)
        verdict, _ = verdicts.get(finding, args.root)
        if verdict == "?":
            todo.append(finding)
        else:
            judged[verdict] += 1
        print(f"| {n} | {k[0]}:{k[1]} | {k[2]} | {k[3]} | {finding.get('confidence', '')} | {verdict} |")
    total = judged["true"] + judged["false"]
    print()
    if total:
        print(f"precision over the judged: {judged['true']} / {total} ({100 * judged['true'] / total:.0f}%); "
              f"{len(todo)} of the sample still to judge")
    else:
        print(f"no sampled finding has a verdict yet; {len(todo)} to judge")
    by_confidence = collections.defaultdict(collections.Counter)
    for finding in findings:
        verdict, _ = verdicts.get(finding, args.root)
        by_confidence[finding.get("confidence", "")][verdict] += 1
    print("all findings by confidence and recorded verdict (not a sample):",
          {c: dict(v) for c, v in sorted(by_confidence.items())})
    if args.todo:
        with open(args.todo, "w") as f:
            json.dump(todo, f, indent=1)
        print(f"wrote {len(todo)} unjudged findings to {args.todo}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

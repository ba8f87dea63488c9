#!/usr/bin/env python3
"""Candidate acquire/release pairs from a kernel tree's headers, as rule-pack YAML for review.

Usage: bench/mine-headers.py KERNEL_TREE [--known rules/linux.yaml] > candidates.yaml

Scans include/linux, include/net, include/sound, include/media, include/drm (and their
subdirectories) for function prototypes and static inline definitions, and pairs families
by name: X_alloc/X_free, X_register/X_unregister, X_get/X_put, X_enable/X_disable,
X_map/X_unmap, X_request/X_release, X_prepare/X_unprepare, X_create/X_destroy, and the
prefix forms (alloc_X/free_X, request_X/release_X, register_X/unregister_X). X_init/X_exit
is left out: in the headers it names module and subsystem set-up, not a per-object pair.

The failure convention comes from the acquire's return type: a pointer fails with ERR_PTR
when the header that declares it says IS_ERR or ERR_PTR near the name, else with NULL; an
int fails with -errno (success: zero). The resource is the result when the acquire returns a
pointer of a type the release takes; otherwise the first pointer argument both share.
Every line printed is a candidate: a reviewer drops what is not acquire/release (a *_get
that reads a value, an enable that is a mode switch) before anything goes into a pack.
"""
import os
import re
import sys

ROOTS = ["include/linux", "include/net", "include/sound", "include/media", "include/drm"]
SUFFIX_PAIRS = [("alloc", "free"), ("register", "unregister"), ("get", "put"), ("enable", "disable"),
                ("map", "unmap"), ("request", "release"), ("prepare", "unprepare"), ("create", "destroy")]
PREFIX_PAIRS = [("alloc", "free"), ("request", "release"), ("register", "unregister")]

PROTO = re.compile(
    r"^(?:extern\s+|static\s+inline\s+|static\s+__always_inline\s+)?"
    r"(?P<ret>(?:const\s+)?(?:struct\s+|enum\s+|unsigned\s+)?\w+(?:\s*\*+\s*|\s+))"
    r"(?:__must_check\s+)?(?P<name>[a-z_][a-z0-9_]*)\s*\((?P<args>[^;{)]*(?:\([^)]*\)[^;{)]*)*)\)\s*[;{]",
    re.M)


def parse_args(text):
    args = []
    for raw in text.split(","):
        raw = " ".join(raw.split())
        if not raw or raw == "void":
            continue
        m = re.match(r"(?:const\s+)?(struct\s+\w+|\w+)\s*(\**)", raw)
        args.append((m.group(1), len(m.group(2))) if m else (raw, 0))
    return args


def scan(tree):
    decls = {}
    for root in ROOTS:
        for dirpath, _, files in os.walk(os.path.join(tree, root)):
            for f in files:
                if not f.endswith(".h"):
                    continue
                path = os.path.join(dirpath, f)
                try:
                    text = open(path, errors="replace").read()
                except OSError:
                    continue
                flat = re.sub(r"\\\n", " ", text)
                for m in PROTO.finditer(flat):
                    name = m.group("name")
                    ret = " ".join(m.group("ret").split())
                    if name in decls or ret.startswith(("return", "else", "typedef")):
                        continue
                    window = flat[max(0, m.start() - 600): m.end() + 600]
                    errptr = bool(re.search(r"IS_ERR|ERR_PTR", window))
                    decls[name] = {"ret": ret, "args": parse_args(m.group("args")), "file": os.path.relpath(path, tree),
                                   "errptr": errptr}
    return decls


def pointee(ret):
    m = re.match(r"(?:const\s+)?(struct\s+\w+|\w+)\s*\*$", ret.replace(" *", "*").replace("*", " *").strip())
    return m.group(1) if m and ret.count("*") == 1 else None


def candidate(acq, rel, decls):
    a, r = decls[acq], decls[rel]
    if not r["args"]:
        return None
    ret = a["ret"]
    typ = pointee(ret)
    if typ and typ != "void":
        for i, (t, stars) in enumerate(r["args"]):
            if t == typ and stars == 1:
                return {"success": "not-error" if a["errptr"] else "valid-pointer", "handle": None, "release": i}
        return None
    if ret in ("int", "int "):
        for j, (t, stars) in enumerate(a["args"]):
            if stars == 1 and t.startswith("struct"):
                for i, (u, s2) in enumerate(r["args"]):
                    if u == t and s2 == 1:
                        return {"success": "zero", "handle": j, "release": i}
    return None


def known_names(path):
    names = set()
    if path and os.path.exists(path):
        for line in open(path):
            m = re.match(r"\s+([A-Za-z_][A-Za-z0-9_]*):\s*[{\[]", line)
            if m:
                names.add(m.group(1))
    return names


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    tree = sys.argv[1]
    known = known_names(sys.argv[sys.argv.index("--known") + 1]) if "--known" in sys.argv else set()
    decls = scan(tree)
    pairs = []
    for name in sorted(decls):
        for acq_word, rel_word in SUFFIX_PAIRS:
            if name.endswith("_" + acq_word):
                stem = name[: -len(acq_word) - 1]
                rel = stem + "_" + rel_word
                if rel in decls:
                    pairs.append((name, rel, stem))
        for acq_word, rel_word in PREFIX_PAIRS:
            if name.startswith(acq_word + "_"):
                stem = name[len(acq_word) + 1:]
                rel = rel_word + "_" + stem
                if rel in decls:
                    pairs.append((name, rel, stem))
    print("# Candidate pairs from the kernel headers (bench/mine-headers.py): review each before use.")
    print(f"# {len(decls)} functions declared; {len(pairs)} name pairs; known to the pack: skipped.")
    shown = 0
    for acq, rel, stem in pairs:
        if acq.startswith(("devm_", "__")) or (acq in known and rel in known):
            continue
        c = candidate(acq, rel, decls)
        if not c:
            continue
        shown += 1
        kind = stem.strip("_").replace("_", "-")
        handle = f', handle: "{{{c["handle"]}}}"' if c["handle"] is not None else ""
        print(f"  {acq}: {{kind: {kind}{handle}, success: {c['success']}}}  # {decls[acq]['file']}: {decls[acq]['ret']}")
        print(f"  {rel}: {{kind: {kind}, handle: \"{{{c['release']}}}\"}}  # release")
    print(f"# {shown} candidates printed")


if __name__ == "__main__":
    main()

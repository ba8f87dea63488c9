#!/usr/bin/env python3
"""Pure functions from a kernel tree's headers: the `pure` list of a rule pack, for review.

Usage: bench/mine-pure.py KERNEL_TREE [--known rules/linux.yaml] > pure.txt

A static inline function in include/linux (and net, sound, media, drm) is pure when every
definition of it (the CONFIG_ variants included: a stub `return false;` is pure) only reads
its arguments and returns a scalar: its body is local declarations, calls of readers that
copy fields into a local (`pwm_get_state(pwm, &state)`), and one `return EXPR;`, where EXPR
is made of its parameters and locals, fields and elements reached from them, constants
(upper-case names, numbers), operators and calls of functions already found pure (iterated
to a fixed point). Whatever else the body does rejects it:
- an assignment, `++`/`--`, or a call of anything not known to be pure;
- a call through a pointer (`dev->ops->get(dev)`);
- a lower-case name that is no parameter or local (a global, which other code changes);
- READ_ONCE / atomic_ / smp_ / rcu_ (the value is written concurrently, by design);
- a return type that is not scalar (a pointer getter names a place: that is `returns`).
Two calls with the same arguments and no store between them then give the same value,
which is what the analysis assumes of a `pure` call.

A function whose every body ignores its arguments (the stub of something defined
elsewhere: an arch header, a macro under another configuration), and one also declared out of line (its inline body is a stub for a configuration
without it) is left out. Prints one name a line, sorted, each with the header that defines it, and a count.
"""
import os
import re
import sys

ROOTS = ["include/linux", "include/net", "include/sound", "include/media", "include/drm"]
SCALAR = re.compile(r"^(?:const\s+)?(?:bool|int|unsigned|unsigned\s+int|unsigned\s+long|long|unsigned\s+char|"
                    r"u8|u16|u32|u64|s8|s16|s32|s64|__u8|__u16|__u32|__u64|size_t|enum\s+\w+)$")
DEF = re.compile(r"static\s+(?:__always_inline|inline)\s+(?P<ret>[\w\s]+?)\s+(?P<name>[a-z_]\w*)\s*"
                 r"\((?P<args>[^;{)]*)\)\s*\{", re.M)
# A declaration at the start of a line (bodies are indented): the function also exists out
# of line, and its inline definition is only the stub of a configuration without it.
PROTOTYPE = re.compile(r"^(?:extern\s+)?[A-Za-z_][\w\s\*]*?\b([a-z_]\w*)\s*\([^;{)]*(?:\([^)]*\)[^;{)]*)*\)[\w\s()]*;", re.M)
CONCURRENT = re.compile(r"READ_ONCE|atomic_|smp_|rcu_|__builtin|asm\b|volatile|jiffies|current\b")
KEYWORDS = {"return", "sizeof", "struct", "const", "unsigned", "int", "bool", "long", "char", "enum",
            "true", "false", "NULL", "void", "u8", "u16", "u32", "u64", "s8", "s16", "s32", "s64", "typeof"}


def body_at(text, start):
    """The text between the brace at `start - 1` and its match, or None."""
    depth, i = 1, start
    while i < len(text) and depth:
        depth += {"{": 1, "}": -1}.get(text[i], 0)
        i += 1
    return text[start:i - 1] if depth == 0 else None


def params(args):
    names = []
    for raw in args.split(","):
        m = re.search(r"(\w+)\s*(?:\[[^\]]*\])?\s*$", raw.strip())
        if m and raw.strip() not in ("void", ""):
            names.append(m.group(1))
    return names


def scan(tree):
    defs, outOfLine = {}, set()
    for root in ROOTS:
        for dirpath, _, files in os.walk(os.path.join(tree, root)):
            for f in sorted(files):
                if not f.endswith(".h"):
                    continue
                path = os.path.join(dirpath, f)
                try:
                    text = open(path, errors="replace").read()
                except OSError:
                    continue
                text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
                text = re.sub(r"//[^\n]*", " ", text)
                text = re.sub(r"\\\n", " ", text)
                outOfLine.update(m.group(1) for m in PROTOTYPE.finditer(text))
                for m in DEF.finditer(text):
                    body = body_at(text, m.end())
                    if body is None:
                        continue
                    ret = " ".join(m.group("ret").split())
                    defs.setdefault(m.group("name"), []).append(
                        {"ret": ret, "params": params(m.group("args")), "body": body,
                         "file": os.path.relpath(path, tree)})
    return {name: variants for name, variants in defs.items() if name not in outOfLine}


def reads_only(expr, names, pure):
    """Whether EXPR only reads `names` (and what they reach) through pure calls."""
    if CONCURRENT.search(expr) or re.search(r"(?<![=!<>])=(?!=)|\+\+|--", expr):
        return False
    # A call through a pointer (`ntb->ops->db_set_mask(…)`) runs code nobody here can read.
    if re.search(r"(->|\.)\s*\w+\s*\(|\)\s*\(", expr):
        return False
    for m in re.finditer(r"(?<![\w.>])([A-Za-z_]\w*)", expr):
        word, rest = m.group(1), expr[m.end():]
        if re.match(r"\s*\(", rest):
            if word not in pure and word not in KEYWORDS:
                return False
        elif word not in names and word not in KEYWORDS and not word.isupper() and not re.match(r"[A-Z_0-9]+$", word):
            return False
    return True


def is_reader(d, pure):
    """`*out = pwm->state;`: copies what its first arguments reach into its last ones."""
    stmts = [s.strip() for s in d["body"].split(";") if s.strip()]
    if d["ret"] != "void" or not stmts:
        return False
    for s in stmts:
        m = re.match(r"\*\s*(\w+)\s*=\s*(.+)$", s, re.S)
        if not m or m.group(1) not in d["params"] or not reads_only(m.group(2), d["params"], pure):
            return False
    return True


def is_pure(d, pure, readers):
    if not SCALAR.match(d["ret"]):
        return False
    names = set(d["params"])
    stmts = [s.strip() for s in d["body"].split(";") if s.strip()]
    if not stmts or not stmts[-1].startswith("return"):
        return False
    for s in stmts[:-1]:
        decl = re.match(r"(?:const\s+)?(?:struct\s+\w+|\w+)\s+(\w+)(?:\s*=\s*(.+))?$", s, re.S)
        call = re.match(r"(\w+)\s*\((.*)\)$", s, re.S)
        if decl and decl.group(1) not in KEYWORDS and not decl.group(0).startswith("return"):
            if decl.group(2) is not None and not reads_only(decl.group(2), names, pure):
                return False
            names.add(decl.group(1))
        elif call and call.group(1) in readers:
            # The reader writes only into the local its last argument points at.
            args = [a.strip() for a in call.group(2).split(",")]
            if not args or not re.match(r"&\s*\w+$", args[-1]) or args[-1].lstrip("&").strip() not in names:
                return False
            if not all(reads_only(a, names, pure) for a in args[:-1]):
                return False
        else:
            return False
    return reads_only(stmts[-1][len("return"):], names, pure)


def reads_arguments(d):
    """A body that ignores its arguments (`return -ENXIO;`) is a configuration's stub."""
    return any(re.search(rf"\b{re.escape(n)}\b", d["body"]) for n in d["params"])


def known_names(path):
    names = set()
    if path and os.path.exists(path):
        for line in open(path):
            for m in re.finditer(r"\b([a-z_][a-z0-9_]*)\b", line):
                names.add(m.group(1))
    return names


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    tree = sys.argv[1]
    known = known_names(sys.argv[sys.argv.index("--known") + 1]) if "--known" in sys.argv else set()
    defs = scan(tree)
    pure, readers = set(), set()
    while True:
        before = (len(pure), len(readers))
        for name, variants in defs.items():
            if name.startswith("__"):
                continue
            if all(is_reader(d, pure) for d in variants):
                readers.add(name)
            elif all(is_pure(d, pure, readers) for d in variants) and any(map(reads_arguments, variants)):
                pure.add(name)
        if (len(pure), len(readers)) == before:
            break
    fresh = sorted(n for n in pure if n not in known)
    print(f"# bench/mine-pure.py: {len(defs)} static inline functions; {len(pure)} pure; "
          f"{len(fresh)} not already named by the pack.")
    for name in fresh:
        print(f"{name}  # {defs[name][0]['file']}")


if __name__ == "__main__":
    main()

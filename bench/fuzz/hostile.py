#!/usr/bin/env python3
"""Hostile inputs for ladder: shapes a fuzzer, a generated file or an odd tree throws at it.

Each case is a file (or a file-system object: a FIFO, a link loop, a directory) and what
ladder must do with it. "checked": checked with no error (findings are fine). "file-error":
listed under errors with the given words, the rest of the run unaffected. "function-error": the file loads,
one function is reported as not analysed. "timeout": stopped by --timeout-per-file.
"isolated-crash": it kills the process that parses it; with file workers (the default)
that is the file's error, and the run goes on.

    bench/fuzz/hostile.py DIR      write every case into DIR and list them as JSON

Used by bench/fuzz/fuzz.py (kind "hostile"); Tests/LadderClangTests/HostileInputTests and
Tests/LadderCLITests/HardeningCLITests build the same shapes in Swift.
"""
import json
import os
import sys

LEAK = """#include "xv6.h"
int copy_in(char *src) {
  char *mem;
  if((mem = kalloc()) == 0)
    return -1;
  if(src == 0)
    return -1;
  kfree(mem);
  return 0;
}
"""

# Just what the cases below use of xv6's interface, so a case needs nothing else.
XV6_H = """void *kalloc(void);
void kfree(void *);
void panic(char *) __attribute__((noreturn));
"""


def chain(term, op, count):
    return (" %s " % op).join([term] * count)


def cases():
    """(name, expected, words, contents) for files; special kinds are added by write()."""
    yield "sum_5200.c", "checked", "", "int f(int a) { return %s; }\n" % chain("a", "+", 5200)
    yield "and_20000.c", "checked", "", "int g(int a) { if (%s) return 1; return 0; }\n" % chain("a", "&&", 20000)
    yield "or_20000.c", "checked", "", "int g(int a) { if (%s) return 1; return 0; }\n" % chain("a", "||", 20000)
    yield "comma_20000.c", "checked", "", "int h(int a) { return (%s); }\n" % chain("a", ",", 20000)
    yield "mixed_20000.c", "checked", "", "int m(int a, int b) { return %s a; }\n" % " ".join(
        ("a &&" if i % 2 else "b ||") for i in range(20000))
    # clang's own time grows with the square of a `|` chain (5 s at 20,000 terms): 5,000 here.
    yield "bits_5000.c", "checked", "", "unsigned b(unsigned a) { return %s; }\n" % chain("a", "|", 5000)
    yield "calls_3000.c", "checked", "", "int f(int);\nint g(void) { return %s; }\n" % chain("f(1)", "+", 3000)
    yield "ternary_1500.c", "checked", "", "int t(int a) { return %s0; }\n" % ("a ? 1 : " * 1500)
    yield "nested_if_3000.c", "function-error", "nests more than", \
        "int deep(int a) { %s return 1; return 0; }\nint ok(void) { return 0; }\n" % ("if (a)" * 3000)
    yield "member_5000.c", "function-error", "nests more than", \
        "struct n { struct n *next; int v; };\nint walk(struct n *p) { return p%s->v; }\n" % ("->next" * 5000)
    yield "unary_50000.c", "isolated-crash", "the file worker died", "int f(int a) { return %sa; }\n" % ("!" * 50000)
    yield "braces_200.c", "checked", "", "int b(int a) { %s return a; %s }\n" % ("{" * 200, "}" * 200)
    yield "functions_5000.c", "checked", "", "".join("int f%d(int a) { return a + %d; }\n" % (i, i) for i in range(5000))
    yield "switch_10000.c", "checked", "", "int s(int a) { switch (a) { %s default: return -1; } }\n" % " ".join(
        "case %d: return %d;" % (i, i) for i in range(10000))
    yield "long_line.c", "checked", "", "int x; /*" + " " * (1 << 20) + "*/ int y(void) { return 0; }\n"
    yield "latin1.c", "checked", "", b"/* caf\xe9 */\nconst char *s = \"na\xefve\";\n" + LEAK.encode()
    yield "crlf_bom.c", "checked", "", b"\xef\xbb\xbf" + LEAK.replace("\n", "\r\n").encode()
    yield "empty.c", "checked", "", ""
    yield "nul.c", "file-error", "binary file", b"int x;\n\x00\nint y;\n"
    yield "self_include.c", "file-error", "parse error", '#include "self_include.c"\nint x;\n'
    yield "exponential.c", "timeout", "took longer than", "#define X0 1+\n" + "".join(
        "#define X%d X%d X%d\n" % (i, i - 1, i - 1) for i in range(1, 31)) + "int boom(void) { return X30 1; }\n"
    # A resource held across a long condition: the analysis walks every term (its time grows
    # faster than the chain: about 2.6 s at 2,000 terms in a release build).
    yield "leak_and_1000.c", "checked", "", '#include "xv6.h"\nint g(int a) { char *p; if ((p = kalloc()) != 0 && %s) { kfree(p); return 1; } return 0; }\n' % chain("a", "&&", 1000)
    yield "leak.c", "checked", "", LEAK


def write(directory):
    """Writes every case into `directory`; returns [{file, expected, words}]."""
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, "xv6.h"), "w") as header:
        header.write(XV6_H)
    listed = []
    for name, expected, words, contents in cases():
        data = contents if isinstance(contents, bytes) else contents.encode()
        with open(os.path.join(directory, name), "wb") as out:
            out.write(data)
        listed.append({"file": name, "expected": expected, "words": words})
    # Things that are not regular files, named like sources.
    specials = [
        ("fifo.c", lambda p: os.mkfifo(p), "is a FIFO"),
        ("loop_a.c", lambda p: os.symlink("loop_b.c", p), "loops"),
        ("loop_b.c", lambda p: os.symlink("loop_a.c", p), "loops"),
        ("dangling.c", lambda p: os.symlink("nowhere.c", p), "symbolic link to a missing file"),
        ("directory.c", lambda p: os.mkdir(p), "directory contains no .c files"),
    ]
    for name, make, words in specials:
        path = os.path.join(directory, name)
        if os.path.isdir(path) and not os.path.islink(path):
            os.rmdir(path)
        elif os.path.lexists(path):
            os.remove(path)
        make(path)
        listed.append({"file": name, "expected": "file-error", "words": words})
    return listed


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    print(json.dumps(write(sys.argv[1]), indent=1))

#!/usr/bin/env python3
"""Whole commands timed in turn (A, B, C, A, B, C, ...) so the machine's drift falls on each
alike; prints each one's median wall time and its ratio to the first command's.

    bench/alternate.py N NAME=COMMAND [NAME=COMMAND ...]

N turns are timed after two untimed ones. Each COMMAND runs through the shell, its output
discarded; a non-zero exit is not an error (a lint with findings exits 1). For example, a
cold lint of real xv6-riscv against gcc (bench/xv6-tree.sh makes the tree):

    cd /work/real/xv6-riscv && F="-target riscv64-unknown-elf -march=rv64g -mcmodel=medany \\
      -ffreestanding -fno-common -nostdlibinc -I$PWD"
    bench/alternate.py 15 "gcc=gcc -fsyntax-only -ffreestanding -nostdlib -I. $(echo kernel/*.c)" \\
      "ladder=LADDER lint --rules xv6 kernel --no-cache -- $F"
"""
import statistics
import subprocess
import sys
import time


def main(argv):
    if len(argv) < 3 or "=" not in argv[2]:
        sys.stderr.write(__doc__)
        return 2
    turns = int(argv[1])
    commands = [arg.split("=", 1) for arg in argv[2:]]
    times = {name: [] for name, _ in commands}
    for turn in range(turns + 2):
        for name, command in commands:
            start = time.perf_counter()
            subprocess.run(command, shell=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            if turn >= 2:
                times[name].append((time.perf_counter() - start) * 1000)
    first = statistics.median(times[commands[0][0]])
    for name, _ in commands:
        median = statistics.median(times[name])
        print(f"{name:12s} median {median:8.1f} ms  min {min(times[name]):8.1f} ms  ratio {median / first:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

#!/usr/bin/env python3
"""The Sv39 model against QEMU's MMU, on page tables real xv6-riscv builds.

    bench/qemu-sv39-diff.py XV6_TREE [--keep] [--timeout SECONDS] [--walker BINARY]

XV6_TREE is an xv6-riscv checkout (kernel/, user/, Makefile). It is copied into a scratch
directory and only the copy is changed: exec() prints each new process's page-table root,
kvminithart() prints the kernel's, and a user program, sv39spin (bench/qemu-sv39-spin.c),
is added; then the copy is built with TOOLPREFIX (default riscv64-linux-gnu-) and booted in
qemu-system-riscv64 on one hart, its monitor reached over QMP.

What is compared. The kernel's page table is sampled while the shell waits (the hart idles
in the scheduler, in S-mode, on the kernel's satp); then `sv39spin launch` starts four
spinners with different heaps, one after another, and QEMU is stopped at random moments
until each has been caught in user mode (pc below 0x80000000, where xv6 runs only user
code; satp its root). At each sample, with the machine stopped:

  - `info mem` lists every leaf of the current satp (QEMU's page-table listing: virtual
    address, physical address, R/W/X/U/G), expanded here into 4 KiB pages;
  - `gva2gpa` translates each of those pages and their unmapped neighbours through QEMU's
    MMU code (get_physical_address: a load in the CPU's privilege mode, with sstatus's SUM
    and MXR), answering a physical page or "unmapped";
  - `pmemsave` dumps all of RAM.

Then bench/qemu-sv39-walk.swift, compiled with Sources/Sv39, loads the dump and walks the
same satp with the model's MMU: the pages it translates, with the permissions its rules
give, must be exactly `info mem`'s (same physical page, same rwxug), and its load in the
CPU's context must give `gva2gpa`'s answer for every probe. A/D bits are not compared:
they are state the hardware writes, not part of the translation.

It prints one line per sample and the totals ("N translations compared, N agreed").
Exit status: 0 everything agreed; 1 a disagreement (each is printed); 2 it could not run
(a tool missing, the build failed, the boot or a sample timed out).

Needs: qemu-system-riscv64 and a RISC-V cross gcc (Debian: apt-get install
qemu-system-misc gcc-riscv64-linux-gnu), make, swiftc (the Swift toolchain ladder builds
with). Not run in CI: it takes a few minutes, most of it building xv6 and the walker.
"""

import argparse
import json
import os
import queue
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RAM_BASE = 0x80000000
RAM_SIZE = 128 << 20            # the Makefile's -m 128M
PAGE = 4096
# sv39spin's GROW/SHRINK pages: no heap; a part-filled level-0 table; a heap across a 2 MiB
# boundary (two level-0 tables); a larger one with its top given back.
SPINNERS = [(0, 0), (40, 0), (600, 0), (1500, 700)]


class CannotRun(Exception):
    """The comparison could not be made (exit status 2)."""


def say(message):
    print(f"qemu-sv39-diff: {message}", flush=True)


def run(command, cwd, timeout, what):
    try:
        done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise CannotRun(f"{what} took more than {timeout} s")
    if done.returncode != 0:
        tail = "\n".join((done.stdout + done.stderr).splitlines()[-20:])
        raise CannotRun(f"{what} failed (exit {done.returncode}):\n{tail}")
    return done.stdout


def find_tools(toolprefix):
    missing = []
    for tool, package in [("qemu-system-riscv64", "qemu-system-misc"),
                          (f"{toolprefix}gcc", "gcc-riscv64-linux-gnu"),
                          ("make", "make"), ("swiftc", "the Swift toolchain")]:
        if shutil.which(tool) is None:
            missing.append(f"{tool} (from {package})")
    if missing:
        raise CannotRun("missing " + ", ".join(missing)
                        + "; on Debian: apt-get install qemu-system-misc gcc-riscv64-linux-gnu")


def patch(path, pattern, replacement, what):
    text = open(path).read()
    new, count = re.subn(pattern, replacement, text, count=1, flags=re.M)
    if count != 1:
        raise CannotRun(f"{os.path.relpath(path)}: found no place for {what}: not the xv6-riscv this expects")
    open(path, "w").write(new)


def prepare_tree(tree, work):
    copy = os.path.join(work, "xv6")
    shutil.copytree(tree, copy, ignore=shutil.ignore_patterns(".git", "*.o", "*.d", "fs.img"))
    kernel = os.path.join(copy, "kernel")
    patch(os.path.join(kernel, "exec.c"), r"^(\s*)return argc;",
          r'\1printf("sv39-diff: exec pid %d %s pagetable %p\\n", p->pid, p->name, pagetable);\n\g<0>',
          "the exec print")
    patch(os.path.join(kernel, "vm.c"), r"^(\s*)w_satp\(MAKE_SATP\(kernel_pagetable\)\);",
          r'\g<0>\n\1printf("sv39-diff: kernel pagetable %p\\n", kernel_pagetable);',
          "the kernel page-table print")
    shutil.copy(os.path.join(REPO, "bench", "qemu-sv39-spin.c"), os.path.join(copy, "user", "sv39spin.c"))
    patch(os.path.join(copy, "Makefile"), r"^UPROGS=\\$", "UPROGS=\\\\\n\t$U/_sv39spin\\\\", "sv39spin in UPROGS")
    return copy


def build_walker(work):
    sources = sorted(os.path.join(REPO, "Sources", "Sv39", f) for f in os.listdir(os.path.join(REPO, "Sources", "Sv39"))
                     if f.endswith(".swift"))
    walker = os.path.join(work, "qemu-sv39-walk")
    run(["swiftc", "-O", "-parse-as-library", "-module-name", "QemuSv39Walk", *sources,
         os.path.join(REPO, "bench", "qemu-sv39-walk.swift"), "-o", walker],
        work, 1800, "compiling bench/qemu-sv39-walk.swift with Sources/Sv39")
    return walker


def machine_mode_code(copy, toolprefix):
    """[start, end) of timervec, the only code xv6 runs in M-mode after boot."""
    symbols = run([f"{toolprefix}nm", "-n", "kernel/kernel"], copy, 60, "nm kernel/kernel")
    addresses = [int(line.split()[0], 16) for line in symbols.splitlines() if len(line.split()) == 3]
    names = [line.split()[2] for line in symbols.splitlines() if len(line.split()) == 3]
    if "timervec" not in names:
        raise CannotRun("kernel/kernel has no timervec: cannot tell M-mode from S-mode")
    start = addresses[names.index("timervec")]
    return start, min(a for a in addresses if a > start)


def table_root(satp):
    return (satp & ((1 << 44) - 1)) << 12


class QMP:
    def __init__(self, path, deadline, exit_message):
        while True:
            try:
                self.sock = socket.socket(socket.AF_UNIX)
                self.sock.connect(path)
                break
            except OSError:
                message = exit_message()
                if message:
                    raise CannotRun(message)
                if time.time() > deadline:
                    raise CannotRun("QEMU's QMP socket did not come up")
                time.sleep(0.2)
        self.sock.settimeout(60)
        self.buffer = b""
        self.read()  # the greeting
        self.execute("qmp_capabilities")

    def read(self):
        while b"\n" not in self.buffer:
            try:
                chunk = self.sock.recv(1 << 20)
            except socket.timeout:
                raise CannotRun("QEMU's monitor stopped answering")
            if not chunk:
                raise CannotRun("QEMU went away")
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        return json.loads(line)

    def execute(self, command, **arguments):
        self.sock.sendall(json.dumps({"execute": command, "arguments": arguments}).encode() + b"\n")
        while True:
            reply = self.read()
            if "event" in reply:
                continue
            if "error" in reply:
                raise CannotRun(f"QMP {command}: {reply['error'].get('desc')}")
            return reply.get("return")

    def hmp(self, line):
        return self.execute("human-monitor-command", **{"command-line": line}).replace("\r\n", "\n")


class Machine:
    """xv6 on QEMU: the console as lines, the monitor as QMP."""

    def __init__(self, copy, work, timeout):
        self.socket_path = os.path.join(work, "qmp.sock")
        command = ["qemu-system-riscv64", "-machine", "virt", "-bios", "none", "-kernel", "kernel/kernel",
                   "-m", "128M", "-smp", "1", "-display", "none", "-monitor", "none", "-serial", "stdio",
                   "-global", "virtio-mmio.force-legacy=false",
                   "-drive", "file=fs.img,if=none,format=raw,id=x0",
                   "-device", "virtio-blk-device,drive=x0,bus=virtio-mmio-bus.0",
                   "-qmp", f"unix:{self.socket_path},server=on,wait=off", "-no-reboot"]
        self.process = subprocess.Popen(command, cwd=copy, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, start_new_session=True)
        self.lines = queue.Queue()
        self.console = []
        threading.Thread(target=self._read_console, daemon=True).start()
        self.qmp = QMP(self.socket_path, time.time() + timeout, self._exit_message)

    def _exit_message(self):
        if self.process.poll() is None:
            return None
        time.sleep(0.5)  # for the reader thread to take the last lines
        return f"QEMU exited (status {self.process.returncode}):\n" + "\n".join(self.console[-20:])

    def _read_console(self):
        partial = b""
        while True:
            chunk = self.process.stdout.read1(4096)
            if not chunk:
                self.lines.put(None)
                return
            partial += chunk
            *complete, partial = partial.split(b"\n")
            for line in complete:
                text = line.decode(errors="replace").rstrip("\r")
                self.console.append(text)
                self.lines.put(text)
            if partial.endswith(b"$ "):  # the prompt has no newline
                self.lines.put("$ ")

    def wait_for(self, pattern, timeout, what):
        deadline = time.time() + timeout
        while True:
            try:
                line = self.lines.get(timeout=max(0.1, deadline - time.time()))
            except queue.Empty:
                line = ""
            if line is None:
                raise CannotRun(f"QEMU exited while waiting for {what}; console:\n" + "\n".join(self.console[-20:]))
            found = re.search(pattern, line)
            if found:
                return found
            if time.time() > deadline:
                raise CannotRun(f"no {what} within {timeout} s; console:\n" + "\n".join(self.console[-20:]))

    def type(self, text):
        self.process.stdin.write(text.encode())
        self.process.stdin.flush()

    def registers(self):
        text = self.qmp.hmp("info registers")
        values = dict(re.findall(r"^\s*(pc|satp|mstatus)\s+([0-9a-f]+)", text, re.M))
        if len(values) != 3:
            raise CannotRun("cannot read pc, satp and mstatus from `info registers`")
        return {name: int(value, 16) for name, value in values.items()}

    def close(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def pages_of_info_mem(text):
    """`info mem` ranges as {va: (pa, 'rwxug')} per 4 KiB page."""
    pages = {}
    for va, pa, size, attr in re.findall(r"^([0-9a-f]{16}) ([0-9a-f]{16}) ([0-9a-f]{16}) ([-rwxugad]{7})$",
                                        text, re.M):
        va, pa, size = int(va, 16), int(pa, 16), int(size, 16)
        for offset in range(0, size, PAGE):
            pages[va + offset] = (pa + offset, attr[:5])
    if not pages and "vaddr" not in text:
        raise CannotRun(f"unexpected `info mem` output: {text[:200]!r}")
    return pages


def probes_for(pages):
    """Every mapped page, the unmapped page on each side of every run of them, and a few
    addresses no xv6 table maps: a hole, the upper canonical half, a non-canonical one."""
    probes = set(pages)
    for va in pages:
        for neighbour in (va - PAGE, va + PAGE):
            if 0 <= neighbour < 1 << 64 and neighbour not in pages:
                probes.add(neighbour)
    probes.update({1 << 37, (1 << 64) - (1 << 30), 1 << 38})
    return sorted(probes)


def gva2gpa(qmp, va, registers):
    answer = qmp.hmp(f"gva2gpa 0x{va:x}").strip()
    found = re.match(r"gpa: (0x[0-9a-f]+|0)$", answer)
    if found:
        return int(found.group(1), 16)
    if answer == "Unmapped":
        return None
    raise CannotRun(f"unexpected gva2gpa answer for 0x{va:x}: {answer!r} (pc 0x{registers['pc']:x}, "
                    f"satp 0x{registers['satp']:x}, mstatus 0x{registers['mstatus']:x})")


class Sample:
    """QEMU's view of one address space, taken with the machine stopped, and the RAM dump."""

    def __init__(self, machine, label, privilege, registers, work, index):
        self.label, self.privilege, self.registers = label, privilege, registers
        self.pages = pages_of_info_mem(machine.qmp.hmp("info mem"))
        self.mmu = {va: gva2gpa(machine.qmp, va, registers) for va in probes_for(self.pages)}
        self.dump = os.path.join(work, f"ram-{index}.bin")
        machine.qmp.execute("pmemsave", val=RAM_BASE, size=RAM_SIZE, filename=self.dump)
        if not os.path.exists(self.dump) or os.path.getsize(self.dump) != RAM_SIZE:
            raise CannotRun(f"pmemsave did not write {RAM_SIZE} bytes to {self.dump}")
        self.probes = os.path.join(work, f"probes-{index}.txt")
        with open(self.probes, "w") as out:
            out.writelines(f"0x{va:x}\n" for va in sorted(self.mmu))

    @property
    def root(self):
        return table_root(self.registers["satp"])


def model_view(walker, sample, work):
    """The walker's pages {va: (pa, attr)} and loads {va: pa, or the fault as a string}."""
    status = sample.registers["mstatus"]
    output = run([walker, "--ram", sample.dump, "--ram-base", f"0x{RAM_BASE:x}",
                  "--satp", f"0x{sample.registers['satp']:x}", "--priv", sample.privilege,
                  "--sum", str(status >> 18 & 1), "--mxr", str(status >> 19 & 1),
                  "--probes", sample.probes], work, 600, f"the model's walk of {sample.label}")
    pages, loads = {}, {}
    for line in output.splitlines():
        kind, va, answer = line.split(" ", 2)
        if kind == "map":
            pa, attr = answer.split()
            pages[int(va, 16)] = (int(pa, 16), attr)
        elif kind == "ctx":
            loads[int(va, 16)] = int(answer, 16) if answer.startswith("0x") else answer
    return pages, loads


def compare(sample, model):
    """(pages compared, disagreements with info mem, disagreements with gva2gpa)."""
    model_pages, model_loads = model

    def page(entry):
        return "unmapped" if entry is None else f"0x{entry[0]:x} {entry[1]}"

    def load(answer):
        return f"0x{answer:x}" if isinstance(answer, int) else "unmapped" + (f" ({answer})" if answer else "")

    every_page = set(sample.pages) | set(model_pages)
    listing = [f"va 0x{va:x}: info mem {page(sample.pages.get(va))}, model {page(model_pages.get(va))}"
               for va in sorted(every_page) if sample.pages.get(va) != model_pages.get(va)]
    loads = []
    for va, qemu in sorted(sample.mmu.items()):
        if va not in model_loads:
            loads.append(f"va 0x{va:x}: the model gave no answer")
        elif qemu != (model_loads[va] if isinstance(model_loads[va], int) else None):
            loads.append(f"va 0x{va:x}: gva2gpa {load(qemu)}, model {load(model_loads[va])}")
    return len(every_page), listing, loads


def leaf_entry_offset(dump, root, va):
    """Where in the dump the leaf PTE for va lies (a three-read walk, for the self-check only)."""
    table = root
    for level in (2, 1, 0):
        offset = table - RAM_BASE + ((va >> (12 + 9 * level)) & 511) * 8
        dump.seek(offset)
        entry = int.from_bytes(dump.read(8), "little")
        if not entry & 1:
            raise CannotRun(f"self-check: va 0x{va:x} is not mapped in the table at 0x{root:x}")
        if entry & 0b1110:
            return offset, entry
        table = (entry >> 10) << 12
    raise CannotRun(f"self-check: no leaf for va 0x{va:x}")


def self_check(sample, walker, work):
    """Clears U in one user leaf of the dump and requires both comparisons to notice."""
    va = min(va for va, (_, attr) in sample.pages.items() if attr[3] == "u")
    with open(sample.dump, "r+b") as dump:
        offset, entry = leaf_entry_offset(dump, sample.root, va)
        dump.seek(offset)
        dump.write((entry & ~0x10).to_bytes(8, "little"))
    _, listing, loads = compare(sample, model_view(walker, sample, work))
    caught = bool(listing) and bool(loads)
    say(f"self-check: U cleared in va 0x{va:x}'s leaf in the dump of {sample.label}: "
        f"{len(listing)} disagreement(s) with info mem, {len(loads)} with gva2gpa"
        + ("" if caught else ": NOT CAUGHT, the comparison cannot fail"))
    return caught


def collect(machine, copy, toolprefix, work, timeout):
    """Samples: the kernel's table first (the shell idle), then each spinner's."""
    machine_start, machine_end = machine_mode_code(copy, toolprefix)
    kernel_root = int(machine.wait_for(r"sv39-diff: kernel pagetable 0x([0-9a-f]+)", timeout, "kernel page-table line").group(1), 16)
    machine.wait_for(r"^\$ $", timeout, "the shell's prompt")
    samples = []

    def stop_until(accept, what):
        deadline = time.time() + timeout
        while time.time() < deadline:
            time.sleep(random.uniform(0.05, 0.4))
            machine.qmp.execute("stop")
            registers = machine.registers()
            label = accept(registers)
            if label:
                samples.append(Sample(machine, label[0], label[1], registers, work, len(samples)))
                machine.qmp.execute("cont")
                return label
            machine.qmp.execute("cont")
        raise CannotRun(f"never caught {what} in {timeout} s")

    def in_kernel(registers):
        pc, root = registers["pc"], table_root(registers["satp"])
        supervisor = pc >= RAM_BASE and not machine_start <= pc < machine_end
        return (f"kernel (pagetable 0x{root:x})", "supervisor") if supervisor and root == kernel_root else None

    stop_until(in_kernel, "the kernel in S-mode on its own page table")

    wanted = {}
    machine.type("sv39spin launch " + " ".join(f"{grow}/{shrink}" for grow, shrink in SPINNERS) + "\n")
    exec_line = r"sv39-diff: exec pid (\d+) sv39spin pagetable 0x([0-9a-f]+)"
    machine.wait_for(exec_line, timeout, "sv39spin's exec")  # the launcher's own
    for grow, shrink in SPINNERS:
        found = machine.wait_for(exec_line, timeout, f"the exec of sv39spin {grow} {shrink}")
        wanted[int(found.group(2), 16)] = f"pid {found.group(1)} sv39spin {grow} {shrink}"
    machine.wait_for(r"^sv39spin: all ready$", timeout, "the spinners to be ready")

    def in_spinner(registers):
        root = table_root(registers["satp"])
        if registers["pc"] < RAM_BASE and root in wanted:
            return (f"{wanted.pop(root)} (pagetable 0x{root:x})", "user")
        return None

    while wanted:
        stop_until(in_spinner, "every sv39spin in user mode")
    return samples


def main():
    parser = argparse.ArgumentParser(description="The Sv39 model against QEMU's MMU on xv6-riscv's page tables.")
    parser.add_argument("tree", help="an xv6-riscv checkout (it is copied; the copy is changed)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch directory and say where")
    parser.add_argument("--timeout", type=int, default=180, help="seconds for the boot and for each wait (180)")
    parser.add_argument("--walker", help="a qemu-sv39-walk binary built before (by --keep) instead of compiling one")
    args = parser.parse_args()
    toolprefix = os.environ.get("TOOLPREFIX", "riscv64-linux-gnu-")

    work = tempfile.mkdtemp(prefix="qemu-sv39-diff.")
    machine = None
    try:
        find_tools(toolprefix)
        if not os.path.isfile(os.path.join(args.tree, "kernel", "exec.c")):
            raise CannotRun(f"{args.tree} has no kernel/exec.c: not an xv6-riscv tree")
        copy = prepare_tree(args.tree, work)
        say(f"building xv6 (TOOLPREFIX={toolprefix}) and the walker in {work}")
        run(["make", f"TOOLPREFIX={toolprefix}", "kernel/kernel", "fs.img"], copy, 1800, "building xv6")
        walker = args.walker or build_walker(work)
        machine = Machine(copy, work, args.timeout)
        samples = collect(machine, copy, toolprefix, work, args.timeout)
        machine.close()
        listed = probed = 0
        disagreements = []
        caught = None
        for sample in samples:
            pages, listing, loads = compare(sample, model_view(walker, sample, work))
            unmapped = sum(1 for pa in sample.mmu.values() if pa is None)
            say(f"{sample.label}: {pages} pages against info mem, {len(listing)} disagree; "
                f"{len(sample.mmu)} addresses against gva2gpa ({unmapped} unmapped), {len(loads)} disagree")
            listed += pages
            probed += len(sample.mmu)
            disagreements += [f"{sample.label}: {line}" for line in listing + loads]
            if caught is None and sample.privilege == "user":
                caught = self_check(sample, walker, work)  # changes the dump
            os.remove(sample.dump)
        for line in disagreements[:50]:
            print(f"  DISAGREE {line}")
        if len(disagreements) > 50:
            print(f"  ... and {len(disagreements) - 50} more")
        total = listed + probed
        say(f"{len(samples)} address spaces; {total} translations compared ({listed} pages against info mem, "
            f"{probed} addresses against gva2gpa), {total - len(disagreements)} agreed")
        return 1 if disagreements or not caught else 0
    except CannotRun as error:
        say(f"cannot run: {error}")
        return 2
    finally:
        if machine:
            machine.close()
        if args.keep:
            say(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

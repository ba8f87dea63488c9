// gt_host.h -- included before anything else in every file of an xv6 tree that ground truth
// builds for the host (clang -include). It declares what the overlay's riscv.h calls in
// place of RISC-V instructions: the builder rewrites each `asm volatile("csrr %0, satp" :
// "=r" (x))` into `x = gt_riscv_read("csrr %0, satp")`, each `asm volatile("csrw satp, %0" :
// : "r" (x))` into `gt_riscv_write("csrw satp, %0", x)`, and each other asm statement into
// `gt_riscv_exec("...")`. gt_host_machine.c gives them a one-hart machine: a register file
// of CSRs, tp = 0 (hart 0), fences that do nothing (there is no TLB in the model).
//
// No kernel type is known here: the tree's headers come after.

#ifndef LADDER_GT_HOST_H
#define LADDER_GT_HOST_H

// What differs between xv6 versions the shim adapts to, as the builder read the tree's
// headers: the process's trapframe field (`tf` before 2020), and whether the disk driver
// takes a disk number (2019).
#ifndef GT_TRAPFRAME_FIELD
#define GT_TRAPFRAME_FIELD trapframe
#endif

unsigned long gt_riscv_read(const char *insn);
void gt_riscv_write(const char *insn, unsigned long value);
void gt_riscv_exec(const char *insn);

#endif

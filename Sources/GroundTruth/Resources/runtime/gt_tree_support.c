// gt_tree_support.c -- what fixtures/xv6's proc.c, exec.c, pipe.c, file.c and sysfile.c need
// beyond each other, vm.c, gt_env.c and the runtime: the symbols assembly and the linker
// would define (trampoline, swtch), and stand-ins for trap.c and kvm.c, which are not run.

#include "types.h"
#include "param.h"
#include "riscv.h"
#include "spinlock.h"
#include "proc.h"
#include "defs.h"
#include "gt_runtime.h"

__attribute__((aligned(4096))) char trampoline[4096];
uint ticks;
struct spinlock tickslock;

// The scheduler never runs here: a context switch returns at once.
void
swtch(struct context *old, struct context *new)
{
  (void)old;
  (void)new;
}

void usertrapret(void) {}

void
kvmmap(pagetable_t kpgtbl, uint64 va, uint64 pa, uint64 sz, int perm)
{
  (void)kpgtbl;
  (void)va;
  (void)pa;
  (void)sz;
  (void)perm;
}

// gt_tail_exec.c -- appended to the overlay's copy of exec.c: its static loadseg, for code
// outside it (the cases of fixtures/checks, whose header declares loadseg).

#include "gt_runtime.h"

GT_WEAK int
gt_host_loadseg(pagetable_t pagetable, uint64 va, struct inode *ip, uint offset, uint sz)
{
  return loadseg(pagetable, va, ip, offset, sz);
}

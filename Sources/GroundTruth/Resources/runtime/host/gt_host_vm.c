// gt_host_vm.c -- a harness helper that needs the tree's vm.c: a user page table made by
// its own uvmcreate and uvmalloc. Built apart from the rest of the shim because uvmalloc's
// signature changed across xv6 versions: a tree it does not fit loses only the scenarios
// that use it.

#include "types.h"
#include "param.h"
#include "memlayout.h"
#include "riscv.h"
#include "defs.h"
#include "gt_host_api.h"

pagetable_t
gt_host_user_table(uint64 sz)
{
  pagetable_t pt = uvmcreate();
  if(pt == 0)
    gt_panic("gt_host_user_table: uvmcreate");
  if(sz > 0 && uvmalloc(pt, 0, sz, PTE_W | PTE_X) == 0)
    gt_panic("gt_host_user_table: uvmalloc");
  return pt;
}

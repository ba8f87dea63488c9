// gt_vm_hooks.c -- appended to fixtures/xv6/vm.c, whose definitions of the functions below
// have been renamed gt_real_NAME (only the definitions: calls inside vm.c still reach these
// hooks). Each hook checks the table it is given, counts a failure point where a real
// kernel can fail, calls the real function and reports the resources it acquired or
// released: a page-table root from uvmcreate, one mapping per page from mappages, their
// release by uvmunmap.

#include "gt_runtime.h"

pte_t *walk(pagetable_t pagetable, uint64 va, int alloc);
int gt_real_mappages(pagetable_t pagetable, uint64 va, uint64 size, uint64 pa, int perm);
void gt_real_uvmunmap(pagetable_t pagetable, uint64 va, uint64 npages, int do_free);
pagetable_t gt_real_uvmcreate(void);
void gt_real_uvmfree(pagetable_t pagetable, uint64 sz);
int gt_real_copyout(pagetable_t pagetable, uint64 dstva, char *src, uint64 len);
int gt_real_copyin(pagetable_t pagetable, char *dst, uint64 srcva, uint64 len);
int gt_real_copyinstr(pagetable_t pagetable, char *dst, uint64 srcva, uint64 max);

#define GT_TRAMPOLINE (MAXVA - PGSIZE)
#define GT_TRAPFRAME (GT_TRAMPOLINE - PGSIZE)

static const char *
gt_va_name(uint64 va)
{
  if(va == GT_TRAMPOLINE)
    return "TRAMPOLINE";
  if(va == GT_TRAPFRAME)
    return "TRAPFRAME";
  return gt_fmt_hex("", va);
}

// A page table handed to a vm function must be a live frame: using a freed one is a
// release that came too early.
static void
gt_check_table(pagetable_t pagetable, const char *what)
{
  uint64 pa = (uint64)pagetable;
  if(pa < PGSIZE){
    gt_problem(GT_P_NULL_DEREF, "pagetable", "0", pagetable, 0, what);
    gt_panic(what);
  }
  if(gt_in_memory(pa, PGSIZE) && !gt_frame_live(pa)){
    gt_problem(GT_P_ORDER, "pagetable", gt_name(pagetable, "pagetable"), pagetable, 0,
               "page table used after it was freed");
    gt_panic(what);
  }
}

static int
gt_leaf_valid(pagetable_t pagetable, uint64 va)
{
  pte_t *pte = walk(pagetable, va, 0);
  return pte && (*pte & PTE_V) && (*pte & (PTE_R | PTE_W | PTE_X));
}

GT_WEAK int
mappages(pagetable_t pagetable, uint64 va, uint64 size, uint64 pa, int perm)
{
  gt_check_table(pagetable, "mappages: freed page table");
  // Name the frames by the address they are meant for, before anything can fail.
  for(uint64 off = 0; off < size && off < 64 * PGSIZE; off += PGSIZE){
    uint64 frame = pa + off;
    if(gt_in_memory(frame, PGSIZE) && gt_name((void *)frame, 0) == 0 && (perm & PTE_U))
      gt_set_name((void *)frame, gt_fmt_hex("mem@", va + off));
  }
  if(gt_should_fail("mappages"))
    return -1;
  uint64 before = 0;   // bit i: page i was mapped before the call
  for(uint64 i = 0; i < size / PGSIZE && i < 64; i++)
    if(gt_leaf_valid(pagetable, va + i * PGSIZE))
      before |= 1ULL << i;
  int r = gt_real_mappages(pagetable, va, size, pa, perm);
  for(uint64 i = 0; i < size / PGSIZE && i < 64; i++){
    uint64 a = va + i * PGSIZE;
    if(!(before & (1ULL << i)) && gt_leaf_valid(pagetable, a))
      gt_hold("mapping", pagetable, a, gt_va_name(a));
  }
  return r;
}

GT_WEAK void
uvmunmap(pagetable_t pagetable, uint64 va, uint64 npages, int do_free)
{
  gt_check_table(pagetable, "uvmunmap: freed page table");
  // Release the mappings first, in the order the real function removes them, as far as
  // the first page that is not mapped (where the real function panics).
  for(uint64 a = va; a < va + npages * PGSIZE; a += PGSIZE){
    if(!gt_leaf_valid(pagetable, a)){
      gt_report_unheld("mapping", pagetable, a, gt_va_name(a));
      break;
    }
    if(!gt_release_if_held("mapping", pagetable, a, gt_va_name(a)))
      gt_event(GT_EV_RELEASE, 0, "mapping", gt_va_name(a), pagetable, a, "");
  }
  if(do_free)
    gt_pt_unmapping(pagetable, va, npages);
  gt_real_uvmunmap(pagetable, va, npages, do_free);
  gt_pt_unmapping(0, 0, 0);
}

GT_WEAK pagetable_t
uvmcreate(void)
{
  pagetable_t pagetable = gt_real_uvmcreate();
  if(pagetable){
    gt_pt_register(pagetable);
    gt_hold("pagetable", pagetable, 0, gt_name(pagetable, "pagetable"));
  }
  return pagetable;
}

GT_WEAK void
uvmfree(pagetable_t pagetable, uint64 sz)
{
  gt_check_table(pagetable, "uvmfree: freed page table");
  gt_real_uvmfree(pagetable, sz);
}

GT_WEAK int
copyout(pagetable_t pagetable, uint64 dstva, char *src, uint64 len)
{
  gt_check_table(pagetable, "copyout: freed page table");
  if(gt_should_fail("copyout"))
    return -1;
  return gt_real_copyout(pagetable, dstva, src, len);
}

GT_WEAK int
copyin(pagetable_t pagetable, char *dst, uint64 srcva, uint64 len)
{
  gt_check_table(pagetable, "copyin: freed page table");
  if(gt_should_fail("copyin"))
    return -1;
  return gt_real_copyin(pagetable, dst, srcva, len);
}

GT_WEAK int
copyinstr(pagetable_t pagetable, char *dst, uint64 srcva, uint64 max)
{
  gt_check_table(pagetable, "copyinstr: freed page table");
  if(gt_should_fail("copyinstr"))
    return -1;
  return gt_real_copyinstr(pagetable, dst, srcva, max);
}

// Harness helpers that need vm.c's view of a table.

// A fresh table with sz bytes of zeroed user memory (RWXU) from 0, built by the real code.
pagetable_t
gt_make_user_table(uint64 sz)
{
  pagetable_t pt = uvmcreate();
  if(pt == 0)
    gt_panic("gt_make_user_table: uvmcreate");
  if(sz > 0 && uvmalloc(pt, 0, sz, PTE_W | PTE_X) == 0)
    gt_panic("gt_make_user_table: uvmalloc");
  return pt;
}

// The frame mapped at va, or 0.
uint64
gt_frame_at(pagetable_t pagetable, uint64 va)
{
  pte_t *pte = walk(pagetable, va, 0);
  if(pte == 0 || (*pte & PTE_V) == 0)
    return 0;
  return PTE2PA(*pte);
}

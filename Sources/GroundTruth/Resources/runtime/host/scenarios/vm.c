// Scenarios for an xv6 tree's kernel/vm.c (ladder's own; compiled against the tree's
// headers, calling the tree's functions). GT_HAVE_NAME is defined for every non-static
// function the tree defines, so a tree without one simply has no scenario for it. Where
// KernelModel has a reference for the path, the setup and the call are the reference's.

#include "types.h"
#include "param.h"
#include "memlayout.h"
#include "riscv.h"
#include "spinlock.h"
#include "proc.h"
#include "stat.h"
#include "defs.h"
#include "gt_tree_decls.h"
#include "gt_host_api.h"
#include "gt_host_proc.h"

GT_NOT_HOSTED(kvmmake, "maps the board's devices and the kernel image (KERNBASE..PHYSTOP): physical addresses the host does not have")
GT_NOT_HOSTED(kvminit, "kvmmake, for the whole kernel: physical addresses the host does not have")

// Two borrowed pages, outside the allocator: mapped, never freed (as the trapframe is).
static __attribute__((aligned(4096))) char gt_borrowed[2 * 4096];

#if defined(GT_HAVE_kvmmap) && defined(GT_HAVE_uvmcreate)
GT_SCENARIO(kvmmap, "one page", "an empty kernel page table", "kvmmap(kpgtbl, 0x1000, pa, PGSIZE, PTE_R|PTE_W)",
            GT_RET_VOID)
{
  pagetable_t kpgtbl = uvmcreate();
  GT_CALL((kvmmap(kpgtbl, 0x1000, (uint64)gt_borrowed, PGSIZE, PTE_R | PTE_W), 0));
}
#endif

#ifdef GT_HAVE_uvmcreate
GT_SCENARIO(uvmcreate, "empty", "nothing", "pagetable = uvmcreate()", GT_RET_ZERO)
{
  GT_CALL(uvmcreate());
}
#endif

#if defined(GT_HAVE_mappages) && defined(GT_HAVE_uvmcreate)
GT_SCENARIO(mappages, "two pages across a 2 MiB boundary", "an empty page table",
            "mappages(pagetable, 0x1ff000, 2*PGSIZE, pa, PTE_R|PTE_W)", GT_RET_NEGATIVE)
{
  pagetable_t pt = uvmcreate();
  GT_CALL(mappages(pt, 0x1ff000, 2 * PGSIZE, (uint64)gt_borrowed, PTE_R | PTE_W));
}

GT_SCENARIO(mappages, "one user page", "a page table with 0x1000 bytes of user memory, a fresh page",
            "mappages(pagetable, 0x1000, PGSIZE, (uint64)mem, PTE_R|PTE_W|PTE_U)", GT_RET_NEGATIVE)
{
  pagetable_t pt = gt_host_user_table(0x1000);
  char *mem = kalloc();
  GT_CALL(mappages(pt, 0x1000, PGSIZE, (uint64)mem, PTE_R | PTE_W | PTE_U));
  if(gt_failed())
    kfree(mem);
}
#endif

#if defined(GT_HAVE_walk) && defined(GT_HAVE_uvmcreate)
GT_SCENARIO(walk, "allocating", "an empty page table", "pte = walk(pagetable, 0x1ff000, 1)", GT_RET_ZERO)
{
  pagetable_t pt = uvmcreate();
  GT_CALL(walk(pt, 0x1ff000, 1));
}
#endif

#if defined(GT_HAVE_walkaddr) && defined(GT_HAVE_uvmalloc)
GT_SCENARIO(walkaddr, "mapped and unmapped", "a page table with 0x1000 bytes of user memory",
            "walkaddr(pagetable, 0x0), walkaddr(pagetable, 0x5000)", GT_RET_ZERO)
{
  pagetable_t pt = gt_host_user_table(0x1000);
  GT_CALL(walkaddr(pt, 0x0));
  walkaddr(pt, 0x5000);
}
#endif

#if defined(GT_HAVE_uvmunmap) && defined(GT_HAVE_uvmalloc)
GT_SCENARIO(uvmunmap, "two user pages", "a page table with 0x3000 bytes of user memory",
            "uvmunmap(pagetable, 0x1000, 2, 1)", GT_RET_VOID)
{
  pagetable_t pt = gt_host_user_table(0x3000);
  GT_CALL((uvmunmap(pt, 0x1000, 2, 1), 0));
}
#endif

#if defined(GT_HAVE_uvmfirst) && defined(GT_HAVE_uvmcreate)
static uchar gt_code[64] = {0x13, 0x05, 0x00, 0x00};

GT_SCENARIO(uvmfirst, "boot", "an empty page table", "uvmfirst(pagetable, initcode, 64)", GT_RET_VOID)
{
  pagetable_t pt = uvmcreate();
  GT_CALL((uvmfirst(pt, gt_code, sizeof(gt_code)), 0));
}
#endif

#ifdef GT_HAVE_uvmalloc
GT_SCENARIO(uvmalloc, "grow 0x1000 to 0x3000", "a page table with 0x1000 bytes of user memory",
            "uvmalloc(pagetable, 0x1000, 0x3000, PTE_W)", GT_RET_ZERO)
{
  pagetable_t pt = gt_host_user_table(0x1000);
  GT_CALL(uvmalloc(pt, 0x1000, 0x3000, PTE_W));
}

GT_SCENARIO(uvmalloc, "grow 0 to 0x201000 (new level-0 table)", "an empty page table",
            "uvmalloc(pagetable, 0x1ff000, 0x201000, PTE_W)", GT_RET_ZERO)
{
  pagetable_t pt = gt_host_user_table(0);
  GT_CALL(uvmalloc(pt, 0x1ff000, 0x201000, PTE_W));
}
#endif

#if defined(GT_HAVE_uvmdealloc) && defined(GT_HAVE_uvmalloc)
GT_SCENARIO(uvmdealloc, "shrink 0x3000 to 0x1000", "a page table with 0x3000 bytes of user memory",
            "uvmdealloc(pagetable, 0x3000, 0x1000)", GT_RET_VOID)
{
  pagetable_t pt = gt_host_user_table(0x3000);
  GT_CALL(uvmdealloc(pt, 0x3000, 0x1000));
}
#endif

#if defined(GT_HAVE_freewalk) && defined(GT_HAVE_uvmalloc) && defined(GT_HAVE_uvmunmap)
GT_SCENARIO(freewalk, "interior levels only", "a page table whose only page was unmapped",
            "freewalk(pagetable)", GT_RET_VOID)
{
  pagetable_t pt = gt_host_user_table(0x1000);
  uvmunmap(pt, 0, 1, 1);
  GT_CALL((freewalk(pt), 0));
}
#endif

#if defined(GT_HAVE_uvmfree) && defined(GT_HAVE_uvmalloc)
GT_SCENARIO(uvmfree, "user memory", "a page table with 0x2000 bytes of user memory",
            "uvmfree(pagetable, 0x2000)", GT_RET_VOID)
{
  pagetable_t pt = gt_host_user_table(0x2000);
  GT_CALL((uvmfree(pt, 0x2000), 0));
}
#endif

#if defined(GT_HAVE_uvmcopy) && defined(GT_HAVE_uvmalloc)
GT_SCENARIO(uvmcopy, "0x2000 bytes", "a parent table with 0x2000 bytes of user memory, and an empty child table",
            "uvmcopy(old, new, 0x2000)", GT_RET_NEGATIVE)
{
  pagetable_t old = gt_host_user_table(0x2000);
  pagetable_t new = uvmcreate();
  GT_CALL(uvmcopy(old, new, 0x2000));
}
#endif

#if defined(GT_HAVE_uvmclear) && defined(GT_HAVE_uvmalloc)
GT_SCENARIO(uvmclear, "guard page", "a page table with 0x2000 bytes of user memory",
            "uvmclear(pagetable, 0x0)", GT_RET_VOID)
{
  pagetable_t pt = gt_host_user_table(0x2000);
  GT_CALL((uvmclear(pt, 0x0), 0));
}
#endif

#if defined(GT_HAVE_copyout) && defined(GT_HAVE_uvmalloc)
GT_SCENARIO(copyout, "across a page boundary", "a page table with 0x2000 bytes of user memory",
            "copyout(pagetable, 0xff8, src, 16)", GT_RET_NEGATIVE)
{
  pagetable_t pt = gt_host_user_table(0x2000);
  char src[16] = "fifteen bytes..";
  GT_CALL(copyout(pt, 0xff8, src, 16));
}
#endif

#if defined(GT_HAVE_copyin) && defined(GT_HAVE_uvmalloc)
GT_SCENARIO(copyin, "across a page boundary", "a page table with 0x2000 bytes of user memory",
            "copyin(pagetable, dst, 0xff8, 16)", GT_RET_NEGATIVE)
{
  pagetable_t pt = gt_host_user_table(0x2000);
  char dst[16];
  GT_CALL(copyin(pt, dst, 0xff8, 16));
}
#endif

#if defined(GT_HAVE_copyinstr) && defined(GT_HAVE_uvmalloc)
GT_SCENARIO(copyinstr, "a string", "a page table with a string at 0x10",
            "copyinstr(pagetable, dst, 0x10, 32)", GT_RET_NEGATIVE)
{
  pagetable_t pt = gt_host_user_table(0x1000);
  copyout(pt, 0x10, "init", 5);
  char dst[32];
  GT_CALL(copyinstr(pt, dst, 0x10, 32));
}
#endif

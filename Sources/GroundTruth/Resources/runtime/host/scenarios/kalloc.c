// Scenarios for an xv6 tree's kernel/kalloc.c (ladder's own; see vm.c here). The tree's
// kalloc and kfree are built as gt_real_kalloc and gt_real_kfree (every other file's
// kalloc is the Sv39 model's): they manage the pool between `end` and PHYSTOP that the
// shim gives them (gt_memlayout.h), and are judged on their lock.

#include "types.h"
#include "param.h"
#include "memlayout.h"
#include "riscv.h"
#include "spinlock.h"
#include "stat.h"
#include "defs.h"
#include "gt_tree_decls.h"
#include "gt_host_api.h"

void *gt_real_kalloc(void);
void gt_real_kfree(void *pa);

#define GT_POOL_PAGES (GT_KALLOC_POOL_BYTES / PGSIZE)

#ifdef GT_HAVE_kinit
GT_SCENARIO(kinit, "the pool", "nothing", "kinit()", GT_RET_VOID)
{
  GT_CALL((kinit(), 0));
}

#ifdef GT_HAVE_kalloc
GT_SCENARIO(kalloc, "a page", "kinit() over the pool", "p = kalloc()", GT_RET_ZERO)
{
  kinit();
  void *p = (void *)GT_CALL(gt_real_kalloc());
  if(p)
    gt_real_kfree(p);
}

GT_SCENARIO(kalloc, "the pool is empty", "kinit() over the pool, then every page taken", "p = kalloc()",
            GT_RET_ZERO)
{
  kinit();
  void *taken[GT_POOL_PAGES + 1];
  int n = 0;
  while(n < GT_POOL_PAGES + 1 && (taken[n] = gt_real_kalloc()) != 0)
    n++;
  GT_CALL(gt_real_kalloc());
  while(n > 0)
    gt_real_kfree(taken[--n]);
}
#endif

#ifdef GT_HAVE_kfree
GT_SCENARIO(kfree, "a page", "kinit() over the pool, one page taken", "kfree(p)", GT_RET_VOID)
{
  kinit();
  void *p = gt_real_kalloc();
  GT_CALL((gt_real_kfree(p), 0));
}
#endif

#ifdef GT_HAVE_freerange
GT_SCENARIO(freerange, "the whole pool back", "kinit() over the pool, every page taken",
            "freerange(end, PHYSTOP)", GT_RET_VOID)
{
  kinit();
  while(gt_real_kalloc() != 0)
    ;
  GT_CALL((freerange(end, (void *)PHYSTOP), 0));
}
#endif
#endif

// gt_tail_sysfile.c -- appended to the overlay's copy of sysfile.c, where its static fdalloc
// is in reach: a process whose descriptors are all in use is a failure point.

#include "gt_runtime.h"

#ifdef GT_HOOKED_fdalloc
static int
fdalloc(struct file *f)
{
  if(gt_should_fail("fdalloc"))
    return -1;
  return gt_real_fdalloc(f);
}
#endif

// For code outside sysfile.c (the cases of fixtures/checks call fdalloc).
GT_WEAK int
gt_host_fdalloc(struct file *f)
{
  return fdalloc(f);
}

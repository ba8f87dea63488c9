// Scenarios for an xv6 tree's kernel/pipe.c (ladder's own; see vm.c here).

#include "types.h"
#include "param.h"
#include "memlayout.h"
#include "riscv.h"
#include "spinlock.h"
#include "sleeplock.h"
#include "proc.h"
#include "fs.h"
#include "file.h"
#include "stat.h"
#include "defs.h"
#include "gt_tree_decls.h"
#include "gt_host_api.h"
#include "gt_host_proc.h"

#ifdef GT_HAVE_pipealloc
GT_SCENARIO(pipealloc, "two files and a page", "nothing", "pipealloc(&rf, &wf)", GT_RET_NEGATIVE)
{
  struct file *rf, *wf;
  GT_CALL(pipealloc(&rf, &wf));
  if(!gt_failed()){
    fileclose(rf);
    fileclose(wf);
  }
}

// The pipe's two ends for the current process: read end, write end.
static void
gt_pipe(struct file **rf, struct file **wf)
{
  gt_host_process(0x2000);
  if(pipealloc(rf, wf) < 0)
    gt_panic("setup: pipealloc");
}
#endif

#if defined(GT_HAVE_pipeclose) && defined(GT_HAVE_pipealloc)
GT_SCENARIO(pipeclose, "the write end, then the read end", "a pipe", "pipeclose(pi, 1); pipeclose(pi, 0)",
            GT_RET_VOID)
{
  struct file *rf, *wf;
  gt_pipe(&rf, &wf);
  struct pipe *pi = rf->pipe;
  // The files go without closing the pipe under them: the call does that.
  rf->type = wf->type = FD_NONE;
  GT_CALL((pipeclose(pi, 1), pipeclose(pi, 0), 0));
  fileclose(rf);
  fileclose(wf);
}
#endif

#if defined(GT_HAVE_pipewrite) && defined(GT_HAVE_pipealloc)
GT_SCENARIO(pipewrite, "room for it", "a pipe; 16 bytes at user 0x100", "pipewrite(pi, 0x100, 16)", GT_RET_NEGATIVE)
{
  struct file *rf, *wf;
  gt_pipe(&rf, &wf);
  GT_CALL(pipewrite(wf->pipe, 0x100, 16));
  fileclose(rf);
  fileclose(wf);
}

GT_SCENARIO(pipewrite, "no reader", "a pipe whose read end is closed", "pipewrite(pi, 0x100, 16)", GT_RET_NEGATIVE)
{
  struct file *rf, *wf;
  gt_pipe(&rf, &wf);
  fileclose(rf);
  GT_CALL(pipewrite(wf->pipe, 0x100, 16));
  fileclose(wf);
}
#endif

#if defined(GT_HAVE_piperead) && defined(GT_HAVE_pipealloc) && defined(GT_HAVE_pipewrite)
GT_SCENARIO(piperead, "data waiting", "a pipe with 16 bytes in it", "piperead(pi, 0x200, 16)", GT_RET_NEGATIVE)
{
  struct file *rf, *wf;
  gt_pipe(&rf, &wf);
  pipewrite(wf->pipe, 0x100, 16);
  GT_CALL(piperead(rf->pipe, 0x200, 16));
  fileclose(rf);
  fileclose(wf);
}

GT_SCENARIO(piperead, "empty, a writer", "an empty pipe, the write end open", "piperead(pi, 0x200, 16)",
            GT_RET_NEGATIVE)
{
  struct file *rf, *wf;
  gt_pipe(&rf, &wf);
  GT_CALL(piperead(rf->pipe, 0x200, 16));
  fileclose(rf);
  fileclose(wf);
}
#endif

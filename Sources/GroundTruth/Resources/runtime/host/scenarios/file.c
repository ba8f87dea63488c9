// Scenarios for an xv6 tree's kernel/file.c (ladder's own; see vm.c here).

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

GT_NOT_HOSTED(fileinit, "boot: every run's setup calls it")

static const char gt_text[] = "hello, world";

// The current process with /a open in descriptor 0.
static struct file *
gt_open_a(int readable, int writable)
{
  gt_host_file("/a", T_FILE, gt_text, sizeof(gt_text));
  struct proc *p = gt_host_process(0x2000);
  int fd = gt_host_open(p, "/a", readable, writable);
  return p->ofile[fd];
}

#ifdef GT_HAVE_filealloc
GT_SCENARIO(filealloc, "a free entry", "nothing", "f = filealloc()", GT_RET_ZERO)
{
  struct file *f = (struct file *)GT_CALL(filealloc());
  if(f)
    fileclose(f);
}

GT_SCENARIO(filealloc, "the table is full", "every file-table entry in use", "f = filealloc()", GT_RET_ZERO)
{
  struct file *all[NFILE];
  int n = 0;
  while(n < NFILE && (all[n] = filealloc()) != 0)
    n++;
  struct file *f = (struct file *)GT_CALL(filealloc());
  if(f)
    fileclose(f);
  while(n > 0)
    fileclose(all[--n]);
}
#endif

#ifdef GT_HAVE_filedup
GT_SCENARIO(filedup, "an open file", "/a open", "filedup(f)", GT_RET_ZERO)
{
  struct file *f = gt_open_a(1, 0);
  GT_CALL(filedup(f));
  fileclose(f);
}
#endif

#ifdef GT_HAVE_fileclose
GT_SCENARIO(fileclose, "the last reference to an inode file", "/a open in descriptor 0", "fileclose(f)",
            GT_RET_VOID)
{
  struct file *f = gt_open_a(1, 0);
  myproc()->ofile[0] = 0;
  GT_CALL((fileclose(f), 0));
}

GT_SCENARIO(fileclose, "not the last reference", "/a open in descriptor 0, and a dup of it", "fileclose(f)",
            GT_RET_VOID)
{
  struct file *f = gt_open_a(1, 0);
  filedup(f);
  GT_CALL((fileclose(f), 0));
}

#ifdef GT_HAVE_pipealloc
GT_SCENARIO(fileclose, "a pipe's write end", "a pipe", "fileclose(wf)", GT_RET_VOID)
{
  struct file *rf, *wf;
  if(pipealloc(&rf, &wf) < 0)
    gt_panic("setup: pipealloc");
  GT_CALL((fileclose(wf), 0));
  fileclose(rf);
}
#endif
#endif

#ifdef GT_HAVE_filestat
GT_SCENARIO(filestat, "an inode file", "/a open; the current process with 0x2000 bytes", "filestat(f, 0x100)",
            GT_RET_NEGATIVE)
{
  struct file *f = gt_open_a(1, 0);
  GT_CALL(filestat(f, 0x100));
}
#endif

#ifdef GT_HAVE_fileread
GT_SCENARIO(fileread, "an inode file", "/a open for reading", "fileread(f, 0x100, n)", GT_RET_NEGATIVE)
{
  struct file *f = gt_open_a(1, 0);
  GT_CALL(fileread(f, 0x100, sizeof(gt_text)));
}

GT_SCENARIO(fileread, "not readable", "/a open for writing only", "fileread(f, 0x100, n)", GT_RET_NEGATIVE)
{
  struct file *f = gt_open_a(0, 1);
  GT_CALL(fileread(f, 0x100, sizeof(gt_text)));
}
#endif

#ifdef GT_HAVE_filewrite
GT_SCENARIO(filewrite, "an inode file", "/a open for writing; 0x800 bytes at user 0x100", "filewrite(f, 0x100, 0x800)",
            GT_RET_NEGATIVE)
{
  struct file *f = gt_open_a(0, 1);
  GT_CALL(filewrite(f, 0x100, 0x800));
}
#endif

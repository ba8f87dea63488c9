// Scenarios for an xv6 tree's kernel/proc.c (ladder's own; see vm.c here). The current
// process is the one the tree's userinit() makes (gt_host_process); a second one comes
// from the tree's own fork() during the setup.

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

GT_NOT_HOSTED(scheduler, "the scheduler loop never returns, and switches to processes (one hart: there is nothing to run)")
GT_NOT_HOSTED(forkret, "reached only by the first switch into a new process")
GT_NOT_HOSTED(procinit, "boot: every run's setup calls it")

// A child of the current process, made by the tree's fork() in the setup.
static struct proc *
gt_child(void)
{
  int pid = fork();
  if(pid <= 0)
    gt_panic("gt_child: fork");
  for(int i = 0; i < NPROC; i++)
    if(proc[i].pid == pid)
      return &proc[i];
  gt_panic("gt_child: no such pid");
}

// What exit() does before it switches away for good: files closed, cwd put, a zombie.
static void
gt_zombie(struct proc *p)
{
  for(int fd = 0; fd < NOFILE; fd++){
    if(p->ofile[fd]){
      struct file *f = p->ofile[fd];
      p->ofile[fd] = 0;
      fileclose(f);
    }
  }
  begin_op();
  iput(p->cwd);
  end_op();
  p->cwd = 0;
  p->xstate = 3;
  p->state = ZOMBIE;
}

static struct proc *
gt_find(int pid)
{
  for(int i = 0; i < NPROC; i++)
    if(proc[i].pid == pid && proc[i].state != UNUSED)
      return &proc[i];
  return 0;
}

#ifdef GT_HAVE_allocpid
GT_SCENARIO(allocpid, "next pid", "nothing", "pid = allocpid()", GT_RET_VOID)
{
  GT_CALL(allocpid());
}
#endif

#if defined(GT_HAVE_proc_mapstacks) && defined(GT_HAVE_uvmcreate)
GT_SCENARIO(proc_mapstacks, "every slot", "an empty kernel page table", "proc_mapstacks(kpgtbl)", GT_RET_VOID)
{
  pagetable_t kpgtbl = uvmcreate();
  GT_CALL((proc_mapstacks(kpgtbl), 0));
  // The kernel keeps its stacks for ever; the teardown gives them back.
  for(int i = 0; i < NPROC; i++){
    pte_t *pte = walk(kpgtbl, KSTACK(i), 0);
    if(pte && (*pte & PTE_V)){
      kfree((void *)PTE2PA(*pte));
      *pte = 0;
    }
  }
}
#endif

#ifdef GT_HAVE_proc_pagetable
GT_SCENARIO(proc_pagetable, "slot 0", "proc slot 0 with its trapframe page",
            "pagetable = proc_pagetable(p)", GT_RET_ZERO)
{
  struct proc *p = &proc[0];
  p->trapframe = (struct trapframe *)kalloc();
  gt_set_name(p->trapframe, "proc[0].trapframe");
  pagetable_t pt = (pagetable_t)GT_CALL(proc_pagetable(p));
  if(pt)
    proc_freepagetable(pt, 0);
  kfree(p->trapframe);
  p->trapframe = 0;
}
#endif

#if defined(GT_HAVE_proc_freepagetable) && defined(GT_HAVE_proc_pagetable) && defined(GT_HAVE_uvmalloc)
GT_SCENARIO(proc_freepagetable, "with user memory", "a process page table with 0x2000 bytes of user memory",
            "proc_freepagetable(pagetable, 0x2000)", GT_RET_VOID)
{
  struct proc *p = &proc[0];
  p->trapframe = (struct trapframe *)kalloc();
  pagetable_t pt = proc_pagetable(p);
  if(pt == 0 || uvmalloc(pt, 0, 0x2000, PTE_W) == 0)
    gt_panic("setup: proc_pagetable");
  GT_CALL((proc_freepagetable(pt, 0x2000), 0));
  kfree(p->trapframe);
  p->trapframe = 0;
}
#endif

#ifdef GT_HAVE_userinit
GT_SCENARIO(userinit, "boot", "an empty proc table and a root directory", "userinit()", GT_RET_VOID)
{
  GT_CALL((userinit(), 0));
  if(initproc)
    gt_host_reap(initproc);
}
#endif

#ifdef GT_HAVE_growproc
GT_SCENARIO(growproc, "grow by 0x2000", "the current process with 0x1000 bytes of user memory",
            "growproc(0x2000)", GT_RET_NEGATIVE)
{
  gt_host_process(0x1000);
  GT_CALL(growproc(0x2000));
}

GT_SCENARIO(growproc, "shrink by 0x1000", "the current process with 0x2000 bytes of user memory",
            "growproc(-0x1000)", GT_RET_NEGATIVE)
{
  gt_host_process(0x2000);
  GT_CALL(growproc(-0x1000));
}
#endif

#ifdef GT_HAVE_fork
GT_SCENARIO(fork, "0x2000 bytes, a cwd, an open file", "a parent process (slot 0) with 0x2000 bytes of user memory",
            "pid = fork()", GT_RET_NEGATIVE)
{
  gt_host_file("/f", T_FILE, "contents", 8);
  struct proc *p = gt_host_process(0x2000);
  struct file *f = filealloc();
  f->type = FD_INODE;
  f->readable = 1;
  begin_op();
  f->ip = namei("/f");
  end_op();
  p->ofile[0] = f;
  int pid = (int)GT_CALL(fork());
  struct proc *child = pid > 0 ? gt_find(pid) : 0;
  if(child)
    gt_host_reap(child);
}
#endif

#if defined(GT_HAVE_exit) && defined(GT_HAVE_fork)
GT_SCENARIO(exit, "a child with the parent's files", "the current process is a child of the first one",
            "exit(0)", GT_RET_VOID)
{
  struct proc *parent = gt_host_process(0x1000);
  struct proc *child = gt_child();
  parent->state = RUNNABLE;
  child->state = RUNNING;
  mycpu()->proc = child;
  GT_CALL((exit(0), 0));
}
#endif

#if defined(GT_HAVE_wait) && defined(GT_HAVE_fork)
GT_SCENARIO(wait, "a zombie child", "the current process and a zombie child", "wait(0)", GT_RET_NEGATIVE)
{
  gt_host_process(0x1000);
  struct proc *child = gt_child();
  gt_zombie(child);
  GT_CALL(wait(0));
}

GT_SCENARIO(wait, "a zombie child, status to user memory", "as above; the status goes to user address 0x10",
            "wait(0x10)", GT_RET_NEGATIVE)
{
  gt_host_process(0x1000);
  struct proc *child = gt_child();
  gt_zombie(child);
  GT_CALL(wait(0x10));
}

GT_SCENARIO(wait, "a running child", "the current process and a child that has not exited", "wait(0)",
            GT_RET_NEGATIVE)
{
  gt_host_process(0x1000);
  gt_child();
  GT_CALL(wait(0));
}
#endif

#ifdef GT_HAVE_wait
GT_SCENARIO(wait, "no children", "the current process, no children", "wait(0)", GT_RET_NEGATIVE)
{
  gt_host_process(0x1000);
  GT_CALL(wait(0));
}
#endif

#if defined(GT_HAVE_kill) && defined(GT_HAVE_fork)
GT_SCENARIO(kill, "a sleeping victim", "a child of the current process, asleep", "kill(pid)", GT_RET_NEGATIVE)
{
  gt_host_process(0x1000);
  struct proc *child = gt_child();
  child->state = SLEEPING;
  GT_CALL(kill(child->pid));
  gt_host_reap(child);
}
#endif

#ifdef GT_HAVE_kill
GT_SCENARIO(kill, "no such process", "the current process", "kill(42)", GT_RET_NEGATIVE)
{
  gt_host_process(0x1000);
  GT_CALL(kill(42));
}
#endif

#ifdef GT_HAVE_setkilled
GT_SCENARIO(setkilled, "the current process", "the current process", "setkilled(p)", GT_RET_VOID)
{
  struct proc *p = gt_host_process(0x1000);
  GT_CALL((setkilled(p), 0));
}
#endif

#ifdef GT_HAVE_killed
GT_SCENARIO(killed, "the current process", "the current process", "killed(p)", GT_RET_VOID)
{
  struct proc *p = gt_host_process(0x1000);
  GT_CALL(killed(p));
}
#endif

#ifdef GT_HAVE_sleep
static struct spinlock gt_cond_lock;

GT_SCENARIO(sleep, "condition false", "the current process holding a lock", "sleep(chan, &lk)", GT_RET_VOID)
{
  gt_host_process(0x1000);
  initlock(&gt_cond_lock, "cond");
  acquire(&gt_cond_lock);
  GT_CALL((sleep(&gt_cond_lock, &gt_cond_lock), 0));
}
#endif

#if defined(GT_HAVE_wakeup) && defined(GT_HAVE_fork)
GT_SCENARIO(wakeup, "a sleeping child", "a child of the current process asleep on a channel", "wakeup(chan)",
            GT_RET_VOID)
{
  gt_host_process(0x1000);
  struct proc *child = gt_child();
  static int chan;
  child->chan = &chan;
  child->state = SLEEPING;
  GT_CALL((wakeup(&chan), 0));
  gt_host_reap(child);
}
#endif

#if defined(GT_HAVE_reparent) && defined(GT_HAVE_fork)
GT_SCENARIO(reparent, "one child", "a process (the child of the first) with a child of its own, wait_lock held",
            "reparent(p)", GT_RET_VOID)
{
  struct proc *first = gt_host_process(0x1000);
  struct proc *middle = gt_child();
  first->state = RUNNABLE;
  middle->state = RUNNING;
  mycpu()->proc = middle;
  struct proc *grandchild = gt_child();
  acquire(&wait_lock);
  GT_CALL((reparent(middle), 0));
  release(&wait_lock);
  (void)grandchild;
}
#endif

#ifdef GT_HAVE_yield
GT_SCENARIO(yield, "the current process", "the current process", "yield()", GT_RET_VOID)
{
  gt_host_process(0x1000);
  GT_CALL((yield(), 0));
}
#endif

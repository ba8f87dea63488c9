// gt_tail_proc.c -- appended to the overlay's copy of proc.c, where its static allocproc and
// freeproc are in reach. A process slot is a resource (the pack's proc): allocproc takes
// one, freeproc gives it back, and needs p->lock held to do so.

#include "gt_runtime.h"
#include "gt_host_api.h"

#ifdef GT_HOOKED_allocproc
static struct proc *
allocproc(void)
{
  struct proc *p = gt_real_allocproc();
  if(p){
    gt_hold("proc", p, 0, gt_fmt_index("proc", (int)(p - proc), ""));
    if(p->GT_TRAPFRAME_FIELD)
      gt_set_name(p->GT_TRAPFRAME_FIELD, gt_fmt_index("proc", (int)(p - proc), ".trapframe"));
  }
  return p;
}
#endif

#ifdef GT_HOOKED_freeproc
static void
freeproc(struct proc *p)
{
  if(!holding(&p->lock))
    gt_problem(GT_P_ORDER, "spinlock", gt_name(&p->lock, "p->lock"), &p->lock, 0,
               "freeproc without p->lock held");
  // allocproc frees its own slot when it fails half-way, before the hook above has seen it.
  gt_release_if_held("proc", p, 0, gt_fmt_index("proc", (int)(p - proc), ""));
  gt_real_freeproc(p);
}
#endif

// proc.c's statics, for code outside it (harnesses; the cases of fixtures/checks, whose
// header declares allocproc and freeproc as functions of the kernel).
GT_WEAK void
gt_host_freeproc(struct proc *p)
{
  freeproc(p);
}

GT_WEAK struct proc *
gt_host_allocproc(void)
{
  return allocproc();
}

// What processes keep: a resource stored in one at an error exit was handed on, not leaked.
static void
gt_host_owners(void)
{
  for(int i = 0; i < NPROC; i++){
    struct proc *p = &proc[i];
    if(p->pagetable)
      gt_owned("pagetable", p->pagetable, 0);
    if(p->cwd)
      gt_owned("inode-ref", p->cwd, 0);
    for(int fd = 0; fd < NOFILE; fd++)
      if(p->ofile[fd])
        gt_owned("file", p->ofile[fd], 0);
  }
}

__attribute__((constructor)) static void
gt_tail_proc_register(void)
{
  gt_register_owners(gt_host_owners);
}

// Scenarios for the statics themselves (ladder's own, here because only this file sees
// them). allocproc's is KernelModel's reference path: setup and call are the reference's.
#if defined(GT_HOOKED_allocproc) && !defined(GT_FOR_CASES)
GT_SCENARIO(allocproc, "empty table", "an empty proc table", "p = allocproc()", GT_RET_ZERO)
{
  struct proc *p = (struct proc *)GT_CALL(allocproc());
  if(p){
    freeproc(p);
    release(&p->lock);
  }
}

GT_SCENARIO(allocproc, "full table", "every proc slot in use", "p = allocproc()", GT_RET_ZERO)
{
  for(int i = 0; i < NPROC; i++)
    proc[i].state = RUNNABLE;
  GT_CALL(allocproc());
  for(int i = 0; i < NPROC; i++)
    proc[i].state = UNUSED;
}
#endif

#if defined(GT_HOOKED_allocproc) && defined(GT_HOOKED_freeproc) && !defined(GT_FOR_CASES)
GT_SCENARIO(freeproc, "a fresh process", "a process from allocproc, p->lock held", "freeproc(p)", GT_RET_VOID)
{
  struct proc *p = allocproc();
  if(p == 0)
    gt_panic("setup: allocproc");
  GT_CALL((freeproc(p), 0));
  release(&p->lock);
}
#endif

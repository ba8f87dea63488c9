// gt_host_locks.c -- spinlocks and sleep-locks for an xv6 tree on the host: one hart, each
// acquisition and release recorded (with the stack that made it) so runs can be judged on
// what was held when, and on what was released twice or never acquired.
//
// A spinlock acquired while this hart holds it is the deadlock xv6 panics on ("acquire").
// A sleep-lock held by someone else would put the caller to sleep until a release that, on
// one hart with nothing else running, never comes: the run ends as 'would block'. Held by
// the current process itself, it is a deadlock.
//
// Interrupts stay off (the host has no devices): push_off/pop_off only count, as sched()
// checks they do.

#include "types.h"
#include "param.h"
#include "memlayout.h"
#include "riscv.h"
#include "spinlock.h"
#include "sleeplock.h"
#include "proc.h"
#include "defs.h"
#include "gt_runtime.h"
#include "gt_host_api.h"

static const char *
gt_spin_name(struct spinlock *lk)
{
  return gt_name(lk, lk->name ? lk->name : "lock");
}

void
initlock(struct spinlock *lk, char *name)
{
  // Every field the host reads starts cleared; only the name is given.
  *lk = (struct spinlock){ .name = name };
}

int
holding(struct spinlock *lk)
{
  return lk->locked && lk->cpu == mycpu();
}

void
push_off(void)
{
  mycpu()->noff += 1;
}

void
pop_off(void)
{
  struct cpu *c = mycpu();
  if(c->noff < 1)
    gt_panic("pop_off");
  c->noff -= 1;
}

void
acquire(struct spinlock *lk)
{
  if((uint64)lk < PGSIZE){
    gt_problem(GT_P_NULL_DEREF, "spinlock", "0", lk, 0, "acquire of a null lock");
    gt_panic("acquire: null pointer");
  }
  push_off();
  if(holding(lk)){
    gt_problem(GT_P_DEADLOCK, "spinlock", gt_spin_name(lk), lk, 0, "acquired while this hart holds it");
    gt_panic("acquire");
  }
  lk->locked = 1;
  lk->cpu = mycpu();
  gt_hold("spinlock", lk, 0, gt_spin_name(lk));
}

void
release(struct spinlock *lk)
{
  if((uint64)lk < PGSIZE){
    gt_problem(GT_P_NULL_DEREF, "spinlock", "0", lk, 0, "release of a null lock");
    gt_panic("release: null pointer");
  }
  if(!holding(lk)){
    gt_report_unheld("spinlock", lk, 0, gt_spin_name(lk));
    gt_panic("release");
  }
  gt_unhold("spinlock", lk, 0, gt_spin_name(lk), "release");
  lk->cpu = 0;
  lk->locked = 0;
  pop_off();
}

// ---- sleep-locks ------------------------------------------------------------------------

#define GT_MAX_CLASSIFIERS 4
static gt_sleeplock_classifier gt_classifiers[GT_MAX_CLASSIFIERS];
static int gt_nclassifiers;

void
gt_host_classify_sleeplocks(gt_sleeplock_classifier classify)
{
  if(gt_nclassifiers < GT_MAX_CLASSIFIERS)
    gt_classifiers[gt_nclassifiers++] = classify;
}

// The resource kind a sleep-lock stands for (an inode's lock, a buffer), and its name.
static const char *
gt_sleep_kind(struct sleeplock *lk, const char **name)
{
  for(int i = 0; i < gt_nclassifiers; i++){
    const char *kind = gt_classifiers[i](lk, name);
    if(kind)
      return kind;
  }
  *name = gt_name(lk, lk->name ? lk->name : "sleeplock");
  return "sleeplock";
}

static int
gt_current_pid(void)
{
  struct proc *p = myproc();
  return p ? p->pid : 0;
}

void
initsleeplock(struct sleeplock *lk, char *name)
{
  *lk = (struct sleeplock){ .name = name };
  initlock(&lk->lk, "sleep lock");
}

void
acquiresleep(struct sleeplock *lk)
{
  const char *name;
  if((uint64)lk < PGSIZE){
    gt_problem(GT_P_NULL_DEREF, "sleeplock", "0", lk, 0, "acquiresleep of a null lock");
    gt_panic("acquiresleep: null pointer");
  }
  const char *kind = gt_sleep_kind(lk, &name);
  if(lk->locked){
    if(lk->pid == gt_current_pid()){
      gt_problem(GT_P_DEADLOCK, kind, name, lk, 0, "acquired while this process holds it");
      gt_panic("acquiresleep: deadlock");
    }
    gt_would_block("acquiresleep");
  }
  lk->locked = 1;
  lk->pid = gt_current_pid();
  gt_hold(kind, lk, 0, name);
}

void
releasesleep(struct sleeplock *lk)
{
  const char *name;
  const char *kind = gt_sleep_kind(lk, &name);
  if(!lk->locked){
    gt_report_unheld(kind, lk, 0, name);
    gt_panic("releasesleep");
  }
  gt_unhold(kind, lk, 0, name, "releasesleep");
  lk->locked = 0;
  lk->pid = 0;
}

int
holdingsleep(struct sleeplock *lk)
{
  return lk->locked && lk->pid == gt_current_pid();
}

// gt_checks_support.c -- the rest of the kernel for the xv6-style cases of fixtures/checks.
//
// Those cases include fixtures/checks/include/xv6.h, which has prototypes only. This file
// defines what they call beyond vm.c (compiled from fixtures/xv6) and gt_env.c: processes
// (allocproc, freeproc, proc_pagetable, proc_freepagetable, myproc), open files, pipes, a
// stand-in exec and loadseg, and the globals the cases name. The process functions follow
// fixtures/xv6/proc.c, on xv6.h's struct proc. Every definition is weak: a case that
// defines a function of the same name (its own proc_pagetable, exec, uvmalloc) wins.

#include "xv6.h"
#include "gt_runtime.h"

#define GT_NFILE 16

struct cpu {
  struct proc *proc;
};

GT_WEAK struct proc proc[NPROC];
GT_WEAK struct proc *initproc;
GT_WEAK struct spinlock wait_lock;
GT_WEAK struct spinlock tickslock;
GT_WEAK uint ticks;
GT_WEAK int cons_locking;
GT_WEAK struct spinlock cons_lock;
GT_WEAK uchar initcode[64] = {0x13, 0x05, 0x00, 0x00};
GT_WEAK uint initcode_len = 4;
__attribute__((aligned(4096))) GT_WEAK char trampoline[4096];

static struct cpu gt_cpu;
static struct file gt_ftable[GT_NFILE];
static int gt_nextpid;

GT_WEAK struct cpu *
mycpu(void)
{
  return &gt_cpu;
}

GT_WEAK struct proc *
myproc(void)
{
  return gt_cpu.proc;
}

// For harnesses: the process that myproc() returns.
void
gt_set_current(struct proc *p)
{
  gt_cpu.proc = p;
}

// ---- proc.c --------------------------------------------------------------------------

GT_WEAK pagetable_t
proc_pagetable(struct proc *p)
{
  pagetable_t pagetable;

  pagetable = uvmcreate();
  if(pagetable == 0)
    return 0;
  if(mappages(pagetable, TRAMPOLINE, PGSIZE, (uint64)trampoline, PTE_R | PTE_X) < 0){
    uvmfree(pagetable, 0);
    return 0;
  }
  if(mappages(pagetable, TRAPFRAME, PGSIZE, (uint64)(p->trapframe), PTE_R | PTE_W) < 0){
    uvmunmap(pagetable, TRAMPOLINE, 1, 0);
    uvmfree(pagetable, 0);
    return 0;
  }
  return pagetable;
}

GT_WEAK void
proc_freepagetable(pagetable_t pagetable, uint64 sz)
{
  uvmunmap(pagetable, TRAMPOLINE, 1, 0);
  uvmunmap(pagetable, TRAPFRAME, 1, 0);
  uvmfree(pagetable, sz);
}

GT_WEAK void
freeproc(struct proc *p)
{
  if(!holding(&p->lock))
    gt_problem(GT_P_ORDER, "spinlock", gt_name(&p->lock, "p->lock"), &p->lock, 0,
               "freeproc without p->lock held");
  if(p->trapframe)
    kfree((void *)p->trapframe);
  p->trapframe = 0;
  if(p->pagetable)
    proc_freepagetable(p->pagetable, p->sz);
  p->pagetable = 0;
  p->sz = 0;
  p->pid = 0;
  p->parent = 0;
  p->name[0] = 0;
  p->chan = 0;
  p->killed = 0;
  p->xstate = 0;
  if(p->state != UNUSED)
    gt_unhold("proc", p, 0, gt_fmt_index("proc", (int)(p - proc), ""), "freeproc");
  p->state = UNUSED;
}

GT_WEAK struct proc *
allocproc(void)
{
  struct proc *p;

  for(p = proc; p < &proc[NPROC]; p++){
    acquire(&p->lock);
    if(p->state == UNUSED)
      goto found;
    release(&p->lock);
  }
  return 0;

found:
  p->pid = ++gt_nextpid;
  p->state = USED;
  gt_hold("proc", p, 0, gt_fmt_index("proc", (int)(p - proc), ""));
  if((p->trapframe = (struct trapframe *)kalloc()) == 0){
    freeproc(p);
    release(&p->lock);
    return 0;
  }
  gt_set_name(p->trapframe, gt_fmt_index("proc", (int)(p - proc), ".trapframe"));
  p->pagetable = proc_pagetable(p);
  if(p->pagetable == 0){
    freeproc(p);
    release(&p->lock);
    return 0;
  }
  memset(&p->context, 0, sizeof(p->context));
  return p;
}

GT_WEAK int
killed(struct proc *p)
{
  if(gt_should_fail("killed"))
    return 1;
  return p->killed;
}

GT_WEAK void
setkilled(struct proc *p)
{
  p->killed = 1;
}

// One hart, nobody else to run: sleep gives up lk and takes it back.
GT_WEAK void
sleep(void *chan, struct spinlock *lk)
{
  (void)chan;
  release(lk);
  acquire(lk);
}

GT_WEAK void wakeup(void *chan) { (void)chan; }
GT_WEAK void sched(void) {}
GT_WEAK void consputc(int c) { (void)c; }

GT_WEAK int
either_copyout(int user_dst, uint64 dst, void *src, uint64 len)
{
  if(gt_should_fail("either_copyout"))
    return -1;
  if(user_dst)
    return copyout(myproc()->pagetable, dst, src, len);
  memmove((char *)dst, src, (uint)len);
  return 0;
}

GT_WEAK int
either_copyin(void *dst, int user_src, uint64 src, uint64 len)
{
  if(gt_should_fail("either_copyin"))
    return -1;
  if(user_src)
    return copyin(myproc()->pagetable, dst, src, len);
  memmove(dst, (char *)src, (uint)len);
  return 0;
}

// ---- file.c, sysfile.c ---------------------------------------------------------------

GT_WEAK struct file *
filealloc(void)
{
  if(gt_should_fail("filealloc"))
    return 0;
  for(int i = 0; i < GT_NFILE; i++){
    struct file *f = &gt_ftable[i];
    if(f->ref == 0){
      f->ref = 1;
      f->type = FD_NONE;
      f->pipe = 0;
      f->ip = 0;
      gt_hold("file", f, 0, gt_fmt_index("file", i, ""));
      return f;
    }
  }
  return 0;
}

GT_WEAK struct file *
filedup(struct file *f)
{
  if(f->ref < 1)
    panic("filedup");
  f->ref++;
  gt_hold("file", f, 0, gt_fmt_index("file", (int)(f - gt_ftable), ""));
  return f;
}

GT_WEAK void
fileclose(struct file *f)
{
  if((uint64)f < 4096){
    gt_problem(GT_P_RELEASE_UNHELD, "file", "0", f, 0, "fileclose(0)");
    gt_panic("fileclose");
  }
  gt_unhold("file", f, 0, gt_fmt_index("file", (int)(f - gt_ftable), ""), "fileclose");
  if(--f->ref > 0)
    return;
  struct file ff = *f;
  f->ref = 0;
  f->type = FD_NONE;
  if(ff.type == FD_PIPE){
    pipeclose(ff.pipe, ff.writable);
  } else if(ff.type == FD_INODE || ff.type == FD_DEVICE){
    begin_op();
    iput(ff.ip);
    end_op();
  }
}

GT_WEAK int
fdalloc(struct file *f)
{
  struct proc *p = myproc();
  if(gt_should_fail("fdalloc"))
    return -1;
  for(int fd = 0; fd < NOFILE; fd++){
    if(p->ofile[fd] == 0){
      p->ofile[fd] = f;
      return fd;
    }
  }
  return -1;
}

// ---- pipe.c --------------------------------------------------------------------------

GT_WEAK void
pipeclose(struct pipe *pi, int writable)
{
  acquire(&pi->lock);
  if(writable)
    pi->writeopen = 0;
  else
    pi->readopen = 0;
  if(pi->readopen == 0 && pi->writeopen == 0){
    release(&pi->lock);
    kfree((char *)pi);
  } else {
    release(&pi->lock);
  }
}

GT_WEAK int
pipealloc(struct file **f0, struct file **f1)
{
  struct pipe *pi = 0;
  *f0 = *f1 = 0;
  if((*f0 = filealloc()) == 0 || (*f1 = filealloc()) == 0)
    goto bad;
  if((pi = (struct pipe *)kalloc()) == 0)
    goto bad;
  pi->readopen = 1;
  pi->writeopen = 1;
  pi->nwrite = 0;
  pi->nread = 0;
  initlock(&pi->lock, "pipe");
  (*f0)->type = FD_PIPE;
  (*f0)->readable = 1;
  (*f0)->writable = 0;
  (*f0)->pipe = pi;
  (*f1)->type = FD_PIPE;
  (*f1)->readable = 0;
  (*f1)->writable = 1;
  (*f1)->pipe = pi;
  return 0;
bad:
  if(pi)
    kfree((char *)pi);
  if(*f0)
    fileclose(*f0);
  if(*f1)
    fileclose(*f1);
  return -1;
}

// ---- exec.c --------------------------------------------------------------------------

// sys_exec's exec: only its outcome matters to its caller.
GT_WEAK int
exec(char *path, char **argv)
{
  (void)path;
  if(gt_should_fail("exec"))
    return -1;
  int argc = 0;
  while(argv[argc])
    argc++;
  return argc;
}

GT_WEAK int
loadseg(pagetable_t pagetable, uint64 va, struct inode *ip, uint offset, uint sz)
{
  if(gt_should_fail("loadseg"))
    return -1;
  for(uint i = 0; i < sz; i += PGSIZE){
    uint64 pa = walkaddr(pagetable, va + i);
    if(pa == 0)
      panic("loadseg: address should exist");
    uint n = sz - i < PGSIZE ? sz - i : PGSIZE;
    if(readi(ip, 0, pa, offset + i, n) != (int)n)
      return -1;
  }
  return 0;
}

// ---- reset and the final check -------------------------------------------------------

static void
gt_support_reset(void)
{
  for(int i = 0; i < NPROC; i++){
    struct proc *p = &proc[i];
    memset(p, 0, sizeof(*p));
    initlock(&p->lock, "proc");
    gt_set_name(&p->lock, gt_fmt_index("proc", i, ".lock"));
  }
  for(int i = 0; i < GT_NFILE; i++){
    gt_ftable[i].ref = 0;
    gt_ftable[i].type = FD_NONE;
  }
  initlock(&wait_lock, "wait_lock");
  gt_set_name(&wait_lock, "wait_lock");
  initlock(&tickslock, "time");
  initlock(&cons_lock, "cons");
  gt_set_name(&cons_lock, "cons_lock");
  cons_locking = 0;
  initproc = 0;
  gt_cpu.proc = 0;
  gt_nextpid = 0;
}

// What the processes keep: handed on, not leaked, when a call fails after storing it.
static void
gt_support_owners(void)
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
gt_support_register(void)
{
  gt_register_reset(gt_support_reset);
  gt_register_owners(gt_support_owners);
}

// gt_case_xv6.h -- what the cases of fixtures/checks get for `#include "../include/xv6.h"`
// when they are built against fixtures/xv6, hosted like any tree: the tree's own headers,
// and what their header declares beyond them (the same names, declared here from their
// meaning): allocproc, freeproc, fdalloc and loadseg as functions (static in the tree: its
// proc.c's, sysfile.c's and exec.c's tails reach them), a first process's code, struct pipe's layout (the tree keeps it in pipe.c), the
// xv6 labs' USYSCALL page, and the console lock.

#ifndef LADDER_GT_CASE_XV6_H
#define LADDER_GT_CASE_XV6_H

#include "types.h"
#include "param.h"
#include "memlayout.h"
#include "riscv.h"
#include "spinlock.h"
#include "sleeplock.h"
#include "proc.h"
#include "fs.h"
#include "buf.h"
#include "file.h"
#include "stat.h"
#include "fcntl.h"
#include "elf.h"
#include "defs.h"
#include "gt_tree_decls.h"
#include "gt_host_api.h"
#include "gt_host_proc.h"

extern char trampoline[];

#ifndef PIPESIZE
#define PIPESIZE 512
#endif
struct pipe {
  struct spinlock lock;
  char data[PIPESIZE];
  uint nread;
  uint nwrite;
  int readopen;
  int writeopen;
};

struct usyscall {
  int pid;
};
#define USYSCALL (TRAPFRAME - PGSIZE)

extern int cons_locking;
extern struct spinlock cons_lock;
void consputc(int c);

extern uchar initcode[];
extern uint initcode_len;

struct proc *gt_host_allocproc(void);
int gt_host_loadseg(pagetable_t pagetable, uint64 va, struct inode *ip, uint offset, uint sz);
int gt_host_fdalloc(struct file *f);
#define allocproc gt_host_allocproc
#define freeproc gt_host_freeproc
#define fdalloc gt_host_fdalloc
#define loadseg gt_host_loadseg

#endif

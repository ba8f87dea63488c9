// gt_host_proc.h -- proc.c's globals, which defs.h does not declare. Include after proc.h.

#ifndef LADDER_GT_HOST_PROC_H
#define LADDER_GT_HOST_PROC_H

extern struct proc proc[NPROC];
extern struct proc *initproc;
extern struct spinlock wait_lock;

#endif

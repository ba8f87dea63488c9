// gt_host_api.h -- what the shim gives scenarios (and its own files), for an xv6 tree built
// for the host. Include after the tree's headers (types.h … defs.h): the types are the
// tree's. Every run boots first (gt_host_boot.c): buffer cache, inode table, file table,
// process table, a file system made on the RAM disk by the tree's own fs.c and log.c, with
// an empty root directory.

#ifndef LADDER_GT_HOST_API_H
#define LADDER_GT_HOST_API_H

#include "gt_runtime.h"

// The RAM disk: blocks of BSIZE bytes.
#define GT_DISK_BLOCKS 1000
uchar *gt_disk_block(uint blockno);

// A file (T_FILE) or directory (T_DIR) at an absolute path whose parent exists, with
// contents, made through the tree's own ialloc/dirlink/writei in transactions. Its inode
// is named by the path in reports. Returns the inode number.
uint gt_host_file(const char *path, short type, const void *data, uint n);

// The current process: the tree's userinit() makes it (one page of user memory, the root
// directory as cwd), then it grows to sz bytes and runs on hart 0.
struct proc *gt_host_process(uint64 sz);
// A string at user address va of p (inside p->sz).
void gt_host_put_user(struct proc *p, uint64 va, const void *data, uint64 n);
// A NUL-terminated string at user address va of p; returns va.
uint64 gt_host_user_str(struct proc *p, uint64 va, const char *s);
// System-call arguments, as the trap would leave them in the trapframe (a0..a5).
void gt_host_args(struct proc *p, uint64 a0, uint64 a1, uint64 a2);
// An open file for path in p's first free descriptor (made by the tree's filealloc and
// namei, as sys_open would); returns the descriptor.
int gt_host_open(struct proc *p, const char *path, int readable, int writable);
// Everything p holds given back: open files, cwd, then the slot (exit and wait together).
void gt_host_reap(struct proc *p);

// A page table with sz bytes of zeroed user memory (RWXU) from 0, built by the tree's vm.c.
pagetable_t gt_host_user_table(uint64 sz);

// Names for inode numbers (the paths harnesses made), used by the fs.c hooks.
void gt_host_name_inum(uint inum, const char *name);
const char *gt_host_inum_name(uint inum);

// Sleep-locks the shim classifies by what they protect (fs.c: inodes, bio.c: buffers).
typedef const char *(*gt_sleeplock_classifier)(struct sleeplock *lk, const char **name);
void gt_host_classify_sleeplocks(gt_sleeplock_classifier classify);

// proc.c's static allocproc/freeproc, reached through its tail (gt_tail_proc.c).
void gt_host_freeproc(struct proc *p);

#endif

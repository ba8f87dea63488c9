// gt_kernel.h -- harness helpers whose types come from the kernel's headers. Include it
// after them (fixtures/xv6's types.h … or fixtures/checks/include/xv6.h).

#ifndef LADDER_GT_KERNEL_H
#define LADDER_GT_KERNEL_H

#include "gt_runtime.h"

struct inode;
struct proc;

// gt_env.c: the name space, the disk, system-call arguments.
void gt_fs_add(const char *path, short type, const void *data, uint size);
void gt_fs_set_dev(const char *path, uint dev);
struct inode *gt_fs_get(const char *path);
void gt_disk_set(uint blockno, const void *data, uint size);
void gt_args_int(int n, int value);
void gt_args_addr(int n, uint64 value);
void gt_args_str(int n, const char *value);
void gt_args_argv(const char **argv, int argc);

// gt_vm_hooks.c: tables built by the real vm.c.
pagetable_t gt_make_user_table(uint64 sz);
uint64 gt_frame_at(pagetable_t pagetable, uint64 va);

#endif // LADDER_GT_KERNEL_H

// gt_memlayout.h -- appended to the overlay's memlayout.h. The tree's own kalloc.c runs on
// the host over a pool the shim owns (gt_host_machine.c): `end` is the pool's first byte,
// as the linker's `end` is the first byte after the kernel, and PHYSTOP its end, so that
// kinit() frees exactly the pool and kfree's range check means what it means on the board.
// (Every other file's kalloc and kfree are the Sv39 model's: see gt_runtime.c.)

#ifndef LADDER_GT_MEMLAYOUT_H
#define LADDER_GT_MEMLAYOUT_H

#define GT_KALLOC_POOL_BYTES (16 * 4096)
extern char end[];
#undef PHYSTOP
#define PHYSTOP ((unsigned long)end + GT_KALLOC_POOL_BYTES)

#endif

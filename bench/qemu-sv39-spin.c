// A user program for bench/qemu-sv39-diff.py, copied into a scratch xv6-riscv tree as
// user/sv39spin.c (never into the tree it was given): `sv39spin GROW [SHRINK]` grows its
// heap by GROW pages, gives SHRINK of them back, says it is ready, and spins in user mode,
// so that QEMU can be stopped with this process's page table in satp. Different sizes give
// different table shapes: no heap, a part-filled level-0 table, several level-0 tables, and
// entries left invalid in a table that stays (xv6's uvmdealloc frees pages, not tables).
#include "kernel/types.h"
#include "user/user.h"

int
main(int argc, char *argv[])
{
  int grow = argc > 1 ? atoi(argv[1]) : 0;
  int shrink = argc > 2 ? atoi(argv[2]) : 0;

  if(sbrk(grow * 4096) == (char *)-1 || (shrink > 0 && sbrk(-shrink * 4096) == (char *)-1)){
    fprintf(2, "sv39spin: sbrk failed\n");
    exit(1);
  }
  printf("sv39spin %d %d ready\n", grow, shrink);
  for(volatile int spin = 0; ; spin++)
    ;
}

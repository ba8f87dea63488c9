// A user program for bench/qemu-sv39-diff.py, copied into a scratch xv6-riscv tree as
// user/sv39spin.c (never into the tree it was given).
//
//   sv39spin launch G1/S1 [G2/S2 ...]
//
// starts one spinner per pair, in order, each only once the one before is ready, then
// prints "sv39spin: all ready" and waits for ever (pairs, because xv6's shell takes at most
// nine arguments). A spinner (`sv39spin spin G/S FD`, started
// by exec, so that exec prints its page-table root in the patched kernel) grows its heap by
// G pages, gives S of them back, writes one byte to FD and spins in user mode, so that QEMU
// can be stopped with its page table in satp. Different sizes give different table shapes:
// no heap, a part-filled level-0 table, several level-0 tables, and entries left invalid in a
// table that stays (xv6's uvmdealloc frees pages, not tables).
//
// Only the kernel's exec lines and the final line reach the console, one after another: the
// shell waits in the foreground and the spinners print nothing, so no two writers interleave
// their bytes (xv6's console writes a byte at a time).
#include "kernel/types.h"
#include "user/user.h"

// "G/S" as G and S.
static void
sizes(char *pair, int *grow, int *shrink)
{
  char *slash = strchr(pair, '/');
  *grow = atoi(pair);
  *shrink = slash ? atoi(slash + 1) : 0;
}

static void
spin(char *pair, int ready)
{
  int grow, shrink;
  sizes(pair, &grow, &shrink);
  if(sbrk(grow * 4096) == (char *)-1 || (shrink > 0 && sbrk(-shrink * 4096) == (char *)-1)){
    fprintf(2, "sv39spin: sbrk failed\n");
    exit(1);
  }
  write(ready, "r", 1);
  close(ready);
  for(volatile int i = 0; ; i++)
    ;
}

int
main(int argc, char *argv[])
{
  if(argc == 4 && strcmp(argv[1], "spin") == 0)
    spin(argv[2], atoi(argv[3]));
  if(argc < 3 || strcmp(argv[1], "launch") != 0){
    fprintf(2, "usage: sv39spin launch GROW/SHRINK [GROW/SHRINK ...]\n");
    exit(1);
  }
  for(int i = 2; i < argc; i++){
    int ready[2];
    char fd[8], byte;
    if(pipe(ready) < 0){
      fprintf(2, "sv39spin: pipe failed\n");
      exit(1);
    }
    int pid = fork();
    if(pid < 0){
      fprintf(2, "sv39spin: fork failed\n");
      exit(1);
    }
    if(pid == 0){
      close(ready[0]);
      fd[0] = '0' + ready[1];  // a new process's descriptors are single digits
      fd[1] = 0;
      char *args[] = { "sv39spin", "spin", argv[i], fd, 0 };
      exec("sv39spin", args);
      fprintf(2, "sv39spin: exec failed\n");
      exit(1);
    }
    close(ready[1]);
    if(read(ready[0], &byte, 1) != 1){
      fprintf(2, "sv39spin: spinner %s did not start\n", argv[i]);
      exit(1);
    }
    close(ready[0]);
  }
  printf("sv39spin: all ready\n");
  for(;;)
    wait(0);
}

// gt_host_machine.c -- the hart and the board an xv6 tree's kernel code runs on when ground
// truth builds it for the host: what RISC-V instructions, the linker script, the assembly
// files and the disk driver would give it. Written against the tree's own headers.
//
//  - CSRs are a register file (gt_riscv_read/write, called by the overlay's riscv.h);
//    tp reads 0: one hart. sstatus starts with interrupts off and nothing turns them on
//    but the kernel itself: there are no devices, so no interrupt ever arrives.
//  - Fences do nothing: the Sv39 model has no TLB; every translation walks the table.
//  - `trampoline` is a page of the library (mapped, never freed, as on the board); `etext`
//    marks the end of the kernel's text for kvmmake; `end`..gt_kalloc_pool_end is the
//    pool the tree's own kalloc.c manages when its functions are under test.
//  - swtch() never returns here: with one hart, switching away is waiting for someone who
//    will never run. The run ends as 'would block'.
//  - virtio_disk_rw() reads and writes a RAM disk synchronously.

#include "types.h"
#include "param.h"
#include "memlayout.h"
#include "riscv.h"
#include "spinlock.h"
#include "sleeplock.h"
#include "proc.h"
#include "fs.h"
#include "buf.h"
#include "defs.h"
#include "gt_runtime.h"
#include "gt_host_api.h"

// ---- CSRs --------------------------------------------------------------------------------

#define GT_NCSR 48
static struct {
  char name[16];
  unsigned long value;
} gt_csrs[GT_NCSR];
static int gt_ncsr;

// The register an instruction names: the word after "csrr %0," or before ", %0".
static unsigned long *
gt_csr(const char *insn, int write)
{
  char name[16];
  const char *p = insn;
  while(*p && *p != ' ')
    p++;                          // past the mnemonic
  while(*p == ' ')
    p++;
  if(!write){
    while(*p && *p != ',')
      p++;                        // past "%0"
    if(*p == ',')
      p++;
    while(*p == ' ')
      p++;
  }
  int n = 0;
  while(p[n] && p[n] != ',' && p[n] != ' ' && n < 15){
    name[n] = p[n];
    n++;
  }
  name[n] = 0;
  for(int i = 0; i < gt_ncsr; i++){
    int same = 1;
    for(int k = 0; k <= n; k++)
      if(gt_csrs[i].name[k] != name[k]){
        same = 0;
        break;
      }
    if(same)
      return &gt_csrs[i].value;
  }
  if(gt_ncsr == GT_NCSR)
    gt_panic("gt: too many CSRs");
  for(int k = 0; k <= n; k++)
    gt_csrs[gt_ncsr].name[k] = name[k];
  gt_csrs[gt_ncsr].value = 0;
  return &gt_csrs[gt_ncsr++].value;
}

static int
gt_starts(const char *s, const char *prefix)
{
  while(*prefix)
    if(*s++ != *prefix++)
      return 0;
  return 1;
}

unsigned long
gt_riscv_read(const char *insn)
{
  if(gt_starts(insn, "csrr"))
    return *gt_csr(insn, 0);
  if(gt_starts(insn, "mv %0, sp"))
    return (unsigned long)__builtin_frame_address(0);
  // tp is the hart's id (0: one hart); ra and anything else read as 0.
  return 0;
}

void
gt_riscv_write(const char *insn, unsigned long value)
{
  if(gt_starts(insn, "csrw"))
    *gt_csr(insn, 1) = value;
  // "mv tp, %0": the hart id stays 0.
}

void
gt_riscv_exec(const char *insn)
{
  (void)insn;   // sfence.vma, wfi, mret, sret: nothing to do on the host
}

// ---- what the linker script and the assembly files define -----------------------------------

__attribute__((aligned(4096))) char trampoline[4096];
char etext[1];

__attribute__((aligned(4096))) char end[GT_KALLOC_POOL_BYTES];

uint ticks;
struct spinlock tickslock;

void
swtch(struct context *old, struct context *new)
{
  (void)old;
  (void)new;
  gt_would_block("swtch");
}

// A new process's first return to user space: not reached (swtch never switches).
void
usertrapret(void)
{
  gt_would_block("usertrapret");
}

// ---- the RAM disk under bio.c ----------------------------------------------------------------

static uchar gt_disk[GT_DISK_BLOCKS * BSIZE];

#ifdef GT_DISK_WITH_DEV
void
virtio_disk_rw(int dev, struct buf *b, int write)
#else
void
virtio_disk_rw(struct buf *b, int write)
#endif
{
  if(b->blockno >= GT_DISK_BLOCKS)
    gt_panic("gt: block number past the end of the RAM disk");
  uchar *block = gt_disk + (uint64)b->blockno * BSIZE;
  if(write)
    memmove(block, b->data, BSIZE);
  else
    memmove(b->data, block, BSIZE);
}

#ifdef GT_DISK_WITH_DEV
void virtio_disk_init(int dev) {}
void virtio_disk_intr(int dev) {}
#else
void virtio_disk_init(void) {}
void virtio_disk_intr(void) {}
#endif

uchar *
gt_disk_block(uint blockno)
{
  if(blockno >= GT_DISK_BLOCKS)
    gt_panic("gt: block number past the end of the RAM disk");
  return gt_disk + (uint64)blockno * BSIZE;
}

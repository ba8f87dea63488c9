// Scenarios for an xv6 tree's kernel/bio.c (ladder's own; see vm.c here).

#include "types.h"
#include "param.h"
#include "memlayout.h"
#include "riscv.h"
#include "spinlock.h"
#include "sleeplock.h"
#include "fs.h"
#include "buf.h"
#include "stat.h"
#include "defs.h"
#include "gt_tree_decls.h"
#include "gt_host_api.h"

GT_NOT_HOSTED(binit, "boot: every run's setup calls it")

#ifdef GT_HAVE_bread
GT_SCENARIO(bread, "a block not cached", "nothing", "b = bread(ROOTDEV, 900)", GT_RET_ZERO)
{
  struct buf *b = (struct buf *)GT_CALL(bread(ROOTDEV, 900));
  brelse(b);
}

GT_SCENARIO(bread, "every buffer held", "NBUF other blocks read and held", "b = bread(ROOTDEV, 900)", GT_RET_ZERO)
{
  struct buf *held[NBUF];
  for(int i = 0; i < NBUF; i++)
    held[i] = bread(ROOTDEV, 800 + i);
  struct buf *b = (struct buf *)GT_CALL(bread(ROOTDEV, 900));
  if(b)
    brelse(b);
  for(int i = 0; i < NBUF; i++)
    brelse(held[i]);
}
#endif

#ifdef GT_HAVE_brelse
GT_SCENARIO(brelse, "a held buffer", "block 900 read", "brelse(b)", GT_RET_VOID)
{
  struct buf *b = bread(ROOTDEV, 900);
  GT_CALL((brelse(b), 0));
}
#endif

#ifdef GT_HAVE_bwrite
GT_SCENARIO(bwrite, "a held buffer", "block 900 read", "bwrite(b)", GT_RET_VOID)
{
  struct buf *b = bread(ROOTDEV, 900);
  GT_CALL((bwrite(b), 0));
  brelse(b);
}
#endif

#ifdef GT_HAVE_bpin
GT_SCENARIO(bpin, "a held buffer", "block 900 read", "bpin(b)", GT_RET_VOID)
{
  struct buf *b = bread(ROOTDEV, 900);
  GT_CALL((bpin(b), 0));
  bunpin(b);
  brelse(b);
}
#endif

#ifdef GT_HAVE_bunpin
GT_SCENARIO(bunpin, "a pinned buffer", "block 900 read and pinned", "bunpin(b)", GT_RET_VOID)
{
  struct buf *b = bread(ROOTDEV, 900);
  bpin(b);
  GT_CALL((bunpin(b), 0));
  brelse(b);
}
#endif

// Scenarios for an xv6 tree's kernel/log.c (ladder's own; see vm.c here).

#include "types.h"
#include "param.h"
#include "memlayout.h"
#include "riscv.h"
#include "spinlock.h"
#include "sleeplock.h"
#include "proc.h"
#include "fs.h"
#include "buf.h"
#include "stat.h"
#include "defs.h"
#include "gt_tree_decls.h"
#include "gt_host_api.h"

#ifdef GT_HAVE_initlog
GT_SCENARIO(initlog, "again, nothing to recover", "the file system the boot made", "initlog(ROOTDEV, &sb)",
            GT_RET_VOID)
{
  extern struct superblock sb;
  GT_CALL((initlog(ROOTDEV, &sb), 0));
}
#endif

#ifdef GT_HAVE_begin_op
GT_SCENARIO(begin_op, "an idle log", "no transaction", "begin_op()", GT_RET_VOID)
{
  GT_CALL((begin_op(), 0));
  end_op();
}
#endif

#ifdef GT_HAVE_end_op
GT_SCENARIO(end_op, "nothing written", "a transaction", "end_op()", GT_RET_VOID)
{
  begin_op();
  GT_CALL((end_op(), 0));
}

GT_SCENARIO(end_op, "a block to commit", "a transaction that wrote a data block", "end_op()", GT_RET_VOID)
{
  extern struct superblock sb;
  begin_op();
  struct buf *b = bread(ROOTDEV, sb.size - 1);
  b->data[0] = 42;
  log_write(b);
  brelse(b);
  GT_CALL((end_op(), 0));
}
#endif

#ifdef GT_HAVE_log_write
GT_SCENARIO(log_write, "a data block", "a transaction, the block read", "log_write(b)", GT_RET_VOID)
{
  extern struct superblock sb;
  begin_op();
  struct buf *b = bread(ROOTDEV, sb.size - 1);
  GT_CALL((log_write(b), 0));
  brelse(b);
  end_op();
}
#endif

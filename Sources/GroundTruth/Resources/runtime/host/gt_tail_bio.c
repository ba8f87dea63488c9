// gt_tail_bio.c -- appended to the overlay's copy of bio.c, where its buffer cache is in
// reach: a buffer's sleep-lock is the pack's buf (bread acquires it, brelse releases it).

#include "gt_runtime.h"
#include "gt_host_api.h"

static const char *
gt_classify_buf_lock(struct sleeplock *lk, const char **name)
{
  for(int i = 0; i < NBUF; i++){
    struct buf *b = &bcache.buf[i];
    if(lk == &b->lock){
      *name = gt_fmt_index("block", (int)b->blockno, "");
      return "buf";
    }
  }
  return 0;
}

__attribute__((constructor)) static void
gt_tail_bio_register(void)
{
  gt_host_classify_sleeplocks(gt_classify_buf_lock);
}

// gt_tail_fs.c -- appended to the overlay's copy of fs.c (never to the user's file), where
// fs.c's static iget and its inode table are in reach.
//  - iget: every in-memory reference starts here (ialloc, dirlookup, namei, the root), so
//    its hook records the reference; idup and iput are hooked in gt_host_hooks.c.
//  - an inode's sleep-lock is the pack's inode-lock: the lock shim asks here.

#include "gt_runtime.h"
#include "gt_host_api.h"

#ifdef GT_HOOKED_iget
static struct inode *
iget(uint dev, uint inum)
{
  struct inode *ip = gt_real_iget(dev, inum);
  if(ip)
    gt_hold("inode-ref", ip, 0, gt_host_inum_name(inum));
  return ip;
}
#endif

static const char *
gt_classify_inode_lock(struct sleeplock *lk, const char **name)
{
  for(int i = 0; i < NINODE; i++){
    struct inode *ip = &itable.inode[i];
    if(lk == &ip->lock){
      *name = gt_host_inum_name(ip->inum);
      return "inode-lock";
    }
  }
  return 0;
}

__attribute__((constructor)) static void
gt_tail_fs_register(void)
{
  gt_host_classify_sleeplocks(gt_classify_inode_lock);
}

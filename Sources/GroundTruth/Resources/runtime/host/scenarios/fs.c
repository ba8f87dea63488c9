// Scenarios for an xv6 tree's kernel/fs.c (ladder's own; see vm.c here). The file system
// is the one every run's boot makes on the RAM disk with the tree's own code; the files
// below are made the same way. Calls that may write (iput, ialloc, writei, dirlink) run
// inside a transaction, as xv6's callers make them.

#include "types.h"
#include "param.h"
#include "memlayout.h"
#include "riscv.h"
#include "spinlock.h"
#include "sleeplock.h"
#include "proc.h"
#include "fs.h"
#include "buf.h"
#include "file.h"
#include "stat.h"
#include "defs.h"
#include "gt_tree_decls.h"
#include "gt_host_api.h"
#include "gt_host_proc.h"

GT_NOT_HOSTED(iinit, "boot: every run's setup calls it")

static const char gt_text[] = "hello, world";

static void
gt_files(void)
{
  gt_host_file("/a", T_FILE, gt_text, sizeof(gt_text));
  gt_host_file("/d", T_DIR, 0, 0);
  gt_host_file("/d/x", T_FILE, "x", 1);
}

static struct inode *
gt_get(const char *path)
{
  begin_op();
  struct inode *ip = namei((char *)path);
  end_op();
  if(ip == 0)
    gt_panic("gt_get: no such file");
  return ip;
}

static void
gt_put(struct inode *ip)
{
  begin_op();
  iput(ip);
  end_op();
}

#ifdef GT_HAVE_fsinit
GT_SCENARIO(fsinit, "again", "the file system the boot made", "fsinit(ROOTDEV)", GT_RET_VOID)
{
  GT_CALL((fsinit(ROOTDEV), 0));
}
#endif

#ifdef GT_HAVE_ialloc
GT_SCENARIO(ialloc, "a free inode", "a transaction", "ip = ialloc(ROOTDEV, T_FILE)", GT_RET_ZERO)
{
  begin_op();
  struct inode *ip = (struct inode *)GT_CALL(ialloc(ROOTDEV, T_FILE));
  if(ip)
    iput(ip);
  end_op();
}

GT_SCENARIO(ialloc, "no free inode", "every inode on the disk in use; a transaction",
            "ip = ialloc(ROOTDEV, T_FILE)", GT_RET_ZERO)
{
  extern struct superblock sb;
  begin_op();
  for(uint b = IBLOCK(1, sb); b <= IBLOCK(sb.ninodes - 1, sb); b++){
    struct buf *bp = bread(ROOTDEV, b);
    for(uint i = 0; i < IPB; i++){
      struct dinode *dip = (struct dinode *)bp->data + i;
      if(dip->type == 0)
        dip->type = T_FILE;
    }
    log_write(bp);
    brelse(bp);
  }
  end_op();
  begin_op();
  struct inode *ip = (struct inode *)GT_CALL(ialloc(ROOTDEV, T_FILE));
  if(ip)
    iput(ip);
  end_op();
}
#endif

#ifdef GT_HAVE_iupdate
GT_SCENARIO(iupdate, "a locked inode", "/a locked, a transaction", "iupdate(ip)", GT_RET_VOID)
{
  gt_files();
  struct inode *ip = gt_get("/a");
  ilock(ip);
  begin_op();
  GT_CALL((iupdate(ip), 0));
  end_op();
  iunlock(ip);
  gt_put(ip);
}
#endif

#ifdef GT_HAVE_idup
GT_SCENARIO(idup, "a referenced inode", "a reference to /a", "idup(ip)", GT_RET_ZERO)
{
  gt_files();
  struct inode *ip = gt_get("/a");
  GT_CALL(idup(ip));
  gt_put(ip);
  gt_put(ip);
}
#endif

#ifdef GT_HAVE_ilock
GT_SCENARIO(ilock, "an inode not read yet", "a reference to /a", "ilock(ip)", GT_RET_VOID)
{
  gt_files();
  struct inode *ip = gt_get("/a");
  GT_CALL((ilock(ip), 0));
  iunlock(ip);
  gt_put(ip);
}
#endif

#ifdef GT_HAVE_iunlock
GT_SCENARIO(iunlock, "a locked inode", "/a referenced and locked", "iunlock(ip)", GT_RET_VOID)
{
  gt_files();
  struct inode *ip = gt_get("/a");
  ilock(ip);
  GT_CALL((iunlock(ip), 0));
  gt_put(ip);
}
#endif

#ifdef GT_HAVE_iput
GT_SCENARIO(iput, "not the last reference", "two references to /a, a transaction", "iput(ip)", GT_RET_VOID)
{
  gt_files();
  struct inode *ip = gt_get("/a");
  idup(ip);
  begin_op();
  GT_CALL((iput(ip), 0));
  end_op();
  gt_put(ip);
}

GT_SCENARIO(iput, "the last reference to an unlinked file", "/a with no link left, a transaction",
            "iput(ip)", GT_RET_VOID)
{
  gt_files();
  struct inode *ip = gt_get("/a");
  begin_op();
  ilock(ip);
  ip->nlink = 0;
  iupdate(ip);
  iunlock(ip);
  GT_CALL((iput(ip), 0));
  end_op();
}
#endif

#ifdef GT_HAVE_iunlockput
GT_SCENARIO(iunlockput, "a locked inode", "/a referenced and locked, a transaction", "iunlockput(ip)", GT_RET_VOID)
{
  gt_files();
  struct inode *ip = gt_get("/a");
  ilock(ip);
  begin_op();
  GT_CALL((iunlockput(ip), 0));
  end_op();
}
#endif

#ifdef GT_HAVE_itrunc
GT_SCENARIO(itrunc, "a file with data", "/a locked, a transaction", "itrunc(ip)", GT_RET_VOID)
{
  gt_files();
  struct inode *ip = gt_get("/a");
  ilock(ip);
  begin_op();
  GT_CALL((itrunc(ip), 0));
  end_op();
  iunlock(ip);
  gt_put(ip);
}
#endif

#ifdef GT_HAVE_readi
GT_SCENARIO(readi, "into the kernel", "/a locked", "readi(ip, 0, dst, 0, n)", GT_RET_NEGATIVE)
{
  gt_files();
  struct inode *ip = gt_get("/a");
  ilock(ip);
  char dst[64];
  GT_CALL(readi(ip, 0, (uint64)dst, 0, sizeof(gt_text)));
  iunlock(ip);
  gt_put(ip);
}

GT_SCENARIO(readi, "into user memory", "/a locked; the current process with 0x1000 bytes",
            "readi(ip, 1, 0x100, 0, n)", GT_RET_NEGATIVE)
{
  gt_files();
  gt_host_process(0x1000);
  struct inode *ip = gt_get("/a");
  ilock(ip);
  GT_CALL(readi(ip, 1, 0x100, 0, sizeof(gt_text)));
  iunlock(ip);
  gt_put(ip);
}
#endif

#ifdef GT_HAVE_writei
static char gt_block[3 * 1024];

GT_SCENARIO(writei, "three new blocks", "/a locked, a transaction", "writei(ip, 0, src, 0, 3*BSIZE)",
            GT_RET_NEGATIVE)
{
  gt_files();
  struct inode *ip = gt_get("/a");
  ilock(ip);
  begin_op();
  GT_CALL(writei(ip, 0, (uint64)gt_block, 0, 3 * BSIZE));
  end_op();
  iunlock(ip);
  gt_put(ip);
}
#endif

#ifdef GT_HAVE_dirlookup
GT_SCENARIO(dirlookup, "a name that is there", "/d locked", "ip = dirlookup(dp, \"x\", &off)", GT_RET_ZERO)
{
  gt_files();
  struct inode *dp = gt_get("/d");
  ilock(dp);
  uint off;
  struct inode *ip = (struct inode *)GT_CALL(dirlookup(dp, "x", &off));
  iunlock(dp);
  if(ip)
    gt_put(ip);
  gt_put(dp);
}

GT_SCENARIO(dirlookup, "a name that is not", "/d locked", "ip = dirlookup(dp, \"y\", 0)", GT_RET_ZERO)
{
  gt_files();
  struct inode *dp = gt_get("/d");
  ilock(dp);
  GT_CALL(dirlookup(dp, "y", 0));
  iunlock(dp);
  gt_put(dp);
}
#endif

#ifdef GT_HAVE_dirlink
GT_SCENARIO(dirlink, "a new name", "/d locked, a transaction", "dirlink(dp, \"y\", inum)", GT_RET_NEGATIVE)
{
  gt_files();
  struct inode *dp = gt_get("/d");
  ilock(dp);
  begin_op();
  GT_CALL(dirlink(dp, "y", 2));
  end_op();
  iunlock(dp);
  gt_put(dp);
}

GT_SCENARIO(dirlink, "a name that is taken", "/d locked, a transaction", "dirlink(dp, \"x\", inum)",
            GT_RET_NEGATIVE)
{
  gt_files();
  struct inode *dp = gt_get("/d");
  ilock(dp);
  begin_op();
  GT_CALL(dirlink(dp, "x", 2));
  end_op();
  iunlock(dp);
  gt_put(dp);
}
#endif

#ifdef GT_HAVE_namei
GT_SCENARIO(namei, "two levels", "/d/x exists, a transaction", "ip = namei(\"/d/x\")", GT_RET_ZERO)
{
  gt_files();
  begin_op();
  struct inode *ip = (struct inode *)GT_CALL(namei("/d/x"));
  if(ip)
    iput(ip);
  end_op();
}

GT_SCENARIO(namei, "missing", "/d exists, /d/y does not, a transaction", "ip = namei(\"/d/y\")", GT_RET_ZERO)
{
  gt_files();
  begin_op();
  GT_CALL(namei("/d/y"));
  end_op();
}

GT_SCENARIO(namei, "relative to the cwd", "the current process in /, a transaction", "ip = namei(\"d/x\")",
            GT_RET_ZERO)
{
  gt_files();
  gt_host_process(0x1000);
  begin_op();
  struct inode *ip = (struct inode *)GT_CALL(namei("d/x"));
  if(ip)
    iput(ip);
  end_op();
}
#endif

#ifdef GT_HAVE_nameiparent
GT_SCENARIO(nameiparent, "two levels", "/d exists, a transaction", "dp = nameiparent(\"/d/x\", name)", GT_RET_ZERO)
{
  gt_files();
  char name[DIRSIZ];
  begin_op();
  struct inode *dp = (struct inode *)GT_CALL(nameiparent("/d/x", name));
  if(dp)
    iput(dp);
  end_op();
}

GT_SCENARIO(nameiparent, "through a file", "/a is a file, a transaction", "dp = nameiparent(\"/a/x\", name)",
            GT_RET_ZERO)
{
  gt_files();
  char name[DIRSIZ];
  begin_op();
  struct inode *dp = (struct inode *)GT_CALL(nameiparent("/a/x", name));
  if(dp)
    iput(dp);
  end_op();
}
#endif

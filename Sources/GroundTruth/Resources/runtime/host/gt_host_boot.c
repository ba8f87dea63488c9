// gt_host_boot.c -- what every run of an xv6 tree does before its scenario, and the helpers
// scenarios set up with. Everything is done by the tree's own functions: the buffer cache,
// inode, file and process tables are initialised by binit/iinit/fileinit/procinit; the file
// system on the RAM disk gets its superblock and free-block map here (mkfs's part: the
// layout is the tree's fs.h), then the tree's fsinit, ialloc, dirlink and writei make the
// root directory and the scenarios' files, in transactions of the tree's log.

#include "types.h"
#include "param.h"
#include "memlayout.h"
#include "riscv.h"
#include "spinlock.h"
#include "sleeplock.h"
#include "proc.h"
#include "fs.h"
#include "file.h"
#include "stat.h"
#include "defs.h"
#include "gt_runtime.h"
#include "gt_host_api.h"
#include "gt_host_proc.h"

// ---- names for inodes -----------------------------------------------------------------------

#define GT_MAX_INUMS 128
static const char *gt_inum_names[GT_MAX_INUMS];

void
gt_host_name_inum(uint inum, const char *name)
{
  if(inum < GT_MAX_INUMS)
    gt_inum_names[inum] = name;
}

const char *
gt_host_inum_name(uint inum)
{
  if(inum < GT_MAX_INUMS && gt_inum_names[inum])
    return gt_inum_names[inum];
  return gt_fmt_index("inode", (int)inum, "");
}

// ---- the file system --------------------------------------------------------------------------

#define GT_NINODES 64

// The superblock and the free-block map: blocks 0 (boot), 1 (superblock), the log, the
// inodes and the map itself are in use; the rest is free.
static void
gt_mkfs(void)
{
  uint nlog = LOGSIZE + 1;
  uint ninodeblocks = GT_NINODES / IPB + 1;
  uint nbitmap = GT_DISK_BLOCKS / BPB + 1;
  uint nmeta = 2 + nlog + ninodeblocks + nbitmap;
  struct superblock sb;
  memset(&sb, 0, sizeof(sb));
  sb.magic = FSMAGIC;
  sb.size = GT_DISK_BLOCKS;
  sb.nblocks = GT_DISK_BLOCKS - nmeta;
  sb.ninodes = GT_NINODES;
  sb.nlog = nlog;
  sb.logstart = 2;
  sb.inodestart = 2 + nlog;
  sb.bmapstart = 2 + nlog + ninodeblocks;
  memmove(gt_disk_block(1), &sb, sizeof(sb));
  for(uint b = 0; b < nmeta; b++)
    gt_disk_block(sb.bmapstart + b / BPB)[(b % BPB) / 8] |= (uchar)(1 << (b % 8));
}

// Split a path into its parent and last element.
static void
gt_split(const char *path, char *parent, char *name)
{
  int last = 0;
  for(int i = 0; path[i]; i++)
    if(path[i] == '/')
      last = i;
  for(int i = 0; i < last; i++)
    parent[i] = path[i];
  parent[last > 0 ? last : 1] = 0;
  if(last == 0)
    parent[0] = '/';
  int n = 0;
  for(const char *p = path + last + 1; *p && n < DIRSIZ; p++)
    name[n++] = *p;
  if(n < DIRSIZ)
    name[n] = 0;
}

uint
gt_host_file(const char *path, short type, const void *data, uint n)
{
  char parentpath[MAXPATH], name[DIRSIZ + 1];
  gt_split(path, parentpath, name);
  name[DIRSIZ] = 0;
  begin_op();
  struct inode *dp = namei(parentpath);
  if(dp == 0)
    gt_panic("gt_host_file: no parent directory");
  ilock(dp);
  struct inode *ip = ialloc(dp->dev, type);
  if(ip == 0)
    gt_panic("gt_host_file: no free inode");
  gt_host_name_inum(ip->inum, path);
  ilock(ip);
  ip->nlink = 1;
  iupdate(ip);
  if(type == T_DIR){
    dp->nlink++;
    iupdate(dp);
    if(dirlink(ip, ".", ip->inum) < 0 || dirlink(ip, "..", dp->inum) < 0)
      gt_panic("gt_host_file: dirlink");
  }
  if(dirlink(dp, name, ip->inum) < 0)
    gt_panic("gt_host_file: dirlink");
  iunlockput(dp);
  iunlock(ip);
  end_op();
  // The contents, three blocks per transaction (a transaction holds MAXOPBLOCKS blocks).
  for(uint off = 0; off < n; off += 3 * BSIZE){
    uint m = n - off < 3 * BSIZE ? n - off : 3 * BSIZE;
    begin_op();
    ilock(ip);
    if(writei(ip, 0, (uint64)data + off, off, m) != (int)m)
      gt_panic("gt_host_file: writei");
    iunlock(ip);
    end_op();
  }
  uint inum = ip->inum;
  begin_op();
  iput(ip);
  end_op();
  return inum;
}

static void
gt_make_root(void)
{
  begin_op();
  struct inode *root = ialloc(ROOTDEV, T_DIR);
  if(root == 0 || root->inum != ROOTINO)
    gt_panic("gt: the first inode is not ROOTINO");
  ilock(root);
  root->nlink = 1;
  iupdate(root);
  if(dirlink(root, ".", ROOTINO) < 0 || dirlink(root, "..", ROOTINO) < 0)
    gt_panic("gt: dirlink in the root");
  iunlockput(root);
  end_op();
}

// ---- processes ---------------------------------------------------------------------------------

struct proc *
gt_host_process(uint64 sz)
{
  userinit();
  struct proc *p = initproc;
  if(p == 0)
    gt_panic("gt_host_process: userinit made no process");
  p->state = RUNNING;
  mycpu()->proc = p;
  if(sz != p->sz && growproc((int)(sz - p->sz)) < 0)
    gt_panic("gt_host_process: growproc");
  return p;
}

void
gt_host_put_user(struct proc *p, uint64 va, const void *data, uint64 n)
{
  if(copyout(p->pagetable, va, (char *)data, n) < 0)
    gt_panic("gt_host_put_user: copyout");
}

uint64
gt_host_user_str(struct proc *p, uint64 va, const char *s)
{
  gt_host_put_user(p, va, s, strlen(s) + 1);
  return va;
}

int
gt_host_open(struct proc *p, const char *path, int readable, int writable)
{
  int fd = 0;
  while(fd < NOFILE && p->ofile[fd])
    fd++;
  if(fd == NOFILE)
    gt_panic("gt_host_open: no free descriptor");
  struct file *f = filealloc();
  if(f == 0)
    gt_panic("gt_host_open: filealloc");
  begin_op();
  struct inode *ip = namei((char *)path);
  end_op();
  if(ip == 0)
    gt_panic("gt_host_open: no such file");
  f->type = FD_INODE;
  f->ip = ip;
  f->off = 0;
  f->readable = readable;
  f->writable = writable;
  p->ofile[fd] = f;
  return fd;
}

void
gt_host_args(struct proc *p, uint64 a0, uint64 a1, uint64 a2)
{
  p->GT_TRAPFRAME_FIELD->a0 = a0;
  p->GT_TRAPFRAME_FIELD->a1 = a1;
  p->GT_TRAPFRAME_FIELD->a2 = a2;
}

void
gt_host_reap(struct proc *p)
{
  for(int fd = 0; fd < NOFILE; fd++){
    if(p->ofile[fd]){
      struct file *f = p->ofile[fd];
      p->ofile[fd] = 0;
      fileclose(f);
    }
  }
  if(p->cwd){
    begin_op();
    iput(p->cwd);
    end_op();
    p->cwd = 0;
  }
  if(!holding(&p->lock))
    acquire(&p->lock);
  gt_host_freeproc(p);
  release(&p->lock);
}

// ---- the boot --------------------------------------------------------------------------------

static void
gt_host_boot(void)
{
  gt_quiet(1);
  gt_mkfs();
  procinit();
  binit();
  iinit();
  fileinit();
  fsinit(ROOTDEV);
  gt_host_name_inum(ROOTINO, "/");
  gt_make_root();
  gt_quiet(0);
}

__attribute__((constructor)) static void
gt_host_boot_register(void)
{
  gt_register_reset(gt_host_boot);
}

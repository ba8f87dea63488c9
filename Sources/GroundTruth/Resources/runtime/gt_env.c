// gt_env.c -- the file system, log, buffer cache and system-call arguments, as a model.
//
// The kernel code under test calls namei, ilock, iput, begin_op, bread, argstr... Here
// they are small models that keep xv6's contracts and check them: a reference must be held
// to lock an inode, an inode is put inside a transaction and unlocked first, a buffer is
// released once, and so on. A broken contract is reported as a problem (and, where xv6
// would panic, the model panics with xv6's string). Calls that can fail in a real kernel
// (a missing path, a short read, a full directory) are failure points: gt_should_fail.
//
// For the cases of fixtures/checks, against fixtures/checks/include/xv6.h. (A hosted
// tree runs its own fs.c, log.c and bio.c on a RAM disk instead: host/gt_host_boot.c.)

#include "xv6.h"
#include "gt_runtime.h"

#ifndef T_DIR
#define T_DIR 1
#define T_FILE 2
#define T_DEVICE 3
#endif

// ---- the name space: paths with an inode each ----------------------------------------

#define GT_MAX_ENTRIES 32
#define GT_PATHLEN 160

struct gt_entry {
  char path[GT_PATHLEN];
  uint inum;
};

struct gt_dinode {
  uint inum;
  short type;
  short nlink;
  uint size;
  const uchar *data;
  uint dev;
};

static struct gt_entry gt_entries[GT_MAX_ENTRIES];
static int gt_entry_count;
static struct gt_dinode gt_dinodes[GT_MAX_ENTRIES];
static int gt_dinode_count;

#define GT_NINODE 16
static struct inode gt_itable[GT_NINODE];

static struct { int outstanding; } gt_log;

#define GT_NBUF 8
static struct buf gt_bufs[GT_NBUF];
static const uchar *gt_disk_blocks[8];
static uint gt_disk_sizes[8];

// System-call arguments and the user argument vector of sys_exec.
static struct {
  int ints[6];
  uint64 addrs[6];
  const char *strs[6];
  const char *uargv[MAXARG + 2];   // strings at user addresses GT_UARG(i)
  int uargc;
} gt_args;

#define GT_UARGV 0x10000ULL
#define GT_UARG(i) (0x20000ULL + (uint64)(i) * 0x100ULL)

static void
gt_copy_path(char *dst, const char *src, int max)
{
  int i = 0;
  while(src[i] && i < max - 1){
    dst[i] = src[i];
    i++;
  }
  dst[i] = 0;
}

static int
gt_path_eq(const char *a, const char *b)
{
  while(*a && *a == *b){
    a++;
    b++;
  }
  return *a == *b;
}

static struct gt_dinode *
gt_dinode(uint inum)
{
  for(int i = 0; i < gt_dinode_count; i++)
    if(gt_dinodes[i].inum == inum)
      return &gt_dinodes[i];
  return 0;
}

static struct gt_dinode *
gt_new_dinode(short type)
{
  if(gt_dinode_count >= GT_MAX_ENTRIES)
    gt_panic("gt: too many inodes");
  struct gt_dinode *d = &gt_dinodes[gt_dinode_count++];
  d->inum = (uint)gt_dinode_count + 1;
  d->type = type;
  d->nlink = 0;
  d->size = 0;
  d->data = 0;
  d->dev = ROOTDEV;
  return d;
}

static void
gt_add_entry(const char *path, uint inum)
{
  if(gt_entry_count >= GT_MAX_ENTRIES)
    gt_panic("gt: too many names");
  gt_copy_path(gt_entries[gt_entry_count].path, path, GT_PATHLEN);
  gt_entries[gt_entry_count].inum = inum;
  gt_entry_count++;
}

static struct gt_entry *
gt_lookup(const char *path)
{
  for(int i = 0; i < gt_entry_count; i++)
    if(gt_path_eq(gt_entries[i].path, path))
      return &gt_entries[i];
  return 0;
}

// For harnesses: a file (or directory) at an absolute path, with contents.
void
gt_fs_add(const char *path, short type, const void *data, uint size)
{
  struct gt_dinode *d = gt_new_dinode(type);
  d->nlink = 1;
  d->size = size;
  d->data = data;
  gt_add_entry(path, d->inum);
}

void
gt_fs_set_dev(const char *path, uint dev)
{
  struct gt_entry *e = gt_lookup(path);
  if(e)
    gt_dinode(e->inum)->dev = dev;
}

// The in-memory inode for inum, with one more reference (xv6's iget).
static struct inode *
gt_iget(uint inum, const char *name)
{
  struct inode *empty = 0;
  for(int i = 0; i < GT_NINODE; i++){
    struct inode *ip = &gt_itable[i];
    if(ip->ref > 0 && ip->inum == inum){
      ip->ref++;
      gt_hold("inode-ref", ip, 0, gt_name(ip, name));
      return ip;
    }
    if(!empty && ip->ref == 0)
      empty = ip;
  }
  if(!empty)
    gt_panic("iget: no inodes");
  struct gt_dinode *d = gt_dinode(inum);
  empty->dev = d ? d->dev : ROOTDEV;
  empty->inum = inum;
  empty->ref = 1;
  empty->valid = 1;
  empty->type = d ? d->type : 0;
  empty->nlink = d ? d->nlink : 0;
  empty->size = d ? d->size : 0;
  empty->major = empty->minor = 0;
  empty->lock.locked = 0;
  gt_set_name(empty, name);
  gt_hold("inode-ref", empty, 0, name);
  return empty;
}

// For harnesses: a referenced inode for path (p->cwd, a caller's inode).
struct inode *
gt_fs_get(const char *path)
{
  struct gt_entry *e = gt_lookup(path);
  if(!e)
    gt_panic("gt_fs_get: no such path");
  return gt_iget(e->inum, e->path);
}

static const char *
gt_path_of(struct inode *ip)
{
  for(int i = 0; i < gt_entry_count; i++)
    if(gt_entries[i].inum == ip->inum)
      return gt_entries[i].path;
  return 0;
}

static void
gt_check_inode(struct inode *ip, const char *what)
{
  if((uint64)ip < 4096){
    gt_problem(GT_P_NULL_DEREF, "inode-ref", "0", ip, 0, what);
    gt_panic(what);
  }
}

// ---- fs.c ----------------------------------------------------------------------------

GT_WEAK struct inode *
namei(char *path)
{
  if(gt_should_fail("namei"))
    return 0;
  struct gt_entry *e = gt_lookup(path);
  if(!e)
    return 0;
  return gt_iget(e->inum, e->path);
}

// The parent of the last element, and the element in name.
GT_WEAK struct inode *
nameiparent(char *path, char *name)
{
  if(gt_should_fail("nameiparent"))
    return 0;
  char parent[GT_PATHLEN];
  int last = -1;
  int n = 0;
  for(; path[n]; n++)
    if(path[n] == '/')
      last = n;
  gt_copy_path(name, path + last + 1, DIRSIZ);
  if(last <= 0){
    parent[0] = '/';
    parent[1] = 0;
  } else {
    gt_copy_path(parent, path, last + 1 < GT_PATHLEN ? last + 1 : GT_PATHLEN);
  }
  struct gt_entry *e = gt_lookup(parent);
  if(!e || gt_dinode(e->inum)->type != T_DIR)
    return 0;
  return gt_iget(e->inum, e->path);
}

static void
gt_join(char *out, const char *dir, const char *name)
{
  int n = 0;
  for(; dir[n] && n < GT_PATHLEN - 2; n++)
    out[n] = dir[n];
  if(n == 0 || out[n - 1] != '/')
    out[n++] = '/';
  for(int i = 0; name[i] && i < DIRSIZ && n < GT_PATHLEN - 1; i++)
    out[n++] = name[i];
  out[n] = 0;
}

GT_WEAK struct inode *
dirlookup(struct inode *dp, char *name, uint *poff)
{
  gt_check_inode(dp, "dirlookup: null inode");
  if(gt_should_fail("dirlookup"))
    return 0;
  const char *dir = gt_path_of(dp);
  if(!dir)
    return 0;
  char path[GT_PATHLEN];
  gt_join(path, dir, name);
  struct gt_entry *e = gt_lookup(path);
  if(!e)
    return 0;
  if(poff)
    *poff = (uint)(e - gt_entries) * 16;
  return gt_iget(e->inum, e->path);
}

GT_WEAK int
dirlink(struct inode *dp, char *name, uint inum)
{
  gt_check_inode(dp, "dirlink: null inode");
  if(gt_should_fail("dirlink"))
    return -1;
  const char *dir = gt_path_of(dp);
  if(!dir)
    return -1;
  char path[GT_PATHLEN];
  gt_join(path, dir, name);
  if(gt_lookup(path))
    return -1;
  if(name[0] == '.' && (name[1] == 0 || (name[1] == '.' && name[2] == 0)))
    return 0;
  gt_add_entry(path, inum);
  return 0;
}

GT_WEAK struct inode *
ialloc(uint dev, short type)
{
  (void)dev;
  if(gt_should_fail("ialloc"))
    return 0;
  struct gt_dinode *d = gt_new_dinode(type);
  return gt_iget(d->inum, "new inode");
}

GT_WEAK struct inode *
idup(struct inode *ip)
{
  gt_check_inode(ip, "idup: null inode");
  ip->ref++;
  gt_hold("inode-ref", ip, 0, gt_name(ip, "inode"));
  return ip;
}

GT_WEAK void
ilock(struct inode *ip)
{
  gt_check_inode(ip, "ilock");
  if(ip->ref < 1){
    gt_problem(GT_P_RELEASE_UNHELD, "inode-ref", gt_name(ip, "inode"), ip, 0,
               "ilock of an inode with no reference");
    gt_panic("ilock");
  }
  if(ip->lock.locked){
    gt_problem(GT_P_DEADLOCK, "inode-lock", gt_name(ip, "inode"), ip, 0, "ilock while locked");
    gt_panic("ilock: deadlock");
  }
  ip->lock.locked = 1;
  gt_hold("inode-lock", ip, 0, gt_name(ip, "inode"));
}

GT_WEAK void
iunlock(struct inode *ip)
{
  gt_check_inode(ip, "iunlock");
  if(!ip->lock.locked){
    gt_report_unheld("inode-lock", ip, 0, gt_name(ip, "inode"));
    gt_panic("iunlock");
  }
  if(ip->ref < 1){
    gt_problem(GT_P_ORDER, "inode-lock", gt_name(ip, "inode"), ip, 0,
               "iunlock after the last reference was put");
    gt_panic("iunlock");
  }
  gt_unhold("inode-lock", ip, 0, gt_name(ip, "inode"), "iunlock");
  ip->lock.locked = 0;
}

static void
gt_need_transaction(const char *what)
{
  if(gt_log.outstanding < 1){
    gt_problem(GT_P_ORDER, "log-op", "log", &gt_log, 0, what);
    gt_panic("log_write outside of trans");
  }
}

GT_WEAK void
iput(struct inode *ip)
{
  gt_check_inode(ip, "iput: null inode");
  if(ip->ref < 1){
    gt_report_unheld("inode-ref", ip, 0, gt_name(ip, "inode"));
    gt_panic("iput");
  }
  // xv6 may free the inode on disk here, which writes through the log: every iput must be
  // inside a transaction. And it locks the inode to do so: the caller must not hold it.
  if(gt_log.outstanding < 1)
    gt_problem(GT_P_ORDER, "inode-ref", gt_name(ip, "inode"), ip, 0, "iput outside a transaction");
  if(ip->lock.locked)
    gt_problem(GT_P_ORDER, "inode-ref", gt_name(ip, "inode"), ip, 0, "iput of an inode still locked");
  gt_unhold("inode-ref", ip, 0, gt_name(ip, "inode"), "iput");
  ip->ref--;
  struct gt_dinode *d = gt_dinode(ip->inum);
  if(d)
    d->nlink = ip->nlink;
}

GT_WEAK void
iunlockput(struct inode *ip)
{
  iunlock(ip);
  iput(ip);
}

GT_WEAK void
iupdate(struct inode *ip)
{
  gt_check_inode(ip, "iupdate: null inode");
  gt_need_transaction("iupdate outside a transaction");
  struct gt_dinode *d = gt_dinode(ip->inum);
  if(d){
    d->nlink = ip->nlink;
    d->type = ip->type;
    d->size = ip->size;
  }
}

GT_WEAK void
itrunc(struct inode *ip)
{
  gt_check_inode(ip, "itrunc: null inode");
  gt_need_transaction("itrunc outside a transaction");
  ip->size = 0;
}

GT_WEAK int
readi(struct inode *ip, int user_dst, uint64 dst, uint off, uint n)
{
  gt_check_inode(ip, "readi: null inode");
  if(gt_should_fail("readi"))
    return -1;
  struct gt_dinode *d = gt_dinode(ip->inum);
  uint size = d ? d->size : 0;
  if(off > size)
    return 0;
  if(off + n > size)
    n = size - off;
  if(n == 0)
    return 0;
  if(!d->data){
    static uchar zeros[4096];
    uint done = 0;
    while(done < n){
      uint m = n - done > sizeof(zeros) ? (uint)sizeof(zeros) : n - done;
      if(either_copyout(user_dst, dst + done, zeros, m) == -1)
        return -1;
      done += m;
    }
    return (int)n;
  }
  if(either_copyout(user_dst, dst, (void *)(d->data + off), n) == -1)
    return -1;
  return (int)n;
}

GT_WEAK int
writei(struct inode *ip, int user_src, uint64 src, uint off, uint n)
{
  (void)user_src;
  (void)src;
  gt_check_inode(ip, "writei: null inode");
  gt_need_transaction("writei outside a transaction");
  if(gt_should_fail("writei"))
    return -1;
  if(off + n > ip->size)
    ip->size = off + n;
  return (int)n;
}

GT_WEAK int
namecmp(const char *s, const char *t)
{
  return strncmp(s, t, DIRSIZ);
}


// ---- log.c ---------------------------------------------------------------------------

GT_WEAK void
begin_op(void)
{
  gt_log.outstanding++;
  gt_hold("log-op", &gt_log, 0, "log");
}

GT_WEAK void
end_op(void)
{
  if(gt_log.outstanding < 1){
    gt_report_unheld("log-op", &gt_log, 0, "log");
    gt_panic("end_op");
  }
  gt_unhold("log-op", &gt_log, 0, "log", "end_op");
  gt_log.outstanding--;
}

GT_WEAK void
log_write(struct buf *b)
{
  (void)b;
  gt_need_transaction("log_write outside a transaction");
}

// ---- bio.c ---------------------------------------------------------------------------

// For harnesses: the contents of block blockno (0..7).
void
gt_disk_set(uint blockno, const void *data, uint size)
{
  if(blockno < 8){
    gt_disk_blocks[blockno] = data;
    gt_disk_sizes[blockno] = size;
  }
}

GT_WEAK struct buf *
bread(uint dev, uint blockno)
{
  struct buf *b = 0;
  for(int i = 0; i < GT_NBUF; i++){
    if(gt_bufs[i].refcnt > 0 && gt_bufs[i].dev == dev && gt_bufs[i].blockno == blockno){
      b = &gt_bufs[i];
      break;
    }
  }
  if(b && b->lock.locked){
    gt_problem(GT_P_DEADLOCK, "buf", gt_fmt_index("block", (int)blockno, ""), b, 0,
               "bread of a block this path holds");
    gt_panic("bget: deadlock");
  }
  if(!b){
    for(int i = 0; i < GT_NBUF && !b; i++)
      if(gt_bufs[i].refcnt == 0)
        b = &gt_bufs[i];
    if(!b)
      gt_panic("bget: no buffers");
    b->dev = dev;
    b->blockno = blockno;
    for(int i = 0; i < BSIZE; i++)
      b->data[i] = 0;
    if(blockno < 8 && gt_disk_blocks[blockno]){
      uint n = gt_disk_sizes[blockno] < BSIZE ? gt_disk_sizes[blockno] : BSIZE;
      for(uint i = 0; i < n; i++)
        b->data[i] = gt_disk_blocks[blockno][i];
    }
    b->valid = 1;
  }
  b->refcnt++;
  b->lock.locked = 1;
  gt_hold("buf", b, 0, gt_fmt_index("block", (int)blockno, ""));
  return b;
}

GT_WEAK void
brelse(struct buf *b)
{
  if((uint64)b < 4096){
    gt_problem(GT_P_RELEASE_UNHELD, "buf", "0", b, 0, "brelse(0)");
    gt_panic("brelse");
  }
  if(!b->lock.locked){
    gt_report_unheld("buf", b, 0, gt_fmt_index("block", (int)b->blockno, ""));
    gt_panic("brelse");
  }
  gt_unhold("buf", b, 0, gt_fmt_index("block", (int)b->blockno, ""), "brelse");
  b->lock.locked = 0;
  b->refcnt--;
}

GT_WEAK void
bwrite(struct buf *b)
{
  if(!b->lock.locked)
    gt_panic("bwrite");
}

GT_WEAK void bpin(struct buf *b) { (void)b; }
GT_WEAK void bunpin(struct buf *b) { (void)b; }

// ---- syscall.c: arguments ------------------------------------------------------------

void
gt_args_int(int n, int value)
{
  gt_args.ints[n] = value;
}

void
gt_args_addr(int n, uint64 value)
{
  gt_args.addrs[n] = value;
}

void
gt_args_str(int n, const char *value)
{
  gt_args.strs[n] = value;
}

// sys_exec's user argument vector: argument 1 points at it, argument i at GT_UARG(i).
void
gt_args_argv(const char **argv, int argc)
{
  gt_args.uargc = argc;
  for(int i = 0; i < argc && i < MAXARG + 1; i++)
    gt_args.uargv[i] = argv[i];
  gt_args.addrs[1] = GT_UARGV;
}

GT_WEAK void
argint(int n, int *ip)
{
  *ip = gt_args.ints[n];
}

GT_WEAK void
argaddr(int n, uint64 *ip)
{
  *ip = gt_args.addrs[n];
}

static int
gt_copy_str(const char *s, char *buf, int max)
{
  if(!s)
    return -1;
  int i;
  for(i = 0; i < max && s[i]; i++)
    buf[i] = s[i];
  if(i >= max)
    return -1;
  buf[i] = 0;
  return i;
}

GT_WEAK int
argstr(int n, char *buf, int max)
{
  if(gt_should_fail("argstr"))
    return -1;
  return gt_copy_str(gt_args.strs[n], buf, max);
}

GT_WEAK int
fetchaddr(uint64 addr, uint64 *ip)
{
  if(gt_should_fail("fetchaddr"))
    return -1;
  if(addr < GT_UARGV || (addr - GT_UARGV) % 8 != 0)
    return -1;
  uint64 i = (addr - GT_UARGV) / 8;
  *ip = i < (uint64)gt_args.uargc ? GT_UARG(i) : 0;
  return 0;
}

GT_WEAK int
fetchstr(uint64 addr, char *buf, int max)
{
  if(gt_should_fail("fetchstr"))
    return -1;
  if(addr < GT_UARG(0))
    return -1;
  uint64 i = (addr - GT_UARG(0)) / 0x100;
  if(i >= (uint64)gt_args.uargc)
    return -1;
  return gt_copy_str(gt_args.uargv[i], buf, max);
}

// ---- reset and the final check -------------------------------------------------------

static void
gt_env_reset(void)
{
  gt_entry_count = 0;
  gt_dinode_count = 0;
  for(int i = 0; i < GT_NINODE; i++){
    gt_itable[i].ref = 0;
    gt_itable[i].lock.locked = 0;
  }
  gt_log.outstanding = 0;
  for(int i = 0; i < GT_NBUF; i++){
    gt_bufs[i].refcnt = 0;
    gt_bufs[i].lock.locked = 0;
  }
  for(int i = 0; i < 8; i++){
    gt_disk_blocks[i] = 0;
    gt_disk_sizes[i] = 0;
  }
  for(int i = 0; i < 6; i++){
    gt_args.ints[i] = 0;
    gt_args.addrs[i] = 0;
    gt_args.strs[i] = 0;
  }
  gt_args.uargc = 0;
  gt_add_entry("/", gt_new_dinode(T_DIR)->inum);
  gt_dinode(gt_entries[0].inum)->nlink = 1;
}

__attribute__((constructor)) static void
gt_env_register(void)
{
  gt_register_reset(gt_env_reset);
}

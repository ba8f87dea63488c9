// Scenarios for an xv6 tree's kernel/sysfile.c (ladder's own; see vm.c here). System calls
// read their arguments as the trap leaves them (the trapframe's a0, a1, a2), through the
// tree's own syscall.c; strings and buffers are in the current process's user memory.

#include "types.h"
#include "param.h"
#include "memlayout.h"
#include "riscv.h"
#include "spinlock.h"
#include "sleeplock.h"
#include "proc.h"
#include "fs.h"
#include "file.h"
#include "fcntl.h"
#include "stat.h"
#include "elf.h"
#include "defs.h"
#include "gt_tree_decls.h"
#include "gt_host_api.h"
#include "gt_host_proc.h"

#define GT_PATH 0x100    // first path argument
#define GT_PATH2 0x180   // second path argument
#define GT_BUF 0x800     // a user buffer

// The current process (0x2000 bytes, cwd /) and the files: /a (text), /d with /d/x, /e empty.
static struct proc *
gt_sys(void)
{
  gt_host_file("/a", T_FILE, "hello, world", 13);
  gt_host_file("/d", T_DIR, 0, 0);
  gt_host_file("/d/x", T_FILE, "x", 1);
  gt_host_file("/e", T_DIR, 0, 0);
  return gt_host_process(0x2000);
}

static struct proc *
gt_sys_path(const char *path, uint64 a1)
{
  struct proc *p = gt_sys();
  gt_host_args(p, gt_host_user_str(p, GT_PATH, path), a1, 0);
  return p;
}

static struct proc *
gt_sys_paths(const char *old, const char *new)
{
  struct proc *p = gt_sys();
  gt_host_args(p, gt_host_user_str(p, GT_PATH, old), gt_host_user_str(p, GT_PATH2, new), 0);
  return p;
}

// The caller's side of a descriptor the call returned: closed again.
static void
gt_close(struct proc *p, long fd)
{
  if(fd >= 0 && fd < NOFILE && p->ofile[fd]){
    struct file *f = p->ofile[fd];
    p->ofile[fd] = 0;
    fileclose(f);
  }
}

#ifdef GT_HAVE_sys_open
GT_SCENARIO(sys_open, "an existing file", "/a exists", "sys_open(\"/a\", O_RDONLY)", GT_RET_MINUS1)
{
  struct proc *p = gt_sys_path("/a", O_RDONLY);
  gt_close(p, (long)GT_CALL(sys_open()));
}

GT_SCENARIO(sys_open, "a directory for writing", "/d is a directory", "sys_open(\"/d\", O_RDWR)", GT_RET_MINUS1)
{
  struct proc *p = gt_sys_path("/d", O_RDWR);
  gt_close(p, (long)GT_CALL(sys_open()));
}

GT_SCENARIO(sys_open, "create", "/n does not exist", "sys_open(\"/n\", O_CREATE|O_RDWR)", GT_RET_MINUS1)
{
  struct proc *p = gt_sys_path("/n", O_CREATE | O_RDWR);
  gt_close(p, (long)GT_CALL(sys_open()));
}

GT_SCENARIO(sys_open, "create and truncate an existing file", "/a exists",
            "sys_open(\"/a\", O_CREATE|O_TRUNC|O_WRONLY)", GT_RET_MINUS1)
{
  struct proc *p = gt_sys_path("/a", O_CREATE | O_TRUNC | O_WRONLY);
  gt_close(p, (long)GT_CALL(sys_open()));
}

GT_SCENARIO(sys_open, "missing", "/n does not exist", "sys_open(\"/n\", O_RDONLY)", GT_RET_MINUS1)
{
  struct proc *p = gt_sys_path("/n", O_RDONLY);
  gt_close(p, (long)GT_CALL(sys_open()));
}

GT_SCENARIO(sys_open, "no free descriptor", "/a exists; every descriptor is in use",
            "sys_open(\"/a\", O_RDONLY)", GT_RET_MINUS1)
{
  struct proc *p = gt_sys_path("/a", O_RDONLY);
  for(int fd = 0; fd < NOFILE; fd++)
    gt_host_open(p, "/a", 1, 0);
  gt_close(p, (long)GT_CALL(sys_open()));
}
#endif

#ifdef GT_HAVE_sys_link
GT_SCENARIO(sys_link, "a new name", "/a exists", "sys_link(\"/a\", \"/d/b\")", GT_RET_MINUS1)
{
  gt_sys_paths("/a", "/d/b");
  GT_CALL(sys_link());
}

GT_SCENARIO(sys_link, "a directory", "/d is a directory", "sys_link(\"/d\", \"/b\")", GT_RET_MINUS1)
{
  gt_sys_paths("/d", "/b");
  GT_CALL(sys_link());
}

GT_SCENARIO(sys_link, "the new name is taken", "/a and /d/x exist", "sys_link(\"/a\", \"/d/x\")", GT_RET_MINUS1)
{
  gt_sys_paths("/a", "/d/x");
  GT_CALL(sys_link());
}

GT_SCENARIO(sys_link, "no such directory", "/z does not exist", "sys_link(\"/a\", \"/z/b\")", GT_RET_MINUS1)
{
  gt_sys_paths("/a", "/z/b");
  GT_CALL(sys_link());
}

GT_SCENARIO(sys_link, "no such file", "/n does not exist", "sys_link(\"/n\", \"/b\")", GT_RET_MINUS1)
{
  gt_sys_paths("/n", "/b");
  GT_CALL(sys_link());
}
#endif

#ifdef GT_HAVE_sys_unlink
GT_SCENARIO(sys_unlink, "a file", "/d/x exists", "sys_unlink(\"/d/x\")", GT_RET_MINUS1)
{
  gt_sys_path("/d/x", 0);
  GT_CALL(sys_unlink());
}

GT_SCENARIO(sys_unlink, "an empty directory", "/e is empty", "sys_unlink(\"/e\")", GT_RET_MINUS1)
{
  gt_sys_path("/e", 0);
  GT_CALL(sys_unlink());
}

GT_SCENARIO(sys_unlink, "a directory that is not empty", "/d holds x", "sys_unlink(\"/d\")", GT_RET_MINUS1)
{
  gt_sys_path("/d", 0);
  GT_CALL(sys_unlink());
}

GT_SCENARIO(sys_unlink, "dot", "/d exists", "sys_unlink(\"/d/.\")", GT_RET_MINUS1)
{
  gt_sys_path("/d/.", 0);
  GT_CALL(sys_unlink());
}

GT_SCENARIO(sys_unlink, "no such file", "/d/y does not exist", "sys_unlink(\"/d/y\")", GT_RET_MINUS1)
{
  gt_sys_path("/d/y", 0);
  GT_CALL(sys_unlink());
}
#endif

#ifdef GT_HAVE_sys_mkdir
GT_SCENARIO(sys_mkdir, "a new directory", "/n does not exist", "sys_mkdir(\"/n\")", GT_RET_MINUS1)
{
  gt_sys_path("/n", 0);
  GT_CALL(sys_mkdir());
}

GT_SCENARIO(sys_mkdir, "the name is taken", "/a exists", "sys_mkdir(\"/a\")", GT_RET_MINUS1)
{
  gt_sys_path("/a", 0);
  GT_CALL(sys_mkdir());
}
#endif

#ifdef GT_HAVE_sys_mknod
GT_SCENARIO(sys_mknod, "a device", "/console does not exist", "sys_mknod(\"/console\", 1, 0)", GT_RET_MINUS1)
{
  struct proc *p = gt_sys_path("/console", 1);
  p->trapframe->a2 = 0;
  GT_CALL(sys_mknod());
}
#endif

#ifdef GT_HAVE_sys_chdir
GT_SCENARIO(sys_chdir, "a directory", "/d exists; the cwd is /", "sys_chdir(\"/d\")", GT_RET_MINUS1)
{
  struct proc *p = gt_sys_path("/d", 0);
  GT_CALL(sys_chdir());
  if(!gt_failed()){
    begin_op();
    iput(p->cwd);
    end_op();
    p->cwd = 0;
  }
}

GT_SCENARIO(sys_chdir, "a file", "/a is a file", "sys_chdir(\"/a\")", GT_RET_MINUS1)
{
  gt_sys_path("/a", 0);
  GT_CALL(sys_chdir());
}

GT_SCENARIO(sys_chdir, "no such directory", "/n does not exist", "sys_chdir(\"/n\")", GT_RET_MINUS1)
{
  gt_sys_path("/n", 0);
  GT_CALL(sys_chdir());
}
#endif

#ifdef GT_HAVE_sys_exec
static uchar gt_program[0x1800];

// The standard program of exec's scenarios at /init.
static void
gt_program_file(void)
{
  struct elfhdr elf;
  struct proghdr ph;
  memset(gt_program, 0, sizeof(gt_program));
  memset(&elf, 0, sizeof(elf));
  memset(&ph, 0, sizeof(ph));
  elf.magic = ELF_MAGIC;
  elf.phoff = sizeof(elf);
  elf.phentsize = sizeof(struct proghdr);
  elf.phnum = 1;
  ph.type = ELF_PROG_LOAD;
  ph.flags = ELF_PROG_FLAG_READ | ELF_PROG_FLAG_EXEC;
  ph.filesz = 0x1000;
  ph.memsz = 0x1000;
  memmove(gt_program, &elf, sizeof(elf));
  memmove(gt_program + sizeof(elf), &ph, sizeof(ph));
  gt_host_file("/init", T_FILE, gt_program, 0x1000);
}

GT_SCENARIO(sys_exec, "two arguments", "/init is a program; the arguments in user memory",
            "sys_exec(\"/init\", {\"init\", \"x\", 0})", GT_RET_MINUS1)
{
  struct proc *p = gt_sys();
  gt_program_file();
  uint64 argv[3] = {gt_host_user_str(p, 0x200, "init"), gt_host_user_str(p, 0x280, "x"), 0};
  gt_host_put_user(p, 0x400, argv, sizeof(argv));
  gt_host_args(p, gt_host_user_str(p, GT_PATH, "/init"), 0x400, 0);
  GT_CALL(sys_exec());
}

GT_SCENARIO(sys_exec, "no such program", "nothing at /n; one argument", "sys_exec(\"/n\", {\"n\", 0})",
            GT_RET_MINUS1)
{
  struct proc *p = gt_sys();
  uint64 argv[2] = {gt_host_user_str(p, 0x200, "n"), 0};
  gt_host_put_user(p, 0x400, argv, sizeof(argv));
  gt_host_args(p, gt_host_user_str(p, GT_PATH, "/n"), 0x400, 0);
  GT_CALL(sys_exec());
}
#endif

#ifdef GT_HAVE_sys_pipe
GT_SCENARIO(sys_pipe, "two descriptors", "the current process, no descriptor in use", "sys_pipe(fdarray)",
            GT_RET_MINUS1)
{
  struct proc *p = gt_sys();
  gt_host_args(p, GT_BUF, 0, 0);
  GT_CALL(sys_pipe());
  for(int fd = 0; fd < NOFILE; fd++)
    gt_close(p, fd);
}

GT_SCENARIO(sys_pipe, "one descriptor left", "every descriptor but one in use", "sys_pipe(fdarray)", GT_RET_MINUS1)
{
  struct proc *p = gt_sys();
  for(int fd = 0; fd < NOFILE - 1; fd++)
    gt_host_open(p, "/a", 1, 0);
  gt_host_args(p, GT_BUF, 0, 0);
  GT_CALL(sys_pipe());
  gt_close(p, NOFILE - 1);
}
#endif

#ifdef GT_HAVE_sys_dup
GT_SCENARIO(sys_dup, "an open descriptor", "/a open in descriptor 0", "sys_dup(0)", GT_RET_MINUS1)
{
  struct proc *p = gt_sys();
  gt_host_open(p, "/a", 1, 0);
  gt_host_args(p, 0, 0, 0);
  gt_close(p, (long)GT_CALL(sys_dup()));
}

GT_SCENARIO(sys_dup, "no free descriptor", "every descriptor in use", "sys_dup(0)", GT_RET_MINUS1)
{
  struct proc *p = gt_sys();
  for(int fd = 0; fd < NOFILE; fd++)
    gt_host_open(p, "/a", 1, 0);
  gt_host_args(p, 0, 0, 0);
  GT_CALL(sys_dup());
}

GT_SCENARIO(sys_dup, "a closed descriptor", "nothing open", "sys_dup(3)", GT_RET_MINUS1)
{
  struct proc *p = gt_sys();
  gt_host_args(p, 3, 0, 0);
  GT_CALL(sys_dup());
}
#endif

#ifdef GT_HAVE_sys_read
GT_SCENARIO(sys_read, "an open file", "/a open in descriptor 0", "sys_read(0, buf, 13)", GT_RET_MINUS1)
{
  struct proc *p = gt_sys();
  gt_host_open(p, "/a", 1, 0);
  gt_host_args(p, 0, GT_BUF, 13);
  GT_CALL(sys_read());
}
#endif

#ifdef GT_HAVE_sys_write
GT_SCENARIO(sys_write, "an open file", "/a open for writing in descriptor 0", "sys_write(0, buf, 16)",
            GT_RET_MINUS1)
{
  struct proc *p = gt_sys();
  gt_host_open(p, "/a", 0, 1);
  gt_host_args(p, 0, GT_BUF, 16);
  GT_CALL(sys_write());
}
#endif

#ifdef GT_HAVE_sys_close
GT_SCENARIO(sys_close, "an open descriptor", "/a open in descriptor 0", "sys_close(0)", GT_RET_MINUS1)
{
  struct proc *p = gt_sys();
  gt_host_open(p, "/a", 1, 0);
  gt_host_args(p, 0, 0, 0);
  GT_CALL(sys_close());
}
#endif

#ifdef GT_HAVE_sys_fstat
GT_SCENARIO(sys_fstat, "an open file", "/a open in descriptor 0", "sys_fstat(0, buf)", GT_RET_MINUS1)
{
  struct proc *p = gt_sys();
  gt_host_open(p, "/a", 1, 0);
  gt_host_args(p, 0, GT_BUF, 0);
  GT_CALL(sys_fstat());
}
#endif

// Scenarios for an xv6 tree's kernel/exec.c (ladder's own; see vm.c here). The program is
// KernelModel's standard example (ProgramImage.standardExample): a text page (R-X) at 0
// and a data segment (RW-) at 0x1000 whose last 0x800 bytes are bss, with the ELF and
// program headers at the start of the file, inside the text segment. It is written to the
// RAM disk by the tree's own file system.

#include "types.h"
#include "param.h"
#include "memlayout.h"
#include "riscv.h"
#include "spinlock.h"
#include "proc.h"
#include "fs.h"
#include "elf.h"
#include "stat.h"
#include "defs.h"
#include "gt_tree_decls.h"
#include "gt_host_api.h"
#include "gt_host_proc.h"

static uchar gt_program[0x1800];

static void
gt_build_program(void)
{
  for(int i = 0; i < (int)sizeof(gt_program); i++)
    gt_program[i] = (uchar)(i * 7 + 1);
  struct elfhdr elf;
  struct proghdr ph[2];
  memset(&elf, 0, sizeof(elf));
  memset(ph, 0, sizeof(ph));
  elf.magic = ELF_MAGIC;
  elf.entry = 0;
  elf.phoff = sizeof(elf);
  elf.phentsize = sizeof(struct proghdr);
  elf.phnum = 2;
  ph[0].type = ELF_PROG_LOAD;
  ph[0].flags = ELF_PROG_FLAG_READ | ELF_PROG_FLAG_EXEC;
  ph[0].off = 0;
  ph[0].vaddr = 0;
  ph[0].filesz = 0x1000;
  ph[0].memsz = 0x1000;
  ph[1].type = ELF_PROG_LOAD;
  ph[1].flags = ELF_PROG_FLAG_READ | ELF_PROG_FLAG_WRITE;
  ph[1].off = 0x1000;
  ph[1].vaddr = 0x1000;
  ph[1].filesz = 0x800;
  ph[1].memsz = 0x1000;
  memmove(gt_program, &elf, sizeof(elf));
  memmove(gt_program + sizeof(elf), ph, sizeof(ph));
}

#ifdef GT_HAVE_exec
GT_SCENARIO(exec, "standard program, one argument",
            "a process (slot 0) with 0x1000 bytes of user memory; a program of 2 segment(s) at /init",
            "exec(path, {\"init\", 0})", GT_RET_NEGATIVE)
{
  gt_build_program();
  gt_host_file("/init", T_FILE, gt_program, sizeof(gt_program));
  gt_host_process(0x1000);
  char *argv[] = {"init", 0};
  GT_CALL(exec("/init", argv));
}

GT_SCENARIO(exec, "not an ELF file", "a process with 0x1000 bytes; /init holds text, not ELF",
            "exec(path, {\"init\", 0})", GT_RET_NEGATIVE)
{
  static uchar text[64] = "#!/bin/sh";
  gt_host_file("/init", T_FILE, text, sizeof(text));
  gt_host_process(0x1000);
  char *argv[] = {"init", 0};
  GT_CALL(exec("/init", argv));
}

GT_SCENARIO(exec, "no such file", "a process with 0x1000 bytes; nothing at /init", "exec(path, {\"init\", 0})",
            GT_RET_NEGATIVE)
{
  gt_host_process(0x1000);
  char *argv[] = {"init", 0};
  GT_CALL(exec("/init", argv));
}

GT_SCENARIO(exec, "three arguments", "a process with 0x1000 bytes; the standard program at /bin/ls",
            "exec(path, {\"ls\", \"-l\", \"/\", 0})", GT_RET_NEGATIVE)
{
  gt_build_program();
  gt_host_file("/bin", T_DIR, 0, 0);
  gt_host_file("/bin/ls", T_FILE, gt_program, sizeof(gt_program));
  gt_host_process(0x1000);
  char *argv[] = {"ls", "-l", "/", 0};
  GT_CALL(exec("/bin/ls", argv));
}
#endif

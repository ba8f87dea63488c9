// gt_case_support.c -- what the cases of fixtures/checks name that fixtures/xv6 has not:
// the console lock of the console cases and a first process's code (fixtures/checks/
// include/xv6.h declares them), and nothing else. The cases run against fixtures/xv6's own code, hosted like any tree.

#include "types.h"
#include "param.h"
#include "spinlock.h"
#include "defs.h"
#include "gt_host_api.h"

int cons_locking;
struct spinlock cons_lock;

// A first process's code, for the cases that write their own userinit: `li a0, 0`.
uchar initcode[64] = {0x13, 0x05, 0x00, 0x00};
uint initcode_len = 4;

// The UART: output is of no interest here.
void
consputc(int c)
{
  (void)c;
}

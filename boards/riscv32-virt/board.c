/* QEMU virt, riscv32 (RV32IMAC: -cpu rv32,f=false,d=false). The firmware runs in M-mode from DRAM; the blob is
   the first CFI flash bank (pflash0, 0x20000000, 32 MiB), which QEMU maps read-only to loads and executes and
   takes stores as flash commands, so the PMP is what keeps a store from reaching it. Locked PMP entries bind
   M-mode: the blob and the firmware's code are read+execute, the MMIO window and the rest of DRAM read+write
   without execute, and a last entry over the whole address space denies everything else (pflash1 among it). */
#include "board.h"

extern uint32_t __code_end[];

#ifndef RISCV32_VIRT_NAME
#define RISCV32_VIRT_NAME "riscv32-virt"
#endif

const board_info board = {
  .name = RISCV32_VIRT_NAME,
  .blob_base = 0x20000000u,
  .blob_size = 0x02000000u,
  .arena_base = 0x81000000u,
  .arena_size = 0x01000000u,
  .cpu_hz = 10000000u, /* mtime's timebase on virt */
};

void board_mpu_init(void) {
  pmp_napot(0, 0x20000000u, 0x02000000u, PMP_CODE_RX);                          /* pflash0: the blob */
  pmp_napot(1, 0x00000000u, 0x20000000u, PMP_DATA_RW);                          /* test device, CLINT, PLIC, UART */
  pmp_range(2, 0x80000000u, (uint32_t)(uintptr_t)__code_end, PMP_CODE_RX);      /* firmware code (entries 2, 3) */
  pmp_range(4, (uint32_t)(uintptr_t)__code_end, 0x82000000u, PMP_DATA_RW);      /* data, bss, stack, arena (4, 5) */
  pmp_napot(6, 0x00000000u, 0x100000000ull, PMP_NO_ACCESS);                      /* everything else */
}

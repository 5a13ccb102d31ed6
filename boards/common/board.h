/* What each board directory (boards/<board>/board.c) and its architecture directory (boards/arm, boards/riscv)
   provide to the common firmware. */
#ifndef BOARD_BOARD_H
#define BOARD_BOARD_H

#include <stdint.h>

typedef struct {
  const char *name;
  uint32_t blob_base;  /* read-only, executable region the AOT images are loaded into (-device loader) */
  uint32_t blob_size;
  uint32_t arena_base; /* RAM handed to instances (linear memories, globals, tables, exec_env) */
  uint32_t arena_size;
  uint32_t cpu_hz;     /* the clock of the watchdog's timer as QEMU models it (SysTick, or RISC-V mtime) */
} board_info;

extern const board_info board;

/* Programs and enables the memory protection (the MPU on Arm, the PMP on RISC-V); called once from main before
   anything else touches the blob. */
void board_mpu_init(void);

/* ---- the architecture's part of main.c (boards/<arch>/arch.c) ---- */
/* Starts a 100 Hz tick (board.cpu_hz) whose handler calls watchdog_tick with the interrupted context. */
void arch_watchdog_start(void);
/* main.c's tick handler; `frame` is the interrupted context as xw_interrupt_from_isr takes it. */
void watchdog_tick(uint32_t *frame);
/* Self-tests: a store that takes effect (and faults) before the call returns; a call to code at addr, or, when
   addr is 0, to a return instruction the firmware placed in RAM. */
void arch_selftest_store(uint32_t addr, uint32_t value);
void arch_selftest_call(uint32_t addr);

#include "board_arch.h"

#endif

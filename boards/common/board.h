/* What each board directory (boards/<board>/board.c) provides to the common firmware. */
#ifndef BOARD_BOARD_H
#define BOARD_BOARD_H

#include <stdint.h>

typedef struct {
  const char *name;
  uint32_t blob_base;  /* read-only, executable region the AOT images are loaded into (-device loader) */
  uint32_t blob_size;
  uint32_t arena_base; /* RAM handed to instances (linear memories, globals, tables, exec_env) */
  uint32_t arena_size;
  uint32_t cpu_hz;     /* SysTick processor clock as QEMU models it */
} board_info;

extern const board_info board;

/* Programs and enables the MPU; called once from main before anything else touches the blob. */
void board_mpu_init(void);

/* ---- MPU helpers (boards/common/mpu.c; PMSAv7 on v7-M, PMSAv8 on v8-M) ---- */
typedef enum {
  MPU_CODE_RO,  /* read-only, executable */
  MPU_DATA_RW,  /* read-write, execute-never */
  MPU_DATA_RO,  /* read-only, execute-never */
  MPU_NO_ACCESS /* any access faults */
} mpu_kind;

/* Region n covers [base, base + size). PMSAv7 needs size a power of two >= 32 and base aligned to it;
   PMSAv8 needs base and size multiples of 32. Violations stop the firmware with a message. */
void mpu_region(uint32_t n, uint32_t base, uint32_t size, mpu_kind kind);
/* Turns the MPU on with the default map as privileged background (peripherals, system space)
   and enables the MemManage, BusFault and UsageFault handlers. */
void mpu_enable(void);

/* Fault handling (boards/common/fault.c). */
void fault_enable_handlers(void);

#endif

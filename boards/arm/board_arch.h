/* Cortex-M: MPU and fault helpers for boards/<board>/board.c (boards/arm/mpu.c, fault.c). */
#ifndef BOARD_ARCH_H
#define BOARD_ARCH_H

#include <stdint.h>

/* ---- MPU helpers (PMSAv7 on v7-M, PMSAv8 on v8-M) ---- */
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

/* Assembly for naked exception handlers: the stacked exception frame (MSP or PSP, from EXC_RETURN bit 2) into r0,
   and a tail call. v6-M has neither IT blocks nor TST with an immediate, and its B reaches only 2 KiB. */
#if defined(__ARM_ARCH_6M__)
#define BOARD_FRAME_TO_R0 \
  "movs r0, #4\n\tmov r1, lr\n\ttst r0, r1\n\tbne 1f\n\tmrs r0, msp\n\tb 2f\n1:\n\tmrs r0, psp\n2:\n\t"
#define BOARD_TAIL_CALL(fn) "ldr r2, =" fn "\n\tbx r2\n\t"
#else
#define BOARD_FRAME_TO_R0 "tst lr, #4\n\tite eq\n\tmrseq r0, msp\n\tmrsne r0, psp\n\t"
#define BOARD_TAIL_CALL(fn) "b " fn "\n\t"
#endif

/* Fault handling (boards/arm/fault.c). */
void fault_enable_handlers(void);

#endif

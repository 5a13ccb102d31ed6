/* mps2-an385 (Cortex-M3, PMSAv7, 8 MPU regions).
   SSRAM1 (0x0, 4 MiB) is plain RAM, so the MPU is what makes the firmware and the blob read-only; the same RAM
   is mirrored writable at 0x00400000, so that alias is made inaccessible.
   The AN386 (M4F) and AN500 (M7) share this map except for the PSRAM's address: their board.c files set
   MPS2_NAME and MPS2_PSRAM_BASE and include this one. */
#include "board.h"

#ifndef MPS2_NAME
#define MPS2_NAME "mps2-an385"
#endif
#ifndef MPS2_PSRAM_BASE
#define MPS2_PSRAM_BASE 0x21000000u
#endif

const board_info board = {
  .name = MPS2_NAME,
  .blob_base = 0x00100000u,
  .blob_size = 0x00300000u,
  .arena_base = MPS2_PSRAM_BASE,
  .arena_size = 0x01000000u,
  .cpu_hz = 25000000u,
};

void board_mpu_init(void) {
  mpu_region(0, 0x00000000u, 0x00400000u, MPU_CODE_RO);   /* SSRAM1: firmware + blob, read-only, executable */
  mpu_region(1, 0x00400000u, 0x00400000u, MPU_NO_ACCESS); /* SSRAM1 alias: writes here would bypass region 0 */
  mpu_region(2, 0x01000000u, 0x00010000u, MPU_DATA_RW);   /* block RAM */
  mpu_region(3, 0x20000000u, 0x00800000u, MPU_DATA_RW);   /* SSRAM2/3 + alias: data, bss, stack */
  mpu_region(4, MPS2_PSRAM_BASE, 0x01000000u, MPU_DATA_RW); /* PSRAM: instance arena */
  mpu_enable();
}

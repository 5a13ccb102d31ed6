/* mps2-an500 (Cortex-M7 with FPv5-D16, PMSAv7, 8 MPU regions here as QEMU models it). The AN385's map for SSRAM1
   and SSRAM2/3, but the 16 MiB PSRAM is at 0x60000000. SSRAM1 is plain RAM: the MPU makes the firmware and the
   blob read-only and their writable mirror at 0x00400000 inaccessible. QEMU models no caches. */
#include "board.h"

const board_info board = {
  .name = "mps2-an500",
  .blob_base = 0x00100000u,
  .blob_size = 0x00300000u,
  .arena_base = 0x60000000u,
  .arena_size = 0x01000000u,
  .cpu_hz = 25000000u,
};

void board_mpu_init(void) {
  mpu_region(0, 0x00000000u, 0x00400000u, MPU_CODE_RO);   /* SSRAM1: firmware + blob, read-only, executable */
  mpu_region(1, 0x00400000u, 0x00400000u, MPU_NO_ACCESS); /* SSRAM1 mirror */
  mpu_region(2, 0x01000000u, 0x00010000u, MPU_DATA_RW);   /* block RAM */
  mpu_region(3, 0x20000000u, 0x00800000u, MPU_DATA_RW);   /* SSRAM2/3 + mirror: data, bss, stack */
  mpu_region(4, 0x60000000u, 0x01000000u, MPU_DATA_RW);   /* PSRAM: instance arena */
  mpu_enable();
}

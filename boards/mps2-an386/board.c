/* mps2-an386 (Cortex-M4 with FPv4-SP, PMSAv7, 8 MPU regions): the AN385's FPGA map with a Cortex-M4F.
   SSRAM1 (0x0, 4 MiB) is plain RAM, so the MPU is what makes the firmware and the blob read-only; the writable
   mirror of it at 0x00400000 is made inaccessible. */
#include "board.h"

const board_info board = {
  .name = "mps2-an386",
  .blob_base = 0x00100000u,
  .blob_size = 0x00300000u,
  .arena_base = 0x21000000u,
  .arena_size = 0x01000000u,
  .cpu_hz = 25000000u,
};

void board_mpu_init(void) {
  mpu_region(0, 0x00000000u, 0x00400000u, MPU_CODE_RO);   /* SSRAM1: firmware + blob, read-only, executable */
  mpu_region(1, 0x00400000u, 0x00400000u, MPU_NO_ACCESS); /* SSRAM1 mirror: writes here would bypass region 0 */
  mpu_region(2, 0x01000000u, 0x00010000u, MPU_DATA_RW);   /* block RAM */
  mpu_region(3, 0x20000000u, 0x00800000u, MPU_DATA_RW);   /* SSRAM2/3 + mirror: data, bss, stack */
  mpu_region(4, 0x21000000u, 0x01000000u, MPU_DATA_RW);   /* PSRAM: instance arena */
  mpu_enable();
}

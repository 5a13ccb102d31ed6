/* mps3-an547 (Cortex-M55, PMSAv8, 16 MPU regions). The firmware runs Secure; every RAM is execute-never. */
#include "board.h"

const board_info board = {
  .name = "mps3-an547",
  .blob_base = 0x28000000u,
  .blob_size = 0x00800000u,
  .arena_base = 0x60000000u,
  .arena_size = 0x10000000u,
  .cpu_hz = 32000000u,
};

void board_mpu_init(void) {
  mpu_region(0, 0x00000000u, 0x00080000u, MPU_CODE_RO);   /* ITCM: firmware */
  mpu_region(1, 0x10000000u, 0x00080000u, MPU_NO_ACCESS); /* ITCM Non-secure alias */
  mpu_region(2, 0x28000000u, 0x00800000u, MPU_CODE_RO);   /* QSPI ROM: the blob */
  mpu_region(3, 0x38000000u, 0x00800000u, MPU_NO_ACCESS); /* QSPI Non-secure alias */
  mpu_region(4, 0x20000000u, 0x00080000u, MPU_DATA_RW);   /* DTCM: data, bss, stack */
  mpu_region(5, 0x30000000u, 0x00080000u, MPU_DATA_RW);   /* DTCM Non-secure alias */
  mpu_region(6, 0x01000000u, 0x00200000u, MPU_DATA_RW);   /* SRAM */
  mpu_region(7, 0x21000000u, 0x00400000u, MPU_DATA_RW);   /* ISRAM0/1 */
  mpu_region(8, 0x60000000u, 0x80000000u, MPU_DATA_RW);   /* DDR: instance arena */
  mpu_enable();
}

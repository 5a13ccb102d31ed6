/* mps2-an505 (Cortex-M33 with FPv5-SP, SSE-200; PMSAv8, 16 MPU regions). The firmware runs in Secure state with
   the SAU off (its reset state: every address Secure), from the Secure aliases: SSRAM1 at 0x10000000 (the Secure
   VTOR at reset) holds the firmware and the blob, SSRAM2/3 at 0x38000000 data, bss and stack, the 16 MiB PSRAM at
   0x80000000 the instance arena. The MPCs' reset state lets Secure accesses through at both aliases, so the
   Non-secure aliases of the code RAM are made read-only and execute-never, and every RAM execute-never. */
#include "board.h"

const board_info board = {
  .name = "mps2-an505",
  .blob_base = 0x10100000u,
  .blob_size = 0x00300000u,
  .arena_base = 0x80000000u,
  .arena_size = 0x01000000u,
  .cpu_hz = 20000000u,
};

void board_mpu_init(void) {
  mpu_region(0, 0x10000000u, 0x00400000u, MPU_CODE_RO);   /* SSRAM1, Secure alias: firmware + blob */
  mpu_region(1, 0x10400000u, 0x00400000u, MPU_NO_ACCESS); /* its mirror */
  mpu_region(2, 0x00000000u, 0x00800000u, MPU_NO_ACCESS); /* SSRAM1 and mirror, Non-secure alias */
  mpu_region(3, 0x38000000u, 0x00400000u, MPU_DATA_RW);   /* SSRAM2/3, Secure alias: data, bss, stack */
  mpu_region(4, 0x28000000u, 0x00400000u, MPU_DATA_RW);   /* SSRAM2/3, Non-secure alias */
  mpu_region(5, 0x20000000u, 0x00008000u, MPU_DATA_RW);   /* SSE-200 SRAM */
  mpu_region(6, 0x30000000u, 0x00008000u, MPU_DATA_RW);   /* its Secure alias */
  mpu_region(7, 0x80000000u, 0x01000000u, MPU_DATA_RW);   /* PSRAM: instance arena */
  mpu_enable();
}

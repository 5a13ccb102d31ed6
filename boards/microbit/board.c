/* microbit (nRF51822: Cortex-M0, 256 KiB flash at 0x0, 16 KiB RAM at 0x20000000). No MPU: nothing makes RAM
   execute-never, and the blob is protected by being flash: the NVMC ignores stores unless its CONFIG register
   enables writing, which the firmware never does. The CRC of the image before and after a run is the check
   (docs/boards.md). */
#include "board.h"

const board_info board = {
  .name = "microbit",
  .blob_base = 0x00030000u,
  .blob_size = 0x00010000u,
  .arena_base = 0x20002000u,
  .arena_size = 0x00002000u,
  .cpu_hz = 16000000u,
};

void board_mpu_init(void) {
  fault_enable_handlers();
}

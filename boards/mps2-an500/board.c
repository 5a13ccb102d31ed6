/* mps2-an500 (Cortex-M7 with FPv5-D16, PMSAv7, 8 MPU regions here as QEMU models it). The AN385's map for SSRAM1
   and SSRAM2/3, but the 16 MiB PSRAM is at 0x60000000. QEMU models no caches. */
#define MPS2_NAME "mps2-an500"
#define MPS2_PSRAM_BASE 0x60000000u
#include "../mps2-an385/board.c"

/* mps2-an386 (Cortex-M4 with FPv4-SP, PMSAv7, 8 MPU regions): the AN385's FPGA map with a Cortex-M4F, so
   everything but the name is mps2-an385's board.c. */
#define MPS2_NAME "mps2-an386"
#include "../mps2-an385/board.c"

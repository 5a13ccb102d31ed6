/* riscv32-virt-f: the riscv32-virt machine and map with F on (-cpu rv32,f=true,d=false), firmware built for
   rv32imafc/ilp32f (boards/riscv/startup.c turns the FPU on). Everything else is riscv32-virt's board.c. */
#define RISCV32_VIRT_NAME "riscv32-virt-f"
#include "../riscv32-virt/board.c"

/* Reset and trap entry for RISC-V M-mode: set gp and sp, point mtvec at the trap entry, enable the FPU when the
   build uses it, copy .data, clear .bss, run main. Every trap comes to trap_entry, which saves the interrupted
   context on the current stack as `uint32_t frame[32]` (frame[0] = mepc, frame[k] = x<k>) and calls
   riscv_trap(frame, mcause, mtval); a timer interrupt returns to the interrupted code (with whatever the handler
   left in the frame), anything else is a fault report that never returns. */
#include <stdint.h>

extern uint32_t __data_load[], __data_start[], __data_end[], __bss_start[], __bss_end[];
extern int main(void);
void riscv_c_start(void);
void riscv_trap(uint32_t *frame, uint32_t mcause, uint32_t mtval);

__asm__(
  ".section .text.init, \"ax\", @progbits\n"
  ".globl _start\n"
  "_start:\n"
  ".option push\n"
  ".option norelax\n"
  "  la gp, __global_pointer$\n"
  ".option pop\n"
  "  la sp, __stack_top\n"
  "  la t0, trap_entry\n"
  "  csrw mtvec, t0\n"
  "  j riscv_c_start\n"
  "\n"
  ".p2align 2\n"
  ".globl trap_entry\n"
  "trap_entry:\n"
  "  addi sp, sp, -128\n"
  "  sw x1, 4(sp)\n"
  "  sw x3, 12(sp)\n"
  "  sw x4, 16(sp)\n"
  "  sw x5, 20(sp)\n"
  "  sw x6, 24(sp)\n"
  "  sw x7, 28(sp)\n"
  "  sw x8, 32(sp)\n"
  "  sw x9, 36(sp)\n"
  "  sw x10, 40(sp)\n"
  "  sw x11, 44(sp)\n"
  "  sw x12, 48(sp)\n"
  "  sw x13, 52(sp)\n"
  "  sw x14, 56(sp)\n"
  "  sw x15, 60(sp)\n"
  "  sw x16, 64(sp)\n"
  "  sw x17, 68(sp)\n"
  "  sw x18, 72(sp)\n"
  "  sw x19, 76(sp)\n"
  "  sw x20, 80(sp)\n"
  "  sw x21, 84(sp)\n"
  "  sw x22, 88(sp)\n"
  "  sw x23, 92(sp)\n"
  "  sw x24, 96(sp)\n"
  "  sw x25, 100(sp)\n"
  "  sw x26, 104(sp)\n"
  "  sw x27, 108(sp)\n"
  "  sw x28, 112(sp)\n"
  "  sw x29, 116(sp)\n"
  "  sw x30, 120(sp)\n"
  "  sw x31, 124(sp)\n"
  "  addi t0, sp, 128\n"
  "  sw t0, 8(sp)\n"           /* x2: the interrupted sp */
  "  csrr t0, mepc\n"
  "  sw t0, 0(sp)\n"
  "  mv a0, sp\n"
  "  csrr a1, mcause\n"
  "  csrr a2, mtval\n"
  "  call riscv_trap\n"
  "  lw t0, 0(sp)\n"
  "  csrw mepc, t0\n"
  "  lw x1, 4(sp)\n"
  "  lw x3, 12(sp)\n"
  "  lw x4, 16(sp)\n"
  "  lw x5, 20(sp)\n"
  "  lw x6, 24(sp)\n"
  "  lw x7, 28(sp)\n"
  "  lw x8, 32(sp)\n"
  "  lw x9, 36(sp)\n"
  "  lw x10, 40(sp)\n"
  "  lw x11, 44(sp)\n"
  "  lw x12, 48(sp)\n"
  "  lw x13, 52(sp)\n"
  "  lw x14, 56(sp)\n"
  "  lw x15, 60(sp)\n"
  "  lw x16, 64(sp)\n"
  "  lw x17, 68(sp)\n"
  "  lw x18, 72(sp)\n"
  "  lw x19, 76(sp)\n"
  "  lw x20, 80(sp)\n"
  "  lw x21, 84(sp)\n"
  "  lw x22, 88(sp)\n"
  "  lw x23, 92(sp)\n"
  "  lw x24, 96(sp)\n"
  "  lw x25, 100(sp)\n"
  "  lw x26, 104(sp)\n"
  "  lw x27, 108(sp)\n"
  "  lw x28, 112(sp)\n"
  "  lw x29, 116(sp)\n"
  "  lw x30, 120(sp)\n"
  "  lw x31, 124(sp)\n"
  "  addi sp, sp, 128\n"
  "  mret\n"
  ".text\n");

void riscv_c_start(void) {
  uint32_t *src = __data_load;
  for (uint32_t *dst = __data_start; dst < __data_end; dst++) *dst = *src++;
  for (uint32_t *dst = __bss_start; dst < __bss_end; dst++) *dst = 0;
#if defined(__riscv_flen)
  __asm__ volatile("li t0, 0x2000\n\tcsrs mstatus, t0\n\tfscsr zero" ::: "t0", "memory"); /* mstatus.FS = initial */
#endif
  (void)main();
  for (;;) {
  }
}

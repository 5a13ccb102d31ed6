/* Native baseline firmware: calls the benchmark's run() once between the same two instruction-count markers as
   the xipwasm batch firmware (boards/common/main.c), and prints "R <hex64>". The benchmark's own code is linked
   into the board's blob region (bench/native.ts writes the linker script), so the counting plugin measures it
   exactly as it measures an AOT image there: from its first instruction to its return, callees included. */
#include <stdint.h>

#include "semihost.h"

#if defined(__riscv)
/* RISC-V: the firmware's trap handler (boards/riscv/fault.c) reports faults by itself; the machine timer, which
   only the batch firmware's watchdog starts, never fires here. */
static void fault_enable_handlers(void) {}
void arch_timer_tick(uint32_t *frame);
__attribute__((weak)) void arch_timer_tick(uint32_t *frame) {
  (void)frame;
  for (;;) {
  }
}
#else
void fault_enable_handlers(void);
#endif

/* The batch firmware's main.c (not linked here) owns SysTick; the vector table in startup.c names it. The harness
   never starts SysTick, so a weak stand-in that stops is enough (a strong definition elsewhere wins). */
__attribute__((weak)) void SysTick_Handler(void) {
  for (;;) {
  }
}

volatile uint32_t xw_count_marks;
__attribute__((noinline)) void xw_count_begin(void) { xw_count_marks += 1u; }
__attribute__((noinline)) void xw_count_end(void) { xw_count_marks += 2u; }

#if BENCH_I64
uint64_t run(void);
#else
uint32_t run(void);
#endif

int main(void) {
  fault_enable_handlers();
  xw_count_begin();
  uint64_t r = run();
  xw_count_end();
  out_str("R ");
  out_hex64(r);
  out_end();
  sh_exit(0);
}

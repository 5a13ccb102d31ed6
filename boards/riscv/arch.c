/* RISC-V: the architecture's part of the batch firmware (boards/common/board.h). The watchdog's tick is the
   machine timer (CLINT mtime/mtimecmp, board.cpu_hz = the timebase). */
#include "board.h"

#define CLINT_MTIMECMP_LO (*(volatile uint32_t *)0x02004000u)
#define CLINT_MTIMECMP_HI (*(volatile uint32_t *)0x02004004u)
#define CLINT_MTIME_LO (*(volatile uint32_t *)0x0200BFF8u)
#define CLINT_MTIME_HI (*(volatile uint32_t *)0x0200BFFCu)

void arch_timer_tick(uint32_t *frame);

static uint64_t next_tick;

static void set_compare(uint64_t t) {
  CLINT_MTIMECMP_HI = 0xFFFFFFFFu; /* no spurious match while the two halves change */
  CLINT_MTIMECMP_LO = (uint32_t)t;
  CLINT_MTIMECMP_HI = (uint32_t)(t >> 32);
}

static uint64_t now(void) {
  uint32_t hi, lo;
  do {
    hi = CLINT_MTIME_HI;
    lo = CLINT_MTIME_LO;
  } while (hi != CLINT_MTIME_HI);
  return ((uint64_t)hi << 32) | lo;
}

void arch_watchdog_start(void) {
  next_tick = now() + board.cpu_hz / 100u;
  set_compare(next_tick);
  __asm__ volatile("csrs mie, %0\n\tcsrsi mstatus, 8" ::"r"(1u << 7) : "memory"); /* MTIE, then MIE */
}

void arch_timer_tick(uint32_t *frame) {
  next_tick += board.cpu_hz / 100u;
  set_compare(next_tick);
  watchdog_tick(frame);
}

void arch_selftest_store(uint32_t addr, uint32_t value) {
  *(volatile uint32_t *)(uintptr_t)addr = value;
  __asm__ volatile("fence" ::: "memory");
}

/* A `ret` in RAM: calling it must raise an instruction access fault (the PMP gives RAM no execute). */
static uint32_t ram_code[2] = { 0x00008067u, 0x00008067u };

void arch_selftest_call(uint32_t addr) {
  uintptr_t target = addr != 0 ? addr : (uintptr_t)ram_code;
  void (*fn)(void) = (void (*)(void))target;
  fn();
}

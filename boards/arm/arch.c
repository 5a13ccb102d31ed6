/* Cortex-M: the architecture's part of the batch firmware (boards/common/board.h). */
#include "board.h"

#define REG32(addr) (*(volatile uint32_t *)(addr))
#define SYST_CSR REG32(0xE000E010u)
#define SYST_RVR REG32(0xE000E014u)
#define SYST_CVR REG32(0xE000E018u)

void arch_watchdog_start(void) {
  SYST_RVR = board.cpu_hz / 100u - 1u;
  SYST_CVR = 0;
  SYST_CSR = 7u; /* ENABLE | TICKINT | processor clock */
}

/* The interrupted context is the exception frame the core stacked (MSP or PSP, from EXC_RETURN bit 2). */
__attribute__((naked)) void SysTick_Handler(void) {
  __asm__ volatile(BOARD_FRAME_TO_R0 BOARD_TAIL_CALL("watchdog_tick") ".ltorg" ::: "memory");
}

void arch_selftest_store(uint32_t addr, uint32_t value) {
  *(volatile uint32_t *)(uintptr_t)addr = value;
  __asm__ volatile("dsb" ::: "memory");
}

/* A `bx lr` in SRAM: calling it must raise MemManage (execute-never). */
static uint16_t sram_code[2] = { 0x4770u, 0x4770u };

void arch_selftest_call(uint32_t addr) {
  uintptr_t target = addr != 0 ? addr : (uintptr_t)sram_code;
  void (*fn)(void) = (void (*)(void))(target | 1u);
  fn();
}

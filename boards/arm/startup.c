/* Vector table and reset: copy .data, clear .bss, enable the FPU when the build uses it, run main.
   v6-M (the micro:bit's Cortex-M0) has no MemManage, BusFault or UsageFault: those slots are never taken. */
#include <stdint.h>

extern uint32_t __data_load[], __data_start[], __data_end[], __bss_start[], __bss_end[], __stack_top[];
extern int main(void);

void Reset_Handler(void);
void NMI_Handler(void);
void HardFault_Handler(void);
void MemManage_Handler(void);
void BusFault_Handler(void);
void UsageFault_Handler(void);
void SecureFault_Handler(void);
void Default_Handler(void);
void SysTick_Handler(void);

typedef void (*vector)(void);

__attribute__((section(".vectors"), used)) static const vector vectors[16] = {
  (vector)(uintptr_t)__stack_top,
  Reset_Handler,
  NMI_Handler,
  HardFault_Handler,
  MemManage_Handler,
  BusFault_Handler,
  UsageFault_Handler,
  SecureFault_Handler, /* v8-M only; reserved on v7-M */
  0, 0, 0,
  Default_Handler,     /* SVCall */
  Default_Handler,     /* DebugMonitor */
  0,
  Default_Handler,     /* PendSV */
  SysTick_Handler,     /* SysTick: the invocation watchdog (boards/common/main.c) */
};

void Reset_Handler(void) {
  uint32_t *src = __data_load;
  for (uint32_t *dst = __data_start; dst < __data_end; dst++) *dst = *src++;
  for (uint32_t *dst = __bss_start; dst < __bss_end; dst++) *dst = 0;
#if defined(__ARM_FP)
  /* CP10/CP11 full access (also covers MVE on the M55). */
  *(volatile uint32_t *)0xE000ED88u |= 0xFu << 20;
  __asm__ volatile("dsb\n\tisb" ::: "memory");
#endif
#if !defined(__ARM_ARCH_6M__)
  /* VTOR: the table starts the firmware image (0x0, or the AN505's Secure code alias); v6-M has no VTOR */
  *(volatile uint32_t *)0xE000ED08u = (uint32_t)(uintptr_t)vectors;
#endif
  (void)main();
  for (;;) {
  }
}

/* Minimal Cortex-M4F start-up: vector table, .data/.bss set-up, FPU on, main. */
#include <stdint.h>

extern uint32_t __data_load[], __data_start[], __data_end[], __bss_start[], __bss_end[], __stack_top[];
int main(void);
void reset_handler(void);
void SysTick_Handler(void);
static void hang(void) { for (;;) { } }

typedef void (*vector)(void);
__attribute__((section(".vectors"), used)) static const vector vectors[16] = {
  (vector)(uintptr_t)__stack_top, reset_handler, hang, hang, hang, hang, hang, 0, 0, 0, 0, hang, hang, 0, hang,
  SysTick_Handler,
};

void reset_handler(void) {
  uint32_t *src = __data_load, *dst;
  for (dst = __data_start; dst < __data_end; dst++) *dst = *src++;
  for (dst = __bss_start; dst < __bss_end; dst++) *dst = 0;
  *(volatile uint32_t *)0xE000ED88u |= 0xFu << 20; /* CPACR: CP10/CP11 full access (hard-float code) */
  __asm__ volatile("dsb\n\tisb" ::: "memory");
  (void)main();
  hang();
}

/* The module the example firmware runs: a WASI C program (printf goes through fd_write to the board's UART),
   one host function imported by signature, and a runaway export the firmware stops with xw_interrupt. */
#include <stdint.h>
#include <stdio.h>

/* provided by the firmware (main.c) as a native with the WAMR signature "(i$)i" */
__attribute__((import_module("env"), import_name("scale"))) int32_t scale(int32_t x, const char *why);

int main(void) {
  printf("hello from a WASI module on a Cortex-M4F\n");
  printf("host says scale(21) = %d\n", (int)scale(21, "doubling"));
  return 0;
}

/* Never returns: the firmware's timer stops it. */
volatile uint32_t spins;
__attribute__((export_name("runaway"))) void runaway(void) {
  for (;;) spins++;
}

/* A freestanding C module (no libc) that calls two host functions the board firmware provides (host.c):
   env.log_i32 prints a number, env.millis stands for a device's clock. */
#include <stdint.h>

__attribute__((import_module("env"), import_name("log_i32"))) void log_i32(int32_t value);
__attribute__((import_module("env"), import_name("millis"))) uint32_t millis(void);

static uint32_t counter;

/* Sum of squares 1..n, logging each partial sum. */
__attribute__((export_name("sum_squares"))) int32_t sum_squares(int32_t n) {
  int32_t sum = 0;
  for (int32_t i = 1; i <= n; i++) {
    sum += i * i;
    log_i32(sum);
  }
  return sum;
}

/* State that lives in the instance between calls. */
__attribute__((export_name("tick"))) uint32_t tick(void) {
  counter += millis();
  return counter;
}

/* env.log_f64 for app.ts: prints the value with six decimals (no printf on the board). */
#include <stdint.h>
#include <string.h>

#include "xipwasm_board.h"

static void log_f64(xw_exec_env *env, uint64_t *slots, const void *data) {
  (void)env;
  (void)data;
  double x;
  memcpy(&x, &slots[0], sizeof x);
  char buf[48] = "log ";
  int n = 4;
  if (x < 0) {
    buf[n++] = '-';
    x = -x;
  }
  uint64_t micros = (uint64_t)(x * 1e6 + 0.5);
  uint64_t whole = micros / 1000000u;
  uint32_t frac = (uint32_t)(micros % 1000000u);
  char tmp[24];
  int k = 0;
  do {
    tmp[k++] = (char)('0' + whole % 10u);
    whole /= 10u;
  } while (whole != 0);
  while (k > 0) buf[n++] = tmp[--k];
  buf[n++] = '.';
  for (uint32_t div = 100000u; div != 0; div /= 10u) buf[n++] = (char)('0' + frac / div % 10u);
  buf[n++] = '\n';
  xw_board_write(1, buf, (uint32_t)n);
}

static const xw_host_func funcs[] = { { "env", "log_f64", "F->", log_f64, 0 } };

uint32_t get_native_lib(const xw_host_func **out) {
  *out = funcs;
  return 1;
}

/* Host functions for app.c, built into the board firmware by `xipwasm run --native-lib=host.c`. */
#include <stdint.h>

#include "xipwasm_board.h"

static void log_i32(xw_exec_env *env, uint64_t *slots, const void *data) {
  (void)env;
  (void)data;
  char buf[24];
  int n = 0;
  int32_t v = (int32_t)(uint32_t)slots[0];
  uint32_t u = v < 0 ? 0u - (uint32_t)v : (uint32_t)v;
  char tmp[12];
  int k = 0;
  do {
    tmp[k++] = (char)('0' + u % 10u);
    u /= 10u;
  } while (u != 0);
  const char *prefix = "log ";
  while (*prefix != '\0') buf[n++] = *prefix++;
  if (v < 0) buf[n++] = '-';
  while (k > 0) buf[n++] = tmp[--k];
  buf[n++] = '\n';
  xw_board_write(1, buf, (uint32_t)n);
}

/* A fixed clock, so the example's output is reproducible. */
static void millis(xw_exec_env *env, uint64_t *slots, const void *data) {
  (void)env;
  (void)data;
  slots[0] = 10u;
}

static const xw_host_func funcs[] = {
  { "env", "log_i32", "i->", log_i32, 0 },
  { "env", "millis", "->i", millis, 0 },
};

uint32_t get_native_lib(const xw_host_func **out) {
  *out = funcs;
  return (uint32_t)(sizeof funcs / sizeof funcs[0]);
}

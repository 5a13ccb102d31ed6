/* env.report for app.rs: prints "crc of <n> bytes: 0x<crc>". */
#include <stdint.h>

#include "xipwasm_board.h"

static void report(xw_exec_env *env, uint64_t *slots, const void *data) {
  (void)env;
  (void)data;
  static const char digits[] = "0123456789abcdef";
  char buf[40] = "crc of ";
  int n = 7;
  uint32_t len = (uint32_t)slots[0], crc = (uint32_t)slots[1];
  char tmp[12];
  int k = 0;
  do {
    tmp[k++] = (char)('0' + len % 10u);
    len /= 10u;
  } while (len != 0);
  while (k > 0) buf[n++] = tmp[--k];
  const char *mid = " bytes: 0x";
  while (*mid != '\0') buf[n++] = *mid++;
  for (int shift = 28; shift >= 0; shift -= 4) buf[n++] = digits[(crc >> shift) & 15u];
  buf[n++] = '\n';
  xw_board_write(1, buf, (uint32_t)n);
}

static const xw_host_func funcs[] = { { "env", "report", "ii->", report, 0 } };

uint32_t get_native_lib(const xw_host_func **out) {
  *out = funcs;
  return 1;
}

#include "semihost.h"

#if defined(__riscv)
/* RISC-V semihosting: ebreak between two marker instructions, uncompressed, all three in one page (the
   function is 32-byte aligned and the sequence comes within its first 32 bytes). */
__attribute__((aligned(32))) int32_t sh_call(int32_t op, void *arg) {
  register int32_t a0 __asm__("a0") = op;
  register void *a1 __asm__("a1") = arg;
  __asm__ volatile(".option push\n\t"
                   ".option norvc\n\t"
                   "slli zero, zero, 0x1f\n\t"
                   "ebreak\n\t"
                   "srai zero, zero, 7\n\t"
                   ".option pop"
                   : "+r"(a0) : "r"(a1) : "memory");
  return a0;
}
#else
int32_t sh_call(int32_t op, void *arg) {
  register int32_t r0 __asm__("r0") = op;
  register void *r1 __asm__("r1") = arg;
  __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
  return r0;
}
#endif

static uint32_t str_len(const char *s) {
  uint32_t n = 0;
  while (s[n] != '\0') n++;
  return n;
}

int32_t sh_open_read(const char *path) {
  uint32_t block[3] = { (uint32_t)(uintptr_t)path, 1u /* "rb" */, str_len(path) };
  return sh_call(SH_SYS_OPEN, block);
}

int32_t sh_read(int32_t handle, void *buf, uint32_t len) {
  uint32_t block[3] = { (uint32_t)handle, (uint32_t)(uintptr_t)buf, len };
  int32_t not_read = sh_call(SH_SYS_READ, block);
  if (not_read < 0 || (uint32_t)not_read > len) return -1;
  return (int32_t)(len - (uint32_t)not_read);
}

void sh_close(int32_t handle) {
  uint32_t block[1] = { (uint32_t)handle };
  (void)sh_call(SH_SYS_CLOSE, block);
}

int32_t sh_cmdline(char *buf, uint32_t len) {
  uint32_t block[2] = { (uint32_t)(uintptr_t)buf, len };
  return sh_call(SH_SYS_GET_CMDLINE, block);
}

void sh_exit(uint32_t code) {
  uint32_t block[2] = { SH_ADP_STOPPED_APPLICATION_EXIT, code };
  for (;;) (void)sh_call(SH_SYS_EXIT_EXTENDED, block);
}

/* Long enough for any protocol line; longer output is cut, never overrun (FW_SMALL: the micro:bit's 16 KiB). */
#if defined(FW_SMALL) && FW_SMALL
static char line[512];
#else
static char line[4096];
#endif
/* Bytes of program output per S line: at most 3 characters each, with room for the prefix. */
#define WRITE_PIECE ((sizeof line - 32u) / 3u < 1024u ? (sizeof line - 32u) / 3u : 1024u)
static uint32_t line_len;

void out_char(char c) {
  if (line_len < sizeof line - 2) line[line_len++] = c;
}

void out_str(const char *s) {
  while (*s != '\0') out_char(*s++);
}

void out_hex32(uint32_t v) {
  static const char digits[] = "0123456789abcdef";
  out_str("0x");
  for (int shift = 28; shift >= 0; shift -= 4) out_char(digits[(v >> shift) & 0xF]);
}

void out_hex64(uint64_t v) {
  static const char digits[] = "0123456789abcdef";
  out_str("0x");
  for (int shift = 60; shift >= 0; shift -= 4) out_char(digits[(uint32_t)(v >> shift) & 0xF]);
}

void out_dec(uint32_t v) {
  char tmp[10];
  int n = 0;
  do {
    tmp[n++] = (char)('0' + v % 10);
    v /= 10;
  } while (v != 0);
  while (n > 0) out_char(tmp[--n]);
}

/* An unfinished line (the watchdog stopped a call in the middle of a print, or between the write and the reset of
   line_len) must not prefix the next answer: drop it. Only called from thread mode, after the interrupted code is
   abandoned, so nothing else is writing the buffer. */
void out_discard(void) {
  line_len = 0;
}

void out_end(void) {
  line[line_len++] = '\n';
  line[line_len] = '\0';
  (void)sh_call(SH_SYS_WRITE0, line);
  line_len = 0;
}

static void out_byte_encoded(uint8_t b) {
  static const char digits[] = "0123456789abcdef";
  if (b > 0x20 && b < 0x7f && b != '%') {
    out_char((char)b);
  } else {
    out_char('%');
    out_char(digits[b >> 4]);
    out_char(digits[b & 15u]);
  }
}

void out_encoded(const void *data, uint32_t len) {
  const uint8_t *p = (const uint8_t *)data;
  out_char('=');
  for (uint32_t i = 0; i < len; i++) out_byte_encoded(p[i]);
}

/* `S <fd> <bytes>`: program output for the host's stdout or stderr, bytes outside printable ASCII (and space and
   '%') %-encoded, in pieces that fit the line buffer. */
void xw_board_write(uint32_t fd, const void *data, uint32_t len) {
  const uint8_t *p = (const uint8_t *)data;
  uint32_t i = 0;
  do {
    out_str("S ");
    out_dec(fd);
    out_str(" =");
    for (uint32_t n = 0; i < len && n < WRITE_PIECE; i++, n++) out_byte_encoded(p[i]);
    out_end();
  } while (i < len);
}

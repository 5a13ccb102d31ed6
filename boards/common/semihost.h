/* Semihosting calls (ARM semihosting v2: BKPT 0xAB on M-profile, the ebreak sequence on RISC-V) and the tiny
   text output the firmware uses. No libc stdio: output is assembled in a line buffer and sent with one SYS_WRITE0
   per line, so a fault in the middle of a run never loses a finished line. */
#ifndef BOARD_SEMIHOST_H
#define BOARD_SEMIHOST_H

#include <stdint.h>

#define SH_SYS_OPEN 0x01
#define SH_SYS_CLOSE 0x02
#define SH_SYS_WRITE0 0x04
#define SH_SYS_READ 0x06
#define SH_SYS_FLEN 0x0C
#define SH_SYS_CLOCK 0x10
#define SH_SYS_TIME 0x11
#define SH_SYS_GET_CMDLINE 0x15
#define SH_SYS_EXIT_EXTENDED 0x20
#define SH_ADP_STOPPED_APPLICATION_EXIT 0x20026

int32_t sh_call(int32_t op, void *arg);
int32_t sh_open_read(const char *path);
/* Returns the number of bytes read (0 at end of file, -1 on error). */
int32_t sh_read(int32_t handle, void *buf, uint32_t len);
void sh_close(int32_t handle);
/* Fills buf with the command line (NUL-terminated); returns 0 on success. */
int32_t sh_cmdline(char *buf, uint32_t len);
void sh_exit(uint32_t code) __attribute__((noreturn));

/* Line output: out_* append to the current line, out_end() terminates and flushes it. */
void out_str(const char *s);
void out_char(char c);
void out_hex32(uint32_t v);
void out_hex64(uint64_t v);
void out_dec(uint32_t v);
/* `=` and the bytes, %-encoded outside printable ASCII (and space and '%'): one protocol field. */
void out_encoded(const void *data, uint32_t len);
void out_end(void);
/* Drops the line being built (see watchdog_escape in main.c). */
void out_discard(void);
/* Program output for the host (fd 1 stdout, 2 stderr) as `S` lines; also declared for native libraries in
   xipwasm_board.h (this header stays free of the runtime's, for the native benchmark harness). */
void xw_board_write(uint32_t fd, const void *data, uint32_t len);

#endif

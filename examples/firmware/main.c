/* Example firmware for QEMU mps2-an386 (Cortex-M4F): runs a WASI C program from flash with the xipwasm runtime,
   gives it one host function by signature, and stops a runaway call from a SysTick interrupt.
   Output goes to UART0 (QEMU: -serial stdio); the firmware ends through semihosting (QEMU exits).
   docs/embedding.md explains each step. */
#include <stdint.h>
#include <string.h>

#include "xipwasm.h"

extern const uint8_t app_aot[], app_aot_end[]; /* image.S: the AOT file, in flash, 8-aligned */

/* ---- board: CMSDK UART0, SysTick, semihosting exit ---- */
#define UART0_DATA (*(volatile uint32_t *)0x40004000u)
#define UART0_STATE (*(volatile uint32_t *)0x40004004u)
#define UART0_CTRL (*(volatile uint32_t *)0x40004008u)
#define UART0_BAUDDIV (*(volatile uint32_t *)0x40004010u)
#define SYST_CSR (*(volatile uint32_t *)0xE000E010u)
#define SYST_RVR (*(volatile uint32_t *)0xE000E014u)
#define SYST_CVR (*(volatile uint32_t *)0xE000E018u)
#define CPU_HZ 25000000u

static void uart_write(const uint8_t *p, uint32_t n) {
  for (uint32_t i = 0; i < n; i++) {
    while (UART0_STATE & 1u) { } /* TX full */
    UART0_DATA = p[i];
  }
}
static void puts_(const char *s) { uart_write((const uint8_t *)s, (uint32_t)strlen(s)); }
static void putd(int32_t v) {
  char b[12];
  int n = 0;
  uint32_t u = v < 0 ? 0u - (uint32_t)v : (uint32_t)v;
  do { b[n++] = (char)('0' + u % 10u); u /= 10u; } while (u != 0);
  if (v < 0) b[n++] = '-';
  while (n > 0) uart_write((const uint8_t *)&b[--n], 1);
}

static void semihost_exit(uint32_t status) {
  uint32_t block[2] = { 0x20026u /* ADP_Stopped_ApplicationExit */, status };
  register uint32_t r0 __asm__("r0") = 0x20u; /* SYS_EXIT_EXTENDED */
  register void *r1 __asm__("r1") = block;
  __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
  for (;;) { }
}

/* ---- the runtime's objects: all in our storage ---- */
static xw_context ctx;
static xw_module mod;
static uint64_t arena[160u * 1024u / 8u];
static xw_native_group env_natives;

/* ---- time: SysTick at 1 kHz; it also stops a call that outlives its deadline ---- */
static volatile uint32_t ms;
static volatile uint32_t deadline;
static xw_instance *volatile running;

void systick_c(uint32_t *frame);
void systick_c(uint32_t *frame) {
  ms++;
  /* called on every tick after the deadline until the call has ended: 0 means "not in the module's code now" */
  if (deadline != 0 && ms >= deadline && running != 0 && xw_interrupt_from_isr(running, frame)) deadline = 0;
}

/* The hardware stacked r0-r3, r12, lr, pc, xPSR on the stack in use: hand that frame to the C side. */
__attribute__((naked)) void SysTick_Handler(void) {
  __asm__ volatile("tst lr, #4\n\t"
                   "ite eq\n\t"
                   "mrseq r0, msp\n\t"
                   "mrsne r0, psp\n\t"
                   "b systick_c\n\t");
}

/* ---- WASI hooks ---- */
static int32_t wasi_write(void *user, uint32_t fd, const uint8_t *data, uint32_t len) {
  (void)user;
  (void)fd; /* stdout and stderr both go to the UART */
  uart_write(data, len);
  return (int32_t)len;
}
static int32_t wasi_clock(void *user, uint32_t id, uint64_t *ns) {
  (void)user;
  if (id != 1) return -1; /* no real-time clock on this board */
  *ns = (uint64_t)ms * 1000000u;
  return 0;
}
static int32_t wasi_random(void *user, uint8_t *buf, uint32_t len) {
  static uint32_t x = 2463534242u; /* a demo generator: use the MCU's TRNG in a product */
  (void)user;
  for (uint32_t i = 0; i < len; i++) { x ^= x << 13; x ^= x >> 17; x ^= x << 5; buf[i] = (uint8_t)x; }
  return 0;
}
static const xw_wasi_hooks wasi_hooks = { wasi_write, wasi_clock, wasi_random, 0, 0, 0, 1000000u };
static const char *const wasi_argv[] = { "app" };
static const xw_wasi_config wasi = { &wasi_hooks, wasi_argv, 1, 0, 0 };

/* ---- a host function by signature: "(i$)i" = int32 (int32, NUL-terminated string checked inside memory) ---- */
static int32_t host_scale(xw_exec_env *env, int32_t x, const char *why) {
  int32_t factor = *(const int32_t *)xw_native_attachment(env);
  puts_("[host] scale(");
  putd(x);
  puts_(") for \"");
  puts_(why);
  puts_("\"\n");
  return x * factor;
}
static const int32_t two = 2;
static const xw_native_symbol natives[] = {
  { "scale", (void *)(uintptr_t)host_scale, "(i$)i", (void *)(uintptr_t)&two },
};

static void check(xw_result r, const char *what) {
  if (r == XW_OK) return;
  puts_("error: ");
  puts_(what);
  puts_(": ");
  puts_(xw_result_name(r));
  puts_(": ");
  puts_(xw_last_message(&ctx));
  puts_("\n");
  semihost_exit(1);
}

int main(void) {
  UART0_BAUDDIV = 16u;
  UART0_CTRL = 1u; /* TX enable */
  SYST_RVR = CPU_HZ / 1000u - 1u;
  SYST_CVR = 0;
  SYST_CSR = 7u;   /* processor clock, interrupt, enable */

  xw_context_init(&ctx);
  check(xw_register_natives(&ctx, &env_natives, "env", natives, 1), "register natives");
  check(xw_load(&ctx, &mod, app_aot, (size_t)(app_aot_end - app_aot)), "load");
  size_t need;
  check(xw_instance_ram_size(&ctx, &mod, 1, &need), "ram size");
  puts_("image: ");
  putd((int32_t)(app_aot_end - app_aot));
  puts_(" bytes in flash at 0x");
  for (int s = 28; s >= 0; s -= 4) uart_write((const uint8_t *)&"0123456789abcdef"[((uintptr_t)app_aot >> s) & 15u], 1);
  puts_("; instance needs ");
  putd((int32_t)need);
  puts_(" bytes of RAM\n");

  xw_config cfg;
  memset(&cfg, 0, sizeof cfg);
  cfg.ram = arena;
  cfg.ram_size = sizeof arena;
  cfg.max_memory_pages = 1; /* the module asks for one 64 KiB page (-Wl,--initial-memory=65536) */
  cfg.wasi = &wasi;
  xw_instance *inst;
  check(xw_instantiate(&ctx, &inst, &mod, &cfg), "instantiate");

  /* 1. the WASI program: its printf output comes through fd_write */
  xw_result r = xw_call(inst, "_start", 0, 0, 0, 0);
  if (r == XW_ERR_EXIT) {
    puts_("_start exited with status ");
    putd(xw_exit_code(&ctx));
    puts_("\n");
  } else {
    check(r, "_start");
    puts_("_start returned\n");
  }

  /* 2. a runaway call, stopped by the timer 50 ms after it starts */
  running = inst;
  uint32_t t0 = ms;
  deadline = t0 + 50u;
  r = xw_call(inst, "runaway", 0, 0, 0, 0);
  deadline = 0;
  running = 0;
  if (r != XW_ERR_TRAP || xw_last_trap(&ctx) != XW_TRAP_INTERRUPTED) check(r == XW_OK ? XW_ERR_TRAP : r, "runaway was not interrupted");
  puts_("runaway: ");
  puts_(xw_last_message(&ctx));
  puts_(" after ");
  putd((int32_t)(ms - t0));
  puts_(" ms\n");

  /* 3. the instance is still usable */
  r = xw_call(inst, "_start", 0, 0, 0, 0);
  check(r == XW_ERR_EXIT ? XW_OK : r, "_start again");
  puts_("done\n");
  semihost_exit(0);
}

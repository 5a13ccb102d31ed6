/* PMP programming (machine mode, locked entries; boards/riscv/board_arch.h). */
#include "board.h"
#include "semihost.h"

#define PMP_R 0x01u
#define PMP_W 0x02u
#define PMP_X 0x04u
#define PMP_TOR 0x08u
#define PMP_NAPOT 0x18u
#define PMP_L 0x80u

static void pmp_fail(const char *what, uint32_t n) {
  out_str("F pmp ");
  out_str(what);
  out_str(" entry ");
  out_dec(n);
  out_end();
  sh_exit(4);
}

/* CSR numbers are immediates, so each pmpaddr<n> / pmpcfg<n> access is its own instruction. */
#define PMPADDR_CASE(k) case k: __asm__ volatile("csrw pmpaddr" #k ", %0" ::"r"(v)); __asm__ volatile("csrr %0, pmpaddr" #k : "=r"(r)); break;
static uint32_t write_addr(uint32_t n, uint32_t v) {
  uint32_t r = 0;
  switch (n) {
    PMPADDR_CASE(0) PMPADDR_CASE(1) PMPADDR_CASE(2) PMPADDR_CASE(3) PMPADDR_CASE(4) PMPADDR_CASE(5)
    PMPADDR_CASE(6) PMPADDR_CASE(7) PMPADDR_CASE(8) PMPADDR_CASE(9) PMPADDR_CASE(10) PMPADDR_CASE(11)
    PMPADDR_CASE(12) PMPADDR_CASE(13) PMPADDR_CASE(14) PMPADDR_CASE(15)
    default: pmp_fail("no such", n);
  }
  return r;
}

#define PMPCFG_CASE(k) case k: __asm__ volatile("csrr %0, pmpcfg" #k : "=r"(cfg)); \
  cfg = (cfg & ~(0xFFu << shift)) | ((uint32_t)bits << shift); __asm__ volatile("csrw pmpcfg" #k ", %0" ::"r"(cfg)); \
  __asm__ volatile("csrr %0, pmpcfg" #k : "=r"(cfg)); break;
static void write_cfg(uint32_t n, uint32_t bits) {
  uint32_t cfg = 0, shift = (n & 3u) * 8u;
  switch (n >> 2) {
    PMPCFG_CASE(0) PMPCFG_CASE(1) PMPCFG_CASE(2) PMPCFG_CASE(3)
    default: pmp_fail("no such", n);
  }
  if (((cfg >> shift) & 0xFFu) != bits) pmp_fail("unimplemented", n);
}

static uint32_t perms(pmp_kind kind) {
  switch (kind) {
    case PMP_CODE_RX: return PMP_R | PMP_X;
    case PMP_DATA_RW: return PMP_R | PMP_W;
    default: return 0;
  }
}

void pmp_napot(uint32_t n, uint32_t base, uint64_t size, pmp_kind kind) {
  if (size < 8u || size > 0x100000000ull || (size & (size - 1u)) != 0 || (base & (size - 1u)) != 0) pmp_fail("misaligned", n);
  /* pmpaddr holds address bits 33..2; NAPOT marks the size by trailing ones: base/4 | (size/8 - 1) */
  uint32_t a = (uint32_t)((base >> 2) | (uint32_t)((size >> 3) - 1u));
  if (write_addr(n, a) != a) pmp_fail("unimplemented", n);
  write_cfg(n, PMP_NAPOT | PMP_L | perms(kind));
}

void pmp_range(uint32_t n, uint32_t base, uint32_t top, pmp_kind kind) {
  if ((base & 3u) != 0 || (top & 3u) != 0 || top <= base) pmp_fail("misaligned", n);
  if (write_addr(n, base >> 2) != base >> 2) pmp_fail("unimplemented", n);
  write_cfg(n, PMP_L); /* OFF: only its address is used, as the bottom of the next entry */
  if (write_addr(n + 1u, top >> 2) != top >> 2) pmp_fail("unimplemented", n + 1u);
  write_cfg(n + 1u, PMP_TOR | PMP_L | perms(kind));
}

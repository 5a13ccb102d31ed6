/* MPU programming for both architectures the boards use. */
#include "board.h"
#include "semihost.h"

#define REG(addr) (*(volatile uint32_t *)(addr))
#define MPU_CTRL REG(0xE000ED94u)
#define MPU_RNR REG(0xE000ED98u)
#define MPU_RBAR REG(0xE000ED9Cu)
#define MPU_RASR_RLAR REG(0xE000EDA0u)
#define SCB_SHCSR REG(0xE000ED24u)

static void mpu_fail(const char *what, uint32_t n) {
  out_str("F mpu ");
  out_str(what);
  out_str(" region ");
  out_dec(n);
  out_end();
  sh_exit(4);
}

#if __ARM_ARCH >= 8
/* PMSAv8: RBAR = base | SH | AP | XN, RLAR = limit | AttrIndx | EN; MAIR0 attr 0 = normal memory. */
#define MPU_MAIR0 REG(0xE000EDC0u)

void mpu_region(uint32_t n, uint32_t base, uint32_t size, mpu_kind kind) {
  if ((base & 31u) != 0 || (size & 31u) != 0 || size == 0) mpu_fail("misaligned", n);
  uint32_t ap, xn;
  switch (kind) {
  case MPU_CODE_RO: ap = 3u; xn = 0u; break;   /* RO, any privilege */
  case MPU_DATA_RW: ap = 1u; xn = 1u; break;   /* RW, any privilege */
  case MPU_DATA_RO: ap = 3u; xn = 1u; break;
  default: ap = 2u; xn = 1u; break;           /* PMSAv8 has no no-access AP: privileged RO, XN */
  }
  MPU_MAIR0 = 0x000000FFu;
  MPU_RNR = n;
  MPU_RBAR = base | (ap << 1) | xn;
  MPU_RASR_RLAR = ((base + size - 32u) & ~31u) | 1u; /* AttrIndx 0 */
}
#else
/* PMSAv7: RASR = XN | AP | TEX/S/C/B | SIZE | EN. */
void mpu_region(uint32_t n, uint32_t base, uint32_t size, mpu_kind kind) {
  uint32_t log2 = 0;
  while (log2 < 32 && (1u << log2) < size) log2++;
  if (log2 < 5 || (1u << log2) != size || (base & (size - 1u)) != 0) mpu_fail("misaligned", n);
  uint32_t ap, xn;
  switch (kind) {
  case MPU_CODE_RO: ap = 6u; xn = 0u; break;
  case MPU_DATA_RW: ap = 3u; xn = 1u; break;
  case MPU_DATA_RO: ap = 6u; xn = 1u; break;
  default: ap = 0u; xn = 1u; break;
  }
  MPU_RNR = n;
  MPU_RBAR = base;
  /* TEX=1 C=0 B=0: normal, non-cacheable; S=1. */
  MPU_RASR_RLAR = (xn << 28) | (ap << 24) | (1u << 19) | (1u << 18) | ((log2 - 1u) << 1) | 1u;
}
#endif

void mpu_enable(void) {
  fault_enable_handlers();
  MPU_CTRL = (1u << 2) | 1u; /* PRIVDEFENA | ENABLE */
  __asm__ volatile("dsb\n\tisb" ::: "memory");
}

/*
 * Bit counts and integer arithmetic with WebAssembly semantics (docs/intrinsics.md).
 *
 * Division and remainder check their operands and trap like the Wasm operators
 * (divide by zero; INT_MIN / -1 for div_s), so no C undefined behaviour is reached.
 * Shift counts are taken modulo 64 as in Wasm (WAMR shifts by the raw count, which is
 * undefined in C for counts >= 64). The 64-bit division itself is C's, i.e. libgcc's
 * __aeabi_uldivmod / __aeabi_ldivmod on Cortex-M.
 */
#include "intrinsics.h"

/* ---- clz / ctz / popcnt (portable: Cortex-M0 has no CLZ) ---- */

uint32_t aot_intrinsic_clz_i32(uint32_t a)
{
  uint32_t n = 0;
  if (a == 0) return 32;
  if (!(a & 0xffff0000u)) { n += 16; a <<= 16; }
  if (!(a & 0xff000000u)) { n += 8; a <<= 8; }
  if (!(a & 0xf0000000u)) { n += 4; a <<= 4; }
  if (!(a & 0xc0000000u)) { n += 2; a <<= 2; }
  if (!(a & 0x80000000u)) { n += 1; }
  return n;
}

uint64_t aot_intrinsic_clz_i64(uint64_t a)
{
  uint32_t hi = (uint32_t)(a >> 32);
  return hi != 0 ? aot_intrinsic_clz_i32(hi) : 32u + aot_intrinsic_clz_i32((uint32_t)a);
}

uint32_t aot_intrinsic_ctz_i32(uint32_t a)
{
  uint32_t n = 0;
  if (a == 0) return 32;
  if (!(a & 0xffffu)) { n += 16; a >>= 16; }
  if (!(a & 0xffu)) { n += 8; a >>= 8; }
  if (!(a & 0xfu)) { n += 4; a >>= 4; }
  if (!(a & 0x3u)) { n += 2; a >>= 2; }
  if (!(a & 0x1u)) { n += 1; }
  return n;
}

uint64_t aot_intrinsic_ctz_i64(uint64_t a)
{
  uint32_t lo = (uint32_t)a;
  return lo != 0 ? aot_intrinsic_ctz_i32(lo) : 32u + aot_intrinsic_ctz_i32((uint32_t)(a >> 32));
}

uint32_t aot_intrinsic_popcnt_i32(uint32_t a)
{
  a = a - ((a >> 1) & 0x55555555u);
  a = (a & 0x33333333u) + ((a >> 2) & 0x33333333u);
  a = (a + (a >> 4)) & 0x0f0f0f0fu;
  return (a * 0x01010101u) >> 24;
}

uint64_t aot_intrinsic_popcnt_i64(uint64_t a)
{
  return aot_intrinsic_popcnt_i32((uint32_t)a) + aot_intrinsic_popcnt_i32((uint32_t)(a >> 32));
}

/* ---- division ---- */

int32_t aot_intrinsic_i32_div_s(int32_t l, int32_t r)
{
  if (r == 0) xw_intrinsic_trap(XW_INTRINSIC_TRAP_DIV_BY_ZERO);
  if (l == INT32_MIN && r == -1) xw_intrinsic_trap(XW_INTRINSIC_TRAP_INTEGER_OVERFLOW);
  return l / r;
}

uint32_t aot_intrinsic_i32_div_u(uint32_t l, uint32_t r)
{
  if (r == 0) xw_intrinsic_trap(XW_INTRINSIC_TRAP_DIV_BY_ZERO);
  return l / r;
}

int32_t aot_intrinsic_i32_rem_s(int32_t l, int32_t r)
{
  if (r == 0) xw_intrinsic_trap(XW_INTRINSIC_TRAP_DIV_BY_ZERO);
  /* INT_MIN % -1 is 0 in Wasm but overflows in C */
  if (r == -1) return 0;
  return l % r;
}

uint32_t aot_intrinsic_i32_rem_u(uint32_t l, uint32_t r)
{
  if (r == 0) xw_intrinsic_trap(XW_INTRINSIC_TRAP_DIV_BY_ZERO);
  return l % r;
}

int64_t aot_intrinsic_i64_div_s(int64_t l, int64_t r)
{
  if (r == 0) xw_intrinsic_trap(XW_INTRINSIC_TRAP_DIV_BY_ZERO);
  if (l == INT64_MIN && r == -1) xw_intrinsic_trap(XW_INTRINSIC_TRAP_INTEGER_OVERFLOW);
  return l / r;
}

uint64_t aot_intrinsic_i64_div_u(uint64_t l, uint64_t r)
{
  if (r == 0) xw_intrinsic_trap(XW_INTRINSIC_TRAP_DIV_BY_ZERO);
  return l / r;
}

int64_t aot_intrinsic_i64_rem_s(int64_t l, int64_t r)
{
  if (r == 0) xw_intrinsic_trap(XW_INTRINSIC_TRAP_DIV_BY_ZERO);
  if (r == -1) return 0;
  return l % r;
}

uint64_t aot_intrinsic_i64_rem_u(uint64_t l, uint64_t r)
{
  if (r == 0) xw_intrinsic_trap(XW_INTRINSIC_TRAP_DIV_BY_ZERO);
  return l % r;
}

/* ---- i64 bit operations, multiply and shifts ---- */

uint64_t aot_intrinsic_i64_bit_or(uint64_t l, uint64_t r) { return l | r; }
uint64_t aot_intrinsic_i64_bit_and(uint64_t l, uint64_t r) { return l & r; }
uint64_t aot_intrinsic_i64_mul(uint64_t l, uint64_t r) { return l * r; }
uint64_t aot_intrinsic_i64_shl(uint64_t l, uint64_t r) { return l << (r & 63u); }
uint64_t aot_intrinsic_i64_shr_u(uint64_t l, uint64_t r) { return l >> (r & 63u); }

uint64_t aot_intrinsic_i64_shr_s(uint64_t l, uint64_t r)
{
  /* written without >> on a negative value, whose result C leaves to the implementation */
  uint32_t n = (uint32_t)(r & 63u);
  uint64_t shifted = l >> n;
  if ((l & 0x8000000000000000ull) && n != 0) shifted |= ~0ull << (64u - n);
  return shifted;
}

/*
 * Conversions between integers and floats, and between f32 and f64, with
 * WebAssembly semantics (docs/intrinsics.md), on the bits. Where XW_LIBGCC_FLOAT
 * (intrinsics.h), int -> float, promote and demote are libgcc's routines instead,
 * which give the same results (the intrinsics test checks them against V8).
 *
 * Integer -> float rounds to nearest, ties to even. Float -> integer truncates
 * toward zero; the aot_intrinsic_* versions trap on NaN (invalid conversion) and on
 * a result outside the integer type (integer overflow), the xw_intrinsic_*_sat
 * versions saturate (NaN gives 0). Promote and demote keep NaN payloads, quieted.
 */
#include "intrinsics.h"

#if !XW_LIBGCC_FLOAT
/* v / 2^s rounded to nearest, ties to even; v < 2^63 when s >= 64. */
static uint64_t rne_shift(uint64_t v, uint32_t s)
{
  uint64_t q, rest, half;
  if (s == 0) return v;
  if (s >= 64u) return 0;
  q = v >> s;
  rest = v & ((1ull << s) - 1u);
  half = 1ull << (s - 1u);
  if (rest > half || (rest == half && (q & 1u))) q++;
  return q;
}
#endif

/* ---- integer -> float (libgcc's routines where XW_LIBGCC_FLOAT, see intrinsics.h) ---- */

#if !XW_LIBGCC_FLOAT

/* Bits of the f32 nearest to v (positive; the caller adds the sign). */
static uint32_t u64_to_f32_bits(uint64_t v)
{
  uint32_t msb;
  uint64_t mant;
  if (v == 0) return 0;
  msb = 63u - aot_intrinsic_clz_i64(v);
  if (msb <= 23u) {
    mant = v << (23u - msb);
  } else {
    mant = rne_shift(v, msb - 23u);
    if (mant == (1ull << 24)) { mant >>= 1; msb++; }
  }
  return ((msb + 127u) << 23) | ((uint32_t)mant & 0x7fffffu);
}

#if !XW_LIBGCC_F64
static uint64_t u64_to_f64_bits(uint64_t v)
{
  uint32_t msb;
  uint64_t mant;
  if (v == 0) return 0;
  msb = 63u - aot_intrinsic_clz_i64(v);
  if (msb <= 52u) {
    mant = v << (52u - msb);
  } else {
    mant = rne_shift(v, msb - 52u);
    if (mant == (1ull << 53)) { mant >>= 1; msb++; }
  }
  return ((uint64_t)(msb + 1023u) << 52) | (mant & 0xfffffffffffffull);
}
#endif

/* |i| as unsigned, also for INT64_MIN */
static uint64_t magnitude64(int64_t i) { return i < 0 ? 0u - (uint64_t)i : (uint64_t)i; }

float aot_intrinsic_i32_to_f32(int32_t i)
{
  return xw_f32_from_bits(u64_to_f32_bits(magnitude64(i)) | (i < 0 ? XW_F32_SIGN : 0u));
}

float aot_intrinsic_u32_to_f32(uint32_t u) { return xw_f32_from_bits(u64_to_f32_bits(u)); }

#if !XW_LIBGCC_F64
double aot_intrinsic_i32_to_f64(int32_t i)
{
  return xw_f64_from_bits(u64_to_f64_bits(magnitude64(i)) | (i < 0 ? XW_F64_SIGN : 0u));
}

double aot_intrinsic_u32_to_f64(uint32_t u) { return xw_f64_from_bits(u64_to_f64_bits(u)); }
#endif

float aot_intrinsic_i64_to_f32(int64_t i)
{
  return xw_f32_from_bits(u64_to_f32_bits(magnitude64(i)) | (i < 0 ? XW_F32_SIGN : 0u));
}

float aot_intrinsic_u64_to_f32(uint64_t u) { return xw_f32_from_bits(u64_to_f32_bits(u)); }

#if !XW_LIBGCC_F64
double aot_intrinsic_i64_to_f64(int64_t i)
{
  return xw_f64_from_bits(u64_to_f64_bits(magnitude64(i)) | (i < 0 ? XW_F64_SIGN : 0u));
}

double aot_intrinsic_u64_to_f64(uint64_t u) { return xw_f64_from_bits(u64_to_f64_bits(u)); }
#endif
#endif


/* ---- float -> integer ---- */

/* What truncating a float gave: NaN, a magnitude of 2^64 or more, or `mag`. */
typedef struct {
  int nan;
  int neg;
  int huge;
  uint64_t mag;
} trunc_parts;

static trunc_parts f32_trunc_parts(uint32_t u)
{
  trunc_parts p;
  uint32_t e = (u >> 23) & 0xffu, m;
  p.nan = xw_f32_is_nan(u);
  p.neg = (u & XW_F32_SIGN) != 0;
  p.huge = 0;
  p.mag = 0;
  if (p.nan || e < 127u) return p; /* NaN, or |x| < 1 which truncates to 0 */
  if (e - 127u >= 64u) { p.huge = 1; return p; } /* also inf */
  m = (u & 0x7fffffu) | 0x800000u;
  p.mag = e - 127u >= 23u ? (uint64_t)m << (e - 127u - 23u) : (uint64_t)(m >> (23u - (e - 127u)));
  return p;
}

static trunc_parts f64_trunc_parts(uint64_t u)
{
  trunc_parts p;
  uint32_t e = (uint32_t)(u >> 52) & 0x7ffu;
  uint64_t m;
  p.nan = xw_f64_is_nan(u);
  p.neg = (u & XW_F64_SIGN) != 0;
  p.huge = 0;
  p.mag = 0;
  if (p.nan || e < 1023u) return p;
  if (e - 1023u >= 64u) { p.huge = 1; return p; }
  m = (u & 0xfffffffffffffull) | 0x10000000000000ull;
  p.mag = e - 1023u >= 52u ? m << (e - 1023u - 52u) : m >> (52u - (e - 1023u));
  return p;
}

/*
 * The integer (two's complement, 64 bits) for an integer type whose largest value has
 * magnitude pos_max and whose smallest has magnitude neg_max. Out of range traps or,
 * with `sat`, clamps.
 */
static uint64_t trunc_finish(trunc_parts p, uint64_t pos_max, uint64_t neg_max, int sat)
{
  uint64_t mag = p.mag;
  if (p.nan) {
    if (!sat) xw_intrinsic_trap(XW_INTRINSIC_TRAP_INVALID_CONVERSION);
    return 0;
  }
  if (p.huge || mag > (p.neg ? neg_max : pos_max)) {
    if (!sat) xw_intrinsic_trap(XW_INTRINSIC_TRAP_INTEGER_OVERFLOW);
    mag = p.neg ? neg_max : pos_max;
  }
  return p.neg ? 0u - mag : mag;
}

#define I32_LIMITS 0x7fffffffull, 0x80000000ull
#define U32_LIMITS 0xffffffffull, 0ull
#define I64_LIMITS 0x7fffffffffffffffull, 0x8000000000000000ull
#define U64_LIMITS 0xffffffffffffffffull, 0ull

/* The narrowing casts below rely on GCC/Clang's modulo conversion to signed types. */
#define F32_TRUNC(x, limits, sat) trunc_finish(f32_trunc_parts(xw_f32_to_bits(x)), limits, sat)
#define F64_TRUNC(x, limits, sat) trunc_finish(f64_trunc_parts(xw_f64_to_bits(x)), limits, sat)

#if XW_LIBGCC_FLOAT && defined(__thumb2__)
/*
 * Thumb-2, soft-float ABI: the common case (|x| >= 1 and the result in range) and |x| < 1 in
 * assembly, the rest (traps, INT32_MIN, negative zero-results of the unsigned ones) by the C
 * functions below under xw_*_slow names. In range means one unsigned comparison of the operand's
 * top word, biased by 1.0's, against the range's width.
 */
#define XW_TRUNC32(name) xw_##name##_slow
int32_t xw_f32_to_i32_slow(float f);
uint32_t xw_f32_to_u32_slow(float f);
int32_t xw_f64_to_i32_slow(double f);
uint32_t xw_f64_to_u32_slow(double f);
__asm__(
  "  .pushsection .text.aot_intrinsic_trunc32,\"ax\",%progbits\n"
  "  .syntax unified\n"
  "  .thumb\n"
  "  .p2align 1\n"
  "  .global aot_intrinsic_f32_to_i32\n"
  "  .type aot_intrinsic_f32_to_i32, %function\n"
  "  .thumb_func\n"
  "aot_intrinsic_f32_to_i32:\n"
  "  lsls r1, r0, #1\n"
  "  subs r1, r1, #0x7f000000\n" /* (e - 127) << 24 | fraction << 1; borrow: |x| < 1 */
  "  bcc 1f\n"
  "  cmp r1, #0x1f000000\n" /* e - 127 >= 31 */
  "  bhs.w xw_f32_to_i32_slow\n"
  "  lsrs r1, r1, #24\n"
  "  rsb r1, r1, #31\n"
  "  lsls r2, r0, #8\n"
  "  orr r2, r2, #0x80000000\n"
  "  lsrs r2, r2, r1\n"
  "  eor r2, r2, r0, asr #31\n" /* negate when negative */
  "  sub r0, r2, r0, asr #31\n"
  "  bx lr\n"
  "1:movs r0, #0\n"
  "  bx lr\n"
  "  .size aot_intrinsic_f32_to_i32, . - aot_intrinsic_f32_to_i32\n"
  "  .p2align 1\n"
  "  .global aot_intrinsic_f32_to_u32\n"
  "  .type aot_intrinsic_f32_to_u32, %function\n"
  "  .thumb_func\n"
  "aot_intrinsic_f32_to_u32:\n"
  "  subs r1, r0, #0x3f800000\n" /* borrow: 0 <= x < 1; negative operands wrap outside the range */
  "  bcc 2f\n"
  "  cmp r1, #0x10000000\n" /* e - 127 < 32 */
  "  bhs 1f\n"
  "  lsrs r1, r1, #23\n"
  "  rsb r1, r1, #31\n"
  "  lsls r2, r0, #8\n"
  "  orr r2, r2, #0x80000000\n"
  "  lsr r0, r2, r1\n"
  "  bx lr\n"
  "1:lsls r1, r0, #1\n" /* |x| < 1, either sign: 0 */
  "  cmp r1, #0x7f000000\n"
  "  bhs.w xw_f32_to_u32_slow\n"
  "2:movs r0, #0\n"
  "  bx lr\n"
  "  .size aot_intrinsic_f32_to_u32, . - aot_intrinsic_f32_to_u32\n"
  "  .p2align 1\n"
  "  .global aot_intrinsic_f64_to_i32\n"
  "  .type aot_intrinsic_f64_to_i32, %function\n"
  "  .thumb_func\n"
  "aot_intrinsic_f64_to_i32:\n" /* r0 lo, r1 hi */
  "  ubfx r2, r1, #20, #11\n"
  "  subw r2, r2, #1023\n"
  "  cmp r2, #31\n"
  "  bhs 1f\n"
  "  rsb r2, r2, #31\n"
  "  lsls r3, r1, #11\n"
  "  orr r3, r3, r0, lsr #21\n"
  "  orr r3, r3, #0x80000000\n"
  "  lsrs r3, r3, r2\n"
  "  eor r3, r3, r1, asr #31\n"
  "  sub r0, r3, r1, asr #31\n"
  "  bx lr\n"
  "1:cmp r2, #0\n"
  "  itt lt\n"
  "  movlt r0, #0\n"
  "  bxlt lr\n"
  "  b.w xw_f64_to_i32_slow\n"
  "  .size aot_intrinsic_f64_to_i32, . - aot_intrinsic_f64_to_i32\n"
  "  .p2align 1\n"
  "  .global aot_intrinsic_f64_to_u32\n"
  "  .type aot_intrinsic_f64_to_u32, %function\n"
  "  .thumb_func\n"
  "aot_intrinsic_f64_to_u32:\n"
  "  ubfx r2, r1, #20, #11\n"
  "  subw r2, r2, #1023\n"
  "  cmp r2, #32\n"
  "  bhs 1f\n"
  "  cmp r1, #0\n" /* x <= -1 */
  "  blt.w xw_f64_to_u32_slow\n"
  "  rsb r2, r2, #31\n"
  "  lsls r3, r1, #11\n"
  "  orr r3, r3, r0, lsr #21\n"
  "  orr r3, r3, #0x80000000\n"
  "  lsr r0, r3, r2\n"
  "  bx lr\n"
  "1:cmp r2, #0\n"
  "  itt lt\n"
  "  movlt r0, #0\n"
  "  bxlt lr\n"
  "  b.w xw_f64_to_u32_slow\n"
  "  .size aot_intrinsic_f64_to_u32, . - aot_intrinsic_f64_to_u32\n"
  "  .popsection\n");
#else
#define XW_TRUNC32(name) aot_intrinsic_##name
#endif

/*
 * The trapping conversions to 32 bits, on 32-bit words: the integer part of 1.m * 2^k (0 <= k <= 31) is the
 * significand with its implicit bit at bit 31, shifted right by 31 - k.
 */
static XW_NORETURN void trunc_trap(int nan)
{
  xw_intrinsic_trap(nan ? XW_INTRINSIC_TRAP_INVALID_CONVERSION : XW_INTRINSIC_TRAP_INTEGER_OVERFLOW);
}

int32_t XW_TRUNC32(f32_to_i32)(float f)
{
  uint32_t u = xw_f32_to_bits(f), e = (u >> 23) & 0xffu, m;
  if (e < 127u) return 0; /* |x| < 1 */
  if (e >= 127u + 31u) {
    if (u == 0xcf000000u) return INT32_MIN; /* -2^31 */
    trunc_trap(xw_f32_is_nan(u));
  }
  m = ((u << 8) | 0x80000000u) >> (127u + 31u - e);
  return (u & XW_F32_SIGN) ? -(int32_t)m : (int32_t)m;
}

uint32_t XW_TRUNC32(f32_to_u32)(float f)
{
  uint32_t u = xw_f32_to_bits(f), e = (u >> 23) & 0xffu;
  if (e < 127u) return 0; /* |x| < 1, also -0.9 */
  if ((u & XW_F32_SIGN) || e >= 127u + 32u) trunc_trap(xw_f32_is_nan(u));
  return ((u << 8) | 0x80000000u) >> (127u + 31u - e);
}
/* The f64 significand's top 32 bits, implicit bit at bit 31 (the bits below cannot reach a 32-bit integer). */
static uint32_t f64_top32(uint32_t hi, uint32_t lo) { return (hi << 11) | (lo >> 21) | 0x80000000u; }

int32_t XW_TRUNC32(f64_to_i32)(double f)
{
  uint64_t u = xw_f64_to_bits(f);
  uint32_t hi = (uint32_t)(u >> 32), lo = (uint32_t)u, e = (hi >> 20) & 0x7ffu, m;
  if (e < 1023u) return 0;
  if (e >= 1023u + 31u) {
    /* -2^31 - f with 0 <= f < 1 truncates to INT32_MIN: no fraction bit of weight 1 or more */
    if (hi == 0xc1e00000u && lo < (1u << 21)) return INT32_MIN;
    trunc_trap(xw_f64_is_nan(u));
  }
  m = f64_top32(hi, lo) >> (1023u + 31u - e);
  return (hi & XW_F32_SIGN) ? -(int32_t)m : (int32_t)m;
}

uint32_t XW_TRUNC32(f64_to_u32)(double f)
{
  uint64_t u = xw_f64_to_bits(f);
  uint32_t hi = (uint32_t)(u >> 32), lo = (uint32_t)u, e = (hi >> 20) & 0x7ffu;
  if (e < 1023u) return 0;
  if ((hi & XW_F32_SIGN) || e >= 1023u + 32u) trunc_trap(xw_f64_is_nan(u));
  return f64_top32(hi, lo) >> (1023u + 31u - e);
}
#if XW_LIBGCC_FLOAT && defined(__riscv)
/*
 * RV32 without F: the trapping conversions to 64 bits when |x| < 2^63 in assembly (about 55-70% of libgcc's
 * __fixsfdi/__fixdfdi, which neither trap nor check), the rest (traps, INT64_MIN, 2^63 <= x < 2^64 for the unsigned
 * ones) by the C functions below under xw_*_slow names. The significand with its implicit bit at bit 31 (f64: a
 * 64-bit one, its top word so) is shifted right by 63 - k as a pair, k the unbiased exponent; negative results are
 * negated as a pair.
 */
#define XW_TRUNC64(name) xw_##name##_slow
int64_t xw_f32_to_i64_slow(float f);
uint64_t xw_f32_to_u64_slow(float f);
int64_t xw_f64_to_i64_slow(double f);
uint64_t xw_f64_to_u64_slow(double f);
__asm__(
  "  .pushsection .text.aot_intrinsic_trunc64,\"ax\",@progbits\n"
  /* f32 (a0): k in t0 (0..62), the significand in t2 with its implicit bit at 31; a0 < 0 negates */
  "  .macro xw_f32_trunc64 slow\n"
  "  li t1, 63\n"
  "  bgeu t0, t1, 9f\n"
  "  slli t2, a0, 8\n"
  "  lui t3, 0x80000\n"
  "  or t2, t2, t3\n"
  "  li t1, 31\n"
  "  bgeu t0, t1, 1f\n"
  "  sub t1, t1, t0\n" /* k < 31: the low word alone */
  "  srl t2, t2, t1\n"
  "  li a1, 0\n"
  "  bltz a0, 2f\n"
  "  mv a0, t2\n"
  "  ret\n"
  "2:neg a0, t2\n"
  "  snez a1, t2\n"
  "  neg a1, a1\n"
  "  ret\n"
  "1:addi t1, t0, -31\n" /* 31 <= k <= 62: hi = m >> (63 - k), lo = m << (k - 31) */
  "  sll t3, t2, t1\n"
  "  srli t2, t2, 1\n"
  "  li t1, 62\n"
  "  sub t1, t1, t0\n"
  "  srl a1, t2, t1\n"
  "  bltz a0, 3f\n"
  "  mv a0, t3\n"
  "  ret\n"
  "3:snez t1, t3\n"
  "  neg a0, t3\n"
  "  neg a1, a1\n"
  "  sub a1, a1, t1\n"
  "  ret\n"
  "9:tail \\slow\n"
  "  .endm\n"
  /* f64 (a0 lo, a1 hi): the same with the significand's top word in t2 and its low bits from a0 */
  "  .macro xw_f64_trunc64 slow\n"
  "  li t1, 63\n"
  "  bgeu t0, t1, 9f\n"
  "  slli t2, a1, 11\n"
  "  srli t3, a0, 21\n"
  "  or t2, t2, t3\n"
  "  lui t3, 0x80000\n"
  "  or t2, t2, t3\n"
  "  li t1, 31\n"
  "  bgeu t0, t1, 1f\n"
  "  sub t1, t1, t0\n"
  "  srl t2, t2, t1\n"
  "  bltz a1, 2f\n"
  "  mv a0, t2\n"
  "  li a1, 0\n"
  "  ret\n"
  "2:neg a0, t2\n"
  "  snez a1, t2\n"
  "  neg a1, a1\n"
  "  ret\n"
  "1:addi t1, t0, -31\n" /* u = k - 31: hi = m_hi >> (32 - u), lo = m_hi << u | m_lo >> (32 - u) */
  "  sll t4, t2, t1\n"
  "  slli t5, a0, 11\n"
  "  srli t5, t5, 1\n"
  "  li t3, 62\n"
  "  sub t3, t3, t0\n"
  "  srl t5, t5, t3\n"
  "  or t4, t4, t5\n"
  "  srli t2, t2, 1\n"
  "  srl t2, t2, t3\n"
  "  bltz a1, 3f\n"
  "  mv a0, t4\n"
  "  mv a1, t2\n"
  "  ret\n"
  "3:snez t1, t4\n"
  "  neg a0, t4\n"
  "  neg a1, t2\n"
  "  sub a1, a1, t1\n"
  "  ret\n"
  "9:tail \\slow\n"
  "  .endm\n"
  "  .p2align 1\n"
  ".Lxw_rv_zero64:\n"
  "  li a0, 0\n"
  "  li a1, 0\n"
  "  ret\n"
  "  .globl aot_intrinsic_f32_to_i64\n"
  "  .type aot_intrinsic_f32_to_i64, @function\n"
  "aot_intrinsic_f32_to_i64:\n"
  "  slli t0, a0, 1\n"
  "  srli t0, t0, 24\n"
  "  addi t0, t0, -127\n"
  "  bltz t0, .Lxw_rv_zero64\n" /* |x| < 1 */
  "  xw_f32_trunc64 xw_f32_to_i64_slow\n"
  "  .size aot_intrinsic_f32_to_i64, . - aot_intrinsic_f32_to_i64\n"
  "  .globl aot_intrinsic_f32_to_u64\n"
  "  .type aot_intrinsic_f32_to_u64, @function\n"
  "aot_intrinsic_f32_to_u64:\n"
  "  slli t0, a0, 1\n"
  "  srli t0, t0, 24\n"
  "  addi t0, t0, -127\n"
  "  bltz t0, .Lxw_rv_zero64\n"
  "  bltz a0, .Lxw_f32_to_u64_neg\n" /* x <= -1 (or -NaN): traps */
  "  xw_f32_trunc64 xw_f32_to_u64_slow\n"
  ".Lxw_f32_to_u64_neg:\n"
  "  tail xw_f32_to_u64_slow\n"
  "  .size aot_intrinsic_f32_to_u64, . - aot_intrinsic_f32_to_u64\n"
  "  .globl aot_intrinsic_f64_to_i64\n"
  "  .type aot_intrinsic_f64_to_i64, @function\n"
  "aot_intrinsic_f64_to_i64:\n"
  "  slli t0, a1, 1\n"
  "  srli t0, t0, 21\n"
  "  addi t0, t0, -1023\n"
  "  bltz t0, .Lxw_rv_zero64\n"
  "  xw_f64_trunc64 xw_f64_to_i64_slow\n"
  "  .size aot_intrinsic_f64_to_i64, . - aot_intrinsic_f64_to_i64\n"
  "  .globl aot_intrinsic_f64_to_u64\n"
  "  .type aot_intrinsic_f64_to_u64, @function\n"
  "aot_intrinsic_f64_to_u64:\n"
  "  slli t0, a1, 1\n"
  "  srli t0, t0, 21\n"
  "  addi t0, t0, -1023\n"
  "  bltz t0, .Lxw_rv_zero64\n"
  "  bltz a1, .Lxw_f64_to_u64_neg\n"
  "  xw_f64_trunc64 xw_f64_to_u64_slow\n"
  ".Lxw_f64_to_u64_neg:\n"
  "  tail xw_f64_to_u64_slow\n"
  "  .size aot_intrinsic_f64_to_u64, . - aot_intrinsic_f64_to_u64\n"
  "  .purgem xw_f32_trunc64\n"
  "  .purgem xw_f64_trunc64\n"
  "  .popsection\n");
#else
#define XW_TRUNC64(name) aot_intrinsic_##name
#endif

int64_t XW_TRUNC64(f32_to_i64)(float f) { return (int64_t)F32_TRUNC(f, I64_LIMITS, 0); }
uint64_t XW_TRUNC64(f32_to_u64)(float f) { return F32_TRUNC(f, U64_LIMITS, 0); }
int64_t XW_TRUNC64(f64_to_i64)(double f) { return (int64_t)F64_TRUNC(f, I64_LIMITS, 0); }
uint64_t XW_TRUNC64(f64_to_u64)(double f) { return F64_TRUNC(f, U64_LIMITS, 0); }

int32_t xw_intrinsic_f32_to_i32_sat(float f) { return (int32_t)(uint32_t)F32_TRUNC(f, I32_LIMITS, 1); }
uint32_t xw_intrinsic_f32_to_u32_sat(float f) { return (uint32_t)F32_TRUNC(f, U32_LIMITS, 1); }
int64_t xw_intrinsic_f32_to_i64_sat(float f) { return (int64_t)F32_TRUNC(f, I64_LIMITS, 1); }
uint64_t xw_intrinsic_f32_to_u64_sat(float f) { return F32_TRUNC(f, U64_LIMITS, 1); }
int32_t xw_intrinsic_f64_to_i32_sat(double f) { return (int32_t)(uint32_t)F64_TRUNC(f, I32_LIMITS, 1); }
uint32_t xw_intrinsic_f64_to_u32_sat(double f) { return (uint32_t)F64_TRUNC(f, U32_LIMITS, 1); }
int64_t xw_intrinsic_f64_to_i64_sat(double f) { return (int64_t)F64_TRUNC(f, I64_LIMITS, 1); }
uint64_t xw_intrinsic_f64_to_u64_sat(double f) { return F64_TRUNC(f, U64_LIMITS, 1); }

/* ---- f32 <-> f64 (libgcc's __aeabi_f2d / __aeabi_d2f, or RV32's __truncdfsf2, where XW_LIBGCC_FLOAT) ---- */

/* RISC-V libgcc's __extendsfdf2 takes 28 instructions for the 18 of this (docs/performance.md) */
#if !XW_LIBGCC_FLOAT || defined(__riscv)
double aot_intrinsic_f32_to_f64(float f)
{
  uint32_t u = xw_f32_to_bits(f);
  uint64_t sign = (uint64_t)(u & XW_F32_SIGN) << 32;
  uint32_t e = (u >> 23) & 0xffu, m = u & 0x7fffffu;
  int32_t ex;

  if (e == 0xffu) {
    /* inf, or NaN with its payload moved to the top of the f64 fraction, quieted */
    return xw_f64_from_bits(sign | XW_F64_EXP | ((uint64_t)m << 29) | (m ? XW_F64_QUIET : 0u));
  }
  if (e == 0) {
    if (m == 0) return xw_f64_from_bits(sign);
    /* subnormal f32: normal in f64 */
    ex = 1;
    while (!(m & 0x800000u)) { m <<= 1; ex--; }
    m &= 0x7fffffu;
  } else {
    ex = (int32_t)e;
  }
  return xw_f64_from_bits(sign | ((uint64_t)(ex - 127 + 1023) << 52) | ((uint64_t)m << 29));
}
#endif

#if !XW_LIBGCC_FLOAT && !XW_LIBGCC_F64

float aot_intrinsic_f64_to_f32(double f)
{
  uint64_t u = xw_f64_to_bits(f);
  uint32_t sign = (uint32_t)(u >> 32) & XW_F32_SIGN;
  uint32_t e = (uint32_t)(u >> 52) & 0x7ffu;
  uint64_t m = u & 0xfffffffffffffull, sig, mant;
  int32_t ex;

  if (e == 0x7ffu) {
    if (m == 0) return xw_f32_from_bits(sign | XW_F32_EXP);
    return xw_f32_from_bits(sign | XW_F32_EXP | XW_F32_QUIET | (uint32_t)(m >> 29));
  }
  /* f64 zeros and subnormals are far below half the smallest f32 subnormal */
  if (e == 0) return xw_f32_from_bits(sign);
  ex = (int32_t)e - 1023; /* |x| = sig * 2^(ex - 52) */
  sig = m | 0x10000000000000ull;
  if (ex > 127) return xw_f32_from_bits(sign | XW_F32_EXP);
  if (ex >= -126) {
    mant = rne_shift(sig, 29);
    if (mant == (1ull << 24)) { mant >>= 1; ex++; }
    if (ex > 127) return xw_f32_from_bits(sign | XW_F32_EXP);
    return xw_f32_from_bits(sign | ((uint32_t)(ex + 127) << 23) | ((uint32_t)mant & 0x7fffffu));
  }
  /* subnormal result: |x| / 2^-149 rounded; rounding up to 2^23 gives the smallest normal */
  mant = rne_shift(sig, (uint32_t)(-ex - 97));
  return xw_f32_from_bits(sign | (uint32_t)mant);
}
#endif

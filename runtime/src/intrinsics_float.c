/*
 * f32/f64 arithmetic, rounding, square root, min/max, sign operations and
 * comparisons with WebAssembly semantics (docs/intrinsics.md).
 *
 * + - * /: on an FPU-less Arm core with the soft-float ABI (XW_LIBGCC_FLOAT, intrinsics.h) these
 * are libgcc's routines themselves, whose results and NaNs are what Wasm allows, except f64 + and -
 * on Thumb-2 and Arm: libgcc's __aeabi_dadd there (ieee754-df.S, GCC 12.2) rounds an effective
 * subtraction with an exponent difference of exactly 33 wrongly when the result loses its leading
 * bit (0.49999999999999994 + -2147483648 gives 0x...e00001, one ulp too large). The entry below
 * sends the few operand pairs that can reach that case (opposite signs, exponents 32..34 apart)
 * to the C addition and everything else to libgcc. The v6-M libgcc is right and is used directly.
 * Elsewhere (host, FPU cores) the C operators are used, and NaN results are not left to them: a
 * NaN operand is returned quieted and an invented NaN is the canonical one, which is what the
 * spec's `nans` rule allows whatever the platform's default-NaN or payload habits.
 * Everything else works on the bits, so no libm is linked.
 */
#include "intrinsics.h"

#if defined(__GNUC__) || defined(__clang__)
#define XW_INLINE static inline __attribute__((always_inline))
#else
#define XW_INLINE static inline
#endif

/* The rounding helpers are inlined per mode where they are the float path (soft-float: about 40%
 * fewer instructions a call, 500 bytes more); elsewhere one shared copy keeps the size. */
#if XW_LIBGCC_FLOAT
#define XW_ROUND_INLINE XW_INLINE
#else
#define XW_ROUND_INLINE static
#endif

/* ---- NaN helpers ---- */

static uint32_t f32_quiet(uint32_t u) { return u | XW_F32_QUIET; }
static uint64_t f64_quiet(uint64_t u) { return u | XW_F64_QUIET; }

/* ---- + - * / ---- */

/*
 * XW_F64_ADD_SOFT=1: f64 + and - entirely in C (f64_add_bits). The default: libgcc itself on v6-M
 * (intrinsics.h), the checked entry below on Thumb-2 soft-float, C on other Arm cores without a
 * double-precision FPU (they would reach the same __aeabi_dadd), and the C operator elsewhere.
 */
#ifndef XW_F64_ADD_SOFT
#if defined(__arm__) && !(defined(__ARM_FP) && (__ARM_FP & 8)) && \
    !(XW_LIBGCC_FLOAT && (defined(__thumb2__) || defined(__ARM_ARCH_6M__)))
#define XW_F64_ADD_SOFT 1
#else
#define XW_F64_ADD_SOFT 0
#endif
#endif

#if XW_LIBGCC_FLOAT && defined(__thumb2__) && !XW_F64_ADD_SOFT
#define XW_F64_ADD_CHECKED 1
#else
#define XW_F64_ADD_CHECKED 0
#endif

#if XW_F64_ADD_SOFT || XW_F64_ADD_CHECKED
#define F64_FRAC 0x000fffffffffffffull
#define F64_IMPLICIT 0x0010000000000000ull

/*
 * a + b for non-NaN a, b, correctly rounded (nearest, ties to even). The significands
 * carry three extra low bits (guard, round, sticky), which is enough: when bits are
 * shifted out (exponent difference >= 2) the result needs at most one bit of left
 * normalisation, and with a difference of 0 or 1 nothing is lost.
 */
static uint64_t f64_add_bits(uint64_t a, uint64_t b)
{
  uint64_t sa = a & XW_F64_SIGN, sb = b & XW_F64_SIGN, ma = a & F64_FRAC, mb = b & F64_FRAC, m, t;
  uint32_t ea = (uint32_t)(a >> 52) & 0x7ffu, eb = (uint32_t)(b >> 52) & 0x7ffu, d, shift;

  if (ea == 0x7ffu) return (eb == 0x7ffu && sa != sb) ? XW_F64_CANONICAL_NAN : a; /* inf - inf */
  if (eb == 0x7ffu) return b;
  if ((a << 1) == 0) return (b << 1) == 0 ? (sa & sb) : b; /* -0 + -0 = -0, else +0 */
  if ((b << 1) == 0) return a;
  if (ea != 0) ma |= F64_IMPLICIT; else ea = 1;
  if (eb != 0) mb |= F64_IMPLICIT; else eb = 1;
  if (ea < eb || (ea == eb && ma < mb)) {
    /* make a the larger magnitude; the result has its sign */
    t = ma; ma = mb; mb = t;
    t = sa; sa = sb; sb = t;
    d = ea; ea = eb; eb = d;
  }
  ma <<= 3;
  mb <<= 3;
  d = ea - eb;
  if (d >= 64u) mb = mb != 0;
  else if (d != 0) mb = (mb >> d) | ((mb & ((1ull << d) - 1u)) != 0);
  if (sa == sb) {
    m = ma + mb;
    if (m >= (F64_IMPLICIT << 4)) { m = (m >> 1) | (m & 1u); ea++; }
  } else {
    m = ma - mb;
    if (m == 0) return 0; /* x - x = +0 */
    /* normalise so the implicit bit is at bit 55, or stop at the subnormal exponent */
    shift = aot_intrinsic_clz_i64(m) - 8u;
    if (shift > ea - 1u) shift = ea - 1u;
    m <<= shift;
    ea -= shift;
  }
  t = m & 7u;
  m >>= 3;
  if (t > 4u || (t == 4u && (m & 1u))) m++;
  if (m == (F64_IMPLICIT << 1)) { m >>= 1; ea++; }
  if (ea >= 0x7ffu) return sa | XW_F64_EXP;
  if (m < F64_IMPLICIT) return sa | m; /* subnormal (ea is 1) */
  return sa | ((uint64_t)ea << 52) | (m & F64_FRAC);
}

/* a + b with the NaN rule. Not static under XW_F64_ADD_CHECKED: the assembly entry branches here. */
#if XW_F64_ADD_CHECKED
double xw_f64_add_exact(double a, double b);
#else
static
#endif
double xw_f64_add_exact(double a, double b)
{
  uint64_t ua = xw_f64_to_bits(a), ub = xw_f64_to_bits(b);
  if (xw_f64_is_nan(ua)) return xw_f64_from_bits(f64_quiet(ua));
  if (xw_f64_is_nan(ub)) return xw_f64_from_bits(f64_quiet(ub));
  return xw_f64_from_bits(f64_add_bits(ua, ub));
}
#endif

#if XW_F64_ADD_CHECKED
/*
 * aot_intrinsic_fsub_f64 flips b's sign and falls into aot_intrinsic_fadd_f64. Same signs: libgcc.
 * Opposite signs: D = (hi(a) << 1) - (hi(b) << 1) is (ea - eb) * 2^21 plus less than 2^21 of
 * fraction (exact while |ea - eb| < 1000; a wrapped value only sends a pair to C for nothing), so
 * |D| in [32, 35) * 2^21 covers exponent differences 33 and 34 (33 from a subnormal, exponent 1).
 * Those pairs go to the C addition, the rest to libgcc: 2 extra instructions on an effective
 * addition, 9 on an effective subtraction.
 */
__asm__(
  "  .pushsection .text.aot_intrinsic_fadd_f64,\"ax\",%progbits\n"
  "  .syntax unified\n"
  "  .thumb\n"
  "  .p2align 2\n"
  "  .global aot_intrinsic_fsub_f64\n"
  "  .type aot_intrinsic_fsub_f64, %function\n"
  "  .thumb_func\n"
  "aot_intrinsic_fsub_f64:\n"
  "  eor r3, r3, #0x80000000\n"
  "  .global aot_intrinsic_fadd_f64\n"
  "  .type aot_intrinsic_fadd_f64, %function\n"
  "  .thumb_func\n"
  "aot_intrinsic_fadd_f64:\n"
  "  teq r1, r3\n"
  "  bpl.w __aeabi_dadd\n"
  "  lsls ip, r1, #1\n"
  "  subs ip, ip, r3, lsl #1\n"
  "  it mi\n"
  "  rsbmi ip, ip, #0\n"
  "  sub ip, ip, #0x04000000\n"
  "  cmp ip, #0x00600000\n"
  "  bhs.w __aeabi_dadd\n"
  "  b.w xw_f64_add_exact\n"
  "  .size aot_intrinsic_fadd_f64, . - aot_intrinsic_fadd_f64\n"
  "  .size aot_intrinsic_fsub_f64, . - aot_intrinsic_fsub_f64\n"
  "  .popsection\n");
#elif XW_F64_ADD_SOFT
double aot_intrinsic_fadd_f64(double a, double b) { return xw_f64_add_exact(a, b); }
double aot_intrinsic_fsub_f64(double a, double b) { return xw_f64_add_exact(a, -b); }
#elif !XW_LIBGCC_FLOAT && !XW_LIBGCC_F64
static double f64_arith_result(uint64_t a, uint64_t b, double r);
double aot_intrinsic_fadd_f64(double a, double b)
{
  return f64_arith_result(xw_f64_to_bits(a), xw_f64_to_bits(b), a + b);
}

double aot_intrinsic_fsub_f64(double a, double b)
{
  return f64_arith_result(xw_f64_to_bits(a), xw_f64_to_bits(b), a - b);
}
#endif

#if !XW_LIBGCC_FLOAT
/* The result of a binary arithmetic operation whose operands are a, b and whose IEEE result is r. */
static float f32_arith_result(uint32_t a, uint32_t b, float r)
{
  if (xw_f32_is_nan(a)) return xw_f32_from_bits(f32_quiet(a));
  if (xw_f32_is_nan(b)) return xw_f32_from_bits(f32_quiet(b));
  if (xw_f32_is_nan(xw_f32_to_bits(r))) return xw_f32_from_bits(XW_F32_CANONICAL_NAN);
  return r;
}

#if !XW_LIBGCC_F64
static double f64_arith_result(uint64_t a, uint64_t b, double r)
{
  if (xw_f64_is_nan(a)) return xw_f64_from_bits(f64_quiet(a));
  if (xw_f64_is_nan(b)) return xw_f64_from_bits(f64_quiet(b));
  if (xw_f64_is_nan(xw_f64_to_bits(r))) return xw_f64_from_bits(XW_F64_CANONICAL_NAN);
  return r;
}
#endif

float aot_intrinsic_fadd_f32(float a, float b) { return f32_arith_result(xw_f32_to_bits(a), xw_f32_to_bits(b), a + b); }
float aot_intrinsic_fsub_f32(float a, float b) { return f32_arith_result(xw_f32_to_bits(a), xw_f32_to_bits(b), a - b); }
float aot_intrinsic_fmul_f32(float a, float b) { return f32_arith_result(xw_f32_to_bits(a), xw_f32_to_bits(b), a * b); }
float aot_intrinsic_fdiv_f32(float a, float b) { return f32_arith_result(xw_f32_to_bits(a), xw_f32_to_bits(b), a / b); }
#if !XW_LIBGCC_F64
double aot_intrinsic_fmul_f64(double a, double b) { return f64_arith_result(xw_f64_to_bits(a), xw_f64_to_bits(b), a * b); }
double aot_intrinsic_fdiv_f64(double a, double b) { return f64_arith_result(xw_f64_to_bits(a), xw_f64_to_bits(b), a / b); }
#endif
#endif

/* ---- sign operations: pure bit operations, NaN payloads untouched ---- */

float aot_intrinsic_fabs_f32(float a)
{
  return xw_f32_from_bits(xw_f32_to_bits(a) & ~XW_F32_SIGN);
}

/* f64 sign operations on the high word only: gcc keeps the low word in place (M0: 3 instructions, not 9). */
static double f64_with_high(uint64_t u, uint32_t hi) { return xw_f64_from_bits(((uint64_t)hi << 32) | (uint32_t)u); }

double aot_intrinsic_fabs_f64(double a)
{
  uint64_t u = xw_f64_to_bits(a);
  return f64_with_high(u, (uint32_t)(u >> 32) & ~XW_F32_SIGN);
}

#if XW_LIBGCC_FLOAT && defined(__thumb2__)
/* One BFI: b's word with a's 31 low bits inserted (gcc makes AND, BIC, ORR of it, and pushes for f64). */
__asm__(
  "  .pushsection .text.aot_intrinsic_copysign_f32,\"ax\",%progbits\n"
  "  .syntax unified\n"
  "  .thumb\n"
  "  .p2align 1\n"
  "  .global aot_intrinsic_copysign_f32\n"
  "  .type aot_intrinsic_copysign_f32, %function\n"
  "  .thumb_func\n"
  "aot_intrinsic_copysign_f32:\n" /* r0 a, r1 b */
  "  bfi r1, r0, #0, #31\n"
  "  mov r0, r1\n"
  "  bx lr\n"
  "  .size aot_intrinsic_copysign_f32, . - aot_intrinsic_copysign_f32\n"
  "  .p2align 1\n"
  "  .global aot_intrinsic_copysign_f64\n"
  "  .type aot_intrinsic_copysign_f64, %function\n"
  "  .thumb_func\n"
  "aot_intrinsic_copysign_f64:\n" /* r0:r1 a, r2:r3 b */
  "  bfi r3, r1, #0, #31\n"
  "  mov r1, r3\n"
  "  bx lr\n"
  "  .size aot_intrinsic_copysign_f64, . - aot_intrinsic_copysign_f64\n"
  "  .popsection\n");
#else
float aot_intrinsic_copysign_f32(float a, float b)
{
  return xw_f32_from_bits((xw_f32_to_bits(a) & ~XW_F32_SIGN) | (xw_f32_to_bits(b) & XW_F32_SIGN));
}

double aot_intrinsic_copysign_f64(double a, double b)
{
  uint64_t u = xw_f64_to_bits(a);
  return f64_with_high(u, ((uint32_t)(u >> 32) & ~XW_F32_SIGN) | ((uint32_t)(xw_f64_to_bits(b) >> 32) & XW_F32_SIGN));
}
#endif

/* ---- rounding to an integral value ---- */

enum { ROUND_TRUNC, ROUND_FLOOR, ROUND_CEIL, ROUND_NEAREST };

/*
 * Rounds |x| = 1.m * 2^E to an integer in `mode`, on the encoding: the fraction
 * bits below the binary point are cleared and, when the magnitude must grow, one
 * unit of the integer's last place is added (a carry out of the mantissa bumps the
 * exponent, which is the right result). Values with no fraction bits (|x| >= 2^23,
 * inf) come back unchanged, NaN quieted; signs are kept, so -0.3 truncates to -0.
 */
XW_ROUND_INLINE uint32_t f32_round_bits(uint32_t u, int mode)
{
  uint32_t sign = u & XW_F32_SIGN;
  uint32_t e = (u >> 23) & 0xffu;
  uint32_t fbits, frac, t, half;
  int up;

  if (e == 0xffu) return xw_f32_is_nan(u) ? f32_quiet(u) : u;
  if (e >= 127u + 23u) return u;
  if (e < 127u) {
    /* |x| < 1: the result is 0 or 1 with x's sign */
    if ((u & ~XW_F32_SIGN) == 0) return u;
    switch (mode) {
      case ROUND_FLOOR: return sign ? 0xbf800000u : 0u;
      case ROUND_CEIL: return sign ? XW_F32_SIGN : 0x3f800000u;
      case ROUND_NEAREST: return (e == 126u && (u & 0x7fffffu) != 0) ? (sign | 0x3f800000u) : sign;
      default: return sign;
    }
  }
  fbits = 127u + 23u - e; /* 1..23 fraction bits */
  frac = u & ((1u << fbits) - 1u);
  if (frac == 0) return u;
  t = u - frac;
  switch (mode) {
    case ROUND_FLOOR: up = sign != 0; break;
    case ROUND_CEIL: up = sign == 0; break;
    case ROUND_NEAREST:
      half = 1u << (fbits - 1u);
      /* with 23 fraction bits the integer part is the implicit 1, which is odd */
      up = frac > half || (frac == half && (fbits == 23u || ((u >> fbits) & 1u)));
      break;
    default: up = 0; break;
  }
  return up ? t + (1u << fbits) : t;
}

XW_ROUND_INLINE uint64_t f64_round_bits(uint64_t u, int mode)
{
  uint64_t sign = u & XW_F64_SIGN;
  uint32_t e = (uint32_t)(u >> 52) & 0x7ffu;
  uint32_t fbits;
  uint64_t frac, t, half;
  int up;

  if (e == 0x7ffu) return xw_f64_is_nan(u) ? f64_quiet(u) : u;
  if (e >= 1023u + 52u) return u;
  if (e < 1023u) {
    if ((u & ~XW_F64_SIGN) == 0) return u;
    switch (mode) {
      case ROUND_FLOOR: return sign ? 0xbff0000000000000ull : 0u;
      case ROUND_CEIL: return sign ? XW_F64_SIGN : 0x3ff0000000000000ull;
      case ROUND_NEAREST:
        return (e == 1022u && (u & 0xfffffffffffffull) != 0) ? (sign | 0x3ff0000000000000ull) : sign;
      default: return sign;
    }
  }
  fbits = 1023u + 52u - e; /* 1..52 */
  frac = u & ((1ull << fbits) - 1u);
  if (frac == 0) return u;
  t = u - frac;
  switch (mode) {
    case ROUND_FLOOR: up = sign != 0; break;
    case ROUND_CEIL: up = sign == 0; break;
    case ROUND_NEAREST:
      half = 1ull << (fbits - 1u);
      up = frac > half || (frac == half && (fbits == 52u || ((u >> fbits) & 1u)));
      break;
    default: up = 0; break;
  }
  return up ? t + (1ull << fbits) : t;
}

float aot_intrinsic_ceil_f32(float a) { return xw_f32_from_bits(f32_round_bits(xw_f32_to_bits(a), ROUND_CEIL)); }
float aot_intrinsic_floor_f32(float a) { return xw_f32_from_bits(f32_round_bits(xw_f32_to_bits(a), ROUND_FLOOR)); }

#if XW_LIBGCC_FLOAT && defined(__riscv)
/*
 * RV32: the C below as assembly (about 20 instructions, where GCC's code of it takes 28 and picolibc's ceil 23):
 * t5 says whether the magnitude grows; with k = e - 1023, the fraction is 20 - k bits of hi and all of lo
 * (0 <= k <= 20) or 52 - k bits of lo (20 < k < 52); adding one unit of the integer's last place is subtracting
 * the mask's complement, -1 << f.
 */
__asm__(
  "  .pushsection .text.aot_intrinsic_ceil_f64,\"ax\",@progbits\n"
  "  .p2align 1\n"
  "  .globl aot_intrinsic_floor_f64\n"
  "  .type aot_intrinsic_floor_f64, @function\n"
  "aot_intrinsic_floor_f64:\n" /* a0 lo, a1 hi */
  "  srli t5, a1, 31\n"
  "  j 1f\n"
  "  .size aot_intrinsic_floor_f64, . - aot_intrinsic_floor_f64\n"
  "  .globl aot_intrinsic_ceil_f64\n"
  "  .type aot_intrinsic_ceil_f64, @function\n"
  "aot_intrinsic_ceil_f64:\n"
  "  srli t5, a1, 31\n"
  "  xori t5, t5, 1\n"
  "1:slli t0, a1, 1\n"
  "  srli t0, t0, 21\n"
  "  addi t0, t0, -1023\n"
  "  bltz t0, 3f\n" /* |x| < 1 */
  "  li t1, 20\n"
  "  bltu t1, t0, 4f\n"
  "  sub t1, t1, t0\n"
  "  li t2, -1\n"
  "  sll t2, t2, t1\n"
  "  not t3, t2\n"
  "  and t3, t3, a1\n"
  "  or t3, t3, a0\n"
  "  beqz t3, 9f\n" /* already integral */
  "  and a1, a1, t2\n"
  "  li a0, 0\n"
  "  beqz t5, 9f\n"
  "  sub a1, a1, t2\n" /* a carry into the exponent is the right result */
  "9:ret\n"
  "4:li t1, 52\n"
  "  bgeu t0, t1, 8f\n"
  "  sub t1, t1, t0\n"
  "  li t2, -1\n"
  "  sll t2, t2, t1\n"
  "  not t3, t2\n"
  "  and t3, t3, a0\n"
  "  beqz t3, 9b\n"
  "  and a0, a0, t2\n"
  "  beqz t5, 9b\n"
  "  sub a0, a0, t2\n"
  "  bnez a0, 9b\n"
  "  addi a1, a1, 1\n" /* lo was at most 2^32 - 2^f: a carry leaves 0 */
  "  ret\n"
  "8:slli t1, a1, 1\n" /* integral, inf or NaN: NaN is quieted */
  "  lui t2, 0xffe00\n"
  "  bltu t2, t1, 7f\n"
  "  bne t1, t2, 9b\n"
  "  beqz a0, 9b\n"
  "7:lui t1, 0x80\n"
  "  or a1, a1, t1\n"
  "  ret\n"
  "3:slli t1, a1, 1\n" /* ±0 stays, else 0 or 1 with x's sign */
  "  or t1, t1, a0\n"
  "  beqz t1, 9b\n"
  "  srli a1, a1, 31\n"
  "  slli a1, a1, 31\n"
  "  li a0, 0\n"
  "  beqz t5, 9b\n"
  "  lui t1, 0x3ff00\n"
  "  or a1, a1, t1\n"
  "  ret\n"
  "  .size aot_intrinsic_ceil_f64, . - aot_intrinsic_ceil_f64\n"
  "  .popsection\n");
#else
/*
 * f64 ceil and floor on the two 32-bit words (about half the instructions of f64_round_bits on 32-bit cores):
 * `up` says whether the magnitude grows (ceil of a positive value, floor of a negative one).
 */
XW_ROUND_INLINE uint64_t f64_ceil_floor_bits(uint64_t u, uint32_t floor_mode)
{
  uint32_t hi = (uint32_t)(u >> 32), lo = (uint32_t)u, e = (hi >> 20) & 0x7ffu, up = (hi >> 31) ^ floor_mode ^ 1u, f, mask;
  if (e < 1023u) { /* |x| < 1: ±0 stays, else 0 or 1 with x's sign */
    if (((hi << 1) | lo) == 0) return u;
    return (uint64_t)((hi & XW_F32_SIGN) | (up ? 0x3ff00000u : 0u)) << 32;
  }
  if (e <= 1023u + 20u) { /* the fraction is all of lo and f = 0..19 bits of hi */
    f = 1023u + 20u - e;
    mask = (1u << f) - 1u;
    if (((hi & mask) | lo) == 0) return u;
    hi &= ~mask;
    if (up) hi += 1u << f; /* a carry into the exponent is the right result */
    return (uint64_t)hi << 32;
  }
  if (e < 1023u + 52u) { /* f = 1..31 fraction bits in lo */
    f = 1023u + 52u - e;
    mask = (1u << f) - 1u;
    if ((lo & mask) == 0) return u;
    lo &= ~mask;
    if (up) {
      lo += 1u << f;
      if (lo == 0) hi++; /* lo was at most 2^32 - 2^f: a carry leaves 0 */
    }
    return ((uint64_t)hi << 32) | lo;
  }
  return xw_f64_is_nan(u) ? f64_quiet(u) : u;
}

double aot_intrinsic_ceil_f64(double a) { return xw_f64_from_bits(f64_ceil_floor_bits(xw_f64_to_bits(a), 0u)); }
double aot_intrinsic_floor_f64(double a) { return xw_f64_from_bits(f64_ceil_floor_bits(xw_f64_to_bits(a), 1u)); }
#endif

/* trunc clears the fraction bits; written on 32-bit words, since it needs nothing else. */
float aot_intrinsic_trunc_f32(float a)
{
  uint32_t u = xw_f32_to_bits(a), e = (u >> 23) & 0xffu, fbits;
  if (e < 127u) return xw_f32_from_bits(u & XW_F32_SIGN); /* |x| < 1 */
  if (e >= 127u + 23u) return xw_f32_from_bits(xw_f32_is_nan(u) ? f32_quiet(u) : u);
  fbits = 127u + 23u - e;
  return xw_f32_from_bits((u >> fbits) << fbits);
}

double aot_intrinsic_trunc_f64(double a)
{
  uint64_t u = xw_f64_to_bits(a);
  uint32_t hi = (uint32_t)(u >> 32), lo = (uint32_t)u, e = (hi >> 20) & 0x7ffu, fbits;
  if (e < 1023u) return xw_f64_from_bits((uint64_t)(hi & XW_F32_SIGN) << 32);
  if (e <= 1023u + 20u) { /* the fraction bits are all of lo and 20 - (e - 1023) bits of hi */
    fbits = 1023u + 20u - e;
    return xw_f64_from_bits((uint64_t)((hi >> fbits) << fbits) << 32);
  }
  if (e < 1023u + 52u) {
    fbits = 1023u + 52u - e; /* 1..31 bits of lo */
    return xw_f64_from_bits(((uint64_t)hi << 32) | ((lo >> fbits) << fbits));
  }
  return xw_f64_from_bits(xw_f64_is_nan(u) ? f64_quiet(u) : u);
}
/* WAMR maps f32.nearest to llvm.rint, i.e. round half to even in the default mode. */
float aot_intrinsic_rint_f32(float a) { return xw_f32_from_bits(f32_round_bits(xw_f32_to_bits(a), ROUND_NEAREST)); }
double aot_intrinsic_rint_f64(double a) { return xw_f64_from_bits(f64_round_bits(xw_f64_to_bits(a), ROUND_NEAREST)); }

/* ---- square root: digit-by-digit on the significand, correctly rounded ---- */

/* The 25-bit integer square root of rad * 2^18, digit by digit, as res << 1 | (remainder != 0). */
#if XW_LIBGCC_FLOAT && defined(__thumb2__)
uint32_t xw_f32_sqrt_bits(uint32_t rad);
/* Thumb-2: the step of xw_f64_sqrt_bits on words, five to a loop iteration. */
__asm__(
  "  .pushsection .text.xw_f32_sqrt_bits,\"ax\",%progbits\n"
  "  .syntax unified\n"
  "  .thumb\n"
  "  .p2align 2\n"
  "  .global xw_f32_sqrt_bits\n"
  "  .type xw_f32_sqrt_bits, %function\n"
  "  .thumb_func\n"
  "xw_f32_sqrt_bits:\n" /* r0 rad; r2 rem, r3 res */
  "  movs r2, #0\n"
  "  movs r3, #0\n"
  "  mov ip, #5\n"
  "1:\n"
  "  lsls r2, r2, #2\n"
  "  orr r2, r2, r0, lsr #30\n"
  "  lsls r0, r0, #2\n"
  "  lsls r1, r3, #2\n"
  "  adds r1, r1, #1\n"
  "  subs r1, r2, r1\n"
  "  it cs\n"
  "  movcs r2, r1\n"
  "  adc r3, r3, r3\n"
  "  lsls r2, r2, #2\n"
  "  orr r2, r2, r0, lsr #30\n"
  "  lsls r0, r0, #2\n"
  "  lsls r1, r3, #2\n"
  "  adds r1, r1, #1\n"
  "  subs r1, r2, r1\n"
  "  it cs\n"
  "  movcs r2, r1\n"
  "  adc r3, r3, r3\n"
  "  lsls r2, r2, #2\n"
  "  orr r2, r2, r0, lsr #30\n"
  "  lsls r0, r0, #2\n"
  "  lsls r1, r3, #2\n"
  "  adds r1, r1, #1\n"
  "  subs r1, r2, r1\n"
  "  it cs\n"
  "  movcs r2, r1\n"
  "  adc r3, r3, r3\n"
  "  lsls r2, r2, #2\n"
  "  orr r2, r2, r0, lsr #30\n"
  "  lsls r0, r0, #2\n"
  "  lsls r1, r3, #2\n"
  "  adds r1, r1, #1\n"
  "  subs r1, r2, r1\n"
  "  it cs\n"
  "  movcs r2, r1\n"
  "  adc r3, r3, r3\n"
  "  lsls r2, r2, #2\n"
  "  orr r2, r2, r0, lsr #30\n"
  "  lsls r0, r0, #2\n"
  "  lsls r1, r3, #2\n"
  "  adds r1, r1, #1\n"
  "  subs r1, r2, r1\n"
  "  it cs\n"
  "  movcs r2, r1\n"
  "  adc r3, r3, r3\n"
  "  subs ip, ip, #1\n"
  "  bne 1b\n"
  "  cmp r2, #1\n" /* C = remainder != 0 */
  "  adc r0, r3, r3\n"
  "  bx lr\n"
  "  .size xw_f32_sqrt_bits, . - xw_f32_sqrt_bits\n"
  "  .popsection\n");
#define XW_F32_SQRT(m, s) xw_f32_sqrt_bits((m) << ((s) + 6)) /* M * 2^24 is that word followed by 18 zero bits */
#else
/*
 * The same result, (root << 1) | (remainder != 0) for the root of M * 2^24, bit by bit with the remainder kept
 * scaled down by the weight of the bit being tried (ix = R / 2^b, s = 2 * root so far): a trial is
 * s + 2^b <= ix, and the next bit's remainder is twice the current one. Everything stays below 2^28, and a step
 * is 6 or 8 instructions on RV32 or v6-M where the digit loop above takes 10 to 12 in C.
 */
static uint32_t xw_f32_sqrt_m(uint32_t ix)
{
  uint32_t s = 0, r = 1u << 24, t;
  while (r != 0) {
    t = s + r;
    if (t <= ix) { s = t + r; ix -= t; }
    ix += ix;
    r >>= 1;
  }
  return s | (ix != 0); /* s = 2 * root is even */
}
#define XW_F32_SQRT(m, s) xw_f32_sqrt_m((m) << (s))
#endif

float aot_intrinsic_sqrt_f32(float a)
{
  uint32_t u = xw_f32_to_bits(a);
  uint32_t m, res, q;
  int32_t e, e2;
  int s;

  if (xw_f32_is_nan(u)) return xw_f32_from_bits(f32_quiet(u));
  if ((u & ~XW_F32_SIGN) == 0) return a; /* sqrt(-0) = -0 */
  if (u & XW_F32_SIGN) return xw_f32_from_bits(XW_F32_CANONICAL_NAN);
  if (u == XW_F32_EXP) return a; /* +inf */

  /* x = m * 2^(e - 23) with m in [2^23, 2^24) */
  e = (int32_t)(u >> 23);
  m = u & 0x7fffffu;
  if (e == 0) {
    e = 1;
    while (!(m & 0x800000u)) { m <<= 1; e--; }
  } else {
    m |= 0x800000u;
  }
  e -= 127;
  /* x = M * 2^e2 with e2 even and M = m << s in [2^24, 2^26), so sqrt(M) is in [2^12, 2^13) */
  s = ((e - 23) & 1) ? 1 : 2;
  e2 = e - 23 - s;
  /* 25 result bits of sqrt(M * 2^24): 24 for the significand and a rounding bit */
  res = XW_F32_SQRT(m, s);
  /* the root in [2^24, 2^25); the exact root is never a tie, but round to even anyway */
  q = res >> 2;
  if ((res & 2u) && ((res & 1u) || (q & 1u))) q++;
  e = e2 / 2 + 12 + 127;
  if (q == 0x1000000u) { q >>= 1; e++; }
  return xw_f32_from_bits(((uint32_t)e << 23) | (q & 0x7fffffu));
}

/*
 * The 54-bit integer square root of rad * 2^44 (rad = rad_hi:rad_lo), digit by digit, as
 * res << 1 | (remainder != 0). The first 30 result bits are found on 32-bit words: the remainder
 * is at most 2 * res, so (rem << 2 | two bits) stays below 2^32 until then.
 */
#if XW_LIBGCC_FLOAT && defined(__thumb2__)
uint64_t xw_f64_sqrt_bits(uint32_t rad_hi, uint32_t rad_lo);
/*
 * Thumb-2: a step is rem = rem << 2 | next two bits; C = rem >= (res << 2 | 1); if C, rem -= that;
 * res = res << 1 | C (ADC). 11 instructions a step on words, 16-18 on pairs (gcc: about 12 and 23).
 */
__asm__(
  "  .pushsection .text.xw_f64_sqrt_bits,\"ax\",%progbits\n"
  "  .syntax unified\n"
  "  .thumb\n"
  "  .p2align 2\n"
  "  .global xw_f64_sqrt_bits\n"
  "  .type xw_f64_sqrt_bits, %function\n"
  "  .thumb_func\n"
  "xw_f64_sqrt_bits:\n" /* r0 rad_hi, r1 rad_lo; r2 rem, r3 res */
  "  push {r4, r5, r6, r7}\n"
  "  movs r2, #0\n"
  "  movs r3, #0\n"
  "  mov ip, #16\n"
  "1:lsls r2, r2, #2\n"
  "  orr r2, r2, r0, lsr #30\n"
  "  lsls r0, r0, #2\n"
  "  lsls r4, r3, #2\n"
  "  adds r4, r4, #1\n"
  "  subs r4, r2, r4\n"
  "  it cs\n"
  "  movcs r2, r4\n"
  "  adc r3, r3, r3\n"
  "  subs ip, ip, #1\n"
  "  bne 1b\n"
  "  mov ip, #14\n"
  "2:lsls r2, r2, #2\n"
  "  orr r2, r2, r1, lsr #30\n"
  "  lsls r1, r1, #2\n"
  "  lsls r4, r3, #2\n"
  "  adds r4, r4, #1\n"
  "  subs r4, r2, r4\n"
  "  it cs\n"
  "  movcs r2, r4\n"
  "  adc r3, r3, r3\n"
  "  subs ip, ip, #1\n"
  "  bne 2b\n"
  /* 24 more bits with rem in r4:r2 and res in r5:r3; the last 4 bits of rad_lo, then zeros */
  "  movs r4, #0\n"
  "  movs r5, #0\n"
  "  mov ip, #2\n"
  "3:lsls r4, r4, #2\n"
  "  orr r4, r4, r2, lsr #30\n"
  "  lsls r2, r2, #2\n"
  "  orr r2, r2, r1, lsr #30\n"
  "  lsls r1, r1, #2\n"
  "  lsls r7, r5, #2\n"
  "  orr r7, r7, r3, lsr #30\n"
  "  lsls r6, r3, #2\n"
  "  adds r6, r6, #1\n"
  "  subs r6, r2, r6\n"
  "  sbcs r7, r4, r7\n"
  "  itt cs\n"
  "  movcs r2, r6\n"
  "  movcs r4, r7\n"
  "  adcs r3, r3, r3\n"
  "  adc r5, r5, r5\n"
  "  subs ip, ip, #1\n"
  "  bne 3b\n"
  "  mov ip, #22\n"
  "4:lsls r4, r4, #2\n"
  "  orr r4, r4, r2, lsr #30\n"
  "  lsls r2, r2, #2\n"
  "  lsls r7, r5, #2\n"
  "  orr r7, r7, r3, lsr #30\n"
  "  lsls r6, r3, #2\n"
  "  adds r6, r6, #1\n"
  "  subs r6, r2, r6\n"
  "  sbcs r7, r4, r7\n"
  "  itt cs\n"
  "  movcs r2, r6\n"
  "  movcs r4, r7\n"
  "  adcs r3, r3, r3\n"
  "  adc r5, r5, r5\n"
  "  subs ip, ip, #1\n"
  "  bne 4b\n"
  "  orrs r2, r2, r4\n" /* C = remainder != 0 */
  "  cmp r2, #1\n"
  "  adcs r0, r3, r3\n"
  "  adc r1, r5, r5\n"
  "  pop {r4, r5, r6, r7}\n"
  "  bx lr\n"
  "  .size xw_f64_sqrt_bits, . - xw_f64_sqrt_bits\n"
  "  .popsection\n");
#define XW_F64_SQRT(m, s) xw_f64_sqrt_bits((uint32_t)((m) >> (22 - (s))), (uint32_t)((m) << ((s) + 10)))
#else
/*
 * The same result for ix = 2M (M = m << s, the radicand being M * 2^54), bit by bit as xw_f32_sqrt_m, on word
 * pairs: s = 2 * root so far and ix = R / 2^b. While the trial bit 2^b is in the high word (b >= 32) the low word of
 * s is zero, so a trial is one word comparison and the subtraction one word; below, the low word of s has bits b and
 * b + 1 clear, so s + 2^b is an OR, and only b = 31 carries into the high word when 2^(b+1) is added. ix stays below
 * 2^56. About 60% of the digit loop's instructions on RV32 and v6-M.
 */
static uint64_t xw_f64_sqrt_m(uint32_t hi, uint32_t lo)
{
  uint32_t s_hi = 0, s_lo = 0, r, t;
  for (r = 1u << 21; r != 0; r >>= 1) { /* b = 53..32 */
    t = s_hi + r;
    if (t <= hi) { s_hi = t + r; hi -= t; }
    hi = (hi << 1) | (lo >> 31);
    lo <<= 1;
  }
  for (r = 1u << 31; r != 0; r >>= 1) { /* b = 31..0 */
    t = s_lo | r;
    if (s_hi < hi || (s_hi == hi && t <= lo)) {
      hi -= s_hi + (lo < t);
      lo -= t;
      s_lo = t + r;
      s_hi += s_lo < t;
    }
    hi = (hi << 1) | (lo >> 31);
    lo <<= 1;
  }
  return (((uint64_t)s_hi << 32) | s_lo) | ((hi | lo) != 0); /* s = 2 * root is even */
}
#define XW_F64_SQRT(m, s) xw_f64_sqrt_m((uint32_t)((m) >> (31 - (s))), (uint32_t)((m) << ((s) + 1)))
#endif

double aot_intrinsic_sqrt_f64(double a)
{
  uint64_t u = xw_f64_to_bits(a);
  uint64_t m, res, q;
  int32_t e, e2;
  int s;

  if (xw_f64_is_nan(u)) return xw_f64_from_bits(f64_quiet(u));
  if ((u & ~XW_F64_SIGN) == 0) return a;
  if (u & XW_F64_SIGN) return xw_f64_from_bits(XW_F64_CANONICAL_NAN);
  if (u == XW_F64_EXP) return a;

  /* x = m * 2^(e - 52) with m in [2^52, 2^53) */
  e = (int32_t)(u >> 52);
  m = u & 0xfffffffffffffull;
  if (e == 0) {
    e = 1;
    while (!(m & 0x10000000000000ull)) { m <<= 1; e--; }
  } else {
    m |= 0x10000000000000ull;
  }
  e -= 1023;
  /* x = M * 2^e2, e2 even, M = m << s in [2^52, 2^54): sqrt(M) in [2^26, 2^27) */
  s = (e - 52) & 1;
  e2 = e - 52 - s;
  /* 54 result bits of sqrt(M * 2^54): 53 for the significand and a rounding bit */
  res = XW_F64_SQRT(m, s); /* res << 1 | sticky */
  q = res >> 2;
  if ((res & 2u) && ((res & 1u) || (q & 1u))) q++;
  e = e2 / 2 + 26 + 1023;
  if (q == 0x20000000000000ull) { q >>= 1; e++; }
  return xw_f64_from_bits(((uint64_t)e << 52) | (q & 0xfffffffffffffull));
}

/* ---- min / max: NaN if either is NaN, -0 < +0 ---- */

/* Maps a non-NaN float's bits to an unsigned key in numeric order (-0 just below +0). */
static uint32_t f32_order_key(uint32_t u) { return (u & XW_F32_SIGN) ? ~u : (u | XW_F32_SIGN); }
static uint64_t f64_order_key(uint64_t u) { return (u & XW_F64_SIGN) ? ~u : (u | XW_F64_SIGN); }

float aot_intrinsic_fmin_f32(float a, float b)
{
  uint32_t ua = xw_f32_to_bits(a), ub = xw_f32_to_bits(b);
  if (xw_f32_is_nan(ua)) return xw_f32_from_bits(f32_quiet(ua));
  if (xw_f32_is_nan(ub)) return xw_f32_from_bits(f32_quiet(ub));
  return f32_order_key(ua) <= f32_order_key(ub) ? a : b;
}

float aot_intrinsic_fmax_f32(float a, float b)
{
  uint32_t ua = xw_f32_to_bits(a), ub = xw_f32_to_bits(b);
  if (xw_f32_is_nan(ua)) return xw_f32_from_bits(f32_quiet(ua));
  if (xw_f32_is_nan(ub)) return xw_f32_from_bits(f32_quiet(ub));
  return f32_order_key(ua) >= f32_order_key(ub) ? a : b;
}

double aot_intrinsic_fmin_f64(double a, double b)
{
  uint64_t ua = xw_f64_to_bits(a), ub = xw_f64_to_bits(b);
  if (xw_f64_is_nan(ua)) return xw_f64_from_bits(f64_quiet(ua));
  if (xw_f64_is_nan(ub)) return xw_f64_from_bits(f64_quiet(ub));
  return f64_order_key(ua) <= f64_order_key(ub) ? a : b;
}

double aot_intrinsic_fmax_f64(double a, double b)
{
  uint64_t ua = xw_f64_to_bits(a), ub = xw_f64_to_bits(b);
  if (xw_f64_is_nan(ua)) return xw_f64_from_bits(f64_quiet(ua));
  if (xw_f64_is_nan(ub)) return xw_f64_from_bits(f64_quiet(ub));
  return f64_order_key(ua) >= f64_order_key(ub) ? a : b;
}

/* ---- comparisons ---- */

/*
 * Nibble `cond` of COND_TABLE says for which relations the condition holds: bit 0 less, bit 1
 * equal, bit 2 greater, bit 3 unordered. NE and UNO hold for unordered operands, the others do
 * not; cond 7 and any unknown cond give 0, as in WAMR.
 */
#define COND_TABLE ((0x2u << (4 * XW_FLOAT_COND_EQ)) | (0xdu << (4 * XW_FLOAT_COND_NE)) | \
                    (0x1u << (4 * XW_FLOAT_COND_LT)) | (0x4u << (4 * XW_FLOAT_COND_GT)) | \
                    (0x3u << (4 * XW_FLOAT_COND_LE)) | (0x6u << (4 * XW_FLOAT_COND_GE)) | \
                    (0x8u << (4 * XW_FLOAT_COND_UNO)))

XW_INLINE int32_t cmp_result(int32_t cond, uint32_t rel_bit)
{
  if ((uint32_t)cond > 7u) return 0;
  return ((COND_TABLE >> (4u * (uint32_t)cond)) & rel_bit) != 0;
}

/* Signed key in numeric order for a non-NaN float's bits: sign-magnitude to two's complement, so -0 and +0
 * both map to 0 (the conversion of values above INT32_MAX relies on GCC/Clang's modulo conversion). */
XW_INLINE int32_t f32_key(uint32_t u) { return (int32_t)u < 0 ? (int32_t)(XW_F32_SIGN - u) : (int32_t)u; }
XW_INLINE int64_t f64_key(uint64_t u) { return (int64_t)u < 0 ? (int64_t)(XW_F64_SIGN - u) : (int64_t)u; }

#if XW_LIBGCC_FLOAT && defined(__thumb2__)
/*
 * Thumb-2, soft-float ABI: the same algorithm as the C below, about 60% of its instructions
 * (docs/performance.md). A NaN is (hi << 1 | lo != 0) > the infinity's; the order key of a
 * sign-magnitude value is x ^ (sign >> 1) - sign (sign = 0 or -1), so -0 and +0 both become 0;
 * TBB dispatches on cond with the flags of the key comparison (f32) or does the comparison
 * for its condition (f64: a 64-bit SUBS/SBCS for the signed orders, CMP/CMPEQ for equality).
 */
__asm__(
  "  .pushsection .text.aot_intrinsic_f32_cmp,\"ax\",%progbits\n"
  "  .syntax unified\n"
  "  .thumb\n"
  "  .p2align 2\n"
  "  .global aot_intrinsic_f32_cmp\n"
  "  .type aot_intrinsic_f32_cmp, %function\n"
  "  .thumb_func\n"
  "aot_intrinsic_f32_cmp:\n" /* r0 cond, r1 lhs, r2 rhs */
  "  mov ip, #0xff000000\n"
  "  cmp ip, r1, lsl #1\n"
  "  it cs\n"
  "  cmpcs ip, r2, lsl #1\n"
  "  bcc .Lxw_cmp_unordered\n"
  "  asr r3, r1, #31\n"
  "  eor r1, r1, r3, lsr #1\n"
  "  sub r1, r1, r3\n"
  "  asr r3, r2, #31\n"
  "  eor r2, r2, r3, lsr #1\n"
  "  sub r2, r2, r3\n"
  "  cmp r0, #6\n"
  "  bhi .Lxw_cmp_false\n"
  "  cmp r1, r2\n"
  "  tbb [pc, r0]\n"
  ".Lxw_f32_tbb:\n"
  "  .byte (.Lxw_f32_eq - .Lxw_f32_tbb) / 2, (.Lxw_f32_ne - .Lxw_f32_tbb) / 2, (.Lxw_f32_lt - .Lxw_f32_tbb) / 2\n"
  "  .byte (.Lxw_f32_gt - .Lxw_f32_tbb) / 2, (.Lxw_f32_le - .Lxw_f32_tbb) / 2, (.Lxw_f32_ge - .Lxw_f32_tbb) / 2\n"
  "  .byte (.Lxw_cmp_false - .Lxw_f32_tbb) / 2\n"
  "  .p2align 1\n"
  ".Lxw_f32_eq:\n"
  "  ite eq\n  moveq r0, #1\n  movne r0, #0\n  bx lr\n"
  ".Lxw_f32_ne:\n"
  "  ite ne\n  movne r0, #1\n  moveq r0, #0\n  bx lr\n"
  ".Lxw_f32_lt:\n"
  "  ite lt\n  movlt r0, #1\n  movge r0, #0\n  bx lr\n"
  ".Lxw_f32_gt:\n"
  "  ite gt\n  movgt r0, #1\n  movle r0, #0\n  bx lr\n"
  ".Lxw_f32_le:\n"
  "  ite le\n  movle r0, #1\n  movgt r0, #0\n  bx lr\n"
  ".Lxw_f32_ge:\n"
  "  ite ge\n  movge r0, #1\n  movlt r0, #0\n  bx lr\n"
  ".Lxw_cmp_false:\n"
  "  movs r0, #0\n"
  "  bx lr\n"
  ".Lxw_cmp_unordered:\n" /* NE and UNO hold */
  "  cmp r0, #1\n"
  "  it ne\n"
  "  cmpne r0, #6\n"
  "  ite eq\n  moveq r0, #1\n  movne r0, #0\n  bx lr\n"
  "  .size aot_intrinsic_f32_cmp, . - aot_intrinsic_f32_cmp\n"
  "\n"
  "  .p2align 2\n"
  "  .global aot_intrinsic_f64_cmp\n"
  "  .type aot_intrinsic_f64_cmp, %function\n"
  "  .thumb_func\n"
  "aot_intrinsic_f64_cmp:\n" /* r0 cond, r2:r3 lhs (lo:hi), rhs on the stack */
  "  push {r4, r5}\n"
  "  ldrd r4, r5, [sp, #8]\n"
  "  cmp r2, #1\n"
  "  adc ip, r3, r3\n"
  "  cmn ip, #0x00200000\n"
  "  bhi .Lxw_f64_unordered\n"
  "  cmp r4, #1\n"
  "  adc ip, r5, r5\n"
  "  cmn ip, #0x00200000\n"
  "  bhi .Lxw_f64_unordered\n"
  "  asr ip, r3, #31\n"
  "  eor r2, r2, ip\n"
  "  eor r3, r3, ip, lsr #1\n"
  "  subs r2, r2, ip\n"
  "  sbc r3, r3, ip\n"
  "  asr ip, r5, #31\n"
  "  eor r4, r4, ip\n"
  "  eor r5, r5, ip, lsr #1\n"
  "  subs r4, r4, ip\n"
  "  sbc r5, r5, ip\n"
  "  cmp r0, #6\n"
  "  bhi .Lxw_f64_false\n"
  "  tbb [pc, r0]\n"
  ".Lxw_f64_tbb:\n"
  "  .byte (.Lxw_f64_eq - .Lxw_f64_tbb) / 2, (.Lxw_f64_ne - .Lxw_f64_tbb) / 2, (.Lxw_f64_lt - .Lxw_f64_tbb) / 2\n"
  "  .byte (.Lxw_f64_gt - .Lxw_f64_tbb) / 2, (.Lxw_f64_le - .Lxw_f64_tbb) / 2, (.Lxw_f64_ge - .Lxw_f64_tbb) / 2\n"
  "  .byte (.Lxw_f64_false - .Lxw_f64_tbb) / 2\n"
  "  .p2align 1\n"
  ".Lxw_f64_eq:\n"
  "  cmp r3, r5\n  it eq\n  cmpeq r2, r4\n  pop {r4, r5}\n"
  "  ite eq\n  moveq r0, #1\n  movne r0, #0\n  bx lr\n"
  ".Lxw_f64_ne:\n"
  "  cmp r3, r5\n  it eq\n  cmpeq r2, r4\n  pop {r4, r5}\n"
  "  ite ne\n  movne r0, #1\n  moveq r0, #0\n  bx lr\n"
  ".Lxw_f64_lt:\n" /* lhs - rhs < 0 */
  "  subs r2, r2, r4\n  sbcs r3, r3, r5\n  pop {r4, r5}\n"
  "  ite lt\n  movlt r0, #1\n  movge r0, #0\n  bx lr\n"
  ".Lxw_f64_ge:\n"
  "  subs r2, r2, r4\n  sbcs r3, r3, r5\n  pop {r4, r5}\n"
  "  ite ge\n  movge r0, #1\n  movlt r0, #0\n  bx lr\n"
  ".Lxw_f64_gt:\n" /* rhs - lhs < 0 */
  "  subs r4, r4, r2\n  sbcs r5, r5, r3\n  pop {r4, r5}\n"
  "  ite lt\n  movlt r0, #1\n  movge r0, #0\n  bx lr\n"
  ".Lxw_f64_le:\n"
  "  subs r4, r4, r2\n  sbcs r5, r5, r3\n  pop {r4, r5}\n"
  "  ite ge\n  movge r0, #1\n  movlt r0, #0\n  bx lr\n"
  ".Lxw_f64_false:\n"
  "  pop {r4, r5}\n"
  "  movs r0, #0\n"
  "  bx lr\n"
  ".Lxw_f64_unordered:\n"
  "  pop {r4, r5}\n"
  "  b .Lxw_cmp_unordered\n"
  "  .size aot_intrinsic_f64_cmp, . - aot_intrinsic_f64_cmp\n"
  "  .popsection\n");
#elif XW_LIBGCC_FLOAT && defined(__riscv)
/*
 * RV32 without F (ilp32): the NaN test first (a NaN is hi << 1 above the infinity's, for f64 with a nonzero low
 * word when equal to it), then cond: EQ/NE compare the bits (or both are zeros), the orders compare the words as
 * signed integers, reversed when both operands are negative (sign-magnitude), after excluding a pair of zeros;
 * f64 orders compare the high words and then the low words unsigned. About 60-80% of libgcc's __eqsf2/__ltsf2/
 * __eqdf2/__ltdf2, which answer one relation without a cond (docs/intrinsics.md, docs/performance.md).
 */
__asm__(
  "  .pushsection .text.aot_intrinsic_f32_cmp,\"ax\",@progbits\n"
  "  .p2align 1\n"
  "  .globl aot_intrinsic_f32_cmp\n"
  "  .type aot_intrinsic_f32_cmp, @function\n"
  "aot_intrinsic_f32_cmp:\n" /* a0 cond, a1 lhs, a2 rhs */
  "  slli t1, a1, 1\n"
  "  slli t2, a2, 1\n"
  "  lui t3, 0xff000\n"
  "  bltu t3, t1, .Lxw_rv_unordered\n"
  "  bltu t3, t2, .Lxw_rv_unordered\n"
  "  or t3, t1, t2\n" /* 0: a pair of zeros, which are equal */
  "  li t4, 2\n"
  "  bltu a0, t4, .Lxw_f32_eqne\n"
  "  addi t0, a0, -2\n"
  "  bltu t0, t4, .Lxw_f32_ltgt\n"
  "  addi t0, t0, -2\n"
  "  bltu t0, t4, .Lxw_f32_lege\n"
  "  li a0, 0\n" /* UNO of ordered operands, unknown cond */
  "  ret\n"
  ".Lxw_f32_eqne:\n" /* a0: 0 EQ, 1 NE */
  "  beq a1, a2, 1f\n"
  "  beqz t3, 1f\n"
  "  ret\n"
  "1:xori a0, a0, 1\n"
  "  ret\n"
  ".Lxw_f32_ltgt:\n" /* t0: 0 LT, 1 GT */
  "  beqz t3, 2f\n"
  "  and t5, a1, a2\n"
  "  bnez t0, 1f\n"
  "  bltz t5, 3f\n"
  "4:slt a0, a1, a2\n"
  "  ret\n"
  "1:bltz t5, 4b\n"
  "3:slt a0, a2, a1\n"
  "  ret\n"
  "2:li a0, 0\n"
  "  ret\n"
  ".Lxw_f32_lege:\n" /* t0: 0 LE = !(rhs < lhs), 1 GE = !(lhs < rhs) */
  "  beqz t3, 2f\n"
  "  and t5, a1, a2\n"
  "  bnez t0, 1f\n"
  "  bltz t5, 3f\n"
  "4:slt a0, a2, a1\n"
  "  xori a0, a0, 1\n"
  "  ret\n"
  "1:bltz t5, 4b\n"
  "3:slt a0, a1, a2\n"
  "  xori a0, a0, 1\n"
  "  ret\n"
  "2:li a0, 1\n"
  "  ret\n"
  ".Lxw_rv_unordered:\n" /* NE and UNO hold */
  "  addi t0, a0, -1\n"
  "  seqz t0, t0\n"
  "  addi a0, a0, -6\n"
  "  seqz a0, a0\n"
  "  or a0, a0, t0\n"
  "  ret\n"
  "  .size aot_intrinsic_f32_cmp, . - aot_intrinsic_f32_cmp\n"
  "\n"
  "  .p2align 1\n"
  "  .globl aot_intrinsic_f64_cmp\n"
  "  .type aot_intrinsic_f64_cmp, @function\n"
  "aot_intrinsic_f64_cmp:\n" /* a0 cond, a1:a2 lhs (lo, hi), a3:a4 rhs */
  "  slli t1, a2, 1\n"
  "  slli t2, a4, 1\n"
  "  lui t3, 0xffe00\n"
  "  bgeu t1, t3, 5f\n" /* lhs is inf or NaN */
  "6:bgeu t2, t3, 7f\n"
  "8:li t4, 2\n"
  "  bltu a0, t4, .Lxw_f64_eqne\n"
  "  addi t0, a0, -2\n"
  "  bltu t0, t4, .Lxw_f64_ltgt\n"
  "  addi t0, t0, -2\n"
  "  bltu t0, t4, .Lxw_f64_lege\n"
  "  li a0, 0\n"
  "  ret\n"
  "5:bne t1, t3, .Lxw_rv_unordered\n"
  "  bnez a1, .Lxw_rv_unordered\n"
  "  j 6b\n"
  "7:bne t2, t3, .Lxw_rv_unordered\n"
  "  bnez a3, .Lxw_rv_unordered\n"
  "  j 8b\n"
  ".Lxw_f64_eqne:\n"
  "  bne a1, a3, 1f\n"
  "  beq a2, a4, 2f\n"
  "1:or t1, t1, t2\n" /* a pair of zeros */
  "  or t1, t1, a1\n"
  "  or t1, t1, a3\n"
  "  beqz t1, 2f\n"
  "  ret\n"
  "2:xori a0, a0, 1\n"
  "  ret\n"
  /* lhs < rhs (inv = 0) or its negation (inv = 1), for ordered operands in the given registers */
  "  .macro xw_f64_lt xlo, xhi, ylo, yhi, inv\n"
  "  xor t5, \\xhi, \\yhi\n"
  "  bltz t5, 3f\n" /* signs differ */
  "  bltz \\xhi, 2f\n"
  "  bne \\xhi, \\yhi, 1f\n"
  "  sltu a0, \\xlo, \\ylo\n"
  "  xori a0, a0, \\inv\n"
  "  ret\n"
  "1:sltu a0, \\xhi, \\yhi\n"
  "  xori a0, a0, \\inv\n"
  "  ret\n"
  "2:bne \\xhi, \\yhi, 1f\n" /* both negative: the larger magnitude is less */
  "  sltu a0, \\ylo, \\xlo\n"
  "  xori a0, a0, \\inv\n"
  "  ret\n"
  "1:sltu a0, \\yhi, \\xhi\n"
  "  xori a0, a0, \\inv\n"
  "  ret\n"
  "3:or t1, t1, t2\n" /* lhs < rhs when lhs is the negative one, unless both are zeros */
  "  or t1, t1, a1\n"
  "  or t1, t1, a3\n"
  "  snez t1, t1\n"
  "  srli a0, \\xhi, 31\n"
  "  and a0, a0, t1\n"
  "  xori a0, a0, \\inv\n"
  "  ret\n"
  "  .endm\n"
  ".Lxw_f64_ltgt:\n" /* t0: 0 LT, 1 GT = rhs < lhs */
  "  bnez t0, .Lxw_f64_gt\n"
  "  xw_f64_lt a1, a2, a3, a4, 0\n"
  ".Lxw_f64_gt:\n"
  "  xw_f64_lt a3, a4, a1, a2, 0\n"
  ".Lxw_f64_lege:\n" /* t0: 0 LE = !(rhs < lhs), 1 GE = !(lhs < rhs) */
  "  bnez t0, .Lxw_f64_ge\n"
  "  xw_f64_lt a3, a4, a1, a2, 1\n"
  ".Lxw_f64_ge:\n"
  "  xw_f64_lt a1, a2, a3, a4, 1\n"
  "  .purgem xw_f64_lt\n"
  "  .size aot_intrinsic_f64_cmp, . - aot_intrinsic_f64_cmp\n"
  "  .popsection\n");
#else
int32_t aot_intrinsic_f32_cmp(int32_t cond, float lhs, float rhs)
{
  uint32_t a = xw_f32_to_bits(lhs), b = xw_f32_to_bits(rhs);
  int32_t ka, kb;
  if ((a << 1) > (XW_F32_EXP << 1) || (b << 1) > (XW_F32_EXP << 1)) return cmp_result(cond, 8u);
  ka = f32_key(a);
  kb = f32_key(b);
  return cmp_result(cond, ka < kb ? 1u : ka == kb ? 2u : 4u);
}

int32_t aot_intrinsic_f64_cmp(int32_t cond, double lhs, double rhs)
{
  uint64_t a = xw_f64_to_bits(lhs), b = xw_f64_to_bits(rhs);
  int64_t ka, kb;
  if (xw_f64_is_nan(a) || xw_f64_is_nan(b)) return cmp_result(cond, 8u);
  ka = f64_key(a);
  kb = f64_key(b);
  return cmp_result(cond, ka < kb ? 1u : ka == kb ? 2u : 4u);
}
#endif

/*
 * Runtime intrinsics: WAMR's builtin intrinsic functions (core/iwasm/aot/aot_intrinsic.h),
 * same names and C signatures, with exact WebAssembly semantics.
 *
 * Compiled code calls these through the native-symbol table (docs/abi.md §7) with the
 * plain AAPCS convention. Unlike WAMR's, the trapping ones check for themselves
 * (division by zero, INT_MIN / -1, NaN or out-of-range float->int) and call
 * xw_intrinsic_trap(), so a caller that has already checked loses nothing and one
 * that has not is still correct. docs/intrinsics.md lists every function and its rules.
 *
 * Build with -ffp-contract=off: Wasm has no fused multiply-add.
 */
#ifndef XW_INTRINSICS_H
#define XW_INTRINSICS_H

#include <stdint.h>

#ifndef XW_NORETURN
#if defined(__GNUC__) || defined(__clang__)
#define XW_NORETURN __attribute__((noreturn))
#else
#define XW_NORETURN
#endif
#endif

/*
 * Provided by the runtime core (trap.c). WAMR's intrinsic signatures carry no exec_env, and
 * the runtime keeps no global "current call" (docs/embedding.md §7), so this cannot end the
 * call: compiled code checks before every trapping intrinsic (docs/abi.md §7), and reaching
 * this means a miscompiled image, which stops the system (XW_PLATFORM_ABORT).
 */
XW_NORETURN void xw_intrinsic_trap(uint32_t code);

/* Trap codes used here (the same numbers as xw_trap_code in xipwasm.h). */
#define XW_INTRINSIC_TRAP_DIV_BY_ZERO 7u
#define XW_INTRINSIC_TRAP_INTEGER_OVERFLOW 8u
#define XW_INTRINSIC_TRAP_INVALID_CONVERSION 9u

/*
 * The cond argument of aot_intrinsic_f32_cmp / f64_cmp: WAMR's AOTFloatCond
 * (core/iwasm/compilation/aot.h), passed as a 32-bit int. Same spelling and values as
 * the generated xipwasm_symbols.h, so both headers may be included together.
 */
#define XW_FLOAT_COND_EQ 0
#define XW_FLOAT_COND_NE 1
#define XW_FLOAT_COND_LT 2
#define XW_FLOAT_COND_GT 3
#define XW_FLOAT_COND_LE 4
#define XW_FLOAT_COND_GE 5
#define XW_FLOAT_COND_UNO 6

/*
 * On an Arm core with no FPU and the soft-float ABI, an intrinsic whose libgcc routine already has Wasm
 * semantics (results, NaN rule) IS that routine: its name is a macro for libgcc's, so the native-symbol table
 * (symbols.c) holds libgcc's address and a call costs what a native call costs. docs/intrinsics.md says which
 * and why the others are not; the intrinsics test checks all of them against V8 on the boards.
 * -DXW_LIBGCC_FLOAT=0 compiles the C versions instead.
 */
#ifndef XW_LIBGCC_FLOAT
#if defined(__arm__) && !defined(__ARM_FP) && !defined(__ARM_PCS_VFP)
#define XW_LIBGCC_FLOAT 1
#elif defined(__riscv) && __riscv_xlen == 32 && !defined(__riscv_flen)
#define XW_LIBGCC_FLOAT 1
#else
#define XW_LIBGCC_FLOAT 0
#endif
#endif

/*
 * RV32 with F but no D (ilp32f): f64 is soft-float as without F, and libgcc's f64 routines are the same generic
 * soft-fp code (integer arithmetic; frm is round-to-nearest-even from reset and nothing changes it), with f64 in
 * integer registers under both ABIs: its f64 rows of the ilp32 table below hold here too. f32 is F's (the C
 * versions, which compile to F instructions, stay for what the compiler still calls).
 */
#ifndef XW_LIBGCC_F64
#if defined(__riscv) && __riscv_xlen == 32 && defined(__riscv_flen) && __riscv_flen == 32
#define XW_LIBGCC_F64 1
#else
#define XW_LIBGCC_F64 0
#endif
#endif

#if XW_LIBGCC_F64
#define aot_intrinsic_fadd_f64 __adddf3
#define aot_intrinsic_fsub_f64 __subdf3
#define aot_intrinsic_fmul_f64 __muldf3
#define aot_intrinsic_fdiv_f64 __divdf3
#define aot_intrinsic_i32_to_f64 __floatsidf
#define aot_intrinsic_u32_to_f64 __floatunsidf
#define aot_intrinsic_i64_to_f64 __floatdidf
#define aot_intrinsic_u64_to_f64 __floatundidf
#define aot_intrinsic_f64_to_f32 __truncdfsf2
#elif XW_LIBGCC_FLOAT && defined(__riscv)
/* RV32 without F (ilp32): libgcc's generic soft-fp routines, right for Wasm wherever used (docs/intrinsics.md);
   f32 -> f64 stays the runtime's C, which is shorter than __extendsfdf2. */
#define aot_intrinsic_fadd_f32 __addsf3
#define aot_intrinsic_fsub_f32 __subsf3
#define aot_intrinsic_fmul_f32 __mulsf3
#define aot_intrinsic_fdiv_f32 __divsf3
#if !(defined(XW_F64_ADD_SOFT) && XW_F64_ADD_SOFT)
#define aot_intrinsic_fadd_f64 __adddf3
#define aot_intrinsic_fsub_f64 __subdf3
#endif
#define aot_intrinsic_fmul_f64 __muldf3
#define aot_intrinsic_fdiv_f64 __divdf3
#define aot_intrinsic_i32_to_f32 __floatsisf
#define aot_intrinsic_u32_to_f32 __floatunsisf
#define aot_intrinsic_i64_to_f32 __floatdisf
#define aot_intrinsic_u64_to_f32 __floatundisf
#define aot_intrinsic_i32_to_f64 __floatsidf
#define aot_intrinsic_u32_to_f64 __floatunsidf
#define aot_intrinsic_i64_to_f64 __floatdidf
#define aot_intrinsic_u64_to_f64 __floatundidf
#define aot_intrinsic_f64_to_f32 __truncdfsf2
#elif XW_LIBGCC_FLOAT
#define aot_intrinsic_fadd_f32 __aeabi_fadd
#define aot_intrinsic_fsub_f32 __aeabi_fsub
#define aot_intrinsic_fmul_f32 __aeabi_fmul
#define aot_intrinsic_fdiv_f32 __aeabi_fdiv
#define aot_intrinsic_fmul_f64 __aeabi_dmul
#define aot_intrinsic_fdiv_f64 __aeabi_ddiv
/* Thumb-2/Arm libgcc's __aeabi_dadd misrounds (docs/intrinsics.md): there f64 +/- check first (intrinsics_float.c). */
#if defined(__ARM_ARCH_6M__) && !(defined(XW_F64_ADD_SOFT) && XW_F64_ADD_SOFT)
#define aot_intrinsic_fadd_f64 __aeabi_dadd
#define aot_intrinsic_fsub_f64 __aeabi_dsub
#endif
#define aot_intrinsic_i32_to_f32 __aeabi_i2f
#define aot_intrinsic_u32_to_f32 __aeabi_ui2f
#define aot_intrinsic_i64_to_f32 __aeabi_l2f
#define aot_intrinsic_u64_to_f32 __aeabi_ul2f
#define aot_intrinsic_i32_to_f64 __aeabi_i2d
#define aot_intrinsic_u32_to_f64 __aeabi_ui2d
#define aot_intrinsic_i64_to_f64 __aeabi_l2d
#define aot_intrinsic_u64_to_f64 __aeabi_ul2d
#define aot_intrinsic_f32_to_f64 __aeabi_f2d
#define aot_intrinsic_f64_to_f32 __aeabi_d2f
#endif

/* ---- f32 / f64 arithmetic (intrinsics_float.c) ---- */
float aot_intrinsic_fadd_f32(float a, float b);
double aot_intrinsic_fadd_f64(double a, double b);
float aot_intrinsic_fsub_f32(float a, float b);
double aot_intrinsic_fsub_f64(double a, double b);
float aot_intrinsic_fmul_f32(float a, float b);
double aot_intrinsic_fmul_f64(double a, double b);
float aot_intrinsic_fdiv_f32(float a, float b);
double aot_intrinsic_fdiv_f64(double a, double b);
float aot_intrinsic_fabs_f32(float a);
double aot_intrinsic_fabs_f64(double a);
float aot_intrinsic_ceil_f32(float a);
double aot_intrinsic_ceil_f64(double a);
float aot_intrinsic_floor_f32(float a);
double aot_intrinsic_floor_f64(double a);
float aot_intrinsic_trunc_f32(float a);
double aot_intrinsic_trunc_f64(double a);
float aot_intrinsic_rint_f32(float a);
double aot_intrinsic_rint_f64(double a);
float aot_intrinsic_sqrt_f32(float a);
double aot_intrinsic_sqrt_f64(double a);
float aot_intrinsic_copysign_f32(float a, float b);
double aot_intrinsic_copysign_f64(double a, double b);
float aot_intrinsic_fmin_f32(float a, float b);
double aot_intrinsic_fmin_f64(double a, double b);
float aot_intrinsic_fmax_f32(float a, float b);
double aot_intrinsic_fmax_f64(double a, double b);
int32_t aot_intrinsic_f32_cmp(int32_t cond, float lhs, float rhs);
int32_t aot_intrinsic_f64_cmp(int32_t cond, double lhs, double rhs);

/* ---- bit counts and integer arithmetic (intrinsics_int.c) ---- */
uint32_t aot_intrinsic_clz_i32(uint32_t a);
uint64_t aot_intrinsic_clz_i64(uint64_t a);
uint32_t aot_intrinsic_ctz_i32(uint32_t a);
uint64_t aot_intrinsic_ctz_i64(uint64_t a);
uint32_t aot_intrinsic_popcnt_i32(uint32_t a);
uint64_t aot_intrinsic_popcnt_i64(uint64_t a);
int32_t aot_intrinsic_i32_div_s(int32_t l, int32_t r);
uint32_t aot_intrinsic_i32_div_u(uint32_t l, uint32_t r);
int32_t aot_intrinsic_i32_rem_s(int32_t l, int32_t r);
uint32_t aot_intrinsic_i32_rem_u(uint32_t l, uint32_t r);
int64_t aot_intrinsic_i64_div_s(int64_t l, int64_t r);
uint64_t aot_intrinsic_i64_div_u(uint64_t l, uint64_t r);
int64_t aot_intrinsic_i64_rem_s(int64_t l, int64_t r);
uint64_t aot_intrinsic_i64_rem_u(uint64_t l, uint64_t r);
uint64_t aot_intrinsic_i64_bit_or(uint64_t l, uint64_t r);
uint64_t aot_intrinsic_i64_bit_and(uint64_t l, uint64_t r);
uint64_t aot_intrinsic_i64_mul(uint64_t l, uint64_t r);
uint64_t aot_intrinsic_i64_shl(uint64_t l, uint64_t r);
uint64_t aot_intrinsic_i64_shr_s(uint64_t l, uint64_t r);
uint64_t aot_intrinsic_i64_shr_u(uint64_t l, uint64_t r);

/* ---- conversions (intrinsics_conv.c) ---- */
float aot_intrinsic_i32_to_f32(int32_t i);
float aot_intrinsic_u32_to_f32(uint32_t u);
double aot_intrinsic_i32_to_f64(int32_t i);
double aot_intrinsic_u32_to_f64(uint32_t u);
float aot_intrinsic_i64_to_f32(int64_t i);
float aot_intrinsic_u64_to_f32(uint64_t u);
double aot_intrinsic_i64_to_f64(int64_t i);
double aot_intrinsic_u64_to_f64(uint64_t u);
/* Trapping truncation (i32.trunc_f32_s, ...): NaN traps 9, out of range traps 8. */
int32_t aot_intrinsic_f32_to_i32(float f);
uint32_t aot_intrinsic_f32_to_u32(float f);
int64_t aot_intrinsic_f32_to_i64(float f);
uint64_t aot_intrinsic_f32_to_u64(float f);
int32_t aot_intrinsic_f64_to_i32(double f);
uint32_t aot_intrinsic_f64_to_u32(double f);
int64_t aot_intrinsic_f64_to_i64(double f);
uint64_t aot_intrinsic_f64_to_u64(double f);
double aot_intrinsic_f32_to_f64(float f);
float aot_intrinsic_f64_to_f32(double f);

/*
 * Saturating truncation (i32.trunc_sat_f32_s, ...). Not in WAMR, which clamps in the
 * compiled code and then calls the plain conversion; offered so a core without an FPU
 * need not do the float comparisons inline. Not in the native-symbol catalogue (yet).
 */
int32_t xw_intrinsic_f32_to_i32_sat(float f);
uint32_t xw_intrinsic_f32_to_u32_sat(float f);
int64_t xw_intrinsic_f32_to_i64_sat(float f);
uint64_t xw_intrinsic_f32_to_u64_sat(float f);
int32_t xw_intrinsic_f64_to_i32_sat(double f);
uint32_t xw_intrinsic_f64_to_u32_sat(double f);
int64_t xw_intrinsic_f64_to_i64_sat(double f);
uint64_t xw_intrinsic_f64_to_u64_sat(double f);

/* ---- private to intrinsics*.c: bit views of floats (C99 allows union punning) ---- */
typedef union { float f; uint32_t u; } xw_f32_bits;
typedef union { double f; uint64_t u; } xw_f64_bits;

static inline uint32_t xw_f32_to_bits(float f) { xw_f32_bits b; b.f = f; return b.u; }
static inline float xw_f32_from_bits(uint32_t u) { xw_f32_bits b; b.u = u; return b.f; }
static inline uint64_t xw_f64_to_bits(double f) { xw_f64_bits b; b.f = f; return b.u; }
static inline double xw_f64_from_bits(uint64_t u) { xw_f64_bits b; b.u = u; return b.f; }

#define XW_F32_SIGN 0x80000000u
#define XW_F32_EXP 0x7f800000u
#define XW_F32_QUIET 0x00400000u
#define XW_F32_CANONICAL_NAN 0x7fc00000u
#define XW_F64_SIGN 0x8000000000000000ull
#define XW_F64_EXP 0x7ff0000000000000ull
#define XW_F64_QUIET 0x0008000000000000ull
#define XW_F64_CANONICAL_NAN 0x7ff8000000000000ull

static inline int xw_f32_is_nan(uint32_t u) { return (u & ~XW_F32_SIGN) > XW_F32_EXP; }
static inline int xw_f64_is_nan(uint64_t u) { return (u & ~XW_F64_SIGN) > XW_F64_EXP; }

#endif /* XW_INTRINSICS_H */

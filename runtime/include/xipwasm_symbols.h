/*
 * xipwasm native-symbol table: indices, names and C signatures.
 * GENERATED from src/xip/catalogue.ts by `npm run gen`; do not edit.
 *
 * Compiled code calls native symbol i through the const table whose address
 * exec_env holds. The order is ABI: a change bumps XW_NATIVE_SYMBOL_ABI_VERSION.
 * The includer must declare xw_exec_env before expanding XW_FOR_EACH_SYMBOL.
 */
#ifndef XIPWASM_SYMBOLS_H
#define XIPWASM_SYMBOLS_H

#include <stdint.h>

#define XW_NATIVE_SYMBOL_ABI_VERSION 1
#define XW_SYM_COUNT 80

#define XW_SYM_TRAP          0
#define XW_SYM_MEMORY_GROW   1
#define XW_SYM_MEMORY_FILL   2
#define XW_SYM_MEMORY_COPY   3
#define XW_SYM_MEMORY_INIT   4
#define XW_SYM_DATA_DROP     5
#define XW_SYM_TABLE_GET     6
#define XW_SYM_TABLE_SET     7
#define XW_SYM_TABLE_SIZE    8
#define XW_SYM_TABLE_GROW    9
#define XW_SYM_TABLE_FILL    10
#define XW_SYM_TABLE_COPY    11
#define XW_SYM_TABLE_INIT    12
#define XW_SYM_ELEM_DROP     13
#define XW_SYM_FADD_F32      14
#define XW_SYM_FADD_F64      15
#define XW_SYM_FSUB_F32      16
#define XW_SYM_FSUB_F64      17
#define XW_SYM_FMUL_F32      18
#define XW_SYM_FMUL_F64      19
#define XW_SYM_FDIV_F32      20
#define XW_SYM_FDIV_F64      21
#define XW_SYM_FABS_F32      22
#define XW_SYM_FABS_F64      23
#define XW_SYM_CEIL_F32      24
#define XW_SYM_CEIL_F64      25
#define XW_SYM_FLOOR_F32     26
#define XW_SYM_FLOOR_F64     27
#define XW_SYM_TRUNC_F32     28
#define XW_SYM_TRUNC_F64     29
#define XW_SYM_RINT_F32      30
#define XW_SYM_RINT_F64      31
#define XW_SYM_SQRT_F32      32
#define XW_SYM_SQRT_F64      33
#define XW_SYM_COPYSIGN_F32  34
#define XW_SYM_COPYSIGN_F64  35
#define XW_SYM_FMIN_F32      36
#define XW_SYM_FMIN_F64      37
#define XW_SYM_FMAX_F32      38
#define XW_SYM_FMAX_F64      39
#define XW_SYM_CLZ_I32       40
#define XW_SYM_CLZ_I64       41
#define XW_SYM_CTZ_I32       42
#define XW_SYM_CTZ_I64       43
#define XW_SYM_POPCNT_I32    44
#define XW_SYM_POPCNT_I64    45
#define XW_SYM_I32_TO_F64    46
#define XW_SYM_U32_TO_F64    47
#define XW_SYM_I32_TO_F32    48
#define XW_SYM_U32_TO_F32    49
#define XW_SYM_I64_TO_F64    50
#define XW_SYM_U64_TO_F64    51
#define XW_SYM_I64_TO_F32    52
#define XW_SYM_U64_TO_F32    53
#define XW_SYM_F32_TO_U32    54
#define XW_SYM_F32_TO_I32    55
#define XW_SYM_F64_TO_U32    56
#define XW_SYM_F64_TO_I32    57
#define XW_SYM_F64_TO_U64    58
#define XW_SYM_F32_TO_I64    59
#define XW_SYM_F32_TO_U64    60
#define XW_SYM_F64_TO_I64    61
#define XW_SYM_F64_TO_F32    62
#define XW_SYM_F32_TO_F64    63
#define XW_SYM_F32_CMP       64
#define XW_SYM_F64_CMP       65
#define XW_SYM_I64_DIV_S     66
#define XW_SYM_I32_DIV_S     67
#define XW_SYM_I32_DIV_U     68
#define XW_SYM_I32_REM_S     69
#define XW_SYM_I32_REM_U     70
#define XW_SYM_I64_DIV_U     71
#define XW_SYM_I64_REM_S     72
#define XW_SYM_I64_REM_U     73
#define XW_SYM_I64_BIT_OR    74
#define XW_SYM_I64_BIT_AND   75
#define XW_SYM_I64_MUL       76
#define XW_SYM_I64_SHL       77
#define XW_SYM_I64_SHR_S     78
#define XW_SYM_I64_SHR_U     79

/* The cond argument of aot_intrinsic_f32_cmp / aot_intrinsic_f64_cmp (WAMR's AOTFloatCond). */
#define XW_FLOAT_COND_EQ 0
#define XW_FLOAT_COND_NE 1
#define XW_FLOAT_COND_LT 2
#define XW_FLOAT_COND_GT 3
#define XW_FLOAT_COND_LE 4
#define XW_FLOAT_COND_GE 5
#define XW_FLOAT_COND_UNO 6

/*
 * X(INDEX, NAME, RET, PARAMS, NORETURN) for every symbol in index order.
 * PARAMS is a parenthesised list of types, NORETURN is 1 when it never returns.
 */
#define XW_FOR_EACH_SYMBOL(X) \
    X(0, xw_trap, void, (xw_exec_env *, uint32_t), 1) \
    X(1, xw_memory_grow, int32_t, (xw_exec_env *, uint32_t), 0) \
    X(2, xw_memory_fill, void, (xw_exec_env *, uint32_t, uint32_t, uint32_t), 0) \
    X(3, xw_memory_copy, void, (xw_exec_env *, uint32_t, uint32_t, uint32_t), 0) \
    X(4, xw_memory_init, void, (xw_exec_env *, uint32_t, uint32_t, uint32_t, uint32_t), 0) \
    X(5, xw_data_drop, void, (xw_exec_env *, uint32_t), 0) \
    X(6, xw_table_get, uint32_t, (xw_exec_env *, uint32_t, uint32_t), 0) \
    X(7, xw_table_set, void, (xw_exec_env *, uint32_t, uint32_t, uint32_t), 0) \
    X(8, xw_table_size, uint32_t, (xw_exec_env *, uint32_t), 0) \
    X(9, xw_table_grow, int32_t, (xw_exec_env *, uint32_t, uint32_t, uint32_t), 0) \
    X(10, xw_table_fill, void, (xw_exec_env *, uint32_t, uint32_t, uint32_t, uint32_t), 0) \
    X(11, xw_table_copy, void, (xw_exec_env *, uint32_t, uint32_t, uint32_t, uint32_t, uint32_t), 0) \
    X(12, xw_table_init, void, (xw_exec_env *, uint32_t, uint32_t, uint32_t, uint32_t, uint32_t), 0) \
    X(13, xw_elem_drop, void, (xw_exec_env *, uint32_t), 0) \
    X(14, aot_intrinsic_fadd_f32, float, (float, float), 0) \
    X(15, aot_intrinsic_fadd_f64, double, (double, double), 0) \
    X(16, aot_intrinsic_fsub_f32, float, (float, float), 0) \
    X(17, aot_intrinsic_fsub_f64, double, (double, double), 0) \
    X(18, aot_intrinsic_fmul_f32, float, (float, float), 0) \
    X(19, aot_intrinsic_fmul_f64, double, (double, double), 0) \
    X(20, aot_intrinsic_fdiv_f32, float, (float, float), 0) \
    X(21, aot_intrinsic_fdiv_f64, double, (double, double), 0) \
    X(22, aot_intrinsic_fabs_f32, float, (float), 0) \
    X(23, aot_intrinsic_fabs_f64, double, (double), 0) \
    X(24, aot_intrinsic_ceil_f32, float, (float), 0) \
    X(25, aot_intrinsic_ceil_f64, double, (double), 0) \
    X(26, aot_intrinsic_floor_f32, float, (float), 0) \
    X(27, aot_intrinsic_floor_f64, double, (double), 0) \
    X(28, aot_intrinsic_trunc_f32, float, (float), 0) \
    X(29, aot_intrinsic_trunc_f64, double, (double), 0) \
    X(30, aot_intrinsic_rint_f32, float, (float), 0) \
    X(31, aot_intrinsic_rint_f64, double, (double), 0) \
    X(32, aot_intrinsic_sqrt_f32, float, (float), 0) \
    X(33, aot_intrinsic_sqrt_f64, double, (double), 0) \
    X(34, aot_intrinsic_copysign_f32, float, (float, float), 0) \
    X(35, aot_intrinsic_copysign_f64, double, (double, double), 0) \
    X(36, aot_intrinsic_fmin_f32, float, (float, float), 0) \
    X(37, aot_intrinsic_fmin_f64, double, (double, double), 0) \
    X(38, aot_intrinsic_fmax_f32, float, (float, float), 0) \
    X(39, aot_intrinsic_fmax_f64, double, (double, double), 0) \
    X(40, aot_intrinsic_clz_i32, uint32_t, (uint32_t), 0) \
    X(41, aot_intrinsic_clz_i64, uint64_t, (uint64_t), 0) \
    X(42, aot_intrinsic_ctz_i32, uint32_t, (uint32_t), 0) \
    X(43, aot_intrinsic_ctz_i64, uint64_t, (uint64_t), 0) \
    X(44, aot_intrinsic_popcnt_i32, uint32_t, (uint32_t), 0) \
    X(45, aot_intrinsic_popcnt_i64, uint64_t, (uint64_t), 0) \
    X(46, aot_intrinsic_i32_to_f64, double, (int32_t), 0) \
    X(47, aot_intrinsic_u32_to_f64, double, (uint32_t), 0) \
    X(48, aot_intrinsic_i32_to_f32, float, (int32_t), 0) \
    X(49, aot_intrinsic_u32_to_f32, float, (uint32_t), 0) \
    X(50, aot_intrinsic_i64_to_f64, double, (int64_t), 0) \
    X(51, aot_intrinsic_u64_to_f64, double, (uint64_t), 0) \
    X(52, aot_intrinsic_i64_to_f32, float, (int64_t), 0) \
    X(53, aot_intrinsic_u64_to_f32, float, (uint64_t), 0) \
    X(54, aot_intrinsic_f32_to_u32, uint32_t, (float), 0) \
    X(55, aot_intrinsic_f32_to_i32, int32_t, (float), 0) \
    X(56, aot_intrinsic_f64_to_u32, uint32_t, (double), 0) \
    X(57, aot_intrinsic_f64_to_i32, int32_t, (double), 0) \
    X(58, aot_intrinsic_f64_to_u64, uint64_t, (double), 0) \
    X(59, aot_intrinsic_f32_to_i64, int64_t, (float), 0) \
    X(60, aot_intrinsic_f32_to_u64, uint64_t, (float), 0) \
    X(61, aot_intrinsic_f64_to_i64, int64_t, (double), 0) \
    X(62, aot_intrinsic_f64_to_f32, float, (double), 0) \
    X(63, aot_intrinsic_f32_to_f64, double, (float), 0) \
    X(64, aot_intrinsic_f32_cmp, int32_t, (int32_t, float, float), 0) \
    X(65, aot_intrinsic_f64_cmp, int32_t, (int32_t, double, double), 0) \
    X(66, aot_intrinsic_i64_div_s, int64_t, (int64_t, int64_t), 0) \
    X(67, aot_intrinsic_i32_div_s, int32_t, (int32_t, int32_t), 0) \
    X(68, aot_intrinsic_i32_div_u, uint32_t, (uint32_t, uint32_t), 0) \
    X(69, aot_intrinsic_i32_rem_s, int32_t, (int32_t, int32_t), 0) \
    X(70, aot_intrinsic_i32_rem_u, uint32_t, (uint32_t, uint32_t), 0) \
    X(71, aot_intrinsic_i64_div_u, uint64_t, (uint64_t, uint64_t), 0) \
    X(72, aot_intrinsic_i64_rem_s, int64_t, (int64_t, int64_t), 0) \
    X(73, aot_intrinsic_i64_rem_u, uint64_t, (uint64_t, uint64_t), 0) \
    X(74, aot_intrinsic_i64_bit_or, uint64_t, (uint64_t, uint64_t), 0) \
    X(75, aot_intrinsic_i64_bit_and, uint64_t, (uint64_t, uint64_t), 0) \
    X(76, aot_intrinsic_i64_mul, uint64_t, (uint64_t, uint64_t), 0) \
    X(77, aot_intrinsic_i64_shl, uint64_t, (uint64_t, uint64_t), 0) \
    X(78, aot_intrinsic_i64_shr_s, uint64_t, (uint64_t, uint64_t), 0) \
    X(79, aot_intrinsic_i64_shr_u, uint64_t, (uint64_t, uint64_t), 0) \
    /* end */

#endif /* XIPWASM_SYMBOLS_H */

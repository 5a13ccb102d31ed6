/**
 * The native-symbol catalogue: the single table from which the CLI, the code
 * generator, the AOT writer and the runtime header (runtime/include/xipwasm_symbols.h)
 * all derive.
 *
 * Two kinds of rows share one index space:
 *  - runtime helpers (`xw_*`) that compiled code calls for traps, memory.grow,
 *    bulk memory and tables; they come first, at fixed indices 0..13;
 *  - WAMR's builtin intrinsics, named exactly as `--enable-builtin-intrinsics`
 *    spells them in WAMR (doc/xip.md, core/iwasm/aot/aot_intrinsic.c), with
 *    WAMR's runtime function names and C signatures.
 *
 * The indices are ABI: compiled code loads `native_symbols[index]` from
 * exec_env, so rows may only be appended, and any change of meaning bumps
 * NATIVE_SYMBOL_ABI_VERSION.
 */

import { InternalError } from '../errors.js';

export const NATIVE_SYMBOL_ABI_VERSION = 1;

/**
 * C types used in signatures. 'fcond' is WAMR's AOTFloatCond passed by value
 * (an int under AAPCS); 'env' is `xw_exec_env *`.
 */
export type CType = 'void' | 'i32' | 'u32' | 'i64' | 'u64' | 'f32' | 'f64' | 'env' | 'fcond';

export interface CSignature {
  readonly ret: CType;
  readonly params: readonly CType[];
  /** The function never returns (it longjmps out); the caller need not preserve anything after it. */
  readonly noreturn: boolean;
}

/** WAMR's single-level groups; `all`, `fp.common` and `fpxint` are unions of these (see COMPOSITE_GROUPS). */
export type IntrinsicGroup =
  | 'i32.common' | 'i64.common' | 'f32.common' | 'f64.common'
  | 'f32xi32' | 'f64xi32' | 'f32xi64' | 'f64xi64' | 'constop';

export const BASE_GROUPS: readonly IntrinsicGroup[] = [
  'i32.common', 'i64.common', 'f32.common', 'f64.common',
  'f32xi32', 'f64xi32', 'f32xi64', 'f64xi64', 'constop',
];

export type CompositeGroup = 'all' | 'fp.common' | 'fpxint';

/** `all` is every row; the others follow aot_intrinsic_fill_capability_flags. */
export const COMPOSITE_GROUPS: Readonly<Record<Exclude<CompositeGroup, 'all'>, readonly IntrinsicGroup[]>> = {
  'fp.common': ['f32.common', 'f64.common'],
  fpxint: ['f32xi32', 'f64xi32', 'f32xi64', 'f64xi64'],
};

/**
 * What a CPU must have for the code generator to do the operation inline.
 * 'always': every target does it inline (the intrinsic only exists so users
 * can ask for a call). 'never': no Cortex-M core does it in a few
 * instructions, so the runtime function is always called.
 * The other values name a CpuInfo capability (see cpu.ts).
 */
export type InlineNeed =
  | 'always' | 'never'
  | 'thumb2' | 'hwdiv' | 'umull' | 'clz'
  | 'fpu-sp' | 'fpu-dp' | 'vrint-sp' | 'vrint-dp';

/** A WAMR builtin intrinsic (one row of WAMR's g_intrinsic_mapping). */
export interface IntrinsicEntry {
  readonly kind: 'intrinsic';
  /** The token accepted by --enable-builtin-intrinsics, e.g. 'llvm.experimental.constrained.fadd.f32'. */
  readonly wamrName: string;
  /** Runtime function, e.g. 'aot_intrinsic_fadd_f32'; undefined for the constop rows. */
  readonly symbol: string | undefined;
  /** Native-symbol index; undefined for the constop rows (they have no function). */
  readonly index: number | undefined;
  readonly signature: CSignature | undefined;
  /** Wasm operators (names as in src/wasm/opcodes.ts) this row implements. */
  readonly operators: readonly string[];
  readonly groups: readonly IntrinsicGroup[];
  readonly inlineNeed: InlineNeed;
  /** How the code generator does it when the call is not used (for `xipwasm intrinsics`). */
  readonly inline: string;
}

/** A runtime helper that is not a WAMR intrinsic. */
export interface HelperEntry {
  readonly kind: 'helper';
  readonly symbol: string;
  readonly index: number;
  readonly signature: CSignature;
  /** Wasm operators compiled as a call to it (xw_trap serves every trapping operator). */
  readonly operators: readonly string[];
}

export type NativeSymbol = HelperEntry | CallableIntrinsic;

export type CatalogueEntry = IntrinsicEntry;

/** A row that has a runtime function (every row but constop). */
export type CallableIntrinsic = IntrinsicEntry & { readonly symbol: string; readonly index: number; readonly signature: CSignature };

const sig = (ret: CType, ...params: CType[]): CSignature => ({ ret, params, noreturn: false });

const HELPER_ROWS: readonly (readonly [string, CSignature, readonly string[]])[] = [
  ['xw_trap', { ret: 'void', params: ['env', 'u32'], noreturn: true }, []],
  ['xw_memory_grow', sig('i32', 'env', 'u32'), ['memory.grow']],
  ['xw_memory_fill', sig('void', 'env', 'u32', 'u32', 'u32'), ['memory.fill']],
  ['xw_memory_copy', sig('void', 'env', 'u32', 'u32', 'u32'), ['memory.copy']],
  ['xw_memory_init', sig('void', 'env', 'u32', 'u32', 'u32', 'u32'), ['memory.init']],
  ['xw_data_drop', sig('void', 'env', 'u32'), ['data.drop']],
  ['xw_table_get', sig('u32', 'env', 'u32', 'u32'), ['table.get']],
  ['xw_table_set', sig('void', 'env', 'u32', 'u32', 'u32'), ['table.set']],
  ['xw_table_size', sig('u32', 'env', 'u32'), ['table.size']],
  ['xw_table_grow', sig('i32', 'env', 'u32', 'u32', 'u32'), ['table.grow']],
  ['xw_table_fill', sig('void', 'env', 'u32', 'u32', 'u32', 'u32'), ['table.fill']],
  ['xw_table_copy', sig('void', 'env', 'u32', 'u32', 'u32', 'u32', 'u32'), ['table.copy']],
  ['xw_table_init', sig('void', 'env', 'u32', 'u32', 'u32', 'u32', 'u32'), ['table.init']],
  ['xw_elem_drop', sig('void', 'env', 'u32'), ['elem.drop']],
];

export const HELPERS: readonly HelperEntry[] = HELPER_ROWS.map(([symbol, signature, operators], index) => ({
  kind: 'helper' as const, symbol, index, signature, operators,
}));

type Row = readonly [
  wamrName: string,
  symbol: string | undefined,
  signature: CSignature | undefined,
  operators: readonly string[],
  groups: readonly IntrinsicGroup[],
  inlineNeed: InlineNeed,
  inline: string,
];

const FCMP_OPS = (t: 'f32' | 'f64'): string[] => ['eq', 'ne', 'lt', 'gt', 'le', 'ge'].map((c) => `${t}.${c}`);

/*
 * Group membership follows WAMR's code (aot_intrinsic_fill_capability_flags), which
 * is what wamrc does, not doc/xip.md's prose where they differ:
 *  - i64.common also holds i64.mul, i64.shl, i64.shr_s, i64.shr_u;
 *  - f32.common / f64.common do NOT hold copysign, and f64.common does not hold
 *    f32_demote_f64 / f64_promote_f32 (the doc lists them);
 *  - ctlz / cttz / ctpop and copysign are reachable only by name or through `all`.
 * WAMR's f64_convert_i64_s row carries the I32_TO_F64 flag (so in wamrc `f64xi32`
 * enables it and `f64xi64` does not); we follow the names. No effect in practice:
 * float<->i64 conversions are calls on every Cortex-M anyway.
 * Row order is g_intrinsic_mapping's; indices follow the helpers.
 */
const F32C: readonly IntrinsicGroup[] = ['f32.common'];
const F64C: readonly IntrinsicGroup[] = ['f64.common'];
const I64C: readonly IntrinsicGroup[] = ['i64.common'];
const I32C: readonly IntrinsicGroup[] = ['i32.common'];
const NONE: readonly IntrinsicGroup[] = [];

const ROWS: readonly Row[] = [
  ['llvm.experimental.constrained.fadd.f32', 'aot_intrinsic_fadd_f32', sig('f32', 'f32', 'f32'), ['f32.add'], F32C, 'fpu-sp', 'VADD.F32'],
  ['llvm.experimental.constrained.fadd.f64', 'aot_intrinsic_fadd_f64', sig('f64', 'f64', 'f64'), ['f64.add'], F64C, 'fpu-dp', 'VADD.F64'],
  ['llvm.experimental.constrained.fsub.f32', 'aot_intrinsic_fsub_f32', sig('f32', 'f32', 'f32'), ['f32.sub'], F32C, 'fpu-sp', 'VSUB.F32'],
  ['llvm.experimental.constrained.fsub.f64', 'aot_intrinsic_fsub_f64', sig('f64', 'f64', 'f64'), ['f64.sub'], F64C, 'fpu-dp', 'VSUB.F64'],
  ['llvm.experimental.constrained.fmul.f32', 'aot_intrinsic_fmul_f32', sig('f32', 'f32', 'f32'), ['f32.mul'], F32C, 'fpu-sp', 'VMUL.F32'],
  ['llvm.experimental.constrained.fmul.f64', 'aot_intrinsic_fmul_f64', sig('f64', 'f64', 'f64'), ['f64.mul'], F64C, 'fpu-dp', 'VMUL.F64'],
  ['llvm.experimental.constrained.fdiv.f32', 'aot_intrinsic_fdiv_f32', sig('f32', 'f32', 'f32'), ['f32.div'], F32C, 'fpu-sp', 'VDIV.F32'],
  ['llvm.experimental.constrained.fdiv.f64', 'aot_intrinsic_fdiv_f64', sig('f64', 'f64', 'f64'), ['f64.div'], F64C, 'fpu-dp', 'VDIV.F64'],
  ['llvm.fabs.f32', 'aot_intrinsic_fabs_f32', sig('f32', 'f32'), ['f32.abs'], F32C, 'always', 'clear the sign bit (BIC, or VABS.F32)'],
  ['llvm.fabs.f64', 'aot_intrinsic_fabs_f64', sig('f64', 'f64'), ['f64.abs'], F64C, 'always', 'clear the sign bit of the high word'],
  ['llvm.ceil.f32', 'aot_intrinsic_ceil_f32', sig('f32', 'f32'), ['f32.ceil'], F32C, 'vrint-sp', 'VRINTP.F32'],
  ['llvm.ceil.f64', 'aot_intrinsic_ceil_f64', sig('f64', 'f64'), ['f64.ceil'], F64C, 'vrint-dp', 'VRINTP.F64'],
  ['llvm.floor.f32', 'aot_intrinsic_floor_f32', sig('f32', 'f32'), ['f32.floor'], F32C, 'vrint-sp', 'VRINTM.F32'],
  ['llvm.floor.f64', 'aot_intrinsic_floor_f64', sig('f64', 'f64'), ['f64.floor'], F64C, 'vrint-dp', 'VRINTM.F64'],
  ['llvm.trunc.f32', 'aot_intrinsic_trunc_f32', sig('f32', 'f32'), ['f32.trunc'], F32C, 'vrint-sp', 'VRINTZ.F32'],
  ['llvm.trunc.f64', 'aot_intrinsic_trunc_f64', sig('f64', 'f64'), ['f64.trunc'], F64C, 'vrint-dp', 'VRINTZ.F64'],
  ['llvm.rint.f32', 'aot_intrinsic_rint_f32', sig('f32', 'f32'), ['f32.nearest'], F32C, 'vrint-sp', 'VRINTN.F32'],
  ['llvm.rint.f64', 'aot_intrinsic_rint_f64', sig('f64', 'f64'), ['f64.nearest'], F64C, 'vrint-dp', 'VRINTN.F64'],
  ['llvm.sqrt.f32', 'aot_intrinsic_sqrt_f32', sig('f32', 'f32'), ['f32.sqrt'], F32C, 'fpu-sp', 'VSQRT.F32'],
  ['llvm.sqrt.f64', 'aot_intrinsic_sqrt_f64', sig('f64', 'f64'), ['f64.sqrt'], F64C, 'fpu-dp', 'VSQRT.F64'],
  ['llvm.copysign.f32', 'aot_intrinsic_copysign_f32', sig('f32', 'f32', 'f32'), ['f32.copysign'], NONE, 'always', 'integer bit select of the sign (BFI)'],
  ['llvm.copysign.f64', 'aot_intrinsic_copysign_f64', sig('f64', 'f64', 'f64'), ['f64.copysign'], NONE, 'always', 'integer bit select of the sign of the high word'],
  ['llvm.minnum.f32', 'aot_intrinsic_fmin_f32', sig('f32', 'f32', 'f32'), ['f32.min'], F32C, 'fpu-sp', 'VCMP + select with Wasm NaN and -0 rules'],
  ['llvm.minnum.f64', 'aot_intrinsic_fmin_f64', sig('f64', 'f64', 'f64'), ['f64.min'], F64C, 'fpu-dp', 'VCMP + select with Wasm NaN and -0 rules'],
  ['llvm.maxnum.f32', 'aot_intrinsic_fmax_f32', sig('f32', 'f32', 'f32'), ['f32.max'], F32C, 'fpu-sp', 'VCMP + select with Wasm NaN and -0 rules'],
  ['llvm.maxnum.f64', 'aot_intrinsic_fmax_f64', sig('f64', 'f64', 'f64'), ['f64.max'], F64C, 'fpu-dp', 'VCMP + select with Wasm NaN and -0 rules'],
  ['llvm.ctlz.i32', 'aot_intrinsic_clz_i32', sig('u32', 'u32'), ['i32.clz'], NONE, 'clz', 'CLZ'],
  ['llvm.ctlz.i64', 'aot_intrinsic_clz_i64', sig('u64', 'u64'), ['i64.clz'], NONE, 'clz', 'CLZ on both halves + select'],
  ['llvm.cttz.i32', 'aot_intrinsic_ctz_i32', sig('u32', 'u32'), ['i32.ctz'], NONE, 'clz', 'RBIT + CLZ'],
  ['llvm.cttz.i64', 'aot_intrinsic_ctz_i64', sig('u64', 'u64'), ['i64.ctz'], NONE, 'clz', 'RBIT + CLZ on both halves + select'],
  ['llvm.ctpop.i32', 'aot_intrinsic_popcnt_i32', sig('u32', 'u32'), ['i32.popcnt'], NONE, 'thumb2', 'SWAR bit count (no popcount instruction on any Cortex-M)'],
  ['llvm.ctpop.i64', 'aot_intrinsic_popcnt_i64', sig('u64', 'u64'), ['i64.popcnt'], NONE, 'thumb2', 'SWAR bit count of both halves, added'],
  ['f64_convert_i32_s', 'aot_intrinsic_i32_to_f64', sig('f64', 'i32'), ['f64.convert_i32_s'], ['f64xi32'], 'fpu-dp', 'VMOV + VCVT.F64.S32'],
  ['f64_convert_i32_u', 'aot_intrinsic_u32_to_f64', sig('f64', 'u32'), ['f64.convert_i32_u'], ['f64xi32'], 'fpu-dp', 'VMOV + VCVT.F64.U32'],
  ['f32_convert_i32_s', 'aot_intrinsic_i32_to_f32', sig('f32', 'i32'), ['f32.convert_i32_s'], ['f32xi32'], 'fpu-sp', 'VMOV + VCVT.F32.S32'],
  ['f32_convert_i32_u', 'aot_intrinsic_u32_to_f32', sig('f32', 'u32'), ['f32.convert_i32_u'], ['f32xi32'], 'fpu-sp', 'VMOV + VCVT.F32.U32'],
  ['f64_convert_i64_s', 'aot_intrinsic_i64_to_f64', sig('f64', 'i64'), ['f64.convert_i64_s'], ['f64xi64'], 'never', ''],
  ['f64_convert_i64_u', 'aot_intrinsic_u64_to_f64', sig('f64', 'u64'), ['f64.convert_i64_u'], ['f64xi64'], 'never', ''],
  ['f32_convert_i64_s', 'aot_intrinsic_i64_to_f32', sig('f32', 'i64'), ['f32.convert_i64_s'], ['f32xi64'], 'never', ''],
  ['f32_convert_i64_u', 'aot_intrinsic_u64_to_f32', sig('f32', 'u64'), ['f32.convert_i64_u'], ['f32xi64'], 'never', ''],
  // Trapping and saturating truncations share the function: the code generator
  // emits the NaN/range trap checks (or the clamping) inline, the call converts an in-range value.
  ['i32_trunc_f32_u', 'aot_intrinsic_f32_to_u32', sig('u32', 'f32'), ['i32.trunc_f32_u', 'i32.trunc_sat_f32_u'], ['f32xi32'], 'fpu-sp', 'range check + VCVT.U32.F32'],
  ['i32_trunc_f32_s', 'aot_intrinsic_f32_to_i32', sig('i32', 'f32'), ['i32.trunc_f32_s', 'i32.trunc_sat_f32_s'], ['f32xi32'], 'fpu-sp', 'range check + VCVT.S32.F32'],
  ['i32_trunc_f64_u', 'aot_intrinsic_f64_to_u32', sig('u32', 'f64'), ['i32.trunc_f64_u', 'i32.trunc_sat_f64_u'], ['f64xi32'], 'fpu-dp', 'range check + VCVT.U32.F64'],
  ['i32_trunc_f64_s', 'aot_intrinsic_f64_to_i32', sig('i32', 'f64'), ['i32.trunc_f64_s', 'i32.trunc_sat_f64_s'], ['f64xi32'], 'fpu-dp', 'range check + VCVT.S32.F64'],
  ['i64_trunc_f64_u', 'aot_intrinsic_f64_to_u64', sig('u64', 'f64'), ['i64.trunc_f64_u', 'i64.trunc_sat_f64_u'], ['f64xi64'], 'never', ''],
  ['i64_trunc_f32_s', 'aot_intrinsic_f32_to_i64', sig('i64', 'f32'), ['i64.trunc_f32_s', 'i64.trunc_sat_f32_s'], ['f32xi64'], 'never', ''],
  ['i64_trunc_f32_u', 'aot_intrinsic_f32_to_u64', sig('u64', 'f32'), ['i64.trunc_f32_u', 'i64.trunc_sat_f32_u'], ['f32xi64'], 'never', ''],
  ['i64_trunc_f64_s', 'aot_intrinsic_f64_to_i64', sig('i64', 'f64'), ['i64.trunc_f64_s', 'i64.trunc_sat_f64_s'], ['f64xi64'], 'never', ''],
  ['f32_demote_f64', 'aot_intrinsic_f64_to_f32', sig('f32', 'f64'), ['f32.demote_f64'], NONE, 'fpu-dp', 'VCVT.F32.F64'],
  ['f64_promote_f32', 'aot_intrinsic_f32_to_f64', sig('f64', 'f32'), ['f64.promote_f32'], NONE, 'fpu-dp', 'VCVT.F64.F32'],
  ['f32_cmp', 'aot_intrinsic_f32_cmp', sig('i32', 'fcond', 'f32', 'f32'), FCMP_OPS('f32'), F32C, 'fpu-sp', 'VCMP.F32 + VMRS + IT'],
  ['f64_cmp', 'aot_intrinsic_f64_cmp', sig('i32', 'fcond', 'f64', 'f64'), FCMP_OPS('f64'), F64C, 'fpu-dp', 'VCMP.F64 + VMRS + IT'],
  // constop: WAMR loads these constants from a table to avoid .rodata relocations;
  // our literal pools are PC-relative, so inline is the default everywhere.
  ['i32.const', undefined, undefined, ['i32.const'], ['constop'], 'always', 'MOVW/MOVT or PC-relative literal'],
  ['i64.const', undefined, undefined, ['i64.const'], ['constop'], 'always', 'MOVW/MOVT pairs or PC-relative literal'],
  ['f32.const', undefined, undefined, ['f32.const'], ['constop'], 'always', 'VMOV immediate or PC-relative literal'],
  ['f64.const', undefined, undefined, ['f64.const'], ['constop'], 'always', 'VMOV immediate or PC-relative literal'],
  ['i64.div_s', 'aot_intrinsic_i64_div_s', sig('i64', 'i64', 'i64'), ['i64.div_s'], I64C, 'never', ''],
  ['i32.div_s', 'aot_intrinsic_i32_div_s', sig('i32', 'i32', 'i32'), ['i32.div_s'], I32C, 'hwdiv', 'trap checks + SDIV'],
  ['i32.div_u', 'aot_intrinsic_i32_div_u', sig('u32', 'u32', 'u32'), ['i32.div_u'], I32C, 'hwdiv', 'trap check + UDIV'],
  ['i32.rem_s', 'aot_intrinsic_i32_rem_s', sig('i32', 'i32', 'i32'), ['i32.rem_s'], I32C, 'hwdiv', 'trap check + SDIV + MLS'],
  ['i32.rem_u', 'aot_intrinsic_i32_rem_u', sig('u32', 'u32', 'u32'), ['i32.rem_u'], I32C, 'hwdiv', 'trap check + UDIV + MLS'],
  ['i64.div_u', 'aot_intrinsic_i64_div_u', sig('u64', 'u64', 'u64'), ['i64.div_u'], I64C, 'never', ''],
  ['i64.rem_s', 'aot_intrinsic_i64_rem_s', sig('i64', 'i64', 'i64'), ['i64.rem_s'], I64C, 'never', ''],
  ['i64.rem_u', 'aot_intrinsic_i64_rem_u', sig('u64', 'u64', 'u64'), ['i64.rem_u'], I64C, 'never', ''],
  ['i64.or', 'aot_intrinsic_i64_bit_or', sig('u64', 'u64', 'u64'), ['i64.or'], I64C, 'always', 'ORR on both halves'],
  ['i64.and', 'aot_intrinsic_i64_bit_and', sig('u64', 'u64', 'u64'), ['i64.and'], I64C, 'always', 'AND on both halves'],
  ['i64.mul', 'aot_intrinsic_i64_mul', sig('u64', 'u64', 'u64'), ['i64.mul'], I64C, 'umull', 'UMULL + 2 MLA'],
  ['i64.shl', 'aot_intrinsic_i64_shl', sig('u64', 'u64', 'u64'), ['i64.shl'], I64C, 'thumb2', 'shift pair with IT blocks'],
  ['i64.shr_s', 'aot_intrinsic_i64_shr_s', sig('u64', 'u64', 'u64'), ['i64.shr_s'], I64C, 'thumb2', 'shift pair with IT blocks'],
  ['i64.shr_u', 'aot_intrinsic_i64_shr_u', sig('u64', 'u64', 'u64'), ['i64.shr_u'], I64C, 'thumb2', 'shift pair with IT blocks'],
];

let nextIndex = HELPERS.length;
export const INTRINSICS: readonly IntrinsicEntry[] = ROWS.map(
  ([wamrName, symbol, signature, operators, groups, inlineNeed, inline]) => ({
    kind: 'intrinsic' as const,
    wamrName,
    symbol,
    index: symbol === undefined ? undefined : nextIndex++,
    signature,
    operators,
    groups,
    inlineNeed,
    inline,
  }),
);

export function isCallable(e: IntrinsicEntry): e is CallableIntrinsic {
  return e.symbol !== undefined && e.index !== undefined && e.signature !== undefined;
}

const helperByOperator = new Map<string, HelperEntry>();
for (const h of HELPERS) for (const op of h.operators) helperByOperator.set(op, h);

/** The xw_* helper a Wasm operator calls (memory.grow -> xw_memory_grow), or undefined. */
export function helperForOperator(operator: string): HelperEntry | undefined {
  return helperByOperator.get(operator);
}

/** Every native symbol in index order: index i is at position i. */
export const NATIVE_SYMBOLS: readonly NativeSymbol[] = [...HELPERS, ...INTRINSICS.filter(isCallable)];

export const NATIVE_SYMBOL_COUNT = NATIVE_SYMBOLS.length;

const byWamrName = new Map(INTRINSICS.map((e) => [e.wamrName, e]));
const byOperator = new Map<string, IntrinsicEntry>();
for (const e of INTRINSICS) for (const op of e.operators) byOperator.set(op, e);
const bySymbol = new Map(NATIVE_SYMBOLS.map((s) => [s.symbol, s]));

export function intrinsicByName(wamrName: string): IntrinsicEntry | undefined {
  return byWamrName.get(wamrName);
}

/** The catalogue row that can implement a Wasm operator, whatever the CPU. */
export function intrinsicForOperator(operator: string): IntrinsicEntry | undefined {
  return byOperator.get(operator);
}

export function nativeSymbolByName(symbol: string): NativeSymbol | undefined {
  return bySymbol.get(symbol);
}

export function helperIndex(symbol: HelperName): number {
  const s = bySymbol.get(symbol);
  if (s === undefined) throw new InternalError(`no helper ${symbol}`);
  return s.index;
}

export type HelperName =
  | 'xw_trap' | 'xw_memory_grow' | 'xw_memory_fill' | 'xw_memory_copy' | 'xw_memory_init'
  | 'xw_data_drop' | 'xw_table_get' | 'xw_table_set' | 'xw_table_size' | 'xw_table_grow'
  | 'xw_table_fill' | 'xw_table_copy' | 'xw_table_init' | 'xw_elem_drop';

/**
 * The `cond` argument of aot_intrinsic_f32_cmp / f64_cmp, with WAMR's
 * AOTFloatCond values (core/iwasm/compilation/aot.h).
 */
export const FLOAT_COND = { eq: 0, ne: 1, lt: 2, gt: 3, le: 4, ge: 5, uno: 6 } as const;
export type FloatCondName = keyof typeof FLOAT_COND;

/** The cond value for a Wasm float comparison operator ('f32.lt' -> 2), or undefined. */
export function floatCondFor(operator: string): number | undefined {
  const m = /^f(?:32|64)\.(eq|ne|lt|gt|le|ge)$/.exec(operator);
  return m === null ? undefined : FLOAT_COND[m[1] as FloatCondName];
}

/**
 * Wasm operators a reader might expect in the catalogue but which have no
 * WAMR intrinsic: the code generator always inlines them, on every core.
 */
export const INLINE_ONLY: readonly (readonly [operator: string, how: string])[] = [
  ['f32.neg', 'flip the sign bit (EOR, or VNEG.F32)'],
  ['f64.neg', 'flip the sign bit of the high word'],
  ['i64.add', 'ADDS + ADC'],
  ['i64.sub', 'SUBS + SBC'],
  ['i64.xor', 'EOR on both halves'],
  ['i64.rotl', 'shift pair sequence (thumbv6m: from the i64.shl / i64.shr_u calls)'],
  ['i64.rotr', 'shift pair sequence (thumbv6m: from the i64.shl / i64.shr_u calls)'],
  ['i32.rotl', 'RSB + ROR'],
  ['i32.rotr', 'ROR'],
  ['i32.mul', 'MUL(S)'],
  ['f32.reinterpret_i32', 'register move'],
  ['f64.reinterpret_i64', 'register move'],
];

/**
 * Float → integer truncations for the IR builder, trapping and saturating (docs/abi.md §7): NaN and the range
 * are checked on the float's bits with integer instructions, then an in-range value is converted by the
 * runtime function the intrinsic policy names, or inline (`fcvt` tos32/tou32) where the FPU has it.
 */
import { TrapCode } from '../abi.js';
import { ValType } from '../wasm/types.js';
import { NotInTier, FP64, FP32, type Cmp } from './ir.js';
import { CONST, VREG, type IrBuilder } from './build.js';
import { alu } from './build-num.js';

const F32 = ValType.F32, F64 = ValType.F64, I32 = ValType.I32, I64 = ValType.I64;

/**
 * Valid inputs of a truncation, on the float's bits: a positive value is valid when its magnitude is below
 * `pos`, a negative one when its magnitude is below `neg` (as [high word, low word]; the low word is 0 for
 * f32 sources).
 */
export interface TruncSpec {
  readonly from: ValType;
  readonly to: ValType;
  readonly signed: boolean;
  readonly pos: readonly [number, number];
  readonly neg: readonly [number, number];
}

export const TRUNC: Readonly<Record<string, TruncSpec>> = {
  'i32.trunc_f32_s': { from: F32, to: I32, signed: true, pos: [0x4f000000, 0], neg: [0x4f000001, 0] },
  'i32.trunc_f32_u': { from: F32, to: I32, signed: false, pos: [0x4f800000, 0], neg: [0x3f800000, 0] },
  'i32.trunc_f64_s': { from: F64, to: I32, signed: true, pos: [0x41e00000, 0], neg: [0x41e00000, 0x00200000] },
  'i32.trunc_f64_u': { from: F64, to: I32, signed: false, pos: [0x41f00000, 0], neg: [0x3ff00000, 0] },
  'i64.trunc_f32_s': { from: F32, to: I64, signed: true, pos: [0x5f000000, 0], neg: [0x5f000001, 0] },
  'i64.trunc_f32_u': { from: F32, to: I64, signed: false, pos: [0x5f800000, 0], neg: [0x3f800000, 0] },
  'i64.trunc_f64_s': { from: F64, to: I64, signed: true, pos: [0x43e00000, 0], neg: [0x43e00000, 1] },
  'i64.trunc_f64_u': { from: F64, to: I64, signed: false, pos: [0x43f00000, 0], neg: [0x3ff00000, 0] },
};

/** The spec of a trapping or saturating truncation's name, or undefined. */
export function truncSpec(name: string): { spec: TruncSpec; sat: boolean } | undefined {
  const sat = name.includes('trunc_sat_');
  const spec = TRUNC[sat ? name.replace('trunc_sat_', 'trunc_') : name];
  return spec === undefined ? undefined : { spec, sat };
}

/**
 * Branches to `bad` (or traps with `trap`) unless (hi:lo) < limit as an unsigned 64-bit number (lo = -1 for
 * a 32-bit source).
 */
function belowOr(b: IrBuilder, hi: number, lo: number, limit: readonly [number, number], bad: number | { trap: number }): void {
  const limHi = b.reg(CONST(limit[0]));
  // the low word cannot make (hi:lo) reach (limit:0) unless hi does
  const cmp: Cmp = lo < 0 || limit[1] === 0 ? { k: 'i32', cond: 'ge_u', a: hi, b: limHi }
    : { k: 'i64', cond: 'ge_u', a: lo, ah: hi, b: b.reg(CONST(limit[1])), bh: limHi };
  if (typeof bad === 'number') b.emit({ op: 'brif', cmp, label: bad });
  else b.emit({ op: 'trapif', cmp, code: bad.trap });
}

/** Lowers a truncation (`sym`: its runtime function, if the policy names one). */
export function truncate(b: IrBuilder, spec: TruncSpec, sat: boolean, sym: number | undefined): void {
  const wide = spec.from === F64;
  const cls = b.vclass(spec.from);
  const inline = sym === undefined && spec.to === I32 && (cls === FP32 || cls === FP64);
  if (sym === undefined && !inline) throw new NotInTier('a truncation without its runtime function');
  const operand = b.popWords();
  // the bits in core words (lo, hi); for a float-register value also the value itself, for the conversion
  let lo: number, hi: number;
  if (cls === FP32 || cls === FP64) {
    lo = b.newVreg();
    hi = wide ? b.newVreg() : lo;
    b.emit({ op: 'tocore', d: lo, d2: wide ? hi : -1, a: operand[0]!.v });
  } else {
    lo = b.reg(operand[0]!);
    hi = wide ? b.reg(operand[1]!) : lo;
  }
  const mag = b.reg(alu(b, 'and', VREG(hi), CONST(0x7fffffff)));
  const out = sat ? [b.newVreg(false), ...(spec.to === I64 ? [b.newVreg(false)] : [])] : [];
  const done = b.newLabel();
  const nan = sat ? b.newLabel() : -1;
  const over = sat ? b.newLabel() : -1;
  const under = sat ? b.newLabel() : -1;
  const badIf = (label: number, trap: number): number | { trap: number } => (sat ? label : { trap });
  // NaN: a magnitude above infinity's (for f64 with the low word folded into bit 0 of the high one)
  let nanTest = mag;
  if (wide) {
    const nz = b.newVreg();
    b.emit({ op: 'setif', cmp: { k: 'i32', cond: 'ne', a: lo, b: { imm: 0 } }, d: nz });
    nanTest = b.reg(alu(b, 'or', VREG(mag), VREG(nz, 1)));
  }
  const isNan: Cmp = { k: 'i32', cond: 'gt_u', a: nanTest, b: b.reg(CONST(wide ? 0x7ff00000 : 0x7f800000)) };
  if (sat) b.emit({ op: 'brif', cmp: isNan, label: nan });
  else b.emit({ op: 'trapif', cmp: isNan, code: TrapCode.InvalidConversion });
  const neg = b.newLabel();
  const ok = b.newLabel();
  b.emit({ op: 'brif', cmp: { k: 'i32', cond: 'lt_s', a: hi, b: { imm: 0 } }, label: neg });
  belowOr(b, mag, wide ? lo : -1, spec.pos, badIf(over, TrapCode.IntegerOverflow));
  b.emit({ op: 'br', label: ok });
  b.emit({ op: 'label', label: neg });
  belowOr(b, mag, wide ? lo : -1, spec.neg, badIf(under, TrapCode.IntegerOverflow));
  b.emit({ op: 'label', label: ok });
  let result: number[];
  if (inline) {
    const d = b.newVreg();
    b.emit({ op: 'fcvt', kind: spec.signed ? 'tos32' : 'tou32', d, a: operand[0]!.v });
    result = [d];
  } else {
    b.call(b.symbolTarget(sym!), false, operand.map((w) => b.reg(w)), [b.argClass(spec.from)], [spec.to], false);
    result = b.popWords().map((w) => b.reg(w));
  }
  if (!sat) {
    b.pushWords(spec.to, result.map((v) => VREG(v)));
    return;
  }
  result.forEach((v, k) => b.emit({ op: 'mov', d: out[k]!, a: v }));
  b.emit({ op: 'br', label: done });
  const is64 = spec.to === I64;
  const min = spec.signed ? (is64 ? [0, 0x80000000] : [0x80000000]) : (is64 ? [0, 0] : [0]);
  const max = spec.signed ? (is64 ? [0xffffffff, 0x7fffffff] : [0x7fffffff]) : (is64 ? [0xffffffff, 0xffffffff] : [0xffffffff]);
  const zero = is64 ? [0, 0] : [0];
  for (const [label, words, last] of [[nan, zero, false], [over, max, false], [under, min, true]] as const) {
    b.emit({ op: 'label', label });
    words.forEach((c, k) => b.emit({ op: 'movi', d: out[k]!, imm: c }));
    if (!last) b.emit({ op: 'br', label: done });
  }
  b.emit({ op: 'label', label: done });
  b.pushWords(spec.to, out.map((v) => VREG(v)));
}

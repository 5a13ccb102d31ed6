/**
 * i32 and i64 operators. i64 values live in register pairs (lo, hi).
 * Operand convention: a in r0 (r0:r1), b in r1 (r2:r3); the result is pushed
 * from the registers named in each handler.
 */
import { ValType } from '../../wasm/types.js';
import { intrinsicFor } from '../../xip/policy.js';
import type { Instr } from '../../wasm/operators.js';
import { opcodeName } from '../../wasm/opcodes.js';
import { TrapCode } from './abi.js';
import type { FuncCompiler } from './func.js';
import type { AluOp, Cond } from './masm.js';
import { invertCond } from './regs.js';
import { emitNativeCall, type Lowering, type NativeArg } from './lower.js';

const I32 = ValType.I32;
const I64 = ValType.I64;
const R0 = { kind: 'w32', r: 0 } as const;
const R1 = { kind: 'w32', r: 1 } as const;
const P01 = { kind: 'w64', lo: 0, hi: 1 } as const;
const P23 = { kind: 'w64', lo: 2, hi: 3 } as const;

/** If the resolved policy sends this operator to a runtime function, calls it and returns true. */
export function viaIntrinsic(fc: FuncCompiler, ins: Instr, arity: number, result: ValType, prefix: NativeArg[] = []): boolean {
  const e = intrinsicFor(opcodeName(ins.op), fc.ctx.options.intrinsics);
  if (e === undefined) return false;
  const vals = fc.stack.popN(arity);
  const base = fc.stack.height;
  const args: NativeArg[] = [...prefix, ...vals.map((v, i) => ({ kind: 'val' as const, v, depth: base + i }))];
  emitNativeCall(fc, e.index, args, result);
  return true;
}

/** Pops b then a: b as an immediate when it is a constant, else a register; with their bounds. */
function popOperands(fc: FuncCompiler): { a: number; b: number | { imm: number }; aMax: number; bMax: number } {
  const k = fc.topConst32();
  let b: number | { imm: number };
  let bMax: number;
  if (k !== undefined) {
    fc.stack.pop();
    b = { imm: k };
    bMax = k >>> 0;
  } else {
    const p = fc.popRegBounded(1);
    b = p.r;
    bMax = p.max;
  }
  const a = fc.popRegBounded(0);
  return { a: a.r, b, aMax: a.max, bMax };
}

const UNKNOWN = 0xffffffff;

/** All bits up to the highest set bit of m. */
function fillBelow(m: number): number {
  return m === 0 ? 0 : m >= 0x80000000 ? UNKNOWN : 2 ** (Math.floor(Math.log2(m)) + 1) - 1;
}

/** A proven bound of `a op b`, or UNKNOWN (values are u32; exact integer arithmetic in doubles). */
function resultBound(op: AluOp | 'mul' | 'shl' | 'shr_u', aMax: number, b: number | { imm: number }, bMax: number): number {
  const within = (x: number): number => (x <= UNKNOWN ? x : UNKNOWN);
  switch (op) {
    case 'and': return Math.min(aMax, bMax);
    case 'orr': case 'eor': return fillBelow(Math.max(aMax, bMax));
    case 'add': return within(aMax + bMax);
    case 'mul': return within(aMax * bMax);
    case 'shl': return typeof b === 'number' ? UNKNOWN : within(aMax * 2 ** (b.imm & 31));
    case 'shr_u': return typeof b === 'number' ? aMax : Math.floor(aMax / 2 ** (b.imm & 31));
    default: return UNKNOWN;
  }
}

function i32Bin(op: AluOp): Lowering {
  return (fc, ins) => {
    if (viaIntrinsic(fc, ins, 2, I32)) return;
    const { a, b, aMax, bMax } = popOperands(fc);
    const rd = fc.claimResult();
    if (typeof b === 'number') fc.m.alu(op, rd, a, b);
    else fc.m.aluImm(op, rd, a, b.imm);
    fc.pushResult(I32, resultBound(op, aMax, b, bMax));
  };
}

function i32Cmp(cond: Cond): Lowering {
  return (fc) => {
    const { a, b } = popOperands(fc);
    if (typeof b === 'number') fc.m.cmp(a, b);
    else fc.m.cmpImm(a, b.imm);
    fc.pushCond(cond);
  };
}

function i64Bin(lo: AluOp, hi: AluOp): Lowering {
  return (fc, ins) => {
    if (viaIntrinsic(fc, ins, 2, I64)) return;
    const b = fc.popPair(P23);
    const a = fc.popPair(P01);
    const rd = fc.claimResult64();
    fc.m.alu(lo, rd.lo, a.lo, b.lo, lo === 'add' || lo === 'sub');
    fc.m.alu(hi, rd.hi, a.hi, b.hi);
    fc.pushResult64(I64);
  };
}

/** Flags from a 64-bit a - b (signed lt/ge, unsigned cc/cs); `swap` computes b - a. */
function i64Cmp(cond: Cond, swap: boolean): Lowering {
  return (fc) => {
    const m = fc.m;
    const b = fc.popPair(P23);
    const a = fc.popPair(P01);
    const [x, y] = swap ? [b, a] : [a, b];
    m.cmp(x.lo, y.lo);
    m.alu('sbc', 12, x.hi, y.hi, true);
    fc.pushCond(cond);
  };
}

function i64Eq(cond: 'eq' | 'ne'): Lowering {
  return (fc) => {
    const m = fc.m;
    const b = fc.popPair(P23);
    const a = fc.popPair(P01);
    m.alu('eor', 0, a.lo, b.lo);
    m.alu('eor', 1, a.hi, b.hi);
    m.alu('orr', 0, 0, 1, true);
    fc.pushCond(cond);
  };
}

function i32Shift(kind: 'lsl' | 'lsr' | 'asr'): Lowering {
  return (fc) => {
    const { a, b, aMax, bMax } = popOperands(fc);
    if (typeof b === 'number') fc.m.andImm(1, b, 31);
    const rd = fc.claimResult();
    if (typeof b === 'number') fc.m.shiftReg(kind, rd, a, 1);
    else fc.m.shiftImm(kind, rd, a, b.imm & 31);
    fc.pushResult(I32, kind === 'asr' ? UNKNOWN : resultBound(kind === 'lsl' ? 'shl' : 'shr_u', aMax, b, bMax));
  };
}

function i32Rot(left: boolean): Lowering {
  return (fc) => {
    fc.pop(R1);
    fc.pop(R0);
    // ROR by register uses the amount mod 32, so rotl n = ror (32 - n)
    if (left) fc.m.rsbImm(1, 1, 32);
    fc.m.shiftReg('ror', 0, 0, 1);
    fc.pushRegs(I32, R0);
  };
}

/** x in r0 → popcount in r0 (SWAR); clobbers r1, r12. */
function popcount32(fc: FuncCompiler, x: number, out: number): void {
  const m = fc.m;
  if (x !== 0) m.mov(0, x);
  m.shiftImm('lsr', 1, 0, 1);
  m.mov32(12, 0x55555555);
  m.alu('and', 1, 1, 12);
  m.alu('sub', 0, 0, 1);
  m.mov32(12, 0x33333333);
  m.shiftImm('lsr', 1, 0, 2);
  m.alu('and', 1, 1, 12);
  m.alu('and', 0, 0, 12);
  m.alu('add', 0, 0, 1);
  m.shiftImm('lsr', 1, 0, 4);
  m.alu('add', 0, 0, 1);
  m.mov32(12, 0x0f0f0f0f);
  m.alu('and', 0, 0, 12);
  m.mov32(12, 0x01010101);
  m.mul(0, 0, 12);
  m.shiftImm('lsr', out, 0, 24);
}

function divCheck32(fc: FuncCompiler, signed: boolean, isDiv: boolean): void {
  const m = fc.m;
  m.cmpImm(1, 0);
  m.bcond('eq', fc.trapLabel(TrapCode.DivideByZero));
  if (signed && isDiv) {
    const ok = m.newLabel();
    m.cmnImm(1, 1);
    m.bcond('ne', ok);
    m.mov32(12, 0x80000000);
    m.cmp(0, 12);
    m.bcond('eq', fc.trapLabel(TrapCode.IntegerOverflow));
    m.bind(ok);
  }
}

function i32Div(signed: boolean, isDiv: boolean): Lowering {
  return (fc, ins) => {
    const m = fc.m;
    fc.pop(R1);
    fc.pop(R0);
    divCheck32(fc, signed, isDiv);
    const e = intrinsicFor(opcodeName(ins.op), fc.ctx.options.intrinsics);
    if (e !== undefined) {
      fc.callSymbol(e.index);
    } else if (isDiv) {
      m.div(signed, 0, 0, 1);
    } else {
      m.div(signed, 2, 0, 1);
      m.mls(0, 2, 1, 0);
    }
    fc.pushRegs(I32, R0);
  };
}

function divCheck64(fc: FuncCompiler, signed: boolean, isDiv: boolean): void {
  const m = fc.m;
  m.alu('orr', 12, 2, 3, true);
  m.bcond('eq', fc.trapLabel(TrapCode.DivideByZero));
  if (signed && isDiv) {
    const ok = m.newLabel();
    m.alu('and', 12, 2, 3);
    m.cmnImm(12, 1);
    m.bcond('ne', ok);
    m.cmpImm(0, 0);
    m.bcond('ne', ok);
    m.mov32(12, 0x80000000);
    m.cmp(1, 12);
    m.bcond('eq', fc.trapLabel(TrapCode.IntegerOverflow));
    m.bind(ok);
  }
}

function i64Div(signed: boolean, isDiv: boolean): Lowering {
  return (fc, ins) => {
    fc.pop(P23);
    fc.pop(P01);
    divCheck64(fc, signed, isDiv);
    const e = intrinsicFor(opcodeName(ins.op), fc.ctx.options.intrinsics);
    if (e === undefined) throw fc.unsupported(ins);
    fc.callSymbol(e.index); // (a in r0:r1, b in r2:r3) is already the AAPCS placement
    fc.pushRegs(I64, P01);
  };
}

/**
 * Shifts and rotations of r0:r1 by a constant: straight-line, with ORR's
 * shifted operand. The result is in r2:r3 (or still in r0:r1 for no-ops).
 */
function i64ShiftConst(fc: FuncCompiler, kind: 'shl' | 'shr_u' | 'shr_s' | 'rotl', k: number): { lo: number; hi: number } {
  const m = fc.m;
  let lo = 0, hi = 1;
  if (kind === 'rotl') {
    if (k >= 32) { lo = 1; hi = 0; k -= 32; }
    if (k === 0) return { lo, hi };
    m.shiftImm('lsl', 3, hi, k);
    m.aluShifted('orr', 3, 3, lo, 'lsr', 32 - k);
    m.shiftImm('lsl', 2, lo, k);
    m.aluShifted('orr', 2, 2, hi, 'lsr', 32 - k);
    return { lo: 2, hi: 3 };
  }
  if (k === 0) return { lo, hi };
  if (kind === 'shl') {
    if (k >= 32) {
      m.shiftImm('lsl', 3, 0, k - 32);
      m.mov32(2, 0);
    } else {
      m.shiftImm('lsl', 3, 1, k);
      m.aluShifted('orr', 3, 3, 0, 'lsr', 32 - k);
      m.shiftImm('lsl', 2, 0, k);
    }
    return { lo: 2, hi: 3 };
  }
  const right = kind === 'shr_u' ? 'lsr' : 'asr';
  if (k >= 32) {
    m.shiftImm(right, 2, 1, k - 32);
    if (kind === 'shr_u') m.mov32(3, 0);
    else m.shiftImm('asr', 3, 1, 31);
  } else {
    m.shiftImm('lsr', 2, 0, k);
    m.aluShifted('orr', 2, 2, 1, 'lsl', 32 - k);
    m.shiftImm(right, 3, 1, k);
  }
  return { lo: 2, hi: 3 };
}

/** A constant shift amount on top of the stack: popped, and its count mod 64 returned. */
function constShiftAmount(fc: FuncCompiler): number | undefined {
  const k = fc.topConst64();
  if (k === undefined) return undefined;
  fc.stack.pop();
  return Number(BigInt.asUintN(6, k));
}

/** Variable 64-bit shifts: n in r2 (mod 64), value in r0:r1, result in r0:r1. */
function i64Shift(kind: 'shl' | 'shr_u' | 'shr_s'): Lowering {
  return (fc, ins) => {
    if (viaIntrinsic(fc, ins, 2, I64)) return;
    const m = fc.m;
    const k = constShiftAmount(fc);
    if (k !== undefined) {
      fc.pop(P01);
      const r = i64ShiftConst(fc, kind, k);
      fc.pushRegs(I64, { kind: 'w64', lo: r.lo, hi: r.hi });
      return;
    }
    fc.pop(P23);
    fc.pop(P01);
    m.andImm(2, 2, 63);
    const big = m.newLabel();
    const done = m.newLabel();
    m.subsImm(3, 2, 32);
    m.bcond('pl', big);
    m.rsbImm(12, 2, 32);
    if (kind === 'shl') {
      m.shiftReg('lsl', 1, 1, 2);
      m.shiftReg('lsr', 12, 0, 12);
      m.alu('orr', 1, 1, 12);
      m.shiftReg('lsl', 0, 0, 2);
    } else {
      m.shiftReg('lsr', 0, 0, 2);
      m.shiftReg('lsl', 12, 1, 12);
      m.alu('orr', 0, 0, 12);
      m.shiftReg(kind === 'shr_u' ? 'lsr' : 'asr', 1, 1, 2);
    }
    m.b(done);
    m.bind(big);
    if (kind === 'shl') {
      m.shiftReg('lsl', 1, 0, 3);
      m.mov32(0, 0);
    } else if (kind === 'shr_u') {
      m.shiftReg('lsr', 0, 1, 3);
      m.mov32(1, 0);
    } else {
      m.shiftReg('asr', 0, 1, 3);
      m.shiftImm('asr', 1, 1, 31);
    }
    m.bind(done);
    fc.pushRegs(I64, P01);
  };
}

function i64Rot(left: boolean): Lowering {
  return (fc) => {
    const m = fc.m;
    const k = constShiftAmount(fc);
    if (k !== undefined) {
      fc.pop(P01);
      const r = i64ShiftConst(fc, 'rotl', left ? k : (64 - k) % 64);
      fc.pushRegs(I64, { kind: 'w64', lo: r.lo, hi: r.hi });
      return;
    }
    fc.pop(P23);
    fc.pop(P01);
    if (!left) m.rsbImm(2, 2, 64);
    m.andImm(2, 2, 63);
    // n >= 32: swap the halves and rotate by n - 32
    const small = m.newLabel();
    m.cmpImm(2, 32);
    m.bcond('cc', small);
    m.mov(3, 0);
    m.mov(0, 1);
    m.mov(1, 3);
    m.subImm(2, 2, 32);
    m.bind(small);
    // register shifts by 32 give 0, so n == 0 needs no special case
    m.rsbImm(12, 2, 32);
    m.shiftReg('lsl', 3, 1, 2);
    m.shiftReg('lsr', 14, 0, 12);
    m.alu('orr', 3, 3, 14);
    m.shiftReg('lsl', 0, 0, 2);
    m.shiftReg('lsr', 14, 1, 12);
    m.alu('orr', 0, 0, 14);
    fc.pushRegs(I64, { kind: 'w64', lo: 0, hi: 3 });
  };
}

function unary32(body: (fc: FuncCompiler) => void): Lowering {
  return (fc, ins) => {
    if (viaIntrinsic(fc, ins, 1, I32)) return;
    fc.pop(R0);
    body(fc);
    fc.pushRegs(I32, R0);
  };
}

function unary64(body: (fc: FuncCompiler) => void): Lowering {
  return (fc, ins) => {
    if (viaIntrinsic(fc, ins, 1, I64)) return;
    fc.pop(P01);
    body(fc);
    fc.pushRegs(I64, P01);
  };
}

export const INT_LOWERINGS: Record<string, Lowering> = {
  'i32.add': i32Bin('add'),
  'i32.sub': i32Bin('sub'),
  'i32.mul': (fc, ins) => {
    if (viaIntrinsic(fc, ins, 2, I32)) return;
    const b = fc.popRegBounded(1);
    const a = fc.popRegBounded(0);
    const rd = fc.claimResult();
    fc.m.mul(rd, a.r, b.r);
    fc.pushResult(I32, resultBound('mul', a.max, b.r, b.max));
  },
  'i32.and': i32Bin('and'),
  'i32.or': i32Bin('orr'),
  'i32.xor': i32Bin('eor'),
  'i32.shl': i32Shift('lsl'),
  'i32.shr_s': i32Shift('asr'),
  'i32.shr_u': i32Shift('lsr'),
  'i32.rotl': i32Rot(true),
  'i32.rotr': i32Rot(false),
  'i32.div_s': i32Div(true, true),
  'i32.div_u': i32Div(false, true),
  'i32.rem_s': i32Div(true, false),
  'i32.rem_u': i32Div(false, false),
  'i32.eqz': (fc) => {
    const top = fc.stack.peek();
    if (top.kind === 'cond') {
      fc.stack.pop();
      fc.pushCond(invertCond(top.cond as Cond));
      return;
    }
    fc.m.cmpImm(fc.popReg(0), 0);
    fc.pushCond('eq');
  },
  'i32.eq': i32Cmp('eq'),
  'i32.ne': i32Cmp('ne'),
  'i32.lt_s': i32Cmp('lt'),
  'i32.lt_u': i32Cmp('cc'),
  'i32.gt_s': i32Cmp('gt'),
  'i32.gt_u': i32Cmp('hi'),
  'i32.le_s': i32Cmp('le'),
  'i32.le_u': i32Cmp('ls'),
  'i32.ge_s': i32Cmp('ge'),
  'i32.ge_u': i32Cmp('cs'),
  'i32.clz': unary32((fc) => fc.m.clz(0, 0)),
  'i32.ctz': unary32((fc) => { fc.m.rbit(0, 0); fc.m.clz(0, 0); }),
  'i32.popcnt': unary32((fc) => popcount32(fc, 0, 0)),
  'i32.extend8_s': unary32((fc) => fc.m.extend('sxtb', 0, 0)),
  'i32.extend16_s': unary32((fc) => fc.m.extend('sxth', 0, 0)),
  'i32.wrap_i64': (fc) => {
    const a = fc.popPair(P01);
    const rd = fc.claimResult();
    fc.m.mov(rd, a.lo);
    fc.pushResult(I32);
  },
  'i64.extend_i32_s': (fc) => {
    const a = fc.popReg(0);
    const rd = fc.claimResult64();
    fc.m.shiftImm('asr', rd.hi, a, 31);
    fc.m.mov(rd.lo, a);
    fc.pushResult64(I64);
  },
  'i64.extend_i32_u': (fc) => {
    const a = fc.popReg(0);
    const rd = fc.claimResult64();
    fc.m.mov(rd.lo, a);
    fc.m.mov32(rd.hi, 0);
    fc.pushResult64(I64);
  },
  'i64.add': i64Bin('add', 'adc'),
  'i64.sub': i64Bin('sub', 'sbc'),
  'i64.and': i64Bin('and', 'and'),
  'i64.or': i64Bin('orr', 'orr'),
  'i64.xor': i64Bin('eor', 'eor'),
  'i64.mul': (fc, ins) => {
    if (viaIntrinsic(fc, ins, 2, I64)) return;
    const m = fc.m;
    const b = fc.popPair(P23);
    const a = fc.popPair(P01);
    const rd = fc.claimResult64(); // before the product: its spills may use r12
    m.umull(12, 14, a.lo, b.lo);
    m.mla(14, a.lo, b.hi, 14);
    // every operand register is read before rd.hi and rd.lo are written
    m.mla(rd.hi, a.hi, b.lo, 14);
    m.mov(rd.lo, 12);
    fc.pushResult64(I64);
  },
  'i64.div_s': i64Div(true, true),
  'i64.div_u': i64Div(false, true),
  'i64.rem_s': i64Div(true, false),
  'i64.rem_u': i64Div(false, false),
  'i64.shl': i64Shift('shl'),
  'i64.shr_s': i64Shift('shr_s'),
  'i64.shr_u': i64Shift('shr_u'),
  'i64.rotl': i64Rot(true),
  'i64.rotr': i64Rot(false),
  'i64.eqz': (fc) => {
    fc.pop(P01);
    fc.m.alu('orr', 0, 0, 1, true);
    fc.pushCond('eq');
  },
  'i64.eq': i64Eq('eq'),
  'i64.ne': i64Eq('ne'),
  'i64.lt_s': i64Cmp('lt', false),
  'i64.lt_u': i64Cmp('cc', false),
  'i64.gt_s': i64Cmp('lt', true),
  'i64.gt_u': i64Cmp('cc', true),
  'i64.le_s': i64Cmp('ge', true),
  'i64.le_u': i64Cmp('cs', true),
  'i64.ge_s': i64Cmp('ge', false),
  'i64.ge_u': i64Cmp('cs', false),
  'i64.clz': unary64((fc) => {
    const m = fc.m;
    m.clz(2, 1);
    m.clz(3, 0);
    m.cmpImm(1, 0);
    m.itAddImm('eq', 2, 3, 32);
    m.mov(0, 2);
    m.mov32(1, 0);
  }),
  'i64.ctz': unary64((fc) => {
    const m = fc.m;
    m.rbit(2, 0);
    m.clz(2, 2);
    m.rbit(3, 1);
    m.clz(3, 3);
    m.cmpImm(0, 0);
    m.itAddImm('eq', 2, 3, 32);
    m.mov(0, 2);
    m.mov32(1, 0);
  }),
  'i64.popcnt': unary64((fc) => {
    fc.m.mov(2, 1);
    popcount32(fc, 0, 3);
    popcount32(fc, 2, 0);
    fc.m.alu('add', 0, 0, 3);
    fc.m.mov32(1, 0);
  }),
  'i64.extend8_s': unary64((fc) => { fc.m.extend('sxtb', 0, 0); fc.m.shiftImm('asr', 1, 0, 31); }),
  'i64.extend16_s': unary64((fc) => { fc.m.extend('sxth', 0, 0); fc.m.shiftImm('asr', 1, 0, 31); }),
  'i64.extend32_s': unary64((fc) => fc.m.shiftImm('asr', 1, 0, 31)),
};

void R1;

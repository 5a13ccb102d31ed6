/**
 * Numeric and memory operators for the IR builder (build.ts): i32 on single
 * words, i64 on (lo, hi) word pairs, soft-float values as their bits with the
 * arithmetic in the runtime's intrinsics. Constants fold; a word that is a
 * known constant costs nothing until an instruction needs it in a register.
 */

import { TrapCode } from '../abi.js';
import type { Instr } from '../wasm/operators.js';
import { ValType } from '../wasm/types.js';
import { floatCondFor } from '../xip/catalogue.js';
import {
  CORE, NotInTier, SWAP_I, holdsI32, invertCmp, type AluKind, type Cmp, type FCond, type ICond, type LoadKind, type ShiftKind, type Src,
  type StoreKind, type UnaryKind, type WordClass,
} from './ir.js';
import { truncSpec, truncate } from './build-trunc.js';
import { shift64Wrapping } from './build-shift64.js';
import { CONST, VREG, bound, wordsOf, type IrBuilder, type Word } from './build.js';

const I32 = ValType.I32, I64 = ValType.I64, F32 = ValType.F32, F64 = ValType.F64;

const isConst = (w: Word): boolean => w.v < 0;
const isZero = (w: Word): boolean => w.v < 0 && w.c === 0;

function fold(kind: AluKind, a: number, b: number): number {
  switch (kind) {
    case 'add': return (a + b) >>> 0;
    case 'sub': return (a - b) >>> 0;
    case 'rsub': return (b - a) >>> 0;
    case 'mul': return Math.imul(a, b) >>> 0;
    case 'and': return (a & b) >>> 0;
    case 'or': return (a | b) >>> 0;
    case 'xor': return (a ^ b) >>> 0;
  }
}

const COMMUTES: ReadonlySet<AluKind> = new Set(['add', 'mul', 'and', 'or', 'xor']);
const UNKNOWN = 0xffffffff;

/** All bits up to the highest set bit of m. */
function fillBelow(m: number): number {
  return m === 0 ? 0 : m >= 0x80000000 ? UNKNOWN : 2 ** (32 - Math.clz32(m)) - 1;
}

/** A proven upper bound of x <kind> y from theirs (exact integer arithmetic in doubles). */
function aluBound(kind: AluKind, x: Word, y: Word): number {
  const bx = bound(x), by = bound(y);
  switch (kind) {
    case 'and': return Math.min(bx, by);
    case 'or': case 'xor': return fillBelow(Math.max(bx, by));
    case 'add': return bx + by <= UNKNOWN ? bx + by : UNKNOWN;
    case 'mul': return bx * by <= UNKNOWN ? bx * by : UNKNOWN;
    default: return UNKNOWN;
  }
}

/** d = a <kind> b on words, folding constants and using immediates (no flags). */
export function alu(b: IrBuilder, kind: AluKind, x: Word, y: Word): Word {
  if (isConst(x) && isConst(y)) return CONST(fold(kind, x.c, y.c));
  if (isConst(x) && COMMUTES.has(kind)) [x, y] = [y, x];
  if (isConst(y)) {
    const c = y.c;
    if (c === 0 && (kind === 'add' || kind === 'sub' || kind === 'or' || kind === 'xor')) return x;
    if ((c === 0 && (kind === 'and' || kind === 'mul'))) return CONST(0);
    if (c === 0xffffffff && kind === 'and') return x;
    const fused = shiftedOperand(b, kind, x, y);
    if (fused !== undefined) return fused;
    if (kind === 'mul') {
      if (c === 1) return x;
      if ((c & (c - 1)) === 0) return shiftConst(b, 'lsl', x, 31 - Math.clz32(c));
    } else if (b.target.isa.aluImm(kind, c)) {
      const d = b.newVreg();
      b.emit({ op: 'alui', kind, d, a: x.v, imm: c });
      return VREG(d, aluBound(kind, x, y));
    }
  }
  const fused = shiftedOperand(b, kind, x, y);
  if (fused !== undefined) return fused;
  if (isConst(x) && kind === 'sub' && b.target.isa.aluImm('rsub', x.c)) {
    const d = b.newVreg();
    b.emit({ op: 'alui', kind: 'rsub', d, a: y.v, imm: x.c });
    return VREG(d);
  }
  const ra = b.reg(x);
  const rb = b.reg(y);
  const d = b.newVreg();
  b.emit({ op: 'alu', kind, d, a: ra, b: rb });
  return VREG(d, aluBound(kind, x, y));
}

/**
 * x <kind> (z << n) as one `alush` where the target has the form and the shift was just computed for this use
 * (`base + i * 4`, `(i << 3) + table`). A constant other operand takes a register: only inside a loop, where
 * that register is loaded once before it, does this save an instruction.
 */
function shiftedOperand(b: IrBuilder, kind: AluKind, x: Word, y: Word): Word | undefined {
  if (kind !== 'add' && kind !== 'sub' && kind !== 'or' && kind !== 'xor' && kind !== 'and') return undefined;
  if (!b.target.isa.shiftedOperand(kind)) return undefined;
  // the shifted operand is the last one computed: the second, or (an operation that commutes) the first
  const last = b.insts[b.insts.length - 1];
  const shifted = (w: Word): boolean => w.v >= 0 && last?.op === 'shifti' && last.kind === 'lsl' && last.d === w.v;
  let other: Word, sh: Word;
  if (shifted(y)) { other = x; sh = y; } else if (kind !== 'sub' && shifted(x)) { other = y; sh = x; } else return undefined;
  if (isConst(other) && !b.inLoop()) return undefined;
  const bnd = aluBound(kind, x, y);
  const s = b.takeShiftLeft(sh);
  if (s === undefined) return undefined;
  const d = b.newVreg();
  b.emit({ op: 'alush', kind, d, a: b.reg(other), b: s.a, shift: 'lsl', amount: s.amount });
  return VREG(d, bnd);
}

function shiftConst(b: IrBuilder, kind: ShiftKind, x: Word, k: number): Word {
  k &= 31;
  if (k === 0) return x;
  if (isConst(x)) {
    switch (kind) {
      case 'lsl': return CONST(x.c << k);
      case 'lsr': return CONST(x.c >>> k);
      case 'asr': return CONST(x.c >> k);
      case 'ror': return CONST((x.c >>> k) | (x.c << (32 - k)));
    }
  }
  const d = b.newVreg();
  b.emit({ op: 'shifti', kind, d, a: x.v, imm: k });
  const bx = bound(x);
  const max = kind === 'lsr' ? bx >>> k : kind === 'lsl' && bx * 2 ** k <= UNKNOWN ? bx * 2 ** k
    : kind === 'asr' && bx < 0x80000000 ? bx >>> k : UNKNOWN;
  return VREG(d, max);
}

function unary(b: IrBuilder, kind: UnaryKind, x: Word): Word {
  if (!b.target.isa.unary(kind)) throw new NotInTier(`${kind} without an instruction`);
  const d = b.newVreg();
  b.emit({ op: 'unary', kind, d, a: b.reg(x) });
  return VREG(d, kind === 'clz' ? 32 : UNKNOWN);
}

/** i32 shifts and rotations (Wasm takes the count modulo 32). */
function shift32(b: IrBuilder, op: 'shl' | 'shr_s' | 'shr_u' | 'rotl' | 'rotr', x: Word, n: Word): Word {
  const kind: ShiftKind = op === 'shl' ? 'lsl' : op === 'shr_s' ? 'asr' : op === 'shr_u' ? 'lsr' : 'ror';
  if (isConst(n)) return shiftConst(b, kind, x, op === 'rotl' ? 32 - (n.c & 31) : n.c);
  let amount: number;
  if (op === 'rotr') amount = n.v;
  // rotating right by -n (mod 32) is rotating left by n
  else if (op === 'rotl') amount = b.reg(alu(b, 'sub', CONST(0), n));
  else amount = b.reg(alu(b, 'and', n, CONST(31)));
  const d = b.newVreg();
  b.emit({ op: 'shift', kind, d, a: b.reg(x), b: amount });
  return VREG(d);
}

const REL: Readonly<Record<string, ICond>> = {
  eq: 'eq', ne: 'ne', lt_s: 'lt_s', gt_s: 'gt_s', le_s: 'le_s', ge_s: 'ge_s', lt_u: 'lt_u', gt_u: 'gt_u', le_u: 'le_u', ge_u: 'ge_u',
};

function compare32(b: IrBuilder, cond: ICond, x: Word, y: Word): void {
  if (isConst(x) && isConst(y)) { b.pushWords(I32, [CONST(holdsI32(cond, x.c, y.c) ? 1 : 0)]); return; }
  if (isConst(x)) { [x, y] = [y, x]; cond = SWAP_I[cond]; }
  const rhs: Src = isConst(y) && b.target.isa.cmpImm(y.c) ? { imm: y.c } : b.reg(y);
  b.push({ k: 'f', t: I32, cmp: { k: 'i32', cond, a: x.v, b: rhs } });
}

/** Calls the runtime function `sym` with the Wasm operands (and leading i32 immediates); pushes its result. */
function callIntrinsic(b: IrBuilder, sym: number, operands: readonly { t: ValType; w: readonly Word[] }[], result: ValType, imms: readonly number[] = []): void {
  const args: number[] = imms.map((c) => b.reg(CONST(c)));
  const classes: WordClass[] = imms.map(() => 'w32');
  for (const o of operands) {
    classes.push(b.argClass(o.t));
    for (const w of o.w) args.push(b.reg(w));
  }
  b.call(b.symbolTarget(sym), false, args, classes, [result], false);
}

function popTyped(b: IrBuilder, t: ValType): { t: ValType; w: readonly Word[] } {
  return { t, w: b.popWords() };
}

// ---- i64 --------------------------------------------------------------------------------------

function pair(w: readonly Word[]): [Word, Word] {
  return [w[0]!, w[1]!];
}

/** A half of a 64-bit operand: an immediate where the target takes it there, else a vreg. */
function half(b: IrBuilder, op: 'add' | 'sub' | 'cmp', which: 'lo' | 'hi', w: Word): Src {
  return isConst(w) && b.target.isa.pairImm(op, which, w.c) ? { imm: w.c } : b.reg(w);
}

function add64(b: IrBuilder, sub: boolean, x: readonly Word[], y: readonly Word[]): Word[] {
  const [al, ah] = pair(x);
  const [bl, bh] = pair(y);
  if (isZero(bl)) return [al, alu(b, sub ? 'sub' : 'add', ah, bh)];
  if (!sub && isZero(al)) return [bl, alu(b, 'add', ah, bh)];
  const lo = b.newVreg();
  const hi = b.newVreg();
  const kind = sub ? 'sub' : 'add';
  const rah = b.reg(ah);
  const ral = b.reg(al);
  const rbl = half(b, kind, 'lo', bl);
  const rbh = half(b, kind, 'hi', bh);
  b.emit({ op: 'alu64', kind, d: lo, d2: hi, a: ral, ah: rah, b: rbl, bh: rbh });
  return [VREG(lo), VREG(hi)];
}

function mul64(b: IrBuilder, x: readonly Word[], y: readonly Word[]): Word[] {
  const [al, ah] = pair(x);
  const [bl, bh] = pair(y);
  if (isZero(ah) && isZero(bh) && isConst(bl) && bl.c === 1) return [al, CONST(0)];
  if (!b.target.isa.longMultiply) throw new NotInTier('i64.mul without a 64-bit product or an intrinsic');
  const lo = b.newVreg();
  let hi = b.newVreg();
  const ral = b.reg(al);
  const rbl = b.reg(bl);
  b.emit({ op: 'umull', d: lo, d2: hi, a: ral, b: rbl });
  if (!isZero(bh)) {
    const t = b.newVreg();
    mulAdd(b, t, ral, b.reg(bh), hi);
    hi = t;
  }
  if (!isZero(ah)) {
    const t = b.newVreg();
    mulAdd(b, t, b.reg(ah), rbl, hi);
    hi = t;
  }
  return [VREG(lo), VREG(hi)];
}

/** d = x * y + z: one mla where the target has it */
function mulAdd(b: IrBuilder, d: number, x: number, y: number, z: number): void {
  if (b.target.isa.mulAdd) { b.emit({ op: 'mla', d, a: x, b: y, c: z }); return; }
  const p = b.newVreg();
  b.emit({ op: 'alu', kind: 'mul', d: p, a: x, b: y });
  b.emit({ op: 'alu', kind: 'add', d, a: z, b: p });
}

function shift64(b: IrBuilder, kind: 'shl' | 'shr_u' | 'shr_s' | 'rotl', x: readonly Word[], k: number): Word[] {
  let [lo, hi] = pair(x);
  k &= 63;
  if (kind === 'rotl') {
    if (k >= 32) { [lo, hi] = [hi, lo]; k -= 32; }
    if (k === 0) return [lo, hi];
    const nh = orShifted(b, shiftConst(b, 'lsl', hi, k), lo, 'lsr', 32 - k);
    const nl = orShifted(b, shiftConst(b, 'lsl', lo, k), hi, 'lsr', 32 - k);
    return [nl, nh];
  }
  if (k === 0) return [lo, hi];
  if (kind === 'shl') {
    if (k >= 32) return [CONST(0), shiftConst(b, 'lsl', lo, k - 32)];
    return [shiftConst(b, 'lsl', lo, k), orShifted(b, shiftConst(b, 'lsl', hi, k), lo, 'lsr', 32 - k)];
  }
  const hk: ShiftKind = kind === 'shr_u' ? 'lsr' : 'asr';
  if (k >= 32) {
    const nl = k === 32 ? hi : shiftConst(b, hk, hi, k - 32);
    return [nl, kind === 'shr_u' ? CONST(0) : shiftConst(b, 'asr', hi, 31)];
  }
  return [orShifted(b, shiftConst(b, 'lsr', lo, k), hi, 'lsl', 32 - k), shiftConst(b, hk, hi, k)];
}

function shiftBy(b: IrBuilder, kind: ShiftKind, x: number, n: number): number {
  const d = b.newVreg();
  b.emit({ op: 'shift', kind, d, a: x, b: n });
  return d;
}

function aluR(b: IrBuilder, kind: AluKind, x: number, y: number): number {
  const d = b.newVreg();
  b.emit({ op: 'alu', kind, d, a: x, b: y });
  return d;
}

/** x <kind> #c, or #c - x for 'rsub' (with the constant in a vreg where the target has no such immediate) */
function aluI(b: IrBuilder, kind: AluKind, x: number, c: number): number {
  return b.reg(kind === 'rsub' ? alu(b, 'sub', CONST(c), VREG(x)) : alu(b, kind, VREG(x), CONST(c)));
}

/**
 * i64 shifts by a register amount n (mod 64), branch-free: register shifts
 * by 32 or more give 0 (LSL/LSR) and take the count's bottom byte, so the
 * cross-word terms vanish by themselves on the side they do not apply to.
 */
function shift64var(b: IrBuilder, op: 'shl' | 'shr_u' | 'shr_s' | 'rotl' | 'rotr', x: readonly Word[], amount: Word): Word[] {
  const lo = b.reg(x[0]!), hi = b.reg(x[1]!);
  const n = aluI(b, 'and', b.reg(amount), 63);
  if (b.target.isa.shiftsWrap === true) return shift64Wrapping(b, op, lo, hi, n).map((v) => VREG(v));
  if (op === 'rotl' || op === 'rotr') {
    const m = aluI(b, 'and', aluI(b, 'rsub', n, 64), 63);
    const [l, r] = op === 'rotl' ? [n, m] : [m, n];
    const a = shiftLeft64(b, lo, hi, l);
    const c = shiftRightU64(b, lo, hi, r);
    return [VREG(aluR(b, 'or', a[0], c[0])), VREG(aluR(b, 'or', a[1], c[1]))];
  }
  if (op === 'shl') return shiftLeft64(b, lo, hi, n).map((v) => VREG(v));
  if (op === 'shr_u') return shiftRightU64(b, lo, hi, n).map((v) => VREG(v));
  // shr_s: for n >= 32 the low word is hi >> (n - 32) with the sign, which the branch-free form cannot give
  const low = aluR(b, 'or', shiftBy(b, 'lsr', lo, n), shiftBy(b, 'lsl', hi, aluI(b, 'rsub', n, 32)));
  const high = shiftBy(b, 'asr', hi, aluI(b, 'sub', n, 32));
  const d = b.newVreg();
  b.emit({ op: 'selif', cmp: { k: 'i32', cond: 'ge_u', a: n, b: cmpImm(b, 32) }, d, a: high, b: low });
  return [VREG(d), VREG(shiftBy(b, 'asr', hi, n))];
}

/** (lo, hi) << n for n in 0..63 */
function shiftLeft64(b: IrBuilder, lo: number, hi: number, n: number): [number, number] {
  const h1 = aluR(b, 'or', shiftBy(b, 'lsl', hi, n), shiftBy(b, 'lsr', lo, aluI(b, 'rsub', n, 32)));
  const h2 = aluR(b, 'or', h1, shiftBy(b, 'lsl', lo, aluI(b, 'sub', n, 32)));
  return [shiftBy(b, 'lsl', lo, n), h2];
}

/** (lo, hi) >>> n for n in 0..63 */
function shiftRightU64(b: IrBuilder, lo: number, hi: number, n: number): [number, number] {
  const l1 = aluR(b, 'or', shiftBy(b, 'lsr', lo, n), shiftBy(b, 'lsl', hi, aluI(b, 'rsub', n, 32)));
  const l2 = aluR(b, 'or', l1, shiftBy(b, 'lsr', hi, aluI(b, 'sub', n, 32)));
  return [l2, shiftBy(b, 'lsr', hi, n)];
}

/** a | (y <shift> amount) */
function orShifted(b: IrBuilder, a: Word, y: Word, shift: ShiftKind, amount: number): Word {
  if (isConst(y)) return alu(b, 'or', a, shiftConst(b, shift, y, amount));
  if (isZero(a)) return shiftConst(b, shift, y, amount);
  if (!b.target.isa.shiftedOperand('or')) return alu(b, 'or', a, shiftConst(b, shift, y, amount));
  const d = b.newVreg();
  b.emit({ op: 'alush', kind: 'or', d, a: b.reg(a), b: y.v, shift, amount });
  return VREG(d);
}

/** #c as the right side of a 32-bit compare of vreg x: an immediate where the target takes it, else a vreg. */
function cmpImm(b: IrBuilder, c: number): Src {
  return b.target.isa.cmpImm(c) ? { imm: c } : b.reg(CONST(c));
}

/** Ordered i64 compares as lt/ge: gt and le swap their operands (so that an immediate stays on the right). */
const REL64: Readonly<Record<string, { cond: ICond; swap: boolean }>> = {
  lt_s: { cond: 'lt_s', swap: false }, ge_s: { cond: 'ge_s', swap: false },
  gt_s: { cond: 'lt_s', swap: true }, le_s: { cond: 'ge_s', swap: true },
  lt_u: { cond: 'lt_u', swap: false }, ge_u: { cond: 'ge_u', swap: false },
  gt_u: { cond: 'lt_u', swap: true }, le_u: { cond: 'ge_u', swap: true },
};

function compare64(b: IrBuilder, rel: string, x: readonly Word[], y: readonly Word[]): void {
  if (rel === 'eq' || rel === 'ne') {
    const [al, ah] = pair(x);
    const [bl, bh] = pair(y);
    if (isZero(bh) && isZero(ah)) { compare32(b, rel, al, bl); return; }
    b.push({ k: 'f', t: I32, cmp: { k: 'i64', cond: rel, a: b.reg(al), ah: b.reg(ah), b: b.reg(bl), bh: b.reg(bh) } });
    return;
  }
  const r = REL64[rel]!;
  if (r.swap) [x, y] = [y, x];
  const [al, ah] = pair(x);
  const [bl, bh] = pair(y);
  const ral = b.reg(al);
  const rah = b.reg(ah);
  const rbl = half(b, 'cmp', 'lo', bl);
  const rbh = half(b, 'cmp', 'hi', bh);
  b.push({ k: 'f', t: I32, cmp: { k: 'i64', cond: r.cond, a: ral, ah: rah, b: rbl, bh: rbh } });
}

// ---- division ---------------------------------------------------------------------------------

function div32(b: IrBuilder, signed: boolean, isDiv: boolean, x: Word, y: Word, sym: number | undefined): void {
  if (isConst(y) && y.c !== 0 && !signed && (y.c & (y.c - 1)) === 0) {
    b.pushWords(I32, [isDiv ? shiftConst(b, 'lsr', x, 31 - Math.clz32(y.c)) : alu(b, 'and', x, CONST(y.c - 1))]);
    return;
  }
  if (sym === undefined && !b.target.isa.hwDiv) throw new NotInTier('i32 division without SDIV/UDIV or an intrinsic');
  const rx = b.reg(x);
  const ry = b.reg(y);
  if (!(isConst(y) && y.c !== 0)) {
    b.emit({ op: 'trapif', cmp: { k: 'i32', cond: 'eq', a: ry, b: { imm: 0 } }, code: TrapCode.DivideByZero });
  }
  if (signed && isDiv && !(isConst(y) && y.c !== 0xffffffff)) {
    // y == -1 and x == INT32_MIN, as one 64-bit equality of the pair (y, x)
    const cmp: Cmp = isConst(y) ? { k: 'i32', cond: 'eq', a: rx, b: cmpImm(b, 0x80000000) }
      : { k: 'i64', cond: 'eq', a: ry, ah: rx, b: b.reg(CONST(0xffffffff)), bh: b.reg(CONST(0x80000000)) };
    b.emit({ op: 'trapif', cmp, code: TrapCode.IntegerOverflow });
  }
  if (sym !== undefined) {
    callIntrinsic(b, sym, [{ t: I32, w: [VREG(rx)] }, { t: I32, w: [VREG(ry)] }], I32);
    return;
  }
  const q = b.newVreg();
  b.emit({ op: 'div', signed, d: q, a: rx, b: ry });
  if (isDiv) { b.pushWords(I32, [VREG(q)]); return; }
  const d = b.newVreg();
  if (b.target.isa.mulAdd) b.emit({ op: 'mls', d, a: q, b: ry, c: rx });
  else {
    const p = b.newVreg();
    b.emit({ op: 'alu', kind: 'mul', d: p, a: q, b: ry });
    b.emit({ op: 'alu', kind: 'sub', d, a: rx, b: p });
  }
  b.pushWords(I32, [VREG(d)]);
}

function div64(b: IrBuilder, signed: boolean, isDiv: boolean, x: readonly Word[], y: readonly Word[], sym: number | undefined): void {
  if (sym === undefined) throw new NotInTier('i64 division without an intrinsic');
  const [bl, bh] = pair(y);
  const constY = isConst(bl) && isConst(bh);
  const rbl = b.reg(bl), rbh = b.reg(bh);
  const ral = b.reg(x[0]!), rah = b.reg(x[1]!);
  if (!(constY && (bl.c | bh.c) !== 0)) {
    b.emit({ op: 'trapif', cmp: { k: 'i64', cond: 'eq', a: rbl, ah: rbh, b: { imm: 0 }, bh: { imm: 0 } }, code: TrapCode.DivideByZero });
  }
  if (signed && isDiv && !(constY && (bl.c !== 0xffffffff || bh.c !== 0xffffffff))) {
    // b == -1 and a == INT64_MIN
    const ok = b.newLabel();
    b.emit({ op: 'brif', cmp: { k: 'i64', cond: 'ne', a: rbl, ah: rbh, b: b.reg(CONST(0xffffffff)), bh: b.reg(CONST(0xffffffff)) }, label: ok });
    b.emit({ op: 'trapif', cmp: { k: 'i64', cond: 'eq', a: ral, ah: rah, b: b.reg(CONST(0)), bh: b.reg(CONST(0x80000000)) }, code: TrapCode.IntegerOverflow });
    b.emit({ op: 'label', label: ok });
  }
  callIntrinsic(b, sym, [{ t: I64, w: [VREG(ral), VREG(rah)] }, { t: I64, w: [VREG(rbl), VREG(rbh)] }], I64);
}

// ---- memory -----------------------------------------------------------------------------------

/**
 * Pops an address, checks it for an access of `size` bytes at `offset`; the base vreg (-1: constant) and offset.
 * `last` is the largest immediate the access instructions add to `offset` (4 for a pair of words); `kind` is
 * the access's, for the target's offset range (IrTarget.memOffset).
 */
function address(b: IrBuilder, kind: LoadKind, offset: number, size: number, last = 0): { a: number; offset: number } {
  b.usesMemory = true;
  const w = b.popWords()[0]!;
  const end = offset + size;
  const min = b.minMemoryBytes();
  const fits = (o: number): boolean => b.target.isa.memOffset(kind, o) && (last === 0 || b.target.isa.memOffset(kind, o + last));
  if (isConst(w) && w.c + end <= min && fits(w.c + offset)) return { a: -1, offset: w.c + offset };
  const a = b.reg(w);
  // an address proven below the declared minimum is in bounds: memory never shrinks
  if (bound(w) + end > min) b.check(a, end);
  if (fits(offset)) return { a, offset };
  // an offset no load or store encodes is added to the address here, so the allocator provides the register
  // for the sum (the emitter has no scratch to spare for it under register pressure). Once the check has
  // passed, a + offset + size <= memory size <= 2^32, so the 32-bit sum does not wrap.
  return { a: b.reg(alu(b, 'add', w, CONST(offset))), offset: 0 };
}

function load(b: IrBuilder, t: ValType, kind: LoadKind, size: number, ext: 'none' | 'zero' | 'sign' | 'pair', offset: number): void {
  const at = address(b, kind, offset, ext === 'pair' ? 8 : size, ext === 'pair' ? 4 : 0);
  const lo = b.newVreg();
  b.emit({ op: 'ld', kind, d: lo, a: at.a, offset: at.offset });
  const max = kind === 'b' ? 0xff : kind === 'h' ? 0xffff : UNKNOWN;
  if (wordsOf(t) === 1) { b.pushWords(t, [VREG(lo, max)]); return; }
  if (ext === 'pair') {
    const hi = b.newVreg();
    b.emit({ op: 'ld', kind: 'w', d: hi, a: at.a, offset: at.offset + 4 });
    b.pushWords(t, [VREG(lo), VREG(hi)]);
  } else if (ext === 'zero') {
    b.pushWords(t, [VREG(lo, max), CONST(0)]);
  } else {
    b.pushWords(t, [VREG(lo), shiftConst(b, 'asr', VREG(lo), 31)]);
  }
}

function store(b: IrBuilder, kind: StoreKind, size: number, words: 1 | 2, offset: number): void {
  const w = b.popWords();
  const regs = w.slice(0, words).map((x) => b.reg(x));
  const at = address(b, kind, offset, size, 4 * (words - 1));
  regs.forEach((v, k) => b.emit({ op: 'st', kind, a: at.a, b: v, offset: at.offset + 4 * k }));
}

type Loader = [ValType, LoadKind, number, 'none' | 'zero' | 'sign' | 'pair'];
const LOADS: Record<string, Loader> = {
  'i32.load': [I32, 'w', 4, 'none'], 'f32.load': [F32, 'w', 4, 'none'],
  'i64.load': [I64, 'w', 4, 'pair'], 'f64.load': [F64, 'w', 4, 'pair'],
  'i32.load8_s': [I32, 'sb', 1, 'none'], 'i32.load8_u': [I32, 'b', 1, 'none'],
  'i32.load16_s': [I32, 'sh', 2, 'none'], 'i32.load16_u': [I32, 'h', 2, 'none'],
  'i64.load8_s': [I64, 'sb', 1, 'sign'], 'i64.load8_u': [I64, 'b', 1, 'zero'],
  'i64.load16_s': [I64, 'sh', 2, 'sign'], 'i64.load16_u': [I64, 'h', 2, 'zero'],
  'i64.load32_s': [I64, 'w', 4, 'sign'], 'i64.load32_u': [I64, 'w', 4, 'zero'],
};
const STORES: Record<string, [StoreKind, number, 1 | 2]> = {
  'i32.store': ['w', 4, 1], 'f32.store': ['w', 4, 1], 'i64.store': ['w', 8, 2], 'f64.store': ['w', 8, 2],
  'i32.store8': ['b', 1, 1], 'i32.store16': ['h', 2, 1],
  'i64.store8': ['b', 1, 1], 'i64.store16': ['h', 2, 1], 'i64.store32': ['w', 4, 1],
};

const ALU32: Record<string, AluKind> = { add: 'add', sub: 'sub', mul: 'mul', and: 'and', or: 'or', xor: 'xor' };

/** Lowers a numeric or memory operator; false if it is none of those the builder handles. */
export function lowerNumeric(b: IrBuilder, ins: Instr, name: string): boolean {
  const ld = LOADS[name];
  if (ld !== undefined) {
    if (b.vclass(ld[0]) !== CORE) fload(b, ld[0], ins.memOffset);
    else load(b, ld[0], ld[1], ld[2], ld[3], ins.memOffset);
    return true;
  }
  const st = STORES[name];
  if (st !== undefined) {
    const ft = name === 'f32.store' ? F32 : name === 'f64.store' ? F64 : undefined;
    if (ft !== undefined && b.vclass(ft) !== CORE) fstore(b, ft, ins.memOffset);
    else store(b, st[0], st[1], st[2], ins.memOffset);
    return true;
  }
  const parts = splitName(ins.op, name);
  const sym = b.intrinsicOf(ins.op, name);
  const trunc = parts.float ? truncSpec(name) : undefined;
  if (trunc !== undefined) {
    truncate(b, trunc.spec, trunc.sat, sym);
    return true;
  }
  if (parts.float) {
    // an operator on an f64 the FPU does not compute (M4, M33) works as under soft-float: bits or the runtime
    const soft = b.target.softFloat || (name.includes('f64') && b.vclass(F64) === CORE);
    return soft ? softFloat(b, name, parts.ty, parts.op, sym) : hardFloat(b, name, parts.ty, parts.op, sym);
  }
  if (parts.ty === 'i32') return i32op(b, parts.op, sym);
  if (parts.ty === 'i64') return i64op(b, parts.op, sym);
  return false;
}

/** An operator name's type prefix and operation ('i32.add' → i32, add), made once per opcode. */
interface NameParts { readonly ty: string; readonly op: string; readonly float: boolean }
const PARTS = new Map<number, NameParts>();

function splitName(code: number, name: string): NameParts {
  let p = PARTS.get(code);
  if (p === undefined) {
    const dot = name.indexOf('.');
    const ty = name.slice(0, dot);
    p = { ty, op: name.slice(dot + 1), float: ty === 'f32' || ty === 'f64' || name.includes('_f32') || name.includes('_f64') };
    PARTS.set(code, p);
  }
  return p;
}

function i32op(b: IrBuilder, op: string, sym: number | undefined): boolean {
  const alu32 = ALU32[op];
  if (alu32 !== undefined && sym === undefined) {
    const y = b.popWords()[0]!;
    const x = b.popWords()[0]!;
    b.pushWords(I32, [alu(b, alu32, x, y)]);
    return true;
  }
  const rel = REL[op];
  if (rel !== undefined) {
    const y = b.popWords()[0]!;
    compare32(b, rel, b.popWords()[0]!, y);
    return true;
  }
  switch (op) {
    case 'shl': case 'shr_s': case 'shr_u': case 'rotl': case 'rotr': {
      const n = b.popWords()[0]!;
      b.pushWords(I32, [shift32(b, op, b.popWords()[0]!, n)]);
      return true;
    }
    case 'eqz': {
      const o = b.pop();
      if (o.k === 'f') { b.push({ k: 'f', t: I32, cmp: invertCmp(o.cmp) }); return true; }
      const x = o.w[0]!;
      if (isConst(x)) { b.pushWords(I32, [CONST(x.c === 0 ? 1 : 0)]); return true; }
      b.push({ k: 'f', t: I32, cmp: invertCmp(b.testNonZero(x.v)) });
      return true;
    }
    case 'div_s': case 'div_u': case 'rem_s': case 'rem_u': {
      const y = b.popWords()[0]!;
      div32(b, op.endsWith('_s'), op.startsWith('div'), b.popWords()[0]!, y, sym);
      return true;
    }
    case 'clz': case 'ctz': case 'popcnt': {
      const x = b.popWords()[0]!;
      if (sym !== undefined) { callIntrinsic(b, sym, [{ t: I32, w: [x] }], I32); return true; }
      if (op === 'popcnt') b.pushWords(I32, [popcount(b, x)]);
      else b.pushWords(I32, [op === 'clz' ? unary(b, 'clz', x) : unary(b, 'clz', unary(b, 'rbit', x))]);
      return true;
    }
    case 'extend8_s': b.pushWords(I32, [unary(b, 'sxtb', b.popWords()[0]!)]); return true;
    case 'extend16_s': b.pushWords(I32, [unary(b, 'sxth', b.popWords()[0]!)]); return true;
    case 'wrap_i64': b.pushWords(I32, [b.popWords()[0]!]); return true;
    case 'reinterpret_f32': {
      const w = b.popWords();
      b.pushWords(I32, w);
      return true;
    }
    default:
      if (sym !== undefined && alu32 !== undefined) {
        const y = popTyped(b, I32);
        callIntrinsic(b, sym, [popTyped(b, I32), y], I32);
        return true;
      }
      return false;
  }
}

/**
 * The bits set in x, without a runtime function (an --enable-builtin-intrinsics list may leave popcnt out): the
 * SWAR sum of bit pairs, nibbles and bytes, the bytes added up by one multiply.
 */
function popcount(b: IrBuilder, x: Word): Word {
  const pairs = alu(b, 'sub', x, alu(b, 'and', shiftConst(b, 'lsr', x, 1), CONST(0x55555555)));
  const nibbles = alu(b, 'add', alu(b, 'and', pairs, CONST(0x33333333)), alu(b, 'and', shiftConst(b, 'lsr', pairs, 2), CONST(0x33333333)));
  const bytes = alu(b, 'and', alu(b, 'add', nibbles, shiftConst(b, 'lsr', nibbles, 4)), CONST(0x0f0f0f0f));
  return shiftConst(b, 'lsr', alu(b, 'mul', bytes, CONST(0x01010101)), 24);
}

function i64op(b: IrBuilder, op: string, sym: number | undefined): boolean {
  const rel = REL[op];
  if (rel !== undefined) {
    if (sym !== undefined) return false;
    const y = b.popWords();
    compare64(b, op, b.popWords(), y);
    return true;
  }
  switch (op) {
    case 'eqz': {
      const [lo, hi] = pair(b.popWords());
      if (isZero(hi)) { compare32(b, 'eq', lo, CONST(0)); return true; }
      b.push({ k: 'f', t: I32, cmp: { k: 'i64', cond: 'eq', a: b.reg(lo), ah: b.reg(hi), b: { imm: 0 }, bh: { imm: 0 } } });
      return true;
    }
    case 'extend_i32_s': {
      const x = b.popWords()[0]!;
      b.pushWords(I64, [x, shiftConst(b, 'asr', x, 31)]);
      return true;
    }
    case 'extend_i32_u': b.pushWords(I64, [b.popWords()[0]!, CONST(0)]); return true;
    case 'extend8_s': case 'extend16_s': case 'extend32_s': {
      const x = b.popWords()[0]!;
      const lo = op === 'extend32_s' ? x : unary(b, op === 'extend8_s' ? 'sxtb' : 'sxth', x);
      b.pushWords(I64, [lo, shiftConst(b, 'asr', lo, 31)]);
      return true;
    }
    case 'reinterpret_f64': b.pushWords(I64, b.popWords()); return true;
  }
  if (sym !== undefined) {
    if (op.startsWith('div') || op.startsWith('rem')) {
      const y = b.popWords();
      div64(b, op.endsWith('_s'), op.startsWith('div'), b.popWords(), y, sym);
      return true;
    }
    const unaryOp = op === 'clz' || op === 'ctz' || op === 'popcnt';
    const y = unaryOp ? undefined : popTyped(b, I64);
    const x = popTyped(b, I64);
    callIntrinsic(b, sym, y === undefined ? [x] : [x, y], I64);
    return true;
  }
  switch (op) {
    case 'add': case 'sub': {
      const y = b.popWords();
      b.pushWords(I64, add64(b, op === 'sub', b.popWords(), y));
      return true;
    }
    case 'and': case 'or': case 'xor': {
      const y = b.popWords();
      const x = b.popWords();
      const k = ALU32[op]!;
      b.pushWords(I64, [alu(b, k, x[0]!, y[0]!), alu(b, k, x[1]!, y[1]!)]);
      return true;
    }
    case 'mul': {
      const y = b.popWords();
      b.pushWords(I64, mul64(b, b.popWords(), y));
      return true;
    }
    case 'shl': case 'shr_u': case 'shr_s': case 'rotl': case 'rotr': {
      const n = b.popWords();
      const x = b.popWords();
      if (!isConst(n[0]!)) { b.pushWords(I64, shift64var(b, op, x, n[0]!)); return true; }
      const k = n[0]!.c & 63;
      b.pushWords(I64, op === 'rotr' ? shift64(b, 'rotl', x, 64 - k) : shift64(b, op, x, k));
      return true;
    }
    case 'popcnt': {
      const [lo, hi] = pair(b.popWords());
      b.pushWords(I64, [alu(b, 'add', popcount(b, lo), popcount(b, hi)), CONST(0)]);
      return true;
    }
    case 'clz': case 'ctz': {
      const [lo, hi] = pair(b.popWords());
      // clz: hi != 0 ? clz(hi) : 32 + clz(lo); ctz the same on the bit-reversed halves, lo first
      const first = op === 'clz' ? hi : unary(b, 'rbit', lo);
      const second = op === 'clz' ? lo : unary(b, 'rbit', hi);
      const c1 = unary(b, 'clz', first);
      const c2 = alu(b, 'add', unary(b, 'clz', second), CONST(32));
      const rf = b.reg(first);
      const r1 = b.reg(c1), r2 = b.reg(c2);
      const d = b.newVreg();
      b.emit({ op: 'selif', cmp: { k: 'i32', cond: 'ne', a: rf, b: { imm: 0 } }, d, a: r1, b: r2 });
      b.pushWords(I64, [VREG(d), CONST(0)]);
      return true;
    }
    default:
      return false;
  }
}

/**
 * A float load into a float register (hard-float). Wasm addresses need not be aligned and a float load may fault on an
 * unaligned one, so the target loads the bits with core loads (one per word, as `ld`) and moves them over.
 */
function fload(b: IrBuilder, t: ValType, offset: number): void {
  const at = address(b, 'w', offset, t === F32 ? 4 : 8, t === F32 ? 0 : 4);
  const d = b.newVreg(true, b.vclass(t));
  b.emit({ op: 'fld', d, a: at.a, offset: at.offset });
  b.pushWords(t, [VREG(d)]);
}

function fstore(b: IrBuilder, t: ValType, offset: number): void {
  const v = b.popWords()[0]!.v;
  const at = address(b, 'w', offset, t === F32 ? 4 : 8, t === F32 ? 0 : 4);
  b.emit({ op: 'fst', a: at.a, b: v, offset: at.offset });
}

/** Wasm's float comparisons: false when unordered, except ne. */
const FCMP_COND: Readonly<Record<string, FCond>> = { eq: 'eq', ne: 'ne', lt: 'lt', le: 'le', gt: 'gt', ge: 'ge' };

/**
 * Hard-float operators inline in float registers. An operator the intrinsic policy sends to the runtime, or
 * one without an inline form here (min/max, rounding, copysign, i64 conversions, truncations), is not taken
 * here (false).
 */
function hardFloat(b: IrBuilder, name: string, ty: string, op: string, sym: number | undefined): boolean {
  if (sym !== undefined) return !op.startsWith('trunc_') && floatIntrinsic(b, name, ty, op, sym);
  const fv = (): number => b.popWords()[0]!.v;
  const t = ty === 'f64' ? F64 : F32;
  switch (op) {
    case 'add': case 'sub': case 'mul': case 'div': {
      if (ty !== 'f32' && ty !== 'f64') return false;
      const y = fv(), x = fv();
      const d = b.newVreg(true, b.vclass(t));
      b.emit({ op: 'fop', kind: op, d, a: x, b: y });
      b.pushWords(t, [VREG(d)]);
      return true;
    }
    case 'min': case 'max': {
      if (!rounds(b, t)) return false;
      const y = fv(), x = fv();
      const d = b.newVreg(true, b.vclass(t));
      b.emit({ op: 'fop', kind: op, d, a: x, b: y });
      b.pushWords(t, [VREG(d)]);
      return true;
    }
    case 'ceil': case 'floor': case 'trunc': case 'nearest': case 'abs': case 'neg': case 'sqrt': {
      if ((op === 'ceil' || op === 'floor' || op === 'trunc' || op === 'nearest') && !rounds(b, t)) return false;
      const x = fv();
      const d = b.newVreg(true, b.vclass(t));
      b.emit({ op: 'funary', kind: op, d, a: x });
      b.pushWords(t, [VREG(d)]);
      return true;
    }
    case 'copysign': {
      // on the bits: the sign of y into x's (high) word
      const y = fv(), x = fv();
      const wide = t === F64;
      const xl = b.newVreg(), xh = wide ? b.newVreg() : -1, yl = b.newVreg(), yh = wide ? b.newVreg() : -1;
      b.emit({ op: 'tocore', d: xl, d2: xh, a: x });
      b.emit({ op: 'tocore', d: yl, d2: yh, a: y });
      const hi = alu(b, 'or', alu(b, 'and', VREG(wide ? xh : xl), CONST(0x7fffffff)), alu(b, 'and', VREG(wide ? yh : yl), CONST(0x80000000)));
      const d = b.newVreg(true, b.vclass(t));
      b.emit({ op: 'fromcore', d, a: wide ? xl : b.reg(hi), b: wide ? b.reg(hi) : -1 });
      b.pushWords(t, [VREG(d)]);
      return true;
    }
    case 'eq': case 'ne': case 'lt': case 'gt': case 'le': case 'ge': {
      b.vclass(t);
      const y = fv(), x = fv();
      b.push({ k: 'f', t: I32, cmp: { k: 'f', cond: FCMP_COND[op]!, a: x, b: y } });
      return true;
    }
    case 'convert_i32_s': case 'convert_i32_u': {
      const x = b.reg(b.popWords()[0]!);
      const d = b.newVreg(true, b.vclass(t));
      b.emit({ op: 'fcvt', kind: op === 'convert_i32_s' ? 's32' : 'u32', d, a: x });
      b.pushWords(t, [VREG(d)]);
      return true;
    }
    case 'promote_f32': case 'demote_f64': {
      b.vclass(F64);
      const x = fv();
      const d = b.newVreg(true, b.vclass(t));
      b.emit({ op: 'fcvt', kind: op === 'promote_f32' ? 'promote' : 'demote', d, a: x });
      b.pushWords(t, [VREG(d)]);
      return true;
    }
    case 'reinterpret_i32': case 'reinterpret_i64': {
      const w = b.popWords().map((x) => b.reg(x));
      const d = b.newVreg(true, b.vclass(t));
      b.emit({ op: 'fromcore', d, a: w[0]!, b: w.length > 1 ? w[1]! : -1 });
      b.pushWords(t, [VREG(d)]);
      return true;
    }
    case 'reinterpret_f32': case 'reinterpret_f64': {
      const wide = op === 'reinterpret_f64';
      b.vclass(wide ? F64 : F32);
      const x = fv();
      const d = b.newVreg();
      const d2 = wide ? b.newVreg() : -1;
      b.emit({ op: 'tocore', d, d2, a: x });
      b.pushWords(wide ? I64 : I32, wide ? [VREG(d), VREG(d2)] : [VREG(d)]);
      return true;
    }
    default:
      return false;
  }
}

/** Whether the FPU rounds to integral values and has minNum/maxNum for type t. */
function rounds(b: IrBuilder, t: ValType): boolean {
  b.vclass(t);
  return b.target.fpuRound === 'dp' || (b.target.fpuRound === 'sp' && t === F32);
}

/** Soft-float operators: bits in core registers, arithmetic in the runtime. */
function softFloat(b: IrBuilder, name: string, ty: string, op: string, sym: number | undefined): boolean {
  const t = ty === 'f64' ? F64 : F32;
  switch (op) {
    case 'abs': case 'neg': case 'copysign': {
      if (sym !== undefined) break;
      const y = op === 'copysign' ? b.popWords() : undefined;
      const x = [...b.popWords()];
      const k = x.length - 1;
      if (op === 'abs') x[k] = alu(b, 'and', x[k]!, CONST(0x7fffffff));
      else if (op === 'neg') x[k] = alu(b, 'xor', x[k]!, CONST(0x80000000));
      else x[k] = alu(b, 'or', alu(b, 'and', x[k]!, CONST(0x7fffffff)), alu(b, 'and', y![k]!, CONST(0x80000000)));
      b.pushWords(t, x);
      return true;
    }
    case 'reinterpret_i32': b.pushWords(F32, b.popWords()); return true;
    case 'reinterpret_f32': b.pushWords(I32, b.popWords()); return true;
    case 'reinterpret_f64': b.pushWords(I64, b.popWords()); return true;
    case 'reinterpret_i64': b.pushWords(F64, b.popWords()); return true;
  }
  if (sym === undefined || op.startsWith('trunc_')) return false;
  return floatIntrinsic(b, name, ty, op, sym);
}

/**
 * A float operator as a call to its runtime function (the operands and the result travel as the float ABI
 * says: core words under soft-float, float registers under hard-float).
 */
function floatIntrinsic(b: IrBuilder, name: string, ty: string, op: string, sym: number): boolean {
  const t = ty === 'f64' ? F64 : F32;
  const cond = floatCondFor(name);
  if (cond !== undefined) {
    const y = popTyped(b, t);
    callIntrinsic(b, sym, [popTyped(b, t), y], I32, [cond]);
    return true;
  }
  const binary = op === 'add' || op === 'sub' || op === 'mul' || op === 'div' || op === 'min' || op === 'max' || op === 'copysign';
  if (binary) {
    const y = popTyped(b, t);
    callIntrinsic(b, sym, [popTyped(b, t), y], t);
    return true;
  }
  // unary and conversions: the operand's type from the name's source part
  const from = name.endsWith('_i32_s') || name.endsWith('_i32_u') ? I32
    : name.endsWith('_i64_s') || name.endsWith('_i64_u') ? I64
      : name === 'f32.demote_f64' ? F64 : name === 'f64.promote_f32' ? F32 : t;
  callIntrinsic(b, sym, [popTyped(b, from)], t);
  return true;
}

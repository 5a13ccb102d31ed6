/**
 * i64 shifts and rotations by a register amount on targets whose register shifts take the amount modulo 32
 * (IrTarget.shiftsWrap: RISC-V's sll/srl/sra), where the branch-free Arm form of build-num.ts (shifts by 32 or
 * more give 0) would be wrong. For n in 0..63 each half is computed as if n < 32, the cross-word term as
 * (x >>> 1) >>> (n ^ 31) so that n = 0 brings nothing across, and a select on bit 5 of n picks the halves.
 */
import { CONST, type IrBuilder } from './build.js';
import type { AluKind, Cmp, ShiftKind } from './ir.js';

function shift(b: IrBuilder, kind: ShiftKind, a: number, n: number): number {
  const d = b.newVreg();
  b.emit({ op: 'shift', kind, d, a, b: n });
  return d;
}

function shiftImm(b: IrBuilder, kind: ShiftKind, a: number, imm: number): number {
  const d = b.newVreg();
  b.emit({ op: 'shifti', kind, d, a, imm });
  return d;
}

function aluImm(b: IrBuilder, kind: AluKind, a: number, imm: number): number {
  const d = b.newVreg();
  if (b.target.isa.aluImm(kind, imm)) b.emit({ op: 'alui', kind, d, a, imm });
  else if (kind === 'rsub') b.emit({ op: 'alu', kind: 'sub', d, a: b.reg(CONST(imm)), b: a });
  else b.emit({ op: 'alu', kind, d, a, b: b.reg(CONST(imm)) });
  return d;
}

function or(b: IrBuilder, a: number, c: number): number {
  const d = b.newVreg();
  b.emit({ op: 'alu', kind: 'or', d, a, b: c });
  return d;
}

function select(b: IrBuilder, cmp: Cmp, a: number, c: number): number {
  const d = b.newVreg();
  b.emit({ op: 'selif', cmp, d, a, b: c });
  return d;
}

/** n >= 32, for n in 0..63 */
function big(b: IrBuilder, n: number): Cmp {
  return { k: 'test', cond: 'ne', a: n, b: b.target.isa.testImm(32) ? { imm: 32 } : b.reg(CONST(32)) };
}

/** (lo, hi) << n */
function left(b: IrBuilder, lo: number, hi: number, n: number): [number, number] {
  const t = shift(b, 'lsl', lo, n);
  const across = shift(b, 'lsr', shiftImm(b, 'lsr', lo, 1), aluImm(b, 'xor', n, 31));
  const h = or(b, shift(b, 'lsl', hi, n), across);
  const c = big(b, n);
  return [select(b, c, b.reg(CONST(0)), t), select(b, c, t, h)];
}

/** (lo, hi) >> n, with the sign when `signed` */
function right(b: IrBuilder, lo: number, hi: number, n: number, signed: boolean): [number, number] {
  const t = shift(b, signed ? 'asr' : 'lsr', hi, n);
  const across = shift(b, 'lsl', shiftImm(b, 'lsl', hi, 1), aluImm(b, 'xor', n, 31));
  const l = or(b, shift(b, 'lsr', lo, n), across);
  const fill = signed ? shiftImm(b, 'asr', hi, 31) : b.reg(CONST(0));
  const c = big(b, n);
  return [select(b, c, t, l), select(b, c, fill, t)];
}

/** The (lo, hi) result of `op` on (lo, hi) by n, where n is already reduced to 0..63. */
export function shift64Wrapping(b: IrBuilder, op: 'shl' | 'shr_u' | 'shr_s' | 'rotl' | 'rotr', lo: number, hi: number, n: number): [number, number] {
  switch (op) {
    case 'shl': return left(b, lo, hi, n);
    case 'shr_u': return right(b, lo, hi, n, false);
    case 'shr_s': return right(b, lo, hi, n, true);
    case 'rotl': case 'rotr': {
      // (-n) & 63 is 64 - n, or 0 for n = 0
      const m = aluImm(b, 'and', aluImm(b, 'rsub', n, 0), 63);
      const [l, r] = op === 'rotl' ? [n, m] : [m, n];
      const a = left(b, lo, hi, l);
      const c = right(b, lo, hi, r, false);
      return [or(b, a[0], c[0]), or(b, a[1], c[1])];
    }
  }
}

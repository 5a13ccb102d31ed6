/**
 * Thumb-2 register and condition-code types. Registers are branded numbers so
 * a core register can never be passed where an S or D register is expected,
 * and the only way to make one is a checked constructor.
 */
import { InternalError } from '../../errors.js';

export type Reg = number & { readonly __reg: 'core' };
export type SReg = number & { readonly __reg: 'single' };
export type DReg = number & { readonly __reg: 'double' };

export function reg(n: number): Reg {
  if (!Number.isInteger(n) || n < 0 || n > 15) throw new InternalError(`bad core register r${n}`);
  return n as Reg;
}
export function sreg(n: number): SReg {
  if (!Number.isInteger(n) || n < 0 || n > 31) throw new InternalError(`bad register s${n}`);
  return n as SReg;
}
export function dreg(n: number): DReg {
  if (!Number.isInteger(n) || n < 0 || n > 15) throw new InternalError(`bad register d${n}`);
  return n as DReg;
}

export const R0 = reg(0), R1 = reg(1), R2 = reg(2), R3 = reg(3), R4 = reg(4), R5 = reg(5), R6 = reg(6), R7 = reg(7);
export const R8 = reg(8), R9 = reg(9), R10 = reg(10), R11 = reg(11), R12 = reg(12);
export const SP = reg(13), LR = reg(14), PC = reg(15);

export function isLow(r: Reg): boolean {
  return r < 8;
}

export function regName(r: Reg): string {
  return r === 13 ? 'sp' : r === 14 ? 'lr' : r === 15 ? 'pc' : `r${r}`;
}

/** A narrow encoding has 3-bit register fields: refuse anything else instead of masking. */
export function lowReg(r: Reg, what: string): number {
  if (r > 7) throw new InternalError(`${what}: ${regName(r)} is not a low register`);
  return r;
}

/** Wide encodings where r13/r15 are UNPREDICTABLE reject them here. */
export function notSpPc(r: Reg, what: string): number {
  if (r === 13 || r === 15) throw new InternalError(`${what}: ${regName(r)} not allowed`);
  return r;
}

export function notPc(r: Reg, what: string): number {
  if (r === 15) throw new InternalError(`${what}: pc not allowed`);
  return r;
}

/** VFP register fields: (Vx, D/N/M bit) as the ARM ARM splits them. */
export function sFields(s: SReg): { v: number; bit: number } {
  return { v: s >> 1, bit: s & 1 };
}
export function dFields(d: DReg): { v: number; bit: number } {
  return { v: d & 15, bit: d >> 4 };
}

export type Cond = 'eq' | 'ne' | 'cs' | 'cc' | 'mi' | 'pl' | 'vs' | 'vc' | 'hi' | 'ls' | 'ge' | 'lt' | 'gt' | 'le' | 'al';

export const CONDS: readonly Cond[] = ['eq', 'ne', 'cs', 'cc', 'mi', 'pl', 'vs', 'vc', 'hi', 'ls', 'ge', 'lt', 'gt', 'le', 'al'];

export function condBits(c: Cond): number {
  return CONDS.indexOf(c);
}

/** Accepts the unsigned-compare aliases hs (= cs) and lo (= cc). */
export function normCond(c: Cond | 'hs' | 'lo'): Cond {
  return c === 'hs' ? 'cs' : c === 'lo' ? 'cc' : c;
}

export function invertCond(c: Cond): Cond {
  if (c === 'al') throw new InternalError('cannot invert the always condition');
  return CONDS[condBits(c) ^ 1] as Cond;
}

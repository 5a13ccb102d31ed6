/**
 * RV32 register types. Integer (x) and float (f) registers are branded
 * numbers, so one can never be passed where the other is expected, and the
 * only way to make one is a checked constructor. The compressed (RVC) forms
 * with 3-bit register fields reach only x8..x15 / f8..f15: `isCReg` tells
 * whether a register has such a field, `cField` refuses instead of masking.
 */
import { InternalError } from '../../errors.js';

export type XReg = number & { readonly __rv: 'x' };
export type FReg = number & { readonly __rv: 'f' };

export function xreg(n: number): XReg {
  if (!Number.isInteger(n) || n < 0 || n > 31) throw new InternalError(`bad register x${n}`);
  return n as XReg;
}
export function freg(n: number): FReg {
  if (!Number.isInteger(n) || n < 0 || n > 31) throw new InternalError(`bad register f${n}`);
  return n as FReg;
}

/** ABI names, as GNU objdump prints them. */
export const X_NAMES: readonly string[] = [
  'zero', 'ra', 'sp', 'gp', 'tp', 't0', 't1', 't2', 's0', 's1',
  'a0', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7',
  's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9', 's10', 's11', 't3', 't4', 't5', 't6',
];
export const F_NAMES: readonly string[] = [
  'ft0', 'ft1', 'ft2', 'ft3', 'ft4', 'ft5', 'ft6', 'ft7', 'fs0', 'fs1',
  'fa0', 'fa1', 'fa2', 'fa3', 'fa4', 'fa5', 'fa6', 'fa7',
  'fs2', 'fs3', 'fs4', 'fs5', 'fs6', 'fs7', 'fs8', 'fs9', 'fs10', 'fs11', 'ft8', 'ft9', 'ft10', 'ft11',
];

export const xName = (r: XReg): string => X_NAMES[r]!;
export const fName = (r: FReg): string => F_NAMES[r]!;

export const ZERO = xreg(0), RA = xreg(1), SP = xreg(2), GP = xreg(3), TP = xreg(4);
export const T0 = xreg(5), T1 = xreg(6), T2 = xreg(7), S0 = xreg(8), S1 = xreg(9);
export const A0 = xreg(10), A1 = xreg(11), A2 = xreg(12), A3 = xreg(13), A4 = xreg(14), A5 = xreg(15);
export const A6 = xreg(16), A7 = xreg(17), T6 = xreg(31);

/** Whether the register has a 3-bit RVC field (x8..x15 or f8..f15). */
export function isCReg(r: XReg | FReg): boolean {
  return r >= 8 && r <= 15;
}

/** The 3-bit RVC field of `r`; throws for registers outside x8..x15 / f8..f15. */
export function cField(r: XReg | FReg, what: string): number {
  if (r < 8 || r > 15) throw new InternalError(`${what}: register ${r} has no compressed field (only 8..15)`);
  return r - 8;
}

/** F rounding modes (the `rm` field); 'dyn' uses frm, and is what GNU as assumes when none is written. */
export type RoundingMode = 'rne' | 'rtz' | 'rdn' | 'rup' | 'rmm' | 'dyn';
export const ROUNDING_MODES: readonly RoundingMode[] = ['rne', 'rtz', 'rdn', 'rup', 'rmm', 'dyn'];
export function rmBits(rm: RoundingMode): number {
  return rm === 'dyn' ? 7 : ROUNDING_MODES.indexOf(rm);
}

/** Branch conditions: B-type funct3 order (beq bne _ _ blt bge bltu bgeu). */
export type BranchCond = 'eq' | 'ne' | 'lt' | 'ge' | 'ltu' | 'geu';
export const BRANCH_CONDS: readonly BranchCond[] = ['eq', 'ne', 'lt', 'ge', 'ltu', 'geu'];
const BRANCH_F3: Readonly<Record<BranchCond, number>> = { eq: 0, ne: 1, lt: 4, ge: 5, ltu: 6, geu: 7 };
export function branchFunct3(c: BranchCond): number {
  return BRANCH_F3[c];
}
/** The condition that holds exactly when `c` does not (same operand order). */
export function invertBranchCond(c: BranchCond): BranchCond {
  return BRANCH_CONDS[BRANCH_CONDS.indexOf(c) ^ 1]!;
}

/**
 * ARMv8.1-M Mainline conditional selects (Cortex-M55 and later). Only for
 * targets whose architecture has them; callers gate on the CPU. `'zr'` is the
 * zero register these encodings write as 15.
 */
import { InternalError } from '../../../errors.js';
import { type Cond, type Reg, condBits, notSpPc } from '../regs.js';
import { type Wide, w32 } from './common.js';

export type RegOrZr = Reg | 'zr';

function src(r: RegOrZr, what: string): number {
  return r === 'zr' ? 15 : notSpPc(r, what);
}

const csel = (op: number, what: string) => (rd: Reg, rn: RegOrZr, rm: RegOrZr, cond: Cond): Wide => {
  if (cond === 'al') throw new InternalError(`${what} with al`);
  return w32(0xea500000 | (src(rn, what) << 16) | (op << 12) | (notSpPc(rd, what) << 8) | (condBits(cond) << 4) | src(rm, what));
};
/** rd = cond ? rn : rm. */
export const cselT1 = csel(8, 'csel');
/** rd = cond ? rn : rm + 1 (CSET rd, c is CSINC rd, zr, zr, !c). */
export const csincT1 = csel(9, 'csinc');
/** rd = cond ? rn : ~rm (CSETM rd, c is CSINV rd, zr, zr, !c). */
export const csinvT1 = csel(10, 'csinv');
/** rd = cond ? rn : -rm. */
export const csnegT1 = csel(11, 'csneg');

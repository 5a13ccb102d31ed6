/**
 * Branch, IT and miscellaneous encoders. Branch offsets are byte distances
 * from the instruction's PC (its address + 4) to the target; each encoder
 * checks range and alignment and throws rather than truncating.
 */
import { InternalError } from '../../../errors.js';
import { type Cond, type Reg, condBits, lowReg, notPc } from '../regs.js';
import { type Narrow, type Wide, n16, w32, field } from './common.js';

function checkOff(off: number, min: number, max: number, what: string): void {
  if (!Number.isInteger(off) || off % 2 !== 0 || off < min || off > max) {
    throw new InternalError(`${what}: offset ${off} out of range ${min}..${max} or odd`);
  }
}

/** B<c>.N: -256..254. */
export const bCondT1 = (cond: Cond, off: number): Narrow => {
  if (cond === 'al') throw new InternalError('B<c>.N with al: use bT2');
  checkOff(off, -256, 254, 'b<c>.n');
  return n16(0xd000 | (condBits(cond) << 8) | ((off >> 1) & 0xff));
};
/** B.N: -2048..2046. */
export const bT2 = (off: number): Narrow => {
  checkOff(off, -2048, 2046, 'b.n');
  return n16(0xe000 | ((off >> 1) & 0x7ff));
};
/** B<c>.W: -1048576..1048574. */
export const bCondT3 = (cond: Cond, off: number): Wide => {
  if (cond === 'al') throw new InternalError('B<c>.W with al: use bT4');
  checkOff(off, -0x100000, 0xffffe, 'b<c>.w');
  const s = off < 0 ? 1 : 0;
  const imm11 = (off >> 1) & 0x7ff, imm6 = (off >> 12) & 0x3f, j1 = (off >> 18) & 1, j2 = (off >> 19) & 1;
  return w32(0xf0008000 | (s << 26) | (condBits(cond) << 22) | (imm6 << 16) | (j1 << 13) | (j2 << 11) | imm11);
};

function bl24(base: number, off: number, what: string): Wide {
  checkOff(off, -0x1000000, 0xfffffe, what);
  const s = off < 0 ? 1 : 0;
  const i1 = (off >> 23) & 1, i2 = (off >> 22) & 1;
  const j1 = (i1 ^ 1) ^ s, j2 = (i2 ^ 1) ^ s;
  const imm10 = (off >> 12) & 0x3ff, imm11 = (off >> 1) & 0x7ff;
  return w32(base | (s << 26) | (imm10 << 16) | (j1 << 13) | (j2 << 11) | imm11);
}
/** B.W: ±16 MiB. */
export const bT4 = (off: number): Wide => bl24(0xf0009000, off, 'b.w');
/** BL: ±16 MiB. */
export const blT1 = (off: number): Wide => bl24(0xf000d000, off, 'bl');
export const bxT1 = (rm: Reg): Narrow => n16(0x4700 | (rm << 3));
export const blxRegT1 = (rm: Reg): Narrow => n16(0x4780 | (notPc(rm, 'blx') << 3));

/** CBZ/CBNZ: forward only, 0..126. */
export const cbzT1 = (rn: Reg, off: number): Narrow => {
  checkOff(off, 0, 126, 'cbz');
  return n16(0xb100 | ((off >> 6) << 9) | (((off >> 1) & 0x1f) << 3) | lowReg(rn, 'cbz'));
};
export const cbnzT1 = (rn: Reg, off: number): Narrow => {
  checkOff(off, 0, 126, 'cbnz');
  return n16(0xb900 | ((off >> 6) << 9) | (((off >> 1) & 0x1f) << 3) | lowReg(rn, 'cbnz'));
};

/**
 * IT{x{y{z}}} firstcond. `pattern` lists the then/else letters after the
 * first instruction, e.g. '' for IT, 'e' for ITE, 'tt' for ITTT.
 */
export const itT1 = (firstcond: Cond, pattern: string): Narrow => {
  if (!/^[te]{0,3}$/.test(pattern)) throw new InternalError(`bad IT pattern '${pattern}'`);
  if (firstcond === 'al' && pattern.includes('e')) throw new InternalError('IT al with an else slot');
  const fc = condBits(firstcond), c0 = fc & 1;
  let mask = 0;
  for (let i = 0; i < pattern.length; i++) {
    const bit = pattern[i] === 't' ? c0 : c0 ^ 1;
    mask |= bit << (3 - i);
  }
  mask |= 1 << (3 - pattern.length);
  return n16(0xbf00 | (fc << 4) | mask);
};

export const nopT1 = (): Narrow => n16(0xbf00);
export const nopT2 = (): Wide => w32(0xf3af8000);
export const udfT1 = (imm: number): Narrow => n16(0xde00 | field(imm, 0, 255, 'udf'));
export const udfT2 = (imm: number): Wide => {
  field(imm, 0, 0xffff, 'udf.w');
  return w32(0xf7f0a000 | ((imm >> 12) << 16) | (imm & 0xfff));
};
export const bkptT1 = (imm: number): Narrow => n16(0xbe00 | field(imm, 0, 255, 'bkpt'));
export const svcT1 = (imm: number): Narrow => n16(0xdf00 | field(imm, 0, 255, 'svc'));
export const dmbT1 = (): Wide => w32(0xf3bf8f5f);
export const dsbT1 = (): Wide => w32(0xf3bf8f4f);
export const isbT1 = (): Wide => w32(0xf3bf8f6f);

/**
 * Data-processing encoders, one function per ARM ARM (v7-M/v8-M) encoding.
 * Narrow forms assert low registers; the caller (select.ts) decides whether
 * the flag-setting behaviour of a narrow form outside an IT block is wanted.
 */
import { InternalError } from '../../../errors.js';
import { type Imm12, type Imm16, type Imm3, type Imm7x4, type Imm8, type Imm8x4, type ModImm, ShiftImm } from '../imm.js';
import { type Reg, lowReg, notSpPc, notPc } from '../regs.js';
import { type Narrow, type Wide, n16, w32, field } from './common.js';

function lo(r: Reg): number {
  return lowReg(r, 'narrow form');
}

function shiftOf(sh: ShiftImm, type: ShiftImm['type']): number {
  if (sh.type !== type) throw new InternalError(`expected ${type} shift, got ${sh.type}`);
  return sh.imm5;
}

// ---- 16-bit: shift (immediate), add, subtract, move, compare -------------
export const lslImmT1 = (rd: Reg, rm: Reg, sh: ShiftImm): Narrow => {
  if (sh.amount === 0) throw new InternalError('LSL #0 narrow is MOVS; use movRegT2');
  return n16(0x0000 | (shiftOf(sh, 'lsl') << 6) | (lo(rm) << 3) | lo(rd));
};
export const lsrImmT1 = (rd: Reg, rm: Reg, sh: ShiftImm): Narrow => n16(0x0800 | (shiftOf(sh, 'lsr') << 6) | (lo(rm) << 3) | lo(rd));
export const asrImmT1 = (rd: Reg, rm: Reg, sh: ShiftImm): Narrow => n16(0x1000 | (shiftOf(sh, 'asr') << 6) | (lo(rm) << 3) | lo(rd));
/** MOVS rd, rm (LSL #0); the only narrow MOV between low registers that sets flags. */
export const movRegT2 = (rd: Reg, rm: Reg): Narrow => n16(0x0000 | (lo(rm) << 3) | lo(rd));
export const addRegT1 = (rd: Reg, rn: Reg, rm: Reg): Narrow => n16(0x1800 | (lo(rm) << 6) | (lo(rn) << 3) | lo(rd));
export const subRegT1 = (rd: Reg, rn: Reg, rm: Reg): Narrow => n16(0x1a00 | (lo(rm) << 6) | (lo(rn) << 3) | lo(rd));
export const addImmT1 = (rd: Reg, rn: Reg, imm: Imm3): Narrow => n16(0x1c00 | (imm.field << 6) | (lo(rn) << 3) | lo(rd));
export const subImmT1 = (rd: Reg, rn: Reg, imm: Imm3): Narrow => n16(0x1e00 | (imm.field << 6) | (lo(rn) << 3) | lo(rd));
export const movImmT1 = (rd: Reg, imm: Imm8): Narrow => n16(0x2000 | (lo(rd) << 8) | imm.field);
export const cmpImmT1 = (rn: Reg, imm: Imm8): Narrow => n16(0x2800 | (lo(rn) << 8) | imm.field);
export const addImmT2 = (rdn: Reg, imm: Imm8): Narrow => n16(0x3000 | (lo(rdn) << 8) | imm.field);
export const subImmT2 = (rdn: Reg, imm: Imm8): Narrow => n16(0x3800 | (lo(rdn) << 8) | imm.field);

// ---- 16-bit: data processing (register), op in bits 9..6 -----------------
const dp16 = (op: number, rdn: Reg, rm: Reg): Narrow => n16(0x4000 | (op << 6) | (lo(rm) << 3) | lo(rdn));
export const andRegT1 = (rdn: Reg, rm: Reg): Narrow => dp16(0, rdn, rm);
export const eorRegT1 = (rdn: Reg, rm: Reg): Narrow => dp16(1, rdn, rm);
export const lslRegT1 = (rdn: Reg, rm: Reg): Narrow => dp16(2, rdn, rm);
export const lsrRegT1 = (rdn: Reg, rm: Reg): Narrow => dp16(3, rdn, rm);
export const asrRegT1 = (rdn: Reg, rm: Reg): Narrow => dp16(4, rdn, rm);
export const adcRegT1 = (rdn: Reg, rm: Reg): Narrow => dp16(5, rdn, rm);
export const sbcRegT1 = (rdn: Reg, rm: Reg): Narrow => dp16(6, rdn, rm);
export const rorRegT1 = (rdn: Reg, rm: Reg): Narrow => dp16(7, rdn, rm);
export const tstRegT1 = (rn: Reg, rm: Reg): Narrow => dp16(8, rn, rm);
/** RSBS rd, rn, #0 (NEGS). */
export const rsbImmT1 = (rd: Reg, rn: Reg): Narrow => dp16(9, rd, rn);
export const cmpRegT1 = (rn: Reg, rm: Reg): Narrow => dp16(10, rn, rm);
export const cmnRegT1 = (rn: Reg, rm: Reg): Narrow => dp16(11, rn, rm);
export const orrRegT1 = (rdn: Reg, rm: Reg): Narrow => dp16(12, rdn, rm);
/** MULS rdm, rn, rdm. */
export const mulT1 = (rdm: Reg, rn: Reg): Narrow => dp16(13, rdm, rn);
export const bicRegT1 = (rdn: Reg, rm: Reg): Narrow => dp16(14, rdn, rm);
export const mvnRegT1 = (rd: Reg, rm: Reg): Narrow => dp16(15, rd, rm);

// ---- 16-bit: special data processing (high registers, never set flags) ---
export const addRegT2 = (rdn: Reg, rm: Reg): Narrow => {
  if (rdn === 15 && rm === 15) throw new InternalError('ADD pc, pc is UNPREDICTABLE');
  return n16(0x4400 | ((rdn >> 3) << 7) | (rm << 3) | (rdn & 7));
};
export const cmpRegT2 = (rn: Reg, rm: Reg): Narrow => {
  if (rn < 8 && rm < 8) throw new InternalError('CMP T2 needs a high register; use cmpRegT1');
  return n16(0x4500 | ((rn >> 3) << 7) | (notPc(rm, 'cmp') << 3) | (notPc(rn, 'cmp') & 7));
};
export const movRegT1 = (rd: Reg, rm: Reg): Narrow => n16(0x4600 | ((rd >> 3) << 7) | (rm << 3) | (rd & 7));

// ---- 16-bit: SP/PC-relative address generation ---------------------------
export const adrT1 = (rd: Reg, imm: Imm8x4): Narrow => n16(0xa000 | (lo(rd) << 8) | imm.field);
/** ADD rd, sp, #imm. */
export const addSpImmT1 = (rd: Reg, imm: Imm8x4): Narrow => n16(0xa800 | (lo(rd) << 8) | imm.field);
/** ADD sp, sp, #imm. */
export const addSpImmT2 = (imm: Imm7x4): Narrow => n16(0xb000 | imm.field);
/** SUB sp, sp, #imm. */
export const subSpImmT1 = (imm: Imm7x4): Narrow => n16(0xb080 | imm.field);

// ---- 16-bit: extend and reverse ------------------------------------------
export const sxthT1 = (rd: Reg, rm: Reg): Narrow => n16(0xb200 | (lo(rm) << 3) | lo(rd));
export const sxtbT1 = (rd: Reg, rm: Reg): Narrow => n16(0xb240 | (lo(rm) << 3) | lo(rd));
export const uxthT1 = (rd: Reg, rm: Reg): Narrow => n16(0xb280 | (lo(rm) << 3) | lo(rd));
export const uxtbT1 = (rd: Reg, rm: Reg): Narrow => n16(0xb2c0 | (lo(rm) << 3) | lo(rd));
export const revT1 = (rd: Reg, rm: Reg): Narrow => n16(0xba00 | (lo(rm) << 3) | lo(rd));
export const rev16T1 = (rd: Reg, rm: Reg): Narrow => n16(0xba40 | (lo(rm) << 3) | lo(rd));
export const revshT1 = (rd: Reg, rm: Reg): Narrow => n16(0xbac0 | (lo(rm) << 3) | lo(rd));

// ---- 32-bit: data processing (modified immediate) ------------------------
function dpMod(op: number, s: boolean, rn: number, rd: number, imm: ModImm): Wide {
  const i = imm.bits >> 11, imm3 = (imm.bits >> 8) & 7, imm8 = imm.bits & 0xff;
  return w32(0xf0000000 | (i << 26) | (op << 21) | ((s ? 1 : 0) << 20) | (rn << 16) | (imm3 << 12) | (rd << 8) | imm8);
}
const rdnMod = (op: number) => (rd: Reg, rn: Reg, imm: ModImm, s = false): Wide =>
  dpMod(op, s, notSpPc(rn, 'dp imm'), notSpPc(rd, 'dp imm'), imm);
export const andImmT1 = rdnMod(0);
export const bicImmT1 = rdnMod(1);
export const orrImmT1 = rdnMod(2);
export const ornImmT1 = rdnMod(3);
export const eorImmT1 = rdnMod(4);
export const adcImmT1 = rdnMod(10);
export const sbcImmT1 = rdnMod(11);
export const rsbImmT2 = rdnMod(14);
/** ADD{S}.W rd, rn, #modimm; rn may be SP (ADD SP plus immediate T3). */
export const addImmT3 = (rd: Reg, rn: Reg, imm: ModImm, s = false): Wide =>
  dpMod(8, s, notPc(rn, 'add'), rd === 13 && rn !== 13 ? notSpPc(rd, 'add') : notPc(rd, 'add'), imm);
export const subImmT3 = (rd: Reg, rn: Reg, imm: ModImm, s = false): Wide =>
  dpMod(13, s, notPc(rn, 'sub'), rd === 13 && rn !== 13 ? notSpPc(rd, 'sub') : notPc(rd, 'sub'), imm);
export const movImmT2 = (rd: Reg, imm: ModImm, s = false): Wide => dpMod(2, s, 15, notSpPc(rd, 'mov'), imm);
export const mvnImmT1 = (rd: Reg, imm: ModImm, s = false): Wide => dpMod(3, s, 15, notSpPc(rd, 'mvn'), imm);
export const tstImmT1 = (rn: Reg, imm: ModImm): Wide => dpMod(0, true, notSpPc(rn, 'tst'), 15, imm);
export const teqImmT1 = (rn: Reg, imm: ModImm): Wide => dpMod(4, true, notSpPc(rn, 'teq'), 15, imm);
export const cmnImmT1 = (rn: Reg, imm: ModImm): Wide => dpMod(8, true, notPc(rn, 'cmn'), 15, imm);
export const cmpImmT2 = (rn: Reg, imm: ModImm): Wide => dpMod(13, true, notPc(rn, 'cmp'), 15, imm);

// ---- 32-bit: data processing (plain binary immediate) --------------------
function plain(base: number, rn: number, rd: number, v12: number): Wide {
  const i = v12 >> 11, imm3 = (v12 >> 8) & 7, imm8 = v12 & 0xff;
  return w32(base | (i << 26) | (rn << 16) | (imm3 << 12) | (rd << 8) | imm8);
}
/** ADDW rd, rn, #imm12. */
export const addImmT4 = (rd: Reg, rn: Reg, imm: Imm12): Wide =>
  plain(0xf2000000, notPc(rn, 'addw'), rd === 13 && rn === 13 ? 13 : notSpPc(rd, 'addw'), imm.field);
/** SUBW rd, rn, #imm12. */
export const subImmT4 = (rd: Reg, rn: Reg, imm: Imm12): Wide =>
  plain(0xf2a00000, notPc(rn, 'subw'), rd === 13 && rn === 13 ? 13 : notSpPc(rd, 'subw'), imm.field);
/** ADR.W rd, <label before PC>: rd = Align(PC,4) - imm12. */
export const adrT2 = (rd: Reg, imm: Imm12): Wide => plain(0xf2af0000, 0, notSpPc(rd, 'adr'), imm.field);
/** ADR.W rd, <label after PC>: rd = Align(PC,4) + imm12. */
export const adrT3 = (rd: Reg, imm: Imm12): Wide => plain(0xf20f0000, 0, notSpPc(rd, 'adr'), imm.field);
export const movwT3 = (rd: Reg, imm: Imm16): Wide =>
  plain(0xf2400000 | ((imm.field >> 12) << 16), 0, notSpPc(rd, 'movw'), imm.field & 0xfff);
export const movtT1 = (rd: Reg, imm: Imm16): Wide =>
  plain(0xf2c00000 | ((imm.field >> 12) << 16), 0, notSpPc(rd, 'movt'), imm.field & 0xfff);

function bitfield(base: number, rn: number, rd: number, lsb: number, last: number): Wide {
  return w32(base | (rn << 16) | ((lsb >> 2) << 12) | (rd << 8) | ((lsb & 3) << 6) | last);
}
export const bfiT1 = (rd: Reg, rn: Reg, lsb: number, width: number): Wide => {
  field(lsb, 0, 31, 'bfi lsb');
  field(width, 1, 32 - lsb, 'bfi width');
  return bitfield(0xf3600000, notSpPc(rn, 'bfi'), notSpPc(rd, 'bfi'), lsb, lsb + width - 1);
};
export const bfcT1 = (rd: Reg, lsb: number, width: number): Wide => {
  field(lsb, 0, 31, 'bfc lsb');
  field(width, 1, 32 - lsb, 'bfc width');
  return bitfield(0xf3600000, 15, notSpPc(rd, 'bfc'), lsb, lsb + width - 1);
};
export const ubfxT1 = (rd: Reg, rn: Reg, lsb: number, width: number): Wide => {
  field(lsb, 0, 31, 'ubfx lsb');
  field(width, 1, 32 - lsb, 'ubfx width');
  return bitfield(0xf3c00000, notSpPc(rn, 'ubfx'), notSpPc(rd, 'ubfx'), lsb, width - 1);
};
export const sbfxT1 = (rd: Reg, rn: Reg, lsb: number, width: number): Wide => {
  field(lsb, 0, 31, 'sbfx lsb');
  field(width, 1, 32 - lsb, 'sbfx width');
  return bitfield(0xf3400000, notSpPc(rn, 'sbfx'), notSpPc(rd, 'sbfx'), lsb, width - 1);
};

// ---- 32-bit: data processing (shifted register) --------------------------
const NO_SHIFT = ShiftImm.NONE;
function dpShift(op: number, s: boolean, rn: number, rd: number, rm: number, sh: ShiftImm): Wide {
  const imm3 = sh.imm5 >> 2, imm2 = sh.imm5 & 3;
  return w32(0xea000000 | (op << 21) | ((s ? 1 : 0) << 20) | (rn << 16) | (imm3 << 12) | (rd << 8) | (imm2 << 6) | (sh.typeBits << 4) | rm);
}
const rdnShift = (op: number) => (rd: Reg, rn: Reg, rm: Reg, sh: ShiftImm = NO_SHIFT, s = false): Wide =>
  dpShift(op, s, notSpPc(rn, 'dp reg'), notSpPc(rd, 'dp reg'), notSpPc(rm, 'dp reg'), sh);
export const andRegT2 = rdnShift(0);
export const bicRegT2 = rdnShift(1);
export const orrRegT2 = rdnShift(2);
export const ornRegT1 = rdnShift(3);
export const eorRegT2 = rdnShift(4);
export const adcRegT2 = rdnShift(10);
export const sbcRegT2 = rdnShift(11);
export const rsbRegT1 = rdnShift(14);
/** ADD{S}.W rd, rn, rm{, shift}; rn may be SP (ADD SP plus register T3). */
export const addRegT3 = (rd: Reg, rn: Reg, rm: Reg, sh: ShiftImm = NO_SHIFT, s = false): Wide =>
  dpShift(8, s, notPc(rn, 'add'), rn === 13 && rd === 13 ? 13 : notSpPc(rd, 'add'), notSpPc(rm, 'add'), sh);
export const subRegT2 = (rd: Reg, rn: Reg, rm: Reg, sh: ShiftImm = NO_SHIFT, s = false): Wide =>
  dpShift(13, s, notPc(rn, 'sub'), rn === 13 && rd === 13 ? 13 : notSpPc(rd, 'sub'), notSpPc(rm, 'sub'), sh);
export const movRegT3 = (rd: Reg, rm: Reg, s = false): Wide => {
  if (s && (rd === 13 || rm === 13)) throw new InternalError('MOVS.W with sp');
  return dpShift(2, s, 15, notPc(rd, 'mov'), notPc(rm, 'mov'), NO_SHIFT);
};
export const mvnRegT2 = (rd: Reg, rm: Reg, sh: ShiftImm = NO_SHIFT, s = false): Wide =>
  dpShift(3, s, 15, notSpPc(rd, 'mvn'), notSpPc(rm, 'mvn'), sh);
export const tstRegT2 = (rn: Reg, rm: Reg, sh: ShiftImm = NO_SHIFT): Wide => dpShift(0, true, notSpPc(rn, 'tst'), 15, notSpPc(rm, 'tst'), sh);
export const teqRegT1 = (rn: Reg, rm: Reg, sh: ShiftImm = NO_SHIFT): Wide => dpShift(4, true, notSpPc(rn, 'teq'), 15, notSpPc(rm, 'teq'), sh);
export const cmnRegT2 = (rn: Reg, rm: Reg, sh: ShiftImm = NO_SHIFT): Wide => dpShift(8, true, notPc(rn, 'cmn'), 15, notSpPc(rm, 'cmn'), sh);
export const cmpRegT3 = (rn: Reg, rm: Reg, sh: ShiftImm = NO_SHIFT): Wide => dpShift(13, true, notPc(rn, 'cmp'), 15, notSpPc(rm, 'cmp'), sh);
const shiftImmWide = (type: ShiftImm['type']) => (rd: Reg, rm: Reg, sh: ShiftImm, s = false): Wide => {
  if (sh.type !== type) throw new InternalError(`expected ${type} shift, got ${sh.type}`);
  if (type === 'lsl' && sh.amount === 0) throw new InternalError('LSL #0 is MOV; use movRegT3');
  return dpShift(2, s, 15, notSpPc(rd, type), notSpPc(rm, type), sh);
};
export const lslImmT2 = shiftImmWide('lsl');
export const lsrImmT2 = shiftImmWide('lsr');
export const asrImmT2 = shiftImmWide('asr');
export const rorImmT1 = shiftImmWide('ror');
export const rrxT1 = (rd: Reg, rm: Reg, s = false): Wide =>
  w32(0xea4f0030 | ((s ? 1 : 0) << 20) | (notSpPc(rd, 'rrx') << 8) | notSpPc(rm, 'rrx'));

// ---- 32-bit: register-controlled shifts, extends, misc -------------------
const shiftReg = (type: number) => (rd: Reg, rn: Reg, rm: Reg, s = false): Wide =>
  w32(0xfa00f000 | (type << 21) | ((s ? 1 : 0) << 20) | (notSpPc(rn, 'shift') << 16) | (notSpPc(rd, 'shift') << 8) | notSpPc(rm, 'shift'));
export const lslRegT2 = shiftReg(0);
export const lsrRegT2 = shiftReg(1);
export const asrRegT2 = shiftReg(2);
export const rorRegT2 = shiftReg(3);

export type Rotation = 0 | 8 | 16 | 24;
const extend = (base: number) => (rd: Reg, rm: Reg, rot: Rotation = 0): Wide =>
  w32(base | (notSpPc(rd, 'extend') << 8) | ((rot >> 3) << 4) | notSpPc(rm, 'extend'));
export const sxthT2 = extend(0xfa0ff080);
export const uxthT2 = extend(0xfa1ff080);
export const sxtbT2 = extend(0xfa4ff080);
export const uxtbT2 = extend(0xfa5ff080);

const misc = (base: number) => (rd: Reg, rm: Reg): Wide => {
  const m = notSpPc(rm, 'misc');
  return w32(base | (m << 16) | (notSpPc(rd, 'misc') << 8) | m);
};
export const revT2 = misc(0xfa90f080);
export const rev16T2 = misc(0xfa90f090);
export const rbitT1 = misc(0xfa90f0a0);
export const revshT2 = misc(0xfa90f0b0);
export const clzT1 = misc(0xfab0f080);

// ---- 32-bit: multiply and divide -----------------------------------------
const r3 = (base: number) => (rd: Reg, rn: Reg, rm: Reg): Wide =>
  w32(base | (notSpPc(rn, 'mul') << 16) | (notSpPc(rd, 'mul') << 8) | notSpPc(rm, 'mul'));
export const mulT2 = r3(0xfb00f000);
export const sdivT1 = r3(0xfb90f0f0);
export const udivT1 = r3(0xfbb0f0f0);
const r4 = (base: number) => (rd: Reg, rn: Reg, rm: Reg, ra: Reg): Wide =>
  w32(base | (notSpPc(rn, 'mla') << 16) | (notSpPc(ra, 'mla') << 12) | (notSpPc(rd, 'mla') << 8) | notSpPc(rm, 'mla'));
export const mlaT1 = r4(0xfb000000);
export const mlsT1 = r4(0xfb000010);
const long = (base: number) => (rdlo: Reg, rdhi: Reg, rn: Reg, rm: Reg): Wide => {
  if (rdlo === rdhi) throw new InternalError('long multiply with RdLo == RdHi');
  return w32(base | (notSpPc(rn, 'mull') << 16) | (notSpPc(rdlo, 'mull') << 12) | (notSpPc(rdhi, 'mull') << 8) | notSpPc(rm, 'mull'));
};
export const smullT1 = long(0xfb800000);
export const umullT1 = long(0xfba00000);
export const smlalT1 = long(0xfbc00000);
export const umlalT1 = long(0xfbe00000);

/**
 * FPv5 encoders (single and double precision, plus the ARMv8 VRINT/VMAXNM/
 * VSEL group). Names carry the data type since sz is the only difference
 * between the F32 and F64 forms of one ARM ARM encoding.
 */
import { InternalError } from '../../../errors.js';
import type { SImm8x4, VfpImm } from '../imm.js';
import { type DReg, type Reg, type SReg, dFields, notSpPc, sFields } from '../regs.js';
import { type Wide, w32, field } from './common.js';

type F = { v: number; bit: number };
const vd = (f: F): number => (f.bit << 22) | (f.v << 12);
const vn = (f: F): number => (f.bit << 7) | (f.v << 16);
const vm = (f: F): number => (f.bit << 5) | f.v;
const S = sFields, D = dFields;
const SZ_S = 0x000, SZ_D = 0x100;

// ---- loads and stores ----------------------------------------------------
const ls = (base: number) => (f: F, rn: Reg, imm: SImm8x4): Wide => {
  if (rn === 13 || rn === 15) {
    // sp and pc (literal) bases are both fine here; only the field must fit.
  }
  return w32(base | ((imm.add ? 1 : 0) << 23) | (rn << 16) | vd(f) | imm.field);
};
const vldrBase = ls(0xed100a00), vstrBase = ls(0xed000a00);
export const vldrS = (sd: SReg, rn: Reg, imm: SImm8x4): Wide => vldrBase(S(sd), rn, imm);
export const vldrD = (dd: DReg, rn: Reg, imm: SImm8x4): Wide => w32(vldrBase(D(dd), rn, imm) | SZ_D);
export const vstrS = (sd: SReg, rn: Reg, imm: SImm8x4): Wide => {
  if (rn === 15) throw new InternalError('VSTR to pc');
  return vstrBase(S(sd), rn, imm);
};
export const vstrD = (dd: DReg, rn: Reg, imm: SImm8x4): Wide => {
  if (rn === 15) throw new InternalError('VSTR to pc');
  return w32(vstrBase(D(dd), rn, imm) | SZ_D);
};

// ---- moves ---------------------------------------------------------------
/** VMOV sn, rt. */
export const vmovCoreToS = (sn: SReg, rt: Reg): Wide => w32(0xee000a10 | vn(S(sn)) | (notSpPc(rt, 'vmov') << 12));
/** VMOV rt, sn. */
export const vmovSToCore = (rt: Reg, sn: SReg): Wide => w32(0xee100a10 | vn(S(sn)) | (notSpPc(rt, 'vmov') << 12));
/** VMOV dm, rt, rt2. */
export const vmovCoresToD = (dm: DReg, rt: Reg, rt2: Reg): Wide =>
  w32(0xec400b10 | (notSpPc(rt2, 'vmov') << 16) | (notSpPc(rt, 'vmov') << 12) | vm(D(dm)));
/** VMOV rt, rt2, dm. */
export const vmovDToCores = (rt: Reg, rt2: Reg, dm: DReg): Wide => {
  if (rt === rt2) throw new InternalError('VMOV rt, rt2, dm with rt == rt2');
  return w32(0xec500b10 | (notSpPc(rt2, 'vmov') << 16) | (notSpPc(rt, 'vmov') << 12) | vm(D(dm)));
};
export const vmovF32 = (sd: SReg, sm: SReg): Wide => w32(0xeeb00a40 | vd(S(sd)) | vm(S(sm)));
export const vmovF64 = (dd: DReg, dm: DReg): Wide => w32(0xeeb00b40 | vd(D(dd)) | vm(D(dm)));
const vimm = (imm: VfpImm): number => ((imm.imm8 >> 4) << 16) | (imm.imm8 & 0xf);
export const vmovImmF32 = (sd: SReg, imm: VfpImm): Wide => w32(0xeeb00a00 | vd(S(sd)) | vimm(imm));
export const vmovImmF64 = (dd: DReg, imm: VfpImm): Wide => w32(0xeeb00b00 | vd(D(dd)) | vimm(imm));

// ---- arithmetic ----------------------------------------------------------
const op3S = (base: number) => (sd: SReg, sn: SReg, sm: SReg): Wide => w32(base | SZ_S | vd(S(sd)) | vn(S(sn)) | vm(S(sm)));
const op3D = (base: number) => (dd: DReg, dn: DReg, dm: DReg): Wide => w32(base | SZ_D | vd(D(dd)) | vn(D(dn)) | vm(D(dm)));
export const vaddF32 = op3S(0xee300a00), vaddF64 = op3D(0xee300a00);
export const vsubF32 = op3S(0xee300a40), vsubF64 = op3D(0xee300a40);
export const vmulF32 = op3S(0xee200a00), vmulF64 = op3D(0xee200a00);
export const vdivF32 = op3S(0xee800a00), vdivF64 = op3D(0xee800a00);
export const vmaxnmF32 = op3S(0xfe800a00), vmaxnmF64 = op3D(0xfe800a00);
export const vminnmF32 = op3S(0xfe800a40), vminnmF64 = op3D(0xfe800a40);

const op2S = (base: number) => (sd: SReg, sm: SReg): Wide => w32(base | SZ_S | vd(S(sd)) | vm(S(sm)));
const op2D = (base: number) => (dd: DReg, dm: DReg): Wide => w32(base | SZ_D | vd(D(dd)) | vm(D(dm)));
export const vnegF32 = op2S(0xeeb10a40), vnegF64 = op2D(0xeeb10a40);
export const vabsF32 = op2S(0xeeb00ac0), vabsF64 = op2D(0xeeb00ac0);
export const vsqrtF32 = op2S(0xeeb10ac0), vsqrtF64 = op2D(0xeeb10ac0);
/** VCMP (quiet compare; E raises Invalid on quiet NaNs too). */
export const vcmpF32 = op2S(0xeeb40a40), vcmpF64 = op2D(0xeeb40a40);
export const vcmpeF32 = op2S(0xeeb40ac0), vcmpeF64 = op2D(0xeeb40ac0);
export const vcmpZeroF32 = (sd: SReg): Wide => w32(0xeeb50a40 | vd(S(sd)));
export const vcmpZeroF64 = (dd: DReg): Wide => w32(0xeeb50b40 | vd(D(dd)));
export const vcmpeZeroF32 = (sd: SReg): Wide => w32(0xeeb50ac0 | vd(S(sd)));
export const vcmpeZeroF64 = (dd: DReg): Wide => w32(0xeeb50bc0 | vd(D(dd)));

/** VMRS APSR_nzcv, FPSCR: copy the FP compare flags into the APSR. */
export const vmrsApsrNzcv = (): Wide => w32(0xeef1fa10);
export const vmrsFpscr = (rt: Reg): Wide => w32(0xeef10a10 | (notSpPc(rt, 'vmrs') << 12));
export const vmsrFpscr = (rt: Reg): Wide => w32(0xeee10a10 | (notSpPc(rt, 'vmsr') << 12));

// ---- conversions ---------------------------------------------------------
export const vcvtF64F32 = (dd: DReg, sm: SReg): Wide => w32(0xeeb70ac0 | vd(D(dd)) | vm(S(sm)));
export const vcvtF32F64 = (sd: SReg, dm: DReg): Wide => w32(0xeeb70bc0 | vd(S(sd)) | vm(D(dm)));
/** To integer: round toward zero (VCVT) when `towardZero`, else the FPSCR mode (VCVTR). */
const toInt = (signed: boolean, towardZero: boolean): number => 0xeeb80a40 | ((signed ? 5 : 4) << 16) | ((towardZero ? 1 : 0) << 7);
export const vcvtS32F32 = (sd: SReg, sm: SReg, towardZero = true): Wide => w32(toInt(true, towardZero) | vd(S(sd)) | vm(S(sm)));
export const vcvtU32F32 = (sd: SReg, sm: SReg, towardZero = true): Wide => w32(toInt(false, towardZero) | vd(S(sd)) | vm(S(sm)));
export const vcvtS32F64 = (sd: SReg, dm: DReg, towardZero = true): Wide => w32(toInt(true, towardZero) | SZ_D | vd(S(sd)) | vm(D(dm)));
export const vcvtU32F64 = (sd: SReg, dm: DReg, towardZero = true): Wide => w32(toInt(false, towardZero) | SZ_D | vd(S(sd)) | vm(D(dm)));
const fromInt = (signed: boolean): number => 0xeeb80a40 | ((signed ? 1 : 0) << 7);
export const vcvtF32S32 = (sd: SReg, sm: SReg): Wide => w32(fromInt(true) | vd(S(sd)) | vm(S(sm)));
export const vcvtF32U32 = (sd: SReg, sm: SReg): Wide => w32(fromInt(false) | vd(S(sd)) | vm(S(sm)));
export const vcvtF64S32 = (dd: DReg, sm: SReg): Wide => w32(fromInt(true) | SZ_D | vd(D(dd)) | vm(S(sm)));
export const vcvtF64U32 = (dd: DReg, sm: SReg): Wide => w32(fromInt(false) | SZ_D | vd(D(dd)) | vm(S(sm)));

/** a: to nearest, ties away; n: nearest even; p: +inf; m: -inf; z: zero; r: FPSCR mode; x: FPSCR mode, raising Inexact. */
export type RintMode = 'a' | 'n' | 'p' | 'm' | 'z' | 'r' | 'x';
function rintBase(mode: RintMode): number {
  switch (mode) {
    case 'a': return 0xfeb80a40;
    case 'n': return 0xfeb90a40;
    case 'p': return 0xfeba0a40;
    case 'm': return 0xfebb0a40;
    case 'z': return 0xeeb60ac0;
    case 'r': return 0xeeb60a40;
    case 'x': return 0xeeb70a40;
  }
}
export const vrintF32 = (mode: RintMode, sd: SReg, sm: SReg): Wide => w32(rintBase(mode) | vd(S(sd)) | vm(S(sm)));
export const vrintF64 = (mode: RintMode, dd: DReg, dm: DReg): Wide => w32(rintBase(mode) | SZ_D | vd(D(dd)) | vm(D(dm)));

/** VSEL only has eq/vs/ge/gt; the other conditions swap the operands. */
export type VselCond = 'eq' | 'vs' | 'ge' | 'gt';
const VSEL_CC: Record<VselCond, number> = { eq: 0, vs: 1, ge: 2, gt: 3 };
export const vselF32 = (cond: VselCond, sd: SReg, sn: SReg, sm: SReg): Wide =>
  w32(0xfe000a00 | (VSEL_CC[cond] << 20) | vd(S(sd)) | vn(S(sn)) | vm(S(sm)));
export const vselF64 = (cond: VselCond, dd: DReg, dn: DReg, dm: DReg): Wide =>
  w32(0xfe000b00 | (VSEL_CC[cond] << 20) | vd(D(dd)) | vn(D(dn)) | vm(D(dm)));

// ---- register lists ------------------------------------------------------
function listS(first: SReg, count: number): void {
  field(count, 1, 32 - first, 'S register count');
}
function listD(first: DReg, count: number): void {
  field(count, 1, Math.min(16, 16 - first), 'D register count');
}
export const vpushS = (first: SReg, count: number): Wide => { listS(first, count); return w32(0xed2d0a00 | vd(S(first)) | count); };
export const vpushD = (first: DReg, count: number): Wide => { listD(first, count); return w32(0xed2d0b00 | vd(D(first)) | (2 * count)); };
export const vpopS = (first: SReg, count: number): Wide => { listS(first, count); return w32(0xecbd0a00 | vd(S(first)) | count); };
export const vpopD = (first: DReg, count: number): Wide => { listD(first, count); return w32(0xecbd0b00 | vd(D(first)) | (2 * count)); };

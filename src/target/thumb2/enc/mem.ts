/**
 * Load/store encoders, one per ARM ARM encoding. Offsets arrive as typed
 * immediates (imm.ts), so an unencodable offset never reaches these.
 */
import { InternalError } from '../../../errors.js';
import type { Imm12, Imm5Scaled, Imm8x4, SImm12, SImm8, SImm8x4 } from '../imm.js';
import { type Reg, lowReg, notPc, notSpPc, regName } from '../regs.js';
import { type Narrow, type Wide, n16, w32, field } from './common.js';

export type MemOp = 'ldr' | 'ldrb' | 'ldrh' | 'ldrsb' | 'ldrsh' | 'str' | 'strb' | 'strh';
/** 'offset' is [rn, #-imm] (positive offsets use the imm12 form), 'pre' is [rn, #imm]!, 'post' is [rn], #imm. */
export type IndexMode = 'offset' | 'pre' | 'post';

export function accessSize(op: MemOp): 1 | 2 | 4 {
  switch (op) {
    case 'ldr': case 'str': return 4;
    case 'ldrh': case 'ldrsh': case 'strh': return 2;
    case 'ldrb': case 'ldrsb': case 'strb': return 1;
  }
}

function notSp(r: Reg, what: string): number {
  if (r === 13) throw new InternalError(`${what}: sp not allowed`);
  return r;
}

function lo(r: Reg): number {
  return lowReg(r, 'narrow load/store');
}

// ---- 16-bit immediate offset (T1) and register offset (T1) ---------------
const T1_IMM: Partial<Record<MemOp, number>> = { str: 0x6000, ldr: 0x6800, strb: 0x7000, ldrb: 0x7800, strh: 0x8000, ldrh: 0x8800 };
const T1_REG: Record<MemOp, number> = { str: 0x5000, strh: 0x5200, strb: 0x5400, ldrsb: 0x5600, ldr: 0x5800, ldrh: 0x5a00, ldrb: 0x5c00, ldrsh: 0x5e00 };

function immT1(op: MemOp, rt: Reg, rn: Reg, imm: Imm5Scaled): Narrow {
  const base = T1_IMM[op];
  if (base === undefined) throw new InternalError(`${op} has no narrow immediate form`);
  if (imm.value % accessSize(op) !== 0) throw new InternalError(`${op} offset ${imm.value} not scaled`);
  return n16(base | (imm.field << 6) | (lo(rn) << 3) | lo(rt));
}
export const ldrImmT1 = (rt: Reg, rn: Reg, imm: Imm5Scaled): Narrow => immT1('ldr', rt, rn, imm);
export const strImmT1 = (rt: Reg, rn: Reg, imm: Imm5Scaled): Narrow => immT1('str', rt, rn, imm);
export const ldrbImmT1 = (rt: Reg, rn: Reg, imm: Imm5Scaled): Narrow => immT1('ldrb', rt, rn, imm);
export const strbImmT1 = (rt: Reg, rn: Reg, imm: Imm5Scaled): Narrow => immT1('strb', rt, rn, imm);
export const ldrhImmT1 = (rt: Reg, rn: Reg, imm: Imm5Scaled): Narrow => immT1('ldrh', rt, rn, imm);
export const strhImmT1 = (rt: Reg, rn: Reg, imm: Imm5Scaled): Narrow => immT1('strh', rt, rn, imm);
/** Any of the eight ops, [rn, rm] with low registers. */
export const memRegT1 = (op: MemOp, rt: Reg, rn: Reg, rm: Reg): Narrow => n16(T1_REG[op] | (lo(rm) << 6) | (lo(rn) << 3) | lo(rt));
/** LDR rt, [sp, #imm]. */
export const ldrImmT2 = (rt: Reg, imm: Imm8x4): Narrow => n16(0x9800 | (lo(rt) << 8) | imm.field);
/** STR rt, [sp, #imm]. */
export const strImmT2 = (rt: Reg, imm: Imm8x4): Narrow => n16(0x9000 | (lo(rt) << 8) | imm.field);
/** LDR rt, [pc, #imm] with Align(PC,4). */
export const ldrLitT1 = (rt: Reg, imm: Imm8x4): Narrow => n16(0x4800 | (lo(rt) << 8) | imm.field);

// ---- 32-bit: imm12, imm8 with P/U/W, register, literal -------------------
const W_BASE: Record<MemOp, number> = {
  strb: 0xf8000000, strh: 0xf8200000, str: 0xf8400000,
  ldrb: 0xf8100000, ldrh: 0xf8300000, ldr: 0xf8500000,
  ldrsb: 0xf9100000, ldrsh: 0xf9300000,
};

function checkRt(op: MemOp, rt: Reg): number {
  // LDR may load pc (an interworking jump) and STR may store sp; anything else with sp/pc is UNPREDICTABLE or a hint.
  if (op === 'ldr') return rt;
  if (op === 'str') return notPc(rt, op);
  return notSpPc(rt, op);
}

/** [rn, #imm12], positive offsets: LDR T3, LDRB/LDRH/STR*B/H T2, LDRSB/LDRSH T1, STR T3. */
export function memImm12(op: MemOp, rt: Reg, rn: Reg, imm: Imm12): Wide {
  if (rn === 15) throw new InternalError(`${op} [pc, #imm] is the literal form`);
  return w32(W_BASE[op] | 0x00800000 | (rn << 16) | (checkRt(op, rt) << 12) | imm.field);
}
/** [rn, #-imm8], [rn, #±imm8]!, [rn], #±imm8: LDR/STR T4, LDRB/LDRH/STRB/STRH T3, LDRSB/LDRSH T2. */
export function memImm8(op: MemOp, rt: Reg, rn: Reg, imm: SImm8, mode: IndexMode): Wide {
  if (rn === 15) throw new InternalError(`${op} [pc, #imm] is the literal form`);
  if (mode === 'offset' && imm.add) throw new InternalError(`${op} [rn, #+imm8] is LDRT-class; use the imm12 form`);
  if (mode !== 'offset' && (rn === rt)) throw new InternalError(`${op} writeback with rn == rt (${regName(rt)})`);
  const p = mode === 'post' ? 0 : 1, w = mode === 'offset' ? 0 : 1;
  return w32(W_BASE[op] | 0x800 | (rn << 16) | (checkRt(op, rt) << 12) | (p << 10) | ((imm.add ? 1 : 0) << 9) | (w << 8) | imm.field);
}
/** [rn, rm, LSL #shift]: LDR/STR T2, and the others' register forms. */
export function memRegT2(op: MemOp, rt: Reg, rn: Reg, rm: Reg, shift: number): Wide {
  field(shift, 0, 3, 'load/store register shift');
  if (rn === 15) throw new InternalError(`${op} [pc, rm] not allowed`);
  return w32(W_BASE[op] | (rn << 16) | (checkRt(op, rt) << 12) | (shift << 4) | notSpPc(rm, op));
}
export const ldrImmT3 = (rt: Reg, rn: Reg, imm: Imm12): Wide => memImm12('ldr', rt, rn, imm);
export const strImmT3 = (rt: Reg, rn: Reg, imm: Imm12): Wide => memImm12('str', rt, rn, imm);
export const ldrImmT4 = (rt: Reg, rn: Reg, imm: SImm8, mode: IndexMode): Wide => memImm8('ldr', rt, rn, imm, mode);
export const strImmT4 = (rt: Reg, rn: Reg, imm: SImm8, mode: IndexMode): Wide => memImm8('str', rt, rn, imm, mode);
export const ldrbImmT2 = (rt: Reg, rn: Reg, imm: Imm12): Wide => memImm12('ldrb', rt, rn, imm);
export const ldrbImmT3 = (rt: Reg, rn: Reg, imm: SImm8, mode: IndexMode): Wide => memImm8('ldrb', rt, rn, imm, mode);
export const ldrhImmT2 = (rt: Reg, rn: Reg, imm: Imm12): Wide => memImm12('ldrh', rt, rn, imm);
export const ldrhImmT3 = (rt: Reg, rn: Reg, imm: SImm8, mode: IndexMode): Wide => memImm8('ldrh', rt, rn, imm, mode);
export const ldrsbImmT1 = (rt: Reg, rn: Reg, imm: Imm12): Wide => memImm12('ldrsb', rt, rn, imm);
export const ldrsbImmT2 = (rt: Reg, rn: Reg, imm: SImm8, mode: IndexMode): Wide => memImm8('ldrsb', rt, rn, imm, mode);
export const ldrshImmT1 = (rt: Reg, rn: Reg, imm: Imm12): Wide => memImm12('ldrsh', rt, rn, imm);
export const ldrshImmT2 = (rt: Reg, rn: Reg, imm: SImm8, mode: IndexMode): Wide => memImm8('ldrsh', rt, rn, imm, mode);
export const strbImmT2 = (rt: Reg, rn: Reg, imm: Imm12): Wide => memImm12('strb', rt, rn, imm);
export const strbImmT3 = (rt: Reg, rn: Reg, imm: SImm8, mode: IndexMode): Wide => memImm8('strb', rt, rn, imm, mode);
export const strhImmT2 = (rt: Reg, rn: Reg, imm: Imm12): Wide => memImm12('strh', rt, rn, imm);
export const strhImmT3 = (rt: Reg, rn: Reg, imm: SImm8, mode: IndexMode): Wide => memImm8('strh', rt, rn, imm, mode);

/** LDR.W rt, [pc, #±imm12] with Align(PC,4). */
export const ldrLitT2 = (rt: Reg, imm: SImm12): Wide => w32(0xf85f0000 | ((imm.add ? 1 : 0) << 23) | (rt << 12) | imm.field);

function dual(base: number, rt: Reg, rt2: Reg, rn: Reg, imm: SImm8x4, mode: IndexMode): Wide {
  if (rt === rt2 && base === 0xe8500000) throw new InternalError('LDRD with rt == rt2');
  if (mode !== 'offset' && (rn === rt || rn === rt2)) throw new InternalError('LDRD/STRD writeback with rn in the pair');
  const p = mode === 'post' ? 0 : 1, w = mode === 'offset' ? 0 : 1;
  return w32(base | (p << 24) | ((imm.add ? 1 : 0) << 23) | (w << 21) | (notPc(rn, 'ldrd') << 16) | (notSpPc(rt, 'ldrd') << 12) | (notSpPc(rt2, 'ldrd') << 8) | imm.field);
}
export const ldrdImmT1 = (rt: Reg, rt2: Reg, rn: Reg, imm: SImm8x4, mode: IndexMode = 'offset'): Wide => dual(0xe8500000, rt, rt2, rn, imm, mode);
export const strdImmT1 = (rt: Reg, rt2: Reg, rn: Reg, imm: SImm8x4, mode: IndexMode = 'offset'): Wide => dual(0xe8400000, rt, rt2, rn, imm, mode);
/** LDRD rt, rt2, [pc, #±imm8*4] (word-aligned PC). */
export const ldrdLitT1 = (rt: Reg, rt2: Reg, imm: SImm8x4): Wide =>
  w32(0xe95f0000 | ((imm.add ? 1 : 0) << 23) | (notSpPc(rt, 'ldrd') << 12) | (notSpPc(rt2, 'ldrd') << 8) | imm.field);

// ---- multiple registers ---------------------------------------------------
/** A register list as a bitmask (bit n = rn). */
export type RegList = number;
export function regList(...regs: Reg[]): RegList {
  let m = 0;
  for (const r of regs) m |= 1 << r;
  return m;
}
function count(list: RegList): number {
  let c = 0;
  for (let m = list; m; m &= m - 1) c++;
  return c;
}

export const pushT1 = (list: RegList): Narrow => {
  if (list & ~0x40ff || list === 0) throw new InternalError('PUSH.N takes r0-r7 and lr');
  return n16(0xb400 | ((list >> 14) & 1) << 8 | (list & 0xff));
};
export const popT1 = (list: RegList): Narrow => {
  if (list & ~0x80ff || list === 0) throw new InternalError('POP.N takes r0-r7 and pc');
  return n16(0xbc00 | ((list >> 15) & 1) << 8 | (list & 0xff));
};
export const pushT2 = (list: RegList): Wide => {
  if (list & 0xa000 || list & ~0xffff || count(list) < 2) throw new InternalError('PUSH.W: no sp/pc, two or more registers');
  return w32(0xe92d0000 | list);
};
export const popT2 = (list: RegList): Wide => {
  if (list & 0x2000 || list & ~0xffff || count(list) < 2 || (list & 0xc000) === 0xc000) throw new InternalError('POP.W: no sp, not lr and pc, two or more registers');
  return w32(0xe8bd0000 | list);
};
/** PUSH.W {rt} = STR rt, [sp, #-4]!. */
export const pushT3 = (rt: Reg): Wide => w32(0xf84d0d04 | (notSpPc(rt, 'push') << 12));
/** POP.W {rt} = LDR rt, [sp], #4. */
export const popT3 = (rt: Reg): Wide => w32(0xf85d0b04 | (notSp(rt, 'pop') << 12));

/** LDMIA rn!, {list} (writeback iff rn is not in the list, as the narrow form implies). */
export const ldmT1 = (rn: Reg, list: RegList): Narrow => {
  if (list & ~0xff || list === 0) throw new InternalError('LDM.N takes r0-r7');
  return n16(0xc800 | (lowReg(rn, 'ldm') << 8) | list);
};
/** STMIA rn!, {list}. */
export const stmT1 = (rn: Reg, list: RegList): Narrow => {
  if (list & ~0xff || list === 0) throw new InternalError('STM.N takes r0-r7');
  return n16(0xc000 | (lowReg(rn, 'stm') << 8) | list);
};
function multi(base: number, rn: Reg, list: RegList, wb: boolean, load: boolean): Wide {
  if (list & ~0xffff || count(list) < 2 || list & 0x2000) throw new InternalError('LDM/STM.W: two or more registers, no sp');
  if (!load && list & 0x8000) throw new InternalError('STM.W with pc');
  if (load && (list & 0xc000) === 0xc000) throw new InternalError('LDM.W with lr and pc');
  if (wb && list & (1 << rn)) throw new InternalError('LDM/STM writeback with rn in the list');
  return w32(base | ((wb ? 1 : 0) << 21) | (notPc(rn, 'ldm') << 16) | list);
}
export const ldmT2 = (rn: Reg, list: RegList, wb: boolean): Wide => multi(0xe8900000, rn, list, wb, true);
export const stmT2 = (rn: Reg, list: RegList, wb: boolean): Wide => multi(0xe8800000, rn, list, wb, false);
export const ldmdbT1 = (rn: Reg, list: RegList, wb: boolean): Wide => multi(0xe9100000, rn, list, wb, true);
export const stmdbT1 = (rn: Reg, list: RegList, wb: boolean): Wide => multi(0xe9000000, rn, list, wb, false);

// ---- table branches ------------------------------------------------------
/** TBB [rn, rm]; rn is usually pc (the table follows the instruction). */
export const tbbT1 = (rn: Reg, rm: Reg): Wide => w32(0xe8d0f000 | (notSp(rn, 'tbb') << 16) | notSpPc(rm, 'tbb'));
/** TBH [rn, rm, LSL #1]. */
export const tbhT1 = (rn: Reg, rm: Reg): Wide => w32(0xe8d0f010 | (notSp(rn, 'tbh') << 16) | notSpPc(rm, 'tbh'));

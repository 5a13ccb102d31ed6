/**
 * RV32C: every compressed form of RV32IC and RV32FC (c.fld/c.fsd need D,
 * which no target here has). The register and immediate types refuse what
 * the form cannot hold; the rd/rs != x0 (or != sp) rules, which would make a
 * different instruction or a hint, are checked here. To choose a compressed
 * form for a 32-bit operation, see compress.ts.
 */
import { InternalError } from '../../../errors.js';
import type { CAddi16spImm, CAddi4spnImm, CBOff, CImm6, CJOff, CLuiImm, CMemOff, CNzImm6, CShamt, CSpOff } from '../imm.js';
import { type FReg, type XReg, cField } from '../regs.js';
import { type Insn16, cbImmBits, cjImmBits, i16 } from './common.js';

function notZero(r: XReg, what: string): number {
  if (r === 0) throw new InternalError(`${what}: x0 not allowed`);
  return r;
}
/** The CI-format 6-bit immediate: imm[5] at bit 12, imm[4:0] at bits 6..2. */
const ci6 = (imm: number): number => (((imm >> 5) & 1) << 12) | ((imm & 0x1f) << 2);
/** c.lw/c.sw/c.flw/c.fsw offset: off[5:3] at 12..10, off[2] at 6, off[6] at 5. */
const clsOff = (off: number): number => (((off >> 3) & 7) << 10) | (((off >> 2) & 1) << 6) | (((off >> 6) & 1) << 5);
/** c.lwsp/c.flwsp offset: off[5] at 12, off[4:2] at 6..4, off[7:6] at 3..2. */
const lwspOff = (off: number): number => (((off >> 5) & 1) << 12) | (((off >> 2) & 7) << 4) | (((off >> 6) & 3) << 2);
/** c.swsp/c.fswsp offset: off[5:2] at 12..9, off[7:6] at 8..7. */
const swspOff = (off: number): number => (((off >> 2) & 0xf) << 9) | (((off >> 6) & 3) << 7);

// ---- quadrant 0 --------------------------------------------------------------
/** c.unimp: the all-zero halfword, defined illegal. */
export const cUnimp = (): Insn16 => i16(0x0000);
/** c.addi4spn rd', sp, imm (addi rd', sp, imm). */
export const cAddi4spn = (rd: XReg, imm: CAddi4spnImm): Insn16 =>
  i16((((imm >> 4) & 3) << 11) | (((imm >> 6) & 0xf) << 7) | (((imm >> 2) & 1) << 6) | (((imm >> 3) & 1) << 5) |
    (cField(rd, 'c.addi4spn') << 2));
export const cLw = (rd: XReg, rs1: XReg, off: CMemOff): Insn16 =>
  i16(0x4000 | clsOff(off) | (cField(rs1, 'c.lw') << 7) | (cField(rd, 'c.lw') << 2));
export const cFlw = (rd: FReg, rs1: XReg, off: CMemOff): Insn16 =>
  i16(0x6000 | clsOff(off) | (cField(rs1, 'c.flw') << 7) | (cField(rd, 'c.flw') << 2));
export const cSw = (rs2: XReg, rs1: XReg, off: CMemOff): Insn16 =>
  i16(0xc000 | clsOff(off) | (cField(rs1, 'c.sw') << 7) | (cField(rs2, 'c.sw') << 2));
export const cFsw = (rs2: FReg, rs1: XReg, off: CMemOff): Insn16 =>
  i16(0xe000 | clsOff(off) | (cField(rs1, 'c.fsw') << 7) | (cField(rs2, 'c.fsw') << 2));

// ---- quadrant 1 --------------------------------------------------------------
export const cNop = (): Insn16 => i16(0x0001);
/** c.addi rd, imm (rd += imm; rd != x0, imm != 0). */
export const cAddi = (rd: XReg, imm: CNzImm6): Insn16 => i16(0x0001 | ci6(imm) | (notZero(rd, 'c.addi') << 7));
/** c.jal off (RV32 only): jal ra, off. */
export const cJal = (off: CJOff): Insn16 => i16(0x2001 | cjImmBits(off));
/** c.li rd, imm (rd != x0). */
export const cLi = (rd: XReg, imm: CImm6): Insn16 => i16(0x4001 | ci6(imm) | (notZero(rd, 'c.li') << 7));
/** c.addi16sp imm: sp += imm. */
export const cAddi16sp = (imm: CAddi16spImm): Insn16 =>
  i16(0x6101 | (((imm >> 9) & 1) << 12) | (((imm >> 4) & 1) << 6) | (((imm >> 6) & 1) << 5) | (((imm >> 7) & 3) << 3) |
    (((imm >> 5) & 1) << 2));
/** c.lui rd, field (lui rd, field; rd != x0, sp). */
export const cLui = (rd: XReg, imm: CLuiImm): Insn16 => {
  if (rd === 2) throw new InternalError('c.lui: sp not allowed (that encoding is c.addi16sp)');
  return i16(0x6001 | ci6(imm & 0x3f) | (notZero(rd, 'c.lui') << 7));
};
export const cSrli = (rd: XReg, shamt: CShamt): Insn16 => i16(0x8001 | ci6(shamt) | (cField(rd, 'c.srli') << 7));
export const cSrai = (rd: XReg, shamt: CShamt): Insn16 => i16(0x8401 | ci6(shamt) | (cField(rd, 'c.srai') << 7));
export const cAndi = (rd: XReg, imm: CImm6): Insn16 => i16(0x8801 | ci6(imm) | (cField(rd, 'c.andi') << 7));
export type CAluOp = 'c.sub' | 'c.xor' | 'c.or' | 'c.and';
const CALU: Readonly<Record<CAluOp, number>> = { 'c.sub': 0, 'c.xor': 1, 'c.or': 2, 'c.and': 3 };
/** c.sub/xor/or/and rd', rs2': rd = rd op rs2. */
export const cAlu = (op: CAluOp, rd: XReg, rs2: XReg): Insn16 =>
  i16(0x8c01 | (cField(rd, op) << 7) | (CALU[op] << 5) | (cField(rs2, op) << 2));
export const cJ = (off: CJOff): Insn16 => i16(0xa001 | cjImmBits(off));
export const cBeqz = (rs1: XReg, off: CBOff): Insn16 => i16(0xc001 | cbImmBits(off) | (cField(rs1, 'c.beqz') << 7));
export const cBnez = (rs1: XReg, off: CBOff): Insn16 => i16(0xe001 | cbImmBits(off) | (cField(rs1, 'c.bnez') << 7));

// ---- quadrant 2 --------------------------------------------------------------
export const cSlli = (rd: XReg, shamt: CShamt): Insn16 => i16(0x0002 | ci6(shamt) | (notZero(rd, 'c.slli') << 7));
export const cLwsp = (rd: XReg, off: CSpOff): Insn16 => i16(0x4002 | lwspOff(off) | (notZero(rd, 'c.lwsp') << 7));
export const cFlwsp = (rd: FReg, off: CSpOff): Insn16 => i16(0x6002 | lwspOff(off) | (rd << 7));
export const cJr = (rs1: XReg): Insn16 => i16(0x8002 | (notZero(rs1, 'c.jr') << 7));
/** c.mv rd, rs2 (rd != x0, rs2 != x0). */
export const cMv = (rd: XReg, rs2: XReg): Insn16 => i16(0x8002 | (notZero(rd, 'c.mv') << 7) | (notZero(rs2, 'c.mv') << 2));
export const cEbreak = (): Insn16 => i16(0x9002);
export const cJalr = (rs1: XReg): Insn16 => i16(0x9002 | (notZero(rs1, 'c.jalr') << 7));
/** c.add rd, rs2: rd += rs2 (rd != x0, rs2 != x0). */
export const cAdd = (rd: XReg, rs2: XReg): Insn16 => i16(0x9002 | (notZero(rd, 'c.add') << 7) | (notZero(rs2, 'c.add') << 2));
export const cSwsp = (rs2: XReg, off: CSpOff): Insn16 => i16(0xc002 | swspOff(off) | (rs2 << 2));
export const cFswsp = (rs2: FReg, off: CSpOff): Insn16 => i16(0xe002 | swspOff(off) | (rs2 << 2));

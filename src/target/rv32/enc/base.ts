/**
 * RV32I, Zicsr/Zifencei, M and the few A forms a runtime contract may need
 * (lr.w/sc.w and the word AMOs that Wasm's atomic read-modify-write maps to).
 * Offsets of branches and jumps are byte distances from the instruction itself
 * (RISC-V has no PC bias); their types guarantee range and alignment.
 */
import type { BOff, CsrNum, JOff, Shamt, SImm12, UImm20, UImm5 } from '../imm.js';
import { type BranchCond, type XReg, branchFunct3 } from '../regs.js';
import { type Insn32, OP, bImmBits, field, i32, iType, jImmBits, rType, sType, uType } from './common.js';

// ---- upper immediates, jumps, branches ------------------------------------
export const lui = (rd: XReg, imm: UImm20): Insn32 => uType(imm, rd, OP.LUI);
export const auipc = (rd: XReg, imm: UImm20): Insn32 => uType(imm, rd, OP.AUIPC);
export const jal = (rd: XReg, off: JOff): Insn32 => i32(jImmBits(off) | (rd << 7) | OP.JAL);
export const jalr = (rd: XReg, rs1: XReg, imm: SImm12): Insn32 => iType(imm, rs1, 0, rd, OP.JALR);
/** b<cond> rs1, rs2, off. */
export const branch = (cond: BranchCond, rs1: XReg, rs2: XReg, off: BOff): Insn32 =>
  i32(bImmBits(off) | (rs2 << 20) | (rs1 << 15) | (branchFunct3(cond) << 12) | OP.BRANCH);

// ---- loads and stores ------------------------------------------------------
export type LoadKind = 'lb' | 'lh' | 'lw' | 'lbu' | 'lhu';
export type StoreKind = 'sb' | 'sh' | 'sw';
const LOAD_F3: Readonly<Record<LoadKind, number>> = { lb: 0, lh: 1, lw: 2, lbu: 4, lhu: 5 };
const STORE_F3: Readonly<Record<StoreKind, number>> = { sb: 0, sh: 1, sw: 2 };
export const load = (k: LoadKind, rd: XReg, rs1: XReg, imm: SImm12): Insn32 => iType(imm, rs1, LOAD_F3[k], rd, OP.LOAD);
export const store = (k: StoreKind, rs2: XReg, rs1: XReg, imm: SImm12): Insn32 => sType(imm, rs2, rs1, STORE_F3[k], OP.STORE);

// ---- register-immediate ----------------------------------------------------
export type AluImmOp = 'addi' | 'slti' | 'sltiu' | 'xori' | 'ori' | 'andi';
const ALU_IMM_F3: Readonly<Record<AluImmOp, number>> = { addi: 0, slti: 2, sltiu: 3, xori: 4, ori: 6, andi: 7 };
export const aluImm = (op: AluImmOp, rd: XReg, rs1: XReg, imm: SImm12): Insn32 => iType(imm, rs1, ALU_IMM_F3[op], rd, OP.OP_IMM);
export const addi = (rd: XReg, rs1: XReg, imm: SImm12): Insn32 => aluImm('addi', rd, rs1, imm);

export type ShiftImmOp = 'slli' | 'srli' | 'srai';
export const shiftImm = (op: ShiftImmOp, rd: XReg, rs1: XReg, shamt: Shamt): Insn32 =>
  rType(op === 'srai' ? 0x20 : 0, shamt, rs1, op === 'slli' ? 1 : 5, rd, OP.OP_IMM);

// ---- register-register (I and M) ------------------------------------------
export type AluOp =
  | 'add' | 'sub' | 'sll' | 'slt' | 'sltu' | 'xor' | 'srl' | 'sra' | 'or' | 'and'
  | 'mul' | 'mulh' | 'mulhsu' | 'mulhu' | 'div' | 'divu' | 'rem' | 'remu';
/** [funct7, funct3]. */
const ALU: Readonly<Record<AluOp, readonly [number, number]>> = {
  add: [0, 0], sub: [0x20, 0], sll: [0, 1], slt: [0, 2], sltu: [0, 3], xor: [0, 4], srl: [0, 5], sra: [0x20, 5],
  or: [0, 6], and: [0, 7],
  mul: [1, 0], mulh: [1, 1], mulhsu: [1, 2], mulhu: [1, 3], div: [1, 4], divu: [1, 5], rem: [1, 6], remu: [1, 7],
};
export const alu = (op: AluOp, rd: XReg, rs1: XReg, rs2: XReg): Insn32 => rType(ALU[op][0], rs2, rs1, ALU[op][1], rd, OP.OP);
/** The ops that need the M extension. */
export const isMulDiv = (op: AluOp): boolean => ALU[op][0] === 1;

// ---- A (word forms only) -----------------------------------------------------
export type AmoOp = 'amoswap.w' | 'amoadd.w' | 'amoxor.w' | 'amoand.w' | 'amoor.w';
const AMO_F5: Readonly<Record<AmoOp, number>> = { 'amoswap.w': 1, 'amoadd.w': 0, 'amoxor.w': 4, 'amoand.w': 12, 'amoor.w': 8 };
/** Acquire/release ordering bits of an atomic. */
export interface AqRl { aq: boolean; rl: boolean }
export const NO_ORDER: AqRl = { aq: false, rl: false };
const amo = (f5: number, o: AqRl, rs2: number, rs1: XReg, rd: XReg): Insn32 =>
  rType((f5 << 2) | ((o.aq ? 1 : 0) << 1) | (o.rl ? 1 : 0), rs2, rs1, 2, rd, OP.AMO);
/** lr.w rd, (rs1). */
export const lrW = (rd: XReg, rs1: XReg, o: AqRl = NO_ORDER): Insn32 => amo(2, o, 0, rs1, rd);
/** sc.w rd, rs2, (rs1): rd = 0 on success. */
export const scW = (rd: XReg, rs2: XReg, rs1: XReg, o: AqRl = NO_ORDER): Insn32 => amo(3, o, rs2, rs1, rd);
/** amo<op>.w rd, rs2, (rs1). */
export const amoW = (op: AmoOp, rd: XReg, rs2: XReg, rs1: XReg, o: AqRl = NO_ORDER): Insn32 => amo(AMO_F5[op], o, rs2, rs1, rd);

// ---- system, CSR, fences -----------------------------------------------------
export const ecall = (): Insn32 => i32(0x00000073);
export const ebreak = (): Insn32 => i32(0x00100073);
export const mret = (): Insn32 => i32(0x30200073);
export const wfi = (): Insn32 => i32(0x10500073);
/** The canonical 32-bit illegal instruction (csrrw x0, cycle, x0): GNU as's `unimp` without C. */
export const unimp = (): Insn32 => i32(0xc0001073);

export type CsrOp = 'csrrw' | 'csrrs' | 'csrrc';
const CSR_F3: Readonly<Record<CsrOp, number>> = { csrrw: 1, csrrs: 2, csrrc: 3 };
export const csr = (op: CsrOp, rd: XReg, c: CsrNum, rs1: XReg): Insn32 => iType(c, rs1, CSR_F3[op], rd, OP.SYSTEM);
/** csrr{w,s,c}i rd, csr, uimm5. */
export const csrImm = (op: CsrOp, rd: XReg, c: CsrNum, uimm: UImm5): Insn32 => iType(c, uimm, CSR_F3[op] + 4, rd, OP.SYSTEM);

/** fence pred, succ: each a 4-bit set of i, o, r, w (bit 3 = i ... bit 0 = w). */
export const fence = (pred: number, succ: number): Insn32 =>
  i32((field(pred, 1, 15, 'fence pred') << 24) | (field(succ, 1, 15, 'fence succ') << 20) | OP.MISC_MEM);
export const fenceI = (): Insn32 => i32(0x0000100f);

/**
 * F (single precision). Operations that round take an explicit rounding mode;
 * 'dyn' (frm) is what GNU as assumes when none is written. The fcvt.w[u].s
 * forms take 'rtz' for Wasm's truncating conversions.
 */
import type { SImm12 } from '../imm.js';
import { type FReg, type RoundingMode, type XReg, rmBits } from '../regs.js';
import { type Insn32, OP, iType, r4Type, rType, sType } from './common.js';

export const flw = (rd: FReg, rs1: XReg, imm: SImm12): Insn32 => iType(imm, rs1, 2, rd, OP.LOAD_FP);
export const fsw = (rs2: FReg, rs1: XReg, imm: SImm12): Insn32 => sType(imm, rs2, rs1, 2, OP.STORE_FP);

export type FArith = 'fadd.s' | 'fsub.s' | 'fmul.s' | 'fdiv.s';
const ARITH_F7: Readonly<Record<FArith, number>> = { 'fadd.s': 0x00, 'fsub.s': 0x04, 'fmul.s': 0x08, 'fdiv.s': 0x0c };
export const fArith = (op: FArith, rd: FReg, rs1: FReg, rs2: FReg, rm: RoundingMode = 'dyn'): Insn32 =>
  rType(ARITH_F7[op], rs2, rs1, rmBits(rm), rd, OP.OP_FP);
export const fsqrtS = (rd: FReg, rs1: FReg, rm: RoundingMode = 'dyn'): Insn32 => rType(0x2c, 0, rs1, rmBits(rm), rd, OP.OP_FP);

/** Fused multiply-add family: rd = ±(rs1 * rs2) ± rs3. */
export type FFused = 'fmadd.s' | 'fmsub.s' | 'fnmsub.s' | 'fnmadd.s';
const FUSED_OP: Readonly<Record<FFused, number>> = { 'fmadd.s': OP.MADD, 'fmsub.s': OP.MSUB, 'fnmsub.s': OP.NMSUB, 'fnmadd.s': OP.NMADD };
export const fFused = (op: FFused, rd: FReg, rs1: FReg, rs2: FReg, rs3: FReg, rm: RoundingMode = 'dyn'): Insn32 =>
  r4Type(rs3, rs2, rs1, rmBits(rm), rd, FUSED_OP[op]);

/** Sign injection, min/max, compares: [funct7, funct3]. */
export type FBinary = 'fsgnj.s' | 'fsgnjn.s' | 'fsgnjx.s' | 'fmin.s' | 'fmax.s';
const BIN: Readonly<Record<FBinary, readonly [number, number]>> = {
  'fsgnj.s': [0x10, 0], 'fsgnjn.s': [0x10, 1], 'fsgnjx.s': [0x10, 2], 'fmin.s': [0x14, 0], 'fmax.s': [0x14, 1],
};
export const fBinary = (op: FBinary, rd: FReg, rs1: FReg, rs2: FReg): Insn32 => rType(BIN[op][0], rs2, rs1, BIN[op][1], rd, OP.OP_FP);

export type FCmp = 'feq.s' | 'flt.s' | 'fle.s';
const CMP_F3: Readonly<Record<FCmp, number>> = { 'feq.s': 2, 'flt.s': 1, 'fle.s': 0 };
export const fCmp = (op: FCmp, rd: XReg, rs1: FReg, rs2: FReg): Insn32 => rType(0x50, rs2, rs1, CMP_F3[op], rd, OP.OP_FP);

/** fcvt.w.s / fcvt.wu.s rd, rs1, rm. */
export const fcvtWS = (rd: XReg, rs1: FReg, unsigned: boolean, rm: RoundingMode = 'dyn'): Insn32 =>
  rType(0x60, unsigned ? 1 : 0, rs1, rmBits(rm), rd, OP.OP_FP);
/** fcvt.s.w / fcvt.s.wu rd, rs1, rm. */
export const fcvtSW = (rd: FReg, rs1: XReg, unsigned: boolean, rm: RoundingMode = 'dyn'): Insn32 =>
  rType(0x68, unsigned ? 1 : 0, rs1, rmBits(rm), rd, OP.OP_FP);
/** fmv.x.w rd, rs1: the bits of a single into an integer register. */
export const fmvXW = (rd: XReg, rs1: FReg): Insn32 => rType(0x70, 0, rs1, 0, rd, OP.OP_FP);
/** fmv.w.x rd, rs1. */
export const fmvWX = (rd: FReg, rs1: XReg): Insn32 => rType(0x78, 0, rs1, 0, rd, OP.OP_FP);
export const fclassS = (rd: XReg, rs1: FReg): Insn32 => rType(0x70, 0, rs1, 1, rd, OP.OP_FP);

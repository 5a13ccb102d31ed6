/**
 * Encoded RV32 instructions. A 32-bit instruction always has its two low bits
 * set (0b11); a compressed one never does, so the value tells the widths
 * apart. A 32-bit encoding is kept as an int32 (`| 0`), which V8 passes around
 * as a small integer instead of boxing a double when bit 31 is set. Both are
 * stored little-endian: the buffer writes a 32-bit one with `putData32`.
 */
import { InternalError } from '../../../errors.js';

export type Insn32 = number & { readonly __rvw: 32 };
export type Insn16 = number & { readonly __rvw: 16 };
export type RvEnc = Insn32 | Insn16;

export function i32(v: number): Insn32 {
  if ((v & 3) !== 3) throw new InternalError(`bad 32-bit RISC-V encoding 0x${(v >>> 0).toString(16)}`);
  return (v | 0) as Insn32;
}

export function i16(v: number): Insn16 {
  if (!Number.isInteger(v) || v < 0 || v > 0xffff || (v & 3) === 3) {
    throw new InternalError(`bad compressed encoding 0x${v.toString(16)}`);
  }
  return v as Insn16;
}

export function isCompressed(e: RvEnc): e is Insn16 {
  return (e & 3) !== 3;
}

/** Size in bytes. */
export function encSize(e: RvEnc): 2 | 4 {
  return isCompressed(e) ? 2 : 4;
}

/** The hex form objdump prints: "00a50533" or "852a". */
export function rvHex(e: RvEnc): string {
  return isCompressed(e) ? e.toString(16).padStart(4, '0') : (e >>> 0).toString(16).padStart(8, '0');
}

/** Little-endian bytes of one instruction. */
export function rvBytes(e: RvEnc): number[] {
  const u = e >>> 0;
  return isCompressed(e) ? [u & 0xff, u >>> 8] : [u & 0xff, (u >>> 8) & 0xff, (u >>> 16) & 0xff, u >>> 24];
}

/** Range check for plain-number fields (fence sets, aq/rl). */
export function field(v: number, lo: number, hi: number, what: string): number {
  if (!Number.isInteger(v) || v < lo || v > hi) throw new InternalError(`${what}: ${v} not in ${lo}..${hi}`);
  return v;
}

// ---- the base formats (fields already checked by their types) --------------
export const OP = {
  LOAD: 0x03, LOAD_FP: 0x07, MISC_MEM: 0x0f, OP_IMM: 0x13, AUIPC: 0x17, STORE: 0x23, STORE_FP: 0x27,
  AMO: 0x2f, OP: 0x33, LUI: 0x37, MADD: 0x43, MSUB: 0x47, NMSUB: 0x4b, NMADD: 0x4f, OP_FP: 0x53,
  BRANCH: 0x63, JALR: 0x67, JAL: 0x6f, SYSTEM: 0x73,
} as const;

export const rType = (f7: number, rs2: number, rs1: number, f3: number, rd: number, op: number): Insn32 =>
  i32((f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op);
export const iType = (imm: number, rs1: number, f3: number, rd: number, op: number): Insn32 =>
  i32(((imm & 0xfff) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op);
export const sType = (imm: number, rs2: number, rs1: number, f3: number, op: number): Insn32 =>
  i32((((imm >> 5) & 0x7f) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | ((imm & 0x1f) << 7) | op);
export const uType = (field20: number, rd: number, op: number): Insn32 => i32((field20 << 12) | (rd << 7) | op);
export const r4Type = (rs3: number, rs2: number, rs1: number, rm: number, rd: number, op: number): Insn32 =>
  i32((rs3 << 27) | (rs2 << 20) | (rs1 << 15) | (rm << 12) | (rd << 7) | op);

/** The B-type immediate bits (imm[12|10:5] at 31..25, imm[4:1|11] at 11..7) of an even offset. */
export function bImmBits(off: number): number {
  return (((off >> 12) & 1) << 31) | (((off >> 5) & 0x3f) << 25) | (((off >> 1) & 0xf) << 8) | (((off >> 11) & 1) << 7);
}
/** The J-type immediate bits (imm[20|10:1|11|19:12] at 31..12). */
export function jImmBits(off: number): number {
  return (((off >> 20) & 1) << 31) | (((off >> 1) & 0x3ff) << 21) | (((off >> 11) & 1) << 20) | (((off >> 12) & 0xff) << 12);
}
/** The CB-format offset bits of c.beqz/c.bnez (imm[8|4:3] at 12..10, imm[7:6|2:1|5] at 6..2). */
export function cbImmBits(off: number): number {
  return (((off >> 8) & 1) << 12) | (((off >> 3) & 3) << 10) | (((off >> 6) & 3) << 5) | (((off >> 1) & 3) << 3) | (((off >> 5) & 1) << 2);
}
/** The CJ-format offset bits of c.j/c.jal (imm[11|4|9:8|10|6|7|3:1|5] at 12..2). */
export function cjImmBits(off: number): number {
  return (((off >> 11) & 1) << 12) | (((off >> 4) & 1) << 11) | (((off >> 8) & 3) << 9) | (((off >> 10) & 1) << 8) |
    (((off >> 6) & 1) << 7) | (((off >> 7) & 1) << 6) | (((off >> 1) & 7) << 3) | (((off >> 5) & 1) << 2);
}

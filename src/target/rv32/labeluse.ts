/**
 * RV32 label-use kinds for the shared code buffer (../buffer.ts): how each
 * PC-relative field is measured, how far it reaches, how it is patched, and
 * which short forms a veneer (a `jal x0` in the next island) can rescue.
 * RISC-V measures every offset from the instruction itself (no PC bias).
 *
 * The auipc pairs ('pcrelI', 'pcrelS') are used at the auipc; the instruction
 * that takes the low 12 bits (addi/jalr/lw/flw for I, sw/fsw for S) must
 * follow it directly at use + 4, and both are measured from the auipc.
 * They reach about ±2 GiB, so they need neither veneer nor island; they are
 * how calls beyond jal's ±1 MiB and literal loads are made.
 */
import { InternalError, assertNever } from '../../errors.js';
import type { LabelUseIsa } from '../buffer.js';
import { BOff, CBOff, CJOff, JOff, splitHiLo } from './imm.js';
import { bImmBits, cbImmBits, cjImmBits, jImmBits } from './enc/common.js';

export type Rv32LabelUse =
  | 'branch' // B-type b<cond>           -4096..4094
  | 'jal' // J-type jal rd              -1 MiB..1 MiB-2
  | 'cbranch' // CB c.beqz/c.bnez       -256..254
  | 'cjump' // CJ c.j/c.jal             -2048..2046
  | 'pcrelI' // auipc + I-type lo12    about ±2 GiB
  | 'pcrelS' // auipc + S-type lo12    about ±2 GiB
  | 'word32'; // 32-bit little-endian data word: target - base

/** hi20 in -2^19..2^19-1 and lo12 in -2048..2047 give (hi << 12) + lo in this range. */
const PCREL_MIN = -0x80000000 - 2048;
const PCREL_MAX = 0x7fffffff - 2048;

const REACH: Readonly<Record<Rv32LabelUse, readonly [number, number]>> = {
  branch: [BOff.lo, BOff.hi],
  jal: [JOff.lo, JOff.hi],
  cbranch: [CBOff.lo, CBOff.hi],
  cjump: [CJOff.lo, CJOff.hi],
  pcrelI: [PCREL_MIN, PCREL_MAX],
  pcrelS: [PCREL_MIN, PCREL_MAX],
  word32: [-0x80000000, 0x7fffffff],
};

const reference = (kind: Rv32LabelUse, use: number, base: number): number => (kind === 'word32' ? base : use);

function read16(code: Uint8Array, at: number): number {
  return code[at]! | (code[at + 1]! << 8);
}
function write16(code: Uint8Array, at: number, v: number): void {
  code[at] = v & 0xff;
  code[at + 1] = (v >>> 8) & 0xff;
}
function read32(code: Uint8Array, at: number): number {
  return (code[at]! | (code[at + 1]! << 8) | (code[at + 2]! << 16) | (code[at + 3]! << 24)) >>> 0;
}
function write32(code: Uint8Array, at: number, v: number): void {
  for (let i = 0; i < 4; i++) code[at + i] = (v >>> (8 * i)) & 0xff;
}

/** Bits each kind keeps when its offset is rewritten (opcode, registers, funct3). */
const KEEP_B = 0x01fff07f;
const KEEP_J = 0x00000fff;
const KEEP_CB = 0xe383;
const KEEP_CJ = 0xe003;
const KEEP_I = 0x000fffff;
const KEEP_S = 0x01fff07f;

function expectOpcode(code: Uint8Array, at: number, opcode: number, kind: Rv32LabelUse): void {
  if ((code[at]! & 0x7f) !== opcode) throw new InternalError(`${kind} at 0x${at.toString(16)}: not the expected opcode 0x${opcode.toString(16)}`);
}

function patch(code: Uint8Array, use: number, label: number, kind: Rv32LabelUse, base: number): void {
  const off = label - reference(kind, use, base);
  const reach = REACH[kind];
  if (off < reach[0] || off > reach[1] || (kind !== 'word32' && off % 2 !== 0)) {
    throw new InternalError(`${kind} at 0x${use.toString(16)}: target 0x${label.toString(16)} out of range or odd (${off})`);
  }
  switch (kind) {
    case 'branch':
      write32(code, use, ((read32(code, use) & KEEP_B) | bImmBits(off)) >>> 0);
      return;
    case 'jal':
      write32(code, use, ((read32(code, use) & KEEP_J) | jImmBits(off)) >>> 0);
      return;
    case 'cbranch':
      write16(code, use, (read16(code, use) & KEEP_CB) | cbImmBits(off));
      return;
    case 'cjump':
      write16(code, use, (read16(code, use) & KEEP_CJ) | cjImmBits(off));
      return;
    case 'pcrelI': case 'pcrelS': {
      expectOpcode(code, use, 0x17, kind);
      const { hi, lo } = splitHiLo(off);
      write32(code, use, ((read32(code, use) & 0xfff) | (hi << 12)) >>> 0);
      const next = read32(code, use + 4);
      const loBits = kind === 'pcrelI' ? (next & KEEP_I) | ((lo & 0xfff) << 20) : (next & KEEP_S) | (((lo >> 5) & 0x7f) << 25) | ((lo & 0x1f) << 7);
      write32(code, use + 4, loBits >>> 0);
      return;
    }
    case 'word32':
      write32(code, use, off >>> 0);
      return;
    default: assertNever(kind, 'label use');
  }
}

/** jal x0, 0: the island jump and every veneer. */
const JAL_PLACEHOLDER = 0x0000006f;
const JAL_VENEER = { size: 4, kind: 'jal', placeholder: JAL_PLACEHOLDER } as const;

export const RV32_LABEL_USE: LabelUseIsa<Rv32LabelUse> = {
  lowest: (kind, use, base) => reference(kind, use, base) + REACH[kind][0],
  highest: (kind, use, base) => reference(kind, use, base) + REACH[kind][1],
  patch,
  veneer(kind) {
    switch (kind) {
      // A jump veneer keeps a link: c.jal has already set ra to return after itself.
      case 'branch': case 'cbranch': case 'cjump':
        return JAL_VENEER;
      case 'jal': case 'pcrelI': case 'pcrelS': case 'word32':
        return undefined;
      default: return assertNever(kind, 'label use');
    }
  },
  jump: JAL_VENEER,
  // c.nop: only islands pad with it, and without C the code stays 4-aligned so no halfword pad is executed.
  nop16: 0x0001,
  insn32: 'word',
  // a bounds or trap check's B-type branch (±4 KiB) reaches its stub in the same island: no jal veneer on the way
  stubsSkipVeneers: true,
};

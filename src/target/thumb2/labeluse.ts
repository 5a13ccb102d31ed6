/**
 * Thumb-2 label-use kinds: how each PC-relative field is measured, how far it
 * reaches, how it is patched, and which short forms can be rescued by a
 * veneer (a B.W in the next island). Offsets measure from PC = use + 4; the
 * literal and ADR kinds measure from Align(PC, 4), so their reach depends on
 * whether the use sits at a word boundary.
 */
import { InternalError, assertNever } from '../../errors.js';
import type { LabelUseIsa } from '../buffer.js';
import { Imm12, Imm8x4, SImm12, SImm8x4 } from './imm.js';
import { type Cond, CONDS, type Reg } from './regs.js';
import { adrT1, adrT2, adrT3 } from './enc/dp.js';
import { ldrLitT1, ldrLitT2 } from './enc/mem.js';
import { bCondT1, bCondT3, bT2, bT4, blT1, cbnzT1, cbzT1 } from './enc/branch.js';

export type ThumbLabelUse =
  | 'bcondN' // B<c>.N   -256..254
  | 'bN' // B.N          -2048..2046
  | 'bcondW' // B<c>.W   ±1 MiB
  | 'bW' // B.W          ±16 MiB
  | 'bl' // BL           ±16 MiB
  | 'cbz' // CBZ/CBNZ   0..126, forward only
  | 'ldrLitN' // LDR rt, [pc, #imm8*4]: Align(PC,4) + 0..1020, target word-aligned
  | 'ldrLitW' // LDR.W rt, [pc, #±imm12]: Align(PC,4) ± 4095
  | 'vldrLit' // VLDR / LDRD literal: Align(PC,4) ± 1020, word-aligned
  | 'adrN' // ADR rd (T1): Align(PC,4) + 0..1020, target word-aligned
  | 'adrW' // ADR.W rd (T3/T2): Align(PC,4) ± 4095
  | 'tbbEntry' // byte (target - table)/2, 0..255
  | 'tbhEntry' // halfword (target - table)/2, 0..65535
  | 'word32'; // 32-bit little-endian data word: target - base (base = 0: offset from the start of the text)

const pcOf = (use: number): number => use + 4;
const alignedPc = (use: number): number => (use + 4) & ~3;

function read16(code: Uint8Array, at: number): number {
  return code[at]! | (code[at + 1]! << 8);
}
function write16(code: Uint8Array, at: number, v: number): void {
  code[at] = v & 0xff;
  code[at + 1] = (v >>> 8) & 0xff;
}
function write32(code: Uint8Array, at: number, v: number): void {
  write16(code, at, v >>> 16);
  write16(code, at + 2, v & 0xffff);
}

/**
 * [min, max] of (label - reference) where reference is PC, Align(PC,4) or the
 * table base. Shared constants: `range` and `patch` run for every branch.
 */
const REACH: Readonly<Record<ThumbLabelUse, readonly [number, number]>> = {
  bcondN: [-256, 254],
  bN: [-2048, 2046],
  bcondW: [-0x100000, 0xffffe],
  bW: [-0x1000000, 0xfffffe],
  bl: [-0x1000000, 0xfffffe],
  cbz: [0, 126],
  ldrLitN: [0, 1020],
  adrN: [0, 1020],
  ldrLitW: [-4095, 4095],
  adrW: [-4095, 4095],
  vldrLit: [-1020, 1020],
  tbbEntry: [0, 510],
  tbhEntry: [0, 131070],
  word32: [-0x80000000, 0x7fffffff],
};

function reference(kind: ThumbLabelUse, use: number, base: number): number {
  switch (kind) {
    case 'bcondN': case 'bN': case 'bcondW': case 'bW': case 'bl': case 'cbz':
      return pcOf(use);
    case 'ldrLitN': case 'ldrLitW': case 'vldrLit': case 'adrN': case 'adrW':
      return alignedPc(use);
    case 'tbbEntry': case 'tbhEntry': case 'word32':
      return base;
    default: return assertNever(kind, 'label use');
  }
}

function patch(code: Uint8Array, use: number, label: number, kind: ThumbLabelUse, base: number): void {
  const off = label - reference(kind, use, base);
  const reach = REACH[kind];
  if (off < reach[0] || off > reach[1]) {
    throw new InternalError(`${kind} at 0x${use.toString(16)}: target 0x${label.toString(16)} out of range (${off})`);
  }
  const hw1 = read16(code, use);
  switch (kind) {
    case 'bcondN': write16(code, use, bCondT1(CONDS[(hw1 >> 8) & 15] as Cond, off)); return;
    case 'bN': write16(code, use, bT2(off)); return;
    case 'bcondW': write32(code, use, bCondT3(CONDS[(hw1 >> 6) & 15] as Cond, off)); return;
    case 'bW': write32(code, use, bT4(off)); return;
    case 'bl': write32(code, use, blT1(off)); return;
    case 'cbz': {
      const rn = (hw1 & 7) as Reg;
      write16(code, use, hw1 & 0x0800 ? cbnzT1(rn, off) : cbzT1(rn, off));
      return;
    }
    case 'ldrLitN': write16(code, use, ldrLitT1(((hw1 >> 8) & 7) as Reg, need(Imm8x4.tryFrom(off), kind, off))); return;
    case 'adrN': write16(code, use, adrT1(((hw1 >> 8) & 7) as Reg, need(Imm8x4.tryFrom(off), kind, off))); return;
    case 'ldrLitW': {
      const rt = (read16(code, use + 2) >> 12) as Reg;
      write32(code, use, ldrLitT2(rt, need(SImm12.tryFrom(off), kind, off)));
      return;
    }
    case 'adrW': {
      const rd = ((read16(code, use + 2) >> 8) & 15) as Reg;
      const imm = need(Imm12.tryFrom(Math.abs(off)), kind, off);
      write32(code, use, off >= 0 ? adrT3(rd, imm) : adrT2(rd, imm));
      return;
    }
    case 'vldrLit': {
      // VLDR and LDRD literal both keep U in bit 23 and imm8 (words) in the low byte.
      const imm = need(SImm8x4.tryFrom(off), kind, off);
      const hw2 = read16(code, use + 2);
      write16(code, use, (hw1 & ~0x0080) | ((imm.add ? 1 : 0) << 7));
      write16(code, use + 2, (hw2 & ~0xff) | imm.field);
      return;
    }
    case 'tbbEntry':
      if (off % 2) throw new InternalError('tbb target misaligned');
      code[use] = off >> 1;
      return;
    case 'tbhEntry':
      if (off % 2) throw new InternalError('tbh target misaligned');
      write16(code, use, off >> 1);
      return;
    case 'word32':
      for (let i = 0; i < 4; i++) code[use + i] = (off >>> (8 * i)) & 0xff;
      return;
    default: assertNever(kind, 'label use');
  }
}

function need<T>(v: T | undefined, kind: ThumbLabelUse, off: number): T {
  if (v === undefined) throw new InternalError(`${kind}: offset ${off} not encodable`);
  return v;
}

/** B.W placeholder (offset 0, patched later). */
const B_W_PLACEHOLDER = 0xf0009000;
/** The veneer of every short branch kind (one shared object: the buffer asks for each waiting use). */
const B_W_VENEER = { size: 4, kind: 'bW', placeholder: B_W_PLACEHOLDER } as const;

export const THUMB_LABEL_USE: LabelUseIsa<ThumbLabelUse> = {
  lowest: (kind, use, base) => reference(kind, use, base) + REACH[kind][0],
  highest: (kind, use, base) => reference(kind, use, base) + REACH[kind][1],
  patch,
  veneer(kind) {
    switch (kind) {
      case 'bcondN': case 'bN': case 'cbz': case 'bcondW':
        return B_W_VENEER;
      case 'bW': case 'bl': case 'ldrLitN': case 'ldrLitW': case 'vldrLit': case 'adrN': case 'adrW':
      case 'tbbEntry': case 'tbhEntry': case 'word32':
        return undefined;
      default: return assertNever(kind, 'label use');
    }
  },
  jump: B_W_VENEER,
  nop16: 0xbf00,
};

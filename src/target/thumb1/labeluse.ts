/**
 * ARMv6-M label-use kinds for the shared code buffer (../buffer.ts): how far
 * each PC-relative field reaches, how it is patched, and which veneer can
 * rescue a short one. Offsets measure from PC = use + 4; the literal load and
 * ADR measure from Align(PC, 4) and reach forward only.
 *
 * v6-M has no B.W, no B<c>.W and no CBZ: B<c> reaches ±256 B and B ±2 KiB.
 * The only longer jump is BL (±16 MiB), which writes LR. So there are two
 * families of branch kinds:
 *  - 'bcond' and 'b', for code that has saved LR (every function with a
 *    frame): a B<c> too far is rescued by a B in the next island, and a B
 *    too far by a BL used as a jump (as GCC's Thumb-1 far jumps are);
 *  - 'bcondLeaf' and 'bLeaf', for code where LR still holds the return
 *    address: a B<c> is rescued by a B, and a B has no rescue, so a use out
 *    of reach is an InternalError at patch time and the emitter must save LR
 *    and emit the function again.
 * The island's own jump is a 'bLeaf': an island must stay under 2 KiB.
 */
import { InternalError, assertNever } from '../../errors.js';
import type { LabelUseIsa } from '../buffer.js';
import { Imm8x4 } from '../thumb2/imm.js';
import { type Cond, CONDS, type Reg } from '../thumb2/regs.js';
import { adrT1, bCondT1, bT2, blT1, ldrLitT1, nopMovR8 } from './enc.js';

export type Thumb1LabelUse =
  | 'bcond' // B<c>     -256..254; veneer: a B
  | 'bcondLeaf' // B<c> -256..254; veneer: a B without a veneer of its own
  | 'b' // B             -2048..2046; veneer: BL (LR saved)
  | 'bLeaf' // B         -2048..2046; no veneer
  | 'bl' // BL           ±16 MiB
  | 'ldrLit' // LDR rt, [pc, #imm8*4]: Align(PC,4) + 0..1020, target word-aligned
  | 'adr' // ADR rd: Align(PC,4) + 0..1020, target word-aligned
  | 'half16' // 16-bit little-endian table entry: target - base, 0..65534 (jump tables: no TBB/TBH on v6-M)
  | 'word32'; // 32-bit little-endian data word: target - base

/** [min, max] of (label - reference). */
const REACH: Readonly<Record<Thumb1LabelUse, readonly [number, number]>> = {
  bcond: [-256, 254],
  bcondLeaf: [-256, 254],
  b: [-2048, 2046],
  bLeaf: [-2048, 2046],
  bl: [-0x1000000, 0xfffffe],
  ldrLit: [0, 1020],
  adr: [0, 1020],
  half16: [0, 65534],
  word32: [-0x80000000, 0x7fffffff],
};

function reference(kind: Thumb1LabelUse, use: number, base: number): number {
  switch (kind) {
    case 'bcond': case 'bcondLeaf': case 'b': case 'bLeaf': case 'bl':
      return use + 4;
    case 'ldrLit': case 'adr':
      return (use + 4) & ~3;
    case 'half16': case 'word32':
      return base;
    default: return assertNever(kind, 'label use');
  }
}

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

function patch(code: Uint8Array, use: number, label: number, kind: Thumb1LabelUse, base: number): void {
  const off = label - reference(kind, use, base);
  const reach = REACH[kind];
  if (off < reach[0] || off > reach[1]) {
    throw new InternalError(`${kind} at 0x${use.toString(16)}: target 0x${label.toString(16)} out of range (${off})`);
  }
  const hw1 = read16(code, use);
  switch (kind) {
    case 'bcond': case 'bcondLeaf':
      if (hw1 >>> 12 !== 0xd) throw new InternalError(`${kind} at 0x${use.toString(16)}: not a B<c>`);
      write16(code, use, bCondT1(CONDS[(hw1 >> 8) & 15] as Cond, off));
      return;
    case 'b': case 'bLeaf': write16(code, use, bT2(off)); return;
    case 'bl': write32(code, use, blT1(off)); return;
    case 'ldrLit': write16(code, use, ldrLitT1(((hw1 >> 8) & 7) as Reg, need(Imm8x4.tryFrom(off), kind, off))); return;
    case 'adr': write16(code, use, adrT1(((hw1 >> 8) & 7) as Reg, need(Imm8x4.tryFrom(off), kind, off))); return;
    case 'half16':
      write16(code, use, off);
      return;
    case 'word32':
      for (let i = 0; i < 4; i++) code[use + i] = (off >>> (8 * i)) & 0xff;
      return;
    default: assertNever(kind, 'label use');
  }
}

function need<T>(v: T | undefined, kind: Thumb1LabelUse, off: number): T {
  if (v === undefined) throw new InternalError(`${kind}: offset ${off} not encodable (a literal or ADR target must be word-aligned)`);
  return v;
}

/** Placeholders (offset 0, patched later). */
const B_PLACEHOLDER = 0xe000;
const BL_PLACEHOLDER = 0xf000f800;
/** Shared veneer objects: the buffer asks for one per waiting use. */
const B_VENEER = { size: 2, kind: 'b', placeholder: B_PLACEHOLDER } as const;
const B_LEAF_VENEER = { size: 2, kind: 'bLeaf', placeholder: B_PLACEHOLDER } as const;
const BL_VENEER = { size: 4, kind: 'bl', placeholder: BL_PLACEHOLDER } as const;

export const THUMB1_LABEL_USE: LabelUseIsa<Thumb1LabelUse> = {
  lowest: (kind, use, base) => reference(kind, use, base) + REACH[kind][0],
  highest: (kind, use, base) => reference(kind, use, base) + REACH[kind][1],
  patch,
  veneer(kind) {
    switch (kind) {
      case 'bcond': return B_VENEER;
      case 'bcondLeaf': return B_LEAF_VENEER;
      case 'b': return BL_VENEER;
      case 'bLeaf': case 'bl': case 'ldrLit': case 'adr': case 'half16': case 'word32':
        return undefined;
      default: return assertNever(kind, 'label use');
    }
  },
  jump: B_LEAF_VENEER,
  nop16: nopMovR8(),
  stubsSkipVeneers: true,
};

/**
 * Where values travel at RV32 function boundaries (docs/riscv.md, "ABI for compiled RV32 code": the ilp32 and
 * ilp32f conventions, exec_env first) and the parallel moves that put them there. Under ilp32 f32 and f64 travel
 * as i32 and i64 do; under ilp32f an f32 (class 'f32') travels in fa0..fa7, and an f64 still as an i64.
 *
 * Arguments: words in a0..a7 in order; a 64-bit value in two consecutive registers (low word first, no even
 * alignment), or low word in a7 and high word on the stack when one register is left, or 8-aligned on the stack;
 * a 32-bit word on the stack 4-aligned. An f32 in the next of fa0..fa7, and once those are taken as a 32-bit word
 * (the psABI's rule). Results in a0 (a0, a1 for 64 bits), an f32 in fa0.
 */
import { InternalError, UnsupportedError, assertNever } from '../../errors.js';
import type { WordClass } from '../../ir/ir.js';
import * as E from './enc/index.js';
import type { Rv32Masm } from './macro.js';
import { SP, T0, ZERO, freg, xreg, type FReg, type XReg } from './regs.js';

/** A place a word can be moved from or to. */
export type Place =
  | { readonly k: 'reg'; readonly r: number }
  /** an F register (ilp32f: f32 values) */
  | { readonly k: 'freg'; readonly r: number }
  /** [sp + off]: spill slots, incoming and outgoing stack arguments */
  | { readonly k: 'frame'; readonly off: number }
  | { readonly k: 'imm'; readonly c: number };

export interface Move { readonly dst: Place; readonly src: Place }

export interface Rv32CallLayout {
  /** one place per word: a w64 class gives two (lo, hi); stack places are offsets from the outgoing sp */
  readonly words: readonly Place[];
  /** bytes of stack arguments (a multiple of 16: sp stays aligned) */
  readonly stackBytes: number;
}

const A0 = 10;
const NUM_ARG_REGS = 8;
/** ft11: parks an F register of a cycle in the parallel moves (never allocated; the emitter's F scratch) */
export const F_PARK = freg(31);
const cache = new Map<string, Rv32CallLayout>();

/** The places of each word of arguments of these classes (exec_env, if passed, is the first class). */
export function rv32Layout(classes: readonly WordClass[]): Rv32CallLayout {
  const key = classes.join(',');
  const known = cache.get(key);
  if (known !== undefined) return known;
  const words: Place[] = [];
  let reg = 0;
  let fregs = 0;
  let stack = 0;
  for (const c of classes) {
    switch (c) {
      case 'f32':
        if (fregs < NUM_ARG_REGS) { words.push({ k: 'freg', r: A0 + fregs++ }); break; }
        // fa0..fa7 taken: as a 32-bit word
        if (reg < NUM_ARG_REGS) words.push({ k: 'reg', r: A0 + reg++ });
        else { words.push({ k: 'frame', off: stack }); stack += 4; }
        break;
      case 'w32':
        if (reg < NUM_ARG_REGS) words.push({ k: 'reg', r: A0 + reg++ });
        else { words.push({ k: 'frame', off: stack }); stack += 4; }
        break;
      case 'w64':
        if (reg + 1 < NUM_ARG_REGS) {
          words.push({ k: 'reg', r: A0 + reg }, { k: 'reg', r: A0 + reg + 1 });
          reg += 2;
        } else if (reg < NUM_ARG_REGS) {
          // the psABI's split: low word in a7, high word in the first stack slot
          words.push({ k: 'reg', r: A0 + reg++ }, { k: 'frame', off: stack });
          stack += 4;
        } else {
          stack = (stack + 7) & ~7;
          words.push({ k: 'frame', off: stack }, { k: 'frame', off: stack + 4 });
          stack += 8;
        }
        break;
      case 'f64':
        throw new UnsupportedError('RV32: f64 values in float registers (no D extension)', -1);
      default: assertNever(c, 'word class');
    }
  }
  const layout = { words, stackBytes: (stack + 15) & ~15 };
  cache.set(key, layout);
  return layout;
}

/** Where a result of this class comes back, one place per word. */
export function rv32ResultPlaces(c: WordClass | undefined): readonly Place[] {
  switch (c) {
    case undefined: return [];
    case 'w32': return [{ k: 'reg', r: A0 }];
    case 'w64': return [{ k: 'reg', r: A0 }, { k: 'reg', r: A0 + 1 }];
    case 'f32': return [{ k: 'freg', r: A0 }];
    case 'f64': throw new UnsupportedError('RV32: f64 values in float registers (no D extension)', -1);
    default: return assertNever(c, 'result class');
  }
}

/** reg = the word at `p` (an F register's bits with fmv.x.w). */
export function loadPlace(m: Rv32Masm, reg: XReg, p: Place): void {
  switch (p.k) {
    case 'reg': if (p.r !== reg) m.a.mv(reg, xreg(p.r)); return;
    case 'freg': m.a.put(E.fmvXW(reg, freg(p.r))); return;
    case 'frame': m.lw(reg, SP, p.off); return;
    case 'imm': m.a.li(reg, p.c); return;
    default: assertNever(p, 'place');
  }
}

/** F register fr = the word at `p` (a core register's or a constant's bits with fmv.w.x; a constant through t0). */
export function loadFPlace(m: Rv32Masm, fr: FReg, p: Place): void {
  switch (p.k) {
    case 'freg': if (p.r !== fr) fmv(m, fr, freg(p.r)); return;
    case 'reg': m.a.put(E.fmvWX(fr, xreg(p.r))); return;
    case 'frame': m.flw(fr, SP, p.off); return;
    case 'imm':
      if (p.c === 0) { m.a.put(E.fmvWX(fr, ZERO)); return; }
      m.a.li(T0, p.c);
      m.a.put(E.fmvWX(fr, T0));
      return;
    default: assertNever(p, 'place');
  }
}

/** fmv.s d, s (fsgnj.s d, s, s). */
export function fmv(m: Rv32Masm, d: FReg, s: FReg): void {
  m.a.put(E.fBinary('fsgnj.s', d, s, s));
}

/** Register numbers of both files in one space for the parallel moves: x0..x31, then f0..f31 as 32..63. */
const F = 32;

function moveReg(m: Rv32Masm, d: number, s: number): void {
  if (d < F && s < F) m.a.mv(xreg(d), xreg(s));
  else if (d >= F && s >= F) fmv(m, freg(d - F), freg(s - F));
  else if (d < F) m.a.put(E.fmvXW(xreg(d), freg(s - F)));
  else m.a.put(E.fmvWX(freg(d - F), xreg(s)));
}

/**
 * Performs all moves as if at once: memory destinations first (through t0 when the source is not a register),
 * then register-to-register moves of either file in dependency order (fmv.x.w / fmv.w.x between the files), a
 * cycle broken by parking one value in t0 or ft11, then loads and constants into registers. No destination
 * register may be t0 or ft11. Frame offsets beyond 12 bits go through the masm's farTemp.
 */
export function rv32ParallelMove(m: Rv32Masm, moves: readonly Move[]): void {
  for (const mv of moves) {
    if (mv.dst.k === 'reg' || mv.dst.k === 'freg') {
      if ((mv.dst.k === 'reg' ? mv.dst.r === T0 : mv.dst.r === F_PARK)) throw new InternalError('parallel move into a parking register');
      continue;
    }
    if (mv.dst.k !== 'frame') throw new InternalError(`move into ${mv.dst.k}`);
    if (mv.src.k === 'freg') { m.fsw(freg(mv.src.r), SP, mv.dst.off); continue; }
    let src: XReg;
    if (mv.src.k === 'reg') src = xreg(mv.src.r);
    else if (mv.src.k === 'imm' && mv.src.c === 0) src = xreg(0);
    else { loadPlace(m, T0, mv.src); src = T0; }
    m.sw(src, SP, mv.dst.off);
  }
  const regMoves: { d: number; s: number }[] = [];
  const later: { d: Place; src: Place }[] = [];
  const num = (p: Place): number => (p.k === 'reg' ? p.r : p.k === 'freg' ? F + p.r : -1);
  for (const mv of moves) {
    const d = num(mv.dst);
    if (d < 0) continue;
    const s = num(mv.src);
    if (s >= 0) { if (s !== d) regMoves.push({ d, s }); } else later.push({ d: mv.dst, src: mv.src });
  }
  while (regMoves.length > 0) {
    const k = regMoves.findIndex((x) => !regMoves.some((y) => y.s === x.d));
    if (k >= 0) {
      const x = regMoves[k]!;
      moveReg(m, x.d, x.s);
      regMoves.splice(k, 1);
      continue;
    }
    const x = regMoves[0]!;
    const park = x.d < F ? T0 : F + F_PARK;
    moveReg(m, park, x.d);
    for (const y of regMoves) if (y.s === x.d) y.s = park;
  }
  for (const x of later) {
    if (x.d.k === 'reg') loadPlace(m, xreg(x.d.r), x.src);
    else if (x.d.k === 'freg') loadFPlace(m, freg(x.d.r), x.src);
  }
}

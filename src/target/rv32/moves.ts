/**
 * Where values travel at RV32 function boundaries (docs/riscv.md, "ABI for compiled RV32 code": the ilp32
 * convention, exec_env first) and the parallel moves that put them there. Core words only: under ilp32 f32 and
 * f64 travel as i32 and i64 do.
 *
 * Arguments: words in a0..a7 in order; a 64-bit value in two consecutive registers (low word first, no even
 * alignment), or low word in a7 and high word on the stack when one register is left, or 8-aligned on the stack;
 * a 32-bit word on the stack 4-aligned. Results in a0 (a0, a1 for 64 bits).
 */
import { InternalError, UnsupportedError, assertNever } from '../../errors.js';
import type { WordClass } from '../../ir/ir.js';
import type { Rv32Masm } from './macro.js';
import { SP, T0, xreg, type XReg } from './regs.js';

/** A place a word can be moved from or to. */
export type Place =
  | { readonly k: 'reg'; readonly r: number }
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
const cache = new Map<string, Rv32CallLayout>();

/** The places of each word of arguments of these classes (exec_env, if passed, is the first class). */
export function rv32Layout(classes: readonly WordClass[]): Rv32CallLayout {
  const key = classes.join(',');
  const known = cache.get(key);
  if (known !== undefined) return known;
  const words: Place[] = [];
  let reg = 0;
  let stack = 0;
  for (const c of classes) {
    switch (c) {
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
      case 'f32': case 'f64':
        throw new UnsupportedError('RV32: float values in F registers (ilp32f) are not compiled yet', -1);
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
    case 'f32': case 'f64':
      throw new UnsupportedError('RV32: float values in F registers (ilp32f) are not compiled yet', -1);
    default: return assertNever(c, 'result class');
  }
}

/** reg = the word at `p`. */
export function loadPlace(m: Rv32Masm, reg: XReg, p: Place): void {
  switch (p.k) {
    case 'reg': if (p.r !== reg) m.a.mv(reg, xreg(p.r)); return;
    case 'frame': m.lw(reg, SP, p.off); return;
    case 'imm': m.a.li(reg, p.c); return;
    default: assertNever(p, 'place');
  }
}

/**
 * Performs all moves as if at once: memory destinations first (through t0 when the source is not a register),
 * then register-to-register moves in dependency order, a cycle broken by parking one value in t0, then loads
 * and constants into registers. No destination register may be t0. Frame offsets beyond 12 bits go through
 * the masm's farTemp.
 */
export function rv32ParallelMove(m: Rv32Masm, moves: readonly Move[]): void {
  for (const mv of moves) {
    if (mv.dst.k === 'reg') {
      if (mv.dst.r === T0) throw new InternalError('parallel move into t0');
      continue;
    }
    if (mv.dst.k !== 'frame') throw new InternalError(`move into ${mv.dst.k}`);
    let src: XReg;
    if (mv.src.k === 'reg') src = xreg(mv.src.r);
    else if (mv.src.k === 'imm' && mv.src.c === 0) src = xreg(0);
    else { loadPlace(m, T0, mv.src); src = T0; }
    m.sw(src, SP, mv.dst.off);
  }
  const regMoves: { d: number; s: number }[] = [];
  const later: { d: number; src: Place }[] = [];
  for (const mv of moves) {
    if (mv.dst.k !== 'reg') continue;
    if (mv.src.k === 'reg') { if (mv.src.r !== mv.dst.r) regMoves.push({ d: mv.dst.r, s: mv.src.r }); }
    else later.push({ d: mv.dst.r, src: mv.src });
  }
  while (regMoves.length > 0) {
    const k = regMoves.findIndex((x) => !regMoves.some((y) => y.s === x.d));
    if (k >= 0) {
      const x = regMoves[k]!;
      m.a.mv(xreg(x.d), xreg(x.s));
      regMoves.splice(k, 1);
      continue;
    }
    const x = regMoves[0]!;
    m.a.mv(T0, xreg(x.d));
    for (const y of regMoves) if (y.s === x.d) y.s = T0;
  }
  for (const x of later) loadPlace(m, xreg(x.d), x.src);
}

/**
 * Where the Thumb-2 emitter's values travel at function boundaries (AAPCS, docs/abi.md §2: core words in
 * r0-r3 and the stack; under hard-float f32/f64 in s0-s15/d0-d7 with back-filling, exactly as the
 * runtime's trampolines place them), and the parallel moves that put them there: one for core words, one
 * for VFP values (the two register files are disjoint, so they are independent; the VFP one runs first and
 * leaves r12/lr free for the core one).
 */
import { InternalError, assertNever } from '../../../errors.js';
import type { WordClass } from '../../../ir/ir.js';
import { layoutArgs, type ArgLoc } from '../abi.js';
import type { Masm } from '../masm.js';

const SP = 13;

/** A place a value can be moved from or to. */
export type Place =
  | { readonly k: 'reg'; readonly r: number }
  /** a VFP register, as a single-register number (an f64 is in d(r / 2)) */
  | { readonly k: 'vfp'; readonly r: number }
  /** sp-relative frame offset (spill slots, incoming stack arguments) */
  | { readonly k: 'frame'; readonly off: number }
  /** outgoing stack argument at [sp + off] exactly */
  | { readonly k: 'out'; readonly off: number }
  | { readonly k: 'imm'; readonly c: number };

export interface Move { readonly dst: Place; readonly src: Place }
/** A move of a VFP value; `wide`: an f64 (two words, a d register). */
export interface VMove extends Move { readonly wide: boolean }

export interface CallLayout {
  readonly locs: readonly ArgLoc[];
  readonly classes: readonly WordClass[];
  readonly stackBytes: number;
  /** index in locs of the first argument after exec_env */
  readonly argStart: number;
}

const WORD_CLASS_CODE: Readonly<Record<WordClass, number>> = { w32: 0, w64: 1, f32: 2, f64: 3 };
/**
 * Layouts by env and classes (base-4 digits after a leading 1, up to 24 classes), and the outgoing places of
 * each: every call and every function asks, and a module has few signatures. Neither is ever mutated.
 */
const layoutCache = new Map<number, CallLayout>();
const outgoingCache = new WeakMap<CallLayout, readonly Place[]>();

export function callLayout(env: boolean, classes: readonly WordClass[]): CallLayout {
  const cached = classes.length < 24;
  let key = env ? 2 : 1;
  if (cached) for (let i = 0; i < classes.length; i++) key = key * 4 + WORD_CLASS_CODE[classes[i]!];
  let lay = cached ? layoutCache.get(key) : undefined;
  if (lay === undefined) {
    const all: WordClass[] = env ? ['w32', ...classes] : [...classes];
    const layout = layoutArgs(all);
    lay = { locs: layout.args, classes: all, stackBytes: layout.stackBytes, argStart: env ? 1 : 0 };
    if (cached) layoutCache.set(key, lay);
  }
  return lay;
}

/**
 * The places of a call's arguments from `lay.argStart` on, one per IR argument entry: a w64 gives two
 * (lo, hi), an f32/f64 one.
 */
export function argPlaces(lay: CallLayout, outgoing: boolean, incomingBase: number): readonly Place[] {
  if (!outgoing) return computeArgPlaces(lay, false, incomingBase);
  let places = outgoingCache.get(lay);
  if (places === undefined) {
    places = computeArgPlaces(lay, true, 0);
    outgoingCache.set(lay, places);
  }
  return places;
}

function computeArgPlaces(lay: CallLayout, outgoing: boolean, incomingBase: number): Place[] {
  const out: Place[] = [];
  for (let i = lay.argStart; i < lay.locs.length; i++) {
    const l = lay.locs[i]!;
    const vfp = lay.classes[i] === 'f32' || lay.classes[i] === 'f64';
    switch (l.kind) {
      case 'gpr': out.push({ k: 'reg', r: l.reg }); break;
      case 'gpr2': out.push({ k: 'reg', r: l.lo }, { k: 'reg', r: l.lo + 1 }); break;
      case 's': out.push({ k: 'vfp', r: l.reg }); break;
      case 'd': out.push({ k: 'vfp', r: 2 * l.reg }); break;
      case 'stack': {
        const words = vfp ? 1 : l.size / 4;
        for (let w = 0; w < words; w++) {
          out.push(outgoing ? { k: 'out', off: l.offset + 4 * w } : { k: 'frame', off: incomingBase + l.offset + 4 * w });
        }
        break;
      }
      default: assertNever(l, 'argument location');
    }
  }
  return out;
}

const NO_PLACES: readonly Place[] = [];
const R0_PLACES: readonly Place[] = [{ k: 'reg', r: 0 }];
const R0R1_PLACES: readonly Place[] = [{ k: 'reg', r: 0 }, { k: 'reg', r: 1 }];
const V0_PLACES: readonly Place[] = [{ k: 'vfp', r: 0 }];

/** Where a result of this class comes back, one place per IR result entry. */
export function resultPlaces(c: WordClass | undefined): readonly Place[] {
  switch (c) {
    case undefined: return NO_PLACES;
    case 'w32': return R0_PLACES;
    case 'w64': return R0R1_PLACES;
    case 'f32': case 'f64': return V0_PLACES;
    default: return assertNever(c, 'result class');
  }
}

export function loadPlace(m: Masm, reg: number, p: Place): void {
  switch (p.k) {
    case 'reg': m.mov(reg, p.r); return;
    case 'frame': m.load('w', reg, SP, p.off); return;
    case 'imm': m.mov32(reg, p.c); return;
    case 'out': throw new InternalError('read of an outgoing argument');
    case 'vfp': throw new InternalError('core read of a VFP register');
    default: assertNever(p, 'place');
  }
}

/**
 * Performs all core moves as if at once: memory destinations first (they only read), then register-to-register
 * moves in dependency order with `scratch` breaking cycles, then loads and constants into registers.
 */
export function parallelMove(m: Masm, moves: readonly Move[], scratch: number): void {
  const tmp = scratch === 12 ? 14 : 12;
  for (const mv of moves) {
    if (mv.dst.k === 'reg') continue;
    let src: number;
    if (mv.src.k === 'reg') src = mv.src.r;
    else { loadPlace(m, tmp, mv.src); src = tmp; }
    if (mv.dst.k === 'frame') m.store('w', src, SP, mv.dst.off);
    else if (mv.dst.k === 'out') m.storeRaw(src, SP, mv.dst.off);
    else throw new InternalError(`core move into ${mv.dst.k}`);
  }
  const regMoves: { d: number; s: number }[] = [];
  const later: Move[] = [];
  for (const mv of moves) {
    if (mv.dst.k !== 'reg') continue;
    if (mv.src.k === 'reg') { if (mv.src.r !== mv.dst.r) regMoves.push({ d: mv.dst.r, s: mv.src.r }); }
    else later.push(mv);
  }
  while (regMoves.length > 0) {
    const k = regMoves.findIndex((x) => !regMoves.some((y) => y.s === x.d));
    if (k >= 0) {
      const x = regMoves[k]!;
      m.mov(x.d, x.s);
      regMoves.splice(k, 1);
      continue;
    }
    // a cycle: park one destination's current value in the scratch register
    const x = regMoves[0]!;
    m.mov(scratch, x.d);
    for (const y of regMoves) if (y.s === x.d) y.s = scratch;
  }
  for (const mv of later) {
    if (mv.dst.k === 'reg') loadPlace(m, mv.dst.r, mv.src);
  }
}

/** The number masm's VFP operations take: d(r / 2) for an f64, s(r) for an f32. */
const num = (mv: VMove, r: number): number => (mv.wide ? r >> 1 : r);
const kind = (mv: VMove): 's' | 'd' => (mv.wide ? 'd' : 's');

/** Whether s(a) (.. s(a + 1) when wide) and s(b) (..) share a single register. */
function overlaps(a: number, aw: boolean, b: number, bw: boolean): boolean {
  return a < b + (bw ? 2 : 1) && b < a + (aw ? 2 : 1);
}

/**
 * Performs all VFP moves as if at once: memory destinations first, then register moves in dependency order
 * (an f64 overlaps the two singles it aliases), then loads. A cycle parks one move's source on the stack
 * and completes that move last. Word copies between memory places go through r12.
 */
export function vfpParallelMove(m: Masm, moves: readonly VMove[]): void {
  for (const mv of moves) {
    const d = mv.dst;
    if (d.k === 'vfp') continue;
    if (d.k !== 'frame' && d.k !== 'out') throw new InternalError(`VFP move into ${d.k}`);
    const s = mv.src;
    if (s.k === 'vfp') {
      if (d.k === 'frame') m.vstore(kind(mv), num(mv, s.r), SP, d.off);
      else m.vstoreRaw(kind(mv), num(mv, s.r), SP, d.off);
    } else if (s.k === 'frame') {
      for (let w = 0; w < (mv.wide ? 2 : 1); w++) {
        m.load('w', 12, SP, s.off + 4 * w);
        if (d.k === 'frame') m.store('w', 12, SP, d.off + 4 * w);
        else m.storeRaw(12, SP, d.off + 4 * w);
      }
    } else {
      throw new InternalError(`VFP move from ${s.k}`);
    }
  }
  const pending: { mv: VMove; d: number; s: number }[] = [];
  for (const mv of moves) {
    if (mv.dst.k === 'vfp' && mv.src.k === 'vfp' && mv.dst.r !== mv.src.r) pending.push({ mv, d: mv.dst.r, s: mv.src.r });
  }
  const parked: { mv: VMove; d: number }[] = [];
  while (pending.length > 0) {
    const k = pending.findIndex((x) => !pending.some((y) => y !== x && overlaps(y.s, y.mv.wide, x.d, x.mv.wide)));
    if (k >= 0) {
      const x = pending[k]!;
      if (x.mv.wide) m.vmovD(x.d >> 1, x.s >> 1);
      else m.vmovS(x.d, x.s);
      pending.splice(k, 1);
      continue;
    }
    // a cycle: nobody else writes this move's destination, so it can wait until every other move is done
    const x = pending.shift()!;
    m.subSp(8);
    m.vstoreRaw(kind(x.mv), num(x.mv, x.s), SP, 0);
    parked.push({ mv: x.mv, d: x.d });
  }
  for (const p of parked.reverse()) {
    m.vloadRaw(kind(p.mv), num(p.mv, p.d), SP, 0);
    m.addSp(8);
  }
  for (const mv of moves) {
    if (mv.dst.k !== 'vfp' || mv.src.k === 'vfp') continue;
    if (mv.src.k !== 'frame') throw new InternalError(`VFP move from ${mv.src.k}`);
    m.vload(kind(mv), num(mv, mv.dst.r), SP, mv.src.off);
  }
}

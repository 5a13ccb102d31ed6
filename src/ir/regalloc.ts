/**
 * Register allocation for the IR: liveness over basic blocks, removal of
 * definitions dead where they are written, one live interval per vreg (no holes), and linear scan (Poletto &
 * Sarkar) with register hints. A vreg gets one location for its whole life:
 * a register, or a frame slot when the scan spills it. Intervals that live
 * across a call only get callee-saved registers.
 *
 * Liveness is computed with bit sets only for the vregs that cross a block
 * boundary; a vreg used within one block gets its interval from its
 * occurrences directly, which keeps large functions cheap.
 */
import { splitBlocks, type Blocks } from './cfg.js';
import { scratch } from './scratch.js';
import { CORE, FP64, classOfVreg, forEachDef, forEachUse, isPure, renameInst, singleDef, type Inst, type IrFunc } from './ir.js';

export interface RegConfig {
  /** allocatable registers a call clobbers, in order of preference */
  readonly callerSaved: readonly number[];
  /** allocatable registers preserved across calls (the prologue saves those it uses) */
  readonly calleeSaved: readonly number[];
  /** preferred register of some vregs (params, call results, return values); float vregs' as register numbers */
  readonly fixedHint: (f: IrFunc, hint: Int32Array) => void;
  /**
   * Instructions that need a value live for the whole function (the target's exec_env): it gets an
   * extra vreg (Allocation.whole) with a whole-function interval, weighted by these uses.
   */
  readonly wholeUse?: (i: Inst) => boolean;
  /**
   * Float registers for vregs of class FP32/FP64 (at most 32). With `pairedDoubles` (ARM VFP) they are
   * single-register numbers: an f32 takes one s(n), an f64 the d(n/2) that aliases s(n) and s(n+1) (n even,
   * both listed). Without it (RISC-V F/D) a register holds a value of either width. Without `fp`, the
   * function has no float vregs.
   */
  readonly fp?: { readonly callerSaved: readonly number[]; readonly calleeSaved: readonly number[]; readonly pairedDoubles: boolean };
  /**
   * The fast configuration (--opt-level=0): no removal of dead definitions and no block-local webs, so the scan
   * runs on the vregs as built. Still the same liveness, intervals and scan: only the passes that pay off in
   * code quality are left out.
   */
  readonly fast?: boolean;
}

export interface Allocation {
  readonly insts: readonly Inst[];
  /** per vreg: its register (for float classes the float register; with paired doubles the s number, an f64 in d(loc / 2)), or -1 (spilled, or never live) */
  readonly loc: Int32Array;
  /** per vreg: its register class (RegClass) */
  readonly cls: Uint8Array;
  /** float registers assigned to some vreg, as a bit mask */
  readonly usedVfp: number;
  /** per vreg: its spill slot (4 bytes each; an f64 takes two), or -1 */
  readonly slot: Int32Array;
  readonly spillSlots: number;
  /** registers assigned to some vreg, as a bit mask */
  readonly usedRegs: number;
  /** spilled vregs that are constants: rematerialized at each use instead of living in a slot */
  readonly remat: ReadonlyMap<number, number>;
  /** the whole-function vreg (RegConfig.wholeUse), or -1 */
  readonly whole: number;
  /**
   * per vreg: the index in `insts` of the instruction whose read ends its life (nothing reads it later, on
   * any path), or -1: an emitter may clobber its register there once the instruction has read it
   */
  readonly lastUse: Int32Array;
}

const UNUSED = 0x7fffffff;
/** 8 to the power of the loop depth (capped): how much a use inside loops weighs in spill costs */
const LOOP_WEIGHT = [1, 8, 64, 512, 4096, 32768, 262144];

function maskOf(regs: readonly number[]): number {
  let m = 0;
  for (const r of regs) m |= 1 << r;
  return m;
}


/** Every instruction's read and written vregs in flat arrays (index ranges per instruction), made once. */
interface Occ {
  readonly useAt: Int32Array;
  readonly uses: Int32Array;
  readonly defAt: Int32Array;
  readonly defs: Int32Array;
}

function occurrences(insts: readonly Inst[]): Occ {
  let nu = 0;
  let nd = 0;
  const cu = (): void => { nu++; };
  const cd = (): void => { nd++; };
  for (const i of insts) { forEachUse(i, cu); forEachDef(i, cd); }
  const useAt = scratch.int32(insts.length + 1);
  const defAt = scratch.int32(insts.length + 1);
  const uses = scratch.int32(nu);
  const defs = scratch.int32(nd);
  let u = 0;
  let d = 0;
  const pu = (v: number): void => { uses[u++] = v; };
  const pd = (v: number): void => { defs[d++] = v; };
  for (let k = 0; k < insts.length; k++) {
    useAt[k] = u;
    defAt[k] = d;
    forEachUse(insts[k]!, pu);
    forEachDef(insts[k]!, pd);
  }
  useAt[insts.length] = u;
  defAt[insts.length] = d;
  return { useAt, uses, defAt, defs };
}

interface Liveness {
  readonly blocks: Blocks;
  /** dense index of each vreg that crosses a block boundary, else -1 */
  readonly globalIndex: Int32Array;
  readonly globals: readonly number[];
  readonly words: number;
  readonly liveIn: Uint32Array;
  readonly liveOut: Uint32Array;
}

/** Block liveness of the vregs that cross block boundaries (params count as crossing). */
function liveness(f: IrFunc, insts: readonly Inst[], occ: Occ): Liveness {
  const n = f.numVregs;
  const blocks = splitBlocks(insts, f.numLabels);
  const nb = blocks.first.length;
  const homeBlock = scratch.int32(n, -1);
  const globalIndex = scratch.int32(n, -1);
  const globals: number[] = [];
  const makeGlobal = (v: number): void => {
    if (globalIndex[v] === -1) { globalIndex[v] = globals.length; globals.push(v); }
  };
  for (const v of f.paramVregs) makeGlobal(v);
  const { useAt, uses, defAt, defs } = occ;
  let b = 0;
  let base = 0;
  for (b = 0; b < nb; b++) {
    for (let k = blocks.first[b]!; k <= blocks.last[b]!; k++) {
      for (let j = useAt[k]!; j < useAt[k + 1]!; j++) {
        const v = uses[j]!;
        if (homeBlock[v] !== b) makeGlobal(v);
      }
      for (let j = defAt[k]!; j < defAt[k + 1]!; j++) {
        const v = defs[j]!;
        if (homeBlock[v] === -1) homeBlock[v] = b;
        else if (homeBlock[v] !== b) makeGlobal(v);
      }
    }
  }
  const ng = globals.length;
  const words = (ng + 31) >>> 5;
  const gen = scratch.uint32(nb * words);
  const kill = scratch.uint32(nb * words);
  for (b = 0; b < nb && ng > 0; b++) {
    base = b * words;
    for (let k = blocks.first[b]!; k <= blocks.last[b]!; k++) {
      for (let j = useAt[k]!; j < useAt[k + 1]!; j++) {
        const g = globalIndex[uses[j]!]!;
        if (g < 0) continue;
        const bit = 1 << (g & 31);
        if ((kill[base + (g >>> 5)]! & bit) === 0) gen[base + (g >>> 5)]! |= bit;
      }
      for (let j = defAt[k]!; j < defAt[k + 1]!; j++) {
        const g = globalIndex[defs[j]!]!;
        if (g >= 0) kill[base + (g >>> 5)]! |= 1 << (g & 31);
      }
    }
  }
  const liveIn = scratch.uint32(nb * words);
  const liveOut = scratch.uint32(nb * words);
  for (let changed = ng > 0; changed;) {
    changed = false;
    for (b = nb - 1; b >= 0; b--) {
      base = b * words;
      for (let e = blocks.succAt[b]!; e < blocks.succAt[b + 1]!; e++) {
        const sb = blocks.succ[e]! * words;
        for (let w = 0; w < words; w++) liveOut[base + w]! |= liveIn[sb + w]!;
      }
      for (let w = 0; w < words; w++) {
        const x = (gen[base + w]! | (liveOut[base + w]! & ~kill[base + w]!)) >>> 0;
        if (x !== liveIn[base + w]) { liveIn[base + w] = x; changed = true; }
      }
    }
  }
  return { blocks, globalIndex, globals, words, liveIn, liveOut };
}

/** Marks pure instructions whose results are dead where they are written (a local zeroed, then set). */
function deadDefs(lv: Liveness, insts: readonly Inst[], occ: Occ, numVregs: number): Uint8Array {
  const dead = scratch.uint8(insts.length);
  // live set per block as a stamp array: v is live iff liveAt[v] === stamp
  const liveAt = scratch.int32(numVregs);
  let stamp = 0;
  const { useAt, uses, defAt, defs } = occ;
  for (let b = 0; b < lv.blocks.first.length; b++) {
    stamp++;
    for (let w = 0, base = b * lv.words; w < lv.words; w++) {
      for (let x = lv.liveOut[base + w]!; x !== 0; x &= x - 1) liveAt[lv.globals[(w << 5) | (31 - Math.clz32(x & -x))]!] = stamp;
    }
    for (let k = lv.blocks.last[b]!; k >= lv.blocks.first[b]!; k--) {
      const i = insts[k]!;
      if (i.op === 'mov' && i.d === i.a) { dead[k] = 1; continue; }
      if (isPure(i)) {
        let needed = false;
        for (let j = defAt[k]!; j < defAt[k + 1]!; j++) if (liveAt[defs[j]!] === stamp) needed = true;
        if (!needed) { dead[k] = 1; continue; }
      }
      for (let j = defAt[k]!; j < defAt[k + 1]!; j++) liveAt[defs[j]!] = 0;
      for (let j = useAt[k]!; j < useAt[k + 1]!; j++) liveAt[uses[j]!] = stamp;
    }
  }
  return dead;
}

/**
 * Splits block-local webs off multi-definition vregs (Wasm locals): a
 * definition whose value is read only inside its block, before the next
 * definition there or the block's end where the vreg is dead, gets a fresh
 * vreg. A local that a compiler reuses for unrelated values becomes many
 * short intervals instead of one long one. The block liveness stays exact:
 * the vreg is still written where it is live out of a block.
 * Rewrites `insts` in place; returns the new number of vregs.
 */
function splitBlockWebs(f: IrFunc, insts: Inst[], occ: Occ, lv: Liveness, dead: Uint8Array, origin: number[]): number {
  const n = f.numVregs;
  const defs = scratch.int32(n);
  for (let k = 0; k < insts.length; k++) {
    if (dead[k] === 0) for (let j = occ.defAt[k]!; j < occ.defAt[k + 1]!; j++) defs[occ.defs[j]!]!++;
  }
  for (const v of f.paramVregs) defs[v]! += 2;
  let next = n;
  const nameOf = scratch.int32(n);
  const nameStamp = scratch.int32(n);
  const lastStamp = scratch.int32(n);
  const isLastDef = scratch.uint8(insts.length);
  let stamp = 0;
  const use = (v: number): number => (v < n && nameStamp[v] === stamp ? nameOf[v]! : v);
  let needsCopy = false;
  const liveOut = (v: number, b: number): boolean => {
    const g = lv.globalIndex[v]!;
    return g >= 0 && (lv.liveOut[b * lv.words + (g >>> 5)]! & (1 << (g & 31))) !== 0;
  };
  for (let b = 0; b < lv.blocks.first.length; b++) {
    stamp++;
    const first = lv.blocks.first[b]!, last = lv.blocks.last[b]!;
    for (let k = last; k >= first; k--) {
      if (dead[k] === 1) continue;
      const i = insts[k]!;
      const d = singleDef(i);
      if (d >= 0) {
        if (lastStamp[d] !== stamp) { lastStamp[d] = stamp; isLastDef[k] = 1; }
      } else if (i.op === 'alu64') {
        // bit 1: the low half's definition is the block's last of its vreg, bit 2: the high half's
        if (lastStamp[i.d2] !== stamp) { lastStamp[i.d2] = stamp; isLastDef[k]! |= 2; }
        if (lastStamp[i.d] !== stamp) { lastStamp[i.d] = stamp; isLastDef[k]! |= 1; }
      }
    }
    for (let k = first; k <= last; k++) {
      const i = insts[k]!;
      if (dead[k] === 1) continue;
      const single = singleDef(i);
      const two = single < 0 && i.op === 'alu64';
      const d1 = two ? i.d : single;
      const d2 = two ? i.d2 : -1;
      let renamed = -1, fresh = -1, renamed2 = -1, fresh2 = -1;
      let keep = -1, keep2 = -1;
      if (d1 >= 0 && defs[d1]! >= 2) {
        if ((isLastDef[k]! & 1) !== 0 && liveOut(d1, b)) keep = d1;
        else { renamed = d1; fresh = next++; origin.push(d1); }
      }
      if (d2 >= 0 && d2 !== d1 && defs[d2]! >= 2) {
        if ((isLastDef[k]! & 2) !== 0 && liveOut(d2, b)) keep2 = d2;
        else { renamed2 = d2; fresh2 = next++; origin.push(d2); }
      }
      // reads see the names from before this instruction's own write (most instructions need no copy);
      // the flat occurrence lists follow the renaming
      needsCopy = renamed >= 0 || renamed2 >= 0;
      for (let j = occ.useAt[k]!; j < occ.useAt[k + 1]!; j++) {
        const u = occ.uses[j]!;
        if (u < n && nameStamp[u] === stamp) { occ.uses[j] = nameOf[u]!; needsCopy = true; }
      }
      if (needsCopy) {
        for (let j = occ.defAt[k]!; j < occ.defAt[k + 1]!; j++) {
          if (occ.defs[j] === renamed) occ.defs[j] = fresh;
          else if (occ.defs[j] === renamed2) occ.defs[j] = fresh2;
        }
        insts[k] = renameInst(i, use, (v) => (v === renamed ? fresh : v === renamed2 ? fresh2 : v));
      }
      if (renamed >= 0) { nameOf[renamed] = fresh; nameStamp[renamed] = stamp; }
      if (renamed2 >= 0) { nameOf[renamed2] = fresh2; nameStamp[renamed2] = stamp; }
      if (keep >= 0) nameStamp[keep] = 0;
      if (keep2 >= 0) nameStamp[keep2] = 0;
    }
  }
  return next;
}

/**
 * Live intervals [start, end] in positions: 4i reads of instruction i, 4i + 1 its writes. A 64-bit pseudo-op
 * (alu64) computes its low half first: its high inputs are read at 4i + 2 and its high result is written at
 * 4i + 3, so the low result never shares a register with a high input, while the high result may.
 */
interface Occurrences {
  readonly start: Int32Array;
  readonly end: Int32Array;
  /** reads and writes, each weighted by 8 per enclosing loop */
  readonly weight: Float64Array;
  readonly defs: Int32Array;
  /** the value of the last `movi` writing each vreg */
  readonly constVal: Int32Array;
  /** calls before each instruction */
  readonly callsBefore: Int32Array;
}

/** One pass over the code for the intervals and what the scan weighs them by. */
function intervals(f: IrFunc, insts: readonly Inst[], occ: Occ, depth: readonly number[], lv: Liveness, dead: Uint8Array, n: number): Occurrences {
  const start = scratch.int32(n, UNUSED);
  const end = scratch.int32(n, -1);
  // params are written before the first instruction
  for (const v of f.paramVregs) start[v] = -1;
  const weight = scratch.float64(n);
  const defs = scratch.int32(n);
  const constVal = scratch.int32(n);
  const callsBefore = scratch.int32(insts.length + 1);
  let calls = 0;
  const { useAt, uses, defAt } = occ;
  const written = occ.defs;
  for (let k = 0; k < insts.length; k++) {
    callsBefore[k] = calls;
    if (dead[k] === 1) continue;
    const i = insts[k]!;
    const w = LOOP_WEIGHT[Math.min(depth[k]!, 6)]!;
    let pos = 4 * k;
    for (let j = useAt[k]!; j < useAt[k + 1]!; j++) {
      const v = uses[j]!;
      if (pos < start[v]!) start[v] = pos;
      if (pos > end[v]!) end[v] = pos;
      weight[v] += w;
    }
    pos = 4 * k + 1;
    for (let j = defAt[k]!; j < defAt[k + 1]!; j++) {
      const v = written[j]!;
      if (pos < start[v]!) start[v] = pos;
      if (pos > end[v]!) end[v] = pos;
      weight[v] += w;
      defs[v]!++;
    }
    if (i.op === 'movi') constVal[i.d] = i.imm;
    else if (i.op === 'call') calls++;
    else if (i.op === 'alu64') {
      const late = (v: number): void => { if (end[v]! < pos + 1) end[v] = pos + 1; };
      late(i.ah);
      if (typeof i.bh === 'number') late(i.bh);
      if (start[i.d2] === pos) start[i.d2] = pos + 2;
      if (end[i.d2]! < pos + 2) end[i.d2] = pos + 2;
    }

  }
  callsBefore[insts.length] = calls;
  // the liveness from before dead definitions were dropped: a superset of the exact one, so still sound
  for (let b = 0; b < lv.blocks.first.length; b++) {
    const s = 4 * lv.blocks.first[b]!;
    const e = 4 * lv.blocks.last[b]! + 3;
    // the set bits inline (a callback per block allocated a closure per block)
    for (let w = 0, base = b * lv.words; w < lv.words; w++) {
      for (let x = lv.liveIn[base + w]!; x !== 0; x &= x - 1) {
        const v = lv.globals[(w << 5) | (31 - Math.clz32(x & -x))]!;
        if (s < start[v]!) start[v] = s;
        if (s > end[v]!) end[v] = s;
      }
      for (let x = lv.liveOut[base + w]!; x !== 0; x &= x - 1) {
        const v = lv.globals[(w << 5) | (31 - Math.clz32(x & -x))]!;
        if (e > end[v]!) end[v] = e;
        if (e < start[v]!) start[v] = e;
      }
    }
  }
  return { start, end, weight, defs, constVal, callsBefore };
}

export function allocate(f: IrFunc, cfg: RegConfig): Allocation {
  const mark = scratch.mark();
  try {
    return allocateIn(f, cfg);
  } finally {
    scratch.release(mark);
  }
}

/** allocate's work; every temporary comes from `scratch` (the results are ordinary arrays). */
function allocateIn(f: IrFunc, cfg: RegConfig): Allocation {
  const fast = cfg.fast === true;
  // dead code goes with the dead definitions below (the liveness there makes a use-count pass redundant); the
  // webs are split in a copy of the list
  const listed = fast ? f.insts : [...f.insts];
  const depth = f.depth;
  const occ = occurrences(listed);
  const lv = liveness(f, listed, occ);
  const dead = fast ? scratch.uint8(listed.length) : deadDefs(lv, listed, occ, f.numVregs);
  const origin: number[] = [];
  const split = fast ? f.numVregs : splitBlockWebs(f, listed, occ, lv, dead, origin);
  const whole = cfg.wholeUse === undefined ? -1 : split;
  const n = whole >= 0 ? split + 1 : split;
  // register classes: a split-off web keeps its vreg's class
  const cls = new Uint8Array(n);
  for (let v = 0; v < f.numVregs; v++) cls[v] = classOfVreg(f, v);
  origin.forEach((v, k) => { cls[f.numVregs + k] = cls[v]!; });
  for (let v = 0; v < n; v++) if (cls[v] !== CORE && cfg.fp === undefined) throw new Error('float vreg without float registers');
  const { start, end, weight, defs, constVal, callsBefore } = intervals(f, listed, occ, depth, lv, dead, n);
  if (whole >= 0) { start[whole] = -1; end[whole] = 4 * listed.length + 3; }
  const insts = listed;
  // vregs with one definition, a constant: spilling them costs a re-made constant, not a load
  const isConstant = scratch.uint8(n);
  for (let k = 0; k < insts.length; k++) {
    const i = insts[k]!;
    if (dead[k] === 0 && i.op === 'movi' && defs[i.d] === 1) isConstant[i.d] = 1;
  }
  // a param written once by a constant still arrives with its own value
  for (const v of f.paramVregs) isConstant[v] = 0;
  if (whole >= 0) {
    for (let k = 0; k < insts.length; k++) {
      if (dead[k] === 0 && cfg.wholeUse!(insts[k]!)) weight[whole] += LOOP_WEIGHT[Math.min(depth[k]!, 6)]!;
    }
  }
  for (let v = 0; v < n; v++) if (isConstant[v] === 1) weight[v]! *= 0.5;
  const crossesCall = (v: number): boolean => {
    const cMin = (start[v]! >> 2) + 1;
    const cMax = (end[v]! >> 2) - 1;
    return cMin <= cMax && callsBefore[Math.min(cMax + 1, insts.length)]! - callsBefore[Math.min(cMin, insts.length)]! > 0;
  };
  const hint = scratch.int32(n, -1);
  cfg.fixedHint(f, hint);
  const moveFrom = scratch.int32(n, -1);
  insts.forEach((i, k) => { if (i.op === 'mov' && dead[k] === 0) moveFrom[i.d] = i.a; });

  if (whole >= 0 && weight[whole] === 0) start[whole] = UNUSED;
  // by start, then vreg number: a counting sort on start + 1 (params start at -1); a param never read needs no
  // place (end < start)
  let maxStart = -1;
  for (let v = 0; v < n; v++) if (start[v] !== UNUSED && end[v]! >= start[v]! && start[v]! > maxStart) maxStart = start[v]!;
  const bucket = scratch.int32(maxStart + 3);
  for (let v = 0; v < n; v++) if (start[v] !== UNUSED && end[v]! >= start[v]!) bucket[start[v]! + 2]!++;
  for (let p = 1; p < bucket.length; p++) bucket[p]! += bucket[p - 1]!;
  const count = bucket[bucket.length - 1]!;
  const order = scratch.int32(count);
  for (let v = 0; v < n; v++) if (start[v] !== UNUSED && end[v]! >= start[v]!) order[bucket[start[v]! + 1]!++] = v;

  // the per-vreg results in one backing store (loc, slot, lastUse)
  const results = new Int32Array(3 * n).fill(-1);
  const loc = results.subarray(0, n);
  const slot = results.subarray(n, 2 * n);
  let spillSlots = 0;
  let usedRegs = 0;
  let usedVfp = 0;
  // core registers by number: 16 on Arm, 32 on RISC-V
  const regOwner = scratch.int32(32, -1);
  // float registers; with paired doubles an f64 owns both halves of its d register
  const vOwner = scratch.int32(32, -1);
  const active: number[] = [];
  const all = [...cfg.callerSaved, ...cfg.calleeSaved];
  const vAll = cfg.fp === undefined ? [] : [...cfg.fp.callerSaved, ...cfg.fp.calleeSaved];
  const vCallee = cfg.fp === undefined ? [] : cfg.fp.calleeSaved;
  const remat = new Map<number, number>();
  const spill = (v: number): void => {
    loc[v] = -1;
    if (isConstant[v] === 1) remat.set(v, constVal[v]!);
    else { slot[v] = spillSlots; spillSlots += cls[v] === FP64 ? 2 : 1; }
  };
  const paired = cfg.fp?.pairedDoubles ?? false;
  const release = (u: number): void => {
    if (cls[u] === CORE) { regOwner[loc[u]!] = -1; return; }
    vOwner[loc[u]!] = -1;
    if (cls[u] === FP64 && paired) vOwner[loc[u]! + 1] = -1;
  };
  const vFree = (x: number, wide: boolean): boolean => vOwner[x] === -1 && (!wide || !paired || ((x & 1) === 0 && vOwner[x + 1] === -1));
  // the length in instructions' read and write slots (the two late slots of alu64 count as its others)
  const slot2 = (p: number): number => ((p >> 2) << 1) + (p & 1);
  const cost = (u: number): number => weight[u]! / (slot2(end[u]!) - slot2(start[u]!) + 2);

  const allMask = maskOf(all);
  const calleeMask = maskOf(cfg.calleeSaved);
  for (let x = 0; x < count; x++) {
    const v = order[x]!;
    const s = start[v]!;
    for (let k = active.length - 1; k >= 0; k--) {
      const u = active[k]!;
      if (end[u]! < s) {
        release(u);
        active.splice(k, 1);
      }
    }
    const cross = crossesCall(v);
    if (cls[v] !== CORE) {
      // floats: the first free register of the allowed set, else spill the cheapest interval of the same class
      const wide = cls[v] === FP64;
      const allowed = cross ? vCallee : vAll;
      const allowedSet = maskOf(allowed);
      let reg = -1;
      const from = moveFrom[v]!;
      if (from >= 0 && cls[from] === cls[v] && loc[from]! >= 0 && (allowedSet & (1 << loc[from]!)) !== 0 && vFree(loc[from]!, wide)) reg = loc[from]!;
      const h = hint[v]!;
      if (reg < 0 && h >= 0 && (allowedSet & (1 << h)) !== 0 && vFree(h, wide)) reg = h;
      if (reg < 0) for (const x of allowed) if (vFree(x, wide)) { reg = x; break; }
      if (reg < 0) {
        let victim = -1;
        for (const u of active) {
          if (cls[u] === cls[v] && (allowedSet & (1 << loc[u]!)) !== 0 && (victim < 0 || cost(u) < cost(victim))) victim = u;
        }
        if (victim >= 0 && cost(victim) < cost(v)) {
          reg = loc[victim]!;
          release(victim);
          spill(victim);
          active.splice(active.indexOf(victim), 1);
        } else {
          spill(v);
          continue;
        }
      }
      loc[v] = reg;
      vOwner[reg] = v;
      usedVfp |= 1 << reg;
      if (wide && paired) { vOwner[reg + 1] = v; usedVfp |= 1 << (reg + 1); }
      active.push(v);
      continue;
    }
    const allowed = cross ? cfg.calleeSaved : all;
    const mask = cross ? calleeMask : allMask;
    let reg = -1;
    const from = moveFrom[v]!;
    const hinted = from >= 0 && loc[from]! >= 0 ? loc[from]! : hint[v]!;
    if (hinted >= 0 && regOwner[hinted] === -1 && (mask & (1 << hinted)) !== 0) reg = hinted;
    if (reg < 0 && hint[v]! >= 0 && regOwner[hint[v]!] === -1 && (mask & (1 << hint[v]!)) !== 0) reg = hint[v]!;
    if (reg < 0) for (const r of allowed) if (regOwner[r] === -1) { reg = r; break; }
    if (reg < 0) {
      // spill the cheapest of v and the allowed active intervals (per unit of length: long and rarely used first)
      let victim = -1;
      for (const u of active) {
        if (cls[u] === CORE && (mask & (1 << loc[u]!)) !== 0 && (victim < 0 || cost(u) < cost(victim))) victim = u;
      }
      if (victim >= 0 && cost(victim) < cost(v)) {
        reg = loc[victim]!;
        release(victim);
        spill(victim);
        active.splice(active.indexOf(victim), 1);
      } else {
        spill(v);
        continue;
      }
    }
    loc[v] = reg;
    regOwner[reg] = v;
    usedRegs |= 1 << reg;
    active.push(v);
  }
  // positions 4k and 4k + 2 are reads of instruction k: an interval ending there ends with that read
  const kept = scratch.int32(insts.length);
  let at = 0;
  for (let k = 0; k < insts.length; k++) { kept[k] = at; if (dead[k] === 0) at++; }
  const lastUse = results.subarray(2 * n);
  for (let v = 0; v < n; v++) {
    const e = end[v]!;
    if (e >= 0 && (e & 1) === 0 && e >= start[v]! && dead[e >> 2] === 0) lastUse[v] = kept[e >> 2]!;
  }
  return { insts: fast ? insts : insts.filter((_, k) => dead[k] === 0), loc, cls, usedVfp, slot, spillSlots, usedRegs, remat, whole, lastUse };
}

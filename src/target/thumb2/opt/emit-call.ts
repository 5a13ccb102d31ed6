/**
 * The Thumb-2 emitter's boundaries: the prologue, calls, returns, the parallel moves at each, the trap stubs, and
 * the allocator's hints for them (the calling convention and exec_env contract of docs/abi.md).
 */
import { InternalError } from '../../../errors.js';
import type { Inst, IrFunc, WordClass } from '../../../ir/ir.js';
import { CORE } from '../../../ir/ir.js';
import { regList } from '../enc/mem.js';
import type { Reg } from '../regs.js';
import { EnvOffset, FuncRefOffset, LEAF_FRAME_LIMIT, MemoryOffset, Pinned, TrapCode } from '../abi.js';
import { argPlaces, callLayout, parallelMove, resultPlaces, vfpParallelMove, type Move, type Place, type VMove } from './moves.js';
import { FRAME_RECORD_SIZE, pushFrameRecord, unlinkFrameRecord } from '../frames.js';
import type { OptEmitter } from './emit.js';

const r = (n: number): Reg => n as Reg;
const SP = 13;
const LR = 14;
const MEMBASE = Pinned.memBase;
const LIMIT = Pinned.memCheckLimit;

export function emitPrologue(e: OptEmitter, funcIndex: number): void {
  const m = e.m;
  if (!e.bare) m.a.push(regList(...e.saved.map((x) => r(x === 3 && e.envInFiller ? 0 : x)), r(LR)));
  if (e.vsaved > 0) m.vpushD(8, e.vsaved);
  // exec_env is still in r0 here; the record goes before the stack check, so that a function that overflows the
  // stack is on the call stack it reports
  if (e.record) pushFrameRecord(m, 0, funcIndex);
  if (e.frameBytes > 0) m.subSp(e.frameBytes);
  m.spAdjust = 0;
  if (e.envCopy >= 0 && !e.envInFiller) m.store('w', 0, SP, e.envCopy);
  if (e.f.hasCalls || e.frameBytes + e.savedBytes() > LEAF_FRAME_LIMIT) {
    m.load('w', 12, 0, EnvOffset.stackLimit);
    m.cmp(SP, 12);
    m.bcond('cc', e.stackTrap);
    e.stackTrapUsed = true;
  }
  if (e.f.usesMemory) {
    m.load('w', LIMIT, 0, EnvOffset.memory);
    m.load('w', LIMIT, LIMIT, MemoryOffset.checkLimit);
    m.load('w', MEMBASE, 0, EnvOffset.memBase);
  }
  const from = argPlaces(callLayout(true, e.f.paramClasses), false, e.frameBytes + e.savedBytes());
  const moves = e.f.paramVregs.map((v, i) => ({ v, src: from[i]! }));
  const env = e.envPlace();
  moveAll(e, moves, env === undefined ? [] : [{ dst: env, src: { k: 'reg', r: 0 } }], 12);
}

/**
 * Moves values into or out of their places at a boundary: `toVregs` (each vreg from a place), or
 * `fromVregs` (each vreg to a place), plus extra core moves; VFP values first (their moves leave r12 and lr
 * alone at the end), then core words with `scratch` for cycles.
 */
export function moveAll(e: OptEmitter, toVregs: readonly { v: number; src: Place }[], extra: readonly Move[], scratch: number, fromVregs: readonly { v: number; dst: Place }[] = []): void {
  const core: Move[] = [];
  const vfp: VMove[] = [];
  const add = (v: number, dst: Place | undefined, src: Place | undefined): void => {
    if (dst === undefined || src === undefined) return;
    if (e.alloc.cls[v] === CORE) core.push({ dst, src });
    else vfp.push({ dst, src, wide: e.wide(v) });
  };
  for (const x of toVregs) add(x.v, e.placeOf(x.v), x.src);
  for (const x of fromVregs) add(x.v, x.dst, e.placeOf(x.v));
  if (vfp.length > 0) vfpParallelMove(e.m, vfp);
  parallelMove(e.m, extra.length === 0 ? core : [...core, ...extra], scratch);
}

export function reloadLimit(e: OptEmitter): void {
  e.m.load('w', LIMIT, e.envIn(LIMIT), EnvOffset.memory);
  e.m.load('w', LIMIT, LIMIT, MemoryOffset.checkLimit);
}

export function emitTrapStubs(e: OptEmitter): void {
  const m = e.m;
  if (e.stackTrapUsed) {
    // from the prologue, with exec_env still in r0
    m.bind(e.stackTrap);
    m.mov32(1, TrapCode.StackExhausted);
    callSymbolVia(e, 0, 0);
  }
  if (e.trapLabels.size === 0) return;
  const common = m.newLabel();
  const stubs = [...e.trapLabels];
  // the code waits in r12: exec_env may live in r1 (a function without calls may keep it in any register)
  stubs.forEach(([code, label], k) => {
    m.bind(label);
    m.mov32(12, code);
    if (k < stubs.length - 1) m.b(common);
  });
  m.bind(common);
  m.mov(0, e.envIn(0));
  m.mov(1, 12);
  callSymbolVia(e, 0, 0 /* xw_trap */);
}

/** Calls native symbol `index` through the symbol table of the exec_env in register `env`; clobbers r12. */
export function callSymbolVia(e: OptEmitter, env: number, index: number): void {
  e.ctx.symbolsUsed.add(index);
  e.m.load('w', 12, env, EnvOffset.symbols);
  e.m.load('w', 12, 12, 4 * index);
  e.m.blx(12);
}

export function emitCall(e: OptEmitter, i: Extract<Inst, { op: 'call' }>): void {
  const m = e.m;
  // several results come back in 8-byte slots right above the outgoing arguments, whose address is the last one
  const multi = i.multi;
  const lay = callLayout(i.env, multi === undefined ? i.argClasses : [...i.argClasses, 'w32']);
  const below = lay.stackBytes + (multi === undefined ? 0 : 8 * multi.length);
  if (below > 0) m.subSp(below);
  const dsts = argPlaces(lay, true, 0);
  const moves: Move[] = [];
  if (i.env && i.target.kind !== 'ref') moves.push({ dst: { k: 'reg', r: 0 }, src: e.envPlace()! });
  if (i.target.kind === 'ref') moves.push({ dst: { k: 'reg', r: 12 }, src: e.placeOf(i.target.desc)! });
  if (i.target.kind === 'symbol') moves.push({ dst: { k: 'reg', r: 12 }, src: e.placeOf(i.target.fn)! });
  moveAll(e, [], moves, LR, i.args.map((v, k) => ({ v, dst: dsts[k]! })));
  if (multi !== undefined) {
    // after the other arguments: their moves may use any register but r12 (a target) and lr
    const p = dsts[dsts.length - 1]!;
    if (p.k === 'reg') m.aluImm('add', p.r, SP, lay.stackBytes);
    else if (p.k === 'out') { m.aluImm('add', LR, SP, lay.stackBytes); m.storeRaw(LR, SP, p.off); }
    else throw new InternalError(`results address in ${p.k}`);
  }
  switch (i.target.kind) {
    case 'func':
      if (e.ctx.options.callsViaTable && i.target.index >= e.ctx.module.numImportedFuncs) {
        m.load('w', 12, e.envIn(12), EnvOffset.funcPtrs);
        m.load('w', 12, 12, 4 * i.target.index);
        m.blx(12);
      } else {
        m.bl(e.ctx.funcLabels[i.target.index]!);
      }
      break;
    case 'symbol':
      // the address was moved into r12 with the arguments
      e.ctx.symbolsUsed.add(i.target.index);
      m.blx(12);
      break;
    case 'ref':
      m.load('w', 0, 12, FuncRefOffset.env);
      m.load('w', 12, 12, FuncRefOffset.code);
      m.blx(12);
      break;
  }
  if (multi !== undefined) loadResults(e, i.results, multi, lay.stackBytes);
  if (below > 0) m.addSp(below);
  if (e.f.usesMemory && i.mayGrowMemory) reloadLimit(e);
  if (multi !== undefined) return;
  const from = resultPlaces(i.resultClass);
  moveAll(e, i.results.map((v, k) => ({ v, src: from[k]! })), [], 12);
}

/**
 * The words of several results from their slots at [sp + at + 8k] (exactly: sp is still below the frame) into
 * their vregs' places. Every result is defined here and nothing else is read, so the order does not matter.
 */
function loadResults(e: OptEmitter, results: readonly number[], classes: readonly WordClass[], at: number): void {
  const m = e.m;
  let k = 0;
  classes.forEach((c, n) => {
    const words = c === 'w64' ? 2 : 1;
    for (let w = 0; w < words; w++) {
      const v = results[k++]!;
      const p = e.placeOf(v);
      const off = at + 8 * n + 4 * w;
      if (p === undefined || p.k === 'imm') continue;
      if (p.k === 'reg') m.loadRaw(p.r, SP, off);
      else if (p.k === 'vfp') m.vloadRaw(c === 'f64' ? 'd' : 's', c === 'f64' ? p.r >> 1 : p.r, SP, off);
      else if (p.k === 'frame') {
        // a spilled result: word by word through r12 (an f64 is two)
        for (let x = 0; x < (c === 'f64' ? 2 : 1); x++) {
          m.loadRaw(12, SP, off + 4 * x);
          m.store('w', 12, SP, p.off + 4 * x);
        }
      } else throw new InternalError(`call result into ${p.k}`);
    }
  });
}

export function emitRet(e: OptEmitter, values: readonly number[]): void {
  const m = e.m;
  if (e.record) {
    // first: exec_env may live in a register the results go to
    let env = 14;
    if (e.envCopy >= 0) m.load('w', 14, SP, e.envCopy);
    else env = e.envIn(14);
    unlinkFrameRecord(m, env, e.frameBytes);
  }
  const to = resultPlaces(e.f.resultClass);
  moveAll(e, [], [], 12, values.map((v, k) => ({ v, dst: to[k]! })));
  // the frame record sits right above the frame: popped with it
  const popped = e.frameBytes + (e.record ? FRAME_RECORD_SIZE : 0);
  if (popped > 0) {
    m.spAdjust = popped;
    m.addSp(popped);
  }
  if (e.vsaved > 0) m.vpopD(8, e.vsaved);
  if (e.bare) m.bx(LR);
  else m.a.pop(regList(...e.saved.map(r), r(15)));
  m.spAdjust = 0;
}

/** Register hints: params where they arrive, call arguments and results where they travel, returned values in r0/r1 (s0/d0). */
export function hints(f: IrFunc, hint: Int32Array): void {
  const at = (p: Place | undefined): number => (p !== undefined && (p.k === 'reg' || p.k === 'vfp') ? p.r : -1);
  argPlaces(callLayout(true, f.paramClasses), false, 0).forEach((p, k) => {
    const v = f.paramVregs[k];
    if (v !== undefined) hint[v] = at(p);
  });
  for (const i of f.insts) {
    if (i.op === 'call') {
      const back = resultPlaces(i.resultClass);
      i.results.forEach((v, k) => { hint[v] = at(back[k]); });
      argPlaces(callLayout(i.env, i.argClasses), true, 0).forEach((p, k) => {
        const v = i.args[k];
        if (v !== undefined && hint[v] === -1) hint[v] = at(p);
      });
    } else if (i.op === 'ret') {
      const to = resultPlaces(f.resultClass);
      i.values.forEach((v, k) => { if (hint[v] === -1) hint[v] = at(to[k]); });
    }
  }
}

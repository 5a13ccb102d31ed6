/**
 * The Thumb-1 emitter's boundaries: the prologue (frame, exec_env, stack check, params to their homes), calls
 * (soft-float AAPCS, docs/abi.md: stack arguments, several results through slots, call_indirect's descriptor,
 * the function-pointer table in indirect mode) and returns. Values live in callee-saved registers or slots, so
 * r0-r3 are free at every call and the arguments go straight to them.
 */
import { EnvOffset, FuncRefOffset } from '../../abi.js';
import type { Inst } from '../../ir/ir.js';
import { layoutArgs, type CallLayout } from '../thumb2/abi.js';
import { type Reg, LR, R0, R1, R2, R12, SP, reg } from '../thumb2/regs.js';
import { Imm8x4 } from '../thumb2/imm.js';
import * as E from './enc.js';
import { ENV, LIMIT, MEMBASE, type FuncEmitter, unsupported } from './emit.js';

type CallInst = Extract<Inst, { op: 'call' }>;

/** A call's AAPCS layout; with several results (`multi`) their slots' address is the last argument. */
function callLayout(i: CallInst): CallLayout {
  return layoutArgs([...(i.env ? ['w32' as const] : []), ...i.argClasses.map((c) => {
    if (c === 'f32' || c === 'f64') unsupported('a float-register call argument (ARMv6-M is soft-float)');
    return c;
  }), ...(i.multi !== undefined ? ['w32' as const] : [])]);
}

/** Bytes a call needs at the bottom of the frame: its stack arguments, then the slots of several results. */
export function callArea(i: CallInst): number {
  return callLayout(i).stackBytes + 8 * (i.multi?.length ?? 0);
}

function imm8x4(v: number): Imm8x4 {
  const i = Imm8x4.tryFrom(v);
  if (i === undefined) unsupported(`sp + ${v}`);
  return i;
}

export function emitPrologue(e: FuncEmitter): void {
  const { a, m, f } = e;
  m.prologue(e.frame);
  a.mov(ENV, R0);
  // before anything is stored in the frame; r0 is free now
  m.stackCheck(ENV, R0);
  const layout = layoutArgs(['w32', ...f.paramClasses.map((c) => (c === 'w64' ? 'w64' as const : 'w32' as const))]);
  const stacked: { v: number; off: number }[] = [];
  let w = 0;
  // register params first (r0 is the far-slot scratch), then those on the stack, through r1
  f.paramClasses.forEach((c, i) => {
    const loc = layout.args[i + 1]!;
    for (let k = 0; k < (c === 'w64' ? 2 : 1); k++) {
      // the stack check's branch and long parameter lists: what is pending is placed on the way
      a.maybeIsland(32);
      const v = f.paramVregs[w++]!;
      if (loc.kind === 'gpr') e.put(v, reg(loc.reg), R0);
      else if (loc.kind === 'gpr2') e.put(v, reg(loc.lo + k), R0);
      else if (loc.kind === 'stack') stacked.push({ v, off: e.frame.saved + e.frame.locals + loc.offset + 4 * k });
      else unsupported('a float argument');
    }
  });
  for (const p of stacked) {
    a.maybeIsland(32);
    if (e.home(p.v) < 0 && e.alloc.slot[p.v]! < 0) continue;
    e.loadSp(R1, p.off);
    e.put(p.v, R1, R0);
  }
  if (f.usesMemory) {
    m.loadCheckLimit(LIMIT, ENV, R0);
    m.loadEnv(MEMBASE, ENV, EnvOffset.memBase);
  }
}

export function emitCall(e: FuncEmitter, i: CallInst): void {
  const { a, m, ctx } = e;
  if (i.resultClass === 'f32' || i.resultClass === 'f64') unsupported('a float-register call result');
  const layout = callLayout(i);
  const first = i.env ? 1 : 0;
  // stack arguments first, through r0
  const places: { v: number; r: Reg }[] = [];
  let w = 0;
  i.argClasses.forEach((c, k) => {
    const loc = layout.args[first + k]!;
    switch (loc.kind) {
      case 'gpr': places.push({ v: i.args[w++]!, r: reg(loc.reg) }); break;
      case 'gpr2':
        places.push({ v: i.args[w++]!, r: reg(loc.lo) });
        places.push({ v: i.args[w++]!, r: reg(loc.lo + 1) });
        break;
      case 'stack':
        a.maybeIsland(32);
        for (let j = 0; j < (c === 'w64' ? 2 : 1); j++) a.store('w', e.use(i.args[w++]!, R0), SP, loc.offset + 4 * j);
        break;
      case 's': case 'd': unsupported('a float-register call argument');
    }
  });
  if (i.multi !== undefined) {
    // the results' 8-byte slots sit right above the stack arguments (docs/abi.md §2)
    const loc = layout.args[layout.args.length - 1]!;
    if (loc.kind === 'gpr') places.push({ v: -1, r: reg(loc.reg) });
    else if (loc.kind === 'stack') {
      a.emit(E.addSpImmT1(R0, imm8x4(layout.stackBytes)));
      a.store('w', R0, SP, loc.offset);
    } else unsupported(`a results address in ${loc.kind}`);
  }
  // the callee's address in r12 (and, for a funcref, its exec_env in lr) before r0-r3 take the arguments
  switch (i.target.kind) {
    case 'func':
      if (ctx.callsViaTable && i.target.index >= ctx.module.numImportedFuncs) {
        a.load('w', R0, e.env(R0), EnvOffset.funcPtrs);
        a.load('w', R0, R0, 4 * i.target.index, R1);
        a.mov(R12, R0);
      }
      break;
    case 'symbol':
      ctx.symbols.add(i.target.index);
      a.mov(R12, e.use(i.target.fn, R0));
      break;
    case 'ref': {
      const desc = e.use(i.target.desc, R0);
      a.load('w', R1, desc, FuncRefOffset.code);
      a.mov(R12, R1);
      a.load('w', R1, desc, FuncRefOffset.env);
      a.mov(LR, R1);
      break;
    }
  }
  for (const p of places) {
    if (p.v < 0) a.emit(E.addSpImmT1(p.r, imm8x4(layout.stackBytes)));
    else e.get(p.v, p.r);
  }
  switch (i.target.kind) {
    case 'func':
      if (i.env) a.mov(R0, ENV);
      if (ctx.callsViaTable && i.target.index >= ctx.module.numImportedFuncs) a.blx(R12);
      else a.bl(ctx.funcLabels[i.target.index]!);
      break;
    case 'symbol':
      if (i.env) a.mov(R0, ENV);
      a.blx(R12);
      break;
    case 'ref':
      a.mov(R0, LR);
      a.blx(R12);
      break;
  }
  if (i.multi !== undefined) {
    // several results: word by word from their slots (an i64 takes two words of its slot)
    let k = 0;
    i.multi.forEach((c, n) => {
      for (let j = 0; j < (c === 'w64' ? 2 : 1); j++) {
        a.maybeIsland(32);
        a.load('w', R0, SP, layout.stackBytes + 8 * n + 4 * j);
        e.put(i.results[k++]!, R0);
      }
    });
  } else {
    if (i.results.length >= 1) e.put(i.results[0]!, R0);
    if (i.results.length >= 2) e.put(i.results[1]!, R1);
  }
  if (i.mayGrowMemory && e.f.usesMemory) m.loadCheckLimit(LIMIT, ENV, R2);
}

export function emitRet(e: FuncEmitter, values: readonly number[]): void {
  if (values.length > 2) unsupported('more than two result words in registers');
  values.forEach((v, k) => e.get(v, reg(k)));
  e.m.epilogue(e.frame);
}

/**
 * Operator dispatch for tier 0, plus control flow, calls, locals and globals.
 * Numeric, memory, float and reference operators live in lower-*.ts; each
 * handler is a few lines over the FuncCompiler's value protocol.
 */
import { InternalError } from '../../errors.js';
import type { Instr } from '../../wasm/operators.js';
import { OPERATORS } from '../../wasm/opcodes.js';
import { ValType, type FuncType } from '../../wasm/types.js';
import type { StackVal } from '../../ir/valuestack.js';
import { EnvOffset, FuncRefOffset, Pinned, TableOffset, TrapCode, wasmCallSig, argClass } from './abi.js';
import { is64, type FuncCompiler, type RegSet } from './func.js';
import { branchMoves, branchTo, doElse, doEnd, enterBlock, needsMoves, top } from './control.js';
import type { Cond, Label } from './masm.js';
import { invertCond } from './regs.js';
import { layoutArgs as wasmLayout } from './abi.js';
import { INT_LOWERINGS } from './lower-int.js';
import { MEM_LOWERINGS } from './lower-mem.js';
import { FLOAT_LOWERINGS } from './lower-float.js';
import { REF_LOWERINGS } from './lower-ref.js';

export type Lowering = (fc: FuncCompiler, ins: Instr) => void;

const CONTROL_LOWERINGS: Record<string, Lowering> = {
  unreachable: (fc) => { fc.m.b(fc.trapLabel(TrapCode.Unreachable)); fc.reachable = false; },
  nop: () => undefined,
  block: (fc, ins) => { fc.flushAll(); enterBlock(fc, 'block', ins.blockType); },
  loop: (fc, ins) => { fc.flushAll(); fc.m.bind(enterBlock(fc, 'loop', ins.blockType).label); },
  if: (fc, ins) => {
    const top = fc.stack.peek();
    if (top.kind === 'cond') {
      // flushing only moves and stores values; with flagsLive it picks encodings that keep the condition
      fc.stack.pop();
      fc.m.flagsLive = true;
      fc.flushAll();
      fc.m.flagsLive = false;
      const f = enterBlock(fc, 'if', ins.blockType);
      fc.m.bcond(invertCond(top.cond as Cond), f.elseLabel!);
      return;
    }
    fc.flushAll();
    fc.pop({ kind: 'w32', r: 2 });
    const f = enterBlock(fc, 'if', ins.blockType);
    fc.m.cmpImm(2, 0);
    fc.m.bcond('eq', f.elseLabel!);
  },
  else: (fc) => doElse(fc, top(fc)),
  end: (fc) => doEnd(fc, top(fc)),
  br: (fc, ins) => { branchTo(fc, ins.index); fc.reachable = false; },
  br_if: (fc, ins) => brIf(fc, ins.index),
  br_table: (fc, ins) => brTable(fc, ins.targets, ins.index),
  return: (fc) => { fc.emitReturn(); fc.reachable = false; },
  call: (fc, ins) => callDirect(fc, ins.index),
  call_indirect: (fc, ins) => callIndirect(fc, ins.index, ins.index2),
  drop: (fc) => { fc.stack.pop(); },
  select: (fc) => select(fc),
  select_typed: (fc) => select(fc),
  'local.get': (fc, ins) => fc.stack.push({ kind: 'local', type: fc.localTypes[ins.index]!, index: ins.index }),
  'local.set': (fc, ins) => setLocal(fc, ins.index, false),
  'local.tee': (fc, ins) => setLocal(fc, ins.index, true),
  'global.get': (fc, ins) => globalGet(fc, ins.index),
  'global.set': (fc, ins) => globalSet(fc, ins.index),
  'i32.const': (fc, ins) => fc.stack.push({ kind: 'const', type: ValType.I32, bits: ins.i32 >>> 0 }),
  'i64.const': (fc, ins) => fc.stack.push({ kind: 'const', type: ValType.I64, bits: BigInt.asUintN(64, ins.i64) }),
  'f32.const': (fc, ins) => fc.stack.push({ kind: 'const', type: ValType.F32, bits: ins.f32Bits >>> 0 }),
  'f64.const': (fc, ins) => fc.stack.push({ kind: 'const', type: ValType.F64, bits: BigInt.asUintN(64, ins.f64Bits) }),
};

/** One handler per operator code, built once from the single opcode table. */
const BY_CODE: (Lowering | undefined)[] = [];
const BY_FC: (Lowering | undefined)[] = [];
{
  const all: Record<string, Lowering> = {
    ...CONTROL_LOWERINGS, ...INT_LOWERINGS, ...MEM_LOWERINGS, ...FLOAT_LOWERINGS, ...REF_LOWERINGS,
  };
  for (const info of OPERATORS) {
    const h = all[info.name];
    if (info.code >= 0xfc00) BY_FC[info.code & 0xff] = h;
    else BY_CODE[info.code] = h;
  }
}

export function lowerOperator(fc: FuncCompiler, ins: Instr): void {
  const h = ins.op >= 0xfc00 ? BY_FC[ins.op & 0xff] : BY_CODE[ins.op];
  if (h === undefined) fc.unsupported(ins);
  h(fc, ins);
}

// ---- branches -----------------------------------------------------------------------

function brIf(fc: FuncCompiler, depth: number): void {
  const m = fc.m;
  let taken: Cond = 'ne';
  const top = fc.stack.peek();
  if (top.kind === 'cond') {
    fc.stack.pop();
    taken = top.cond as Cond;
  } else {
    m.cmpImm(fc.popReg(2), 0);
  }
  const target = fc.ctrls[fc.ctrls.length - 1 - depth]!;
  if (target.kind !== 'loop') target.endUsed = true;
  if (!needsMoves(fc, target)) {
    m.bcond(taken, target.label);
    return;
  }
  const skip = m.newLabel();
  m.bcond(invertCond(taken), skip);
  branchMoves(fc, target);
  m.b(target.label);
  m.bind(skip);
}

/**
 * TBH over a table of halfword offsets to one stub per distinct target, placed
 * right after the table (TBH only jumps forward): each stub moves the carried
 * values and branches. Position-independent, no address arithmetic; tables
 * beyond TBH's reach use a table of B.W instead.
 */
function brTable(fc: FuncCompiler, targets: readonly number[], defaultDepth: number): void {
  const m = fc.m;
  fc.pop({ kind: 'w32', r: 2 });
  const n = targets.length;
  // out of range → the default (entry n)
  m.mov32(3, n);
  m.cmp(2, 3);
  m.itMov('hi', 2, 3);
  const stubFor = new Map<number, Label>();
  const entries = [...targets, defaultDepth].map((depth) => {
    let l = stubFor.get(depth);
    if (l === undefined) {
      l = m.newLabel();
      stubFor.set(depth, l);
    }
    return l;
  });
  if (n < 16384) {
    m.tableBranchHalf(2, entries);
  } else {
    // TBH reaches 128 KiB past the table: a huge table jumps through a table of B.W (ADR + computed BX) instead
    const table = m.newLabel();
    m.adr(3, table);
    m.addShifted(3, 3, 2, 2);
    m.orrImm(3, 3, 1);
    m.bx(3);
    m.align(4);
    m.bind(table);
    for (const l of entries) m.bw(l);
  }
  for (const [depth, label] of stubFor) {
    m.bind(label);
    branchTo(fc, depth);
  }
  fc.reachable = false;
}

// ---- select, locals, globals ----------------------------------------------------------

function select(fc: FuncCompiler): void {
  const m = fc.m;
  const cond = fc.stack.peek();
  if (cond.kind === 'cond' && argClass(fc.stack.peek(1).type, fc.floatAbi) === 'w32') {
    // a comparison still in the flags picks between two registers with one IT block
    const t = fc.stack.peek(1).type;
    fc.stack.pop();
    m.flagsLive = true;
    const b = fc.popReg(1);
    const a = fc.popReg(0);
    const rd = fc.claimResult();
    m.flagsLive = false;
    m.itSelect(cond.cond as Cond, rd, a, b);
    fc.pushResult(t);
    return;
  }
  fc.pop({ kind: 'w32', r: 2 });
  if (is64(fc.stack.peek().type)) m.mov(14, 2);
  const b = fc.stack.pop();
  const a = fc.stack.pop();
  const depth = fc.stack.height;
  const t = a.type;
  if (is64(t)) {
    fc.loadInto(a, depth, { kind: 'w64', lo: 0, hi: 1 });
    fc.loadInto(b, depth + 1, { kind: 'w64', lo: 2, hi: 3 });
    m.cmpImm(14, 0);
    m.itMov('eq', 0, 2);
    m.itMov('eq', 1, 3);
    fc.pushRegs(t, { kind: 'w64', lo: 0, hi: 1 });
  } else {
    fc.loadInto(a, depth, { kind: 'w32', r: 0 });
    fc.loadInto(b, depth + 1, { kind: 'w32', r: 1 });
    m.cmpImm(2, 0);
    m.itMov('eq', 0, 1);
    fc.pushRegs(t, { kind: 'w32', r: 0 });
  }
}

function setLocal(fc: FuncCompiler, index: number, tee: boolean): void {
  for (const d of fc.stack.latentLocalDepths(index)) {
    // the top is the value being stored: reading it later gives the same value
    if (d === fc.stack.height - 1) continue;
    fc.materialize(d);
  }
  const v = tee ? fc.stack.peek() : fc.stack.pop();
  const depth = tee ? fc.stack.height - 1 : fc.stack.height;
  if (v.kind === 'local' && v.index === index) return;
  const home = fc.localReg[index];
  if (home !== undefined) {
    fc.loadInto(v, depth, { kind: 'w32', r: home });
    return;
  }
  const pair = fc.localPair[index];
  if (pair !== undefined) {
    fc.loadInto(v, depth, { kind: 'w64', lo: pair.lo, hi: pair.hi });
    return;
  }
  const vhome = fc.localVReg[index];
  if (vhome !== undefined) {
    fc.loadInto(v, depth, v.type === ValType.F32 ? { kind: 's', s: vhome } : { kind: 'd', d: vhome });
    return;
  }
  // a 32-bit value already in a register is stored from there
  const src = v.kind === 'reg' ? Pinned.acc : v.kind === 'local' ? fc.localReg[v.index] : undefined;
  if (src !== undefined && !is64(v.type)) {
    fc.m.store('w', src, 13, fc.localOffset(index));
    return;
  }
  if (v.kind === 'vreg') {
    fc.m.vstore(is64(v.type) ? 'd' : 's', is64(v.type) ? 15 : 30, 13, fc.localOffset(index));
    return;
  }
  const srcPair = v.kind === 'local' ? fc.localPair[v.index] : undefined;
  if (srcPair !== undefined) {
    fc.m.storePair(srcPair.lo, srcPair.hi, 13, fc.localOffset(index));
    return;
  }
  const regs = coreRegs(v.type, 0);
  fc.loadInto(v, depth, regs);
  fc.storeToFrame(fc.localOffset(index), regs);
}

export function coreRegs(t: ValType, base: number): RegSet {
  return is64(t) ? { kind: 'w64', lo: base, hi: base + 1 } : { kind: 'w32', r: base };
}

/** r3 = address of global `index`'s cell. */
function globalAddress(fc: FuncCompiler, index: number): void {
  const m = fc.m;
  const mod = fc.ctx.module;
  if (index < mod.numImportedGlobals) {
    m.load('w', 3, Pinned.env, EnvOffset.importedGlobals);
    m.load('w', 3, 3, 4 * index);
  } else {
    m.load('w', 3, Pinned.env, EnvOffset.globals);
    const off = fc.ctx.globalOffsets[index - mod.numImportedGlobals]!;
    if (off !== 0) m.addImm(3, 3, off);
  }
}

function globalGet(fc: FuncCompiler, index: number): void {
  const t = fc.ctx.module.globalTypes[index]!.valType;
  globalAddress(fc, index);
  const regs = coreRegs(t, 0);
  if (regs.kind === 'w64') fc.m.loadPair(0, 1, 3, 0);
  else fc.m.load('w', 0, 3, 0);
  fc.pushRegs(t, regs);
}

function globalSet(fc: FuncCompiler, index: number): void {
  const v = fc.stack.pop();
  const regs = coreRegs(v.type, 0);
  fc.loadInto(v, fc.stack.height, regs);
  globalAddress(fc, index);
  if (regs.kind === 'w64') fc.m.storePair(0, 1, 3, 0);
  else fc.m.store('w', 0, 3, 0);
}

// ---- calls -----------------------------------------------------------------------------

/** How the callee is reached once the arguments are in place. */
type Callee =
  | { readonly kind: 'label'; readonly label: Label }
  /** through the funcref descriptor saved in the frame's scratch word (call_indirect) */
  | { readonly kind: 'funcref' }
  /** through the function-pointer table (indirect mode) */
  | { readonly kind: 'table'; readonly funcIndex: number };

/**
 * Pops the callee's params, places them per AAPCS, calls, and pushes the
 * results. Argument setup uses r0-r3, r12, lr and VFP argument registers, so
 * the target address is only fetched into r12 once they are in place.
 */
export function emitWasmCall(fc: FuncCompiler, type: FuncType, callee: Callee): void {
  const m = fc.m;
  const args = fc.stack.popN(type.params.length);
  const base = fc.stack.height;
  const sig = wasmCallSig(type.params, type.results, fc.floatAbi);
  const stackBytes = sig.layout.stackBytes;
  if (stackBytes > 0) m.subSp(stackBytes);
  // stack arguments first: they use r0/r1 as scratch
  for (let i = 0; i < args.length; i++) {
    const loc = sig.layout.args[i + 1]!;
    if (loc.kind !== 'stack') continue;
    const regs = coreRegs(args[i]!.type, 0);
    fc.loadInto(args[i]!, base + i, regs);
    if (regs.kind === 'w64') m.storePairRaw(0, 1, 13, loc.offset);
    else m.storeRaw(0, 13, loc.offset);
  }
  if (sig.resultsPtrArg >= 0) {
    const loc = sig.layout.args[sig.resultsPtrArg]!;
    const slots = fc.slotOffset(base);
    if (loc.kind === 'gpr') m.addSpImm(loc.reg, slots);
    else if (loc.kind === 'stack') { m.addSpImm(0, slots); m.storeRaw(0, 13, loc.offset); }
    else throw new InternalError('results pointer in a VFP register');
  }
  for (let i = 0; i < args.length; i++) {
    const loc = sig.layout.args[i + 1]!;
    const v = args[i]!;
    switch (loc.kind) {
      case 'gpr': fc.loadInto(v, base + i, { kind: 'w32', r: loc.reg }); break;
      case 'gpr2': fc.loadInto(v, base + i, { kind: 'w64', lo: loc.lo, hi: loc.lo + 1 }); break;
      case 's': fc.loadInto(v, base + i, { kind: 's', s: loc.reg }); break;
      case 'd': fc.loadInto(v, base + i, { kind: 'd', d: loc.reg }); break;
      case 'stack': break;
    }
  }
  switch (callee.kind) {
    case 'label': m.mov(0, Pinned.env); m.bl(callee.label); break;
    case 'funcref':
      m.load('w', 12, 13, fc.scratchWordOffset());
      m.load('w', 0, 12, FuncRefOffset.env);
      m.load('w', 12, 12, FuncRefOffset.code);
      m.blx(12);
      break;
    case 'table':
      m.load('w', 12, Pinned.env, EnvOffset.funcPtrs);
      m.load('w', 12, 12, 4 * callee.funcIndex);
      m.mov(0, Pinned.env);
      m.blx(12);
      break;
  }
  if (stackBytes > 0) m.addSp(stackBytes);
  fc.afterCall();
  if (type.results.length === 1) {
    const t = type.results[0]!;
    fc.pushRegs(t, fc.returnRegs(t));
  } else {
    for (const t of type.results) fc.stack.pushSlot(t);
  }
}

function callDirect(fc: FuncCompiler, funcIndex: number): void {
  const mod = fc.ctx.module;
  const type = mod.types[mod.funcTypeIndices[funcIndex]!]!;
  if (fc.ctx.options.callsViaTable && funcIndex >= mod.numImportedFuncs) {
    emitWasmCall(fc, type, { kind: 'table', funcIndex });
    return;
  }
  emitWasmCall(fc, type, { kind: 'label', label: fc.ctx.funcLabels[funcIndex]! });
}

/** docs/abi.md §5: bounds, null and signature checks, then a call with the target's own exec_env. */
function callIndirect(fc: FuncCompiler, typeIndex: number, tableIndex: number): void {
  const m = fc.m;
  fc.pop({ kind: 'w32', r: 2 });
  m.load('w', 3, Pinned.env, EnvOffset.tables);
  m.load('w', 3, 3, 4 * tableIndex);
  m.load('w', 12, 3, TableOffset.size);
  m.cmp(2, 12);
  m.bcond('cs', fc.trapLabel(TrapCode.UndefinedElement));
  m.load('w', 3, 3, TableOffset.elems);
  m.loadIndexed(3, 3, 2, 2);
  m.cmpImm(3, 0);
  m.bcond('eq', fc.trapLabel(TrapCode.UninitializedElement));
  m.load('w', 12, Pinned.env, EnvOffset.typeIds);
  m.load('w', 12, 12, 4 * typeIndex);
  m.load('w', 2, 3, FuncRefOffset.typeId);
  m.cmp(2, 12);
  m.bcond('ne', fc.trapLabel(TrapCode.IndirectCallTypeMismatch));
  m.store('w', 3, 13, fc.scratchWordOffset());
  emitWasmCall(fc, fc.ctx.module.types[typeIndex]!, { kind: 'funcref' });
}

/** An argument of a native (runtime) call. */
export type NativeArg =
  | { readonly kind: 'val'; readonly v: StackVal; readonly depth: number }
  | { readonly kind: 'imm'; readonly value: number }
  | { readonly kind: 'env' };

/**
 * Calls native symbol `index` with C arguments placed per AAPCS under the
 * module's float ABI. Values have their Wasm types; imm/env are 32-bit.
 * Pops nothing: callers pop the operands first and pass them with their depths.
 */
export function emitNativeCall(fc: FuncCompiler, index: number, args: readonly NativeArg[], result: ValType | undefined): void {
  const m = fc.m;
  const classes = args.map((a) => (a.kind === 'val' ? argClass(a.v.type, fc.floatAbi) : 'w32' as const));
  const layout = wasmLayout(classes);
  if (layout.stackBytes > 0) m.subSp(layout.stackBytes);
  for (let i = 0; i < args.length; i++) {
    const loc = layout.args[i]!;
    const a = args[i]!;
    if (loc.kind !== 'stack') continue;
    if (a.kind === 'val') {
      const regs = coreRegs(a.v.type, 0);
      fc.loadInto(a.v, a.depth, regs);
      if (regs.kind === 'w64') m.storePairRaw(0, 1, 13, loc.offset);
      else m.storeRaw(0, 13, loc.offset);
    } else {
      if (a.kind === 'imm') m.mov32(0, a.value >>> 0);
      else m.mov(0, Pinned.env);
      m.storeRaw(0, 13, loc.offset);
    }
  }
  for (let i = 0; i < args.length; i++) {
    const loc = layout.args[i]!;
    const a = args[i]!;
    if (loc.kind === 'stack') continue;
    if (a.kind === 'val') {
      switch (loc.kind) {
        case 'gpr': fc.loadInto(a.v, a.depth, { kind: 'w32', r: loc.reg }); break;
        case 'gpr2': fc.loadInto(a.v, a.depth, { kind: 'w64', lo: loc.lo, hi: loc.lo + 1 }); break;
        case 's': fc.loadInto(a.v, a.depth, { kind: 's', s: loc.reg }); break;
        case 'd': fc.loadInto(a.v, a.depth, { kind: 'd', d: loc.reg }); break;
      }
    } else if (loc.kind === 'gpr') {
      if (a.kind === 'imm') m.mov32(loc.reg, a.value >>> 0);
      else m.mov(loc.reg, Pinned.env);
    } else {
      throw new InternalError('32-bit native argument outside a core register');
    }
  }
  fc.callSymbol(index);
  if (layout.stackBytes > 0) m.addSp(layout.stackBytes);
  fc.afterCall();
  if (result !== undefined) fc.pushRegs(result, fc.returnRegs(result));
}

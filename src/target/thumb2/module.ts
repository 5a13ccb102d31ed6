/**
 * Whole-module code generation for Thumb-2: one text holding, in order, the
 * import thunks, the entry trampolines, and every defined function, all
 * reached PC-relatively (docs/abi.md). Produces the AOT writer's input.
 */
import { InternalError } from '../../errors.js';
import type { CompileOptions } from '../../xip/options.js';
import { NATIVE_SYMBOLS } from '../../xip/catalogue.js';
import { cpuInfo } from '../../xip/cpu.js';
import { ValType, type FuncType, type Module } from '../../wasm/types.js';
import type { AotInput } from '../../aot/writer.js';
import { EnvOffset, IMPORT_SIZE, ImportOffset, wasmCallSig, type ArgLoc } from './abi.js';
import type { ModuleContext } from './context.js';
import { Masm, type Label } from './masm.js';
import { buildTarget, compileFunction } from './opt/index.js';
import { FRAME_RECORD_SIZE, pushFrameRecord, unlinkFrameRecord } from './frames.js';
import { emitEntryTrampolines, signatureKey } from '../entries.js';

export interface CodegenStats {
  readonly textBytes: number;
  readonly functions: number;
}

/** Per defined global: 4- or 8-byte cells, each naturally aligned. */
export function layoutGlobals(m: Module): { offsets: number[]; size: number } {
  const offsets: number[] = [];
  let at = 0;
  for (const g of m.globals) {
    const size = g.type.valType === ValType.I64 || g.type.valType === ValType.F64 ? 8 : 4;
    at = (at + size - 1) & ~(size - 1);
    offsets.push(at);
    at += size;
  }
  return { offsets, size: (at + 7) & ~7 };
}

/** Loads slot `i` of the array at `base` into an AAPCS argument location (outgoing area at sp). */
function loadSlotToArg(m: Masm, base: number, i: number, loc: ArgLoc, is64: boolean): void {
  switch (loc.kind) {
    case 'gpr': m.load('w', loc.reg, base, 8 * i); break;
    case 'gpr2': m.load('w', loc.lo, base, 8 * i); m.load('w', loc.lo + 1, base, 8 * i + 4); break;
    case 's': m.vload('s', loc.reg, base, 8 * i); break;
    case 'd': m.vload('d', loc.reg, base, 8 * i); break;
    case 'stack':
      m.load('w', 12, base, 8 * i);
      m.storeRaw(12, 13, loc.offset);
      if (is64) { m.load('w', 12, base, 8 * i + 4); m.storeRaw(12, 13, loc.offset + 4); }
      break;
  }
}

/** Stores an AAPCS location into slot `i` at `base`; `incomingStack` is the sp offset of the caller's stack args. */
function storeArgToSlot(m: Masm, loc: ArgLoc, base: number, i: number, incomingStack: number, is64: boolean): void {
  switch (loc.kind) {
    case 'gpr': m.store('w', loc.reg, base, 8 * i); break;
    case 'gpr2': m.store('w', loc.lo, base, 8 * i); m.store('w', loc.lo + 1, base, 8 * i + 4); break;
    case 's': m.vstore('s', loc.reg, base, 8 * i); break;
    case 'd': m.vstore('d', loc.reg, base, 8 * i); break;
    case 'stack':
      m.load('w', 12, 13, incomingStack + loc.offset);
      m.store('w', 12, base, 8 * i);
      if (is64) { m.load('w', 12, 13, incomingStack + loc.offset + 4); m.store('w', 12, base, 8 * i + 4); }
      break;
  }
}

const is64 = (t: ValType): boolean => t === ValType.I64 || t === ValType.F64;

/**
 * void entry(xw_exec_env *env, uint64_t *slots, const void *code)  (docs/abi.md §3)
 * r4 = slots, r5 = code, r6 = env across the call.
 */
function emitEntryTrampoline(m: Masm, t: FuncType, floatAbi: 'soft' | 'hard'): void {
  const sig = wasmCallSig(t.params, t.results, floatAbi);
  m.a.push((1 << 4) | (1 << 5) | (1 << 6) | (1 << 14));
  m.mov(4, 1);
  m.mov(5, 2);
  m.mov(6, 0);
  const stackBytes = sig.layout.stackBytes;
  if (stackBytes > 0) m.subSp(stackBytes);
  for (let i = 0; i < t.params.length; i++) {
    const loc = sig.layout.args[i + 1]!;
    if (loc.kind === 'stack') loadSlotToArg(m, 4, i, loc, is64(t.params[i]!));
  }
  if (sig.resultsPtrArg >= 0) {
    const loc = sig.layout.args[sig.resultsPtrArg]!;
    if (loc.kind === 'gpr') m.mov(loc.reg, 4);
    else if (loc.kind === 'stack') m.storeRaw(4, 13, loc.offset);
    else throw new InternalError('results pointer in a VFP register');
  }
  for (let i = 0; i < t.params.length; i++) {
    const loc = sig.layout.args[i + 1]!;
    if (loc.kind !== 'stack') loadSlotToArg(m, 4, i, loc, is64(t.params[i]!));
  }
  m.mov(0, 6);
  m.blx(5);
  if (stackBytes > 0) m.addSp(stackBytes);
  if (sig.result) storeArgToSlot(m, sig.result, 4, 0, 0, is64(t.results[0]!));
  m.a.pop((1 << 4) | (1 << 5) | (1 << 6) | (1 << 15));
  m.spAdjust = 0;
}

/**
 * The compiled-convention face of import `index` (docs/abi.md §4): spill the
 * arguments to slots, call imports[index].fn(entry.env, slots, entry.data),
 * return the results. With `frameRecord` (--enable-dump-call-stack), a frame
 * record pushed above the slots names the import while its host function runs.
 */
function emitImportThunk(m: Masm, t: FuncType, index: number, floatAbi: 'soft' | 'hard', frameRecord: boolean): void {
  const sig = wasmCallSig(t.params, t.results, floatAbi);
  const n = Math.max(t.params.length, t.results.length, 1);
  const area = (8 * n + 7) & ~7;
  const record = frameRecord ? FRAME_RECORD_SIZE : 0;
  m.a.push((1 << 4) | (1 << 5) | (1 << 6) | (1 << 14));
  m.mov(6, 0);
  if (frameRecord) pushFrameRecord(m, 6, index);
  m.subSp(area);
  m.spAdjust = 0; // the slot area is addressed from the new sp
  const incoming = area + 16 + record;
  for (let i = 0; i < t.params.length; i++) {
    storeArgToSlot(m, sig.layout.args[i + 1]!, 13, i, incoming, is64(t.params[i]!));
  }
  if (sig.resultsPtrArg >= 0) {
    const loc = sig.layout.args[sig.resultsPtrArg]!;
    if (loc.kind === 'gpr') m.mov(5, loc.reg);
    else if (loc.kind === 'stack') m.load('w', 5, 13, incoming + loc.offset);
  }
  m.load('w', 4, 6, EnvOffset.imports);
  if (index > 0) m.addImm(4, 4, IMPORT_SIZE * index);
  m.load('w', 0, 4, ImportOffset.env);
  m.mov(1, 13);
  m.load('w', 2, 4, ImportOffset.data);
  m.load('w', 12, 4, ImportOffset.fn);
  m.blx(12);
  if (sig.result) {
    const loc = sig.result;
    switch (loc.kind) {
      case 'gpr': m.load('w', 0, 13, 0); break;
      case 'gpr2': m.load('w', 0, 13, 0); m.load('w', 1, 13, 4); break;
      case 's': m.vload('s', loc.reg, 13, 0); break;
      case 'd': m.vload('d', loc.reg, 13, 0); break;
      case 'stack': throw new InternalError('result on the stack');
    }
  } else if (sig.resultsPtrArg >= 0) {
    for (let k = 0; k < t.results.length; k++) {
      m.load('w', 0, 13, 8 * k);
      m.store('w', 0, 5, 8 * k);
      m.load('w', 0, 13, 8 * k + 4);
      m.store('w', 0, 5, 8 * k + 4);
    }
  }
  if (frameRecord) unlinkFrameRecord(m, 6, area);
  m.spAdjust = area + record;
  m.addSp(area + record);
  m.a.pop((1 << 4) | (1 << 5) | (1 << 6) | (1 << 15));
}

/**
 * Whether no call made by this module's code can grow its memory: the module
 * has no `memory.grow` (a conservative byte search of the code for 0x40 0x00),
 * imports nothing (so no foreign code or function reference can get in) and
 * exports no table or funcref global (through which another instance could
 * plant one). Then the memory registers need no reload after calls.
 */
export function memoryStableAcrossCalls(m: Module): boolean {
  if (m.imports.length > 0) return false;
  // through an exported table, or an exported funcref global that code may put into a table
  if (m.exports.some((e) => e.kind === 'table' || (e.kind === 'global' && m.globalTypes[e.index]?.valType === ValType.FuncRef))) {
    return false;
  }
  const first = m.codes[0];
  const last = m.codes[m.codes.length - 1];
  if (first === undefined || last === undefined) return true;
  const b = m.bytes;
  for (let i = first.codeStart; i + 1 < last.codeEnd; i++) {
    if (b[i] === 0x40 && b[i + 1] === 0x00) return false;
  }
  return true;
}

/**
 * One defined function's code, compiled apart from the others (docs/compiler.md, "Functions compiled apart"): its
 * bytes are the same wherever the function lands, as long as it starts 4-aligned, except for the BLs to other
 * functions, which `assembleModule` patches. So any set of threads can compile any share of the functions, and the
 * module comes out byte for byte the same.
 */
export interface FunctionCode {
  readonly funcIndex: number;
  /** the code, islands included; BLs to other functions hold placeholders */
  readonly code: Uint8Array;
  /** pairs (byte offset in `code` of a BL, index of the function it calls) */
  readonly calls: Int32Array;
  /** native symbols the code calls, ascending */
  readonly symbols: readonly number[];
}

/** What compiling any function of a module reads; the same in every thread that compiles some of them. */
function moduleContext(module: Module, options: CompileOptions, funcLabels: readonly Label[]): ModuleContext {
  const funcrefIndex = new Map<number, number>();
  [...module.declaredFuncRefs].sort((a, b) => a - b).forEach((f, k) => funcrefIndex.set(f, k));
  return {
    module, options, floatAbi: options.floatAbi, funcLabels, globalOffsets: layoutGlobals(module).offsets, funcrefIndex,
    symbolsUsed: new Set<number>(),
    memoryStable: memoryStableAcrossCalls(module),
  };
}

/**
 * Compiles the defined functions `funcs` of a module that passed validateModule (in this thread or another, on the
 * same bytes), each apart from the others. The results depend only on the module, the options and the function.
 */
export function compileFunctions(module: Module, options: CompileOptions, funcs: Iterable<number>): FunctionCode[] {
  const m = new Masm(undefined, cpuInfo(options.cpu).fpu === 'dp');
  const buf = m.a.buf;
  const nFuncs = module.funcTypeIndices.length;
  const firstLabel = nFuncs > 0 ? buf.externalLabel() : 0;
  const labels: Label[] = [firstLabel as Label];
  for (let i = 1; i < nFuncs; i++) labels.push(buf.externalLabel());
  const ctx = moduleContext(module, options, labels);
  const target = buildTarget(ctx);
  const out: FunctionCode[] = [];
  for (const f of funcs) {
    if (!(f >= module.numImportedFuncs && f < nFuncs)) throw new InternalError(`function ${f} is not a defined function`);
    m.align(4);
    buf.beginIndependent();
    const start = m.offset;
    // its own entry is an ordinary label, so that a recursive call is resolved here, PC-relatively
    labels[f] = m.newLabel();
    ctx.symbolsUsed.clear();
    compileFunction(m, ctx, target, f);
    labels[f] = (firstLabel + f) as Label;
    const uses = buf.takeExternalUses();
    const calls = new Int32Array(2 * uses.length);
    uses.forEach((u, k) => {
      if (u.kind !== 'bl') throw new InternalError(`function ${f}: ${u.kind} to another function`);
      calls[2 * k] = u.use - start;
      calls[2 * k + 1] = u.label - firstLabel;
    });
    const symbols = [...ctx.symbolsUsed].sort((a, b) => a - b);
    out.push({ funcIndex: f, code: buf.bytes.slice(start, m.offset), calls, symbols });
  }
  return out;
}

/**
 * The module's text and the AOT writer's input from the code of every defined function (`codes[k]` for function
 * numImportedFuncs + k, as compileFunctions made it): import thunks, entry trampolines, then the functions in order.
 */
export function assembleModule(module: Module, options: CompileOptions, codes: readonly FunctionCode[]): { aot: AotInput; stats: CodegenStats } {
  const m = new Masm(undefined, cpuInfo(options.cpu).fpu === 'dp');
  const nFuncs = module.funcTypeIndices.length;
  if (codes.length !== nFuncs - module.numImportedFuncs) {
    throw new InternalError(`${codes.length} compiled functions for ${nFuncs - module.numImportedFuncs} defined ones`);
  }
  const funcLabels: Label[] = [];
  for (let i = 0; i < nFuncs; i++) funcLabels.push(m.newLabel());
  const globals = layoutGlobals(module);
  const funcrefList = [...module.declaredFuncRefs].sort((a, b) => a - b);

  const funcCodeOffsets: number[] = new Array<number>(nFuncs).fill(0);
  for (let i = 0; i < module.numImportedFuncs; i++) {
    m.align(4);
    m.bind(funcLabels[i]!);
    funcCodeOffsets[i] = m.offset;
    emitImportThunk(m, module.types[module.funcTypeIndices[i]!]!, i, options.floatAbi, options.dumpCallStack);
  }

  // entry trampolines for the functions the runtime calls: exports and the start function
  const funcEntryOffsets = emitEntryTrampolines(module, signatureKey, (t) => {
    m.align(4);
    const at = m.offset;
    emitEntryTrampoline(m, t, options.floatAbi);
    return at;
  });
  // the thunks and trampolines end in a return, so what they left pending may go right here
  m.flushIsland();

  const buf = m.a.buf;
  const symbolsUsed = new Set<number>();
  for (let k = 0; k < codes.length; k++) {
    const c = codes[k]!;
    const f = c.funcIndex;
    if (f !== module.numImportedFuncs + k) throw new InternalError(`compiled function ${f} in the place of ${module.numImportedFuncs + k}`);
    m.align(4);
    const start = m.offset;
    funcCodeOffsets[f] = start;
    m.bind(funcLabels[f]!);
    buf.putBytes(c.code);
    for (const s of c.symbols) symbolsUsed.add(s);
  }
  // the calls between functions once every function is placed: each BL is patched at once, where a forward one
  // would otherwise wait on its label (a fixup, a deadline) until its callee is bound
  for (const c of codes) {
    const start = funcCodeOffsets[c.funcIndex]!;
    for (let k = 0; k < c.calls.length; k += 2) buf.useLabelAtOffset(start + c.calls[k]!, funcLabels[c.calls[k + 1]!]!, 'bl');
  }
  const finished = m.finish();
  if (finished.relocationCount !== 0) throw new InternalError(`code buffer reports ${finished.relocationCount} relocations`);
  const nativeSymbols = [...symbolsUsed].sort((a, b) => a - b).map((index) => {
    const s = NATIVE_SYMBOLS[index];
    if (!s) throw new InternalError(`no native symbol ${index}`);
    return { index, name: s.symbol };
  });
  const aot: AotInput = {
    target: options.target, cpu: options.cpu, floatAbi: options.floatAbi,
    flags: { xip: options.xip, callsViaTable: options.callsViaTable, constop: options.intrinsics.constantTable.size > 0 },
    module, text: finished.code, funcCodeOffsets, funcEntryOffsets, funcrefList,
    globalOffsets: globals.offsets, globalsSize: globals.size, nativeSymbols, relocations: finished.relocationCount,
    linksFrames: options.dumpCallStack,
  };
  return { aot, stats: { textBytes: finished.code.length, functions: nFuncs - module.numImportedFuncs } };
}

/** Every defined function, in index order. */
export function definedFunctions(module: Module): number[] {
  const out: number[] = [];
  for (let f = module.numImportedFuncs; f < module.funcTypeIndices.length; f++) out.push(f);
  return out;
}

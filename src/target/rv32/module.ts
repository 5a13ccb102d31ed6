/**
 * Whole-module code generation for RV32 (docs/riscv.md): one text holding, in order, the import thunks, the entry
 * trampolines and every defined function, all reached PC-relatively (jal / auipc pairs) or through exec_env's
 * tables, so the AOT file has zero relocations. Each function goes Wasm → IR (src/ir: soft-float under ilp32;
 * under ilp32f f32 in F registers and f64 in core words, as on a Cortex-M4) → the neutral passes → allocation and
 * RV32 (emit.ts). There is no second tier: a function the IR does not take
 * is an UnsupportedError naming the reason and the function.
 *
 * The functions are compiled in one code buffer, in order (not apart as on Thumb-2), so calls between them are
 * ordinary label uses.
 */
import { EnvOffset, FRAME_RECORD_SIZE, IMPORT_SIZE, ImportOffset } from '../../abi.js';
import type { AotInput } from '../../aot/writer.js';
import { InternalError, UnsupportedError } from '../../errors.js';
import { buildIr, type BuildTarget } from '../../ir/build.js';
import { NotInTier, type IrFunc, type WordClass } from '../../ir/ir.js';
import { optimizeIr } from '../../ir/passes.js';
import { ValType, type FuncType, type Module } from '../../wasm/types.js';
import { NATIVE_SYMBOLS } from '../../xip/catalogue.js';
import { emitEntryTrampolines } from '../entries.js';
import { cpuInfo } from '../../xip/cpu.js';
import type { CompileOptions } from '../../xip/options.js';
import { intrinsicFor } from '../../xip/policy.js';
import type { Label } from '../buffer.js';
import { layoutGlobals, memoryStableAcrossCalls, type CodegenStats } from '../thumb2/module.js';
import { Rv32Emitter, rv32IrTarget, type Rv32Context } from './emit.js';
import { SImm12 } from './imm.js';
import { Rv32Masm } from './macro.js';
import { Rv32Assembler } from './masm.js';
import { rv32Layout } from './moves.js';
import { A0, A1, A2, RA, S0, SP, T0, T1, freg, xreg } from './regs.js';

const FA0 = freg(10);

function unsupported(what: string): never {
  throw new UnsupportedError(`RV32: ${what}`, -1);
}

/** The class a value of type t travels as: ilp32f (`hard`) passes an f32 in F registers, everything else in words. */
const classOfType = (t: ValType, hard: boolean): WordClass =>
  (t === ValType.I64 || t === ValType.F64 ? 'w64' : hard && t === ValType.F32 ? 'f32' : 'w32');

/** The 32-bit words of each value of a type list, as (value index, word) pairs, in argument order. */
function words(types: readonly ValType[]): { i: number; w: number }[] {
  const out: { i: number; w: number }[] = [];
  types.forEach((t, i) => {
    out.push({ i, w: 0 });
    if (classOfType(t, false) === 'w64') out.push({ i, w: 1 });
  });
  return out;
}

function frameStep(m: Rv32Masm, bytes: number): void {
  const v = SImm12.tryFrom(bytes);
  if (v === undefined) unsupported(`a boundary frame of ${Math.abs(bytes)} bytes`);
  m.a.addi(SP, SP, v);
}

/**
 * void entry(xw_exec_env *env, uint64_t *slots, const void *code) (docs/abi.md §3): the parameters from the slots
 * into their places, code(env, ...), the result back into slots[0]. s0 keeps the slots across the call.
 */
function emitEntryTrampoline(m: Rv32Masm, t: FuncType, hard: boolean): void {
  // two or more results: the callee stores them into the slots, whose address follows the params
  const multi = t.results.length > 1;
  const lay = rv32Layout(['w32', ...t.params.map((p) => classOfType(p, hard)), ...(multi ? ['w32' as const] : [])]);
  const size = lay.stackBytes + 16;
  frameStep(m, -size);
  m.sw(RA, SP, size - 4);
  m.sw(S0, SP, size - 8);
  m.a.mv(S0, A1);
  m.a.mv(T1, A2);
  words(t.params).forEach((x, k) => {
    const p = lay.words[k + 1]!;
    const at = 8 * x.i + 4 * x.w;
    if (p.k === 'reg') m.lw(xreg(p.r), S0, at);
    else if (p.k === 'freg') m.flw(freg(p.r), S0, at);
    else if (p.k === 'frame') { m.lw(T0, S0, at); m.sw(T0, SP, p.off); } else throw new InternalError('argument place');
  });
  if (multi) {
    const p = lay.words[lay.words.length - 1]!;
    if (p.k === 'reg') m.a.mv(xreg(p.r), S0);
    else if (p.k === 'frame') m.sw(S0, SP, p.off);
  }
  m.jalr(T1);
  if (t.results.length === 1) {
    const c = classOfType(t.results[0]!, hard);
    if (c === 'f32') m.fsw(FA0, S0, 0);
    else m.sw(A0, S0, 0);
    if (c === 'w64') m.sw(A1, S0, 4);
  }
  m.lw(S0, SP, size - 8);
  m.lw(RA, SP, size - 4);
  frameStep(m, size);
  m.a.ret();
}

/**
 * The compiled-convention face of import `index` (docs/abi.md §4): the arguments into slots on the stack, then
 * imports[index].fn(imports[index].env, slots, imports[index].data), the result from slots[0].
 */
function emitImportThunk(m: Rv32Masm, t: FuncType, index: number, hard: boolean, record: boolean): void {
  // two or more results: the host fills the slots, and they are copied to the caller's (address after the params)
  const multi = t.results.length > 1;
  const lay = rv32Layout(['w32', ...t.params.map((p) => classOfType(p, hard)), ...(multi ? ['w32' as const] : [])]);
  const area = 8 * Math.max(t.params.length, t.results.length, 1);
  // ra, s0, then with --enable-dump-call-stack the frame record and exec_env for its unlink after the call
  const size = (area + 8 + (record ? FRAME_RECORD_SIZE + 4 : 0) + 15) & ~15;
  const at = size - 8 - FRAME_RECORD_SIZE;
  frameStep(m, -size);
  m.sw(RA, SP, size - 4);
  m.sw(S0, SP, size - 8);
  if (record) {
    m.pushFrameRecord(A0, index, at);
    m.sw(A0, SP, at - 4);
  }
  if (multi) {
    const p = lay.words[lay.words.length - 1]!;
    if (p.k === 'reg') m.a.mv(S0, xreg(p.r));
    else if (p.k === 'frame') m.lw(S0, SP, size + p.off);
  }
  words(t.params).forEach((x, k) => {
    const p = lay.words[k + 1]!;
    const at = 8 * x.i + 4 * x.w;
    if (p.k === 'reg') m.sw(xreg(p.r), SP, at);
    else if (p.k === 'freg') m.fsw(freg(p.r), SP, at);
    else if (p.k === 'frame') { m.lw(T0, SP, size + p.off); m.sw(T0, SP, at); } else throw new InternalError('argument place');
  });
  m.loadEnv(T0, A0, EnvOffset.imports);
  m.addConst(T0, T0, IMPORT_SIZE * index, T1);
  m.lw(A2, T0, ImportOffset.data);
  m.lw(T1, T0, ImportOffset.fn);
  m.lw(A0, T0, ImportOffset.env);
  m.a.mv(A1, SP);
  m.jalr(T1);
  if (record) {
    m.lw(T1, SP, at - 4);
    m.unlinkFrameRecord(T1, at, T0);
  }
  if (t.results.length === 1) {
    const c = classOfType(t.results[0]!, hard);
    if (c === 'f32') m.flw(FA0, SP, 0);
    else m.lw(A0, SP, 0);
    if (c === 'w64') m.lw(A1, SP, 4);
  } else if (multi) {
    for (let k = 0; k < 2 * t.results.length; k++) {
      m.lw(T0, SP, 4 * k);
      m.sw(T0, S0, 4 * k);
    }
  }
  m.lw(S0, SP, size - 8);
  m.lw(RA, SP, size - 4);
  frameStep(m, size);
  m.a.ret();
}

/** The text is past jal's reach (±1 MiB) only for large modules: their calls use auipc + jalr. */
const NEAR_CALLS_CODE_BYTES = 65536;

/** The AOT writer's input for `module` (validated) compiled for an RV32 core. */
export function compileRv32Module(module: Module, options: CompileOptions): { aot: AotInput; stats: CodegenStats } {
  const cpu = cpuInfo(options.cpu);
  const hasM = cpu.rvExtensions.includes('m');
  // ilp32f (resolveTarget refuses it without F)
  const hard = options.floatAbi === 'hard';
  const m = new Rv32Masm(new Rv32Assembler(cpu.rvExtensions.includes('c')));
  const buf = m.a.buf;
  const nFuncs = module.funcTypeIndices.length;
  const funcLabels: Label[] = [];
  for (let f = 0; f < nFuncs; f++) funcLabels.push(buf.getLabel());
  const globals = layoutGlobals(module);
  const funcCodeOffsets: number[] = new Array<number>(nFuncs).fill(0);
  const typeOf = (f: number): FuncType => module.types[module.funcTypeIndices[f]!]!;
  // the order of the funcref list in the AOT file: ref.func k is entry k
  const funcrefList = [...module.declaredFuncRefs].sort((a, b) => a - b);

  for (let f = 0; f < module.numImportedFuncs; f++) {
    buf.alignTo(4);
    buf.bindLabel(funcLabels[f]!);
    funcCodeOffsets[f] = buf.offset;
    emitImportThunk(m, typeOf(f), f, hard, options.dumpCallStack);
  }
  // entry trampolines for the functions the runtime calls: exports and the start function, one per signature
  const cls = (t: ValType): WordClass => classOfType(t, hard);
  const classKey = (t: FuncType): string => `${t.params.map(cls).join(',')}>${t.results.map(cls).join(',')}`;
  const funcEntryOffsets = emitEntryTrampolines(module, classKey, (t) => {
    buf.alignTo(4);
    const at = buf.offset;
    emitEntryTrampoline(m, t, hard);
    return at;
  });
  if (buf.hasPendingIslandContent()) buf.emitIsland(false);

  let codeBytes = 0;
  for (const c of module.codes) codeBytes += c.codeEnd - c.codeStart;
  const ctx: Rv32Context = {
    module, funcLabels, symbolsUsed: new Set<number>(), callsViaTable: options.callsViaTable,
    farCalls: codeBytes > NEAR_CALLS_CODE_BYTES, hasM, hardFloat: hard, frameRecords: options.dumpCallStack,
  };
  const isa = rv32IrTarget(hasM);
  // ilp32f: f32 in F registers, whose fmin/fmax and conversions give min/max and the roundings inline
  // (emit-float.ts); f64 in core words through the runtime, passed as the ABI passes it, in core registers
  const target: BuildTarget = {
    isa, module, softFloat: !hard, fpu: hard ? 'sp' : 'none', fpuRound: hard ? 'sp' : 'none', f64InCoreWords: true,
    intrinsic: (operator) => intrinsicFor(operator, options.intrinsics)?.index,
    intrinsicCache: new Map(), memoryStable: memoryStableAcrossCalls(module), globalOffsets: globals.offsets,
    funcrefIndex: new Map(funcrefList.map((f, k) => [f, k])),
  };
  for (let f = module.numImportedFuncs; f < nFuncs; f++) {
    buf.alignTo(4);
    funcCodeOffsets[f] = buf.offset;
    let ir: IrFunc;
    try {
      ir = optimizeIr(buildIr(target, f), isa);
    } catch (e) {
      if (e instanceof NotInTier) unsupported(`function ${f}: ${e.message}`);
      throw e;
    }
    try {
      new Rv32Emitter(m, ctx, ir).emit(funcLabels[f]!, f);
    } catch (e) {
      if (e instanceof UnsupportedError) unsupported(`function ${f}: ${e.detail.replace(/^RV32: /, '')}`);
      if (e instanceof NotInTier) unsupported(`function ${f}: ${e.message}`);
      throw e;
    }
  }
  const finished = buf.finish();
  if (finished.relocationCount !== 0) throw new InternalError(`code buffer reports ${finished.relocationCount} relocations`);
  const nativeSymbols = [...ctx.symbolsUsed].sort((a, b) => a - b).map((index) => {
    const s = NATIVE_SYMBOLS[index];
    if (!s) throw new InternalError(`no native symbol ${index}`);
    return { index, name: s.symbol };
  });
  const aot: AotInput = {
    target: options.target, cpu: options.cpu, floatAbi: options.floatAbi,
    flags: { xip: options.xip, callsViaTable: options.callsViaTable, constop: false },
    module, text: finished.code, funcCodeOffsets, funcEntryOffsets,
    funcrefList,
    globalOffsets: globals.offsets, globalsSize: globals.size, nativeSymbols, relocations: finished.relocationCount,
    linksFrames: options.dumpCallStack,
  };
  const functions = nFuncs - module.numImportedFuncs;
  return { aot, stats: { textBytes: finished.code.length, functions } };
}

/**
 * Whole-module code generation for ARMv6-M (Cortex-M0/M0+), the Thumb-1 counterpart of
 * src/target/thumb2/module.ts: import thunks, entry trampolines, then every defined function through the
 * target-neutral IR and the Thumb-1 emitter (emit.ts). Functions are compiled apart (docs/compiler.md,
 * "Functions compiled apart"), so `--jobs` splits them as it does for Thumb-2 and the image is the same for
 * any split.
 */
import type { AotInput } from '../../aot/writer.js';
import { InternalError, UnsupportedError } from '../../errors.js';
import { buildIr, type BuildTarget } from '../../ir/build.js';
import { NotInTier } from '../../ir/ir.js';
import { NATIVE_SYMBOLS, helperIndex } from '../../xip/catalogue.js';
import type { CompileOptions } from '../../xip/options.js';
import { intrinsicFor } from '../../xip/policy.js';
import type { Module } from '../../wasm/types.js';
import type { Label } from '../buffer.js';
import { emitEntryTrampolines, signatureKey } from '../entries.js';
import { layoutGlobals, memoryStableAcrossCalls, type CodegenStats, type FunctionCode } from '../thumb2/module.js';
import { Thumb1Assembler } from './asm.js';
import { FuncEmitter, THUMB1_IR_TARGET, type Thumb1Context } from './emit.js';
import { emitEntryTrampoline, emitImportThunk } from './glue.js';
import { Thumb1Masm } from './masm.js';

function buildTarget(module: Module, options: CompileOptions): BuildTarget {
  const intrinsics = options.intrinsics;
  return {
    isa: THUMB1_IR_TARGET, module, softFloat: true, fpu: 'none', fpuRound: 'none',
    intrinsic: (operator) => intrinsicFor(operator, intrinsics)?.index,
    intrinsicCache: new Map(),
    memoryStable: memoryStableAcrossCalls(module),
    globalOffsets: layoutGlobals(module).offsets,
    // a funcref's index in the image's descriptor list (funcrefList below)
    funcrefIndex: new Map([...module.declaredFuncRefs].sort((x, y) => x - y).map((f, k) => [f, k])),
  };
}

/** What ARMv6-M code generation does not take yet, whatever the functions hold. */
function checkOptions(options: CompileOptions): void {
  if (options.dumpCallStack) throw new UnsupportedError('Thumb-1 (cortex-m0/m0plus): --enable-dump-call-stack (frame records) is not implemented for ARMv6-M yet', -1);
}

/**
 * Compiles the defined functions `funcs` of a validated module, each apart from the others (the Thumb-1 side of
 * compileSomeFunctions). A function the IR builder cannot take is an UnsupportedError naming it and the reason:
 * there is no second code generator for ARMv6-M.
 */
export function compileFunctionsThumb1(module: Module, options: CompileOptions, funcs: Iterable<number>): FunctionCode[] {
  checkOptions(options);
  const a = new Thumb1Assembler();
  const m = new Thumb1Masm(a);
  const buf = a.buf;
  const nFuncs = module.funcTypeIndices.length;
  const firstLabel = nFuncs > 0 ? buf.externalLabel() : 0;
  const labels: Label[] = [firstLabel as Label];
  for (let i = 1; i < nFuncs; i++) labels.push(buf.externalLabel());
  const target = buildTarget(module, options);
  const symbols = new Set<number>();
  const ctx: Thumb1Context = {
    module, funcLabels: labels, symbols,
    callsViaTable: options.callsViaTable,
    constop: options.intrinsics.constantTable.size > 0,
  };
  const out: FunctionCode[] = [];
  for (const f of funcs) {
    if (!(f >= module.numImportedFuncs && f < nFuncs)) throw new InternalError(`function ${f} is not a defined function`);
    let ir;
    try {
      ir = buildIr(target, f);
    } catch (e) {
      if (e instanceof NotInTier) throw new UnsupportedError(`Thumb-1 (cortex-m0/m0plus): function ${f}: ${e.message}`, module.codes[f - module.numImportedFuncs]?.codeStart ?? -1);
      throw e;
    }
    buf.alignTo(4);
    buf.beginIndependent();
    const start = a.offset;
    labels[f] = a.newLabel();
    symbols.clear();
    new FuncEmitter(m, ctx, ir).emit(labels[f]!);
    labels[f] = (firstLabel + f) as Label;
    const uses = buf.takeExternalUses();
    const calls = new Int32Array(2 * uses.length);
    uses.forEach((u, k) => {
      if (u.kind !== 'bl') throw new InternalError(`function ${f}: ${u.kind} to another function`);
      calls[2 * k] = u.use - start;
      calls[2 * k + 1] = u.label - firstLabel;
    });
    out.push({ funcIndex: f, code: buf.bytes.slice(start, a.offset), calls, symbols: [...symbols].sort((x, y) => x - y) });
  }
  return out;
}

/** The text and the AOT writer's input from every defined function's code (the Thumb-1 side of assembleModule). */
export function assembleModuleThumb1(module: Module, options: CompileOptions, codes: readonly FunctionCode[]): { aot: AotInput; stats: CodegenStats } {
  checkOptions(options);
  const a = new Thumb1Assembler();
  const buf = a.buf;
  const nFuncs = module.funcTypeIndices.length;
  if (codes.length !== nFuncs - module.numImportedFuncs) {
    throw new InternalError(`${codes.length} compiled functions for ${nFuncs - module.numImportedFuncs} defined ones`);
  }
  const funcLabels: Label[] = [];
  for (let i = 0; i < nFuncs; i++) funcLabels.push(a.newLabel());
  const funcCodeOffsets: number[] = new Array<number>(nFuncs).fill(0);
  const symbolsUsed = new Set<number>([helperIndex('xw_trap')]);
  for (let i = 0; i < module.numImportedFuncs; i++) {
    buf.alignTo(4);
    a.bind(funcLabels[i]!);
    funcCodeOffsets[i] = a.offset;
    a.lrSaved = false;
    emitImportThunk(a, module.types[module.funcTypeIndices[i]!]!, i);
  }
  const funcEntryOffsets = emitEntryTrampolines(module, signatureKey, (t) => {
    buf.alignTo(4);
    const at = a.offset;
    a.lrSaved = false;
    emitEntryTrampoline(a, t);
    return at;
  });
  a.flushIsland();
  for (let k = 0; k < codes.length; k++) {
    const c = codes[k]!;
    const f = c.funcIndex;
    if (f !== module.numImportedFuncs + k) throw new InternalError(`compiled function ${f} in the place of ${module.numImportedFuncs + k}`);
    buf.alignTo(4);
    const start = a.offset;
    funcCodeOffsets[f] = start;
    a.bind(funcLabels[f]!);
    buf.putBytes(c.code);
    for (let j = 0; j < c.calls.length; j += 2) buf.useLabelAtOffset(start + c.calls[j]!, funcLabels[c.calls[j + 1]!]!, 'bl');
    for (const s of c.symbols) symbolsUsed.add(s);
  }
  const finished = a.finish();
  if (finished.relocationCount !== 0) throw new InternalError(`code buffer reports ${finished.relocationCount} relocations`);
  const globals = layoutGlobals(module);
  const nativeSymbols = [...symbolsUsed].sort((x, y) => x - y).map((index) => {
    const s = NATIVE_SYMBOLS[index];
    if (!s) throw new InternalError(`no native symbol ${index}`);
    return { index, name: s.symbol };
  });
  const aot: AotInput = {
    target: options.target, cpu: options.cpu, floatAbi: 'soft',
    flags: { xip: options.xip, callsViaTable: options.callsViaTable, constop: options.intrinsics.constantTable.size > 0 },
    module, text: finished.code, funcCodeOffsets, funcEntryOffsets,
    funcrefList: [...module.declaredFuncRefs].sort((x, y) => x - y),
    globalOffsets: globals.offsets, globalsSize: globals.size, nativeSymbols, relocations: finished.relocationCount,
  };
  const functions = nFuncs - module.numImportedFuncs;
  return { aot, stats: { textBytes: finished.code.length, functions } };
}

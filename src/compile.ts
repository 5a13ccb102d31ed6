/**
 * The library entry point: WebAssembly bytes in, an XIP AOT image out.
 * Pure (no I/O), so it runs in Node and in browsers alike.
 */
import { parseModule } from './wasm/index.js';
import type { Module } from './wasm/types.js';
import { requireCodegen, resolveCompileOptions, type CompileOptions, type RawCompileOptions } from './xip/options.js';
import { assembleModule, compileFunctions, definedFunctions, type CodegenStats, type FunctionCode } from './target/thumb2/module.js';
import { writeAot, type AotInput } from './aot/writer.js';
import { compileRv32Module } from './target/rv32/module.js';
import { assembleModuleThumb1, compileFunctionsThumb1 } from './target/thumb1/module.js';
import { cpuInfo } from './xip/cpu.js';

export { definedFunctions, type FunctionCode } from './target/thumb2/module.js';

export interface CompileResult {
  /** the AOT file */
  readonly image: Uint8Array;
  readonly options: CompileOptions;
  readonly module: Module;
  readonly stats: CodegenStats;
  /** native symbols the text calls, by index and name */
  readonly nativeSymbols: AotInput['nativeSymbols'];
  readonly relocations: number;
}

/** ARMv6-M (Cortex-M0/M0+): the Thumb-1 back end (src/target/thumb1), else Thumb-2. */
function thumb1(options: CompileOptions): boolean {
  return !cpuInfo(options.cpu).thumb2 && cpuInfo(options.cpu).isa === 'thumb';
}

/** Compiles already-resolved options (the CLI resolves them to report errors early). */
export function compileWithOptions(bytes: Uint8Array, options: CompileOptions): CompileResult {
  requireCodegen(options);
  const module = parseModule(bytes);
  return assembleFunctions(module, options, compileSomeFunctions(module, options, definedFunctions(module)));
}

const isRv32 = (options: CompileOptions): boolean => cpuInfo(options.cpu).isa === 'rv32';

/**
 * The first half of compileWithOptions, for a caller that spreads the functions over threads (the CLI's --jobs):
 * compiles the defined functions `funcs` of `module`, which must have passed validateModule (in any thread, from the
 * same bytes: decodeModule alone is then enough). Each function's code depends only on the module, the options and
 * the function, never on which others were compiled with it.
 */
export function compileSomeFunctions(module: Module, options: CompileOptions, funcs: Iterable<number>): FunctionCode[] {
  requireCodegen(options);
  // RV32 compiles the module in one piece, in assembleFunctions (src/target/rv32/module.ts)
  if (isRv32(options)) return [];
  return thumb1(options) ? compileFunctionsThumb1(module, options, funcs) : compileFunctions(module, options, funcs);
}

/**
 * The second half: the result from every defined function's code (`codes[k]` for function numImportedFuncs + k,
 * from any split of compileSomeFunctions calls), byte-identical to compileWithOptions's.
 */
export function assembleFunctions(module: Module, options: CompileOptions, codes: readonly FunctionCode[]): CompileResult {
  const { aot, stats } = isRv32(options) ? compileRv32Module(module, options)
    : thumb1(options) ? assembleModuleThumb1(module, options, codes) : assembleModule(module, options, codes);
  const image = writeAot(aot);
  return { image, options, module, stats, nativeSymbols: aot.nativeSymbols, relocations: aot.relocations };
}

/** Compiles a module with wamrc-style options (`{ cpu: 'cortex-m3', xip: true, ... }`). */
export function compileModule(bytes: Uint8Array, raw: RawCompileOptions): CompileResult {
  return compileWithOptions(bytes, resolveCompileOptions(raw));
}

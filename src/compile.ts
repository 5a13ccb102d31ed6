/**
 * The library entry point: WebAssembly bytes in, an XIP AOT image out.
 * Pure (no I/O), so it runs in Node and in browsers alike.
 */
import { parseModule } from './wasm/index.js';
import type { Module } from './wasm/types.js';
import { requireCodegen, resolveCompileOptions, type CompileOptions, type RawCompileOptions } from './xip/options.js';
import { generateModule, type CodegenStats } from './target/thumb2/module.js';
import { writeAot, type AotInput } from './aot/writer.js';

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

/** Compiles already-resolved options (the CLI resolves them to report errors early). */
export function compileWithOptions(bytes: Uint8Array, options: CompileOptions): CompileResult {
  requireCodegen(options);
  const module = parseModule(bytes);
  const { aot, stats } = generateModule(module, options);
  const image = writeAot(aot);
  return { image, options, module, stats, nativeSymbols: aot.nativeSymbols, relocations: aot.relocations };
}

/** Compiles a module with wamrc-style options (`{ cpu: 'cortex-m3', xip: true, ... }`). */
export function compileModule(bytes: Uint8Array, raw: RawCompileOptions): CompileResult {
  return compileWithOptions(bytes, resolveCompileOptions(raw));
}

/** xipwasm's public API: compile WebAssembly to XIP AOT images for Cortex-M. */
import { compileModule as compileRaw, type CompileResult } from './compile.js';
import type { CompileModuleOptions } from './xip/options.js';

export { compileWithOptions, type CompileResult } from './compile.js';

/** Compiles a module (`compileModule(bytes, { cpu: 'cortex-m3', xip: true })`): the library entry point, with the
    options typed precisely (the command line goes through RawCompileOptions, checked at run time). */
export function compileModule(bytes: Uint8Array, options: CompileModuleOptions): CompileResult {
  return compileRaw(bytes, options);
}
export { parseModule, decodeModule, validateModule } from './wasm/index.js';
export type { Module } from './wasm/types.js';
export { resolveCompileOptions, type CompileModuleOptions, type CompileOptions, type OptLevel, type RawCompileOptions } from './xip/options.js';
export { CPUS, TARGETS, TARGET_ABIS, type AbiSpelling, type CpuInfo, type CpuName, type FloatAbi, type TargetArch } from './xip/cpu.js';
export { resolveIntrinsics, intrinsicFor } from './xip/policy.js';
export { readAot } from './aot/reader.js';
export { CompileError, DecodeError, ValidationError, UnsupportedError, UsageError, InternalError } from './errors.js';

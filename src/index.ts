/** xipwasm's public API: compile WebAssembly to XIP AOT images for Cortex-M. */
export { compileModule, compileWithOptions, type CompileResult } from './compile.js';
export { parseModule, decodeModule, validateModule } from './wasm/index.js';
export type { Module } from './wasm/types.js';
export { resolveCompileOptions, type CompileOptions, type RawCompileOptions } from './xip/options.js';
export { resolveIntrinsics, intrinsicFor } from './xip/policy.js';
export { readAot } from './aot/reader.js';
export { CompileError, DecodeError, ValidationError, UnsupportedError, UsageError, InternalError } from './errors.js';

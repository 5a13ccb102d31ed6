/** Front end: decode and validate WebAssembly 2.0 binaries (no SIMD). */
import { decodeModule } from './decode.js';
import { validateModule } from './validate.js';
import type { Module } from './types.js';

export * from './types.js';
export * from './opcodes.js';
export { Reader, decodeUtf8 } from './reader.js';
export { OperatorReader, BLOCK_EMPTY, blockTypeValType, readValType, readRefType, type Instr } from './operators.js';
export { decodeModule } from './decode.js';
export { validateModule, validatedMaxStackHeight, FuncValidator } from './validate.js';

/** decodeModule + validateModule; throws only CompileError subclasses. */
export function parseModule(bytes: Uint8Array): Module {
  const m = decodeModule(bytes);
  validateModule(m);
  return m;
}

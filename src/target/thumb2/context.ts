/** What every function of a module shares while the Thumb-2 back end compiles it (module.ts makes it). */
import type { CompileOptions } from '../../xip/options.js';
import type { Module } from '../../wasm/types.js';
import type { FloatAbi } from './abi.js';
import type { Label } from './masm.js';

export interface ModuleContext {
  readonly module: Module;
  readonly options: CompileOptions;
  readonly floatAbi: FloatAbi;
  /** code label of every function in the index space (import thunks for imports) */
  readonly funcLabels: readonly Label[];
  /** per defined global: its offset in the globals area */
  readonly globalOffsets: readonly number[];
  /** function index → descriptor number k (ref.func) */
  readonly funcrefIndex: ReadonlyMap<number, number>;
  /** native symbols the text calls */
  readonly symbolsUsed: Set<number>;
  /** memory 0's size cannot change during a call (see memoryStableAcrossCalls) */
  readonly memoryStable: boolean;
}

/**
 * Entry trampolines, the same for every ISA's module assembly: the runtime calls a module's exported functions and
 * its start function through a trampoline of their signature, and functions whose signatures the ISA's calling
 * convention treats alike share one.
 */
import type { FuncType, Module } from '../wasm/types.js';

/** A signature's identity for sharing a trampoline: its Wasm types (an ISA may pass a coarser key). */
export function signatureKey(t: FuncType): string {
  return `${t.params.join(',')}>${t.results.join(',')}`;
}

/**
 * Emits one trampoline per key for the exports and the start function, in ascending function order; `emit` places
 * one and returns its offset. The result gives each function its trampoline's offset (undefined for the others).
 */
export function emitEntryTrampolines(
  module: Module, keyOf: (t: FuncType) => string, emit: (t: FuncType) => number,
): (number | undefined)[] {
  const entryFuncs = new Set<number>();
  for (const e of module.exports) if (e.kind === 'func') entryFuncs.add(e.index);
  if (module.start !== undefined) entryFuncs.add(module.start);
  const byKey = new Map<string, number>();
  const offsets = new Array<number | undefined>(module.funcTypeIndices.length).fill(undefined);
  for (const f of [...entryFuncs].sort((a, b) => a - b)) {
    const t = module.types[module.funcTypeIndices[f]!]!;
    const key = keyOf(t);
    let at = byKey.get(key);
    if (at === undefined) {
      at = emit(t);
      byKey.set(key, at);
    }
    offsets[f] = at;
  }
  return offsets;
}

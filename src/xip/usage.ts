/**
 * Which native symbols a module's code calls under a given resolution, counted
 * per call site (an estimate from the operators: the code generator's own
 * list in the AOT file is authoritative).
 */
import { opcodeName } from '../wasm/opcodes.js';
import { OperatorReader } from '../wasm/operators.js';
import type { Module } from '../wasm/types.js';
import { helperForOperator, type NativeSymbol } from './catalogue.js';
import { intrinsicFor, type ResolvedIntrinsics } from './policy.js';

export interface SymbolUse {
  readonly symbol: NativeSymbol;
  /** Number of operators compiled as a call to it. */
  readonly sites: number;
  /** Distinct operators that call it, in first-seen order. */
  readonly operators: readonly string[];
}

/** Returns the uses sorted by native-symbol index. */
export function countSymbolUses(operators: Iterable<string>, resolved: ResolvedIntrinsics): SymbolUse[] {
  const uses = new Map<number, { symbol: NativeSymbol; sites: number; operators: string[] }>();
  for (const op of operators) {
    const sym: NativeSymbol | undefined = intrinsicFor(op, resolved) ?? helperForOperator(op);
    if (sym === undefined) continue;
    let u = uses.get(sym.index);
    if (u === undefined) {
      u = { symbol: sym, sites: 0, operators: [] };
      uses.set(sym.index, u);
    }
    u.sites++;
    if (!u.operators.includes(op)) u.operators.push(op);
  }
  return [...uses.values()].sort((a, b) => a.symbol.index - b.symbol.index);
}

/** Every operator name in every function body of a decoded module, in order. */
export function* moduleOperatorNames(module: Module): Generator<string> {
  for (const body of module.codes) {
    const reader = new OperatorReader(module.bytes, body.codeStart, body.codeEnd);
    while (!reader.atEnd()) yield opcodeName(reader.read().op);
  }
}

export function moduleSymbolUses(module: Module, resolved: ResolvedIntrinsics): SymbolUse[] {
  return countSymbolUses(moduleOperatorNames(module), resolved);
}

/**
 * Calls for the IR builder (build.ts): Wasm calls, call_indirect with its table, null and signature
 * checks (docs/abi.md §5), and the runtime helpers behind memory.grow/fill/copy/init and data.drop.
 */
import { EnvOffset, FuncRefOffset, TableOffset, TrapCode } from '../abi.js';
import { ValType } from '../wasm/types.js';
import { helperIndex, type HelperName } from '../xip/catalogue.js';
import type { WordClass } from './ir.js';
import { CONST, type IrBuilder } from './build.js';

/** Pops the operands of these param types and returns their words in registers with their classes. */
function popArgs(b: IrBuilder, types: readonly ValType[]): { args: number[]; classes: WordClass[] } {
  const vals = b.stack.splice(b.stack.length - types.length);
  const args: number[] = [];
  const classes: WordClass[] = [];
  vals.forEach((o, i) => {
    classes.push(b.argClass(types[i]!));
    for (const w of b.words(o)) args.push(b.reg(w));
  });
  return { args, classes };
}

export function callFunc(b: IrBuilder, index: number): void {
  const mod = b.target.module;
  const t = mod.types[mod.funcTypeIndices[index]!]!;
  const { args, classes } = popArgs(b, t.params);
  b.call({ kind: 'func', index }, true, args, classes, t.results, !b.target.memoryStable);
}

export function callIndirect(b: IrBuilder, typeIndex: number, tableIndex: number): void {
  const t = b.target.module.types[typeIndex]!;
  const idx = b.reg(b.popWords()[0]!);
  const { args, classes } = popArgs(b, t.params);
  const v = (): number => b.newVreg();
  const size = v(), elems = v(), slot = v(), desc = v(), have = v();
  const table = b.invariantLoad(b.invariantLoad(-1, EnvOffset.tables), 4 * tableIndex);
  b.emit({ op: 'ldw', d: size, a: table, offset: TableOffset.size });
  b.emit({ op: 'trapif', cmp: { k: 'i32', cond: 'ge_u', a: idx, b: size }, code: TrapCode.UndefinedElement });
  b.emit({ op: 'ldw', d: elems, a: table, offset: TableOffset.elems });
  // the table holds pointers to funcref descriptors
  if (b.target.isa.shiftedOperand('add')) {
    b.emit({ op: 'alush', kind: 'add', d: slot, a: elems, b: idx, shift: 'lsl', amount: 2 });
  } else {
    const scaled = v();
    b.emit({ op: 'shifti', kind: 'lsl', d: scaled, a: idx, imm: 2 });
    b.emit({ op: 'alu', kind: 'add', d: slot, a: elems, b: scaled });
  }
  b.emit({ op: 'ldw', d: desc, a: slot, offset: 0 });
  b.emit({ op: 'trapif', cmp: { k: 'i32', cond: 'eq', a: desc, b: { imm: 0 } }, code: TrapCode.UninitializedElement });
  const want = b.invariantLoad(b.invariantLoad(-1, EnvOffset.typeIds), 4 * typeIndex);
  b.emit({ op: 'ldw', d: have, a: desc, offset: FuncRefOffset.typeId });
  b.emit({ op: 'trapif', cmp: { k: 'i32', cond: 'ne', a: have, b: want }, code: TrapCode.IndirectCallTypeMismatch });
  b.call({ kind: 'ref', desc }, true, args, classes, t.results, !b.target.memoryStable);
}

/** A runtime helper: env first, then the immediates, then `arity` operands. */
export function helper(b: IrBuilder, name: HelperName, imms: readonly number[], arity: number, result: ValType | undefined, grows: boolean): void {
  if (name.startsWith('xw_memory') || name === 'xw_data_drop') b.usesMemory = true;
  const vals = b.stack.splice(b.stack.length - arity);
  const args: number[] = imms.map((c) => b.reg(CONST(c)));
  for (const o of vals) args.push(b.reg(b.words(o)[0]!));
  b.call(b.symbolTarget(helperIndex(name)), true, args, args.map(() => 'w32'), result === undefined ? [] : [result], grows && !b.target.memoryStable);
}

/**
 * Reference and table operators for the IR builder (build.ts). References are one 32-bit word (docs/abi.md §5):
 * null is 0, a funcref the address of its descriptor in the instance's array. Table operators call the runtime
 * helpers, with their arguments (exec_env, the immediates, then the operands); the helpers do the
 * spec's bounds checks and trap from inside.
 */
import { EnvOffset, FUNCREF_SIZE } from '../abi.js';
import type { Instr } from '../wasm/operators.js';
import { ValType } from '../wasm/types.js';
import { NotInTier } from './ir.js';
import { CONST, VREG, type IrBuilder } from './build.js';
import { helper } from './build-call.js';

/** Lowers a reference or table operator; false if `name` is none. */
export function lowerRef(b: IrBuilder, ins: Instr, name: string): boolean {
  const tables = b.target.module.tables;
  switch (name) {
    case 'ref.null': b.pushWords(ins.refType, [CONST(0)]); return true;
    case 'ref.is_null': {
      const w = b.popWords()[0]!;
      if (w.v < 0) b.pushWords(ValType.I32, [CONST(w.c === 0 ? 1 : 0)]);
      else b.push({ k: 'f', t: ValType.I32, cmp: { k: 'i32', cond: 'eq', a: w.v, b: { imm: 0 } } });
      return true;
    }
    case 'ref.func': {
      const k = b.target.funcrefIndex.get(ins.index);
      if (k === undefined) throw new NotInTier(`ref.func of function ${ins.index} without a descriptor`);
      const base = b.invariantLoad(-1, EnvOffset.funcrefs);
      const off = k * FUNCREF_SIZE;
      if (off === 0) { b.pushWords(ValType.FuncRef, [VREG(base)]); return true; }
      const d = b.newVreg();
      if (b.target.isa.aluImm('add', off)) b.emit({ op: 'alui', kind: 'add', d, a: base, imm: off });
      else b.emit({ op: 'alu', kind: 'add', d, a: base, b: b.reg(CONST(off)) });
      b.pushWords(ValType.FuncRef, [VREG(d)]);
      return true;
    }
    case 'table.get': helper(b, 'xw_table_get', [ins.index], 1, tables[ins.index]!.elemType, false); return true;
    case 'table.set': helper(b, 'xw_table_set', [ins.index], 2, undefined, false); return true;
    case 'table.size': helper(b, 'xw_table_size', [ins.index], 0, ValType.I32, false); return true;
    case 'table.grow': helper(b, 'xw_table_grow', [ins.index], 2, ValType.I32, false); return true;
    case 'table.fill': helper(b, 'xw_table_fill', [ins.index], 3, undefined, false); return true;
    case 'table.copy': helper(b, 'xw_table_copy', [ins.index, ins.index2], 3, undefined, false); return true;
    case 'table.init': helper(b, 'xw_table_init', [ins.index2, ins.index], 3, undefined, false); return true;
    case 'elem.drop': helper(b, 'xw_elem_drop', [ins.index], 0, undefined, false); return true;
    default: return false;
  }
}

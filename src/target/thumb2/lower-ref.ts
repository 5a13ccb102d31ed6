/**
 * Reference and table operators. References are 32-bit (docs/abi.md §5):
 * null is 0, a funcref points at a descriptor in the instance. Table
 * operators call runtime helpers, which do the spec's bounds checks.
 */
import { InternalError } from '../../errors.js';
import { ValType } from '../../wasm/types.js';
import { EnvOffset, FUNCREF_SIZE, Pinned } from './abi.js';
import type { Lowering } from './lower.js';
import { helperCall } from './lower-mem.js';

const R0 = { kind: 'w32', r: 0 } as const;

export const REF_LOWERINGS: Record<string, Lowering> = {
  'ref.null': (fc, ins) => fc.stack.push({ kind: 'const', type: ins.refType, bits: 0 }),
  'ref.is_null': (fc) => {
    fc.pop(R0);
    fc.m.cmpImm(0, 0);
    fc.m.setCond(0, 'eq');
    fc.pushRegs(ValType.I32, R0);
  },
  'ref.func': (fc, ins) => {
    const k = fc.ctx.funcrefIndex.get(ins.index);
    if (k === undefined) throw new InternalError(`function ${ins.index} has no descriptor`, ins.offset);
    fc.m.load('w', 0, Pinned.env, EnvOffset.funcrefs);
    if (k > 0) fc.m.addImm(0, 0, k * FUNCREF_SIZE);
    fc.pushRegs(ValType.FuncRef, R0);
  },
  'table.get': (fc, ins) => helperCall('xw_table_get', 1, [ins.index], fc.ctx.module.tables[ins.index]!.elemType)(fc, ins),
  'table.set': (fc, ins) => helperCall('xw_table_set', 2, [ins.index], undefined)(fc, ins),
  'table.size': (fc, ins) => helperCall('xw_table_size', 0, [ins.index], ValType.I32)(fc, ins),
  'table.grow': (fc, ins) => helperCall('xw_table_grow', 2, [ins.index], ValType.I32)(fc, ins),
  'table.fill': (fc, ins) => helperCall('xw_table_fill', 3, [ins.index], undefined)(fc, ins),
  'table.copy': (fc, ins) => helperCall('xw_table_copy', 3, [ins.index, ins.index2], undefined)(fc, ins),
  'table.init': (fc, ins) => helperCall('xw_table_init', 3, [ins.index2, ins.index], undefined)(fc, ins),
  'elem.drop': (fc, ins) => helperCall('xw_elem_drop', 0, [ins.index], undefined)(fc, ins),
};

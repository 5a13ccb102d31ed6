import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BASE_GROUPS, FLOAT_COND, HELPERS, INLINE_ONLY, INTRINSICS, NATIVE_SYMBOLS, NATIVE_SYMBOL_ABI_VERSION,
  floatCondFor, helperForOperator, intrinsicByName, intrinsicForOperator,
} from '../../src/xip/catalogue.js';
import { OPCODE_NAMES } from '../../src/wasm/opcodes.js';

// The single names of WAMR doc/xip.md's table ("Available intrinsic functions for tuning"), in its order.
const WAMR_DOC_NAMES = [
  'llvm.experimental.constrained.fadd.f32', 'llvm.experimental.constrained.fadd.f64',
  'llvm.experimental.constrained.fsub.f32', 'llvm.experimental.constrained.fsub.f64',
  'llvm.experimental.constrained.fmul.f32', 'llvm.experimental.constrained.fmul.f64',
  'llvm.experimental.constrained.fdiv.f32', 'llvm.experimental.constrained.fdiv.f64',
  'llvm.fabs.f32', 'llvm.fabs.f64', 'llvm.ceil.f32', 'llvm.ceil.f64', 'llvm.floor.f32', 'llvm.floor.f64',
  'llvm.trunc.f32', 'llvm.trunc.f64', 'llvm.rint.f32', 'llvm.rint.f64', 'llvm.sqrt.f32', 'llvm.sqrt.f64',
  'llvm.copysign.f32', 'llvm.copysign.f64', 'llvm.minnum.f32', 'llvm.minnum.f64', 'llvm.maxnum.f32', 'llvm.maxnum.f64',
  'llvm.ctlz.i32', 'llvm.ctlz.i64', 'llvm.cttz.i32', 'llvm.cttz.i64', 'llvm.ctpop.i32', 'llvm.ctpop.i64',
  'f64_convert_i32_s', 'f64_convert_i32_u', 'f32_convert_i32_s', 'f32_convert_i32_u',
  'f64_convert_i64_s', 'f64_convert_i64_u', 'f32_convert_i64_s', 'f32_convert_i64_u',
  'i32_trunc_f32_s', 'i32_trunc_f32_u', 'i32_trunc_f64_s', 'i32_trunc_f64_u',
  'i64_trunc_f64_s', 'i64_trunc_f64_u', 'i64_trunc_f32_s', 'i64_trunc_f32_u',
  'f32_demote_f64', 'f64_promote_f32', 'f32_cmp', 'f64_cmp',
  'i64.div_s', 'i64.div_u', 'i32.div_s', 'i32.div_u', 'i64.rem_s', 'i64.rem_u', 'i32.rem_s', 'i32.rem_u',
  'i64.or', 'i64.and', 'i32.const', 'i64.const', 'f32.const', 'f64.const',
];
// In WAMR's code (g_intrinsic_mapping) but not in the doc's table.
const WAMR_CODE_ONLY = ['i64.mul', 'i64.shl', 'i64.shr_s', 'i64.shr_u'];

function members(group: string): string[] {
  return INTRINSICS.filter((e) => (e.groups as readonly string[]).includes(group)).map((e) => e.wamrName).sort();
}

test('the catalogue holds exactly WAMR\'s intrinsic names', () => {
  assert.deepEqual(INTRINSICS.map((e) => e.wamrName).sort(), [...WAMR_DOC_NAMES, ...WAMR_CODE_ONLY].sort());
});

test('names, symbols and indices are unique; indices are dense and in order', () => {
  assert.equal(new Set(INTRINSICS.map((e) => e.wamrName)).size, INTRINSICS.length);
  assert.equal(new Set(NATIVE_SYMBOLS.map((s) => s.symbol)).size, NATIVE_SYMBOLS.length);
  NATIVE_SYMBOLS.forEach((s, i) => assert.equal(s.index, i, s.symbol));
  assert.equal(NATIVE_SYMBOL_ABI_VERSION, 1);
});

test('the xw_ helpers come first, in the ABI order', () => {
  assert.deepEqual(HELPERS.map((h) => [h.index, h.symbol]), [
    'xw_trap', 'xw_memory_grow', 'xw_memory_fill', 'xw_memory_copy', 'xw_memory_init', 'xw_data_drop',
    'xw_table_get', 'xw_table_set', 'xw_table_size', 'xw_table_grow', 'xw_table_fill', 'xw_table_copy',
    'xw_table_init', 'xw_elem_drop',
  ].map((n, i) => [i, n]));
  assert.equal(HELPERS[0]?.signature.noreturn, true);
  assert.ok(HELPERS.every((h) => h.signature.params[0] === 'env'));
  assert.deepEqual(HELPERS.find((h) => h.symbol === 'xw_table_copy')?.signature.params, ['env', 'u32', 'u32', 'u32', 'u32', 'u32']);
  assert.equal(NATIVE_SYMBOLS[HELPERS.length]?.symbol, 'aot_intrinsic_fadd_f32');
});

test('WAMR runtime function names and signatures', () => {
  const s = (n: string): string | undefined => {
    const e = intrinsicByName(n);
    return e?.signature === undefined ? undefined : `${e.signature.ret} ${e.symbol}(${e.signature.params.join(',')})`;
  };
  assert.equal(s('llvm.experimental.constrained.fadd.f32'), 'f32 aot_intrinsic_fadd_f32(f32,f32)');
  assert.equal(s('f32_cmp'), 'i32 aot_intrinsic_f32_cmp(fcond,f32,f32)');
  assert.equal(s('f64_convert_i64_u'), 'f64 aot_intrinsic_u64_to_f64(u64)');
  assert.equal(s('i64_trunc_f32_s'), 'i64 aot_intrinsic_f32_to_i64(f32)');
  assert.equal(s('f32_demote_f64'), 'f32 aot_intrinsic_f64_to_f32(f64)');
  assert.equal(s('i64.or'), 'u64 aot_intrinsic_i64_bit_or(u64,u64)');
  assert.equal(s('i64.shr_s'), 'u64 aot_intrinsic_i64_shr_s(u64,u64)');
  assert.equal(s('llvm.minnum.f64'), 'f64 aot_intrinsic_fmin_f64(f64,f64)');
  assert.equal(s('llvm.ctpop.i64'), 'u64 aot_intrinsic_popcnt_i64(u64)');
  for (const c of ['i32.const', 'i64.const', 'f32.const', 'f64.const']) {
    assert.equal(intrinsicByName(c)?.symbol, undefined, c);
    assert.equal(intrinsicByName(c)?.index, undefined, c);
  }
  // every row with a function is a native symbol with a signature
  assert.equal(NATIVE_SYMBOLS.length, HELPERS.length + INTRINSICS.length - 4);
});

test('group membership follows WAMR\'s aot_intrinsic.c', () => {
  assert.deepEqual(members('i32.common'), ['i32.div_s', 'i32.div_u', 'i32.rem_s', 'i32.rem_u']);
  assert.deepEqual(members('i64.common'),
    ['i64.and', 'i64.div_s', 'i64.div_u', 'i64.mul', 'i64.or', 'i64.rem_s', 'i64.rem_u', 'i64.shl', 'i64.shr_s', 'i64.shr_u']);
  assert.deepEqual(members('f32.common'), [
    'f32_cmp', 'llvm.ceil.f32', 'llvm.experimental.constrained.fadd.f32', 'llvm.experimental.constrained.fdiv.f32',
    'llvm.experimental.constrained.fmul.f32', 'llvm.experimental.constrained.fsub.f32', 'llvm.fabs.f32',
    'llvm.floor.f32', 'llvm.maxnum.f32', 'llvm.minnum.f32', 'llvm.rint.f32', 'llvm.sqrt.f32', 'llvm.trunc.f32',
  ]);
  assert.equal(members('f64.common').length, 13);
  assert.deepEqual(members('f32xi32'), ['f32_convert_i32_s', 'f32_convert_i32_u', 'i32_trunc_f32_s', 'i32_trunc_f32_u']);
  assert.deepEqual(members('f64xi64'), ['f64_convert_i64_s', 'f64_convert_i64_u', 'i64_trunc_f64_s', 'i64_trunc_f64_u']);
  assert.deepEqual(members('constop'), ['f32.const', 'f64.const', 'i32.const', 'i64.const']);
  for (const g of BASE_GROUPS) assert.ok(members(g).length > 0, g);
});

test('every operator named by the catalogue exists in the Wasm opcode table', () => {
  const names = new Set(OPCODE_NAMES);
  for (const e of INTRINSICS) for (const op of e.operators) assert.ok(names.has(op), `${e.wamrName}: ${op}`);
  for (const h of HELPERS) for (const op of h.operators) assert.ok(names.has(op), `${h.symbol}: ${op}`);
  for (const [op] of INLINE_ONLY) {
    assert.ok(names.has(op), op);
    assert.equal(intrinsicForOperator(op), undefined, op);
  }
  // an operator maps to at most one row
  const seen = new Map<string, string>();
  for (const e of INTRINSICS) for (const op of e.operators) {
    assert.equal(seen.get(op), undefined, `${op} in ${seen.get(op)} and ${e.wamrName}`);
    seen.set(op, e.wamrName);
  }
});

test('operator lookups', () => {
  assert.equal(intrinsicForOperator('f32.nearest')?.symbol, 'aot_intrinsic_rint_f32');
  assert.equal(intrinsicForOperator('i32.trunc_sat_f64_u')?.symbol, 'aot_intrinsic_f64_to_u32');
  assert.equal(intrinsicForOperator('f64.le')?.symbol, 'aot_intrinsic_f64_cmp');
  assert.equal(intrinsicForOperator('i32.add'), undefined);
  assert.equal(helperForOperator('memory.grow')?.symbol, 'xw_memory_grow');
  assert.equal(helperForOperator('i32.add'), undefined);
});

test('float comparison conditions use WAMR\'s AOTFloatCond values', () => {
  assert.deepEqual(FLOAT_COND, { eq: 0, ne: 1, lt: 2, gt: 3, le: 4, ge: 5, uno: 6 });
  assert.equal(floatCondFor('f32.lt'), 2);
  assert.equal(floatCondFor('f64.ge'), 5);
  assert.equal(floatCondFor('f32.add'), undefined);
  assert.equal(floatCondFor('i32.lt_s'), undefined);
});

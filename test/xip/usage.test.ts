import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseModule } from '../../src/wasm/index.js';
import { resolveIntrinsics } from '../../src/xip/policy.js';
import { countSymbolUses, moduleOperatorNames, moduleSymbolUses } from '../../src/xip/usage.js';
import { testModuleBytes } from './module-fixture.js';
import { V8 } from '../wasm/v8.js';

test('the fixture module is valid per V8', () => {
  assert.equal(V8.validate(testModuleBytes()), true);
});

test('operator scan of a module', () => {
  const m = parseModule(testModuleBytes());
  assert.deepEqual([...moduleOperatorNames(m)], [
    'local.get', 'local.get', 'f32.add', 'local.get', 'f32.add', 'end',
    'i64.const', 'i64.const', 'i64.div_s', 'drop', 'i32.const', 'memory.grow', 'drop', 'end',
  ]);
});

test('symbol uses depend on the CPU', () => {
  const m = parseModule(testModuleBytes());
  const fmt = (cpu: string): string[] =>
    moduleSymbolUses(m, resolveIntrinsics({ cpu })).map((u) => `${u.symbol.index}:${u.symbol.symbol}x${u.sites}`);
  assert.deepEqual(fmt('cortex-m3'), ['1:xw_memory_growx1', '14:aot_intrinsic_fadd_f32x2', '66:aot_intrinsic_i64_div_sx1']);
  assert.deepEqual(fmt('cortex-m4'), ['1:xw_memory_growx1', '66:aot_intrinsic_i64_div_sx1']);
});

test('countSymbolUses groups operators per symbol', () => {
  const r = resolveIntrinsics({ cpu: 'cortex-m0' });
  const u = countSymbolUses(['f32.lt', 'f32.ge', 'f32.lt', 'i32.add'], r);
  assert.equal(u.length, 1);
  assert.equal(u[0]?.symbol.symbol, 'aot_intrinsic_f32_cmp');
  assert.equal(u[0]?.sites, 3);
  assert.deepEqual(u[0]?.operators, ['f32.lt', 'f32.ge']);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UsageError } from '../../src/errors.js';
import { INTRINSICS } from '../../src/xip/catalogue.js';
import { CPUS, cpuInfo, type CpuName } from '../../src/xip/cpu.js';
import {
  defaultIntrinsics, intrinsicFor, parseIntrinsicList, requiredIntrinsics, resolveIntrinsics,
  usesConstantTable, type ResolvedIntrinsics,
} from '../../src/xip/policy.js';

const call = (op: string, r: ResolvedIntrinsics): string | undefined => intrinsicFor(op, r)?.symbol;
const dflt = (cpu: CpuName): ResolvedIntrinsics => resolveIntrinsics({ cpu });
const why = (name: string, r: ResolvedIntrinsics): string | undefined => r.enabled.get(name);

test('operations no Cortex-M does inline are calls on every core, whatever the list', () => {
  for (const c of CPUS) {
    for (const list of [undefined, 'constop']) {
      const r = resolveIntrinsics({ cpu: c.name, enableBuiltinIntrinsics: list });
      for (const op of ['i64.div_s', 'i64.div_u', 'i64.rem_s', 'i64.rem_u',
        'f32.convert_i64_s', 'f64.convert_i64_u', 'i64.trunc_f32_s', 'i64.trunc_sat_f64_u']) {
        assert.ok(call(op, r) !== undefined, `${c.name} ${list}: ${op}`);
      }
      assert.equal(why('i64.div_s', r), 'required');
    }
  }
});

test('cortex-m0: no divide, no CLZ, no UMULL, no FPU, no Thumb-2', () => {
  const r = dflt('cortex-m0');
  for (const op of ['i32.div_s', 'i32.rem_u', 'i32.clz', 'i32.ctz', 'i32.popcnt', 'i64.clz', 'i64.mul', 'i64.shl',
    'i64.shr_u', 'f32.add', 'f64.sqrt', 'f32.lt', 'f32.ceil', 'f32.convert_i32_s', 'f64.promote_f32']) {
    assert.ok(call(op, r) !== undefined, op);
  }
  assert.equal(call('i32.div_s', r), 'aot_intrinsic_i32_div_s');
  // sign-bit operations stay integer instructions even without an FPU
  for (const op of ['f32.abs', 'f64.abs', 'f32.copysign', 'i64.and', 'i64.or', 'i32.add']) assert.equal(call(op, r), undefined, op);
  assert.deepEqual(dflt('cortex-m0plus').enabled, r.enabled);
});

test('cortex-m3: integer ops inline, every float op a call', () => {
  const r = dflt('cortex-m3');
  for (const op of ['i32.div_s', 'i32.rem_u', 'i32.clz', 'i32.ctz', 'i64.mul', 'i64.shl', 'i64.clz']) assert.equal(call(op, r), undefined, op);
  for (const op of ['f32.add', 'f32.div', 'f64.mul', 'f32.eq', 'f64.nearest', 'f32.min', 'i32.trunc_sat_f32_s',
    'f64.convert_i32_u', 'f32.demote_f64']) {
    assert.ok(call(op, r) !== undefined, op);
  }
  assert.equal(why('llvm.ctpop.i32', r), 'default');
  assert.equal(why('llvm.experimental.constrained.fadd.f32', r), 'required');
});

test('cortex-m4: f32 in hardware without VRINT, f64 in software', () => {
  const r = dflt('cortex-m4');
  for (const op of ['f32.add', 'f32.sqrt', 'f32.div', 'f32.lt', 'f32.convert_i32_s', 'i32.trunc_f32_u']) assert.equal(call(op, r), undefined, op);
  for (const op of ['f32.ceil', 'f32.floor', 'f32.trunc', 'f32.nearest', 'f64.add', 'f64.eq', 'f64.promote_f32',
    'f32.demote_f64', 'f64.convert_i32_s', 'i32.trunc_f64_s']) {
    assert.ok(call(op, r) !== undefined, op);
  }
  assert.equal(why('llvm.ceil.f32', r), 'required');
  assert.equal(why('llvm.minnum.f32', r), 'default');
});

test('cortex-m33: f32 with VRINT, f64 in software', () => {
  const r = dflt('cortex-m33');
  for (const op of ['f32.ceil', 'f32.nearest', 'f32.add']) assert.equal(call(op, r), undefined, op);
  for (const op of ['f64.ceil', 'f64.add', 'f64.sqrt']) assert.ok(call(op, r) !== undefined, op);
});

test('cortex-m7 and cortex-m55: f32 and f64 in hardware', () => {
  for (const cpu of ['cortex-m7', 'cortex-m55'] as const) {
    const r = dflt(cpu);
    for (const op of ['f64.add', 'f64.ceil', 'f64.nearest', 'f64.promote_f32', 'f64.convert_i32_u', 'i32.trunc_f64_s', 'f64.lt', 'i32.div_u']) {
      assert.equal(call(op, r), undefined, `${cpu} ${op}`);
    }
    assert.equal(call('f64.min', r), 'aot_intrinsic_fmin_f64');
    assert.ok(call('f64.convert_i64_s', r) !== undefined);
    assert.equal(r.constantTable.size, 0);
  }
});

test('the default table holds everything the core requires', () => {
  for (const c of CPUS) {
    const d = new Set(defaultIntrinsics(c));
    for (const e of requiredIntrinsics(c)) assert.ok(d.has(e), `${c.name}: ${e.wamrName}`);
    for (const name of c.defaultExtras) assert.ok(INTRINSICS.some((e) => e.wamrName === name), name);
  }
});

test('a list replaces the CPU default table (WAMR doc example for cortex-m55)', () => {
  const r = resolveIntrinsics({ target: 'thumbv8m.main', cpu: 'cortex-m55', enableBuiltinIntrinsics: 'i64.common' });
  assert.equal(r.explicitList, true);
  for (const op of ['i64.mul', 'i64.shl', 'i64.shr_s', 'i64.shr_u', 'i64.and', 'i64.or']) {
    assert.ok(call(op, r) !== undefined, op);
  }
  assert.equal(why('i64.mul', r), 'requested');
  assert.equal(why('i64.div_s', r), 'required');
  // f64.min was a default extra; the list replaced it
  assert.equal(call('f64.min', r), undefined);
  assert.equal(call('f64.add', r), undefined);
});

test('WAMR doc example for cortex-m3: i64.common,fp.common,fpxint', () => {
  const r = resolveIntrinsics({ target: 'thumbv7m', cpu: 'cortex-m3', enableBuiltinIntrinsics: 'i64.common,fp.common,fpxint' });
  assert.equal(why('llvm.fabs.f32', r), 'requested');
  assert.equal(why('i64.and', r), 'requested');
  assert.equal(why('llvm.experimental.constrained.fadd.f64', r), 'required');
  assert.equal(call('f32.abs', r), 'aot_intrinsic_fabs_f32');
  assert.equal(call('i32.popcnt', r), undefined, 'default extra replaced by the list');
  assert.equal(call('f32.copysign', r), undefined, 'copysign is in no WAMR group');
});

test('groups and names expand exactly; all and constop', () => {
  assert.equal(parseIntrinsicList('all').length, INTRINSICS.length);
  assert.deepEqual(parseIntrinsicList('fpxint').map((e) => e.wamrName).sort(),
    parseIntrinsicList('f32xi32,f64xi32,f32xi64,f64xi64').map((e) => e.wamrName).sort());
  assert.deepEqual(parseIntrinsicList('fp.common'), parseIntrinsicList('f32.common,f64.common'));
  assert.deepEqual(parseIntrinsicList('llvm.ctpop.i32').map((e) => e.symbol), ['aot_intrinsic_popcnt_i32']);
  const r = resolveIntrinsics({ cpu: 'cortex-m7', enableBuiltinIntrinsics: 'constop,f32.const' });
  assert.deepEqual([...r.constantTable].sort(), ['f32', 'f64', 'i32', 'i64']);
  assert.equal(usesConstantTable('i64', r), true);
  assert.equal(intrinsicFor('i32.const', r), undefined, 'a constant is never a call');
  const a = resolveIntrinsics({ cpu: 'cortex-m7', enableBuiltinIntrinsics: 'all' });
  assert.equal(call('i32.add', a), undefined);
  assert.equal(call('i32.div_s', a), 'aot_intrinsic_i32_div_s');
});

test('tokens are exact: unknown, misspelt, substring and case variants are UsageErrors listing the names', () => {
  for (const bad of ['i64.commo', 'I64.COMMON', 'fadd.f32', 'i64.common,bogus', 'i64.common,', 'llvm.fadd.f32']) {
    assert.throws(() => resolveIntrinsics({ cpu: 'cortex-m3', enableBuiltinIntrinsics: bad }), (e: unknown) => {
      assert.ok(e instanceof UsageError, bad);
      assert.match(e.message, /valid groups: all, i32\.common, i64\.common, f32\.common, f64\.common, f32xi32, f64xi32, f32xi64, f64xi64, constop, fp\.common, fpxint/);
      assert.match(e.message, /valid names: llvm\.experimental\.constrained\.fadd\.f32, /);
      return true;
    });
  }
  assert.throws(() => parseIntrinsicList('fadd.f32'),
    /unknown intrinsic 'fadd\.f32' in --enable-builtin-intrinsics \(did you mean 'llvm\.experimental\.constrained\.fadd\.f32'\?\)/);
  assert.throws(() => parseIntrinsicList('i64.common,,fpxint'), /empty name/);
});

test('resolveIntrinsics checks the target', () => {
  assert.throws(() => resolveIntrinsics({ target: 'thumbv6m', cpu: 'cortex-m4' }), UsageError);
  assert.equal(resolveIntrinsics({ target: 'thumbv7em', cpu: 'cortex-m7' }).target, 'thumbv7em');
  assert.equal(cpuInfo(resolveIntrinsics({ cpu: 'cortex-m55' }).cpu).fpu, 'dp');
});

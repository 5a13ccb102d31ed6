import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UsageError } from '../../src/errors.js';
import { CPUS, canInline, parseTarget, resolveTarget } from '../../src/xip/cpu.js';
import { resolveCompileOptions } from '../../src/xip/options.js';

test('CPU table matches DESIGN-NOTES §2', () => {
  const row = (n: string): string => {
    const c = CPUS.find((x) => x.name === n);
    assert.ok(c, n);
    return `${c.targets.join('|')} div=${c.hwDivide} umull=${c.longMultiply} clz=${c.clz} fpu=${c.fpu} vrint=${c.vrint} abi=${c.defaultFloatAbi}`;
  };
  assert.equal(row('cortex-m0'), 'thumbv6m div=false umull=false clz=false fpu=none vrint=none abi=soft');
  assert.equal(row('cortex-m0plus'), 'thumbv6m div=false umull=false clz=false fpu=none vrint=none abi=soft');
  assert.equal(row('cortex-m3'), 'thumbv7m div=true umull=true clz=true fpu=none vrint=none abi=soft');
  assert.equal(row('cortex-m4'), 'thumbv7em div=true umull=true clz=true fpu=sp vrint=none abi=hard');
  assert.equal(row('cortex-m7'), 'thumbv7em div=true umull=true clz=true fpu=dp vrint=dp abi=hard');
  assert.equal(row('cortex-m33'), 'thumbv8m.main div=true umull=true clz=true fpu=sp vrint=sp abi=hard');
  assert.equal(row('cortex-m55'), 'thumbv8.1m.main|thumbv8m.main div=true umull=true clz=true fpu=dp vrint=dp abi=hard');
  assert.equal(CPUS.length, 7);
});

test('targets: architecture or triple, WAMR and LLVM spellings', () => {
  assert.deepEqual(parseTarget('thumbv8m.main'), { arch: 'thumbv8m.main', abi: undefined });
  assert.deepEqual(parseTarget('thumbv7em-none-eabihf'), { arch: 'thumbv7em', abi: 'hard' });
  assert.deepEqual(parseTarget('thumbv7m-unknown-none-eabi'), { arch: 'thumbv7m', abi: 'soft' });
  assert.throws(() => parseTarget('armv7m'), /unknown --target 'armv7m'; supported: thumbv6m, thumbv7m, thumbv7em, thumbv8m\.main/);
  assert.throws(() => parseTarget('x86_64'), UsageError);
});

test('target/CPU/ABI resolution and contradictions', () => {
  const t = (target: string | undefined, cpu: string | undefined, abi?: string): string => {
    const r = resolveTarget(target, cpu, abi);
    return `${r.target} ${r.cpu.name} ${r.floatAbi}`;
  };
  assert.equal(t('thumbv8m.main', 'cortex-m55'), 'thumbv8m.main cortex-m55 hard');
  assert.equal(t('thumbv8.1m.main', 'cortex-m55'), 'thumbv8.1m.main cortex-m55 hard');
  assert.equal(t('thumbv7m', 'cortex-m3'), 'thumbv7m cortex-m3 soft');
  assert.equal(t(undefined, 'cortex-m4'), 'thumbv7em cortex-m4 hard');
  assert.equal(t('thumbv6m', undefined), 'thumbv6m cortex-m0 soft');
  assert.equal(t('thumbv7em', 'cortex-m7', 'gnu'), 'thumbv7em cortex-m7 soft');
  assert.equal(t('thumbv7em', 'cortex-m7', 'eabi'), 'thumbv7em cortex-m7 soft');
  assert.equal(t('thumbv7em-none-eabi', 'cortex-m7'), 'thumbv7em cortex-m7 soft');
  assert.equal(t('thumbv8m.main', 'cortex-m33', 'gnueabihf'), 'thumbv8m.main cortex-m33 hard');
  assert.throws(() => t('thumbv7m', 'cortex-m4'), /--target=thumbv7m contradicts --cpu=cortex-m4: cortex-m4 is thumbv7em; thumbv7m is cortex-m3/);
  assert.throws(() => t('thumbv8m.main', 'cortex-m0'), /contradicts/);
  assert.throws(() => t('thumbv8.1m.main', 'cortex-m33'), /contradicts/);
  assert.throws(() => t('thumbv7m', 'cortex-m3', 'gnueabihf'), /cortex-m3 has no FPU: a hard-float ABI/);
  assert.throws(() => t('thumbv6m-none-eabihf', undefined), /has no FPU/);
  assert.throws(() => t('thumbv7em-none-eabihf', 'cortex-m7', 'gnu'), /contradicts the ABI/);
  assert.throws(() => t(undefined, 'cortex-m85'), /unknown CPU 'cortex-m85'; supported: cortex-m0, cortex-m0plus, cortex-m3/);
  assert.throws(() => t(undefined, 'cortex-m4', 'msvc'), /unknown --target-abi 'msvc'/);
  assert.throws(() => t(undefined, undefined), /no target given/);
});

test('capabilities drive inlining', () => {
  const m0 = CPUS[0]!;
  const m4 = CPUS.find((c) => c.name === 'cortex-m4')!;
  assert.equal(canInline(m0, 'hwdiv'), false);
  assert.equal(canInline(m4, 'fpu-sp'), true);
  assert.equal(canInline(m4, 'fpu-dp'), false);
  assert.equal(canInline(m4, 'vrint-sp'), false);
  assert.equal(canInline(m4, 'never'), false);
  assert.equal(canInline(m0, 'always'), true);
});

test('compile options: --xip implies indirect mode and disable-llvm-intrinsics, keeps BL', () => {
  const o = resolveCompileOptions({ target: 'thumbv8m.main', cpu: 'cortex-m55', xip: true, enableBuiltinIntrinsics: 'i64.common' });
  assert.equal(o.xip, true);
  assert.equal(o.indirectMode, true);
  assert.equal(o.disableLlvmIntrinsics, true);
  assert.equal(o.callsViaTable, false);
  assert.equal(o.floatAbi, 'hard');
  assert.equal(o.optLevel, 2);
  assert.equal(o.intrinsics.enabled.get('i64.mul'), 'requested');
  const w = resolveCompileOptions({ cpu: 'cortex-m3', xip: true, internalCallsViaTable: true });
  assert.equal(w.callsViaTable, true);
  const i = resolveCompileOptions({ cpu: 'cortex-m3', enableIndirectMode: true });
  assert.deepEqual([i.xip, i.indirectMode, i.callsViaTable, i.disableLlvmIntrinsics], [false, true, true, false]);
  const plain = resolveCompileOptions({ cpu: 'cortex-m3', optLevel: 0 });
  assert.deepEqual([plain.indirectMode, plain.callsViaTable, plain.optLevel], [false, false, 0]);
  assert.throws(() => resolveCompileOptions({ cpu: 'cortex-m3', optLevel: 4 }), /--opt-level must be 0, 1, 2 or 3, not 4/);
  assert.throws(() => resolveCompileOptions({ target: 'thumbv7em', cpu: 'cortex-m3' }), UsageError);
});

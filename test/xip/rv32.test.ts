/** The RV32 target description (issue 11): named cores, --cpu-features, ilp32/ilp32f, the default intrinsic tables. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UsageError } from '../../src/errors.js';
import { ALL_CPUS, CPUS, RV32_CPUS, cpuInfo, resolveTarget } from '../../src/xip/cpu.js';
import { resolveIntrinsicsFor, type ResolvedIntrinsics } from '../../src/xip/policy.js';
import { compileModule } from '../../src/compile.js';
import { readAot } from '../../src/aot/reader.js';
import { main } from '../../src/cli/main.js';
import { nodeIo, type CliIo } from '../../src/cli/io.js';
import { testModuleBytes } from './module-fixture.js';

test('named RV32 cores: ISA, capabilities, default ABI', () => {
  const row = (n: string): string => {
    const c = cpuInfo(n as never);
    return `${c.isa} ${c.rvExtensions.join('')} div=${c.hwDivide} mul64=${c.longMultiply} clz=${c.clz} fpu=${c.fpu} abi=${c.defaultFloatAbi}`;
  };
  assert.equal(row('generic-rv32'), 'rv32  div=false mul64=false clz=false fpu=none abi=soft');
  assert.equal(row('esp32c3'), 'rv32 mc div=true mul64=true clz=false fpu=none abi=soft');
  assert.equal(row('sifive-e31'), 'rv32 mac div=true mul64=true clz=false fpu=none abi=soft');
  assert.equal(row('rv32imac'), 'rv32 mac div=true mul64=true clz=false fpu=none abi=soft');
  assert.equal(row('rv32imafc'), 'rv32 mafc div=true mul64=true clz=false fpu=sp abi=hard');
  assert.deepEqual(RV32_CPUS.map((c) => c.name), ['generic-rv32', 'esp32c3', 'sifive-e31', 'rv32imac', 'rv32imafc']);
  assert.equal(ALL_CPUS.length, CPUS.length + RV32_CPUS.length);
  assert.ok(CPUS.every((c) => c.isa === 'thumb'));
});

test('--target=riscv32, --cpu-features and --target-abi resolve, contradictions are refused', () => {
  const t = (target: string | undefined, cpu: string | undefined, abi?: string, feats?: string): string => {
    const r = resolveTarget(target, cpu, abi, feats);
    return `${r.target} ${r.cpu.name} ${r.floatAbi}`;
  };
  assert.equal(t('riscv32', undefined), 'riscv32 generic-rv32 soft');
  assert.equal(t('riscv32-unknown-elf', 'esp32c3'), 'riscv32 esp32c3 soft');
  assert.equal(t(undefined, 'rv32imafc'), 'riscv32 rv32imafc hard');
  assert.equal(t(undefined, 'rv32imafc', 'ilp32'), 'riscv32 rv32imafc soft');
  assert.equal(t('riscv32', 'generic-rv32', undefined, '+m,+a,+c'), 'riscv32 rv32imac soft');
  assert.equal(t('riscv32', 'generic-rv32', undefined, '+m,+a,+f,+c'), 'riscv32 rv32imafc hard');
  assert.equal(t('riscv32', 'esp32c3', 'ilp32f', '+f'), 'riscv32 rv32imfc hard');
  assert.equal(t('riscv32', 'sifive-e31', undefined, '-c'), 'riscv32 rv32ima soft');
  assert.equal(t('riscv32', 'esp32c3', undefined, '+m'), 'riscv32 esp32c3 soft');
  assert.equal(t(undefined, 'rv32imc'), 'riscv32 rv32imc soft');
  assert.throws(() => t('riscv32', 'esp32c3', 'ilp32f'), /esp32c3 has no F extension: --target-abi=ilp32f is impossible/);
  assert.throws(() => t('riscv32', 'esp32c3', 'eabihf'), /an Arm ABI but esp32c3 is RV32/);
  assert.throws(() => t('thumbv7em', 'cortex-m4', 'ilp32f'), /a RISC-V ABI but cortex-m4 is an Arm core/);
  assert.throws(() => t('riscv32', 'rv32imafc', 'ilp32d'), /ilp32d is not supported/);
  assert.throws(() => t('riscv32', 'cortex-m3'), /--target=riscv32 contradicts --cpu=cortex-m3/);
  assert.throws(() => t('thumbv7m', 'esp32c3'), /contradicts --cpu=esp32c3: esp32c3 is riscv32/);
  assert.throws(() => t('riscv32', 'esp32c3', undefined, '+d'), /extension 'd' is not supported/);
  assert.throws(() => t('riscv32', 'esp32c3', undefined, 'm'), /write \+ext or -ext/);
  assert.throws(() => t('riscv32', 'esp32c3', undefined, '+q'), /unknown RV32 extension 'q'/);
  assert.throws(() => t(undefined, 'cortex-m4', undefined, '+dsp'), UsageError);
  assert.throws(() => t(undefined, 'rv64gc'), /unknown CPU 'rv64gc'/);
});

const table = (cpu: string, list?: string): ResolvedIntrinsics => {
  const r = resolveTarget('riscv32', cpu, undefined);
  return resolveIntrinsicsFor(r.cpu, r.target, list);
};
const how = (r: ResolvedIntrinsics, name: string): string => r.enabled.get(name) ?? 'inline';

test('RV32 default tables: M inlines i32 division and the 64-bit product, F inlines f32; f64 and i64 division always call', () => {
  const g = table('generic-rv32'), c3 = table('esp32c3'), f = table('rv32imafc');
  for (const n of ['i32.div_s', 'i32.rem_u', 'i64.mul']) {
    assert.equal(how(g, n), 'required', `rv32i ${n}`);
    assert.equal(how(c3, n), 'inline', `esp32c3 ${n}`);
  }
  for (const n of ['llvm.experimental.constrained.fadd.f32', 'llvm.sqrt.f32', 'f32_cmp', 'llvm.minnum.f32', 'i32_trunc_f32_s', 'f32_convert_i32_u']) {
    assert.equal(how(c3, n), 'required', `esp32c3 ${n}`);
    assert.equal(how(f, n), 'inline', `rv32imafc ${n}`);
  }
  // No rounding instruction in F (that is Zfa), but fcvt.w.s with a rounding mode and back rounds exactly below
  // 2^23 (src/target/rv32/emit-float.ts): ceil/floor/trunc/nearest are inline with F, calls without.
  for (const n of ['llvm.ceil.f32', 'llvm.floor.f32', 'llvm.trunc.f32', 'llvm.rint.f32']) {
    assert.equal(how(f, n), 'inline', `rv32imafc ${n}`);
    assert.equal(how(c3, n), 'required', `esp32c3 ${n}`);
  }
  assert.equal(how(f, 'llvm.ceil.f64'), 'required');
  for (const r of [g, c3, f]) {
    for (const n of ['llvm.experimental.constrained.fadd.f64', 'f64_cmp', 'f64_promote_f32', 'i64.div_s', 'i64.rem_u', 'f32_convert_i64_s', 'llvm.ctlz.i32']) {
      assert.equal(how(r, n), 'required', `${r.cpu} ${n}`);
    }
    assert.equal(how(r, 'llvm.ctpop.i32'), 'default', `${r.cpu} popcount`);
    for (const n of ['i64.shl', 'i64.and', 'llvm.copysign.f32', 'i32.const']) assert.equal(how(r, n), 'inline', `${r.cpu} ${n}`);
  }
  // --enable-builtin-intrinsics replaces the default table as on Thumb; what the core cannot do stays required.
  const asked = table('rv32imafc', 'f32.common');
  assert.equal(how(asked, 'llvm.experimental.constrained.fadd.f32'), 'requested');
  assert.equal(how(asked, 'llvm.ctpop.i32'), 'inline');
  assert.equal(how(asked, 'i64.div_s'), 'required');
});

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { ...nodeIo, out: (t) => { out += t; }, err: (t) => { err += t; } };
  return { code: await main(argv, io), out, err };
}

test('RV32 compilation makes an RV32 image, with ilp32f and frame records too', () => {
  const r = compileModule(testModuleBytes(), { target: 'riscv32', cpu: 'esp32c3', xip: true });
  assert.equal(r.relocations, 0);
  const h = readAot(r.image);
  assert.equal(h.target, 'riscv32');
  assert.equal(h.cpu, 'esp32c3');
  // ilp32f is rv32imafc's default float ABI, and the header records it
  const f = readAot(compileModule(testModuleBytes(), { target: 'riscv32', cpu: 'rv32imafc', xip: true }).image);
  assert.equal(f.cpu, 'rv32imafc');
  assert.equal(f.floatAbi, 'hard');
  assert.ok(!f.symbols.some((x) => x.name === 'aot_intrinsic_fadd_f32'), 'f32.add is fadd.s under ilp32f');
  // under a soft-float ABI a core's FPU computes nothing: f32.add is the runtime's (rv32imafc with ilp32, and the
  // Cortex-M4 with eabi, which both used to find it "inline" in the core's table and fail)
  for (const o of [{ target: 'riscv32', cpu: 'rv32imafc', targetAbi: 'ilp32' }, { cpu: 'cortex-m4', targetAbi: 'eabi' }]) {
    const soft = readAot(compileModule(testModuleBytes(), { ...o, xip: true }).image);
    assert.equal(soft.floatAbi, 'soft');
    assert.ok(soft.symbols.some((x) => x.name === 'aot_intrinsic_fadd_f32'), `${o.cpu}: ${soft.symbols.map((x) => x.name).join(', ')}`);
  }
  // frame records (docs/abi.md §11): the header's ABI version says the image links them
  assert.equal(readAot(compileModule(testModuleBytes(), { target: 'riscv32', cpu: 'rv32imac', enableDumpCallStack: true }).image).abiVersion, 2);
});

test('intrinsics --target=riscv32 prints the table, --cpu=help lists the RV32 cores', async () => {
  const r = await cli('intrinsics', '--target=riscv32', '--cpu=esp32c3');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^target riscv32, cpu esp32c3/);
  assert.match(r.out, /i32\.div_s +inline: trap checks \+ div\n/);
  assert.match(r.out, /f32\.add +call #\d+ float aot_intrinsic_fadd_f32\(float, float\) \(required by esp32c3\)/);
  const h = await cli('intrinsics', '--cpu=help');
  for (const n of ['generic-rv32', 'esp32c3', 'sifive-e31', 'rv32imac', 'rv32imafc']) assert.match(h.out, new RegExp(`^  ${n} +riscv32 `, 'm'));
});

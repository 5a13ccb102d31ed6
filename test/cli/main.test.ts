import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { nodeIo, type CliIo } from '../../src/cli/io.js';
import { renderSymbolsHeader } from '../../src/xip/symbols-header.js';
import { readAot } from '../../src/aot/reader.js';
import { testModuleBytes } from '../xip/module-fixture.js';

const ROOT = new URL('../../../', import.meta.url);

interface Run { code: number; out: string; err: string }

async function run(...argv: string[]): Promise<Run> {
  let out = '';
  let err = '';
  const io: CliIo = { ...nodeIo, out: (t) => { out += t; }, err: (t) => { err += t; } };
  const code = await main(argv, io);
  return { code, out, err };
}

const dir = mkdtempSync(join(tmpdir(), 'xw-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const hello = join(dir, 'hello.wasm');
writeFileSync(hello, testModuleBytes());
const bad = join(dir, 'bad.wasm');
writeFileSync(bad, new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01]));

function assertNoStack(r: Run): void {
  assert.doesNotMatch(r.err, /\n\s+at /, 'no stack trace');
}

test('top-level help, version and unknown commands', async () => {
  const h = await run('--help');
  assert.equal(h.code, 0);
  assert.match(h.out, /^Usage: xipwasm <command> \[options\]/);
  for (const c of ['compile', 'intrinsics', 'inspect', 'run']) assert.match(h.out, new RegExp(`\\n  ${c} `));
  const none = await run();
  assert.equal(none.code, 1);
  assert.match(none.err, /^Usage: xipwasm/);
  const pkg = JSON.parse(readFileSync(new URL('package.json', ROOT), 'utf8')) as { version: string };
  assert.deepEqual(await run('--version'), { code: 0, out: `xipwasm ${pkg.version}\n`, err: '' });
  assert.deepEqual(await run('compile', '--version'), { code: 0, out: `xipwasm ${pkg.version}\n`, err: '' });
  const u = await run('frobnicate');
  assert.equal(u.code, 1);
  assert.match(u.err, /^xipwasm: error: unknown command 'frobnicate'/);
  assert.equal((await run('help', 'compile')).out, (await run('compile', '--help')).out);
});

test('compile --help lists the wamrc flags', async () => {
  const r = await run('compile', '--help');
  assert.equal(r.code, 0);
  for (const f of ['--target=<arch>', '--cpu=<cpu>', '--target-abi=<abi>', '--xip', '--enable-indirect-mode',
    '--disable-llvm-intrinsics', '--enable-builtin-intrinsics=<a,b,...>', '-o <file>', '--opt-level=<0..3>',
    '-v, --verbose', '--internal-calls-via-table', '--version']) {
    assert.ok(r.out.includes(f), f);
  }
});

test('--cpu=help and --target=help list the cores', async () => {
  for (const arg of ['--cpu=help', '--target=help']) {
    const r = await run('compile', arg);
    assert.equal(r.code, 0);
    assert.match(r.out, /cortex-m0 +thumbv6m/);
    assert.match(r.out, /cortex-m55 +thumbv8\.1m\.main\|thumbv8m\.main/);
  }
  assert.match((await run('compile', '--target-abi=help')).out, /gnu, eabi, gnueabi, gnueabihf, eabihf/);
});

test('both command lines from WAMR doc/xip.md compile as written, to relocation-free XIP files', async () => {
  const out = join(dir, 'hello.aot');
  const lines: [string[], string, string, string][] = [
    [['--target=thumbv8m.main', '--cpu=cortex-m55', '--xip', '--enable-builtin-intrinsics=i64.common', '-o', out, hello],
      'thumbv8m.main', 'cortex-m55', 'hard'],
    [['--target=thumbv7m', '--cpu=cortex-m3', '--xip', '--enable-builtin-intrinsics=i64.common,fp.common,fpxint', '-o', out, hello],
      'thumbv7m', 'cortex-m3', 'soft'],
    [['--cpu=cortex-m3', `-o=${out}`, '--opt-level=0', hello], 'thumbv7m', 'cortex-m3', 'soft'],
  ];
  for (const [argv, target, cpu, floatAbi] of lines) {
    rmSync(out, { force: true });
    const r = await run('compile', ...argv);
    assert.deepEqual(r, { code: 0, out: '', err: '' }, argv.join(' '));
    const f = readAot(new Uint8Array(readFileSync(out)));
    assert.equal(f.relocations, 0);
    assert.ok(f.crcOk);
    assert.deepEqual([f.target, f.cpu, f.floatAbi], [target, cpu, floatAbi]);
    // hello's f32.add is a runtime call on the FPU-less M3, and inline VFP on the M55
    assert.equal(f.symbols.some((s) => s.name === 'aot_intrinsic_fadd_f32'), cpu === 'cortex-m3', argv.join(' '));
  }
});

test('compile -v prints the options, the runtime functions the module needs and what it produced', async () => {
  const out = join(dir, 'hello-v.aot');
  const r = await run('compile', '--target=thumbv7m', '--cpu=cortex-m3', '--xip', '-v', '-o', out, hello);
  assert.equal(r.code, 0);
  assert.match(r.err, /target=thumbv7m cpu=cortex-m3 float-abi=soft xip=true indirect-mode=true internal-calls-via-table=false disable-llvm-intrinsics=true opt-level=2/);
  assert.match(r.err, /module needs 3 runtime functions:/);
  assert.match(r.err, /#14 +aot_intrinsic_fadd_f32 +2 sites +\(f32\.add\)/);
  assert.match(r.err, /compiled 2 functions in \d+ ms: text \d+ bytes, image \d+ bytes, relocations 0, native symbols .*aot_intrinsic_fadd_f32/);
});

test('usage errors: one line, no stack trace, exit 1', async () => {
  const cases: [string[], RegExp][] = [
    [['compile', '--target=thumbv7m', '--cpu=cortex-m4', hello], /^xipwasm: error: --target=thumbv7m contradicts --cpu=cortex-m4/],
    [['compile', '--cpu=cortex-m3', '--target-abi=gnueabihf', hello], /cortex-m3 has no FPU/],
    [['compile', '--bogus', hello], /^xipwasm: error: unknown option '--bogus' for 'compile'/],
    [['compile', '--frobnicate-level=1', hello], /unknown option '--frobnicate-level'/],
    [['compile', '--cpu=cortex-m3', '--enable-builtin-intrinsics=i64.commom', hello], /unknown intrinsic 'i64\.commom'.*valid groups: all, /],
    [['compile', '--cpu=cortex-m3', '--opt-level=4', hello], /--opt-level must be 0, 1, 2 or 3, not 4/],
    [['compile', '--cpu=cortex-m3', '--opt-level=fast', hello], /--opt-level must be 0, 1, 2 or 3, not 'fast'/],
    [['compile', '--cpu=cortex-m3', '--xip=1', hello], /option --xip takes no value/],
    [['compile', '--cpu=cortex-m3', hello, '-o'], /option -o needs a value/],
    [['compile', '--cpu=cortex-m3'], /compile needs exactly one input/],
    [['compile', hello], /no target given/],
    [['compile', '--cpu=cortex-m3', join(dir, 'missing.wasm')], /^xipwasm: error: ENOENT/],
    [['compile', '--cpu=cortex-m3', bad], /^xipwasm: error: .*\(at offset 0x[0-9a-f]+\)\n$/],
  ];
  for (const [argv, re] of cases) {
    const r = await run(...argv);
    assert.equal(r.code, 1, argv.join(' '));
    assert.equal(r.out, '');
    assert.match(r.err, re, argv.join(' '));
    assertNoStack(r);
  }
});

test('intrinsics prints the resolved table with reasons', async () => {
  const r = await run('intrinsics', '--target=thumbv7m', '--cpu=cortex-m3');
  assert.equal(r.code, 0);
  assert.match(r.out, /^target thumbv7m, cpu cortex-m3 \(FPU: none\), table: CPU default/);
  assert.match(r.out, /llvm\.experimental\.constrained\.fadd\.f32 +f32\.add +call #14 float aot_intrinsic_fadd_f32\(float, float\) \(required by cortex-m3\)/);
  assert.match(r.out, /i32\.div_s +i32\.div_s +inline: trap checks \+ SDIV/);
  assert.match(r.out, /llvm\.ctpop\.i32 +i32\.popcnt +call #44 uint32_t aot_intrinsic_popcnt_i32\(uint32_t\) \(cortex-m3 default\)/);
  assert.match(r.out, /f32_cmp +f32\.eq \(\+5\) +call #64 int32_t aot_intrinsic_f32_cmp\(int32_t, float, float\)/);
  const l = await run('intrinsics', '--cpu=cortex-m55', '--enable-builtin-intrinsics=i64.common,constop');
  assert.match(l.out, /i64\.mul +i64\.mul +call #76 uint64_t aot_intrinsic_i64_mul\(uint64_t, uint64_t\) \(requested\)/);
  assert.match(l.out, /i32\.const +i32\.const +constant table \(requested\)/);
  assert.match(l.out, /llvm\.minnum\.f64 +f64\.min +inline: /);
});

test('intrinsics with a module counts the call sites', async () => {
  const r = await run('intrinsics', '--cpu=cortex-m4', hello);
  assert.equal(r.code, 0);
  assert.ok(r.out.endsWith(
    `\n${hello}: 2 functions\nmodule needs 2 runtime functions:\n` +
    '  #1   xw_memory_grow                1 site   (memory.grow)\n' +
    '  #66  aot_intrinsic_i64_div_s       1 site   (i64.div_s)\n'), r.out);
});

test('inspect describes what compile wrote, and run needs a board file or a module', async () => {
  const out = join(dir, 'hello-i.aot');
  assert.equal((await run('compile', '--cpu=cortex-m3', '--xip', '-o', out, hello)).code, 0);
  const r = await run('inspect', out);
  assert.equal(r.code, 0);
  assert.match(r.out, /target: thumbv7m {2}cpu: cortex-m3 {2}float ABI: soft/);
  assert.match(r.out, /relocations: 0/);
  const bad = await run('inspect', hello);
  assert.equal(bad.code, 1);
  assertNoStack(bad);
});

test('gen-symbols prints the header', async () => {
  const r = await run('gen-symbols');
  assert.equal(r.code, 0);
  assert.equal(r.out, renderSymbolsHeader());
});

test('the bin script sets the exit code', () => {
  const bin = new URL('bin/xipwasm.js', ROOT).pathname;
  assert.throws(() => execFileSync(process.execPath, [bin, 'compile', '--nope'], { stdio: 'pipe' }),
    (e: unknown) => (e as { status?: number }).status === 1);
  assert.match(execFileSync(process.execPath, [bin, '--version'], { encoding: 'utf8' }), /^xipwasm \d+\.\d+\.\d+\n$/);
});

/** `xipwasm run` as a host runner: --native-lib host functions, repeated --invoke on one instance, spectest prints,
    compile flags passed through, _start. Expected output comes from V8 running the same module with the same host
    functions written in JavaScript. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { compileModule } from '../../src/compile.js';
import { missingTools } from '../boards/fixture.js';
import { V8 } from '../wasm/v8.js';
import { cli, haveWat2wasm } from './cli-harness.js';

const FIXTURES = fileURLToPath(new URL('../../../test/run/fixtures/', import.meta.url));
const LIB = join(FIXTURES, 'hostlib.c');

const skip = missingTools() ?? (haveWat2wasm() ? undefined : 'wat2wasm is not installed');

/** What the board run must print, from V8 with the C library's functions in JavaScript. */
function v8Run(wasm: Uint8Array, calls: [string, ...(number | bigint)[]][]): { out: string; err: string } {
  let out = '';
  let err = '';
  let memory: { buffer: ArrayBuffer } | undefined;
  const env = {
    log: (x: number) => { out += `log: ${x}\n`; },
    mul3: (a: number, b: bigint) => BigInt.asIntN(64, BigInt(a) * b * 3n),
    say: (p: number, n: number) => { err += Buffer.from(new Uint8Array(memory!.buffer, p, n)).toString(); },
  };
  const spectest = { print_i32: (x: number) => { out += `spectest.print_i32(${x})\n`; } };
  const inst = new V8.Instance(new V8.Module(wasm), { env, spectest });
  memory = inst.exports['memory'] as unknown as { buffer: ArrayBuffer };
  for (const [name, ...args] of calls) {
    const r = (inst.exports[name] as (...a: unknown[]) => unknown)(...args);
    if (typeof r === 'number') out += `i32:${r}\n`;
    else if (typeof r === 'bigint') out += `i64:${r}\n`;
  }
  return { out, err };
}

describe('xipwasm run as a host runner', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'xipwasm-host-runner-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const wasmPath = join(dir, 'app.wasm');
  if (skip === undefined) execFileSync('wat2wasm', [join(FIXTURES, 'host-runner.wat'), '-o', wasmPath]);

  it('satisfies the module\'s own imports with --native-lib and calls repeatedly on one instance', async () => {
    const wasm = readFileSync(wasmPath);
    const expected = v8Run(wasm, [['add', 5], ['add', -2], ['mul3', 7, 0x100000000n], ['hello']]);
    for (const board of ['mps2-an385', 'mps3-an547']) {
      const r = await cli(['run', `--board=${board}`, `--native-lib=${LIB}`, wasmPath,
        '--invoke', 'add', '5', '--invoke', 'add', '-2', '--invoke', 'mul3', '7', '0x100000000', '--invoke', 'hello']);
      assert.deepEqual(r, { code: 0, ...expected }, board);
    }
  });

  it('passes compile flags through, and checks them against the board', async () => {
    const r = await cli(['run', '--native-lib', LIB, '--opt-level', '0', '--enable-builtin-intrinsics=i64.common', wasmPath, '--invoke', 'mul3', '-3', '5']);
    assert.deepEqual(r, { code: 0, out: `i64:${-45}\n`, err: '' });
    const m55 = await cli(['run', `--native-lib=${LIB}`, '--board=mps2-an385', '--cpu=cortex-m55', wasmPath, '--invoke', 'add', '1']);
    assert.equal(m55.code, 1);
    assert.match(m55.err, /for cortex-m55 \(hard-float\) and mps2-an385 is cortex-m3 \(soft-float\): boards that run it: mps3-an547/);
    const aot = join(dir, 'app.aot');
    writeFileSync(aot, compileModule(readFileSync(wasmPath), { cpu: 'cortex-m3', xip: true }).image);
    const already = await cli(['run', '--opt-level=0', aot, '--invoke', 'add', '1']);
    assert.match(already.err, /already compiled; compile flags \(--opt-level=0\) apply to a \.wasm/);
    const refused = await cli(['run', '--bounds-checks=0', wasmPath, '--invoke', 'add', '1']);
    assert.match(refused.err, /--bounds-checks=0: not supported:/);
  });

  it('calls _start without --invoke', async () => {
    assert.deepEqual(await cli(['run', `--native-lib=${LIB}`, wasmPath]), { code: 0, out: 'log: 42\n', err: '' });
  });

  it('a host function that traps stops that call only; the exit status is the first failure\'s', async () => {
    const r = await cli(['run', `--native-lib=${LIB}`, wasmPath, '--invoke', 'bad', '--invoke', 'add', '1']);
    assert.equal(r.code, 2);
    assert.match(r.out, /^trap: .*env\.say: out of bounds\nlog: 1\ni32:1\n$/);
  });

  it('without the library the board refuses the module and names the import', async () => {
    const r = await cli(['run', wasmPath, '--invoke', 'add', '1']);
    assert.equal(r.code, 1);
    assert.match(r.err, /refused .*env.*log/);
  });
});

/**
 * `xipwasm run app.wasm -- args...` and `--env=NAME=VALUE`: a wasi-libc program that prints its argv and environ
 * prints on the board what it prints under Node's WASI given the same arguments (argv[0] = the module's path,
 * as iwasm gives it) and the same variables, and exits with the same status.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WASI } from 'node:wasi';
import { after, describe, it } from 'node:test';
import { V8 } from '../wasm/v8.js';
import { missingTools } from '../boards/fixture.js';
import { cli } from './cli-harness.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'xw-wasi-args-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const wasmPath = join(dir, 'args.wasm');
const built = spawnSync('clang-14', ['--target=wasm32-wasi', '-Os', join(root, 'test', 'run', 'fixtures', 'args.c'), '-o', wasmPath], { encoding: 'utf8' });
const skip = missingTools() || (built.status !== 0 ? `clang-14 --target=wasm32-wasi failed (wasi-libc, libclang-rt-14-dev-wasm32): ${built.stderr}` : undefined);

function nodeWasi(args: string[], env: Record<string, string>): { stdout: string; status: number } {
  const file = join(dir, 'node-out');
  const fd = openSync(file, 'w');
  const wasi = new WASI({ version: 'preview1', args, env, stdout: fd, returnOnExit: true });
  const inst = new V8.Instance(new V8.Module(readFileSync(wasmPath)), wasi.getImportObject());
  const status = wasi.start(inst as Parameters<WASI['start']>[0]);
  closeSync(fd);
  return { stdout: readFileSync(file, 'utf8'), status };
}

describe('xipwasm run: WASI arguments and environment', { skip }, () => {
  it('passes argv (the path, then what follows --) and --env variables as Node\'s WASI does', async () => {
    const programArgs = ['', 'two words', '100%', '-5', 'ü€', '--not-an-option', 'a=b', '--'];
    const env: Record<string, string> = { GREETING: 'hello', EMPTY: '', WITH_EQ: 'a=b=c', SPACED: 'x y %41' };
    const want = nodeWasi([wasmPath, ...programArgs], env);
    assert.match(want.stdout, /argc=9 envc=4\n$/);
    const r = await cli(['run', ...Object.entries(env).map(([k, v]) => `--env=${k}=${v}`), wasmPath, '--', ...programArgs]);
    assert.deepEqual(r, { code: want.status, out: want.stdout, err: '' });
  });

  it('without -- or --env: argv is the path alone, no variables', async () => {
    const want = nodeWasi([wasmPath], {});
    const r = await cli(['run', '--env', 'ONE=1', '--board=mps3-an547', wasmPath]);
    const one = nodeWasi([wasmPath], { ONE: '1' });
    assert.deepEqual(r, { code: one.status, out: one.stdout, err: '' });
    assert.equal(want.status, 1);
    const bare = await cli(['run', wasmPath]);
    assert.deepEqual(bare, { code: 1, out: want.stdout, err: '' });
  });

  it('refuses --dir and --map-dir (no preopens) and a variable without a name', async () => {
    const d = await cli(['run', '--dir=.', wasmPath]);
    assert.equal(d.code, 1);
    assert.match(d.err, /^xipwasm: error: --dir=\.: not supported: no WASI preopens/);
    const m = await cli(['run', '--map-dir', 'a::b', wasmPath]);
    assert.match(m.err, /--map-dir=a::b: not supported: no WASI preopens/);
    const e = await cli(['run', '--env=novalue', wasmPath]);
    assert.match(e.err, /--env=novalue: a variable is NAME=VALUE/);
    const many = await cli(['run', wasmPath, '--', ...Array.from({ length: 200 }, (_, i) => `a${i}`)]);
    assert.equal(many.code, 1);
    assert.match(many.err, /at most 129/);
  });
});

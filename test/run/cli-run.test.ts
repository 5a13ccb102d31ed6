/** `xipwasm run` end to end on the boards, with the hand-assembled fixture. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { BOARDS } from '../../src/run/boards.js';
import { fixtureAot, fixtureWasm, missingTools } from '../boards/fixture.js';
import { cli } from './cli-harness.js';

const skip = missingTools();

describe('xipwasm run', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'xipwasm-cli-run-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'fixture.aot');
  if (skip === undefined) writeFileSync(file, fixtureAot(BOARDS['mps2-an385']));

  it('types the arguments by the signature and prints the result', async () => {
    const r = await cli(['run', '--board=mps2-an385', file, '--invoke', 'add', '-5', '0x10']);
    assert.deepEqual(r, { code: 0, out: 'i32:11\n', err: '' });
  });

  it('prints JSON with the exact instruction count', async () => {
    const r = await cli(['run', file, '--invoke', 'count', '100', '--count-instructions', '--json']);
    assert.equal(r.code, 0, r.err);
    // entry trampoline (6) + count(n) = 4n + 3, from the listing in test/boards/fixture.ts
    assert.deepEqual(JSON.parse(r.out), { results: [{ type: 'i32', value: '300', bits: '0x0000012c' }], trap: null, instructions: 409 });
  });

  it('reports a trap with exit status 2', async () => {
    const r = await cli(['run', file, '--invoke', 'boom', '--json']);
    assert.equal(r.code, 2);
    assert.deepEqual(JSON.parse(r.out), { results: [], trap: 'unreachable', instructions: null });
  });

  it('a trap in the start function exits with the trap status', async () => {
    // (module (func $f (export "f") unreachable) (start $f))
    const wasm = join(dir, 'start-trap.wasm');
    writeFileSync(wasm, new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
      0x03, 0x02, 0x01, 0x00, 0x07, 0x05, 0x01, 0x01, 0x66, 0x00, 0x00, 0x08, 0x01, 0x00, 0x0a, 0x05, 0x01, 0x03, 0x00, 0x00, 0x0b]));
    const r = await cli(['run', wasm, '--invoke', 'f']);
    assert.deepEqual(r, { code: 2, out: 'trap: unreachable (while instantiating)\n', err: '' });
  });

  it('compiles a .wasm for the board first', async () => {
    const wasm = join(dir, 'fixture.wasm');
    writeFileSync(wasm, fixtureWasm());
    for (const board of ['mps2-an385', 'mps3-an547']) {
      const r = await cli(['run', `--board=${board}`, wasm, '--invoke', 'count', '0x10']);
      assert.deepEqual(r, { code: 0, out: 'i32:48\n', err: '' });
    }
  });

  it('rejects a wrong argument count, an unknown export and a mismatched board', async () => {
    const a = await cli(['run', file, '--invoke', 'add', '1']);
    assert.equal(a.code, 1);
    assert.match(a.err, /takes 2 argument\(s\) \(i32, i32\), got 1/);
    const b = await cli(['run', file, '--invoke', 'nope']);
    assert.match(b.err, /no exported function 'nope' \(exported functions: add, boom, count, spin\)/);
    const c = await cli(['run', '--board=mps3-an547', file, '--invoke', 'add', '1', '2']);
    assert.equal(c.code, 1);
    // refused before the board is started, naming the board that runs a cortex-m3 image
    assert.match(c.err, /is for cortex-m3 \(soft-float\) and mps3-an547 is cortex-m55 \(hard-float\): boards that run it: mps2-an385/);
  });
});

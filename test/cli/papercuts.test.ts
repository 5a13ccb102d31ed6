/** The CLI's small failures a new user meets first (issue 13, item 5). */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';
import { main } from '../../src/cli/main.js';
import { CLOSED_OUTPUT_STATUS, nodeIo, type CliIo } from '../../src/cli/io.js';
import { compileModule } from '../../src/compile.js';
import { testModuleBytes } from '../xip/module-fixture.js';

const BIN = fileURLToPath(new URL('../../../bin/xipwasm.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'xw-papercuts-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { ...nodeIo, out: (t) => { out += t; }, err: (t) => { err += t; } };
  return { code: await main(argv, io), out, err };
}

const leb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
};

/** `count` empty functions: inspect prints a line for each, far more than a pipe buffer holds. */
function manyFunctions(count: number): Uint8Array {
  const sec = (id: number, body: number[]): number[] => [id, ...leb(body.length), ...body];
  const funcs = [...leb(count), ...new Array<number>(count).fill(0)];
  const codes = [...leb(count), ...Array.from({ length: count }, () => [0x02, 0x00, 0x0b]).flat()];
  return new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...sec(1, [0x01, 0x60, 0x00, 0x00]), ...sec(3, funcs), ...sec(10, codes)]);
}

test('a reader that closes the pipe early: exit status 141, nothing on stderr, for every command that prints', async () => {
  const aot = join(dir, 'many.aot');
  const wasm = join(dir, 'many.wasm');
  writeFileSync(wasm, manyFunctions(4000));
  writeFileSync(aot, compileModule(manyFunctions(4000), { cpu: 'cortex-m3', xip: true }).image);
  for (const argv of [['inspect', aot], ['inspect', '--json', aot], ['compile', '--cpu=cortex-m3', '--enable-stack-estimation', '-o', join(dir, 'x.aot'), wasm]]) {
    // a real pipe into `head` (Node's own child pipes are socket pairs with buffers larger than the output)
    const quoted = [process.execPath, BIN, ...argv].map((a) => `'${a}'`).join(' ');
    const { code, err } = await new Promise<{ code: number | null; err: string }>((resolve) => {
      const child = spawn('bash', ['-o', 'pipefail', '-c', `${quoted} | head -c 10 >/dev/null`], { stdio: ['ignore', 'ignore', 'pipe'] });
      let e = '';
      child.stderr.on('data', (d: Buffer) => { e += d.toString(); });
      child.on('close', (c) => resolve({ code: c, err: e }));
    });
    assert.equal(err, '', argv.join(' '));
    assert.equal(code, CLOSED_OUTPUT_STATUS, argv.join(' '));
  }
});

test('inspect on a .wasm says what it is and what to do', async () => {
  const wasm = join(dir, 'hello.wasm');
  writeFileSync(wasm, testModuleBytes());
  const r = await run('inspect', wasm);
  assert.equal(r.code, 1);
  assert.equal(r.out, '');
  assert.match(r.err, /is a WebAssembly module, not an xipwasm AOT file: compile it first \(xipwasm compile --cpu=<cpu> --xip -o out\.aot .*hello\.wasm\)/);
  assert.match(r.err, /xipwasm run .*hello\.wasm/);
});

test('inspect --disasm with an unknown name fails before printing anything', async () => {
  const aot = join(dir, 'hello.aot');
  writeFileSync(aot, compileModule(testModuleBytes(), { cpu: 'cortex-m4', xip: true }).image);
  for (const argv of [['inspect', '--disasm=nosuch', aot], ['inspect', '--disasm', 'nosuch', aot], ['inspect', '--json', '--disasm=nosuch', aot]]) {
    const r = await run(...argv);
    assert.deepEqual([r.code, r.out], [1, ''], argv.join(' '));
    assert.match(r.err, /^xipwasm: error: no function 'nosuch'/);
  }
});

test('unsupported features read "not supported: <feature>"', async () => {
  const wasm = (body: number[]): Uint8Array => new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...body]);
  const twoMemories = join(dir, 'mm.wasm');
  writeFileSync(twoMemories, wasm([0x05, 0x05, 0x02, 0x00, 0x01, 0x00, 0x01]));
  // (func return_call 0)
  const tail = join(dir, 'tail.wasm');
  writeFileSync(tail, wasm([0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00, 0x0a, 0x06, 0x01, 0x04, 0x00, 0x12, 0x00, 0x0b]));
  const a = await run('compile', '--cpu=cortex-m3', twoMemories);
  assert.match(a.err, /^xipwasm: error: not supported: multiple memories \(the multi-memory proposal\) \(at offset 0x[0-9a-f]+\)\n$/);
  const b = await run('compile', '--cpu=cortex-m3', tail);
  assert.match(b.err, /^xipwasm: error: not supported: tail calls \(opcode 0x12\) \(at offset 0x[0-9a-f]+\)\n$/);
});

/**
 * Compiled code on the micro:bit: a module goes through the target-neutral IR and the first Thumb-1 emitter
 * (src/target/thumb1/emit.ts) into a Cortex-M0 image, and runs against V8: i32 arithmetic and a loop, a call,
 * i64 addition and compares, br_table, loads and stores (a 1024-byte custom-page-size memory: bounds traps at
 * byte granularity, unaligned addresses), a mutable global, select and a trap.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { compileModule } from '../../src/compile.js';
import { BOARDS, archOf } from '../../src/run/boards.js';
import type { BatchRequest, WasmValue } from '../../src/run/protocol.js';
import { runBatch } from '../../src/run/qemu.js';
import { V8 } from '../wasm/v8.js';
import { smallMemoryWasm } from './thumb1-fixture.js';
import { firstMissingTool } from './fixture.js';

const WAT = `(module
  (memory 1)
  (global $g (mut i32) (i32.const 5))
  (data (i32.const 16) "\\10\\20\\30\\40\\50\\60\\70\\80")
  (func $mix (param i32 i32) (result i32)
    (i32.xor (i32.add (i32.mul (local.get 0) (i32.const 31)) (local.get 1)) (i32.shr_u (local.get 0) (i32.const 3))))
  (func (export "mix") (param i32 i32) (result i32) (call $mix (local.get 0) (local.get 1)))
  (func (export "sum") (param i32) (result i32) (local i32)
    (block $out (loop $l
      (br_if $out (i32.eqz (local.get 0)))
      (local.set 1 (i32.add (local.get 1) (call $mix (local.get 0) (local.get 1))))
      (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
      (br $l)))
    (local.get 1))
  (func (export "add64") (param i64 i64) (result i64) (i64.add (local.get 0) (local.get 1)))
  (func (export "lt64") (param i64 i64) (result i32) (i64.lt_s (local.get 0) (local.get 1)))
  (func (export "cls") (param i32) (result i32)
    (block $d (block $c (block $b (block $a (br_table $a $b $c $d (local.get 0)))
      (return (i32.const 10))) (return (i32.const 20))) (return (i32.const 30))) (i32.const 40))
  (func (export "get") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "get16") (param i32) (result i32) (i32.load16_s offset=2 (local.get 0)))
  (func (export "put") (param i32 i32) (i32.store (local.get 0) (local.get 1)))
  (func (export "bump") (result i32) (global.set $g (i32.add (global.get $g) (i32.const 1))) (global.get $g))
  (func (export "pick") (param i32 i32 i32) (result i32) (select (local.get 0) (local.get 1) (i32.lt_u (local.get 2) (i32.const 9))))
  (func (export "boom") (param i32) (result i32) (if (i32.gt_s (local.get 0) (i32.const 2)) (then unreachable)) (local.get 0)))`;

function wasm(): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'xw-t1c-'));
  try {
    writeFileSync(join(dir, 'm.wat'), WAT);
    execFileSync('wat2wasm', [join(dir, 'm.wat'), '-o', join(dir, 'm.wasm')], { stdio: ['ignore', 'ignore', 'pipe'] });
    return new Uint8Array(readFileSync(join(dir, 'm.wasm')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const spec = BOARDS.microbit;

const i32 = (n: number): WasmValue => ({ type: 'i32', bits: BigInt(n >>> 0) });
const i64 = (n: bigint): WasmValue => ({ type: 'i64', bits: BigInt.asUintN(64, n) });
const show = (v: unknown): string => JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `0x${x.toString(16)}` : x));
const MEM = 1024;

describe('micro:bit: a module compiled through the IR by the Thumb-1 emitter', { skip: firstMissingTool([archOf(spec).qemu, `${archOf(spec).toolPrefix}gcc`, 'wat2wasm']) }, () => {
  it('gives V8\'s results and traps', async () => {
    const bin = wasm();
    const image = compileModule(smallMemoryWasm(bin), { cpu: 'cortex-m0', xip: true }).image;
    const v8 = new V8.Instance(new V8.Module(bin)).exports as Record<string, (...a: never[]) => unknown>;
    const f = (name: string, ...args: unknown[]): unknown => (v8[name] as (...a: unknown[]) => unknown)(...args);
    type Call = [string, WasmValue[], WasmValue | 'trap' | undefined, number?];
    const calls: Call[] = [];
    for (const [x, y] of [[3, 4], [-1, 7], [0x12345678, -0x2345]]) calls.push(['mix', [i32(x!), i32(y!)], i32(f('mix', x, y) as number)]);
    for (const n of [0, 1, 10, 1000]) calls.push(['sum', [i32(n)], i32(f('sum', n) as number)]);
    for (const [x, y] of [[0xffffffffn, 1n], [-5n, 3n], [0x7fffffffffffffffn, 1n]] as const) {
      calls.push(['add64', [i64(x), i64(y)], i64(f('add64', x, y) as bigint)]);
      calls.push(['lt64', [i64(x), i64(y)], i32(f('lt64', x, y) as number)]);
      calls.push(['lt64', [i64(y), i64(x)], i32(f('lt64', y, x) as number)]);
    }
    for (const k of [0, 1, 2, 3, 4, -1]) calls.push(['cls', [i32(k)], i32(f('cls', k) as number)]);
    for (const addr of [16, 17, 18, 20, 1020, 1021, 1024, -1]) {
      calls.push(['get', [i32(addr)], addr >= 0 && addr + 4 <= MEM ? i32(f('get', addr) as number) : 'trap', 2]);
      calls.push(['get16', [i32(addr)], addr >= 0 && addr + 4 <= MEM ? i32(f('get16', addr) as number) : 'trap', 2]);
    }
    for (const [addr, v] of [[40, 0x01020304], [45, -2], [1022, 1]]) {
      const ok = addr! + 4 <= MEM;
      if (ok) f('put', addr, v);
      calls.push(['put', [i32(addr!), i32(v!)], ok ? undefined : 'trap', 2]);
      if (ok) calls.push(['get', [i32(addr!)], i32(f('get', addr) as number)]);
    }
    for (let k = 0; k < 3; k++) calls.push(['bump', [], i32(f('bump') as number)]);
    for (const c of [0, 8, 9, 100]) calls.push(['pick', [i32(11), i32(22), i32(c)], i32(f('pick', 11, 22, c) as number)]);
    calls.push(['boom', [i32(2)], i32(f('boom', 2) as number)]);
    assert.throws(() => f('boom', 3), /unreachable/);
    calls.push(['boom', [i32(3)], 'trap', 1]);
    const requests: BatchRequest[] = [
      { kind: 'module', image },
      ...calls.map(([name, args]): BatchRequest => ({ kind: 'invoke', module: 0, name, args })),
    ];
    const out = await runBatch('microbit', requests, { timeoutMs: 60_000 });
    assert.equal(out.completed, true, out.log);
    assert.deepEqual(out.results[0], { kind: 'ok' }, show(out.results[0]));
    calls.forEach(([name, args, want, code], k) => {
      const got = out.results[1 + k];
      const what = `${name}(${args.map((x) => x.bits).join(', ')})`;
      if (want === 'trap') assert.ok(got?.kind === 'trap' && got.code === code, `${what}: ${show(got)}`);
      else assert.deepEqual(got, { kind: 'values', values: want === undefined ? [] : [want] }, `${what}: ${show(got)}`);
    });
  });
});

/**
 * Every core on its own board (issue 10): a compiled module with i32, i64, f32 and f64 code, a trap and an import
 * runs with V8's results on every board that runs compiled code (the M3, M4F, M7, M33 and M55 boards), through the
 * batch driver at both tiers and through `xipwasm run --board=NAME`; the micro:bit (Cortex-M0, no MPU, runtime only: there is no
 * Thumb-1 back end, docs/boards.md) loads, validates and instantiates images and refuses bad ones, and its flash
 * is never written; `xipwasm run` picks the board from the image's CPU and names the boards that can run it.
 * The MPU tests (write to the blob, jump into SRAM, other aliases) are test/boards/xip.test.ts, over every board
 * that runs compiled code.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { crc32 } from '../../src/aot/crc32.js';
import { assertNever } from '../../src/errors.js';
import { compileModule } from '../../src/compile.js';
import { BOARDS, boardsFor, CODEGEN_BOARD_NAMES } from '../../src/run/boards.js';
import type { BatchRequest, BatchResult, WasmValue } from '../../src/run/protocol.js';
import { runBatch } from '../../src/run/qemu.js';
import { spectestRequests, spectestWasm } from '../../src/run/spectest.js';
import { V8 } from '../wasm/v8.js';
import { fixtureWasm, missingTools } from './fixture.js';
import { cli } from '../run/cli-harness.js';
import { watOrSkipReason } from '../wasm/wat.js';

const WAT = `(module
  (import "spectest" "print_i32" (func $print (param i32)))
  (func (export "i32") (param i32 i32) (result i32) (i32.add (i32.mul (local.get 0) (local.get 1)) (i32.div_s (local.get 0) (i32.const 7))))
  (func (export "i64") (param i64 i64) (result i64) (i64.add (i64.mul (local.get 0) (local.get 1)) (i64.div_u (local.get 0) (i64.const 13))))
  (func (export "f32") (param f32 f32) (result f32) (f32.add (f32.mul (local.get 0) (local.get 1)) (f32.sqrt (f32.abs (local.get 0)))))
  (func (export "f64") (param f64 f64) (result f64) (local f64)
    (local.set 2 (f64.div (local.get 0) (local.get 1)))
    (f64.add (f64.mul (local.get 2) (local.get 2)) (f64.const 2.5)))
  (func (export "mixed") (param f64 f32) (result f64) (f64.add (local.get 0) (f64.promote_f32 (local.get 1))))
  (func (export "trap") (param i32) (result i32) (i32.div_s (i32.const 1) (local.get 0)))
  (func (export "print") (param i32) (call $print (i32.mul (local.get 0) (i32.const 3)))))`;

const built = watOrSkipReason(WAT);
const skip = missingTools() || (typeof built === 'string' ? built : false);

const f32bits = (x: number): bigint => BigInt(new Uint32Array(new Float32Array([x]).buffer)[0] as number);
const f64bits = (x: number): bigint => new BigUint64Array(new Float64Array([x]).buffer)[0] as bigint;
const i32 = (n: number): WasmValue => ({ type: 'i32', bits: BigInt(n >>> 0) });
const i64 = (n: bigint): WasmValue => ({ type: 'i64', bits: BigInt.asUintN(64, n) });
const f32 = (x: number): WasmValue => ({ type: 'f32', bits: f32bits(x) });
const f64 = (x: number): WasmValue => ({ type: 'f64', bits: f64bits(x) });

type Call = readonly [string, readonly WasmValue[], (v8: Record<string, (...a: never[]) => unknown>) => WasmValue | 'trap' | undefined];
const CALLS: readonly Call[] = [
  ['i32', [i32(123456), i32(-789)], (e) => i32((e['i32'] as (a: number, b: number) => number)(123456, -789))],
  ['i64', [i64(0x123456789n), i64(-3n)], (e) => i64((e['i64'] as (a: bigint, b: bigint) => bigint)(0x123456789n, -3n))],
  ['f32', [f32(-2.5), f32(1.25)], (e) => f32((e['f32'] as (a: number, b: number) => number)(-2.5, 1.25))],
  ['f64', [f64(1), f64(3)], (e) => f64((e['f64'] as (a: number, b: number) => number)(1, 3))],
  ['f64', [f64(-1e300), f64(1e-10)], (e) => f64((e['f64'] as (a: number, b: number) => number)(-1e300, 1e-10))],
  ['mixed', [f64(0.1), f32(0.2)], (e) => f64((e['mixed'] as (a: number, b: number) => number)(0.1, Math.fround(0.2)))],
  ['trap', [i32(0)], () => 'trap'],
  ['print', [i32(14)], () => undefined],
];

function show(r: BatchResult | undefined): string {
  return JSON.stringify(r, (_k, v: unknown) => (typeof v === 'bigint' ? `0x${v.toString(16)}` : v));
}

/** V8's exports of the module, and the values its imported print_i32 was called with. */
function v8Instance(wasm: Uint8Array): { v8: Record<string, (...a: never[]) => unknown>; printed: number[] } {
  const printed: number[] = [];
  const spectest = new V8.Instance(new V8.Module(spectestWasm())).exports;
  const v8 = new V8.Instance(new V8.Module(wasm), { spectest: { ...spectest, print_i32: (x: number) => { printed.push(x); } } })
    .exports as unknown as Record<string, (...a: never[]) => unknown>;
  return { v8, printed };
}

describe('a compiled module on each board that runs compiled code', { skip }, () => {
  it('covers the M4F, M7 and M33 boards', () => {
    for (const b of ['mps2-an386', 'mps2-an500', 'mps2-an505'] as const) assert.ok(CODEGEN_BOARD_NAMES.includes(b), b);
  });
  for (const board of CODEGEN_BOARD_NAMES) {
    it(`${board} (${BOARDS[board].cpu}): i32, i64, f32, f64, a trap and an import, with V8's results`, async () => {
      const wasm = built as Uint8Array;
      const { v8, printed } = v8Instance(wasm);
      const spec = BOARDS[board];
      for (const optLevel of [0, 2]) {
        const { image } = compileModule(wasm, { target: spec.target, cpu: spec.cpu, xip: true, optLevel });
        const out = await runBatch(board, [
          ...spectestRequests(spec),
          { kind: 'module', image },
          ...CALLS.map(([name, args]): BatchRequest => ({ kind: 'invoke', module: 2, name, args })),
        ], { timeoutMs: 60_000 });
        assert.equal(out.completed, true, out.log);
        CALLS.forEach(([name, args, want], k) => {
          const got = out.results[3 + k];
          const w = want(v8);
          if (w === 'trap') assert.ok(got?.kind === 'trap' && /divide by zero/.test(got.message), `${name}: ${show(got)}`);
          else assert.deepEqual(got, { kind: 'values', values: w === undefined ? [] : [w] }, `-O${optLevel} ${name}(${args.map((a) => a.bits).join(', ')})`);
        });
        (v8['print'] as (x: number) => void)(14);
        assert.deepEqual(out.prints, [`print_i32 i32:0x${(printed.at(-1) as number).toString(16).padStart(8, '0')}`]);
      }
    });
  }
});

describe('the micro:bit (Cortex-M0, no MPU)', { skip }, () => {
  const spec = BOARDS.microbit;
  it('is among the boards that run compiled code (the Thumb-1 back end)', () => {
    assert.equal(spec.runsCompiledCode, true);
    assert.ok(CODEGEN_BOARD_NAMES.includes('microbit'));
    assert.deepEqual(boardsFor('cortex-m0', 'soft'), ['microbit']);
    assert.deepEqual(boardsFor('cortex-m0plus', 'soft'), ['microbit']);
  });

  it('loads, validates and instantiates an M0 image in its 8 KiB arena; refuses bad images; never writes its flash', async () => {
    const image = compileModule(fixtureWasm(), { cpu: 'cortex-m0', xip: true }).image;
    const corrupt = image.slice();
    corrupt[corrupt.length - 1] = (corrupt[corrupt.length - 1] as number) ^ 0xff;
    const m3 = compileModule(fixtureWasm(), { cpu: 'cortex-m3', xip: true }).image;
    const second = spec.blobBase + spec.blobSize / 2;
    const out = await runBatch('microbit', [
      { kind: 'module', image, address: spec.blobBase },
      { kind: 'crc', address: spec.blobBase, size: image.length },
      { kind: 'write', address: spec.blobBase + 0x40 },
      { kind: 'crc', address: spec.blobBase, size: image.length },
      { kind: 'module', image: corrupt, address: second },
      { kind: 'module', image: m3, address: second + 0x2000 },
      { kind: 'module', image, address: spec.blobBase },
    ], { timeoutMs: 30_000 });
    assert.equal(out.completed, true, out.log);
    assert.deepEqual(out.results[0], { kind: 'ok' });
    const ram = out.instanceRam[0];
    assert.ok(ram !== undefined && ram > 0 && ram < spec.arenaSize, `instance RAM ${ram}`);
    // the nRF51's flash ignores a store (its NVMC is never write-enabled): no fault, and the image is unchanged
    assert.deepEqual(out.results[1], { kind: 'crc', crc: crc32(image) });
    assert.equal(out.results[2]?.kind, 'no-fault');
    assert.deepEqual(out.results[3], { kind: 'crc', crc: crc32(image) });
    const bad = out.results[4];
    assert.ok(bad?.kind === 'error' && bad.code === 4 && /CRC/.test(bad.message), show(bad)); // XW_ERR_CHECKSUM
    const other = out.results[5];
    assert.ok(other?.kind === 'error' && other.code === 5, show(other)); // XW_ERR_TARGET: a v7-M image
    assert.deepEqual(out.results[6], { kind: 'ok' });
  });
});

/** A value as `xipwasm run` takes it: integers in decimal (signed), floats by their exact bits. */
function cliArg(v: WasmValue): string {
  switch (v.type) {
    case 'i32': return BigInt.asIntN(32, v.bits).toString();
    case 'i64': return BigInt.asIntN(64, v.bits).toString();
    case 'f32': case 'f64': return `bits:0x${v.bits.toString(16)}`;
    case 'funcref': case 'externref': throw new Error(`no ${v.type} arguments here`);
    default: return assertNever(v.type);
  }
}

describe('xipwasm run --board=NAME: the same module and calls through the command line', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'xw-cores-run-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  for (const board of CODEGEN_BOARD_NAMES) {
    it(`${board}: the results, the trap and the import's print match V8's; exit status 2 for the trap`, async () => {
      const wasm = join(dir, 'm.wasm');
      writeFileSync(wasm, built as Uint8Array);
      const { v8, printed } = v8Instance(built as Uint8Array);
      const r = await cli(['run', `--board=${board}`, wasm, '--json',
        ...CALLS.flatMap(([name, args]) => ['--invoke', name, ...args.map(cliArg)])]);
      assert.equal(r.code, 2, r.err); // a call trapped; the later calls still ran
      const lines = r.out.split('\n').filter((l) => l !== '');
      const answers = lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { results: { type: string; bits: string }[]; trap: string | null });
      assert.equal(answers.length, CALLS.length, r.out);
      CALLS.forEach(([name, args, want], k) => {
        const got = answers[k];
        const w = want(v8);
        if (w === 'trap') assert.deepEqual(got, { results: [], trap: 'integer divide by zero', instructions: null }, name);
        else {
          assert.equal(got?.trap, null, `${name}: ${JSON.stringify(got)}`);
          assert.deepEqual(got.results.map((x) => [x.type, BigInt(x.bits)]), w === undefined ? [] : [[w.type, w.bits]],
            `${name}(${args.map(cliArg).join(', ')})`);
        }
      });
      (v8['print'] as (x: number) => void)(14);
      assert.deepEqual(lines.filter((l) => !l.startsWith('{')), [`spectest.print_i32(${printed.at(-1) as number})`]);
    });
  }
});

describe('xipwasm run chooses the board by the image\'s CPU', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'xw-cores-cli-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const aot = (cpu: string): string => {
    const file = join(dir, `${cpu}.aot`);
    writeFileSync(file, compileModule(fixtureWasm(), { cpu: cpu as 'cortex-m4', xip: true }).image);
    return file;
  };

  it('runs an M4, M7 and M33 image without --board on its own board', async () => {
    for (const cpu of ['cortex-m4', 'cortex-m7', 'cortex-m33']) {
      const r = await cli(['run', aot(cpu), '--invoke', 'add', '40', '2']);
      assert.deepEqual(r, { code: 0, out: 'i32:42\n', err: '' }, cpu);
    }
  });

  it('refuses a board that cannot run the image and names those that can', async () => {
    const m4 = await cli(['run', '--board=mps2-an385', aot('cortex-m4'), '--invoke', 'add', '1', '2']);
    assert.notEqual(m4.code, 0);
    assert.match(m4.err, /cortex-m4 \(hard-float\) and mps2-an385 is cortex-m3 \(soft-float\): boards that run it: mps2-an386/);
    const m0 = await cli(['run', '--board=mps2-an385', aot('cortex-m0'), '--invoke', 'add', '1', '2']);
    assert.notEqual(m0.code, 0);
    assert.match(m0.err, /boards that run it: microbit/);
    const m33 = await cli(['run', '--board=mps3-an547', aot('cortex-m33'), '--invoke', 'add', '1', '2']);
    assert.match(m33.err, /boards that run it: mps2-an505/);
  });

  it('compiles a .wasm for the board of --cpu when no board is given', async () => {
    const wasm = join(dir, 'fixture.wasm');
    writeFileSync(wasm, fixtureWasm());
    const r = await cli(['run', '--cpu=cortex-m33', wasm, '--invoke', 'add', '-5', '3']);
    assert.deepEqual(r, { code: 0, out: 'i32:-2\n', err: '' });
    const refused = await cli(['run', '--board=mps2-an386', '--cpu=cortex-m7', wasm, '--invoke', 'add', '1', '2']);
    assert.match(refused.err, /boards that run it: mps2-an500/);
  });
});

/**
 * The riscv32-virt board and the runtime's RV32 call path, with images hand-assembled by the project's RV32
 * encoder (rv32-fixture.ts) until the compiler emits RV32: one image runs from two flash addresses with V8's
 * results and is never written; traps unwind; a host import and an imported global are reached through
 * exec_env; the PMP turns a store into the blob or the firmware's code and a jump into RAM into reported faults;
 * instruction counts are exact; the watchdog stops a runaway loop; the loader refuses images for another ISA,
 * float ABI or extension set with a message that names them. riscv32-virt-f (F on, firmware built for ilp32f) runs
 * f32 arguments and results in F registers and refuses ilp32 images, as riscv32-virt refuses ilp32f ones.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { crc32 } from '../../src/aot/crc32.js';
import { compileModule } from '../../src/compile.js';
import { archOf, BOARDS } from '../../src/run/boards.js';
import type { BatchRequest, BatchResult, WasmValue } from '../../src/run/protocol.js';
import { runBatch } from '../../src/run/qemu.js';
import { spectestRequests } from '../../src/run/spectest.js';
import { V8 } from '../wasm/v8.js';
import { firstMissingTool, fixtureWasm, importerWasm } from './fixture.js';
import { rv32FixtureAot, rv32FloatAot, rv32FloatWasm, rv32ImporterAot } from './rv32-fixture.js';

const board = 'riscv32-virt';
const spec = BOARDS[board];

const skip = firstMissingTool([archOf(spec).qemu, `${archOf(spec).toolPrefix}gcc`, 'cc']);
const i32 = (n: number): WasmValue => ({ type: 'i32', bits: BigInt(n >>> 0) });
const show = (v: unknown): string => JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x));

function values(r: BatchResult | undefined): readonly WasmValue[] {
  assert.ok(r !== undefined && r.kind === 'values', `expected values, got ${show(r)}`);
  return r.values;
}

type Exports = { add(a: number, b: number): number; count(n: number): number; boom(): void };
const CASES: readonly [string, readonly number[]][] = [
  ['add', [2, 40]], ['add', [-5, 3]], ['add', [0x7fffffff, 1]], ['count', [0]], ['count', [7]], ['count', [1000]],
];

describe('riscv32-virt: RV32 images under PMP', { skip }, () => {
  it('runs one image from two flash addresses with V8\'s results, unwinds traps, and never writes the image', async () => {
    const image = rv32FixtureAot(spec);
    const second = spec.blobBase + spec.blobSize / 2;
    const requests: BatchRequest[] = [{ kind: 'module', image, address: spec.blobBase }, { kind: 'module', image, address: second }];
    for (const mod of [0, 1]) {
      for (const [name, args] of CASES) requests.push({ kind: 'invoke', module: mod, name, args: args.map(i32) });
      requests.push({ kind: 'invoke', module: mod, name: 'boom', args: [] });
    }
    requests.push({ kind: 'crc', address: spec.blobBase, size: image.length }, { kind: 'crc', address: second, size: image.length });
    const out = await runBatch(board, requests, { timeoutMs: 30_000 });
    assert.equal(out.completed, true, out.log);
    assert.equal(out.exitCode, 0);
    const v8 = new V8.Instance(new V8.Module(fixtureWasm())).exports as unknown as Exports;
    const perModule = CASES.length + 1;
    for (const mod of [0, 1]) {
      CASES.forEach(([name, args], k) => {
        const want = name === 'add' ? v8.add(args[0] as number, args[1] as number) : v8.count(args[0] as number);
        assert.deepEqual(values(out.results[2 + mod * perModule + k]), [i32(want)], `${name}(${args.join(', ')}) from module ${mod}`);
      });
      const trap = out.results[2 + mod * perModule + CASES.length];
      assert.throws(() => v8.boom(), /unreachable/);
      assert.ok(trap?.kind === 'trap' && trap.code === 1 && /unreachable/.test(trap.message), show(trap));
    }
    const want = crc32(image);
    assert.deepEqual(out.results.slice(-2), [{ kind: 'crc', crc: want }, { kind: 'crc', crc: want }]);
  });

  it('calls a host import through the import table and reads an imported global through exec_env', async () => {
    const out = await runBatch(board, [
      ...spectestRequests(spec),
      { kind: 'module', image: rv32ImporterAot(spec) },
      { kind: 'invoke', module: 2, name: 'print', args: [i32(-7)] },
      { kind: 'invoke', module: 2, name: 'g', args: [] },
    ], { timeoutMs: 30_000 });
    assert.equal(out.completed, true, out.log);
    const printed: number[] = [];
    const g = new V8.Instance(new V8.Module(importerWasm()), {
      spectest: { print_i32: (x: number) => printed.push(x), global_i32: 666 },
    }).exports as unknown as { print(x: number): void; g(): number };
    g.print(-7);
    assert.deepEqual(out.prints, [`print_i32 i32:0x${(printed[0] as number >>> 0).toString(16).padStart(8, '0')}`]);
    assert.deepEqual(values(out.results[4]), [i32(g.g())]);
  });

  it('faults on a store into the blob region (PMP: read + execute only)', async () => {
    const image = rv32FixtureAot(spec);
    const target = spec.blobBase + 0x40;
    const out = await runBatch(board, [
      { kind: 'module', image },
      { kind: 'invoke', module: 0, name: 'add', args: [i32(1), i32(2)] },
      { kind: 'write', address: target },
      { kind: 'invoke', module: 0, name: 'add', args: [i32(1), i32(2)] },
    ], { timeoutMs: 30_000 });
    assert.deepEqual(values(out.results[1]), [i32(3)]);
    assert.equal(out.exitCode, 3);
    const r = out.results[2];
    assert.ok(r?.kind === 'fault', show(r));
    assert.equal(r.fault.kind, 'StoreAccessFault');
    assert.equal(r.fault.cfsr, 7, 'mcause 7');
    assert.equal(r.fault.address, target);
    assert.deepEqual(out.results[3], { kind: 'not-run' });
  });

  it('faults on a store into the firmware\'s own code', async () => {
    const out = await runBatch(board, [{ kind: 'write', address: 0x80000100 }], { timeoutMs: 30_000 });
    const r = out.results[0];
    assert.ok(r?.kind === 'fault' && r.fault.kind === 'StoreAccessFault' && r.fault.address === 0x80000100, show(r));
  });

  it('faults on a jump into RAM (PMP: no execute)', async () => {
    const out = await runBatch(board, [{ kind: 'jump', address: 0 }], { timeoutMs: 30_000 });
    const r = out.results[0];
    assert.ok(r?.kind === 'fault', show(r));
    assert.equal(r.fault.kind, 'InstructionAccessFault');
    assert.equal(r.fault.cfsr, 1, 'mcause 1');
    assert.ok(r.fault.pc >= spec.sramBase && r.fault.pc < spec.sramBase + 0x00400000, `pc 0x${r.fault.pc.toString(16)} in RAM`);
    assert.equal(r.fault.address, r.fault.pc);
    assert.equal(out.exitCode, 3);
  });

  it('faults on a jump outside every PMP region (the second flash bank)', async () => {
    const out = await runBatch(board, [{ kind: 'jump', address: 0x22000000 }], { timeoutMs: 30_000 });
    const r = out.results[0];
    assert.ok(r?.kind === 'fault' && r.fault.kind === 'InstructionAccessFault' && r.fault.pc === 0x22000000, show(r));
  });

  it('counts the instructions of one invocation exactly', async () => {
    const ns = [0, 1, 10, 500];
    const out = await runBatch(board, [
      { kind: 'module', image: rv32FixtureAot(spec) },
      { kind: 'invoke', module: 0, name: 'add', args: [i32(1), i32(2)] },
      ...ns.map((n): BatchRequest => ({ kind: 'invoke', module: 0, name: 'count', args: [i32(n)] })),
    ], { timeoutMs: 30_000, countInstructions: true });
    // From rv32-fixture.ts: trampolines of 13 (ii->i) and 12 (i->i) instructions, add is 2, count(n) is 4n + 3.
    const add = out.results[1];
    assert.ok(add?.kind === 'values' && add.instructions === 15, show(add));
    ns.forEach((n, k) => {
      const r = out.results[2 + k];
      assert.ok(r?.kind === 'values', show(r));
      assert.equal(r.instructions, 12 + 4 * n + 3, `count(${n})`);
    });
  });

  it('stops a runaway loop in compiled code from the machine timer (xw_interrupt_from_isr) and goes on', async () => {
    const out = await runBatch(board, [
      { kind: 'module', image: rv32FixtureAot(spec) },
      { kind: 'invoke', module: 0, name: 'spin', args: [] },
      { kind: 'invoke', module: 0, name: 'add', args: [i32(20), i32(22)] },
    ], { timeoutMs: 30_000, invocationTimeoutMs: 50 });
    assert.equal(out.results[1]?.kind, 'timeout', show(out.results[1]));
    assert.deepEqual(values(out.results[2]), [i32(42)]);
  });

  it('refuses an image for another ISA, float ABI or extension set, naming them', async () => {
    const thumb = compileModule(fixtureWasm(), { target: 'thumbv7m', cpu: 'cortex-m3', xip: true }).image;
    const out = await runBatch(board, [
      { kind: 'module', image: thumb },
      { kind: 'module', image: rv32FixtureAot(spec, { floatAbi: 'hard' }) },
      { kind: 'module', image: rv32FixtureAot(spec, { cpu: 'rv32imafc' }) },
      { kind: 'module', image: rv32FixtureAot(spec, { cpu: 'esp32c3' }) },
    ], { timeoutMs: 30_000 });
    const err = (i: number): string => {
      const r = out.results[i];
      assert.ok(r?.kind === 'error' && r.code === 5, show(r));
      return r.message;
    };
    assert.match(err(0), /image built for thumbv7m \(target 2\), this runtime runs riscv32\.\.riscv32/);
    assert.match(err(1), /image float ABI ilp32f, this runtime ilp32/);
    assert.match(err(2), /image needs rv32imafc, this runtime's core is rv32imac/);
    assert.equal(out.results[3]?.kind, 'ok', 'an rv32imc image runs on an rv32imac core');
  });
});

describe('riscv32-virt-f: ilp32f firmware on an RV32IMAFC core', { skip }, () => {
  const fboard = 'riscv32-virt-f';
  const fspec = BOARDS[fboard];
  const f32 = (x: number): WasmValue => {
    const b = new DataView(new ArrayBuffer(4));
    b.setFloat32(0, x, true);
    return { type: 'f32', bits: BigInt(b.getUint32(0, true)) };
  };
  const PAIRS: readonly [number, number][] = [[1.5, 2.25], [-0, 3], [3e38, 2], [1e-45, 0.5], [-7.25, -1e-3], [0.1, 0.2]];

  it('passes f32 arguments and results in F registers (V8\'s results) and runs the integer fixture', async () => {
    const out = await runBatch(fboard, [
      { kind: 'module', image: rv32FloatAot(fspec) },
      ...PAIRS.map(([x, y]): BatchRequest => ({ kind: 'invoke', module: 0, name: 'mix', args: [f32(x), f32(y)] })),
      { kind: 'module', image: rv32FixtureAot(fspec) },
      { kind: 'invoke', module: PAIRS.length + 1, name: 'add', args: [i32(2), i32(40)] },
      { kind: 'invoke', module: PAIRS.length + 1, name: 'boom', args: [] },
    ], { timeoutMs: 30_000 });
    assert.equal(out.completed, true, out.log);
    const mix = (new V8.Instance(new V8.Module(rv32FloatWasm())).exports as { mix(a: number, b: number): number }).mix;
    PAIRS.forEach(([x, y], i) => assert.deepEqual(values(out.results[1 + i]), [f32(mix(x, y))], `mix(${x}, ${y})`));
    assert.deepEqual(values(out.results[PAIRS.length + 2]), [i32(42)]);
    const trap = out.results[PAIRS.length + 3];
    assert.ok(trap?.kind === 'trap' && trap.code === 1, show(trap));
  });

  it('refuses an ilp32 image, and the ilp32 board an ilp32f one, naming both float ABIs', async () => {
    const onF = await runBatch(fboard, [{ kind: 'module', image: rv32FixtureAot(fspec, { floatAbi: 'soft' }) }], { timeoutMs: 30_000 });
    const onSoft = await runBatch(board, [{ kind: 'module', image: rv32FloatAot(fspec) }], { timeoutMs: 30_000 });
    for (const [out, want] of [[onF, /image float ABI ilp32, this runtime ilp32f/], [onSoft, /image float ABI ilp32f, this runtime ilp32/]] as const) {
      const r = out.results[0];
      assert.ok(r?.kind === 'error' && r.code === 5, show(r));
      assert.match(r.message, want);
    }
  });
});

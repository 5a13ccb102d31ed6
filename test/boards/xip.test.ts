/**
 * Proof of execute-in-place on the emulated boards: one AOT file runs from two flash addresses with the same
 * results (checked against V8), its bytes are unchanged after the run, and the MPU turns a write into the blob
 * and a jump into SRAM into reported faults.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { crc32 } from '../../src/aot/crc32.js';
import { readAot } from '../../src/aot/reader.js';
import { compileModule } from '../../src/compile.js';
import { BOARDS, CODEGEN_BOARD_NAMES, type BoardName } from '../../src/run/boards.js';
import type { BatchRequest, BatchResult, WasmValue } from '../../src/run/protocol.js';
import { runBatch } from '../../src/run/qemu.js';
import { V8 } from '../wasm/v8.js';
import { fixtureAot, fixtureWasm, floatAot, floatWasm, missingTools } from './fixture.js';

const skip = missingTools();
const i32 = (n: number): WasmValue => ({ type: 'i32', bits: BigInt(n >>> 0) });
const f64 = (x: number): WasmValue => ({ type: 'f64', bits: new BigUint64Array(new Float64Array([x]).buffer)[0] as bigint });

type Exports = { add(a: number, b: number): number; count(n: number): number; boom(): void };

function v8Exports(): Exports {
  return new V8.Instance(new V8.Module(fixtureWasm())).exports as unknown as Exports;
}

function values(r: BatchResult | undefined): readonly WasmValue[] {
  assert.ok(r !== undefined && r.kind === 'values', `expected values, got ${JSON.stringify(r, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}`);
  return r.values;
}

/** An address that reaches the blob region's RAM through another alias (boards/<board>/board.c), per board. */
const ALIASES: Partial<Record<BoardName, number>> = {
  'mps2-an385': 0x00400000 + 0x00100000,
  'mps2-an386': 0x00400000 + 0x00100000,
  'mps2-an500': 0x00400000 + 0x00100000,
  'mps2-an505': 0x00100000, // the Non-secure alias of 0x10100000
};

const CASES: readonly [string, readonly number[]][] = [
  ['add', [2, 40]], ['add', [-5, 3]], ['add', [0x7fffffff, 1]], ['count', [0]], ['count', [7]], ['count', [1000]],
];

for (const board of CODEGEN_BOARD_NAMES) {
  const spec = BOARDS[board];
  describe(`XIP on ${board}`, { skip }, () => {
    const sources: readonly [string, () => Uint8Array][] = [
      ['hand-assembled', () => fixtureAot(spec)],
      ['compiled', () => compileModule(fixtureWasm(), { target: spec.target, cpu: spec.cpu, xip: true }).image],
    ];
    for (const [what, makeImage] of sources) it(`runs one ${what} AOT file from two flash addresses with V8's results, and never writes it`, async () => {
      const image = makeImage();
      const second = spec.blobBase + spec.blobSize / 2;
      const requests: BatchRequest[] = [
        { kind: 'module', image, address: spec.blobBase },
        { kind: 'module', image, address: second },
      ];
      for (const mod of [0, 1]) {
        for (const [name, args] of CASES) requests.push({ kind: 'invoke', module: mod, name, args: args.map(i32) });
        // A trap must not end the batch: the next call still runs.
        requests.push({ kind: 'invoke', module: mod, name: 'boom', args: [] });
      }
      requests.push({ kind: 'crc', address: spec.blobBase, size: image.length });
      requests.push({ kind: 'crc', address: second, size: image.length });
      const out = await runBatch(board, requests, { timeoutMs: 30_000 });
      assert.equal(out.completed, true, out.log);
      assert.equal(out.exitCode, 0);
      assert.deepEqual(out.placements.slice(0, 2), [{ address: spec.blobBase, size: image.length }, { address: second, size: image.length }]);

      const v8 = v8Exports();
      const perModule = CASES.length + 1;
      for (const mod of [0, 1]) {
        CASES.forEach(([name, args], k) => {
          const got = values(out.results[2 + mod * perModule + k]);
          const want = name === 'add' ? v8.add(args[0] as number, args[1] as number) : v8.count(args[0] as number);
          assert.deepEqual(got, [i32(want)], `${name}(${args.join(', ')}) from module ${mod}`);
        });
        const trap = out.results[2 + mod * perModule + CASES.length];
        assert.throws(() => v8.boom(), /unreachable/);
        assert.ok(trap?.kind === 'trap' && trap.code === 1 && /unreachable/.test(trap.message), JSON.stringify(trap));
      }
      const want = crc32(image);
      assert.deepEqual(out.results.slice(-2), [{ kind: 'crc', crc: want }, { kind: 'crc', crc: want }]);
    });

    if (!spec.mpu) {
      // the micro:bit (nRF51) has no MPU: its flash ignores a store (the NVMC is never write-enabled), and
      // nothing stops a jump into RAM; docs/boards.md says what is enforced there
      it('ignores a write into the flash holding the image: the image and its results are unchanged', async () => {
        const image = fixtureAot(spec);
        const out = await runBatch(board, [
          { kind: 'module', image },
          { kind: 'write', address: spec.blobBase + 0x40 },
          { kind: 'crc', address: spec.blobBase, size: image.length },
          { kind: 'invoke', module: 0, name: 'add', args: [i32(1), i32(2)] },
        ], { timeoutMs: 30_000 });
        assert.equal(out.completed, true, out.log);
        assert.equal(out.results[1]?.kind, 'no-fault');
        assert.deepEqual(out.results[2], { kind: 'crc', crc: crc32(image) });
        assert.deepEqual(values(out.results[3]), [i32(3)]);
      });
    } else {
      it('faults on a write into the blob region', async () => {
        const image = fixtureAot(spec);
        const target = spec.blobBase + 0x40;
        const out = await runBatch(board, [
          { kind: 'module', image },
          { kind: 'invoke', module: 0, name: 'add', args: [i32(1), i32(2)] },
          { kind: 'write', address: target },
          { kind: 'invoke', module: 0, name: 'add', args: [i32(1), i32(2)] },
        ], { timeoutMs: 30_000 });
        assert.deepEqual(values(out.results[1]), [i32(3)]);
        assert.equal(out.exitCode, 3);
        assert.equal(out.completed, false);
        const r = out.results[2];
        assert.ok(r?.kind === 'fault', JSON.stringify(r));
        assert.equal(r.fault.kind, 'MemManage');
        assert.equal(r.fault.address, target);
        assert.equal(r.fault.cfsr & 0x82, 0x82, 'DACCVIOL with MMFAR valid');
        assert.deepEqual(out.results[3], { kind: 'not-run' });
      });

      // SSRAM1 is RAM on the MPS2 boards: its other alias must not be a way around the read-only region
      const alias = ALIASES[board];
      if (alias !== undefined) {
        it(`faults on a write through the other alias of the code RAM (0x${alias.toString(16)})`, async () => {
          const out = await runBatch(board, [{ kind: 'write', address: alias }], { timeoutMs: 30_000 });
          const r = out.results[0];
          assert.ok(r?.kind === 'fault' && r.fault.kind === 'MemManage' && r.fault.address === alias, JSON.stringify(r));
          assert.equal(out.exitCode, 3);
        });
      }

      it('faults on a jump into SRAM (execute-never)', async () => {
        const out = await runBatch(board, [{ kind: 'jump', address: 0 }], { timeoutMs: 30_000 });
        const r = out.results[0];
        assert.ok(r?.kind === 'fault', JSON.stringify(r));
        assert.equal(r.fault.kind, 'MemManage');
        assert.equal(r.fault.cfsr & 0x1, 0x1, 'IACCVIOL');
        assert.ok(r.fault.pc >= spec.sramBase && r.fault.pc < spec.sramBase + 0x01000000, `pc 0x${r.fault.pc.toString(16)} in SRAM`);
        assert.equal(out.exitCode, 3);
      });

    }

    if (spec.floatAbi === 'hard') {
      const cases: [number, number][] = [[1.5, 2.25], [-0, 5], [1e308, 10], [3, -0.1]];
      const mix = (): ((a: number, b: number) => number) => new V8.Instance(new V8.Module(floatWasm())).exports['mix'] as (a: number, b: number) => number;
      const sources: [string, () => Uint8Array][] = [
        ['compiled', () => compileModule(floatWasm(), { target: spec.target, cpu: spec.cpu, xip: true }).image],
      ];
      // the hand-assembled fixture uses VMUL.F64/VADD.F64: only for a double-precision FPU
      if (spec.cpu === 'cortex-m7' || spec.cpu === 'cortex-m55') sources.push(['hand-assembled', () => floatAot(spec).image]);
      for (const [what, makeImage] of sources) it(`passes f64 values in d registers and computes like V8 (${what}, FPU enabled)`, async () => {
        const out = await runBatch(board, [
          { kind: 'module', image: makeImage() },
          ...cases.map(([a, b]): BatchRequest => ({ kind: 'invoke', module: 0, name: 'mix', args: [f64(a), f64(b)] })),
        ], { timeoutMs: 30_000 });
        cases.forEach(([a, b], k) => assert.deepEqual(values(out.results[1 + k]), [f64(mix()(a, b))], `mix(${a}, ${b})`));
      });
      if (spec.cpu === 'cortex-m4' || spec.cpu === 'cortex-m33') {
        // what makes the compiled runs above mean something: this board's FPU has no f64 instructions
        it('raises UsageFault (UNDEFINSTR) for a double-precision VFP instruction (single-precision FPU)', async () => {
          const { image, mixOffset } = floatAot(spec);
          const out = await runBatch(board, [{ kind: 'jump', address: spec.blobBase + mixOffset }, { kind: 'module', image, address: spec.blobBase }], { timeoutMs: 30_000 });
          const r = out.results[0];
          assert.ok(r?.kind === 'fault' && r.fault.kind === 'UsageFault', JSON.stringify(r));
          assert.equal(r.fault.cfsr & (1 << 16), 1 << 16, 'UNDEFINSTR');
          assert.equal(r.fault.pc, spec.blobBase + mixOffset);
        });
      }
    } else {
      // ARMv6-M has no UsageFault: an undefined instruction escalates to HardFault
      const v6m = spec.target === 'thumbv6m';
      it(`raises ${v6m ? 'HardFault' : 'UsageFault (NOCP)'} for a VFP instruction on an FPU-less core`, async () => {
        const { image, mixOffset } = floatAot();
        const out = await runBatch(board, [{ kind: 'jump', address: spec.blobBase + mixOffset }, { kind: 'module', image, address: spec.blobBase }], { timeoutMs: 30_000 });
        const r = out.results[0];
        assert.ok(r?.kind === 'fault' && r.fault.kind === (v6m ? 'HardFault' : 'UsageFault'), JSON.stringify(r));
        if (!v6m) assert.equal(r.fault.cfsr & (1 << 19), 1 << 19, 'NOCP');
        assert.equal(r.fault.pc, spec.blobBase + mixOffset);
        assert.deepEqual(r.fault.site, { request: 1, imageOffset: mixOffset, textOffset: mixOffset - readAot(image).textOffset });
      });
    }

    it('counts the instructions of one invocation exactly', async () => {
      const image = fixtureAot(spec);
      const ns = [0, 1, 10, 500];
      const out = await runBatch(board, [
        { kind: 'module', image },
        { kind: 'invoke', module: 0, name: 'add', args: [i32(1), i32(2)] },
        ...ns.map((n): BatchRequest => ({ kind: 'invoke', module: 0, name: 'count', args: [i32(n)] })),
      ], { timeoutMs: 30_000, countInstructions: true });
      // From the hand-written listing in fixture.ts: trampolines of 8 (ii->i) and 6 (i->i) instructions,
      // add is 2, count(n) is 4n + 3.
      const add = out.results[1];
      assert.ok(add?.kind === 'values' && add.instructions === 10, JSON.stringify(add, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)));
      ns.forEach((n, k) => {
        const r = out.results[2 + k];
        assert.ok(r?.kind === 'values', JSON.stringify(r?.kind));
        assert.equal(r.instructions, 6 + 4 * n + 3, `count(${n})`);
      });
    });

    it('profiles the blocks of the blob: their instructions add up to the count', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'xw-profile-'));
      try {
        const profileFile = join(dir, 'p.txt');
        const out = await runBatch(board, [{ kind: 'module', image: fixtureAot(spec) }, { kind: 'invoke', module: 0, name: 'count', args: [i32(100)] }],
          { timeoutMs: 30_000, countInstructions: true, profileFile });
        const r = out.results[1];
        assert.ok(r?.kind === 'values', JSON.stringify(r?.kind));
        const blocks = readFileSync(profileFile, 'utf8').trim().split('\n').map((l) => l.split(' ').map((x, k) => (k === 0 ? parseInt(x, 16) : Number(x))));
        assert.equal(blocks.reduce((sum, [, n, runs]) => sum + n! * runs!, 0), r.instructions);
        // the loop's 4 instructions (listing in fixture.ts) are the blocks that run once per iteration
        const loop = blocks.filter(([pc, , runs]) => runs === 100 && pc! >= spec.blobBase);
        assert.equal(loop.reduce((sum, [, n]) => sum + n!, 0), 4, JSON.stringify(blocks));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}

/** runBatch on the boards: several modules per run, spectest imports, errors that do not end the batch. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BOARDS, CODEGEN_BOARD_NAMES } from '../../src/run/boards.js';
import type { BatchRequest } from '../../src/run/protocol.js';
import { runBatch } from '../../src/run/qemu.js';
import { spectestRequests, spectestWasm } from '../../src/run/spectest.js';
import { fixtureAot, importerAot, importerWasm, missingTools } from '../boards/fixture.js';
import { V8 } from '../wasm/v8.js';
import { HEADER, section, str, vec } from '../wasm/builder.js';
import { compileModule } from '../../src/compile.js';

const skip = missingTools();

function v8Importer(printed: number[]): { print(x: number): void; g(): number } {
  const spectest = new V8.Instance(new V8.Module(spectestWasm())).exports;
  const imports = { spectest: { ...spectest, print_i32: (x: number) => { printed.push(x); } } };
  return new V8.Instance(new V8.Module(importerWasm()), imports).exports as unknown as { print(x: number): void; g(): number };
}

/**
 * Not the micro:bit: its 8 KiB arena cannot hold spectest's two 64 KiB pages, and without an MPU nothing faults
 * where these tests make it; its protocol runs are in test/boards/cores.test.ts and thumb1*.test.ts.
 */
const BIG_BOARDS = CODEGEN_BOARD_NAMES.filter((b) => BOARDS[b].arenaSize >= 0x40000 && BOARDS[b].mpu);

for (const board of BIG_BOARDS) {
  const spec = BOARDS[board];
  describe(`runBatch on ${board}`, { skip }, () => {
    it('links a module against spectest (host function + registered global) like V8 does', async () => {
      const out = await runBatch(board, [
        ...spectestRequests(spec),
        { kind: 'module', image: importerAot(spec) },
        { kind: 'invoke', module: 2, name: 'print', args: [{ type: 'i32', bits: 42n }] },
        { kind: 'invoke', module: 2, name: 'g', args: [] },
      ], { timeoutMs: 30_000 });
      const printed: number[] = [];
      const v8 = v8Importer(printed);
      v8.print(42);
      assert.deepEqual(out.results.slice(0, 4), [{ kind: 'ok' }, { kind: 'ok' }, { kind: 'ok' }, { kind: 'values', values: [] }]);
      // module answers give the instance's RAM (xw_instance_ram_size): the spectest module reserves its 2 pages
      const ram = out.instanceRam;
      assert.ok((ram[0] ?? 0) > 2 * 65536 && (ram[0] ?? 0) < 3 * 65536, `spectest instance RAM ${ram[0]}`);
      assert.equal(ram[1], undefined); // a register answer has none
      assert.ok((ram[2] ?? 0) > 0);
      assert.deepEqual(out.results[4], { kind: 'values', values: [{ type: 'i32', bits: BigInt(v8.g()) }] });
      assert.deepEqual(out.prints, printed.map((x) => `print_i32 i32:0x${x.toString(16).padStart(8, '0')}`));
    });

    it('reports failing modules and calls with a code and goes on', async () => {
      const good = fixtureAot(spec);
      const corrupt = good.slice();
      corrupt[corrupt.length - 1] = (corrupt[corrupt.length - 1] as number) ^ 0xff;
      const requests: BatchRequest[] = [
        { kind: 'module', image: importerAot(spec) },   // spectest not registered: unlinkable
        { kind: 'module', image: corrupt },             // integrity check fails
        { kind: 'module', image: good },
        { kind: 'invoke', module: 2, name: 'missing', args: [] },
        { kind: 'invoke', module: 2, name: 'add', args: [{ type: 'i32', bits: 1n }] },
        { kind: 'module', image: good },               // same image: loaded once, instantiated twice
        { kind: 'invoke', module: 5, name: 'add', args: [{ type: 'i32', bits: 1n }, { type: 'i32', bits: 2n }] },
      ];
      const out = await runBatch(board, requests, { timeoutMs: 30_000 });
      assert.equal(out.completed, true);
      const codes = out.results.map((r) => (r.kind === 'error' ? r.code : r.kind));
      // xipwasm.h: XW_ERR_UNLINKABLE 20, XW_ERR_CHECKSUM 4, XW_ERR_NO_EXPORT 30, XW_ERR_SIGNATURE 31
      assert.deepEqual(codes, [20, 4, 'ok', 30, 31, 'ok', 'values']);
      assert.deepEqual(out.placements[2], out.placements[5]);
      assert.notDeepEqual(out.placements[1], out.placements[2]);
      assert.deepEqual(out.results[6], { kind: 'values', values: [{ type: 'i32', bits: 3n }] });
    });

    it('resumes after a hardware fault when asked, replaying the modules', async () => {
      const image = fixtureAot(spec);
      const add = (a: bigint): BatchRequest => ({ kind: 'invoke', module: 0, name: 'add', args: [{ type: 'i32', bits: a }, { type: 'i32', bits: 1n }] });
      const requests: BatchRequest[] = [{ kind: 'module', image }, add(1n), { kind: 'write', address: spec.blobBase }, add(2n), { kind: 'jump', address: 0 }, add(3n)];
      const out = await runBatch(board, requests, { timeoutMs: 30_000, resumeAfterFault: true });
      assert.deepEqual(out.results.map((r) => r.kind), ['ok', 'values', 'fault', 'values', 'fault', 'values']);
      assert.equal(out.relaunches, 2);
      assert.deepEqual(out.results[5], { kind: 'values', values: [{ type: 'i32', bits: 4n }] });
      const plain = await runBatch(board, requests, { timeoutMs: 30_000 });
      assert.deepEqual(plain.results.map((r) => r.kind), ['ok', 'values', 'fault', 'not-run', 'not-run', 'not-run']);
    });

    it('forgets instances and registrations on reset', async () => {
      const image = fixtureAot(spec);
      const out = await runBatch(board, [
        ...spectestRequests(spec),
        { kind: 'module', image: importerAot(spec) },
        { kind: 'reset' },
        { kind: 'module', image: importerAot(spec) },
        { kind: 'module', image },
        { kind: 'invoke', module: 5, name: 'add', args: [{ type: 'i32', bits: 5n }, { type: 'i32', bits: 6n }] },
      ], { timeoutMs: 30_000 });
      const kinds = out.results.map((r) => (r.kind === 'error' ? r.code : r.kind));
      assert.deepEqual(kinds, ['ok', 'ok', 'ok', 'ok', 20, 'ok', 'values']);
      await assert.rejects(runBatch(board, [{ kind: 'module', image }, { kind: 'reset' }, { kind: 'invoke', module: 0, name: 'add', args: [] }]),
        /after the last reset/);
    });

    it('reads exported globals (immutable and mutable) like V8', async () => {
      // (global (export "g") (mut i32) (i32.const 5)) (func (export "set") (param i32) (global.set 0 (local.get 0)))
      const mutWasm = new Uint8Array([
        ...HEADER, ...section(1, vec([[0x60, 1, 0x7f, 0]])), ...section(3, vec([[0]])),
        ...section(6, vec([[0x7f, 1, 0x41, 5, 0x0b]])), ...section(7, vec([[...str('g'), 3, 0], [...str('set'), 0, 0]])),
        ...section(10, vec([[6, 0, 0x20, 0, 0x24, 0, 0x0b]])),
      ]);
      const out = await runBatch(board, [
        ...spectestRequests(spec),
        { kind: 'global', module: 0, name: 'global_i32' },
        { kind: 'global', module: 0, name: 'global_i64' },
        { kind: 'global', module: 0, name: 'global_f32' },
        { kind: 'global', module: 0, name: 'global_f64' },
        { kind: 'global', module: 0, name: 'nope' },
        { kind: 'module', image: compileModule(mutWasm, { target: spec.target, cpu: spec.cpu, xip: true }).image },
        { kind: 'global', module: 7, name: 'g' },
        { kind: 'invoke', module: 7, name: 'set', args: [{ type: 'i32', bits: 42n }] },
        { kind: 'global', module: 7, name: 'g' },
      ], { timeoutMs: 30_000 });
      const v8 = new V8.Instance(new V8.Module(spectestWasm())).exports as Record<string, { value: number | bigint }>;
      const f32bits = (x: number): bigint => BigInt(new Uint32Array(new Float32Array([x]).buffer)[0] as number);
      const f64bits = (x: number): bigint => new BigUint64Array(new Float64Array([x]).buffer)[0] as bigint;
      assert.deepEqual(out.results.slice(2, 7), [
        { kind: 'values', values: [{ type: 'i32', bits: BigInt(v8['global_i32']?.value as number) }] },
        { kind: 'values', values: [{ type: 'i64', bits: v8['global_i64']?.value as bigint }] },
        { kind: 'values', values: [{ type: 'f32', bits: f32bits(v8['global_f32']?.value as number) }] },
        { kind: 'values', values: [{ type: 'f64', bits: f64bits(v8['global_f64']?.value as number) }] },
        { kind: 'error', code: 30, message: 'no exported global nope' },
      ]);
      const mut = new V8.Instance(new V8.Module(mutWasm)).exports as { g: { value: number }; set(x: number): void };
      const before = mut.g.value;
      mut.set(42);
      assert.deepEqual(out.results.slice(8), [
        { kind: 'values', values: [{ type: 'i32', bits: BigInt(before) }] },
        { kind: 'values', values: [] },
        { kind: 'values', values: [{ type: 'i32', bits: BigInt(mut.g.value) }] },
      ]);
    });

    it('stops a spinning invocation with the watchdog and goes on', async () => {
      const image = fixtureAot(spec);
      const add: BatchRequest = { kind: 'invoke', module: 0, name: 'add', args: [{ type: 'i32', bits: 1n }, { type: 'i32', bits: 1n }] };
      const out = await runBatch(board, [{ kind: 'module', image }, { kind: 'invoke', module: 0, name: 'spin', args: [] }, add],
        { timeoutMs: 30_000, invocationTimeoutMs: 100 });
      assert.equal(out.completed, true);
      assert.deepEqual(out.results, [{ kind: 'ok' }, { kind: 'timeout' }, { kind: 'values', values: [{ type: 'i32', bits: 2n }] }]);
    });

    it('a watchdog firing inside a host print: the print line is dropped whole, the call reported as timeout', async () => {
      // (import "spectest" "print_i32" (func (param i32))) (func (export "printloop") (loop (call 0 (i32.const 5)) (br 0)))
      const wasm = new Uint8Array([...HEADER,
        ...section(1, vec([[0x60, 0x01, 0x7f, 0x00], [0x60, 0x00, 0x00]])),
        ...section(2, vec([[...str('spectest'), ...str('print_i32'), 0x00, 0x00]])),
        ...section(3, vec([[0x01]])),
        ...section(7, vec([[...str('printloop'), 0x00, 0x01]])),
        ...section(10, vec([[0x0b, 0x00, 0x03, 0x40, 0x41, 0x05, 0x10, 0x00, 0x0c, 0x00, 0x0b, 0x0b]]))]);
      const image = compileModule(wasm, { target: spec.target, cpu: spec.cpu, xip: true }).image;
      const loop: BatchRequest = { kind: 'invoke', module: 0, name: 'printloop', args: [] };
      const calls = 4;
      const out = await runBatch(board, [{ kind: 'module', image }, ...new Array<BatchRequest>(calls).fill(loop)],
        { timeoutMs: 60_000, invocationTimeoutMs: 50 });
      assert.equal(out.completed, true, out.log);
      assert.deepEqual(out.results, [{ kind: 'ok' }, ...new Array<unknown>(calls).fill({ kind: 'timeout' })]);
      assert.ok(out.prints.length > calls);
      for (const p of out.prints) assert.equal(p, 'print_i32 i32:0x00000005');
    });

    it('refuses images placed outside the blob region', async () => {
      await assert.rejects(runBatch(board, [{ kind: 'module', image: new Uint8Array(64), address: spec.blobBase + spec.blobSize - 32 }]),
        /outside the blob region/);
    });
  });
}

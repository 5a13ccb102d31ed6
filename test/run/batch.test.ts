/** runBatch on the boards: several modules per run, spectest imports, errors that do not end the batch. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BOARDS, BOARD_NAMES } from '../../src/run/boards.js';
import type { BatchRequest } from '../../src/run/protocol.js';
import { runBatch } from '../../src/run/qemu.js';
import { spectestRequests, spectestWasm } from '../../src/run/spectest.js';
import { fixtureAot, importerAot, importerWasm, missingTools } from '../boards/fixture.js';
import { V8 } from '../wasm/v8.js';

const skip = missingTools();

function v8Importer(printed: number[]): { print(x: number): void; g(): number } {
  const spectest = new V8.Instance(new V8.Module(spectestWasm())).exports;
  const imports = { spectest: { ...spectest, print_i32: (x: number) => { printed.push(x); } } };
  return new V8.Instance(new V8.Module(importerWasm()), imports).exports as unknown as { print(x: number): void; g(): number };
}

for (const board of BOARD_NAMES) {
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

    it('refuses images placed outside the blob region', async () => {
      await assert.rejects(runBatch(board, [{ kind: 'module', image: new Uint8Array(64), address: spec.blobBase + spec.blobSize - 32 }]),
        /outside the blob region/);
    });
  });
}

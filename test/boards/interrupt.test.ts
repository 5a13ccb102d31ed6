/**
 * xw_interrupt on the boards: the firmware's SysTick watchdog calls xw_interrupt_from_isr once an invocation
 * outlives its budget (boards/common/main.c), and the runtime ends the call with the trap "interrupted", which the
 * firmware answers as a watchdog stop. An infinite loop (stopped by the PC redirect), a loop around memory.fill of
 * a whole 16-page memory (mostly inside the runtime's helper: stopped by its poll) and an endless deep recursion are
 * stopped; the same instance then answers calls again, with V8's results.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { outOfScope } from '../target/thumb2/vs-v8.js';
import { compileModule } from '../../src/compile.js';
import { BOARDS, CODEGEN_BOARD_NAMES } from '../../src/run/boards.js';
import type { BatchRequest, WasmValue } from '../../src/run/protocol.js';
import { runBatch } from '../../src/run/qemu.js';
import { V8 } from '../wasm/v8.js';
import { missingTools } from './fixture.js';
import { watOrSkipReason } from '../wasm/wat.js';

const WAT = `(module
  (memory 16)
  (func $depth (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
      (else (i32.add (call $depth (i32.sub (local.get 0) (i32.const 1))) (i32.const 1)))))
  (func (export "depth") (param i32) (result i32) (call $depth (local.get 0)))
  (func (export "spin") (loop (br 0)))
  (func (export "fill_forever") (local i32)
    (loop
      (local.set 0 (i32.add (local.get 0) (i32.const 1)))
      (memory.fill (i32.const 0) (local.get 0) (i32.const 1048576))
      (br 0)))
  (func (export "recurse_forever") (loop (drop (call $depth (i32.const 3000))) (br 0)))
  (func (export "peek") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))`;

const built = watOrSkipReason(WAT);
const skip = missingTools() || (typeof built === 'string' ? built : false);
const i32 = (n: number): WasmValue => ({ type: 'i32', bits: BigInt(n >>> 0) });

describe('xw_interrupt on the boards', { skip }, () => {
  for (const board of CODEGEN_BOARD_NAMES) {
    it(`${board}: stops an infinite loop, a loop of memory.fill and a deep recursion; the instance stays usable`, async (t) => {
      const wasm = built as Uint8Array;
      // its 1 MiB memory (memory.fill of 1 MiB per iteration) is beyond the micro:bit's arena
      const why = outOfScope(wasm, board);
      if (why !== undefined) return t.skip(why);
      const v8 = new V8.Instance(new V8.Module(wasm)).exports as { depth(n: number): number; add(a: number, b: number): number };
      const spec = BOARDS[board];
      const { image } = compileModule(wasm, { target: spec.target, cpu: spec.cpu, xip: true });
      const call = (name: string, args: readonly WasmValue[]): BatchRequest => ({ kind: 'invoke', module: 0, name, args });
      const out = await runBatch(board, [
        { kind: 'module', image, maxPages: 16 },
        call('depth', [i32(3000)]),
        call('spin', []),
        call('add', [i32(2), i32(40)]),
        call('fill_forever', []),
        call('peek', [i32(0)]),
        call('peek', [i32(1048575)]),
        call('recurse_forever', []),
        call('depth', [i32(3000)]),
        call('spin', []),
        call('add', [i32(-5), i32(3)]),
      ], { timeoutMs: 120_000, invocationTimeoutMs: 300 });
      assert.equal(out.completed, true, out.log);
      const r = out.results;
      assert.deepEqual(r[1], { kind: 'values', values: [i32(v8.depth(3000))] });
      assert.deepEqual(r[2], { kind: 'timeout' }, 'spin');
      assert.deepEqual(r[3], { kind: 'values', values: [i32(v8.add(2, 40))] });
      assert.deepEqual(r[4], { kind: 'timeout' }, 'fill_forever');
      // the fill ran (byte 0 holds the counter of some completed pass), and stopped: memory is still readable
      const first = r[5];
      assert.ok(first?.kind === 'values' && Number(first.values[0]?.bits) > 0, JSON.stringify(first, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)));
      assert.equal(r[6]?.kind, 'values');
      assert.deepEqual(r[7], { kind: 'timeout' }, 'recurse_forever');
      assert.deepEqual(r[8], { kind: 'values', values: [i32(v8.depth(3000))] }, 'deep recursion works again after the stop');
      assert.deepEqual(r[9], { kind: 'timeout' }, 'spin again');
      assert.deepEqual(r[10], { kind: 'values', values: [i32(v8.add(-5, 3))] });
    });
  }
});

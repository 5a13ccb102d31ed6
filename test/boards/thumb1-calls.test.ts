/**
 * The Thumb-1 back end's calls on the micro:bit, against V8: call_indirect (a hit, a null entry, an index past the
 * table, a signature mismatch), multi-value results and calls (i32, i64, f32 and f64 results through the slots),
 * arguments on the stack, i64 multiply and divide, clz/popcnt, f32/f64 arithmetic and conversions through the
 * runtime, a mutable i64 global, frames beyond LDR [sp]'s 1020 bytes; direct calls and, with
 * --enable-indirect-mode, calls through exec_env->func_ptrs.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileModule } from '../../src/compile.js';
import type { BatchRequest, BatchResult, WasmValue } from '../../src/run/protocol.js';
import { runBatch } from '../../src/run/qemu.js';
import { V8 } from '../wasm/v8.js';
import { watOrSkipReason } from '../wasm/wat.js';
import { missingTools } from './fixture.js';

/**
 * 80 i32 locals, all live until the second half reads them: many spilled values in one frame. With the allocator
 * that is 76 slots (304 bytes), so slots beyond LDR [sp]'s 1020-byte reach are not exercised here: enough locals
 * for that would overflow the micro:bit's 2 KiB native stack
 */
const FAR_LOCALS = Array.from({ length: 80 }, (_, k) => k);

const WAT = `(module
  (type $ii (func (param i32) (result i32)))
  (type $iI (func (param i32) (result i64)))
  (table 4 funcref)
  (elem (i32.const 0) $dbl $neg $wide)
  (global $g (mut i64) (i64.const 7))
  (func $dbl (param i32) (result i32) (i32.add (local.get 0) (local.get 0)))
  (func $neg (param i32) (result i32) (i32.sub (i32.const 0) (local.get 0)))
  (func $wide (param i32) (result i64) (i64.extend_i32_s (local.get 0)))
  (func (export "ind") (param i32 i32) (result i32) (call_indirect (type $ii) (local.get 1) (local.get 0)))
  (func (export "ind64") (param i32 i32) (result i64) (call_indirect (type $iI) (local.get 1) (local.get 0)))
  (func $four (param i32 i64) (result i32 i64 f32 f64)
    (i32.mul (local.get 0) (i32.const 3)) (i64.sub (local.get 1) (i64.const 1))
    (f32.convert_i32_s (local.get 0)) (f64.convert_i64_s (local.get 1)))
  (func (export "four") (param i32 i64) (result i32 i64 f32 f64) (call $four (local.get 0) (local.get 1)))
  (func (export "fold") (param i32 i64) (result f64) (local i32 i64 f32 f64)
    (call $four (local.get 0) (local.get 1))
    (local.set 5) (local.set 4) (local.set 3) (local.set 2)
    (f64.add (local.get 5) (f64.promote_f32 (f32.mul (local.get 4) (f32.convert_i64_u (local.get 3))))))
  (func $many (param i32 i64 i32 i64 i32 i32 f64 f32) (result i64)
    (i64.add (i64.extend_i32_u (local.get 5)) (i64.add (local.get 3) (i64.extend_i32_s (local.get 4)))))
  (func (export "many") (param i32) (result i64)
    (call $many (i32.const 1) (i64.const 2) (i32.const 3) (i64.const 0x500000000) (local.get 0) (i32.const 7) (f64.const 1.5) (f32.const 2)))
  (func (export "arith") (param i64 i64) (result i64) (i64.add (i64.mul (local.get 0) (local.get 1)) (i64.rem_s (local.get 0) (local.get 1))))
  (func (export "bits") (param i32) (result i32) (i32.add (i32.clz (local.get 0)) (i32.mul (i32.popcnt (local.get 0)) (i32.ctz (local.get 0)))))
  (func (export "float") (param f32 f64) (result f64)
    (f64.add (f64.sqrt (f64.abs (local.get 1))) (f64.promote_f32 (f32.div (local.get 0) (f32.const 3)))))
  (func (export "trunc") (param f64) (result i32) (i32.trunc_f64_s (local.get 0)))
  (func (export "g") (result i64) (global.set $g (i64.add (global.get $g) (i64.const 0x100000001))) (global.get $g))
  (func (export "far") (param i32) (result i32) (local ${FAR_LOCALS.map(() => 'i32').join(' ')})
    ${FAR_LOCALS.map((k) => `(local.set ${k + 1} (i32.add (local.get 0) (local.get ${k})))`).join(' ')}
    (local.set 0 (i32.const 0))
    ${FAR_LOCALS.map((k) => `(local.set 0 (i32.xor (local.get 0) (local.get ${k + 1})))`).join(' ')}
    (local.get 0)))`;

const built = watOrSkipReason(WAT);
const skip = missingTools() || (typeof built === 'string' ? built : false);

const f32bits = (x: number): bigint => BigInt(new Uint32Array(new Float32Array([x]).buffer)[0] as number);
const f64bits = (x: number): bigint => new BigUint64Array(new Float64Array([x]).buffer)[0] as bigint;
const i32 = (n: number): WasmValue => ({ type: 'i32', bits: BigInt(n >>> 0) });
const i64 = (n: bigint): WasmValue => ({ type: 'i64', bits: BigInt.asUintN(64, n) });
const f32 = (x: number): WasmValue => ({ type: 'f32', bits: f32bits(x) });
const f64 = (x: number): WasmValue => ({ type: 'f64', bits: f64bits(x) });

/** A JS value from V8 as the board's value of `type`. */
function asValue(type: WasmValue['type'], v: unknown): WasmValue {
  switch (type) {
    case 'i32': return i32(v as number);
    case 'i64': return i64(v as bigint);
    case 'f32': return f32(v as number);
    case 'f64': return f64(v as number);
    default: throw new Error(type);
  }
}

const toJs = (v: WasmValue): number | bigint =>
  v.type === 'i32' ? Number(BigInt.asIntN(32, v.bits)) : v.type === 'i64' ? BigInt.asIntN(64, v.bits)
    : v.type === 'f32' ? new Float32Array(new Uint32Array([Number(v.bits)]).buffer)[0]! : new Float64Array(new BigUint64Array([v.bits]).buffer)[0]!;

type Call = readonly [string, readonly WasmValue[], readonly WasmValue['type'][]];
const CALLS: readonly Call[] = [
  ...[[0, 21], [1, 21], [0, -5], [2, 9], [3, 9], [4, 9], [-1, 9]].map(([t, x]): Call => ['ind', [i32(t!), i32(x!)], ['i32']]),
  ...[[2, -9], [0, 9]].map(([t, x]): Call => ['ind64', [i32(t!), i32(x!)], ['i64']]),
  ...[[5, 0x123456789n], [-7, -1n]].map(([x, y]): Call => ['four', [i32(x as number), i64(y as bigint)], ['i32', 'i64', 'f32', 'f64']]),
  ...[[5, 0x123456789n], [-7, -1n]].map(([x, y]): Call => ['fold', [i32(x as number), i64(y as bigint)], ['f64']]),
  ...[-6, 0x7fffffff].map((x): Call => ['many', [i32(x)], ['i64']]),
  ...[[123456789n, 987654321n], [-5n, 3n], [1n, 0n], [-(1n << 63n), -1n]].map(([x, y]): Call => ['arith', [i64(x!), i64(y!)], ['i64']]),
  ...[0, 1, 0x80000000, 0xf0f0].map((x): Call => ['bits', [i32(x)], ['i32']]),
  ...[[1.5, -2], [-0, 1e300], [3e38, 0.25]].map(([x, y]): Call => ['float', [f32(x!), f64(y!)], ['f64']]),
  ...[1e9, -2.5, 3e9, NaN].map((x): Call => ['trunc', [f64(x)], ['i32']]),
  ['g', [], ['i64']], ['g', [], ['i64']],
  ...[0, 12345, -1].map((x): Call => ['far', [i32(x)], ['i32']]),
];

const show = (r: BatchResult | undefined): string => JSON.stringify(r, (_k, v: unknown) => (typeof v === 'bigint' ? `0x${v.toString(16)}` : v));

describe('micro:bit: calls through the Thumb-1 back end', { skip }, () => {
  for (const [what, opts] of [['-O2', {}], ['-O0', { optLevel: 0 }], ['--enable-indirect-mode', { enableIndirectMode: true }]] as const) {
    it(`agree with V8 (${what})`, async () => {
      const wasm = built as Uint8Array;
      const v8 = new V8.Instance(new V8.Module(wasm)).exports as Record<string, (...a: unknown[]) => unknown>;
      const { image, relocations } = compileModule(wasm, { cpu: 'cortex-m0', xip: true, ...opts });
      assert.equal(relocations, 0);
      const out = await runBatch('microbit', [
        { kind: 'module', image },
        ...CALLS.map(([name, args]): BatchRequest => ({ kind: 'invoke', module: 0, name, args })),
      ], { timeoutMs: 60_000 });
      assert.equal(out.completed, true, out.log);
      assert.deepEqual(out.results[0], { kind: 'ok' }, show(out.results[0]));
      CALLS.forEach(([name, args, types], k) => {
        const got = out.results[1 + k];
        const where = `${name}(${args.map((a) => a.bits).join(', ')})`;
        let want: WasmValue[] | Error;
        try {
          const r = v8[name]!(...args.map(toJs));
          want = types.length === 0 ? [] : types.length === 1 ? [asValue(types[0]!, r)] : types.map((t, j) => asValue(t, (r as unknown[])[j]));
        } catch (e) {
          want = e as Error;
        }
        if (want instanceof Error) assert.ok(got?.kind === 'trap', `${where}: V8 trapped (${want.message}), the board gave ${show(got)}`);
        else assert.deepEqual(got, { kind: 'values', values: want }, where);
      });
    });
  }
});

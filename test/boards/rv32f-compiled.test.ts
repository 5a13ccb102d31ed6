/**
 * Compiled ilp32f code on riscv32-virt-f (RV32IMAFC, firmware built for ilp32f) against V8: f32 in F registers
 * (src/target/rv32/emit-float.ts) and the ilp32f calling convention (moves.ts): more f32 arguments than fa0-fa7
 * (the rest in a-registers, then on the stack) mixed with i32/i64/f64 words, through a Wasm call, an entry
 * trampoline and an import thunk to another instance; an f32 result in fa0 and f32 in multi-value results;
 * f32 values live across calls (fs0-fs11) and spilled under pressure (operands and result all in the frame); min/max with NaN and ±0, the inline roundings
 * at and past 2^23 and on NaNs (a signalling one must come back quiet), compares with NaN as values and branches,
 * select, unaligned f32 loads and stores, f32 globals, copysign, reinterpretations, conversions and truncation
 * traps, and the runtime's f32 intrinsics (i64 conversions, promote/demote) called with f32 in fa0. Every result
 * is V8's (a NaN: any arithmetic NaN, quiet bit set, as Wasm allows).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileModule } from '../../src/compile.js';
import { readAot } from '../../src/aot/reader.js';
import { BOARDS, archOf } from '../../src/run/boards.js';
import type { BatchRequest, WasmValue } from '../../src/run/protocol.js';
import { runBatch } from '../../src/run/qemu.js';
import { V8 } from '../wasm/v8.js';
import { firstMissingTool } from './fixture.js';
import { watToWasm as wasm } from '../wasm/wat.js';

const LIB = `(module
  (func (export "scale") (param f32 i32 f32) (result f32) (f32.mul (f32.add (local.get 0) (local.get 2)) (f32.convert_i32_s (local.get 1))))
  (func (export "split") (param f32) (result f32 i32 f32) (f32.floor (local.get 0)) (i32.trunc_sat_f32_s (local.get 0)) (f32.neg (local.get 0))))`;

/**
 * 44 f32 locals live to the end (the F file allocates 30), and binary operations early on between long-lived ones:
 * both operands and the result spilled, so the result takes an operand's F scratch register.
 */
const SPILL = (() => {
  const n = 44;
  const init = Array.from({ length: n }, (_, k) => `(local.set ${k + 1} (f32.add (local.get ${k}) (f32.const ${k}.5)))`);
  const mix: string[] = [];
  for (let k = 1; k < n - 1; k += 3) {
    mix.push(`(local.set ${k} (f32.mul (local.get ${k + 1}) (local.get ${k + 2})))`);
    mix.push(`(local.set ${k + 2} (f32.min (local.get ${k}) (local.get ${k + 1})))`);
  }
  let sum = '(f32.const 0)';
  for (let k = 0; k <= n; k++) sum = `(f32.add ${sum} (f32.mul (local.get ${k}) (f32.const ${k + 1})))`;
  return `(func (export "spill") (param f32) (result f32) (local ${'f32 '.repeat(n)})\n    ${[...init, ...mix, sum].join('\n    ')})`;
})();

const MAIN = `(module
  (import "lib" "scale" (func $scale (param f32 i32 f32) (result f32)))
  (import "lib" "split" (func $split (param f32) (result f32 i32 f32)))
  (memory 1)
  (global $g (mut f32) (f32.const 1.5))
  (func $wide (param f32 f32 i32 f32 f32 f64 f32 f32 f32 i64 f32 f32 f32 f32 i32 f32) (result f32)
    (f32.add
      (f32.add (f32.add (f32.mul (local.get 0) (f32.const 1)) (f32.mul (local.get 1) (f32.const 2)))
               (f32.add (f32.mul (local.get 3) (f32.const 3)) (f32.mul (local.get 4) (f32.const 5))))
      (f32.add
        (f32.add (f32.add (f32.mul (local.get 6) (f32.const 7)) (f32.mul (local.get 7) (f32.const 11)))
                 (f32.add (f32.mul (local.get 8) (f32.const 13)) (f32.mul (local.get 10) (f32.const 17))))
        (f32.add
          (f32.add (f32.add (f32.mul (local.get 11) (f32.const 19)) (f32.mul (local.get 12) (f32.const 23)))
                   (f32.add (f32.mul (local.get 13) (f32.const 29)) (f32.mul (local.get 15) (f32.const 31))))
          (f32.add (f32.demote_f64 (local.get 5))
            (f32.convert_i64_s (i64.add (local.get 9) (i64.extend_i32_s (i32.add (local.get 2) (local.get 14))))))))))
  (func (export "wide") (param f32 f32 i32 f32 f32 f64 f32 f32 f32 i64 f32 f32 f32 f32 i32 f32) (result f32)
    (call $wide (local.get 0) (local.get 1) (local.get 2) (local.get 3) (local.get 4) (local.get 5) (local.get 6)
      (local.get 7) (local.get 8) (local.get 9) (local.get 10) (local.get 11) (local.get 12) (local.get 13)
      (local.get 14) (local.get 15)))
  (func (export "viaImport") (param f32 i32 f32) (result f32) (call $scale (local.get 0) (local.get 1) (local.get 2)))
  (func (export "viaSplit") (param f32) (result f32)
    (local f32 i32)
    (call $split (local.get 0)) (local.set 1) (local.set 2)
    (f32.sub (f32.add (local.get 1) (f32.convert_i32_s (local.get 2)))))
  (func (export "split3") (param f32) (result f32 i32 f32) (call $split (local.get 0)))
  (func (export "min") (param f32 f32) (result f32) (f32.min (local.get 0) (local.get 1)))
  (func (export "max") (param f32 f32) (result f32) (f32.max (local.get 0) (local.get 1)))
  (func (export "ceil") (param f32) (result f32) (f32.ceil (local.get 0)))
  (func (export "floor") (param f32) (result f32) (f32.floor (local.get 0)))
  (func (export "trunc") (param f32) (result f32) (f32.trunc (local.get 0)))
  (func (export "nearest") (param f32) (result f32) (f32.nearest (local.get 0)))
  (func (export "ceilSame") (param f32) (result f32) (local.set 0 (f32.ceil (local.get 0))) (local.get 0))
  (func (export "cmps") (param f32 f32) (result i32)
    (i32.or (i32.or (i32.or (f32.eq (local.get 0) (local.get 1)) (i32.shl (f32.ne (local.get 0) (local.get 1)) (i32.const 1)))
                    (i32.or (i32.shl (f32.lt (local.get 0) (local.get 1)) (i32.const 2)) (i32.shl (f32.gt (local.get 0) (local.get 1)) (i32.const 3))))
            (i32.or (i32.shl (f32.le (local.get 0) (local.get 1)) (i32.const 4)) (i32.shl (f32.ge (local.get 0) (local.get 1)) (i32.const 5)))))
  (func (export "branches") (param f32 f32) (result i32) (local i32)
    (if (f32.lt (local.get 0) (local.get 1)) (then (local.set 2 (i32.or (local.get 2) (i32.const 1)))))
    (if (f32.ge (local.get 0) (local.get 1)) (then (local.set 2 (i32.or (local.get 2) (i32.const 2)))))
    (if (i32.eqz (f32.gt (local.get 0) (local.get 1))) (then (local.set 2 (i32.or (local.get 2) (i32.const 4)))))
    (if (i32.eqz (f32.le (local.get 0) (local.get 1))) (then (local.set 2 (i32.or (local.get 2) (i32.const 8)))))
    (if (f32.ne (local.get 0) (local.get 1)) (then (local.set 2 (i32.or (local.get 2) (i32.const 16)))))
    (local.get 2))
  (func (export "pick") (param f32 f32 f32 f32) (result f32)
    (select (local.get 0) (local.get 1) (f32.lt (local.get 2) (local.get 3))))
  (func (export "pickInt") (param f32 f32 i32) (result f32) (select (local.get 0) (local.get 1) (local.get 2)))
  (func (export "mem") (param i32 f32) (result f32)
    (f32.store offset=1 (local.get 0) (local.get 1))
    (f32.add (f32.load offset=1 (local.get 0)) (f32.load (i32.const 3))))
  (func (export "glob") (param f32) (result f32) (global.set $g (f32.mul (global.get $g) (local.get 0))) (global.get $g))
  (func (export "bits") (param f32 f32) (result i32)
    (i32.xor (i32.reinterpret_f32 (f32.copysign (local.get 0) (local.get 1))) (i32.reinterpret_f32 (f32.abs (local.get 1)))))
  (func (export "fromBits") (param i32) (result f32) (f32.reinterpret_i32 (local.get 0)))
  (func (export "conv") (param i32 i32) (result f32) (f32.add (f32.convert_i32_s (local.get 0)) (f32.convert_i32_u (local.get 1))))
  (func (export "tos") (param f32) (result i32) (i32.trunc_f32_s (local.get 0)))
  (func (export "tou") (param f32) (result i32) (i32.trunc_f32_u (local.get 0)))
  (func (export "to64") (param f32) (result i64) (i64.trunc_f32_s (local.get 0)))
  (func (export "from64") (param i64) (result f32) (f32.convert_i64_u (local.get 0)))
  (func (export "promote") (param f32 f64) (result f64) (f64.add (f64.promote_f32 (local.get 0)) (local.get 1)))
  (func $leaf (param f32) (result f32) (f32.sqrt (local.get 0)))
  (func (export "acrossCalls") (param f32 f32) (result f32) (local f32 f32 f32)
    (local.set 2 (f32.mul (local.get 0) (local.get 1)))
    (local.set 3 (f32.sub (local.get 0) (local.get 1)))
    (local.set 4 (call $leaf (local.get 2)))
    (f32.add (f32.add (local.get 2) (local.get 3)) (f32.add (local.get 4) (call $leaf (local.get 3)))))
  (func (export "pressure") (param f32) (result f32) (local ${'f32 '.repeat(40)})
    ${Array.from({ length: 40 }, (_, k) => `(local.set ${k + 1} (f32.add (local.get ${k}) (f32.const ${k + 0.25})))`).join('\n    ')}
    ${Array.from({ length: 39 }, () => '(f32.add').join(' ')} ${Array.from({ length: 40 }, (_, k) => `(f32.mul (local.get ${k + 1}) (local.get ${40 - k}))${k > 0 ? ')' : ''}`).join(' ')})
  ${SPILL})`;


const spec = BOARDS['riscv32-virt-f'];

type Ty = 'i32' | 'i64' | 'f32' | 'f64';
const f32bits = (x: number): bigint => BigInt(new Uint32Array(new Float32Array([x]).buffer)[0]!);
const val = (type: Ty, v: number | bigint): WasmValue => {
  switch (type) {
    case 'i32': return { type, bits: BigInt(Number(v) >>> 0) };
    case 'i64': return { type, bits: BigInt.asUintN(64, BigInt(v)) };
    case 'f32': return { type, bits: f32bits(Number(v)) };
    case 'f64': return { type, bits: new BigUint64Array(new Float64Array([Number(v)]).buffer)[0]! };
  }
};
const show = (v: unknown): string => JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `0x${x.toString(16)}` : x));

/** A NaN Wasm accepts for a result whose inputs may be NaNs: quiet (arithmetic), either sign. */
function arithmeticNaN(v: WasmValue): boolean {
  if (v.type === 'f32') return (v.bits & 0x7fc00000n) === 0x7fc00000n;
  if (v.type === 'f64') return (v.bits & 0x7ff8000000000000n) === 0x7ff8000000000000n;
  return false;
}
const isNaNValue = (v: WasmValue): boolean => (v.type === 'f32' ? (v.bits & 0x7fffffffn) > 0x7f800000n
  : v.type === 'f64' ? (v.bits & 0x7fffffffffffffffn) > 0x7ff0000000000000n : false);

describe('riscv32-virt-f: modules compiled for ilp32f', { skip: firstMissingTool([archOf(spec).qemu, `${archOf(spec).toolPrefix}gcc`, 'wat2wasm']) }, () => {
  it('give V8\'s results with f32 in F registers', async () => {
    const libBin = wasm(LIB);
    const bin = wasm(MAIN);
    const opts = { target: 'riscv32', cpu: 'rv32imafc', targetAbi: 'ilp32f', xip: true } as const;
    const lib = compileModule(libBin, opts);
    const main = compileModule(bin, opts);
    assert.equal(main.relocations, 0);
    assert.equal(readAot(main.image).floatAbi, 'hard');
    const libV8 = new V8.Instance(new V8.Module(libBin)).exports;
    const v8 = new V8.Instance(new V8.Module(bin), { lib: libV8 }).exports as Record<string, (...a: (number | bigint)[]) => unknown>;
    type Call = { name: string; args: WasmValue[]; want: WasmValue[] | 'trap'; code?: number };
    const calls: Call[] = [];
    const call = (name: string, types: readonly Ty[], results: readonly Ty[], args: readonly (number | bigint)[], code?: number): void => {
      const boardArgs = args.map((x, k) => val(types[k]!, x));
      // V8 sees exactly the values the board gets (f32 arguments rounded)
      const v8args = args.map((x, k) => (types[k] === 'f32' ? Math.fround(Number(x)) : x));
      try {
        const r = v8[name]!(...v8args);
        const rs = results.length > 1 ? (r as (number | bigint)[]) : results.length === 1 ? [r as number | bigint] : [];
        calls.push({ name, args: boardArgs, want: rs.map((x, k) => val(results[k]!, x)) });
      } catch (e) {
        assert.ok(code !== undefined, `${name}(${args.join(', ')}) trapped in V8: ${String(e)}`);
        calls.push({ name, args: boardArgs, want: 'trap', code });
      }
    };
    const WIDE: Ty[] = ['f32', 'f32', 'i32', 'f32', 'f32', 'f64', 'f32', 'f32', 'f32', 'i64', 'f32', 'f32', 'f32', 'f32', 'i32', 'f32'];
    call('wide', WIDE, ['f32'], [1.5, -2, 7, 0.125, 3, 1e10, -4.5, 8, 1e-3, -(1n << 40n), 6, 0.5, -0.25, 9, -11, 2.75]);
    call('wide', WIDE, ['f32'], [-1, 2, -3, 4, -5, -0.5, 7, -8, 9, 5n, -10, 11, -12, 13, 14, -15]);
    const PAIRS: [number, number][] = [[1.5, 2.25], [-0, 0], [0, -0], [NaN, 1], [1, NaN], [NaN, NaN], [-Infinity, 3], [3e38, 3e38],
      [1e-45, -1e-45], [-7.25, -7.25], [0.1, 0.2]];
    for (const [x, y] of PAIRS) {
      for (const op of ['min', 'max']) call(op, ['f32', 'f32'], ['f32'], [x, y]);
      call('cmps', ['f32', 'f32'], ['i32'], [x, y]);
      call('branches', ['f32', 'f32'], ['i32'], [x, y]);
      call('pick', ['f32', 'f32', 'f32', 'f32'], ['f32'], [x, y, y, x]);
      call('viaImport', ['f32', 'i32', 'f32'], ['f32'], [x, -3, y]);
      call('bits', ['f32', 'f32'], ['i32'], [x, y]);
      call('acrossCalls', ['f32', 'f32'], ['f32'], [x, y]);
    }
    for (const c of [0, 1, -1]) call('pickInt', ['f32', 'f32', 'i32'], ['f32'], [2.5, -1, c]);
    const ROUND = [0.5, -0.5, 1.5, 2.5, -2.5, -0, 0, 0.49999997, 8388607.5, -8388607.5, 8388608, 8388609, -8388609, 16777217,
      3e38, -3e38, Infinity, -Infinity, NaN, 1e-45, -1e-45, 0.99999994, -0.99999994, 4194303.75];
    for (const x of ROUND) {
      for (const op of ['ceil', 'floor', 'trunc', 'nearest', 'ceilSame']) call(op, ['f32'], ['f32'], [x]);
      call('viaSplit', ['f32'], ['f32'], [x]);
      call('split3', ['f32'], ['f32', 'i32', 'f32'], [x]);
      call('tos', ['f32'], ['i32'], [x], Number.isNaN(x) ? 9 : 8);
      call('tou', ['f32'], ['i32'], [x], Number.isNaN(x) ? 9 : 8);
      call('to64', ['f32'], ['i64'], [x], Number.isNaN(x) ? 9 : 8);
      call('promote', ['f32', 'f64'], ['f64'], [x, 0.1]);
      call('pressure', ['f32'], ['f32'], [x]);
      call('spill', ['f32'], ['f32'], [x]);
    }
    for (const x of [2147483520, 2147483648, -2147483648, -2147483904, 4294967040, 4294967296, -0.99, 1e19, -9.3e18]) {
      call('tos', ['f32'], ['i32'], [x], 8);
      call('tou', ['f32'], ['i32'], [x], 8);
      call('to64', ['f32'], ['i64'], [x], 8);
    }
    for (const [a, b] of [[0, 0], [-1, -1], [0x7fffffff, 0x80000000], [16777217, 16777217], [-33554435, 3]]) call('conv', ['i32', 'i32'], ['f32'], [a, b]);
    for (const x of [0n, 1n, 0x7fffffffffffffffn, 0xffffffffffffffffn, 0x1000001n, 0x20000010000001n]) call('from64', ['i64'], ['f32'], [x]);
    for (const a of [0, 1, 2, 3, 65531, 65532]) call('mem', ['i32', 'f32'], ['f32'], [a, 1.25 + a], 2);
    for (const x of [2, -0.5, 3]) call('glob', ['f32'], ['f32'], [x]);
    for (const b of [0x7fc00000, 0x3f800000, 0x80000000, 0x00000001]) call('fromBits', ['i32'], ['f32'], [b]);
    // a signalling NaN into the roundings and min: the result must be a quiet NaN (V8's own is whatever JS keeps)
    const sNaN: WasmValue = { type: 'f32', bits: 0x7f800001n };
    for (const op of ['ceil', 'floor', 'trunc', 'nearest']) calls.push({ name: op, args: [sNaN], want: [{ type: 'f32', bits: 0x7fc00000n }] });
    calls.push({ name: 'min', args: [sNaN, val('f32', 1)], want: [{ type: 'f32', bits: 0x7fc00000n }] });

    const requests: BatchRequest[] = [
      { kind: 'module', image: lib.image },
      { kind: 'register', module: 0, name: 'lib' },
      { kind: 'module', image: main.image },
      ...calls.map((c): BatchRequest => ({ kind: 'invoke', module: 2, name: c.name, args: c.args })),
    ];
    const out = await runBatch('riscv32-virt-f', requests, { timeoutMs: 120_000 });
    assert.equal(out.completed, true, out.log);
    assert.deepEqual(out.results[2], { kind: 'ok' }, show(out.results[2]));
    calls.forEach((c, k) => {
      const got = out.results[3 + k];
      const what = `${c.name}(${c.args.map((x) => `0x${x.bits.toString(16)}`).join(', ')})`;
      if (c.want === 'trap') { assert.ok(got?.kind === 'trap' && got.code === c.code, `${what}: ${show(got)}, want trap ${c.code}`); return; }
      assert.ok(got?.kind === 'values' && got.values.length === c.want.length, `${what}: ${show(got)}, want ${show(c.want)}`);
      c.want.forEach((w, n) => {
        const g = got.values[n]!;
        if (isNaNValue(w)) assert.ok(g.type === w.type && arithmeticNaN(g), `${what} result ${n}: ${show(g)}, want an arithmetic NaN`);
        else assert.deepEqual(g, w, `${what} result ${n}: ${show(g)}, want ${show(w)}`);
      });
    });
  });
});

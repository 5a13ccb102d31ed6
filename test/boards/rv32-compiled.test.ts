/**
 * Compiled RV32 code on riscv32-virt against V8: modules go through the target-neutral IR and the RV32 emitter
 * (src/target/rv32/emit.ts, module.ts) into rv32imac ilp32 images: i32 and i64 arithmetic (shifts and rotations
 * by every amount class, 64-bit products, division traps), memory with bounds traps at the edge of the memory and
 * memory.grow, calls with stack arguments (an i64 split between a7 and the stack), spills under register
 * pressure, call_indirect with its traps, imports (host functions and another instance's exports), globals,
 * br_table, select, soft-float arithmetic and conversions through the runtime's intrinsics, deep recursion
 * ending in the stack check's trap, multi-value results (a call, an import thunk, an entry trampoline). Every result
 * is V8's; every image has zero relocations.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { compileModule } from '../../src/compile.js';
import { BOARDS, archOf } from '../../src/run/boards.js';
import type { BatchRequest, WasmValue } from '../../src/run/protocol.js';
import { runBatch } from '../../src/run/qemu.js';
import { spectestRequests } from '../../src/run/spectest.js';
import { V8 } from '../wasm/v8.js';
import { cli } from '../run/cli-harness.js';
import { firstMissingTool } from './fixture.js';
import { watToWasm as wasm } from '../wasm/wat.js';

const LIB = `(module
  (func (export "twice") (param i64) (result i64) (i64.shl (local.get 0) (i64.const 1)))
  (func (export "add3") (param i32 i32 i32) (result i32) (i32.add (i32.add (local.get 0) (local.get 1)) (local.get 2)))
  (func (export "swap") (param i32 i64) (result i64 i32) (local.get 1) (local.get 0)))`;

const MAIN = `(module
  (import "spectest" "print_i32" (func $print (param i32)))
  (import "spectest" "print_i64" (func $print64 (param i64)))
  (import "lib" "twice" (func $twice (param i64) (result i64)))
  (import "lib" "add3" (func $add3 (param i32 i32 i32) (result i32)))
  (import "lib" "swap" (func $swap (param i32 i64) (result i64 i32)))
  (import "spectest" "global_i32" (global $ig i32))
  (memory 1 4)
  (global $g (mut i32) (i32.const 5))
  (global $h (mut i64) (i64.const -3))
  (type $ii (func (param i32) (result i32)))
  (table 4 funcref)
  (elem (i32.const 0) $inc $dbl $many)
  (func $inc (type $ii) (i32.add (local.get 0) (i32.const 1)))
  (func $dbl (type $ii) (i32.shl (local.get 0) (i32.const 1)))
  (func $many (param i32 i32 i32 i32 i32 i64 i32 i64 i32 i32) (result i64)
    (i64.add
      (i64.add (i64.extend_i32_s (i32.add (i32.add (local.get 0) (i32.mul (local.get 1) (i32.const 3)))
        (i32.add (i32.mul (local.get 2) (i32.const 5)) (i32.mul (local.get 3) (i32.const 7)))))
               (i64.mul (local.get 5) (i64.const 11)))
      (i64.add (i64.mul (local.get 7) (i64.const 13))
        (i64.extend_i32_u (i32.xor (i32.xor (local.get 4) (local.get 6)) (i32.sub (local.get 8) (local.get 9)))))))
  (func (export "many") (param i32 i64 i64) (result i64)
    (call $many (local.get 0) (i32.const 2) (i32.const 3) (i32.const 4) (i32.const 5) (local.get 1)
      (i32.const -7) (local.get 2) (i32.const 9) (i32.wrap_i64 (local.get 2))))
  (func $pair (param i32) (result i32 i64) (i32.mul (local.get 0) (i32.const 3)) (i64.extend_i32_s (local.get 0)))
  (func (export "usePair") (param i32) (result i64) (local i64)
    (call $pair (local.get 0)) (local.set 1) (i64.extend_i32_u) (local.get 1) (i64.sub))
  (func (export "viaSwap") (param i32 i64) (result i64 i32) (call $swap (local.get 0) (local.get 1)))
  (func (export "shl") (param i64 i64) (result i64) (i64.shl (local.get 0) (local.get 1)))
  (func (export "shr_s") (param i64 i64) (result i64) (i64.shr_s (local.get 0) (local.get 1)))
  (func (export "shr_u") (param i64 i64) (result i64) (i64.shr_u (local.get 0) (local.get 1)))
  (func (export "rotl") (param i64 i64) (result i64) (i64.rotl (local.get 0) (local.get 1)))
  (func (export "rotr32") (param i32 i32) (result i32) (i32.rotr (local.get 0) (local.get 1)))
  (func (export "mul64") (param i64 i64) (result i64) (i64.mul (local.get 0) (local.get 1)))
  (func (export "sub64") (param i64 i64) (result i64) (i64.sub (local.get 0) (local.get 1)))
  (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
  (func (export "rem") (param i32 i32) (result i32) (i32.rem_s (local.get 0) (local.get 1)))
  (func (export "divu64") (param i64 i64) (result i64) (i64.div_u (local.get 0) (local.get 1)))
  (func (export "cmp") (param i64 i64) (result i32)
    (i32.or (i32.or (i32.shl (i64.lt_s (local.get 0) (local.get 1)) (i32.const 3))
                    (i32.shl (i64.gt_u (local.get 0) (local.get 1)) (i32.const 2)))
            (i32.or (i32.shl (i64.eq (local.get 0) (local.get 1)) (i32.const 1)) (i32.le_s (i32.wrap_i64 (local.get 0)) (i32.wrap_i64 (local.get 1))))))
  (func (export "load") (param i32) (result i32) (i32.load offset=1 (local.get 0)))
  (func (export "load8") (param i32) (result i32) (i32.load8_s (local.get 0)))
  (func (export "store") (param i32 i64) (i64.store offset=2 (local.get 0) (local.get 1)))
  (func (export "load64") (param i32) (result i64) (i64.load (local.get 0)))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "size") (result i32) (memory.size))
  (func (export "indirect") (param i32 i32) (result i32) (call_indirect (type $ii) (local.get 1) (local.get 0)))
  (func (export "imports") (param i32 i64) (result i64)
    (call $print (local.get 0))
    (call $print64 (local.get 1))
    (i64.add (call $twice (local.get 1)) (i64.extend_i32_s (call $add3 (local.get 0) (global.get $ig) (i32.const 1)))))
  (func (export "globals") (param i32) (result i64)
    (global.set $g (i32.add (global.get $g) (local.get 0)))
    (global.set $h (i64.mul (global.get $h) (i64.extend_i32_s (global.get $g))))
    (global.get $h))
  (func (export "switch") (param i32) (result i32)
    (block $d (block $c (block $b (block $a (br_table $a $b $c $b $d (local.get 0)))
      (return (i32.const 10))) (return (i32.const 20))) (return (i32.const 30))) (i32.const 40))
  (func (export "pick") (param i64 i64 i32) (result i64) (select (local.get 0) (local.get 1) (local.get 2)))
  (func (export "pressure") (param i32) (result i32)
    (local i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32)
    (local.set 1 (i32.mul (local.get 0) (i32.const 3)))
    (local.set 2 (i32.add (local.get 1) (i32.const 5)))
    (local.set 3 (i32.xor (local.get 2) (local.get 0)))
    (local.set 4 (i32.mul (local.get 3) (local.get 1)))
    (local.set 5 (i32.sub (local.get 4) (local.get 2)))
    (local.set 6 (i32.rotl (local.get 5) (local.get 3)))
    (local.set 7 (i32.add (local.get 6) (local.get 1)))
    (local.set 8 (i32.mul (local.get 7) (local.get 7)))
    (local.set 9 (i32.shr_u (local.get 8) (local.get 2)))
    (local.set 10 (i32.add (local.get 9) (local.get 4)))
    (local.set 11 (i32.or (local.get 10) (local.get 5)))
    (local.set 12 (i32.add (local.get 11) (local.get 6)))
    (local.set 13 (i32.mul (local.get 12) (local.get 3)))
    (local.set 14 (i32.sub (local.get 13) (local.get 7)))
    (local.set 15 (i32.xor (local.get 14) (local.get 8)))
    (local.set 16 (i32.add (local.get 15) (local.get 9)))
    (local.set 17 (i32.mul (local.get 16) (local.get 10)))
    (local.set 18 (i32.add (local.get 17) (local.get 11)))
    (local.set 19 (i32.shl (local.get 18) (local.get 12)))
    (local.set 20 (i32.add (local.get 19) (local.get 13)))
    (local.set 21 (i32.sub (local.get 20) (local.get 14)))
    (local.set 22 (i32.add (local.get 21) (local.get 15)))
    (local.set 23 (i32.mul (local.get 22) (local.get 16)))
    (local.set 24 (i32.add (local.get 23) (local.get 17)))
    (local.set 25 (i32.xor (local.get 24) (local.get 18)))
    (i32.add (i32.add (i32.add (i32.add (local.get 1) (local.get 2)) (i32.add (local.get 3) (local.get 4)))
                      (i32.add (i32.add (local.get 5) (local.get 6)) (i32.add (local.get 7) (local.get 8))))
      (i32.add (i32.add (i32.add (local.get 9) (local.get 10)) (i32.add (local.get 11) (local.get 12)))
        (i32.add (i32.add (i32.add (local.get 13) (local.get 14)) (i32.add (local.get 15) (local.get 16)))
          (i32.add (i32.add (i32.add (local.get 17) (local.get 18)) (i32.add (local.get 19) (local.get 20)))
            (i32.add (i32.add (local.get 21) (local.get 22)) (i32.add (i32.add (local.get 23) (local.get 24)) (local.get 25))))))))
  (func $deep (export "deep") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
      (else (i32.add (i32.const 1) (call $deep (i32.sub (local.get 0) (i32.const 1)))))))
  (func (export "fmix") (param f32 f32) (result f32)
    (f32.add (f32.mul (local.get 0) (local.get 1)) (f32.div (f32.sqrt (local.get 0)) (local.get 1))))
  (func (export "dmix") (param f64 f64) (result f64)
    (f64.sub (f64.mul (local.get 0) (local.get 1)) (f64.min (local.get 0) (f64.nearest (local.get 1)))))
  (func (export "fcmp") (param f64 f64) (result i32)
    (i32.add (f64.lt (local.get 0) (local.get 1)) (i32.shl (f64.ne (local.get 0) (local.get 1)) (i32.const 1))))
  (func (export "conv") (param f64) (result i64) (i64.trunc_sat_f64_s (local.get 0)))
  (func (export "trunc") (param f32) (result i32) (i32.trunc_f32_u (local.get 0)))
  (func (export "tof") (param i64) (result f32) (f32.convert_i64_u (local.get 0))))`;


const spec = BOARDS['riscv32-virt'];

type Value = number | bigint;
const i32 = (n: number): WasmValue => ({ type: 'i32', bits: BigInt(n >>> 0) });
const i64 = (n: bigint): WasmValue => ({ type: 'i64', bits: BigInt.asUintN(64, n) });
const f32 = (x: number): WasmValue => ({ type: 'f32', bits: BigInt(new Uint32Array(new Float32Array([x]).buffer)[0]!) });
const f64 = (x: number): WasmValue => ({ type: 'f64', bits: new BigUint64Array(new Float64Array([x]).buffer)[0]! });
const show = (v: unknown): string => JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `0x${x.toString(16)}` : x));

/** An f32 or f64 value whose bits are a NaN. */
function isNaN(v: WasmValue): boolean {
  if (v.type === 'f32') return (v.bits & 0x7f800000n) === 0x7f800000n && (v.bits & 0x7fffffn) !== 0n;
  if (v.type === 'f64') return (v.bits & 0x7ff0000000000000n) === 0x7ff0000000000000n && (v.bits & 0xfffffffffffffn) !== 0n;
  return false;
}

/** The result of V8 as a board value of the export's result type. */
function asValue(type: 'i32' | 'i64' | 'f32' | 'f64', v: unknown): WasmValue {
  switch (type) {
    case 'i32': return i32(v as number);
    case 'i64': return i64(v as bigint);
    case 'f32': return f32(v as number);
    case 'f64': return f64(v as number);
  }
}

describe('riscv32-virt: modules compiled by the RV32 emitter', { skip: firstMissingTool([archOf(spec).qemu, `${archOf(spec).toolPrefix}gcc`, 'wat2wasm']) }, () => {
  it('give V8\'s results, prints and traps', async () => {
    const libBin = wasm(LIB);
    const bin = wasm(MAIN);
    const opts = { target: 'riscv32', cpu: 'rv32imac', xip: true } as const;
    const lib = compileModule(libBin, opts);
    const main = compileModule(bin, opts);
    assert.equal(lib.relocations, 0);
    assert.equal(main.relocations, 0);
    const printed: string[] = [];
    const libV8 = new V8.Instance(new V8.Module(libBin)).exports;
    const v8 = new V8.Instance(new V8.Module(bin), {
      spectest: {
        print_i32: (x: number) => printed.push(`print_i32 i32:0x${(x >>> 0).toString(16).padStart(8, '0')}`),
        print_i64: (x: bigint) => printed.push(`print_i64 i64:0x${BigInt.asUintN(64, x).toString(16).padStart(16, '0')}`),
        global_i32: 666,
      },
      lib: libV8,
    }).exports as Record<string, (...a: Value[]) => unknown>;
    type Ty = 'i32' | 'i64' | 'f32' | 'f64';
    type Call = { name: string; args: WasmValue[]; want: WasmValue | 'trap' | undefined; code?: number; many?: WasmValue[] };
    const calls: Call[] = [];
    /** A call V8 makes too: its result (or its trap, with the board's trap code) is what the board must give. */
    const call = (name: string, result: Ty | undefined, args: WasmValue[], v8args: Value[], code?: number): void => {
      try {
        const r = v8[name]!(...v8args);
        calls.push({ name, args, want: result === undefined ? undefined : asValue(result, r) });
      } catch (e) {
        assert.ok(code !== undefined, `${name}(${v8args.join(', ')}) trapped in V8: ${String(e)}`);
        calls.push({ name, args, want: 'trap', code });
      }
    };
    const P64 = [0n, 1n, -1n, 0x123456789abcdef0n, -0x8000000000000000n, 0x7fffffffn, 0x80000000n, 3n];
    const AMOUNTS = [0n, 1n, 5n, 31n, 32n, 33n, 40n, 63n, 64n, 65n, -1n];
    for (const x of [0x123456789abcdef0n, -0x1234567n, 1n]) {
      for (const n of AMOUNTS) {
        for (const op of ['shl', 'shr_s', 'shr_u', 'rotl']) call(op, 'i64', [i64(x), i64(n)], [x, n]);
      }
    }
    for (const n of [0, 1, 17, 31, 32, 33, -1]) call('rotr32', 'i32', [i32(0x80000001), i32(n)], [0x80000001 | 0, n]);
    for (const x of P64) {
      for (const y of P64) {
        call('mul64', 'i64', [i64(x), i64(y)], [x, y]);
        call('sub64', 'i64', [i64(x), i64(y)], [x, y]);
        call('cmp', 'i32', [i64(x), i64(y)], [x, y]);
        call('divu64', 'i64', [i64(x), i64(y)], [x, y], 7);
      }
    }
    for (const [x, y] of [[7, 2], [-7, 2], [7, 0], [-0x80000000, -1], [-0x80000000, 1], [5, -3]] as const) {
      call('div', 'i32', [i32(x), i32(y)], [x, y], x === -0x80000000 ? 8 : 7);
      call('rem', 'i32', [i32(x), i32(y)], [x, y], 7);
    }
    const PAGE = 65536;
    for (const a of [0, 3, PAGE - 5, PAGE - 4, PAGE - 1, PAGE, -1, -4]) {
      call('store', undefined, [i32(a), i64(0x0102030405060708n + BigInt(a))], [a, 0x0102030405060708n + BigInt(a)], 2);
      call('load', 'i32', [i32(a)], [a], 2);
      call('load8', 'i32', [i32(a)], [a], 2);
      call('load64', 'i64', [i32(a)], [a], 2);
    }
    call('grow', 'i32', [i32(1)], [1]);
    call('size', 'i32', [], []);
    for (const a of [PAGE, 2 * PAGE - 8, 2 * PAGE - 4]) {
      call('store', undefined, [i32(a), i64(-5n)], [a, -5n], 2);
      call('load64', 'i64', [i32(a)], [a], 2);
    }
    call('grow', 'i32', [i32(5)], [5]);
    for (const [f, x] of [[0, 41], [1, 41], [2, 1], [3, 1], [4, 1], [-1, 1]] as const) {
      call('indirect', 'i32', [i32(f), i32(x)], [f, x], f === 2 ? 6 : f === 3 ? 5 : 4);
    }
    for (const [x, y] of [[5, 1n << 40n], [-9, -3n]] as const) call('imports', 'i64', [i32(x), i64(y)], [x, y]);
    for (const x of [1, 7, -20]) call('globals', 'i64', [i32(x)], [x]);
    for (const x of [5, -5, 0x7fffffff]) call('usePair', 'i64', [i32(x)], [x]);
    for (const [x, y] of [[3, -4n], [-1, 1n << 50n]] as const) {
      // two results: V8 gives them as an array
      const [r0, r1] = v8.viaSwap!(x, y) as [bigint, number];
      calls.push({ name: 'viaSwap', args: [i32(x), i64(y)], want: undefined, many: [i64(r0), i32(r1)] });
    }
    for (const k of [0, 1, 2, 3, 4, 5, 1000, -1]) call('switch', 'i32', [i32(k)], [k]);
    for (const c of [0, 1, -1]) call('pick', 'i64', [i64(-2n), i64(1n << 33n), i32(c)], [-2n, 1n << 33n, c]);
    for (const x of [0, 1, 7, -12345, 0x7fffffff]) call('pressure', 'i32', [i32(x)], [x]);
    for (const [x, y, z] of [[1, -2n, 3n], [0x7fffffff, 1n << 35n, -(1n << 40n)]] as const) call('many', 'i64', [i32(x), i64(y), i64(z)], [x, y, z]);
    call('deep', 'i32', [i32(1000)], [1000]);
    calls.push({ name: 'deep', args: [i32(10_000_000)], want: 'trap', code: 10 });
    calls.push({ name: 'deep', args: [i32(3)], want: i32(3) });
    for (const [x, y] of [[2.5, -0.75], [1e30, 3e-9], [0, -0], [NaN, 1], [16, 0]]) call('fmix', 'f32', [f32(x!), f32(y!)], [Math.fround(x!), Math.fround(y!)]);
    for (const [x, y] of [[2.5, -0.75], [1e300, 3.5], [-0, 0], [NaN, 1], [7, 2.5]]) {
      call('dmix', 'f64', [f64(x!), f64(y!)], [x!, y!]);
      call('fcmp', 'i32', [f64(x!), f64(y!)], [x!, y!]);
    }
    for (const x of [1.5, -1e19, 1e19, NaN, -0.9, 9.2e18]) call('conv', 'i64', [f64(x)], [x]);
    for (const x of [1.5, -0.9, 4294967040, 4294967296, -1, NaN]) call('trunc', 'i32', [f32(x)], [Math.fround(x)], Number.isNaN(x) ? 9 : 8);
    for (const x of [0n, 1n, -1n, 0x7fffffffffffffffn, 0x1000001n]) call('tof', 'f32', [i64(x)], [x]);

    // requests 0-1: the spectest module; 2-3: lib; 4: main
    const requests: BatchRequest[] = [
      ...spectestRequests(spec),
      { kind: 'module', image: lib.image },
      { kind: 'register', module: 2, name: 'lib' },
      { kind: 'module', image: main.image },
      ...calls.map((c): BatchRequest => ({ kind: 'invoke', module: 4, name: c.name, args: c.args })),
    ];
    const out = await runBatch('riscv32-virt', requests, { timeoutMs: 120_000 });
    assert.equal(out.completed, true, out.log);
    assert.deepEqual(out.results[4], { kind: 'ok' }, show(out.results[4]));
    calls.forEach((c, k) => {
      const got = out.results[5 + k];
      const what = `${c.name}(${c.args.map((x) => `0x${x.bits.toString(16)}`).join(', ')})`;
      if (c.many !== undefined) assert.deepEqual(got, { kind: 'values', values: c.many }, `${what}: ${show(got)}`);
      else if (c.want === 'trap') assert.ok(got?.kind === 'trap' && got.code === c.code, `${what}: ${show(got)}, want trap ${c.code}`);
      else if (c.want !== undefined && isNaN(c.want)) {
        // Wasm lets a NaN result have either sign and any payload (V8 and the runtime pick different ones)
        assert.ok(got?.kind === 'values' && got.values.length === 1 && got.values[0]!.type === c.want.type && isNaN(got.values[0]!), `${what}: ${show(got)}, want a NaN`);
      } else assert.deepEqual(got, { kind: 'values', values: c.want === undefined ? [] : [c.want] }, `${what}: ${show(got)}, want ${show(c.want)}`);
    });
    assert.deepEqual(out.prints, printed);
  });

  it('xipwasm compile --target=riscv32 and xipwasm run --board=riscv32-virt app.wasm', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xw-rv32cli-'));
    try {
      writeFileSync(join(dir, 'lib.wasm'), wasm(LIB));
      const c = await cli(['compile', '--target=riscv32', '--cpu=esp32c3', '--cpu-features=+a', '--target-abi=ilp32', '--xip', '-o', join(dir, 'lib.aot'), join(dir, 'lib.wasm')]);
      assert.equal(c.code, 0, c.err);
      const i = await cli(['inspect', join(dir, 'lib.aot')]);
      assert.match(i.out, /target: riscv32 {2}cpu: rv32imac {2}float ABI: soft {2}features: rv32imac/);
      const r = await cli(['run', '--board=riscv32-virt', join(dir, 'lib.wasm'), '--invoke', 'add3', '1', '2', '-7', '--invoke', 'twice', '-21']);
      assert.equal(r.code, 0, r.err);
      assert.equal(r.err, '');
      assert.equal(r.out, 'i32:-4\ni64:-42\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

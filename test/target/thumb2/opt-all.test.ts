/**
 * Functions that used to go to a second code generator, tier 0 (issue 9, item 3: multi-value, references and
 * tables, many locals, f64 on single-precision FPUs): each module compiles on every Thumb-2 core at every opt
 * level, and runs with V8's results on every board that runs compiled code.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileModule } from '../../../src/compile.js';
import { BOARDS, CODEGEN_BOARD_NAMES } from '../../../src/run/boards.js';
import { agreeOnBoard, assemble, compileFor, outOfScope, f32, f64, i32, i64, reference, skipBoards as skip, type Call } from './vs-v8.js';

/**
 * Several results: returned through the caller's slots from the end, from inside blocks (br, br_if, return),
 * from a call and a call_indirect (results kept across a later call, spilled under pressure), with enough
 * arguments that the slots' address goes on the stack, and blocks with several results.
 */
const MULTI_VALUE = `(module
  (type $q (func (param i32) (result i32 i64 f32 f64)))
  (table 2 funcref)
  (elem (i32.const 0) $quad $quad2)
  (func $quad (type $q)
    (i32.mul (local.get 0) (i32.const 3))
    (i64.extend_i32_s (local.get 0))
    (f32.convert_i32_s (local.get 0))
    (f64.div (f64.convert_i32_s (local.get 0)) (f64.const 8)))
  (func $quad2 (type $q)
    (block (result i32 i64 f32 f64)
      (i32.const 1) (i64.const -2) (f32.const 0.5) (f64.const 1e300)
      (br_if 1 (i32.eqz (local.get 0)))
      (drop) (drop) (drop) (drop)
      (if (i32.lt_s (local.get 0) (i32.const 0))
        (then (return (i32.const -1) (i64.const 0x123456789) (f32.const -0) (f64.const -4.5))))
      (i32.const 7) (i64.shl (i64.const 1) (i64.extend_i32_u (local.get 0))) (f32.const 3) (f64.const 0.125)))
  (func $many (param i32 i32 i32 i32 i64 i64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f32) (result i64 i32)
    (i64.add (i64.add (local.get 4) (local.get 5)) (i64.trunc_f64_s (f64.add (local.get 14) (f64.promote_f32 (local.get 15)))))
    (i32.add (i32.add (local.get 0) (local.get 3)) (i32.trunc_f64_s (local.get 6))))
  (func $swap (param i64 i32) (result i32 i64) (local.get 1) (local.get 0))
  (func (export "direct") (param i32) (result f64)
    (local i32 i64 f32 f64)
    (call $quad (local.get 0))
    (local.set 4) (local.set 3) (local.set 2) (local.set 1)
    (f64.add
      (f64.add (f64.convert_i32_s (local.get 1)) (f64.convert_i64_s (local.get 2)))
      (f64.add (f64.promote_f32 (local.get 3)) (local.get 4))))
  (func (export "indirect") (param i32 i32) (result i64)
    (local i32 i64 f32 f64 i32 i64 f32 f64)
    (call_indirect (type $q) (local.get 1) (local.get 0))
    (local.set 5) (local.set 4) (local.set 3) (local.set 2)
    ;; the first results stay live across a second call
    (call_indirect (type $q) (i32.add (local.get 1) (i32.const 1)) (i32.and (i32.add (local.get 0) (i32.const 1)) (i32.const 1)))
    (local.set 9) (local.set 8) (local.set 7) (local.set 6)
    (i64.add
      (i64.add (i64.extend_i32_s (i32.add (local.get 2) (local.get 6))) (i64.add (local.get 3) (local.get 7)))
      (i64.add (i64.trunc_f32_s (f32.add (local.get 4) (local.get 8)))
               (i64.reinterpret_f64 (f64.add (local.get 5) (local.get 9))))))
  (func (export "many") (param i32) (result i64)
    (local i64 i32)
    (call $many (local.get 0) (i32.const 2) (i32.const 3) (i32.const 4) (i64.const 5) (i64.extend_i32_s (local.get 0))
      (f64.const 6.5) (f64.const 7) (f64.const 8) (f64.const 9) (f64.const 10) (f64.const 11) (f64.const 12) (f64.const 13)
      (f64.convert_i32_s (local.get 0)) (f32.const 0.75))
    (local.set 2) (local.set 1)
    (i64.add (local.get 1) (i64.extend_i32_s (local.get 2))))
  (func (export "swapped") (param i64 i32) (result i32 i64)
    (call $swap (local.get 0) (local.get 1)))
  (func (export "quad2") (param i32) (result i32 i64 f32 f64) (call $quad2 (local.get 0)))
  (func (export "blocks") (param i32) (result i32)
    (block (result i32 i32)
      (i32.const 10) (local.get 0)
      (br_if 0 (i32.gt_s (local.get 0) (i32.const 5)))
      (i32.add (i32.const 1)))
    (i32.sub)))`;

/** More than 64 locals, all live in one loop: most are spilled. */
const MANY_LOCALS = `(module
  (func (export "sum") (param i32) (result i32)
    (local ${'i32 '.repeat(100)})
    ${Array.from({ length: 100 }, (_, k) => `(local.set ${k + 1} (i32.mul (local.get 0) (i32.const ${k + 1})))`).join(' ')}
    (loop
      ${Array.from({ length: 99 }, (_, k) => `(local.set ${k + 1} (i32.add (local.get ${k + 1}) (local.get ${k + 2})))`).join(' ')}
      (br_if 0 (i32.gt_s (local.tee 0 (i32.sub (local.get 0) (i32.const 1))) (i32.const 0))))
    ${Array.from({ length: 99 }, (_, k) => `(local.set 1 (i32.xor (local.get 1) (i32.rotl (local.get ${k + 2}) (i32.const ${k % 31}))))`).join(' ')}
    (local.get 1)))`;

/**
 * References and tables: null and is_null, ref.func into a table and called from there, get/set/size/grow/fill/
 * copy/init, elem.drop (a later init traps), call_indirect through a second table, ref locals, globals, select
 * and block results, and the table operators' bounds traps.
 */
const TABLES = `(module
  (type $i (func (result i32)))
  (table $t 4 10 funcref)
  (table $u 2 funcref)
  (table $x 3 externref)
  (global $g (mut funcref) (ref.null func))
  (elem $e funcref (ref.func $one) (ref.func $two) (ref.null func) (ref.func $three))
  (elem (table $u) (i32.const 1) func $three)
  (elem declare func $four)
  (func $one (result i32) (i32.const 1))
  (func $two (result i32) (i32.const 2))
  (func $three (result i32) (i32.const 3))
  (func $four (result i32) (i32.const 4))
  (func (export "init") (param i32 i32 i32) (table.init $t $e (local.get 0) (local.get 1) (local.get 2)))
  (func (export "drop") (elem.drop $e))
  (func (export "call") (param i32) (result i32) (call_indirect $t (type $i) (local.get 0)))
  (func (export "call_u") (param i32) (result i32) (call_indirect $u (type $i) (local.get 0)))
  (func (export "is_null") (param i32) (result i32) (ref.is_null (table.get $t (local.get 0))))
  (func (export "set_four") (param i32) (table.set $t (local.get 0) (ref.func $four)))
  (func (export "clear") (param i32) (table.set $t (local.get 0) (ref.null func)))
  (func (export "size") (result i32) (i32.add (i32.mul (table.size $t) (i32.const 100)) (table.size $u)))
  (func (export "grow") (param i32) (result i32) (table.grow $t (ref.func $two) (local.get 0)))
  (func (export "fill") (param i32 i32) (table.fill $t (local.get 0) (ref.func $three) (local.get 1)))
  (func (export "copy") (param i32 i32 i32) (table.copy $t $t (local.get 0) (local.get 1) (local.get 2)))
  (func (export "copy_u") (param i32 i32 i32) (table.copy $t $u (local.get 0) (local.get 1) (local.get 2)))
  (func (export "locals") (param i32) (result i32)
    (local funcref externref)
    (local.set 1 (select (result funcref) (ref.func $one) (table.get $t (i32.const 3)) (local.get 0)))
    (global.set $g (local.get 1))
    (table.set $t (i32.const 0) (global.get $g))
    (local.set 2 (table.get $x (i32.const 1)))
    (i32.add
      (i32.add (i32.mul (ref.is_null (local.get 2)) (i32.const 10)) (ref.is_null (ref.null extern)))
      (i32.add (i32.mul (ref.is_null (block (result funcref) (local.get 1))) (i32.const 100))
               (call_indirect $t (type $i) (i32.const 0))))))`;

/**
 * f64 on a single-precision FPU (M4, M33): core words, runtime arithmetic, while f32 stays in float registers.
 * f64 params and results cross in d registers (hard-float ABI), to calls, intrinsics and the entry; mixed with
 * f32 (promote/demote), compares, truncations (trapping and saturating), bits, memory, globals, select, and f64
 * values in several results.
 */
const DOUBLES = `(module
  (memory 1)
  (global $acc (mut f64) (f64.const 0.5))
  (func $hyp (param f64 f32 f64) (result f64)
    (f64.sqrt (f64.add (f64.mul (local.get 0) (local.get 0)) (f64.mul (local.get 2) (f64.promote_f32 (local.get 1))))))
  (func $pair (param f64) (result f64 f32 i32)
    (f64.neg (local.get 0)) (f32.demote_f64 (local.get 0)) (i32.trunc_sat_f64_s (local.get 0)))
  (func (export "mix") (param f64 f32 i32) (result f64)
    (local f64 f32)
    (local.set 3 (call $hyp (local.get 0) (local.get 1) (f64.convert_i32_s (local.get 2))))
    (local.set 4 (f32.mul (local.get 1) (f32.const 1.5)))
    (global.set $acc (f64.add (global.get $acc) (local.get 3)))
    (f64.store offset=3 (local.get 2) (local.get 3))
    (select (f64.load offset=3 (local.get 2)) (f64.promote_f32 (local.get 4)) (f64.lt (local.get 0) (local.get 3))))
  (func (export "acc") (result f64) (global.get $acc))
  (func (export "cmp") (param f64 f64) (result i32)
    (i32.or (i32.or (i32.shl (f64.lt (local.get 0) (local.get 1)) (i32.const 0)) (i32.shl (f64.le (local.get 0) (local.get 1)) (i32.const 1)))
      (i32.or (i32.shl (f64.eq (local.get 0) (local.get 1)) (i32.const 2)) (i32.shl (f64.ne (local.get 0) (local.get 1)) (i32.const 3)))))
  (func (export "trunc") (param f64) (result i32) (i32.trunc_f64_s (local.get 0)))
  (func (export "trunc_u64") (param f64) (result i64) (i64.trunc_sat_f64_u (local.get 0)))
  (func (export "bits") (param f64 f64) (result i64)
    (i64.xor (i64.reinterpret_f64 (f64.copysign (f64.abs (local.get 0)) (local.get 1))) (i64.reinterpret_f64 (f64.floor (local.get 1)))))
  (func (export "pair") (param f64) (result f64)
    (local f64 f32 i32)
    (call $pair (local.get 0))
    (local.set 3) (local.set 2) (local.set 1)
    (f64.add (f64.add (local.get 1) (f64.promote_f32 (local.get 2))) (f64.convert_i32_s (local.get 3))))
  (func (export "minmax") (param f64 f64) (result f64)
    (f64.sub (f64.min (local.get 0) (local.get 1)) (f64.nearest (f64.max (local.get 0) (local.get 1))))))`;

interface Case { readonly name: string; readonly wat: string; readonly calls: readonly Call[] }

const CASES: readonly Case[] = [
  {
    name: 'multi-value',
    wat: MULTI_VALUE,
    calls: [
      ...[0, 5, -7, 1000].map((x) => ({ name: 'direct', args: [i32(x)] })),
      ...[[0, 3], [1, 0], [0, -4], [1, 9], [0, 40]].map(([t, x]) => ({ name: 'indirect', args: [i32(t!), i32(x!)] })),
      { name: 'indirect', args: [i32(2), i32(1)] },
      ...[0, 3, -100].map((x) => ({ name: 'many', args: [i32(x)] })),
      { name: 'swapped', args: [i64(0x1122334455667788n), i32(-3)] },
      ...[0, -1, 5].map((x) => ({ name: 'quad2', args: [i32(x)] })),
      ...[2, 9].map((x) => ({ name: 'blocks', args: [i32(x)] })),
    ],
  },
  {
    name: 'tables',
    wat: TABLES,
    calls: [
      { name: 'size', args: [] }, { name: 'call', args: [i32(0)] }, { name: 'is_null', args: [i32(0)] },
      { name: 'init', args: [i32(0), i32(0), i32(4)] },
      ...[0, 1, 2, 3, 4].map((k) => ({ name: 'call', args: [i32(k)] })),
      ...[0, 1, 2, 3].map((k) => ({ name: 'is_null', args: [i32(k)] })),
      { name: 'call_u', args: [i32(1)] }, { name: 'call_u', args: [i32(0)] },
      { name: 'set_four', args: [i32(2)] }, { name: 'call', args: [i32(2)] }, { name: 'set_four', args: [i32(4)] },
      { name: 'grow', args: [i32(3)] }, { name: 'size', args: [] }, { name: 'call', args: [i32(6)] }, { name: 'grow', args: [i32(10)] },
      { name: 'fill', args: [i32(5), i32(2)] }, { name: 'call', args: [i32(6)] }, { name: 'fill', args: [i32(6), i32(2)] },
      { name: 'copy', args: [i32(0), i32(4), i32(3)] }, { name: 'call', args: [i32(0)] }, { name: 'copy', args: [i32(5), i32(0), i32(3)] },
      { name: 'copy_u', args: [i32(1), i32(0), i32(2)] }, { name: 'call', args: [i32(2)] }, { name: 'is_null', args: [i32(1)] },
      { name: 'clear', args: [i32(3)] }, { name: 'call', args: [i32(3)] },
      { name: 'locals', args: [i32(1)] }, { name: 'locals', args: [i32(0)] },
      { name: 'drop', args: [] }, { name: 'init', args: [i32(0), i32(0), i32(1)] }, { name: 'init', args: [i32(0), i32(0), i32(0)] },
      { name: 'call', args: [i32(1)] },
    ],
  },
  {
    name: 'doubles',
    wat: DOUBLES,
    calls: [
      { name: 'mix', args: [f64(3), f32(4), i32(16)] }, { name: 'mix', args: [f64(1e10), f32(-0.5), i32(100)] },
      { name: 'mix', args: [f64(-2.5), f32(2), i32(65533)] }, { name: 'acc', args: [] },
      ...[[1, 2], [2, 1], [0, -0], [NaN, 1], [-Infinity, 5]].map(([x, y]) => ({ name: 'cmp', args: [f64(x!), f64(y!)] })),
      ...[2.9, -2.9, 2147483647.5, 2147483648, -2147483649, NaN].map((x) => ({ name: 'trunc', args: [f64(x)] })),
      ...[1e19, -3, 2 ** 64, NaN, 12345.75].map((x) => ({ name: 'trunc_u64', args: [f64(x)] })),
      ...[[-1.5, 2.25], [3, -0], [NaN, -7.5]].map(([x, y]) => ({ name: 'bits', args: [f64(x!), f64(y!)] })),
      ...[7.75, -1e300, 0.1].map((x) => ({ name: 'pair', args: [f64(x)] })),
      ...[[1, 2], [-0, 0], [2.5, NaN], [-3.5, -2.5]].map(([x, y]) => ({ name: 'minmax', args: [f64(x!), f64(y!)] })),
    ],
  },
  { name: 'many locals', wat: MANY_LOCALS, calls: [1, 2, 7, 30].map((x) => ({ name: 'sum', args: [i32(x)] })) },
];

const CPUS: readonly { cpu: string; target: string }[] = [
  { cpu: 'cortex-m3', target: 'thumbv7m' }, { cpu: 'cortex-m4', target: 'thumbv7em' },
  { cpu: 'cortex-m33', target: 'thumbv8m.main' }, { cpu: 'cortex-m55', target: 'thumbv8m.main' },
];

test('these modules compile on every Thumb-2 core at every opt level', () => {
  for (const c of CASES) {
    const wasm = assemble(c.wat);
    for (const { cpu, target } of CPUS) {
      for (const optLevel of [0, 1, 2]) {
        const r = compileModule(wasm, { target, cpu, optLevel });
        assert.equal(r.relocations, 0, `${c.name} on ${cpu} -O${optLevel}`);
      }
    }
  }
});

for (const board of CODEGEN_BOARD_NAMES) {
  test(`modules that used to go to tier 0 agree with V8 on ${board}`, { skip }, async () => {
    const spec = BOARDS[board];
    let ran = 0;
    for (const c of CASES) {
      const wasm = assemble(c.wat);
      // the micro:bit: not the modules with a 64 KiB memory
      if (outOfScope(wasm, board) !== undefined) continue;
      ran++;
      const expected = reference(wasm, c.calls);
      await agreeOnBoard(board, compileFor(wasm, spec.target, spec.cpu), c.calls, expected, `${c.name}: `);
    }
    assert.ok(ran >= (spec.target === 'thumbv6m' ? 3 : CASES.length), `${ran} of ${CASES.length} modules ran`);
  });
}

/**
 * f32/f64 values in the optimizing tier's VFP registers (hard-float cores), against V8 on every board.
 *
 * Every function here takes and returns integers and computes
 * in floats inside: locals, constants, arithmetic, comparisons with NaNs, branches and selects on them,
 * conversions, reinterpretation, unaligned loads and stores, more live doubles than there are VFP registers
 * (spills), and floats live across calls (callee-saved d8-d15). A NaN result is returned as one fixed
 * pattern: Wasm leaves NaN payloads of arithmetic open. On the Cortex-M55 board the test also checks that
 * the optimizing tier took every function.
 */
import { test } from 'node:test';
import { BOARDS, CODEGEN_BOARD_NAMES } from '../../../src/run/boards.js';
import { agreeOnBoard, assemble, outOfScope, compileFor, i32, i64, reference, skipBoards, type Call } from './vs-v8.js';

/** The bits of f64 x, one pattern for every NaN. */
const canon64 = (x: string): string =>
  `(select (i64.const 0x7ff8000000000000) (i64.reinterpret_f64 (local.tee $t ${x})) (f64.ne (local.get $t) (local.get $t)))`;

const N = 20;
const ds = Array.from({ length: N }, (_, k) => `$d${k}`);

const WAT = `(module (memory 1)
  (func $id (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
  ;; f64 arithmetic from two i32s
  (func (export "arith") (param $a i32) (param $b i32) (result i64) (local $x f64) (local $y f64) (local $t f64)
    (local.set $x (f64.convert_i32_s (local.get $a)))
    (local.set $y (f64.convert_i32_u (local.get $b)))
    ${canon64('(f64.add (f64.div (f64.mul (local.get $x) (f64.const 1.25)) (f64.sub (local.get $y) (f64.const 3))) (f64.sqrt (f64.abs (local.get $x))))')})
  ;; f32 arithmetic, promoted
  (func (export "arith32") (param $a i32) (param $b i32) (result i64) (local $x f32) (local $y f32) (local $t f64)
    (local.set $x (f32.reinterpret_i32 (local.get $a)))
    (local.set $y (f32.convert_i32_s (local.get $b)))
    ${canon64('(f64.promote_f32 (f32.sub (f32.neg (f32.mul (local.get $x) (local.get $y))) (f32.div (local.get $y) (f32.const 0.1))))')})
  ;; demote, reinterpret back to an i32
  (func (export "demote") (param $a i64) (result i32)
    (i32.reinterpret_f32 (f32.demote_f64 (f64.reinterpret_i64 (local.get $a)))))
  (func (export "bits64") (param $a i64) (result i64) (i64.reinterpret_f64 (f64.neg (f64.reinterpret_i64 (local.get $a)))))
  (func (export "abs32") (param $a i32) (result i32) (i32.reinterpret_f32 (f32.abs (f32.reinterpret_i32 (local.get $a)))))
  ;; comparisons, also with NaN operands (reinterpreted bits)
  (func (export "cmp") (param $a i64) (param $b i64) (result i32) (local $x f64) (local $y f64)
    (local.set $x (f64.reinterpret_i64 (local.get $a)))
    (local.set $y (f64.reinterpret_i64 (local.get $b)))
    (i32.or (i32.or (i32.or (f64.eq (local.get $x) (local.get $y)) (i32.shl (f64.ne (local.get $x) (local.get $y)) (i32.const 1)))
                    (i32.or (i32.shl (f64.lt (local.get $x) (local.get $y)) (i32.const 2)) (i32.shl (f64.le (local.get $x) (local.get $y)) (i32.const 3))))
            (i32.or (i32.shl (f64.gt (local.get $x) (local.get $y)) (i32.const 4)) (i32.shl (f64.ge (local.get $x) (local.get $y)) (i32.const 5)))))
  (func (export "cmp32") (param $a i32) (param $b i32) (result i32) (local $x f32) (local $y f32)
    (local.set $x (f32.reinterpret_i32 (local.get $a)))
    (local.set $y (f32.reinterpret_i32 (local.get $b)))
    (i32.or (i32.or (f32.lt (local.get $x) (local.get $y)) (i32.shl (f32.ge (local.get $x) (local.get $y)) (i32.const 1)))
            (i32.or (i32.shl (i32.eqz (f32.gt (local.get $x) (local.get $y))) (i32.const 2)) (i32.shl (f32.ne (local.get $x) (local.get $y)) (i32.const 3)))))
  ;; branches and selects on float comparisons
  (func (export "branch") (param $a i64) (param $b i64) (result i32) (local $x f64) (local $y f64)
    (local.set $x (f64.reinterpret_i64 (local.get $a)))
    (local.set $y (f64.reinterpret_i64 (local.get $b)))
    (block $out
      (br_if $out (f64.lt (local.get $x) (local.get $y)))
      (if (f64.ge (local.get $x) (local.get $y)) (then (return (i32.const 2))))
      (return (i32.const 3)))
    (i32.const 1))
  (func (export "sel") (param $a i32) (param $b i32) (param $c i32) (result i32)
    (i32.reinterpret_f32 (select (f32.convert_i32_s (local.get $a)) (f32.convert_i32_s (local.get $b))
      (f32.gt (f32.convert_i32_s (local.get $c)) (f32.const 0.5)))))
  (func (export "sel64") (param $a i32) (param $b i32) (param $c i32) (result i64)
    (i64.reinterpret_f64 (select (f64.convert_i32_u (local.get $a)) (f64.convert_i32_s (local.get $b)) (local.get $c))))
  ;; a loop: a sum of squares with a loop-invariant constant, the counter and the sum in registers
  (func (export "loop") (param $n i32) (result i64) (local $s f64) (local $i i32) (local $t f64)
    (block $done (loop $l
      (br_if $done (i32.ge_s (local.get $i) (local.get $n)))
      (local.set $s (f64.add (local.get $s) (f64.mul (f64.mul (f64.convert_i32_s (local.get $i)) (f64.convert_i32_s (local.get $i))) (f64.const 0.3))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l)))
    ${canon64('(local.get $s)')})
  ;; floats live across calls
  (func (export "calls") (param $n i32) (result i64) (local $s f64) (local $f f32) (local $t f64)
    (local.set $f (f32.const 1.5))
    (loop $l
      (local.set $s (f64.add (local.get $s) (f64.convert_i32_s (call $id (local.get $n)))))
      (local.set $f (f32.mul (local.get $f) (f32.const 1.0625)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    ${canon64('(f64.add (local.get $s) (f64.promote_f32 (local.get $f)))')})
  ;; loads and stores at any alignment, and at large offsets
  (func (export "mem") (param $p i32) (param $v i64) (result i64) (local $t f64)
    (f64.store offset=3 (local.get $p) (f64.reinterpret_i64 (local.get $v)))
    (f32.store offset=4099 (local.get $p) (f32.demote_f64 (f64.load offset=3 (local.get $p))))
    (i64.xor (i64.load offset=3 (local.get $p)) (i64.extend_i32_u (i32.reinterpret_f32 (f32.load offset=4099 (local.get $p))))))
  ;; more live doubles than VFP registers
  (func (export "pressure") (param $a i32) (result i64) ${ds.map((d) => `(local ${d} f64)`).join(' ')} (local $t f64)
    ${ds.map((d, k) => `(local.set ${d} (f64.add (f64.convert_i32_s (local.get $a)) (f64.const ${k + 0.5})))`).join('\n    ')}
    ${ds.map((d, k) => `(local.set ${d} (f64.mul (local.get ${d}) (local.get ${ds[(k + 7) % N]})))`).join('\n    ')}
    ${canon64(ds.map((d) => `(local.get ${d})`).reduce((x, y) => `(f64.sub ${x} ${y})`))}))`;

const NAN = 0x7ff8000000000001n, NEG_NAN = 0xfff0000000000123n, INF = 0x7ff0000000000000n;
const f64bits = (x: number): bigint => new BigUint64Array(new Float64Array([x]).buffer)[0]!;
const f32bits = (x: number): number => new Uint32Array(new Float32Array([x]).buffer)[0]!;

const CALLS: Call[] = [
  ...[[7, 3], [-5, 3], [0, 0], [1 << 30, -1], [-1, 2]].map(([a, b]) => ({ name: 'arith', args: [i32(a!), i32(b!)] })),
  ...[[f32bits(2.5), 3], [f32bits(-0), -7], [0x7fc00001, 1], [f32bits(1e30), 100000]].map(([a, b]) => ({ name: 'arith32', args: [i32(a!), i32(b!)] })),
  ...[f64bits(1.1), f64bits(-1e300), f64bits(3.4028235677973366e38), 1n, NAN].map((a) => ({ name: 'demote', args: [i64(a)] })),
  ...[f64bits(2), NEG_NAN, 0n].map((a) => ({ name: 'bits64', args: [i64(a)] })),
  ...[0xffc00001, 0x80000000, f32bits(-3)].map((a) => ({ name: 'abs32', args: [i32(a)] })),
  ...[[1, 2], [2, 1], [3, 3], [-0, 0], [NaN, 1], [1, NaN], [Infinity, -Infinity]].flatMap(([x, y]) => [
    { name: 'cmp', args: [i64(Number.isNaN(x!) ? NAN : f64bits(x!)), i64(Number.isNaN(y!) ? NEG_NAN : f64bits(y!))] },
    { name: 'cmp32', args: [i32(Number.isNaN(x!) ? 0x7fc00000 : f32bits(x!)), i32(Number.isNaN(y!) ? 0xffc00000 : f32bits(y!))] },
    { name: 'branch', args: [i64(Number.isNaN(x!) ? NAN : f64bits(x!)), i64(Number.isNaN(y!) ? INF | 1n : f64bits(y!))] },
  ]),
  ...[[1, 2, 0], [1, 2, 1], [-9, 4, -3]].flatMap(([a, b, c]) => [
    { name: 'sel', args: [i32(a!), i32(b!), i32(c!)] }, { name: 'sel64', args: [i32(a!), i32(b!), i32(c!)] },
  ]),
  ...[0, 1, 10, 1000].map((n) => ({ name: 'loop', args: [i32(n)] })),
  ...[1, 5, 100].map((n) => ({ name: 'calls', args: [i32(n)] })),
  ...[0, 1, 2, 5, 60000, 61430, 61431, 65533, -3].map((p) => ({ name: 'mem', args: [i32(p), i64(0x400921fb54442d18n + BigInt(p))] })),
  ...[0, 3, -7, 100000].map((a) => ({ name: 'pressure', args: [i32(a)] })),
];

for (const board of CODEGEN_BOARD_NAMES) {
  test(`floats in the optimizing tier agree with V8 on ${board} at -O0 and -O2`, { skip: skipBoards }, async (t) => {
    const spec = BOARDS[board];
    const wasm = assemble(WAT);
    const why = outOfScope(wasm, board);
    if (why !== undefined) return t.skip(why);
    const expected = reference(wasm, CALLS);
    for (const level of [0, 2]) await agreeOnBoard(board, compileFor(wasm, spec.target, spec.cpu, level), CALLS, expected, `-O${level} `);
  });
}

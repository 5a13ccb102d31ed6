/**
 * Float params, results and calls in the optimizing tier (the hard-float ABI on the Cortex-M55: f32 in
 * s0-s15, f64 in d0-d7, back-filled, the rest on the stack; soft-float on the M3), against V8 on every board.
 *
 * Calls go both ways between compiled functions and the runtime's entry trampolines (the
 * exports), through `call`, `call_indirect` and
 * the intrinsics the policy sends floats to (i64 → f64 conversions). Arguments are permuted so that the
 * moves at a call form cycles through s/d registers that alias each other. NaN arguments are passed through
 * untouched (moves keep payloads) and no arithmetic result is a NaN.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileModule } from '../../../src/compile.js';
import { BOARDS, CODEGEN_BOARD_NAMES } from '../../../src/run/boards.js';
import { agreeOnBoard, assemble, outOfScope, compileFor, f32, f64, i32, i64, reference, skipBoards, type Call } from './vs-v8.js';

/** 18 params: more f32s than s0-s15 hold, doubles between them (back-filling), an i64 pair and an i32. */
const MANY = ['f32', 'f64', 'f32', 'i32', 'f64', 'f32', 'f64', 'f64', 'f32', 'i64', 'f64', 'f32', 'f64', 'f32', 'f32', 'f64', 'f32', 'f32'];
const many = MANY.map((t, k) => `(param $p${k} ${t})`).join(' ');
/** A weighted sum of every param as f64, so any misplaced one shows. */
const sumMany = MANY.map((t, k) => {
  const get = `(local.get $p${k})`;
  const v = t === 'f64' ? get : t === 'f32' ? `(f64.promote_f32 ${get})` : t === 'i32' ? `(f64.convert_i32_s ${get})` : `(f64.convert_i64_s ${get})`;
  return `(f64.mul ${v} (f64.const ${k + 1}))`;
}).reduce((x, y) => `(f64.add ${x} ${y})`);

const WAT = `(module (memory 1)
  (type $ff (func (param f32 f64) (result f64)))
  (table 4 funcref)
  (elem (i32.const 0) $mix $sized $swap)
  (global $g32 (mut f32) (f32.const 1.5))
  (global $g64 (mut f64) (f64.const -2.25))
  (func $mix (param $a f32) (param $b f64) (result f64)
    (f64.sub (local.get $b) (f64.promote_f32 (local.get $a))))
  ;; a float call whose result meets table.size
  (func $sized (param $a f32) (param $b f64) (result f64)
    (f64.add (call $mix (local.get $a) (local.get $b)) (f64.convert_i32_u (table.size 0))))
  ;; the callee's params arrive swapped relative to where the caller has them: cycles at the call
  (func $swap (param $a f32) (param $b f64) (result f64)
    (f64.mul (call $mix (f32.demote_f64 (local.get $b)) (f64.promote_f32 (local.get $a))) (f64.const 0.5)))
  (func $h (param $c f64) (param $a f32) (param $b f32) (result f64)
    (f64.sub (local.get $c) (f64.promote_f32 (f32.sub (local.get $a) (f32.mul (local.get $b) (f32.const 3))))))
  ;; a in s0, b in s1, c in d1 move to s2, s3 and d0: a cycle through aliased registers
  (func (export "cycle") (param $a f32) (param $b f32) (param $c f64) (result f64)
    (call $h (local.get $c) (local.get $a) (local.get $b)))
  (func $h2 (param $a f32) (param $b f32) (result f32) (f32.sub (local.get $a) (f32.mul (local.get $b) (f32.const 3))))
  (func (export "cycle2") (param $a f32) (param $b f32) (result f32) (call $h2 (local.get $b) (local.get $a)))
  (func $many (export "many") ${many} (result f64) ${sumMany})
  (func (export "callMany") (param $x f64) (result f64)
    (call $many ${MANY.map((t, k) => t === 'f64' ? `(f64.add (local.get $x) (f64.const ${k}))`
      : t === 'f32' ? `(f32.const ${k + 0.25})` : t === 'i32' ? `(i32.const ${-k})` : `(i64.const ${k * 1000})`).join(' ')}))
  (func (export "id32") (param f32) (result f32) (local.get 0))
  (func (export "id64") (param f64) (result f64) (local.get 0))
  (func (export "pair") (param $a f32) (param $b f64) (result f64) (call $mix (local.get $a) (local.get $b)))
  (func (export "rev") (param $a f64) (param $b f32) (param $c f32) (result f32)
    ;; s0/s1 vs d0: the f32s move into the d register's halves and the double moves out of them
    (f32.add (f32.demote_f64 (call $mix (local.get $c) (f64.promote_f32 (local.get $b))))
             (f32.demote_f64 (call $swap (local.get $b) (local.get $a)))))
  (func (export "viaSized") (param $a f32) (param $b f64) (result f64) (call $sized (local.get $a) (local.get $b)))
  (func (export "indirect") (param $i i32) (param $a f32) (param $b f64) (result f64)
    (call_indirect (type $ff) (local.get $a) (local.get $b) (local.get $i)))
  ;; floats live across calls, and float results of calls kept past the next call
  (func (export "across") (param $a f64) (param $n i32) (result f64) (local $s f64) (local $f f32)
    (local.set $f (f32.const 0.75))
    (loop $l
      (local.set $s (f64.add (local.get $s) (call $mix (local.get $f) (local.get $a))))
      (local.set $f (f32.add (local.get $f) (f32.demote_f64 (call $swap (local.get $f) (local.get $s)))))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (f64.add (local.get $s) (f64.promote_f32 (local.get $f))))
  ;; i64 → float conversions: runtime functions with a float result
  (func (export "conv") (param $x i64) (result f64)
    (f64.add (f64.convert_i64_s (local.get $x))
      (f64.add (f64.convert_i64_u (local.get $x)) (f64.promote_f32 (f32.add (f32.convert_i64_s (local.get $x)) (f32.convert_i64_u (local.get $x)))))))
  (func (export "globals") (param $a f32) (param $b f64) (result f64)
    (global.set $g32 (f32.add (global.get $g32) (local.get $a)))
    (global.set $g64 (f64.mul (global.get $g64) (local.get $b)))
    (f64.add (global.get $g64) (f64.promote_f32 (global.get $g32)))))`;

const NAN32 = { type: 'f32' as const, bits: 0x7fa00001n };
const NAN64 = { type: 'f64' as const, bits: 0xfff0000000000123n };

const CALLS: Call[] = [
  ...[1.5, -0, 1e30, 3.4e38].map((x) => ({ name: 'id32', args: [f32(x)] })),
  { name: 'id32', args: [NAN32] },
  ...[1.5, -0, 1e300, 5e-324].map((x) => ({ name: 'id64', args: [f64(x)] })),
  { name: 'id64', args: [NAN64] },
  ...[[1.5, 2.75], [-3, 1e10]].flatMap(([a, b]) => ['pair', 'viaSized'].map((name) => ({ name, args: [f32(a!), f64(b!)] }))),
  ...[0, 1, 2].map((k) => ({ name: 'indirect', args: [i32(k), f32(2.5), f64(-7.125)] })),
  { name: 'indirect', args: [i32(3), f32(2.5), f64(-7.125)] },
  { name: 'indirect', args: [i32(9), f32(2.5), f64(-7.125)] },
  ...[[1.25, 2, 3], [-1e5, 0.5, 17]].map(([a, b, c]) => ({ name: 'rev', args: [f64(a!), f32(b!), f32(c!)] })),
  { name: 'cycle', args: [f32(1.5), f32(-2.25), f64(1e20)] },
  { name: 'cycle2', args: [f32(1.5), f32(-2.25)] },
  ...[0.5, -2].map((x) => ({ name: 'callMany', args: [f64(x)] })),
  {
    name: 'many',
    args: MANY.map((t, k) => (t === 'f64' ? f64(k * 1.5 - 3) : t === 'f32' ? f32(k + 0.125) : t === 'i32' ? i32(-k * 7) : i64(BigInt(k) << 40n))),
  },
  ...[1, 4, 30].map((n) => ({ name: 'across', args: [f64(0.375), i32(n)] })),
  ...[0n, 1n, -1n, 1n << 62n, -(1n << 63n), 0x123456789abcdefn].map((x) => ({ name: 'conv', args: [i64(x)] })),
  ...[[1.5, 2], [0.25, -3]].map(([a, b]) => ({ name: 'globals', args: [f32(a!), f64(b!)] })),
];

test('float params, results and calls compile on M3/M4/M7/M33/M55 at -O0 and -O2', () => {
  const wasm = assemble(WAT);
  for (const cpu of ['cortex-m55', 'cortex-m3', 'cortex-m7', 'cortex-m4', 'cortex-m33']) {
    for (const optLevel of [0, 2]) assert.equal(compileModule(wasm, { cpu, xip: true, optLevel }).relocations, 0, cpu);
  }
});

for (const board of CODEGEN_BOARD_NAMES) {
  test(`float params, results and calls agree with V8 on ${board} at -O0 and -O2`, { skip: skipBoards }, async (t) => {
    const spec = BOARDS[board];
    const wasm = assemble(WAT);
    const why = outOfScope(wasm, board);
    if (why !== undefined) return t.skip(why);
    const expected = reference(wasm, CALLS);
    for (const level of [0, 2]) await agreeOnBoard(board, compileFor(wasm, spec.target, spec.cpu, level), CALLS, expected, `-O${level} `);
  });
}

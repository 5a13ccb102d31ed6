/**
 * Float → integer truncations (trapping and saturating), min/max, rounding and copysign in the optimizing
 * tier, against V8 on every board: at -O0 and -O2, and at -O2 with every intrinsic enabled (the
 * runtime-call forms). The inputs sit on every edge of the range checks: NaNs of both signs, infinities,
 * ±0, and the last values in and the first values out of each integer range.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileModule } from '../../../src/compile.js';
import { BOARDS, CODEGEN_BOARD_NAMES } from '../../../src/run/boards.js';
import { TRUNC } from '../../../src/ir/build-trunc.js';
import { agreeOnBoard, assemble, compileFor, f32, f64, reference, skipBoards, type Call } from './vs-v8.js';
import type { WasmValue } from '../../../src/run/protocol.js';

const NAMES = Object.keys(TRUNC).flatMap((n) => [n, n.replace('trunc_', 'trunc_sat_')]);
const ident = (n: string): string => n.replace('.', '_');

const ROUND = ['min', 'max', 'ceil', 'floor', 'trunc', 'nearest', 'copysign'];
const binary = (op: string): boolean => op === 'min' || op === 'max' || op === 'copysign';

const WAT = `(module
  ${NAMES.map((n) => `(func (export "${ident(n)}") (param ${n.includes('_f32') ? 'f32' : 'f64'}) (result ${n.slice(0, 3)}) (${n} (local.get 0)))`).join('\n  ')}
  ${['f32', 'f64'].flatMap((t) => ROUND.map((op) => binary(op)
    ? `(func (export "${t}_${op}") (param ${t} ${t}) (result ${t}) (${t}.${op} (local.get 0) (local.get 1)))`
    : `(func (export "${t}_${op}") (param ${t}) (result ${t}) (${t}.${op} (local.get 0)))`)).join('\n  ')}
  ;; in a loop: the limits are loop-invariant constants, the saturated results flow into a sum
  (func (export "satLoop") (param $x f64) (param $n i32) (result i64) (local $s i64)
    (loop $l
      (local.set $s (i64.add (local.get $s) (i64.extend_i32_s (i32.trunc_sat_f64_s (local.get $x)))))
      (local.set $s (i64.add (local.get $s) (i64.trunc_sat_f32_u (f32.demote_f64 (local.get $x)))))
      (local.set $x (f64.mul (local.get $x) (f64.const -3.5)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $s)))`;

const f32bits = (b: number): WasmValue => ({ type: 'f32', bits: BigInt(b >>> 0) });
const f64bits = (b: bigint): WasmValue => ({ type: 'f64', bits: b });
const EDGES = [0, -0, 0.5, -0.5, -0.9999, 1, -1, 2.5, -2.5, 3.5, 1e-40, Infinity, -Infinity,
  2147483647, 2147483647.5, 2147483648, -2147483648, -2147483648.5, -2147483649, 2147483520, 2147483904,
  4294967295, 4294967295.5, 4294967296, -4294967296,
  9223372036854775807, 9223372036854774784, 9223372036854775808, -9223372036854775808, -9223372036854777856,
  18446744073709549568, 18446744073709551616, 1e30, -1e30];
const F32_EXTRA = [f32bits(0x7fc00000), f32bits(0xffc00001), f32bits(0x7f800001), f32bits(0x4effffff), f32bits(0x4f000000),
  f32bits(0xcf000000), f32bits(0xcf000001), f32bits(0x4f7fffff), f32bits(0x4f800000), f32bits(0xbf7fffff), f32bits(0xbf800000),
  f32bits(0x5effffff), f32bits(0x5f000000), f32bits(0xdf000000), f32bits(0xdf000001), f32bits(0x5f7fffff), f32bits(0x5f800000)];
const F64_EXTRA = [f64bits(0x7ff8000000000000n), f64bits(0xfff0000000000001n), f64bits(0x7ff0000000000001n), f64bits(0x7ff0000100000000n),
  f64bits(0x41dfffffffffffffn), f64bits(0xc1e0000000000000n), f64bits(0xc1e00000001fffffn), f64bits(0xc1e0000000200000n),
  f64bits(0x41efffffffffffffn), f64bits(0xbfefffffffffffffn), f64bits(0xbff0000000000000n),
  f64bits(0x43dfffffffffffffn), f64bits(0xc3e0000000000000n), f64bits(0xc3e0000000000001n), f64bits(0x43efffffffffffffn)];

const CALLS: Call[] = [
  ...NAMES.flatMap((n) => {
    const is32 = n.includes('_f32');
    const vals = is32 ? [...EDGES.map((x) => f32(x)), ...F32_EXTRA] : [...EDGES.map((x) => f64(x)), ...F64_EXTRA];
    return vals.map((v) => ({ name: ident(n), args: [v] }));
  }),
  ...['f32', 'f64'].flatMap((t) => {
    const mk = t === 'f32' ? f32 : f64;
    const nan = t === 'f32' ? f32bits(0x7fc00000) : f64bits(0x7ff8000000000000n);
    const vals = [mk(0), mk(-0), mk(1.5), mk(-2.5), mk(0.5), mk(-0.5), mk(2.5), mk(123456.75), mk(Infinity), mk(-Infinity), nan];
    return ROUND.flatMap((op) => binary(op)
      ? vals.flatMap((x) => vals.filter((_, k) => k % 2 === 0 || op !== 'copysign').map((y) => ({ name: `${t}_${op}`, args: [x, y] })))
      : vals.map((x) => ({ name: `${t}_${op}`, args: [x] })));
  }),
  ...[[1.25, 5], [-7.75, 12], [3e9, 3], [-1e300, 2]].map(([x, n]) => ({ name: 'satLoop', args: [f64(x!), { type: 'i32' as const, bits: BigInt(n!) }] })),
];

test('truncations, min/max, rounding and copysign compile on the M3, M4, M7, M33 and M55 at -O0 and -O2', () => {
  const wasm = assemble(WAT);
  // M4/M33: f32 rounding and min/max are runtime calls (no VRINT/VMINNM in FPv4), f32 truncations inline, f64 in
  // core words
  for (const cpu of ['cortex-m3', 'cortex-m55', 'cortex-m7', 'cortex-m4', 'cortex-m33']) {
    for (const intrinsics of [undefined, 'all']) {
      for (const optLevel of [0, 2]) {
        const r = compileModule(wasm, { cpu, xip: true, enableBuiltinIntrinsics: intrinsics, optLevel });
        assert.equal(r.relocations, 0, `${cpu} ${intrinsics ?? ''} -O${optLevel}`);
      }
    }
  }
});

for (const board of CODEGEN_BOARD_NAMES) {
  test(`truncations, min/max, rounding and copysign agree with V8 on ${board}`, { skip: skipBoards }, async () => {
    const spec = BOARDS[board];
    const wasm = assemble(WAT);
    const expected = reference(wasm, CALLS);
    for (const level of [0, 2]) await agreeOnBoard(board, compileFor(wasm, spec.target, spec.cpu, level), CALLS, expected, `-O${level} `);
    const all = compileModule(wasm, { target: spec.target, cpu: spec.cpu, xip: true, enableBuiltinIntrinsics: 'all' });
    assert.equal(all.relocations, 0);
    await agreeOnBoard(board, all.image, CALLS, expected, '-O2 all intrinsics ');
  });
}

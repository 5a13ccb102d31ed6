/**
 * What only the single-pass tier 0 used to compile, now through the pipeline at every opt level (issue 9: one
 * code generator): i32/i64.popcnt when an --enable-builtin-intrinsics list leaves their runtime functions out
 * (inline SWAR in the IR), and float spill slots beyond VLDR/VSTR's 1020-byte reach (addressed through a core
 * scratch register). Checked against V8 on every board that runs compiled code.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileModule } from '../../../src/compile.js';
import { buildIr } from '../../../src/ir/build.js';
import { parseModule } from '../../../src/wasm/index.js';
import { resolveCompileOptions } from '../../../src/xip/options.js';
import { intrinsicFor } from '../../../src/xip/policy.js';
import { Masm, type Label } from '../../../src/target/thumb2/masm.js';
import { layoutGlobals } from '../../../src/target/thumb2/module.js';
import { buildTarget } from '../../../src/target/thumb2/opt/index.js';
import { OptEmitter } from '../../../src/target/thumb2/opt/emit.js';
import { BOARDS, CODEGEN_BOARD_NAMES } from '../../../src/run/boards.js';
import { agreeOnBoard, assemble, outOfScope, f64, i32, i64, reference, skipBoards as skip, type Call } from './vs-v8.js';

const POPCNT = `(module
  (func (export "pop32") (param i32) (result i32) (i32.popcnt (local.get 0)))
  (func (export "pop64") (param i64) (result i64) (i64.popcnt (local.get 0)))
  ;; inside a loop, under the bit-count constants' pressure
  (func (export "sum") (param $x i32) (param $n i32) (result i32) (local $s i32)
    (loop
      (local.set $s (i32.add (local.get $s) (i32.popcnt (local.get $x))))
      (local.set $x (i32.add (i32.mul (local.get $x) (i32.const 1103515245)) (i32.const 12345)))
      (br_if 0 (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $s)))`;

const POPCNT_CALLS: Call[] = [
  ...[0, 1, -1, 0x80000000, 0x55555555, 0x12345678, 0xf0f0f0f].map((x) => ({ name: 'pop32', args: [i32(x)] })),
  ...[0n, -1n, 1n << 63n, 0x123456789abcdefn, 0xffffffffn].map((x) => ({ name: 'pop64', args: [i64(x)] })),
  { name: 'sum', args: [i32(7), i32(100)] },
];

/** An explicit intrinsic list without the bit counts. */
const NO_POPCNT = 'fp.common';

/** f64 values all live at once: far more than the d registers, so most are spilled. */
const LIVE = 160;
const SPILLS = `(module
  (func (export "spills") (param $p f64) (result f64) (local ${'f64 '.repeat(LIVE)})
    ${Array.from({ length: LIVE }, (_, k) => `(local.set ${k + 1} (f64.mul (local.get $p) (f64.const ${k + 1.5})))`).join(' ')}
    ${Array.from({ length: LIVE }, (_, k) => `(local.get ${LIVE - k})`).reduce((a, b) => `(f64.add ${a} ${b})`)}))`;

const SPILL_CALLS: Call[] = [0.25, -3, 1e300, 7.5].map((x) => ({ name: 'spills', args: [f64(x)] }));

test('the bit counts compile inline when the intrinsic list leaves them out', () => {
  const options = resolveCompileOptions({ cpu: 'cortex-m3', enableBuiltinIntrinsics: NO_POPCNT });
  assert.equal(intrinsicFor('i32.popcnt', options.intrinsics), undefined, 'the list must leave i32.popcnt out');
  assert.equal(intrinsicFor('i64.popcnt', options.intrinsics), undefined, 'the list must leave i64.popcnt out');
  const r = compileModule(assemble(POPCNT), { cpu: 'cortex-m3', xip: true, enableBuiltinIntrinsics: NO_POPCNT });
  assert.deepEqual(r.nativeSymbols, [], 'no runtime function called');
});

test('the float spill test has slots beyond VLDR reach on the Cortex-M55 at -O0 and -O2', () => {
  const bytes = assemble(SPILLS);
  const module = parseModule(bytes);
  for (const optLevel of [0, 2] as const) {
    const options = resolveCompileOptions({ cpu: 'cortex-m55', xip: true, optLevel });
    const ctx = {
      module, options, floatAbi: options.floatAbi, funcLabels: [] as Label[], globalOffsets: layoutGlobals(module).offsets,
      funcrefIndex: new Map<number, number>(), symbolsUsed: new Set<number>(), memoryStable: true,
    };
    const e = new OptEmitter(new Masm(), ctx, buildIr(buildTarget(ctx), 0));
    let far = 0;
    for (let v = 0; v < e.alloc.slot.length; v++) if (e.alloc.cls[v] !== 0 && 4 * e.alloc.slot[v]! > 1020) far++;
    assert.ok(far > 0, `-O${optLevel}: no float slot beyond 1020 bytes`);
  }
});

for (const board of CODEGEN_BOARD_NAMES) {
  test(`popcnt without its intrinsic and far float spill slots agree with V8 on ${board}`, { skip }, async () => {
    const spec = BOARDS[board];
    const pop = assemble(POPCNT);
    const spills = assemble(SPILLS);
    for (const optLevel of [0, 2]) {
      const p = compileModule(pop, { target: spec.target, cpu: spec.cpu, xip: true, optLevel, enableBuiltinIntrinsics: NO_POPCNT });
      assert.equal(p.relocations, 0);
      await agreeOnBoard(board, p.image, POPCNT_CALLS, reference(pop, POPCNT_CALLS), `popcnt -O${optLevel}: `);
      // the micro:bit's 2 KiB native stack cannot hold this frame (a trap there, as documented); no VFP anyway
      if (outOfScope(spills, board) !== undefined || spec.target === 'thumbv6m') continue;
      const s = compileModule(spills, { target: spec.target, cpu: spec.cpu, xip: true, optLevel });
      assert.equal(s.relocations, 0);
      await agreeOnBoard(board, s.image, SPILL_CALLS, reference(spills, SPILL_CALLS), `spills -O${optLevel}: `);
    }
  });
}

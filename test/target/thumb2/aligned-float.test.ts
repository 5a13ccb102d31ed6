/**
 * Float loads and stores at addresses the IR proves word-aligned (src/ir/align.ts) go straight to VLDR/VSTR
 * on hard-float cores; the others through core registers. Both against V8 on every board: pointers stepped
 * through arrays, a local reused for a counter and then a pointer, constant addresses and memarg offsets
 * around VLDR's reach (1020) and LDR's (4095), the last bytes of memory, and out-of-bounds traps.
 *
 * `walk_any` and `walk_i` step a parameter through memory with one `add` after the accesses: bounds-check
 * grouping once took that later definition for the accesses' address (p + 24 where p was meant), so `walk_i`
 * returned 0 instead of 3 and `walk_any` trapped 24 bytes early (src/ir/checks.ts now takes only a definition
 * earlier in the same straight stretch). `pair_i` near the memory's end takes a group check's slow path, after
 * which the group's base was computed from a register the slow path had changed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseModule } from '../../../src/wasm/index.js';
import { resolveCompileOptions } from '../../../src/xip/options.js';
import { buildIr } from '../../../src/ir/build.js';
import { optimizeIr } from '../../../src/ir/passes.js';
import type { Inst } from '../../../src/ir/ir.js';
import { buildTarget } from '../../../src/target/thumb2/opt/index.js';
import { layoutGlobals } from '../../../src/target/thumb2/module.js';
import { BOARDS, CODEGEN_BOARD_NAMES } from '../../../src/run/boards.js';
import { agreeOnBoard, assemble, compileFor, i32, reference, skipBoards, type Call } from './vs-v8.js';

const MEM = 65536;
/** memarg offsets: VLDR's reach ends at 1020, LDR's at 4095; not multiples of 4 stay unaligned */
const OFFSETS = [0, 4, 8, 1016, 1020, 1024, 1028, 4088, 4092, 4095, 2, 6];

function module(): string {
  const funcs: string[] = [];
  OFFSETS.forEach((o, k) => {
    // i * 8 + o: aligned when o is a multiple of 4
    funcs.push(`(func (export "rw64_${k}") (param $i i32) (result i64)
      (local $p i32) (local.set $p (i32.shl (local.get $i) (i32.const 3)))
      (f64.store offset=${o} (local.get $p) (f64.add (f64.load offset=${o} (local.get $p)) (f64.const 1.5)))
      (i64.reinterpret_f64 (f64.load offset=${o} (local.get $p))))`);
    funcs.push(`(func (export "rw32_${k}") (param $i i32) (result i32)
      (local $p i32) (local.set $p (i32.shl (local.get $i) (i32.const 2)))
      (f32.store offset=${o} (local.get $p) (f32.mul (f32.load offset=${o} (local.get $p)) (f32.const -2)))
      (i32.reinterpret_f32 (f32.load offset=${o} (local.get $p))))`);
    // a constant address
    funcs.push(`(func (export "const_${k}") (result i64)
      (f64.store offset=${o} (i32.const 8) (f64.sub (f64.load offset=${o} (i32.const 8)) (f64.const 0.25)))
      (i64.reinterpret_f64 (f64.load offset=${o} (i32.const 8))))`);
  });
  return `(module (memory 1)
  (func (export "init") (local $i i32)
    (loop $l
      (i32.store (local.get $i) (i32.and (i32.mul (i32.add (local.get $i) (i32.const 7)) (i32.const 0x9e3779b1)) (i32.const 0x3fffffff)))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 4))) (i32.const ${MEM})))))
  (func (export "hash") (result i64) (local $i i32) (local $h i64)
    (loop $l
      (local.set $h (i64.xor (i64.rotl (local.get $h) (i64.const 5)) (i64.load (local.get $i))))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 8))) (i32.const ${MEM}))))
    (local.get $h))
  ;; a pointer stepped by 24 from 8 * start: aligned; the local first counts 0..n, then points
  (func (export "walk") (param $start i32) (param $n i32) (result f64) (local $p i32) (local $s f64) (local $k i32)
    (loop $c (local.set $p (i32.add (local.get $p) (i32.const 1))) (br_if $c (i32.lt_u (local.get $p) (local.get $n))))
    (local.set $s (f64.convert_i32_u (local.get $p)))
    (local.set $p (i32.shl (local.get $start) (i32.const 3)))
    (local.set $k (local.get $n))
    (loop $l
      (local.set $s (f64.add (local.get $s) (f64.mul (f64.load (local.get $p)) (f64.load offset=16 (local.get $p)))))
      (f64.store offset=8 (local.get $p) (local.get $s))
      (local.set $p (i32.add (local.get $p) (i32.const 24)))
      (br_if $l (local.tee $k (i32.sub (local.get $k) (i32.const 1)))))
    (local.get $s))
  ;; the same loop from an address that may be unaligned
  (func (export "walk_any") (param $p i32) (param $n i32) (result f64) (local $s f64)
    (loop $l
      (local.set $s (f64.add (local.get $s) (f64.load (local.get $p))))
      (f32.store offset=8 (local.get $p) (f32.demote_f64 (local.get $s)))
      (local.set $p (i32.add (local.get $p) (i32.const 24)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $s))
  ;; fields around a pointer (p - 16, p - 8, p: one grouped check from p - 16), then read-modify-writes
  ;; through one base after the store; the i32 twin the same with ld/st
  (func (export "fields") (param $p i32) (result i64) (local $s f64)
    (local.set $s (f64.add (f64.load (i32.sub (local.get $p) (i32.const 16)))
      (f64.add (f64.load (i32.sub (local.get $p) (i32.const 8))) (f64.load (local.get $p)))))
    (f64.store (i32.sub (local.get $p) (i32.const 8)) (local.get $s))
    (f64.store (i32.sub (local.get $p) (i32.const 8)) (f64.mul (f64.load (i32.sub (local.get $p) (i32.const 8))) (f64.const 3)))
    (f64.store offset=4 (local.get $p) (f64.add (f64.load offset=4 (local.get $p)) (f64.const 1)))
    (i64.reinterpret_f64 (local.get $s)))
  (func (export "fields_i") (param $p i32) (result i32) (local $s i32)
    (local.set $s (i32.add (i32.load (i32.sub (local.get $p) (i32.const 12)))
      (i32.add (i32.load16_u (i32.sub (local.get $p) (i32.const 6))) (i32.load offset=8 (local.get $p)))))
    (i32.store (i32.sub (local.get $p) (i32.const 12)) (local.get $s))
    (i32.store offset=8 (local.get $p) (i32.xor (i32.load offset=8 (local.get $p)) (local.get $s)))
    (i32.store offset=12 (local.get $p) (i32.add (i32.load offset=12 (local.get $p)) (i32.const 1)))
    (local.get $s))
  ;; p + 4 and p + 8 under one check of p + 4: near the memory's end the exact slow path runs, and the accesses
  ;; after it once read from p + 8 + 4 (the slow path left r12 changed, and the group's base was computed from it)
  (func (export "pair_i") (param $p i32) (result i32)
    (i32.add (i32.load (i32.add (local.get $p) (i32.const 4))) (i32.mul (i32.load (i32.add (local.get $p) (i32.const 8))) (i32.const 3))))
  (func (export "walk_i") (param $p i32) (param $n i32) (result i32) (local $s i32)
    (loop $l
      (local.set $s (i32.add (local.get $s) (i32.add (i32.load (local.get $p)) (i32.load offset=4 (local.get $p)))))
      (local.set $p (i32.add (local.get $p) (i32.const 24)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $s))
  ${funcs.join('\n  ')})`;
}

function calls(): Call[] {
  const out: Call[] = [{ name: 'init', args: [] }];
  OFFSETS.forEach((o, k) => {
    // the first elements, the last ones that fit, one past (a trap), and an index whose address wraps
    const last64 = Math.floor((MEM - o - 8) / 8), last32 = Math.floor((MEM - o - 4) / 4);
    for (const i of [0, 1, 3, last64, last64 + 1, 0x20000000]) out.push({ name: `rw64_${k}`, args: [i32(i)] });
    for (const i of [0, 5, last32, last32 + 1, 0x40000000]) out.push({ name: `rw32_${k}`, args: [i32(i)] });
    out.push({ name: `const_${k}`, args: [] });
  });
  out.push({ name: 'walk', args: [i32(3), i32(40)] }, { name: 'walk', args: [i32(8180), i32(3)] });
  for (const p of [0, 1, 2, 3, 6, MEM - 40, MEM - 39]) {
    out.push({ name: 'walk_any', args: [i32(p), i32(2)] }, { name: 'walk_i', args: [i32(p), i32(2)] });
  }
  for (const p of [0, 8, 12, 16, 24, 1000, 1003, MEM - 16, MEM - 12, MEM - 8, MEM - 7, MEM, 0xfffffff8, 0xfffffff4]) {
    out.push({ name: 'fields', args: [i32(p)] }, { name: 'fields_i', args: [i32(p)] }, { name: 'pair_i', args: [i32(p)] },
      { name: 'hash', args: [] });
  }
  out.push({ name: 'hash', args: [] });
  return out;
}

function irOf(wasm: Uint8Array, name: string, cpu: string): Inst[] {
  const mod = parseModule(wasm);
  const options = resolveCompileOptions({ cpu, xip: true });
  const target = buildTarget({
    module: mod, options, floatAbi: options.floatAbi, funcLabels: [], globalOffsets: layoutGlobals(mod).offsets,
    funcrefIndex: new Map(), symbolsUsed: new Set(), memoryStable: true,
  });
  const exp = mod.exports.find((e) => e.name === name)!;
  return optimizeIr(buildIr(target, exp.index), target.isa).insts;
}

const floatAccesses = (insts: readonly Inst[]): Extract<Inst, { op: 'fld' | 'fst' }>[] =>
  insts.filter((i): i is Extract<Inst, { op: 'fld' | 'fst' }> => i.op === 'fld' || i.op === 'fst');

test('accesses at p - c group under one check, and a read-modify-write goes through one base', { skip: skipBoards }, () => {
  const insts = irOf(assemble(module()), 'fields', 'cortex-m55');
  const checks = insts.filter((i): i is Extract<Inst, { op: 'bchk' }> => i.op === 'bchk');
  // the store's address p - 8 joins too (its check comes before the store)
  assert.deepEqual(checks[0]!.members, [{ c: -16, end: 8 }, { c: -8, end: 8 }, { c: 0, end: 8 }, { c: -8, end: 8 }]);
  assert.equal(checks[0]!.offset, -16);
  const acc = floatAccesses(insts);
  assert.equal(acc.length, 8);
  // every access through a check's base; the three loads and the store after them through the group's
  assert.ok(acc.every((i) => i.direct === true), JSON.stringify(acc));
  assert.deepEqual(acc.slice(0, 4).map((i) => [i.a === checks[0]!.base, i.offset]), [[true, 0], [true, 8], [true, 16], [true, 8]]);
});

test('float accesses at provably aligned addresses are marked aligned, the others not', { skip: skipBoards }, () => {
  const wasm = assemble(module());
  for (const [name, aligned] of [['walk', true], ['walk_any', false], ['rw64_0', true], ['rw64_5', true], ['rw64_10', false],
    ['rw32_9', false], ['const_3', true], ['const_11', false]] as const) {
    const acc = floatAccesses(irOf(wasm, name, 'cortex-m55'));
    assert.ok(acc.length >= 2, name);
    for (const i of acc) assert.equal(i.aligned === true, aligned, `${name}: ${JSON.stringify(i)}`);
  }
});

for (const board of CODEGEN_BOARD_NAMES.filter((b) => BOARDS[b].arenaSize >= 4 * MEM)) {
  test(`aligned and unaligned float loads and stores agree with V8 on ${board}`, { skip: skipBoards }, async () => {
    const spec = BOARDS[board];
    const wasm = assemble(module());
    const cs = calls();
    const expected = reference(wasm, cs);
    await agreeOnBoard(board, compileFor(wasm, spec.target, spec.cpu), cs, expected);
  });
}

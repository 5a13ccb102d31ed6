/**
 * The optimizing tier's IR passes, checked on their output's structure; the
 * code they lead to is checked against V8 on the boards by
 * test/target/thumb2/regressions.test.ts, the spec suite and test/diff.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { compileModule } from '../../src/compile.js';
import { parseModule } from '../../src/wasm/index.js';
import { resolveCompileOptions } from '../../src/xip/options.js';
import { buildIr } from '../../src/ir/build.js';
import { groupBoundsChecks } from '../../src/ir/checks.js';
import { allocate } from '../../src/ir/regalloc.js';
import { forEachDef, forEachUse, type Inst } from '../../src/ir/ir.js';
import { buildTarget } from '../../src/target/thumb2/opt/index.js';
import { layoutGlobals } from '../../src/target/thumb2/module.js';
import { CHECK_SLACK } from '../../src/target/thumb2/abi.js';
import type { Label } from '../../src/target/thumb2/masm.js';

function have(cmd: string): boolean {
  try { execFileSync(cmd, ['--version'], { stdio: 'ignore' }); return true; } catch { return false; }
}
const skip = have('wat2wasm') ? false : 'needs wat2wasm (wabt)';

function assemble(wat: string): Uint8Array {
  return new Uint8Array(execFileSync('wat2wasm', ['-', '--output=-'], { input: wat }));
}

function irOf(wat: string, funcIndex = 0, cpu = 'cortex-m3'): Inst[] {
  const bytes = assemble(wat);
  const module = parseModule(bytes);
  const options = resolveCompileOptions({ cpu, xip: true });
  const target = buildTarget({
    module, options, floatAbi: options.floatAbi, funcLabels: [] as Label[], globalOffsets: layoutGlobals(module).offsets,
    funcrefIndex: new Map(), symbolsUsed: new Set(), memoryStable: true,
  });
  return buildIr(target, funcIndex).insts;
}

test('accesses at x, x+4, x+8 share one bounds check that lists each access', { skip }, () => {
  const insts = irOf(`(module (memory 1) (func (param i32) (result i32)
    (i32.add (i32.add (i32.load (local.get 0)) (i32.load (i32.add (local.get 0) (i32.const 4))))
             (i32.load8_u (i32.add (local.get 0) (i32.const 8))))))`);
  assert.equal(insts.filter((i) => i.op === 'bchk').length, 3);
  groupBoundsChecks(insts, 64, CHECK_SLACK, (_kind, v) => v <= 4095, [0]);
  const checks = insts.filter((i): i is Extract<Inst, { op: 'bchk' }> => i.op === 'bchk');
  assert.equal(checks.length, 1);
  assert.deepEqual(checks[0]!.members, [{ c: 0, end: 4 }, { c: 4, end: 4 }, { c: 8, end: 1 }]);
  assert.equal(checks[0]!.end, 9);
});

test('a store or a call between accesses keeps their checks apart', { skip }, () => {
  const insts = irOf(`(module (memory 1) (func $f) (func (param i32) (result i32)
    (i32.store (local.get 0) (i32.const 1))
    (drop (i32.load (i32.add (local.get 0) (i32.const 4))))
    (call $f)
    (i32.load (i32.add (local.get 0) (i32.const 8)))))`, 1);
  groupBoundsChecks(insts, 64, CHECK_SLACK, (_kind, v) => v <= 4095, [0]);
  assert.equal(insts.filter((i) => i.op === 'bchk').length, 3);
});

test('a constant a loop needs is made once, before the loop', { skip }, () => {
  const insts = irOf(`(module (func (param i32) (result i32) (local i32)
    (loop (local.set 1 (i32.xor (local.get 1) (i32.const 0x12345678)))
          (br_if 0 (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
    (local.get 1)))`);
  const head = insts.findIndex((i) => i.op === 'label');
  const consts = insts.map((i, k) => [i, k] as const).filter(([i]) => i.op === 'movi' && i.imm === 0x12345678);
  assert.equal(consts.length, 1);
  assert.ok(consts[0]![1] < head, 'the constant comes before the loop head');
});

test('an address proven below the declared memory minimum is not checked', { skip }, () => {
  const insts = irOf(`(module (memory 1) (func (param i32) (result i32)
    (i32.load (i32.add (i32.shl (i32.and (local.get 0) (i32.const 255)) (i32.const 2)) (i32.const 1024)))))`);
  assert.equal(insts.filter((i) => i.op === 'bchk').length, 0);
  const unbounded = irOf(`(module (memory 1) (func (param i32) (result i32)
    (i32.load (i32.add (i32.shl (local.get 0) (i32.const 2)) (i32.const 1024)))))`);
  assert.equal(unbounded.filter((i) => i.op === 'bchk').length, 1);
});

for (const fast of [false, true]) test(`allocation${fast ? ' (fast mode, --opt-level=0)' : ''} never gives one register to two values live at once`, { skip }, () => {
  // many values live across a loop and a call: more than the registers there are
  const n = 14;
  const sets = Array.from({ length: n }, (_, k) => `(local.set ${k + 1} (i32.mul (local.get 0) (i32.const ${k + 3})))`).join(' ');
  const sum = Array.from({ length: n }, (_, k) => `(local.get ${k + 1})`).reduce((a, b) => `(i32.add ${a} ${b})`);
  const bytes = assemble(`(module (func $g (result i32) (i32.const 1)) (func (param i32) (result i32) (local ${'i32 '.repeat(n)})
    ${sets} (loop (local.set 0 (i32.sub (local.get 0) (call $g))) (br_if 0 (local.get 0))) ${sum}))`);
  const module = parseModule(bytes);
  const options = resolveCompileOptions({ cpu: 'cortex-m3', xip: true });
  const target = buildTarget({
    module, options, floatAbi: options.floatAbi, funcLabels: [], globalOffsets: [], funcrefIndex: new Map(),
    symbolsUsed: new Set(), memoryStable: true,
  });
  const f = buildIr(target, 1);
  const a = allocate(f, { callerSaved: [0, 1, 2, 3], calleeSaved: [4, 5, 6, 7, 8], fixedHint: () => undefined, fast });
  // the fast mode keeps every instruction and every vreg as built
  if (fast) assert.equal(a.insts.length, f.insts.length);
  assert.ok(a.spillSlots > 0, 'the test needs spills');
  // simulate: walking the code in order, a register's current owner must be the vreg read from it
  const owner = new Map<number, number>();
  const calls: number[] = [];
  a.insts.forEach((i, k) => { if (i.op === 'call') calls.push(k); });
  for (const i of a.insts) {
    const reads: number[] = [];
    const writes: number[] = [];
    switch (i.op) {
      case 'label': case 'br': case 'brif': owner.clear(); continue;
      default: break;
    }
    // eslint-style exhaustive listing is in ir.ts; use its helpers
    forEachUse(i, (v) => reads.push(v));
    forEachDef(i, (v) => writes.push(v));
    for (const v of reads) {
      const r = a.loc[v]!;
      if (r >= 0 && owner.has(r)) assert.equal(owner.get(r), v, `register r${r} read as v${v} but holds v${owner.get(r)}`);
    }
    if (i.op === 'call') for (const r of [0, 1, 2, 3]) owner.delete(r);
    for (const v of writes) { const r = a.loc[v]!; if (r >= 0) owner.set(r, v); }
  }
});

test('integer and float functions (f64 on the M4 too) compile at -O0 and -O2, also on the M0', { skip }, () => {
  const wat = `(module (memory 1)
    (func $sq (param i64) (result i64) (i64.mul (local.get 0) (local.get 0)))
    (func (export "a") (param i32) (result i64) (local i64)
      (loop (local.set 1 (i64.add (local.get 1) (call $sq (i64.extend_i32_u (i32.load (local.get 0))))))
            (br_if 0 (local.tee 0 (i32.sub (local.get 0) (i32.const 4)))))
      (local.get 1))
    (func (export "f") (param f64) (result f64) (f64.mul (local.get 0) (local.get 0))))`;
  const bytes = assemble(wat);
  // soft-float (M3), f64 in core words (M4), f64 params and results in VFP registers (M55); --opt-level=0 is the
  // same pipeline in its fast configuration (no IR passes, the allocator's fast mode); ARMv6-M the Thumb-1 emitter
  for (const cpu of ['cortex-m3', 'cortex-m4', 'cortex-m55', 'cortex-m0']) {
    for (const optLevel of [0, 2]) {
      const r = compileModule(bytes, { cpu, xip: true, optLevel });
      assert.equal(r.stats.functions, 3, `${cpu} -O${optLevel}`);
      assert.equal(r.relocations, 0);
    }
  }
});



test('i64 add and compare are one pseudo-op each; a comparison travels with its branch (no flags)', { skip }, () => {
  const insts = irOf(`(module (func (param i64 i64 i64) (result i32)
    (block (br_if 0 (i64.gt_u (i64.add (local.get 0) (local.get 1)) (local.get 2))) (return (i32.const 1)))
    (i32.const 0)))`);
  assert.equal(insts.filter((i) => i.op === 'alu64').length, 1);
  const br = insts.find((i): i is Extract<Inst, { op: 'brif' }> => i.op === 'brif');
  // gt_u arrives as lt_u with the operands swapped: the sum is on the right
  assert.equal(br?.cmp.k, 'i64');
  assert.equal(br?.cmp.cond, 'lt_u');
  const sum = insts.find((i): i is Extract<Inst, { op: 'alu64' }> => i.op === 'alu64')!;
  assert.ok(br?.cmp.k === 'i64' && br.cmp.b === sum.d && br.cmp.bh === sum.d2);
});

test('a shift computed for one add is folded into it as a shifted operand (a constant only inside a loop)', { skip }, () => {
  const ops = (wat: string): string[] => irOf(wat).map((i) => (i.op === 'alush' ? `alush ${i.kind} ${i.shift} ${i.amount}` : i.op));
  // base + i * 4: one alush, no shifti
  const a = ops(`(module (memory 1) (func (param i32 i32) (result i32)
    (i32.load (i32.add (local.get 0) (i32.shl (local.get 1) (i32.const 2))))))`);
  assert.ok(a.includes('alush add lsl 2') && !a.includes('shifti'), a.join(' '));
  // (i << 3) + table outside a loop: the constant stays an immediate
  const b = ops(`(module (memory 1) (func (param i32) (result i32)
    (i32.load (i32.add (i32.shl (local.get 0) (i32.const 3)) (i32.const 0x7000)))))`);
  assert.ok(b.includes('shifti') && b.includes('alui') && !b.some((o) => o.startsWith('alush')), b.join(' '));
  // ... and inside one, the constant is loaded once before it and the shift folds
  const c = ops(`(module (memory 1) (func (param i32) (result i32) (local i32)
    (loop (local.set 1 (i32.add (local.get 1) (i32.load (i32.add (i32.shl (local.get 0) (i32.const 3)) (i32.const 0x7000)))))
      (br_if 0 (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
    (local.get 1)))`);
  assert.ok(c.includes('alush add lsl 3') && !c.includes('shifti'), c.join(' '));
  // a shift that is used twice (teed into a local) is not taken back
  const d = ops(`(module (memory 1) (func (param i32 i32) (result i32) (local i32)
    (i32.add (i32.load (i32.add (local.get 0) (local.tee 2 (i32.shl (local.get 1) (i32.const 2))))) (local.get 2))))`);
  assert.ok(d.includes('shifti'), d.join(' '));
  // a - (i << 2) folds, (i << 2) - a does not
  const e = ops(`(module (func (param i32 i32) (result i32) (i32.sub (local.get 0) (i32.shl (local.get 1) (i32.const 2)))))`);
  assert.ok(e.includes('alush sub lsl 2'), e.join(' '));
  const f = ops(`(module (func (param i32 i32) (result i32) (i32.sub (i32.shl (local.get 1) (i32.const 2)) (local.get 0))))`);
  assert.ok(f.includes('shifti') && !f.some((o) => o.startsWith('alush')), f.join(' '));
});

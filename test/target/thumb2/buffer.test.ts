/**
 * CodeBuffer + label-use kinds + select layer, checked against GNU as: the
 * same program written with GNU labels must assemble to the same bytes, and
 * for islands (whose placement is ours) objdump's decoding of our bytes must
 * show every literal load reaching its constant and every branch its target.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Thumb2Assembler, imm } from '../../../src/target/thumb2/select.js';
import { CodeBuffer } from '../../../src/target/buffer.js';
import { THUMB_LABEL_USE } from '../../../src/target/thumb2/labeluse.js';
import { R0, R1, R2, R3, R4, R5, reg, sreg, dreg } from '../../../src/target/thumb2/regs.js';
import { udfT1 } from '../../../src/target/thumb2/enc/branch.js';
import { adrT1 } from '../../../src/target/thumb2/enc/dp.js';
import { Imm8x4 } from '../../../src/target/thumb2/imm.js';
import { InternalError } from '../../../src/errors.js';
import { assembleBytes, disassembleRaw, haveBinutils } from './golden.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

test('every branch and address label-use kind patches like GNU as', (ctx) => {
  if (!haveBinutils()) return ctx.skip('arm-none-eabi-as not installed');
  const a = new Thumb2Assembler();
  const top = a.newLabel(), fwd = a.newLabel();
  a.bind(top);
  a.add(R0, R1, imm(1));
  a.bcond('eq', top);
  a.b(top);
  a.bcond('ne', fwd);
  a.b(fwd);
  a.bcond('gt', fwd, true);
  a.b(fwd, true);
  a.bl(fwd);
  a.cbz(R2, fwd);
  a.cbz(R3, fwd, true);
  a.adr(R4, fwd);
  a.bl(top);
  a.adr(R5, top);
  a.nop();
  a.labelWord(fwd);
  a.labelWord(top);
  a.bind(fwd);
  a.nop();
  const ours = a.finish();
  assert.equal(ours.relocationCount, 0);
  const gnu = assembleBytes(`
top: adds r0, r1, #1
  beq.n top
  b.n top
  bne.w fwd
  b.w fwd
  bgt.n fwd
  b.n fwd
  bl fwd
  cbz r2, fwd
  cbnz r3, fwd
  adr.w r4, fwd
  bl top
  adr.w r5, top
  nop
  .word fwd - top
  .word top - top
fwd: nop`);
  assert.equal(hex(ours.code), hex(gnu));
});

test('literal pool: LDR (narrow and wide), LDRD and VLDR literals, deduplicated, 8-byte first, like GNU as', (ctx) => {
  if (!haveBinutils()) return ctx.skip('arm-none-eabi-as not installed');
  const a = new Thumb2Assembler();
  a.ldrConst(R3, 0xdeadbeef);
  a.vldrConstS(sreg(0), 0x3fc00000);
  a.vldrConstD(dreg(1), 0x400921fb54442d18n);
  a.ldrConst(R4, 0xdeadbeef);
  a.ldrConstNarrow(R5, 0xdeadbeef);
  a.ldrdConst(R0, R1, 0x400921fb54442d18n);
  a.vmovConstS(sreg(2), 0x3f800000); // encodable: VMOV #1.0, no pool entry
  a.vmovConstD(dreg(3), 0x3ff8000000000001n); // not encodable
  a.bx(reg(14));
  a.flushIsland();
  const ours = a.finish();
  const gnu = assembleBytes(`
  ldr.w r3, c1
  vldr s0, c2
  vldr d1, c3
  ldr.w r4, c1
  ldr r5, c1
  ldrd r0, r1, c3
  vmov.f32 s2, #1.0
  vldr d3, c4
  bx lr
  .align 2
c3: .word 0x54442d18, 0x400921fb
c4: .word 0x00000001, 0x3ff80000
c1: .word 0xdeadbeef
c2: .word 0x3fc00000`);
  assert.equal(hex(ours.code), hex(gnu));
});

test('TBB and TBH tables patch like GNU as', (ctx) => {
  if (!haveBinutils()) return ctx.skip('arm-none-eabi-as not installed');
  for (const half of [false, true]) {
    const a = new Thumb2Assembler();
    const ls = [a.newLabel(), a.newLabel(), a.newLabel()];
    a.tableBranch(R0, [ls[2]!, ls[0]!, ls[1]!], half);
    for (const l of ls) {
      a.bind(l);
      a.add(R1, R1, imm(1));
      a.nop();
    }
    const ours = a.finish();
    const entry = half ? '.hword' : '.byte';
    const gnu = assembleBytes(`
  ${half ? 'tbh [pc, r0, lsl #1]' : 'tbb [pc, r0]'}
tab: ${entry} (l2 - tab) / 2, (l0 - tab) / 2, (l1 - tab) / 2
  .balign 2, 0
l0: adds r1, r1, #1
  nop
l1: adds r1, r1, #1
  nop
l2: adds r1, r1, #1
  nop`);
    assert.equal(hex(ours.code), hex(gnu), half ? 'tbh' : 'tbb');
  }
});

/** Checks objdump's decoding of `code`: literal loads hit `constants[address]`, and returns the instruction lines. */
function checkLiterals(code: Uint8Array, words: (v: number) => boolean): ReturnType<typeof disassembleRaw> {
  const lines = disassembleRaw(code);
  const view = new DataView(code.buffer, code.byteOffset, code.byteLength);
  let loads = 0;
  for (const l of lines) {
    const m = /^(ldr\.w|vldr)\s.*\[pc, #-?\d+\]\s*@ 0x([0-9a-f]+)/.exec(l.text) ?? /^(ldr\.w|vldr)\s.*\[pc, #-?\d+\]\s*@ \(([0-9a-f]+)/.exec(l.text);
    if (!m) continue;
    loads++;
    const at = parseInt(m[2]!, 16);
    assert.ok(at % 4 === 0 && at + 4 <= code.length, `literal at 0x${at.toString(16)} from 0x${l.at.toString(16)}`);
    assert.ok(words(view.getUint32(at, true)), `${l.text} at 0x${l.at.toString(16)} loads 0x${view.getUint32(at, true).toString(16)}`);
  }
  assert.ok(loads > 0, 'no literal loads decoded');
  return lines;
}

test('islands keep LDR.W (±4095) and VLDR (±1020) literals in range in a >4 KB function', (ctx) => {
  if (!haveBinutils()) return ctx.skip('arm-none-eabi-objdump not installed');
  const a = new Thumb2Assembler();
  const K = 0x12345678, F = 0x3fc00000;
  let adds = 0;
  for (let i = 0; i < 3000; i++) {
    a.maybeIsland(8);
    if (i % 700 === 0) a.ldrConst(R2, K);
    if (i % 450 === 0) a.vldrConstS(sreg(4), F);
    a.add(R1, R1, imm(1000));
    adds++;
  }
  a.bx(reg(14));
  a.flushIsland();
  const { code } = a.finish();
  assert.ok(code.length > 12000);
  assert.ok(a.buf.islands >= 3, `only ${a.buf.islands} islands`);
  const lines = checkLiterals(code, (v) => v === K || v === F);
  // The branch over each island lands on code, and every add survived.
  const byAt = new Map(lines.map((l) => [l.at, l]));
  for (const l of lines) {
    const m = /^b\.w\s+0x([0-9a-f]+)/.exec(l.text);
    if (m) assert.match(byAt.get(parseInt(m[1]!, 16))?.text ?? '', /^(add\.w|ldr\.w|vldr|bx)/, `b.w at 0x${l.at.toString(16)}`);
  }
  assert.equal(lines.filter((l) => l.text.startsWith('add.w\tr1, r1, #1000')).length, adds);
});

test('a short forward branch that ends up out of range goes through a veneer', (ctx) => {
  if (!haveBinutils()) return ctx.skip('arm-none-eabi-objdump not installed');
  const a = new Thumb2Assembler();
  const far = a.newLabel();
  a.bcond('eq', far, true);
  a.cbz(R0, far);
  for (let i = 0; i < 400; i++) {
    a.maybeIsland(4);
    a.add(R1, R1, imm(1000));
  }
  a.bind(far);
  a.bx(reg(14));
  const { code } = a.finish();
  const target = code.length - 2;
  const lines = disassembleRaw(code);
  const byAt = new Map(lines.map((l) => [l.at, l]));
  for (const first of [lines[0]!, lines[1]!]) {
    const m = /^(beq\.n|cbz)\s+(?:r0, )?0x([0-9a-f]+)/.exec(first.text);
    assert.ok(m, first.text);
    const veneer = byAt.get(parseInt(m[2]!, 16))!;
    assert.match(veneer.text, new RegExp(`^b\\.w\\s+0x${target.toString(16)}\\b`), `veneer for ${first.text}`);
  }
});

test('an island places veneers label by label, in the order the labels were first used', (ctx) => {
  if (!haveBinutils()) return ctx.skip('arm-none-eabi-objdump not installed');
  const a = new Thumb2Assembler();
  const [l1, l2] = [a.newLabel(), a.newLabel()];
  a.b(l2, true);
  a.b(l1, true);
  a.b(l2, true);
  a.bx(reg(14));
  a.flushIsland();
  a.bind(l1);
  a.nop();
  a.bind(l2);
  a.bx(reg(14));
  const { code } = a.finish();
  const lines = disassembleRaw(code);
  const byAt = new Map(lines.map((l) => [l.at, l]));
  const veneerOf = (i: number): number => parseInt(/^b\.n\s+0x([0-9a-f]+)/.exec(lines[i]!.text)![1]!, 16);
  // l2's two uses first (its list was created first), then l1's; each veneer is a B.W to its label.
  const island = veneerOf(0);
  assert.deepEqual([veneerOf(0), veneerOf(2), veneerOf(1)], [island, island + 4, island + 8]);
  const [at1, at2] = [code.length - 4, code.length - 2];
  for (const [i, target] of [[0, at2], [1, at1], [2, at2]] as const) {
    assert.match(byAt.get(veneerOf(i))!.text, new RegExp(`^b\\.w\\s+0x${target.toString(16)}\\b`), lines[i]!.text);
  }
});

test('deferred trap stubs are materialized in the next island and reached by B<c>.W', (ctx) => {
  if (!haveBinutils()) return ctx.skip('arm-none-eabi-objdump not installed');
  const a = new Thumb2Assembler();
  const stub = (n: number) => a.buf.deferredLabel(`trap:${n}`, 2, (b) => b.put16(udfT1(n)));
  a.cmp(R0, R1);
  a.bcond('cs', stub(7));
  a.bcond('cc', stub(9));
  a.bcond('eq', stub(7));
  a.bx(reg(14));
  a.flushIsland();
  const { code } = a.finish();
  const lines = disassembleRaw(code);
  const byAt = new Map(lines.map((l) => [l.at, l]));
  const want = ['udf\t#7', 'udf\t#9', 'udf\t#7'];
  lines.filter((l) => /^b(cs|hs|cc|lo|eq)\.w/.test(l.text)).forEach((l, i) => {
    const t = parseInt(/0x([0-9a-f]+)/.exec(l.text)![1]!, 16);
    assert.equal(byAt.get(t)?.text.split(/\s+@/)[0], want[i], l.text);
  });
  assert.equal(lines.filter((l) => l.text.startsWith('udf')).length, 2, 'stubs deduplicated');
});

test('finish() fails on a pending fixup; labels bind once; out-of-range binds throw', () => {
  const a = new Thumb2Assembler();
  a.b(a.newLabel());
  assert.throws(() => a.finish(), InternalError);

  const buf = new CodeBuffer(THUMB_LABEL_USE);
  const l = buf.getLabel();
  buf.bindLabel(l);
  assert.throws(() => buf.bindLabel(l), InternalError);

  // A CBZ whose label is bound past 126 bytes without an island in between.
  const b = new Thumb2Assembler();
  const far = b.newLabel();
  b.cbz(R0, far);
  for (let i = 0; i < 100; i++) b.nop();
  assert.throws(() => b.bind(far), InternalError);
});

test('islandNeeded tracks the deadline of the nearest pending use', () => {
  const a = new Thumb2Assembler();
  assert.equal(a.buf.islandNeeded(1 << 20), false);
  a.vldrConstS(sreg(0), 0x12345678);
  // VLDR reaches Align(PC,4)+1020 = 1024; the island is at most 4 + 4 + 6 + 4 bytes.
  assert.equal(a.buf.islandNeeded(900), false);
  assert.equal(a.buf.islandNeeded(1020), true);
  // Long-range uses (calls to functions not yet emitted) do not inflate the island estimate.
  const b = new Thumb2Assembler();
  for (let i = 0; i < 500; i++) b.bl(b.newLabel());
  b.vldrConstS(sreg(0), 0x12345678);
  assert.equal(b.buf.islandNeeded(900), false);
  // Short-range ones do: each may need a 4-byte veneer.
  const c = new Thumb2Assembler();
  for (let i = 0; i < 100; i++) c.bcond('eq', c.newLabel(), true);
  assert.equal(c.buf.islandNeeded(0), true);
});

test('narrow ADR (adrN) patches like GNU as', (ctx) => {
  if (!haveBinutils()) return ctx.skip('arm-none-eabi-as not installed');
  const a = new Thumb2Assembler();
  const lab = a.newLabel();
  a.nop();
  const at = a.offset;
  a.emit(adrT1(R2, Imm8x4.tryFrom(0)!));
  a.buf.useLabelAtOffset(at, lab, 'adrN');
  a.nop();
  a.buf.alignTo(4);
  a.nop();
  a.nop();
  a.bind(lab);
  a.nop();
  a.nop(); // GNU as pads the section to its 4-byte alignment
  const gnu = assembleBytes(`
  nop
  adr r2, lab
  nop
  .balign 4
  nop
  nop
lab: nop
  nop`);
  assert.equal(hex(a.finish().code), hex(gnu));
});

test('deadline() is the earliest reach of the uses still waiting, through thousands of binds', () => {
  const buf = new CodeBuffer(THUMB_LABEL_USE);
  let x = 99;
  const rnd = (n: number): number => (x = (Math.imul(x, 1664525) + 1013904223) >>> 0) % n;
  const kinds = ['bl', 'bW', 'bcondW', 'ldrLitW'] as const;
  const waiting = new Map<number, number[]>(); // label -> highest reachable offset of each use
  const model = (): number => Math.min(Infinity, ...[...waiting.values()].flat());
  // Binds outnumber uses, so resolved entries pile up and the heap compacts several times.
  for (let step = 0; step < 12000; step++) {
    const r = rnd(10);
    if (r < 4 || waiting.size === 0) {
      const kind = kinds[rnd(kinds.length)]!;
      const label = waiting.size > 0 && rnd(3) === 0 ? [...waiting.keys()][rnd(waiting.size)]! : buf.getLabel();
      const at = buf.offset;
      buf.put32(kind === 'ldrLitW' ? 0xf8df0000 : 0xf0009000);
      buf.useLabelAtOffset(at, label as Parameters<typeof buf.bindLabel>[0], kind);
      const hi = THUMB_LABEL_USE.highest(kind, at, at);
      waiting.set(label, [...(waiting.get(label) ?? []), hi]);
    } else if (r < 8) {
      // Bind the label whose use is the earliest (the heap's top) or any other one.
      const labels = [...waiting.keys()];
      const label = r % 2 === 0 ? labels.reduce((a, b) => (Math.min(...waiting.get(a)!) <= Math.min(...waiting.get(b)!) ? a : b)) : labels[rnd(labels.length)]!;
      buf.bindLabel(label as Parameters<typeof buf.bindLabel>[0]);
      waiting.delete(label);
    } else {
      buf.put16(0xbf00);
    }
    assert.equal(buf.deadline(), model(), `step ${step}`);
  }
});

test('a long-range use (B<c>.W) asks for a veneer only within 32 KiB of its deadline', () => {
  const a = new Thumb2Assembler();
  const far = a.newLabel();
  a.bcond('eq', far);
  const hi = THUMB_LABEL_USE.highest('bcondW', 0, 0);
  assert.equal(a.buf.deadline(), hi);
  while (a.offset + 32 * 1024 <= hi) {
    assert.equal(a.buf.hasPendingIslandContent(), false, `at 0x${a.offset.toString(16)}`);
    a.buf.put16(0xbf00);
  }
  assert.equal(a.buf.hasPendingIslandContent(), true);
  a.flushIsland();
  // The B<c>.W now goes to a B.W veneer, whose own reach is the new deadline.
  assert.equal(a.buf.deadline(), THUMB_LABEL_USE.highest('bW', a.offset - 4, 0));
  a.bind(far);
  assert.equal(a.buf.deadline(), Infinity);
  assert.equal(a.buf.hasPendingIslandContent(), false);
});

/**
 * The code buffer with the ARMv6-M label uses, read back through objdump: in
 * long code with islands, every branch (through its veneers: B<c> -> B ->
 * BL) ends at its target, every literal load reaches its own constant, and
 * nothing but BL is 32 bits wide. Leaf code, which keeps its return address
 * in LR, refuses a branch beyond B's reach instead of clobbering LR.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Thumb1Assembler } from '../../../src/target/thumb1/asm.js';
import { Thumb1Masm } from '../../../src/target/thumb1/masm.js';
import { LR, R0, R1, R2, R3, type Cond } from '../../../src/target/thumb2/regs.js';
import { InternalError } from '../../../src/errors.js';
import * as E from '../../../src/target/thumb1/enc.js';
import { disassembleRaw, haveBinutils } from '../thumb2/golden.js';

type Insn = { at: number; hex: string; text: string };

/** Follows B<c>/B/BL from `at` until an instruction that is not a branch; returns its offset. */
function follow(byAt: Map<number, Insn>, at: number): { end: number; hops: string[] } {
  const hops: string[] = [];
  for (let i = 0; i < 8; i++) {
    const insn = byAt.get(at);
    assert.ok(insn, `no instruction at 0x${at.toString(16)}`);
    const m = /^(b[a-z]*(?:\.n)?|bl)\s+0x([0-9a-f]+)/.exec(insn.text);
    if (!m) return { end: at, hops };
    hops.push(m[1]!);
    at = parseInt(m[2]!, 16);
  }
  throw new Error('branch chain too long');
}

test('far branches reach through island veneers; literal loads reach their constants; only BL is wide', (ctx) => {
  if (!haveBinutils()) return ctx.skip('arm-none-eabi-objdump not installed');
  const a = new Thumb1Assembler();
  a.lrSaved = true;
  const conds: Cond[] = ['eq', 'ne', 'cs', 'lt', 'hi'];
  const targets = conds.map(() => a.newLabel());
  const uses: { at: number; label: number }[] = [];
  const consts: { at: number; value: number }[] = [];
  const back = a.newLabel();
  a.bind(back);
  a.emit(E.movRegT2(R3, R2));
  conds.forEach((c, i) => {
    uses.push({ at: a.offset, label: i });
    a.bcond(c, targets[i]!);
  });
  const bAt = a.offset;
  a.b(targets[4]!);
  // 6 KiB of code with literal loads, asking for islands as an emitter does between operations
  for (let k = 0; k < 3000; k++) {
    a.maybeIsland(8);
    if (k % 7 === 0) {
      const value = (0x10203 * (k + 1)) >>> 0 | 0x1001;
      consts.push({ at: a.offset, value });
      a.ldrConst(R1, value);
    } else a.emit(E.addRegT1(R0, R1, R2));
    if (k === 1500) targets.slice(0, 2).forEach((l) => a.bind(l));
  }
  targets.slice(2).forEach((l) => a.bind(l));
  a.emit(E.movRegT2(R3, R0));
  const backAt = a.offset;
  a.b(back);
  a.bx(R0);
  const code = a.finish().code;
  assert.ok(a.buf.islands > 5, `${a.buf.islands} islands`);
  const insns = disassembleRaw(code);
  const byAt = new Map(insns.map((i) => [i.at, i]));
  const bound = targets.map((l) => a.buf.labelOffset(l));
  for (const u of uses) {
    const { end, hops } = follow(byAt, u.at);
    assert.equal(end, bound[u.label], `${conds[u.label]} at 0x${u.at.toString(16)}: ${hops.join(' -> ')}`);
  }
  assert.equal(follow(byAt, bAt).end, bound[4]);
  assert.equal(follow(byAt, backAt).end, a.buf.labelOffset(back));
  assert.ok(uses.some((u) => follow(byAt, u.at).hops.includes('bl')), 'some chain ends in a BL jump');
  const view = new DataView(code.buffer, code.byteOffset, code.byteLength);
  for (const c of consts) {
    const m = /^ldr\s+r1, \[pc, #(\d+)\]/.exec(byAt.get(c.at)?.text ?? '');
    assert.ok(m, `literal load at 0x${c.at.toString(16)}: ${byAt.get(c.at)?.text}`);
    const addr = ((c.at + 4) & ~3) + Number(m[1]);
    assert.equal(view.getUint32(addr, true), c.value >>> 0, `constant of the load at 0x${c.at.toString(16)}`);
  }
  // islands hold data, which objdump decodes as anything: check the wide instructions in code only
  const dataAt = new Set<number>();
  for (const c of consts) {
    const m = /\[pc, #(\d+)\]/.exec(byAt.get(c.at)!.text)!;
    const addr = ((c.at + 4) & ~3) + Number(m[1]);
    dataAt.add(addr).add(addr + 2);
  }
  for (const i of insns) if (!dataAt.has(i.at) && i.hex.length > 4) assert.match(i.text, /^bl\s/, `0x${i.at.toString(16)}: ${i.text}`);
});

test('leaf code (LR live) refuses a branch beyond B\'s ±2 KiB rather than using BL', () => {
  const a = new Thumb1Assembler();
  const far = a.newLabel();
  a.b(far);
  for (let k = 0; k < 1100; k++) a.emit(E.movRegT2(R0, R1));
  assert.throws(() => a.bind(far), InternalError);
  const b = new Thumb1Assembler();
  const back = b.newLabel();
  b.bind(back);
  for (let k = 0; k < 1100; k++) b.emit(E.movRegT2(R0, R1));
  assert.throws(() => b.b(back), /LR is not saved/);
  b.lrSaved = true;
  b.b(back);
  b.bcond('eq', back);
});

test('jump tables of any size: every entry reaches its target, and the out-of-range branch its default', (ctx) => {
  if (!haveBinutils()) return ctx.skip('arm-none-eabi-objdump not installed');
  for (const n of [3, 150, 1000]) {
    const a = new Thumb1Assembler();
    const m = new Thumb1Masm(a);
    a.lrSaved = true;
    const back = a.newLabel();
    a.bind(back);
    a.emit(E.movRegT2(R3, R2));
    const targets = Array.from({ length: n }, (_, k) => (k % 5 === 4 ? back : a.newLabel()));
    const dflt = a.newLabel();
    const start = a.offset;
    m.jumpTable(R1, targets, dflt, R2);
    for (const l of new Set(targets)) {
      if (a.buf.isBound(l)) continue;
      a.bind(l);
      a.emit(E.movRegT2(R0, R1));
    }
    a.bind(dflt);
    a.bx(LR);
    const code = a.finish().code;
    const insns = disassembleRaw(code);
    const byAt = new Map(insns.map((i) => [i.at, i]));
    // the instruction after CMP (and the constant for a large n) leads to the default
    const cmp = insns.find((i) => i.at >= start && /^cmp\s/.test(i.text))!;
    const next = byAt.get(cmp.at + 2)!;
    const toDefault = /^bcs/.test(next.text) ? follow(byAt, next.at).end : follow(byAt, next.at + 2).end;
    assert.equal(toDefault, a.buf.labelOffset(dflt), `n = ${n}: ${next.text}`);
    // the table follows ADD pc, r2; entry k + base (its address + 2) is target k, directly or through one B
    const addPc = insns.find((i) => i.at > cmp.at && /^add\s+pc, r2/.test(i.text))!;
    const table = addPc.at + 2;
    const view = new DataView(code.buffer, code.byteOffset, code.byteLength);
    targets.forEach((l, k) => {
      const at = addPc.at + 4 + view.getUint16(table + 2 * k, true);
      assert.equal(follow(byAt, at).end, a.buf.labelOffset(l), `n = ${n}, entry ${k}`);
    });
  }
});

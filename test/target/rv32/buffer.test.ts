/**
 * The shared CodeBuffer with the RV32 label-use kinds, checked against GNU:
 * a program written with GNU labels (linked by ld, which resolves the auipc
 * pairs) must give the same bytes; each kind patches exactly the encoding its
 * golden-tested encoder gives at the ends of its range and refuses one step
 * beyond; and an island's veneer (whose placement is ours) must, as objdump
 * decodes our bytes, take a short branch to its far target.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CodeBuffer, type Label } from '../../../src/target/buffer.js';
import { RV32_LABEL_USE, type Rv32LabelUse } from '../../../src/target/rv32/labeluse.js';
import * as E from '../../../src/target/rv32/enc/index.js';
import { BOff, CBOff, CJOff, JOff, SImm12, UImm20, splitHiLo } from '../../../src/target/rv32/imm.js';
import { A0, A1, A2, RA, S1, T0, T1, ZERO } from '../../../src/target/rv32/regs.js';
import { InternalError } from '../../../src/errors.js';
import { assembleLinked, disassembleRaw, haveBinutils } from './golden.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const must = <T>(v: T | undefined): T => {
  if (v === undefined) throw new Error('test value out of range');
  return v;
};
const Z12 = must(SImm12.tryFrom(0));
const Z20 = must(UImm20.tryFrom(0));

type Buf = CodeBuffer<Rv32LabelUse>;
function put(buf: Buf, e: E.RvEnc): void {
  if (E.isCompressed(e)) buf.put16(e);
  else buf.putData32(e);
}
/** Write `e` (its offset field 0) and record that it refers to `label`. */
function use(buf: Buf, e: E.RvEnc, label: Label, kind: Rv32LabelUse): void {
  const at = buf.offset;
  put(buf, e);
  buf.useLabelAtOffset(at, label, kind);
}
/** Write an auipc pair (the second instruction's low 12 bits 0) and record it. */
function usePair(buf: Buf, first: E.Insn32, second: E.Insn32, label: Label, kind: 'pcrelI' | 'pcrelS'): void {
  const at = buf.offset;
  put(buf, first);
  put(buf, second);
  buf.useLabelAtOffset(at, label, kind);
}

test('every RV32 label-use kind patches like GNU as + ld', (ctx) => {
  if (!haveBinutils()) return ctx.skip('riscv64-unknown-elf binutils not installed');
  const buf: Buf = new CodeBuffer(RV32_LABEL_USE);
  const top = buf.getLabel(), fwd = buf.getLabel();
  buf.bindLabel(top);
  put(buf, E.addi(A0, A1, must(SImm12.tryFrom(1))));
  use(buf, E.branch('eq', A0, A1, must(BOff.tryFrom(0))), top, 'branch');
  use(buf, E.branch('ne', A0, ZERO, must(BOff.tryFrom(0))), fwd, 'branch');
  use(buf, E.jal(RA, must(JOff.tryFrom(0))), fwd, 'jal');
  use(buf, E.jal(ZERO, must(JOff.tryFrom(0))), top, 'jal');
  use(buf, E.cBeqz(A0, must(CBOff.tryFrom(0))), top, 'cbranch');
  use(buf, E.cBnez(S1, must(CBOff.tryFrom(0))), fwd, 'cbranch');
  use(buf, E.cJ(must(CJOff.tryFrom(0))), fwd, 'cjump');
  use(buf, E.cJal(must(CJOff.tryFrom(0))), top, 'cjump');
  usePair(buf, E.auipc(T0, Z20), E.addi(T0, T0, Z12), fwd, 'pcrelI');
  usePair(buf, E.auipc(T1, Z20), E.store('sw', A0, T1, Z12), top, 'pcrelS');
  usePair(buf, E.auipc(RA, Z20), E.jalr(RA, RA, Z12), top, 'pcrelI');
  usePair(buf, E.auipc(A2, Z20), E.load('lw', A2, A2, Z12), fwd, 'pcrelI');
  const wordAt = buf.offset;
  buf.putData32(0);
  buf.useLabelAtOffset(wordAt, fwd, 'word32', 0);
  buf.bindLabel(fwd);
  put(buf, E.cNop());
  const ours = buf.finish();
  assert.equal(ours.relocationCount, 0);
  const gnu = assembleLinked(`
  .option norvc
top: addi a0,a1,1
  beq a0,a1,top
  bne a0,zero,fwd
  jal ra,fwd
  jal zero,top
  .option rvc
  c.beqz a0,top
  c.bnez s1,fwd
  c.j fwd
  c.jal top
  .option norvc
1: auipc t0,%pcrel_hi(fwd)
  addi t0,t0,%pcrel_lo(1b)
2: auipc t1,%pcrel_hi(top)
  sw a0,%pcrel_lo(2b)(t1)
3: auipc ra,%pcrel_hi(top)
  jalr ra,%pcrel_lo(3b)(ra)
4: auipc a2,%pcrel_hi(fwd)
  lw a2,%pcrel_lo(4b)(a2)
  .word fwd-top
  .option rvc
fwd: c.nop`);
  assert.equal(hex(ours.code), hex(gnu));
});

/** One use at offset `useAt` (after padding) of `kind` to a label at `useAt + off`; returns the patched bytes of the use. */
function patchAt(kind: Rv32LabelUse, off: number, placeholder: () => E.RvEnc[]): Uint8Array {
  const buf: Buf = new CodeBuffer(RV32_LABEL_USE);
  const label = buf.getLabel();
  if (off < 0) {
    buf.bindLabel(label);
    for (let i = 0; i < -off; i += 2) put(buf, E.cNop());
  }
  const at = buf.offset;
  for (const e of placeholder()) put(buf, e);
  const size = buf.offset - at;
  if (off >= 0) {
    buf.useLabelAtOffset(at, label, kind);
    for (let i = size; i < off; i += 2) put(buf, E.cNop());
    if (off < size) throw new Error('forward offset inside the use');
    buf.bindLabel(label);
  } else {
    buf.useLabelAtOffset(at, label, kind);
  }
  return buf.bytes.slice(at, at + size);
}
const bytesOf = (...es: E.RvEnc[]): string => es.map((e) => hex(new Uint8Array(E.rvBytes(e)))).join('');

test('each RV32 kind reaches exactly its range and patches the encoder\'s bytes', () => {
  const cases: { kind: Rv32LabelUse; lo: number; hi: number; enc: (off: number) => E.RvEnc[] }[] = [
    { kind: 'branch', lo: BOff.lo, hi: BOff.hi, enc: (o) => [E.branch('geu', A0, S1, must(BOff.tryFrom(o)))] },
    { kind: 'jal', lo: JOff.lo, hi: JOff.hi, enc: (o) => [E.jal(RA, must(JOff.tryFrom(o)))] },
    { kind: 'cbranch', lo: CBOff.lo, hi: CBOff.hi, enc: (o) => [E.cBnez(A0, must(CBOff.tryFrom(o)))] },
    { kind: 'cjump', lo: CJOff.lo, hi: CJOff.hi, enc: (o) => [E.cJ(must(CJOff.tryFrom(o)))] },
  ];
  for (const c of cases) {
    for (const off of [c.lo, -2, 4, 6, c.hi]) {
      // Forward offsets below the use's own size cannot be made by padding; 0 is covered by the backward bind.
      const got = patchAt(c.kind, off, () => c.enc(0));
      assert.equal(hex(got), bytesOf(...c.enc(off)), `${c.kind} ${off}`);
    }
    assert.throws(() => patchAt(c.kind, c.hi + 2, () => c.enc(0)), InternalError, `${c.kind} beyond ${c.hi}`);
    assert.throws(() => patchAt(c.kind, c.lo - 2, () => c.enc(0)), InternalError, `${c.kind} before ${c.lo}`);
  }
});

test('auipc pairs split hi/lo with the sign of lo carried into hi', () => {
  for (const off of [-0x1000, -0x802, -0x800, -2, 8, 0x7fe, 0x800, 0x802, 0xfffe, 0x12346]) {
    const { hi, lo } = splitHiLo(off);
    assert.equal(((hi << 12) | 0) + lo, off, `split ${off}`);
    const got = patchAt('pcrelI', off, () => [E.auipc(T0, Z20), E.jalr(RA, T0, Z12)]);
    assert.equal(hex(got), bytesOf(E.auipc(T0, hi), E.jalr(RA, T0, lo)), `pcrelI ${off}`);
    const gotS = patchAt('pcrelS', off, () => [E.auipc(T1, Z20), E.fsw(0 as never, T1, Z12)]);
    assert.equal(hex(gotS), bytesOf(E.auipc(T1, hi), E.fsw(0 as never, T1, lo)), `pcrelS ${off}`);
  }
});

test('a short RV32 branch beyond its reach goes through a jal veneer in an island', (ctx) => {
  const buf: Buf = new CodeBuffer(RV32_LABEL_USE);
  const far = buf.getLabel();
  use(buf, E.branch('lt', A0, A1, must(BOff.tryFrom(0))), far, 'branch');
  use(buf, E.cBeqz(S1, must(CBOff.tryFrom(0))), far, 'cbranch');
  use(buf, E.cJ(must(CJOff.tryFrom(0))), far, 'cjump');
  for (let i = 0; i < 3000; i++) {
    if (buf.islandNeeded(4)) buf.emitIsland();
    put(buf, E.addi(A0, A0, must(SImm12.tryFrom(1))));
  }
  buf.bindLabel(far);
  put(buf, E.ebreak());
  const { code } = buf.finish();
  assert.ok(buf.islands >= 1);
  const target = code.length - 4;
  if (!haveBinutils()) return ctx.skip('riscv64-unknown-elf-objdump not installed');
  const dis = disassembleRaw(code);
  const at = new Map(dis.map((d) => [d.at, d]));
  const dest = (text: string): number => parseInt(/0x([0-9a-f]+)/.exec(text)![1]!, 16);
  for (const [use, mnemonic] of [[0, 'blt'], [4, 'c.beqz'], [6, 'c.j']] as const) {
    const insn = at.get(use)!;
    assert.ok(insn.text.startsWith(mnemonic), insn.text);
    const veneer = at.get(dest(insn.text))!;
    assert.match(veneer.text, /^jal\tzero,/);
    assert.equal(dest(veneer.text), target, `${mnemonic} reaches its target through ${veneer.text}`);
  }
  // The island starts with a jump over itself: every addi is executed in order.
  assert.equal(at.get(target)!.text, 'ebreak');
});

/** Golden rows: ARMv6-M data processing, every register in each field and immediates at their limits. */
import * as E from '../../../src/target/thumb1/enc.js';
import { Imm3, Imm7x4, Imm8, Imm8x4, ShiftImm } from '../../../src/target/thumb2/imm.js';
import { reg, regName } from '../../../src/target/thumb2/regs.js';
import { row, type Row, type Table } from '../thumb2/golden.js';

const r = reg;
const n = (i: number): string => regName(r(i));
const rows: Row[] = [];
const LOW = [0, 1, 2, 3, 4, 5, 6, 7];
/** (a, b, c) register triples that put every low register in every field. */
const TRIPLES: readonly [number, number, number][] = LOW.map((i) => [i, (i + 3) % 8, (i + 5) % 8]);
const must = <T>(v: T | undefined): T => {
  if (v === undefined) throw new Error('immediate out of range in a golden row');
  return v;
};

for (const [d, m] of TRIPLES) {
  for (const sh of [1, 17, 31]) rows.push(row(`lsls ${n(d)}, ${n(m)}, #${sh}`, () => E.lslImmT1(r(d), r(m), must(ShiftImm.tryFrom('lsl', sh)))));
  for (const sh of [1, 16, 32]) {
    rows.push(row(`lsrs ${n(d)}, ${n(m)}, #${sh}`, () => E.lsrImmT1(r(d), r(m), must(ShiftImm.tryFrom('lsr', sh)))));
    rows.push(row(`asrs ${n(d)}, ${n(m)}, #${sh}`, () => E.asrImmT1(r(d), r(m), must(ShiftImm.tryFrom('asr', sh)))));
  }
  rows.push(row(`movs ${n(d)}, ${n(m)}`, () => E.movRegT2(r(d), r(m))));
}
for (const [d, a, b] of TRIPLES) {
  rows.push(row(`adds ${n(d)}, ${n(a)}, ${n(b)}`, () => E.addRegT1(r(d), r(a), r(b))));
  rows.push(row(`subs ${n(d)}, ${n(a)}, ${n(b)}`, () => E.subRegT1(r(d), r(a), r(b))));
  for (const v of [0, 1, 7]) {
    rows.push(row(`adds ${n(d)}, ${n(a)}, #${v}`, () => E.addImmT1(r(d), r(a), must(Imm3.tryFrom(v)))));
    rows.push(row(`subs ${n(d)}, ${n(a)}, #${v}`, () => E.subImmT1(r(d), r(a), must(Imm3.tryFrom(v)))));
  }
}
for (const d of LOW) {
  for (const v of [0, 1, 128, 255]) {
    rows.push(row(`movs ${n(d)}, #${v}`, () => E.movImmT1(r(d), must(Imm8.tryFrom(v)))));
    rows.push(row(`cmp ${n(d)}, #${v}`, () => E.cmpImmT1(r(d), must(Imm8.tryFrom(v)))));
    rows.push(row(`adds ${n(d)}, #${v}`, () => E.addImmT2(r(d), must(Imm8.tryFrom(v)))));
    rows.push(row(`subs ${n(d)}, #${v}`, () => E.subImmT2(r(d), must(Imm8.tryFrom(v)))));
  }
}
const TWO: readonly [string, (a: ReturnType<typeof r>, b: ReturnType<typeof r>) => E.Narrow][] = [
  ['ands', E.andRegT1], ['eors', E.eorRegT1], ['lsls', E.lslRegT1], ['lsrs', E.lsrRegT1], ['asrs', E.asrRegT1],
  ['adcs', E.adcRegT1], ['sbcs', E.sbcRegT1], ['rors', E.rorRegT1], ['tst', E.tstRegT1], ['negs', E.rsbImmT1],
  ['cmp', E.cmpRegT1], ['cmn', E.cmnRegT1], ['orrs', E.orrRegT1], ['muls', E.mulT1], ['bics', E.bicRegT1],
  ['mvns', E.mvnRegT1], ['sxth', E.sxthT1], ['sxtb', E.sxtbT1], ['uxth', E.uxthT1], ['uxtb', E.uxtbT1],
  ['rev', E.revT1], ['rev16', E.rev16T1], ['revsh', E.revshT1],
];
for (const [op, f] of TWO) {
  for (const [a, b] of TRIPLES) rows.push(row(`${op} ${n(a)}, ${n(b)}`, () => f(r(a), r(b))));
}
// the high-register forms: every register (but the UNPREDICTABLE pairs) on each side
for (let i = 0; i < 16; i++) {
  const j = (i * 5 + 3) % 16;
  if (j !== 15 || i !== 15) rows.push(row(`add ${n(i)}, ${n(j)}`, () => E.addRegT2(r(i), r(j))));
  rows.push(row(`mov ${n(i)}, ${n(j)}`, () => E.movRegT1(r(i), r(j))));
  rows.push(row(`mov ${n(j)}, ${n(i)}`, () => E.movRegT1(r(j), r(i))));
  const hi = 8 + (i % 7); // r8..r14: a compare of two low registers is T1
  if (i !== 15) rows.push(row(`cmp ${n(i)}, ${n(hi)}`, () => E.cmpRegT2(r(i), r(hi))));
  if (i !== 15) rows.push(row(`cmp ${n(hi)}, ${n(i)}`, () => E.cmpRegT2(r(hi), r(i))));
}
for (const d of LOW) {
  for (const v of [0, 4, 512, 1020]) {
    rows.push(row(`add ${n(d)}, pc, #${v}`, () => E.adrT1(r(d), must(Imm8x4.tryFrom(v)))));
    rows.push(row(`add ${n(d)}, sp, #${v}`, () => E.addSpImmT1(r(d), must(Imm8x4.tryFrom(v)))));
  }
}
for (const v of [0, 4, 256, 508]) {
  rows.push(row(`add sp, #${v}`, () => E.addSpImmT2(must(Imm7x4.tryFrom(v)))));
  rows.push(row(`sub sp, #${v}`, () => E.subSpImmT1(must(Imm7x4.tryFrom(v)))));
}
export const table: Table = { name: 'dp', rows };

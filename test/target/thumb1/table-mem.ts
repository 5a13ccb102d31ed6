/** Golden rows: ARMv6-M loads and stores, every low register in each field, offsets at their limits. */
import * as E from '../../../src/target/thumb1/enc.js';
import { Imm5Scaled, Imm8x4 } from '../../../src/target/thumb2/imm.js';
import { reg, regName, LR, PC } from '../../../src/target/thumb2/regs.js';
import { row, type Row, type Table } from '../thumb2/golden.js';

const r = reg;
const n = (i: number): string => regName(r(i));
const rows: Row[] = [];
const LOW = [0, 1, 2, 3, 4, 5, 6, 7];
const must = <T>(v: T | undefined): T => {
  if (v === undefined) throw new Error('immediate out of range in a golden row');
  return v;
};

const IMM: readonly [string, 1 | 2 | 4, (t: ReturnType<typeof r>, b: ReturnType<typeof r>, i: Imm5Scaled) => E.Narrow][] = [
  ['ldr', 4, E.ldrImmT1], ['str', 4, E.strImmT1], ['ldrb', 1, E.ldrbImmT1], ['strb', 1, E.strbImmT1],
  ['ldrh', 2, E.ldrhImmT1], ['strh', 2, E.strhImmT1],
];
for (const [op, size, f] of IMM) {
  for (const t of LOW) {
    const b = (t + 3) % 8;
    for (const k of [0, 1, 16, 31]) rows.push(row(`${op} ${n(t)}, [${n(b)}, #${k * size}]`, () => f(r(t), r(b), must(Imm5Scaled.tryFrom(k * size, size)))));
  }
}
for (const op of ['str', 'strh', 'strb', 'ldrsb', 'ldr', 'ldrh', 'ldrb', 'ldrsh'] as const) {
  for (const t of LOW) rows.push(row(`${op} ${n(t)}, [${n((t + 2) % 8)}, ${n((t + 5) % 8)}]`, () => E.memRegT1(op, r(t), r((t + 2) % 8), r((t + 5) % 8))));
}
for (const t of LOW) {
  for (const v of [0, 4, 512, 1020]) {
    rows.push(row(`ldr ${n(t)}, [sp, #${v}]`, () => E.ldrImmT2(r(t), must(Imm8x4.tryFrom(v)))));
    rows.push(row(`str ${n(t)}, [sp, #${v}]`, () => E.strImmT2(r(t), must(Imm8x4.tryFrom(v)))));
    rows.push(row(`ldr ${n(t)}, [pc, #${v}]`, () => E.ldrLitT1(r(t), must(Imm8x4.tryFrom(v)))));
  }
}
const list = (regs: number[]): string => `{${regs.map(n).join(', ')}}`;
const LISTS: readonly number[][] = [[0], [7], [0, 1], [4, 5, 6, 7], [1, 3, 5], [0, 1, 2, 3, 4, 5, 6, 7]];
for (const l of LISTS) {
  rows.push(row(`push ${list(l)}`, () => E.pushT1(E.regList(...l.map(r)))));
  rows.push(row(`push ${list([...l, 14])}`, () => E.pushT1(E.regList(...l.map(r), LR))));
  rows.push(row(`pop ${list(l)}`, () => E.popT1(E.regList(...l.map(r)))));
  rows.push(row(`pop ${list([...l, 15])}`, () => E.popT1(E.regList(...l.map(r), PC))));
}
rows.push(row('push {lr}', () => E.pushT1(E.regList(LR))));
rows.push(row('pop {pc}', () => E.popT1(E.regList(PC))));
for (const rn of LOW) {
  // STM always writes back; LDM writes back exactly when rn is not loaded
  const others = LISTS.map((l) => l.filter((x) => x !== rn)).filter((l) => l.length > 0);
  for (const l of others) {
    rows.push(row(`stmia ${n(rn)}!, ${list(l)}`, () => E.stmT1(r(rn), E.regList(...l.map(r)))));
    rows.push(row(`ldmia ${n(rn)}!, ${list(l)}`, () => E.ldmT1(r(rn), E.regList(...l.map(r)))));
  }
  rows.push(row(`ldmia ${n(rn)}, ${list([rn])}`, () => E.ldmT1(r(rn), E.regList(r(rn)))));
}
export const table: Table = { name: 'mem', rows };

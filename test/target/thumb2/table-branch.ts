/** Golden rows: branches (offset encodings at their limits), IT, misc. */
import * as E from '../../../src/target/thumb2/enc/index.js';
import { CONDS, reg, R0, LR, type Cond } from '../../../src/target/thumb2/regs.js';
import { row, type Row, type Table } from './golden.js';

const r = reg;
const rows: Row[] = [];
// `.+N` is relative to the instruction itself; encoders take N - 4 (PC-relative).
const rel = (off: number): string => (off + 4 >= 0 ? `.+${off + 4}` : `.-${-(off + 4)}`);
const CC = CONDS.filter((c) => c !== 'al');

for (const c of CC) {
  for (const off of [-256, 0, 254]) rows.push(row(`b${c}.n ${rel(off)}`, () => E.bCondT1(c, off)));
  for (const off of [-0x100000, -2, 0xffffe, 0x1234]) rows.push(row(`b${c}.w ${rel(off)}`, () => E.bCondT3(c, off)));
}
for (const off of [-2048, -4, 0, 2, 2046]) rows.push(row(`b.n ${rel(off)}`, () => E.bT2(off)));
for (const off of [-0x1000000, -0x800000, -0x400000, -6, 0, 0x400000, 0x800000, 0xfffffe, 0x123456]) {
  rows.push(row(`b.w ${rel(off)}`, () => E.bT4(off)));
  rows.push(row(`bl ${rel(off)}`, () => E.blT1(off)));
}
for (const off of [0, 2, 64, 126]) {
  rows.push(row(`cbz r3, ${rel(off)}`, () => E.cbzT1(r(3), off)));
  rows.push(row(`cbnz r7, ${rel(off)}`, () => E.cbnzT1(r(7), off)));
}
rows.push(row('bx lr', () => E.bxT1(LR)));
rows.push(row('bx r0', () => E.bxT1(R0)));
rows.push(row('blx r12', () => E.blxRegT1(r(12))));
rows.push(row('blx r3', () => E.blxRegT1(r(3))));

// IT: every condition with one slot, and every shape
const inv = (c: Cond): string => CONDS[CONDS.indexOf(c) ^ 1]!;
for (const c of CC) rows.push(row(`it ${c}; mov${c} r0, r1`, () => [E.itT1(c, ''), E.movRegT1(R0, r(1))]));
for (const c of ['eq', 'ne', 'lt', 'gt'] as const) {
  for (const p of ['t', 'e', 'tt', 'te', 'et', 'ee', 'ttt', 'tte', 'tet', 'tee', 'ett', 'ete', 'eet', 'eee']) {
    const body = [...p].map((x) => `mov${x === 't' ? c : inv(c)} r0, r1`).join('; ');
    rows.push(row(`it${p} ${c}; mov${c} r0, r1; ${body}`, () => [E.itT1(c, p), ...Array(p.length + 1).fill(E.movRegT1(R0, r(1)))]));
  }
}
rows.push(row('nop', () => E.nopT1()));
rows.push(row('nop.w', () => E.nopT2()));
for (const v of [0, 1, 255]) {
  rows.push(row(`udf #${v}`, () => E.udfT1(v)));
  rows.push(row(`bkpt ${v}`, () => E.bkptT1(v)));
  rows.push(row(`svc ${v}`, () => E.svcT1(v)));
}
for (const v of [0, 256, 4096, 65535]) rows.push(row(`udf.w #${v}`, () => E.udfT2(v)));
rows.push(row('dmb sy', () => E.dmbT1()));
rows.push(row('dsb sy', () => E.dsbT1()));
rows.push(row('isb sy', () => E.isbT1()));
export const table: Table = { name: 'branch', rows };

/** Golden rows: ARMv6-M branches (offsets at their limits), BL, the system and hint instructions. */
import * as E from '../../../src/target/thumb1/enc.js';
import { CONDS, reg, regName } from '../../../src/target/thumb2/regs.js';
import { row, type Row, type Table } from '../thumb2/golden.js';

const r = reg;
const rows: Row[] = [];
// `.+N` is relative to the instruction itself; encoders take N - 4 (PC-relative).
const rel = (off: number): string => (off + 4 >= 0 ? `.+${off + 4}` : `.-${-(off + 4)}`);

for (const c of CONDS.filter((x) => x !== 'al')) {
  for (const off of [-256, -2, 0, 254, 100]) rows.push(row(`b${c} ${rel(off)}`, () => E.bCondT1(c, off)));
}
for (const off of [-2048, -4, 0, 2, 1000, 2046]) rows.push(row(`b ${rel(off)}`, () => E.bT2(off)));
// GNU as holds v6-M's BL to the ±4 MiB of the old two-halfword BL; the ARMv6-M ARM gives it the J1/J2 bits of
// ±16 MiB, and the same encoder is checked to ±16 MiB in test/target/thumb2's branch table.
for (const off of [-0x400000, -0x200000, -6, 0, 2, 0x200000, 0x3ffffe, 0x123456]) rows.push(row(`bl ${rel(off)}`, () => E.blT1(off)));
for (let i = 0; i < 15; i++) {
  rows.push(row(`bx ${regName(r(i))}`, () => E.bxT1(r(i))));
  rows.push(row(`blx ${regName(r(i))}`, () => E.blxRegT1(r(i))));
}
for (const v of [0, 1, 255]) {
  rows.push(row(`udf #${v}`, () => E.udfT1(v)));
  rows.push(row(`bkpt ${v}`, () => E.bkptT1(v)));
  rows.push(row(`svc ${v}`, () => E.svcT1(v)));
}
rows.push(row('nop', () => E.nopMovR8()));
rows.push(row('yield', () => E.yieldT1()));
rows.push(row('wfe', () => E.wfeT1()));
rows.push(row('wfi', () => E.wfiT1()));
rows.push(row('sev', () => E.sevT1()));
rows.push(row('cpsie i', () => E.cpsieT1()));
rows.push(row('cpsid i', () => E.cpsidT1()));
rows.push(row('dmb sy', () => E.dmbT1()));
rows.push(row('dsb sy', () => E.dsbT1()));
rows.push(row('isb sy', () => E.isbT1()));
// GNU as's names for the SYSm values (MSR to the APSR forms writes their flags: APSR_nzcvq)
const SYS: readonly [string, E.SysReg][] = [
  ['apsr', E.SysReg.apsr], ['iapsr', E.SysReg.iapsr], ['eapsr', E.SysReg.eapsr], ['xpsr', E.SysReg.xpsr],
  ['ipsr', E.SysReg.ipsr], ['epsr', E.SysReg.epsr], ['iepsr', E.SysReg.iepsr], ['msp', E.SysReg.msp],
  ['psp', E.SysReg.psp], ['primask', E.SysReg.primask], ['control', E.SysReg.control],
];
for (const [name, s] of SYS) {
  for (const k of [0, 7, 12]) {
    rows.push(row(`mrs ${regName(r(k))}, ${name}`, () => E.mrsT1(r(k), s)));
    rows.push(row(`msr ${/apsr|xpsr/.test(name) ? `${name}_nzcvq` : name}, ${regName(r(k))}`, () => E.msrT1(s, r(k))));
  }
}
export const table: Table = { name: 'branch', rows };

/**
 * Golden rows: ADR. Its offset is measured from Align(PC,4), so `.+N` only
 * means one encoding at a known alignment: every row here is 4 bytes and the
 * table starts at 0, keeping each row word-aligned.
 */
import * as E from '../../../src/target/thumb2/enc/index.js';
import { Imm12, Imm8x4 } from '../../../src/target/thumb2/imm.js';
import { reg, R0 } from '../../../src/target/thumb2/regs.js';
import { row, type Row, type Table } from './golden.js';

const r = reg;
const rows: Row[] = [
  row('adr.w r9, .+4099', () => E.adrT3(r(9), Imm12.tryFrom(4095)!)),
  row('adr.w r1, .+8', () => E.adrT3(r(1), Imm12.tryFrom(4)!)),
  row('adr.w r2, .-4091', () => E.adrT2(r(2), Imm12.tryFrom(4095)!)),
  row('adr.w r12, .+0', () => E.adrT2(r(12), Imm12.tryFrom(4)!)),
  row('adr r0, .+4; nop', () => [E.adrT1(R0, Imm8x4.tryFrom(0)!), E.nopT1()]),
  row('adr r7, .+1024; nop', () => [E.adrT1(r(7), Imm8x4.tryFrom(1020)!), E.nopT1()]),
  row('adr r3, .+12; nop', () => [E.adrT1(r(3), Imm8x4.tryFrom(8)!), E.nopT1()]),
];

export const table: Table = { name: 'adr', rows };

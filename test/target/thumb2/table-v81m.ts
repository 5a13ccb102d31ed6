/** Golden rows: ARMv8.1-M conditional selects (objdump 2.40 prints them as UNDEFINED; the bytes are GNU as's). */
import * as E from '../../../src/target/thumb2/enc/index.js';
import { CONDS, reg, invertCond, R0, R1, R2 } from '../../../src/target/thumb2/regs.js';
import { row, type Row, type Table } from './golden.js';

const r = reg;
const rows: Row[] = [];
for (const c of CONDS.filter((x) => x !== 'al')) {
  rows.push(row(`csel r0, r1, r2, ${c}`, () => E.cselT1(R0, R1, R2, c)));
  rows.push(row(`cset r3, ${c}`, () => E.csincT1(r(3), 'zr', 'zr', invertCond(c))));
}
for (const [mn, f] of [['csel', E.cselT1], ['csinc', E.csincT1], ['csinv', E.csinvT1], ['csneg', E.csnegT1]] as const) {
  rows.push(row(`${mn} r12, lr, r9, le`, () => f(r(12), r(14), r(9), 'le')));
  rows.push(row(`${mn} r0, zr, r1, eq`, () => f(R0, 'zr', R1, 'eq')));
  rows.push(row(`${mn} r7, r8, zr, hi`, () => f(r(7), r(8), 'zr', 'hi')));
}
rows.push(row('csetm r3, ne', () => E.csinvT1(r(3), 'zr', 'zr', 'eq')));
rows.push(row('cinc r4, r5, gt', () => E.csincT1(r(4), r(5), r(5), 'le')));
rows.push(row('cneg r4, r5, gt', () => E.csnegT1(r(4), r(5), r(5), 'le')));

export const table: Table = { name: 'v81m', rows };

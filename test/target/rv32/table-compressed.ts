/** Golden rows: every RV32C form (RV32IC + RV32FC), spelled as explicit c.* mnemonics. */
import * as E from '../../../src/target/rv32/enc/index.js';
import {
  CAddi16spImm, CAddi4spnImm, CBOff, CImm6, CJOff, CLuiImm, CMemOff, CNzImm6, CShamt, CSpOff,
} from '../../../src/target/rv32/imm.js';
import { fName, freg, xName, xreg } from '../../../src/target/rv32/regs.js';
import { offsetEdges, rel, row, type Row, type Table } from './golden.js';

const rows: Row[] = [];
const x = xreg, f = freg, n = xName;
const must = <T>(v: T | undefined): T => {
  if (v === undefined) throw new Error('test value out of range');
  return v;
};
/** Registers with a 3-bit field (ends and middle), and full-field registers other than x0. */
const CREGS = [x(8), x(12), x(15)];
const NZREGS = [x(1), x(2), x(10), x(31)];
/** Multiples of `align` in [lo, hi] with one bit set, plus the ends: every scattered bit moves once. */
const scaled = (lo: number, hi: number, align: number): number[] => offsetEdges(lo, hi, align).filter((v) => v >= lo);

rows.push(row('c.unimp', () => E.cUnimp()));
for (const rd of CREGS) {
  for (const imm of scaled(4, 1020, 4)) rows.push(row(`c.addi4spn ${n(rd)},sp,${imm}`, () => E.cAddi4spn(rd, must(CAddi4spnImm.tryFrom(imm)))));
}
for (const [a, b] of [[x(8), x(15)], [x(15), x(8)], [x(12), x(10)]] as const) {
  for (const off of scaled(0, 124, 4)) {
    rows.push(row(`c.lw ${n(a)},${off}(${n(b)})`, () => E.cLw(a, b, must(CMemOff.tryFrom(off)))));
    rows.push(row(`c.sw ${n(a)},${off}(${n(b)})`, () => E.cSw(a, b, must(CMemOff.tryFrom(off)))));
    rows.push(row(`c.flw ${fName(f(a))},${off}(${n(b)})`, () => E.cFlw(f(a), b, must(CMemOff.tryFrom(off)))));
    rows.push(row(`c.fsw ${fName(f(a))},${off}(${n(b)})`, () => E.cFsw(f(a), b, must(CMemOff.tryFrom(off)))));
  }
}
rows.push(row('c.nop', () => E.cNop()));
const IMM6 = [-32, -16, -1, 0, 1, 2, 4, 8, 16, 31];
for (const rd of NZREGS) {
  for (const imm of IMM6.filter((v) => v !== 0)) rows.push(row(`c.addi ${n(rd)},${imm}`, () => E.cAddi(rd, must(CNzImm6.tryFrom(imm)))));
  for (const imm of IMM6) rows.push(row(`c.li ${n(rd)},${imm}`, () => E.cLi(rd, must(CImm6.tryFrom(imm)))));
  for (const s of [1, 2, 4, 8, 16, 31]) rows.push(row(`c.slli ${n(rd)},${s}`, () => E.cSlli(rd, must(CShamt.tryFrom(s)))));
  for (const off of scaled(0, 252, 4)) {
    rows.push(row(`c.lwsp ${n(rd)},${off}(sp)`, () => E.cLwsp(rd, must(CSpOff.tryFrom(off)))));
    rows.push(row(`c.swsp ${n(rd)},${off}(sp)`, () => E.cSwsp(rd, must(CSpOff.tryFrom(off)))));
  }
  rows.push(row(`c.jr ${n(rd)}`, () => E.cJr(rd)));
  rows.push(row(`c.jalr ${n(rd)}`, () => E.cJalr(rd)));
  for (const rs2 of NZREGS) {
    rows.push(row(`c.mv ${n(rd)},${n(rs2)}`, () => E.cMv(rd, rs2)));
    rows.push(row(`c.add ${n(rd)},${n(rs2)}`, () => E.cAdd(rd, rs2)));
  }
}
rows.push(row('c.swsp zero,8(sp)', () => E.cSwsp(x(0), must(CSpOff.tryFrom(8)))));
for (const fr of [f(0), f(10), f(31)]) {
  for (const off of [0, 4, 128, 252]) {
    rows.push(row(`c.flwsp ${fName(fr)},${off}(sp)`, () => E.cFlwsp(fr, must(CSpOff.tryFrom(off)))));
    rows.push(row(`c.fswsp ${fName(fr)},${off}(sp)`, () => E.cFswsp(fr, must(CSpOff.tryFrom(off)))));
  }
}
for (const rd of [x(1), x(10), x(31)]) {
  for (const v of [1, 2, 4, 8, 16, 31, 0xfffe0, 0xffff0, 0xfffff]) {
    rows.push(row(`c.lui ${n(rd)},0x${v.toString(16)}`, () => E.cLui(rd, must(CLuiImm.tryFrom(v)))));
  }
}
for (const imm of scaled(-512, 496, 16).filter((v) => v !== 0)) {
  rows.push(row(`c.addi16sp sp,${imm}`, () => E.cAddi16sp(must(CAddi16spImm.tryFrom(imm)))));
}
for (const rd of CREGS) {
  for (const s of [1, 2, 4, 8, 16, 31]) {
    rows.push(row(`c.srli ${n(rd)},${s}`, () => E.cSrli(rd, must(CShamt.tryFrom(s)))));
    rows.push(row(`c.srai ${n(rd)},${s}`, () => E.cSrai(rd, must(CShamt.tryFrom(s)))));
  }
  for (const imm of IMM6) rows.push(row(`c.andi ${n(rd)},${imm}`, () => E.cAndi(rd, must(CImm6.tryFrom(imm)))));
  for (const rs2 of CREGS) {
    for (const op of ['c.sub', 'c.xor', 'c.or', 'c.and'] as const) rows.push(row(`${op} ${n(rd)},${n(rs2)}`, () => E.cAlu(op, rd, rs2)));
  }
  for (const off of offsetEdges(CBOff.lo, CBOff.hi, 2)) {
    rows.push(row(`c.beqz ${n(rd)},${rel(off)}`, () => E.cBeqz(rd, must(CBOff.tryFrom(off)))));
    rows.push(row(`c.bnez ${n(rd)},${rel(off)}`, () => E.cBnez(rd, must(CBOff.tryFrom(off)))));
  }
}
for (const off of offsetEdges(CJOff.lo, CJOff.hi, 2)) {
  rows.push(row(`c.j ${rel(off)}`, () => E.cJ(must(CJOff.tryFrom(off)))));
  rows.push(row(`c.jal ${rel(off)}`, () => E.cJal(must(CJOff.tryFrom(off)))));
}
rows.push(row('c.ebreak', () => E.cEbreak()));

export const table: Table = { name: 'compressed', rvc: true, rows };

/** Golden rows: RV32I, Zicsr/Zifencei, M and the A word forms (uncompressed, .option norvc). */
import * as E from '../../../src/target/rv32/enc/index.js';
import { BOff, CsrNum, JOff, Shamt, SImm12, UImm20, UImm5 } from '../../../src/target/rv32/imm.js';
import { BRANCH_CONDS, type XReg, xName, xreg } from '../../../src/target/rv32/regs.js';
import { offsetEdges, rel, row, type Row, type Table } from './golden.js';

const x = xreg;
const n = xName;
const rows: Row[] = [];
const must = <T>(v: T | undefined): T => {
  if (v === undefined) throw new Error('test value out of range');
  return v;
};
/** Register triples that put every field at 0, 31 and a middle value. */
const TRIPLES: readonly (readonly [XReg, XReg, XReg])[] = [
  [x(0), x(0), x(0)], [x(31), x(31), x(31)], [x(1), x(2), x(3)], [x(10), x(11), x(12)], [x(16), x(31), x(0)], [x(31), x(0), x(15)],
];
const PAIRS = TRIPLES.map(([a, b]) => [a, b] as const);
const IMM12 = [-2048, -1024, -1, 0, 1, 0x555, 1024, 2047];

for (const [rd] of TRIPLES) {
  for (const f of [0, 1, 0x7ffff, 0x80000, 0xaaaaa, 0xfffff]) {
    rows.push(row(`lui ${n(rd)},0x${f.toString(16)}`, () => E.lui(rd, must(UImm20.tryFrom(f)))));
    rows.push(row(`auipc ${n(rd)},0x${f.toString(16)}`, () => E.auipc(rd, must(UImm20.tryFrom(f)))));
  }
}
for (const rd of [x(0), x(1), x(31)]) {
  for (const off of offsetEdges(JOff.lo, JOff.hi, 2)) rows.push(row(`jal ${n(rd)},${rel(off)}`, () => E.jal(rd, must(JOff.tryFrom(off)))));
}
for (const [rd, rs1] of PAIRS) {
  for (const imm of IMM12) rows.push(row(`jalr ${n(rd)},${imm}(${n(rs1)})`, () => E.jalr(rd, rs1, must(SImm12.tryFrom(imm)))));
}
for (const c of BRANCH_CONDS) {
  for (const [a, b] of PAIRS) rows.push(row(`b${c} ${n(a)},${n(b)},.+8`, () => E.branch(c, a, b, must(BOff.tryFrom(8)))));
  for (const off of offsetEdges(BOff.lo, BOff.hi, 2)) rows.push(row(`b${c} a0,a1,${rel(off)}`, () => E.branch(c, x(10), x(11), must(BOff.tryFrom(off)))));
}
for (const k of ['lb', 'lh', 'lw', 'lbu', 'lhu'] as const) {
  for (const [rd, rs1] of PAIRS) rows.push(row(`${k} ${n(rd)},4(${n(rs1)})`, () => E.load(k, rd, rs1, must(SImm12.tryFrom(4)))));
  for (const imm of IMM12) rows.push(row(`${k} a0,${imm}(sp)`, () => E.load(k, x(10), x(2), must(SImm12.tryFrom(imm)))));
}
for (const k of ['sb', 'sh', 'sw'] as const) {
  for (const [rs2, rs1] of PAIRS) rows.push(row(`${k} ${n(rs2)},4(${n(rs1)})`, () => E.store(k, rs2, rs1, must(SImm12.tryFrom(4)))));
  for (const imm of IMM12) rows.push(row(`${k} a0,${imm}(sp)`, () => E.store(k, x(10), x(2), must(SImm12.tryFrom(imm)))));
}
for (const op of ['addi', 'slti', 'sltiu', 'xori', 'ori', 'andi'] as const) {
  for (const [rd, rs1] of PAIRS) rows.push(row(`${op} ${n(rd)},${n(rs1)},5`, () => E.aluImm(op, rd, rs1, must(SImm12.tryFrom(5)))));
  for (const imm of IMM12) rows.push(row(`${op} a0,a1,${imm}`, () => E.aluImm(op, x(10), x(11), must(SImm12.tryFrom(imm)))));
}
for (const op of ['slli', 'srli', 'srai'] as const) {
  for (const [rd, rs1] of PAIRS) rows.push(row(`${op} ${n(rd)},${n(rs1)},7`, () => E.shiftImm(op, rd, rs1, must(Shamt.tryFrom(7)))));
  for (const s of [0, 1, 16, 31]) rows.push(row(`${op} a0,a1,${s}`, () => E.shiftImm(op, x(10), x(11), must(Shamt.tryFrom(s)))));
}
const ALU_OPS = ['add', 'sub', 'sll', 'slt', 'sltu', 'xor', 'srl', 'sra', 'or', 'and',
  'mul', 'mulh', 'mulhsu', 'mulhu', 'div', 'divu', 'rem', 'remu'] as const;
for (const op of ALU_OPS) {
  for (const [rd, rs1, rs2] of TRIPLES) rows.push(row(`${op} ${n(rd)},${n(rs1)},${n(rs2)}`, () => E.alu(op, rd, rs1, rs2)));
}

// A: every ordering of each form.
const ORDERS = [['', false, false], ['.aq', true, false], ['.rl', false, true], ['.aqrl', true, true]] as const;
for (const [sfx, aq, rl] of ORDERS) {
  const o = { aq, rl };
  for (const [rd, rs1] of PAIRS) rows.push(row(`lr.w${sfx} ${n(rd)},(${n(rs1)})`, () => E.lrW(rd, rs1, o)));
  for (const [rd, rs2, rs1] of TRIPLES) {
    rows.push(row(`sc.w${sfx} ${n(rd)},${n(rs2)},(${n(rs1)})`, () => E.scW(rd, rs2, rs1, o)));
    for (const op of ['amoswap.w', 'amoadd.w', 'amoxor.w', 'amoand.w', 'amoor.w'] as const) {
      rows.push(row(`${op}${sfx} ${n(rd)},${n(rs2)},(${n(rs1)})`, () => E.amoW(op, rd, rs2, rs1, o)));
    }
  }
}

rows.push(row('ecall', () => E.ecall()));
rows.push(row('ebreak', () => E.ebreak()));
rows.push(row('mret', () => E.mret()));
rows.push(row('wfi', () => E.wfi()));
rows.push(row('unimp', () => E.unimp()));
for (const op of ['csrrw', 'csrrs', 'csrrc'] as const) {
  for (const c of [0, 0x300, 0x7c0, 0xb00, 0xc02, 0xfff]) {
    for (const [rd, rs1] of [[x(10), x(11)], [x(0), x(31)], [x(31), x(0)]] as const) {
      rows.push(row(`${op} ${n(rd)},0x${c.toString(16)},${n(rs1)}`, () => E.csr(op, rd, must(CsrNum.tryFrom(c)), rs1)));
    }
    for (const u of [0, 1, 31]) rows.push(row(`${op}i a0,0x${c.toString(16)},${u}`, () => E.csrImm(op, x(10), must(CsrNum.tryFrom(c)), must(UImm5.tryFrom(u)))));
  }
}
const SET = (s: number): string => ['i', 'o', 'r', 'w'].filter((_c, i) => s & (8 >> i)).join('');
for (let p = 1; p <= 15; p++) {
  rows.push(row(`fence ${SET(p)},iorw`, () => E.fence(p, 15)));
  rows.push(row(`fence iorw,${SET(p)}`, () => E.fence(15, p)));
}
rows.push(row('fence.i', () => E.fenceI()));

export const table: Table = { name: 'base', rvc: false, rows };

/**
 * Golden rows: the compressed-form choice. Each row is a 32-bit mnemonic that
 * GNU as, with C enabled, compresses whenever some RVC form holds it; our
 * thunk is `tryC.<op>(...) ?? <32-bit encoder>`, so a row fails both when
 * compress.ts misses a compression GNU makes and when it makes one GNU would not.
 */
import * as E from '../../../src/target/rv32/enc/index.js';
import { tryC } from '../../../src/target/rv32/compress.js';
import { Shamt, SImm12, UImm20 } from '../../../src/target/rv32/imm.js';
import { type XReg, fName, freg, xName, xreg } from '../../../src/target/rv32/regs.js';
import { row, type Row, type Table } from './golden.js';

const rows: Row[] = [];
const x = xreg, f = freg, n = xName;
const must = <T>(v: T | undefined): T => {
  if (v === undefined) throw new Error('test value out of range');
  return v;
};
const REGS = [x(0), x(1), x(2), x(8), x(10), x(15), x(16), x(31)];

for (const rd of REGS) {
  for (const rs1 of REGS) {
    for (const imm of [-2048, -512, -33, -32, -16, -1, 0, 1, 4, 16, 31, 32, 496, 508, 512, 1020, 1024, 2047]) {
      rows.push(row(`addi ${n(rd)},${n(rs1)},${imm}`, () => tryC.addi(rd, rs1, imm) ?? E.addi(rd, rs1, must(SImm12.tryFrom(imm)))));
    }
    for (const rs2 of [x(0), x(1), x(8), x(10), x(31)]) {
      // GNU as compresses `add rd,zero,rs` to c.mv but leaves `add rd,rs,zero` alone; we compress both, so
      // the row hands GNU the commuted (same) operation. The 32-bit fallback is the commuted form as well.
      const swap = rs2 === 0 && rs1 !== 0;
      const [a, b] = swap ? [rs2, rs1] : [rs1, rs2];
      rows.push(row(`add ${n(rd)},${n(a)},${n(b)}`, () => tryC.add(rd, rs1, rs2) ?? E.alu('add', rd, a, b)));
    }
  }
}
const CR: readonly XReg[] = [x(8), x(9), x(15), x(16), x(1)];
for (const op of ['sub', 'xor', 'or', 'and'] as const) {
  for (const rd of CR) for (const rs1 of CR) for (const rs2 of CR) {
    rows.push(row(`${op} ${n(rd)},${n(rs1)},${n(rs2)}`, () => tryC.alu(op, rd, rs1, rs2) ?? E.alu(op, rd, rs1, rs2)));
  }
}
for (const rd of CR) for (const rs1 of CR) {
  for (const imm of [-33, -32, 0, 31, 32]) {
    rows.push(row(`andi ${n(rd)},${n(rs1)},${imm}`, () => tryC.andi(rd, rs1, imm) ?? E.aluImm('andi', rd, rs1, must(SImm12.tryFrom(imm)))));
  }
}
for (const op of ['slli', 'srli', 'srai'] as const) {
  for (const rd of [x(0), x(1), x(8), x(15), x(31)]) for (const rs1 of [rd, x(9)]) {
    for (const s of [0, 1, 31]) {
      rows.push(row(`${op} ${n(rd)},${n(rs1)},${s}`, () => tryC.shiftImm(op, rd, rs1, s) ?? E.shiftImm(op, rd, rs1, must(Shamt.tryFrom(s)))));
    }
  }
}
for (const rd of [x(0), x(1), x(2), x(10), x(31)]) {
  for (const v of [0, 1, 31, 32, 0x7ffff, 0xfffdf, 0xfffe0, 0xfffff]) {
    rows.push(row(`lui ${n(rd)},0x${v.toString(16)}`, () => tryC.lui(rd, v) ?? E.lui(rd, must(UImm20.tryFrom(v)))));
  }
}
for (const rd of [x(0), x(1), x(8), x(15), x(16)]) for (const rs1 of [x(2), x(8), x(15), x(16)]) {
  for (const off of [-4, 0, 2, 4, 124, 128, 252, 256]) {
    rows.push(row(`lw ${n(rd)},${off}(${n(rs1)})`, () => tryC.lw(rd, rs1, off) ?? E.load('lw', rd, rs1, must(SImm12.tryFrom(off)))));
    rows.push(row(`sw ${n(rd)},${off}(${n(rs1)})`, () => tryC.sw(rd, rs1, off) ?? E.store('sw', rd, rs1, must(SImm12.tryFrom(off)))));
    const fr = f(rd);
    rows.push(row(`flw ${fName(fr)},${off}(${n(rs1)})`, () => tryC.flw(fr, rs1, off) ?? E.flw(fr, rs1, must(SImm12.tryFrom(off)))));
    rows.push(row(`fsw ${fName(fr)},${off}(${n(rs1)})`, () => tryC.fsw(fr, rs1, off) ?? E.fsw(fr, rs1, must(SImm12.tryFrom(off)))));
  }
}
for (const rd of [x(0), x(1), x(5)]) for (const rs1 of [x(0), x(1), x(10)]) {
  for (const imm of [0, 4]) {
    // GNU as compresses only the alias spellings `jr rs` and `jalr rs`, not `jalr rd,0(rs)`.
    const alias = imm === 0 && rs1 !== 0 && (rd === 0 || rd === 1);
    const text = alias ? `${rd === 0 ? 'jr' : 'jalr'} ${n(rs1)}` : `jalr ${n(rd)},${imm}(${n(rs1)})`;
    rows.push(row(text, () => tryC.jalr(rd, rs1, imm) ?? E.jalr(rd, rs1, must(SImm12.tryFrom(imm)))));
  }
}
rows.push(row('ebreak', () => tryC.ebreak()));

export const table: Table = { name: 'auto', rvc: true, rows };

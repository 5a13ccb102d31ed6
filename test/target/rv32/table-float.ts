/** Golden rows: F (single precision), uncompressed. */
import * as E from '../../../src/target/rv32/enc/index.js';
import { SImm12 } from '../../../src/target/rv32/imm.js';
import { type FReg, ROUNDING_MODES, type XReg, fName, freg, xName, xreg } from '../../../src/target/rv32/regs.js';
import { row, type Row, type Table } from './golden.js';

const rows: Row[] = [];
const f = freg, x = xreg;
const must = <T>(v: T | undefined): T => {
  if (v === undefined) throw new Error('test value out of range');
  return v;
};
const FQ: readonly (readonly [FReg, FReg, FReg, FReg])[] = [
  [f(0), f(0), f(0), f(0)], [f(31), f(31), f(31), f(31)], [f(10), f(11), f(12), f(13)], [f(1), f(31), f(16), f(8)],
];
const XF: readonly (readonly [XReg, FReg])[] = [[x(10), f(10)], [x(0), f(31)], [x(31), f(0)], [x(1), f(15)]];
/** Rounding-mode suffixes: none (GNU as assumes dyn) and every explicit mode. */
const RMS = [['', 'dyn'], ...ROUNDING_MODES.map((m) => [`,${m}`, m] as const)] as const;

for (const imm of [-2048, -1, 0, 4, 2047]) {
  for (const [rs1, fr] of XF) {
    rows.push(row(`flw ${fName(fr)},${imm}(${xName(rs1)})`, () => E.flw(fr, rs1, must(SImm12.tryFrom(imm)))));
    rows.push(row(`fsw ${fName(fr)},${imm}(${xName(rs1)})`, () => E.fsw(fr, rs1, must(SImm12.tryFrom(imm)))));
  }
}
for (const op of ['fadd.s', 'fsub.s', 'fmul.s', 'fdiv.s'] as const) {
  for (const [d, a, b] of FQ) rows.push(row(`${op} ${fName(d)},${fName(a)},${fName(b)}`, () => E.fArith(op, d, a, b)));
  for (const [sfx, rm] of RMS) rows.push(row(`${op} fa0,fa1,fa2${sfx}`, () => E.fArith(op, f(10), f(11), f(12), rm)));
}
for (const [d, a] of FQ) rows.push(row(`fsqrt.s ${fName(d)},${fName(a)}`, () => E.fsqrtS(d, a)));
for (const [sfx, rm] of RMS) rows.push(row(`fsqrt.s fa0,fa1${sfx}`, () => E.fsqrtS(f(10), f(11), rm)));
for (const op of ['fmadd.s', 'fmsub.s', 'fnmsub.s', 'fnmadd.s'] as const) {
  for (const [d, a, b, c] of FQ) rows.push(row(`${op} ${fName(d)},${fName(a)},${fName(b)},${fName(c)}`, () => E.fFused(op, d, a, b, c)));
  for (const [sfx, rm] of RMS) rows.push(row(`${op} fa0,fa1,fa2,fa3${sfx}`, () => E.fFused(op, f(10), f(11), f(12), f(13), rm)));
}
for (const op of ['fsgnj.s', 'fsgnjn.s', 'fsgnjx.s', 'fmin.s', 'fmax.s'] as const) {
  for (const [d, a, b] of FQ) rows.push(row(`${op} ${fName(d)},${fName(a)},${fName(b)}`, () => E.fBinary(op, d, a, b)));
}
for (const op of ['feq.s', 'flt.s', 'fle.s'] as const) {
  for (const [rd, fr] of XF) rows.push(row(`${op} ${xName(rd)},${fName(fr)},fa1`, () => E.fCmp(op, rd, fr, f(11))));
  rows.push(row(`${op} a0,fa1,ft11`, () => E.fCmp(op, x(10), f(11), f(31))));
}
for (const u of [false, true]) {
  const w = u ? 'wu' : 'w';
  for (const [rd, fr] of XF) {
    rows.push(row(`fcvt.${w}.s ${xName(rd)},${fName(fr)},rtz`, () => E.fcvtWS(rd, fr, u, 'rtz')));
    rows.push(row(`fcvt.s.${w} ${fName(fr)},${xName(rd)}`, () => E.fcvtSW(fr, rd, u)));
  }
  for (const [sfx, rm] of RMS) {
    rows.push(row(`fcvt.${w}.s a0,fa0${sfx}`, () => E.fcvtWS(x(10), f(10), u, rm)));
    rows.push(row(`fcvt.s.${w} fa0,a0${sfx}`, () => E.fcvtSW(f(10), x(10), u, rm)));
  }
}
for (const [rd, fr] of XF) {
  rows.push(row(`fmv.x.w ${xName(rd)},${fName(fr)}`, () => E.fmvXW(rd, fr)));
  rows.push(row(`fmv.w.x ${fName(fr)},${xName(rd)}`, () => E.fmvWX(fr, rd)));
  rows.push(row(`fclass.s ${xName(rd)},${fName(fr)}`, () => E.fclassS(rd, fr)));
}

export const table: Table = { name: 'float', rvc: false, rows };

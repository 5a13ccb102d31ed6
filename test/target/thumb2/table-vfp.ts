/** Golden rows: FPv5 single and double precision, and the ARMv8 additions. */
import * as E from '../../../src/target/thumb2/enc/index.js';
import { SImm8x4, VfpImm } from '../../../src/target/thumb2/imm.js';
import { reg, sreg, dreg, SP, PC } from '../../../src/target/thumb2/regs.js';
import { row, type Row, type Table } from './golden.js';

const r = reg, s = sreg, d = dreg;
const o = (v: number): SImm8x4 => SImm8x4.tryFrom(v)!;
const rows: Row[] = [];
// register triples that exercise every D/N/M bit and field
const S3 = [[0, 1, 2], [31, 30, 29], [1, 16, 15], [14, 3, 31]] as const;
const D3 = [[0, 1, 2], [15, 14, 13], [7, 8, 9]] as const;

for (const off of [0, 4, 1020, -4, -1020]) {
  rows.push(row(`vldr s1, [r0, #${off}]`, () => E.vldrS(s(1), r(0), o(off))));
  rows.push(row(`vstr s30, [sp, #${off}]`, () => E.vstrS(s(30), SP, o(off))));
  rows.push(row(`vldr d15, [r12, #${off}]`, () => E.vldrD(d(15), r(12), o(off))));
  rows.push(row(`vstr d3, [r7, #${off}]`, () => E.vstrD(d(3), r(7), o(off))));
  rows.push(row(`vldr s2, [pc, #${off}]`, () => E.vldrS(s(2), PC, o(off))));
  rows.push(row(`vldr d1, [pc, #${off}]`, () => E.vldrD(d(1), PC, o(off))));
}
for (const [sn, rt] of [[0, 0], [31, 12], [17, 14], [6, 7]] as const) {
  rows.push(row(`vmov s${sn}, r${rt === 14 ? 'lr' : rt}`.replace('rlr', 'lr'), () => E.vmovCoreToS(s(sn), r(rt))));
  rows.push(row(`vmov r${rt}, s${sn}`.replace('r14', 'lr'), () => E.vmovSToCore(r(rt), s(sn))));
}
for (const [dm, rt, rt2] of [[0, 0, 1], [15, 12, 14], [9, 2, 7]] as const) {
  const n = (x: number): string => (x === 14 ? 'lr' : `r${x}`);
  rows.push(row(`vmov d${dm}, ${n(rt)}, ${n(rt2)}`, () => E.vmovCoresToD(d(dm), r(rt), r(rt2))));
  rows.push(row(`vmov ${n(rt)}, ${n(rt2)}, d${dm}`, () => E.vmovDToCores(r(rt), r(rt2), d(dm))));
}
for (const [a, b] of [[0, 1], [31, 16], [7, 30]] as const) rows.push(row(`vmov.f32 s${a}, s${b}`, () => E.vmovF32(s(a), s(b))));
for (const [a, b] of [[0, 1], [15, 8], [7, 14]] as const) rows.push(row(`vmov.f64 d${a}, d${b}`, () => E.vmovF64(d(a), d(b))));
for (const v of [1.0, -1.0, 0.5, 2.0, 31.0, 0.125, -0.1875, 1.9375, 0.1328125, 3.0]) {
  rows.push(row(`vmov.f32 s${(v * 8) & 31}, #${v}`, () => E.vmovImmF32(s((v * 8) & 31), VfpImm.tryFromF32(v)!)));
  rows.push(row(`vmov.f64 d${(v * 8) & 15}, #${v}`, () => E.vmovImmF64(d((v * 8) & 15), VfpImm.tryFromF64(v)!)));
}
const ar3: [string, (a: never, b: never, c: never) => E.Wide, (a: never, b: never, c: never) => E.Wide][] = [
  ['vadd', E.vaddF32, E.vaddF64], ['vsub', E.vsubF32, E.vsubF64], ['vmul', E.vmulF32, E.vmulF64], ['vdiv', E.vdivF32, E.vdivF64],
  ['vmaxnm', E.vmaxnmF32, E.vmaxnmF64], ['vminnm', E.vminnmF32, E.vminnmF64],
];
for (const [mn, f32, f64] of ar3) {
  for (const [a, b, c] of S3) rows.push(row(`${mn}.f32 s${a}, s${b}, s${c}`, () => (f32 as unknown as typeof E.vaddF32)(s(a), s(b), s(c))));
  for (const [a, b, c] of D3) rows.push(row(`${mn}.f64 d${a}, d${b}, d${c}`, () => (f64 as unknown as typeof E.vaddF64)(d(a), d(b), d(c))));
}
const ar2 = [
  ['vneg', E.vnegF32, E.vnegF64], ['vabs', E.vabsF32, E.vabsF64], ['vsqrt', E.vsqrtF32, E.vsqrtF64],
  ['vcmp', E.vcmpF32, E.vcmpF64], ['vcmpe', E.vcmpeF32, E.vcmpeF64],
] as const;
for (const [mn, f32, f64] of ar2) {
  for (const [a, b] of [[0, 1], [31, 16], [5, 30]] as const) rows.push(row(`${mn}.f32 s${a}, s${b}`, () => f32(s(a), s(b))));
  for (const [a, b] of [[0, 1], [15, 8]] as const) rows.push(row(`${mn}.f64 d${a}, d${b}`, () => f64(d(a), d(b))));
}
for (const x of [0, 17]) {
  rows.push(row(`vcmp.f32 s${x}, #0`, () => E.vcmpZeroF32(s(x))));
  rows.push(row(`vcmpe.f32 s${x}, #0`, () => E.vcmpeZeroF32(s(x))));
}
for (const x of [0, 13]) {
  rows.push(row(`vcmp.f64 d${x}, #0`, () => E.vcmpZeroF64(d(x))));
  rows.push(row(`vcmpe.f64 d${x}, #0`, () => E.vcmpeZeroF64(d(x))));
}
rows.push(row('vmrs APSR_nzcv, fpscr', () => E.vmrsApsrNzcv()));
rows.push(row('vmrs r3, fpscr', () => E.vmrsFpscr(r(3))));
rows.push(row('vmsr fpscr, r12', () => E.vmsrFpscr(r(12))));
for (const [a, b] of [[0, 1], [15, 31], [8, 6]] as const) {
  rows.push(row(`vcvt.f64.f32 d${a}, s${b}`, () => E.vcvtF64F32(d(a), s(b))));
  rows.push(row(`vcvt.f32.f64 s${b}, d${a}`, () => E.vcvtF32F64(s(b), d(a))));
  rows.push(row(`vcvt.s32.f64 s${b}, d${a}`, () => E.vcvtS32F64(s(b), d(a))));
  rows.push(row(`vcvtr.s32.f64 s${b}, d${a}`, () => E.vcvtS32F64(s(b), d(a), false)));
  rows.push(row(`vcvt.u32.f64 s${b}, d${a}`, () => E.vcvtU32F64(s(b), d(a))));
  rows.push(row(`vcvtr.u32.f64 s${b}, d${a}`, () => E.vcvtU32F64(s(b), d(a), false)));
  rows.push(row(`vcvt.f64.s32 d${a}, s${b}`, () => E.vcvtF64S32(d(a), s(b))));
  rows.push(row(`vcvt.f64.u32 d${a}, s${b}`, () => E.vcvtF64U32(d(a), s(b))));
}
for (const [a, b] of [[0, 1], [31, 30], [9, 18]] as const) {
  rows.push(row(`vcvt.s32.f32 s${a}, s${b}`, () => E.vcvtS32F32(s(a), s(b))));
  rows.push(row(`vcvtr.s32.f32 s${a}, s${b}`, () => E.vcvtS32F32(s(a), s(b), false)));
  rows.push(row(`vcvt.u32.f32 s${a}, s${b}`, () => E.vcvtU32F32(s(a), s(b))));
  rows.push(row(`vcvtr.u32.f32 s${a}, s${b}`, () => E.vcvtU32F32(s(a), s(b), false)));
  rows.push(row(`vcvt.f32.s32 s${a}, s${b}`, () => E.vcvtF32S32(s(a), s(b))));
  rows.push(row(`vcvt.f32.u32 s${a}, s${b}`, () => E.vcvtF32U32(s(a), s(b))));
}
for (const m of ['a', 'n', 'p', 'm', 'z', 'r', 'x'] as const) {
  rows.push(row(`vrint${m}.f32 s0, s1`, () => E.vrintF32(m, s(0), s(1))));
  rows.push(row(`vrint${m}.f32 s31, s14`, () => E.vrintF32(m, s(31), s(14))));
  rows.push(row(`vrint${m}.f64 d0, d1`, () => E.vrintF64(m, d(0), d(1))));
  rows.push(row(`vrint${m}.f64 d15, d9`, () => E.vrintF64(m, d(15), d(9))));
}
for (const c of ['eq', 'vs', 'ge', 'gt'] as const) {
  rows.push(row(`vsel${c}.f32 s0, s1, s2`, () => E.vselF32(c, s(0), s(1), s(2))));
  rows.push(row(`vsel${c}.f32 s31, s16, s3`, () => E.vselF32(c, s(31), s(16), s(3))));
  rows.push(row(`vsel${c}.f64 d0, d1, d2`, () => E.vselF64(c, d(0), d(1), d(2))));
  rows.push(row(`vsel${c}.f64 d15, d8, d3`, () => E.vselF64(c, d(15), d(8), d(3))));
}
rows.push(row('vpush {s16}', () => E.vpushS(s(16), 1)));
rows.push(row('vpush {s16-s31}', () => E.vpushS(s(16), 16)));
rows.push(row('vpop {s1-s3}', () => E.vpopS(s(1), 3)));
rows.push(row('vpush {d8-d15}', () => E.vpushD(d(8), 8)));
rows.push(row('vpop {d8-d15}', () => E.vpopD(d(8), 8)));
rows.push(row('vpop {d0}', () => E.vpopD(d(0), 1)));
rows.push(row('vpush {d0-d15}', () => E.vpushD(d(0), 16)));

export const table: Table = { name: 'vfp', rows };

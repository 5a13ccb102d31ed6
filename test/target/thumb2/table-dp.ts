/** Golden rows: data processing (narrow and wide). */
import * as E from '../../../src/target/thumb2/enc/index.js';
import { Imm12, Imm16, Imm3, Imm7x4, Imm8, Imm8x4, ModImm, ShiftImm, type ShiftType } from '../../../src/target/thumb2/imm.js';
import { reg, regName, type Reg, SP } from '../../../src/target/thumb2/regs.js';
import { row, type Row, type Table } from './golden.js';

const r = reg;
const n = (x: Reg): string => regName(x);
const mod = (v: number): ModImm => ModImm.tryFrom(v)!;
const sh = (t: ShiftType, a: number): ShiftImm => ShiftImm.tryFrom(t, a)!;
const rows: Row[] = [];

// 16-bit shifts, add/sub/mov/cmp immediates
for (const [a, d, m] of [[1, 0, 1], [31, 7, 7], [5, 3, 4]] as const) {
  rows.push(row(`lsls ${n(r(d))}, ${n(r(m))}, #${a}`, () => E.lslImmT1(r(d), r(m), sh('lsl', a))));
}
for (const a of [1, 16, 32]) {
  rows.push(row(`lsrs r1, r2, #${a}`, () => E.lsrImmT1(r(1), r(2), sh('lsr', a))));
  rows.push(row(`asrs r7, r0, #${a}`, () => E.asrImmT1(r(7), r(0), sh('asr', a))));
}
rows.push(row('movs r3, r4', () => E.movRegT2(r(3), r(4))));
rows.push(row('adds r0, r1, r2', () => E.addRegT1(r(0), r(1), r(2))));
rows.push(row('adds r7, r7, r7', () => E.addRegT1(r(7), r(7), r(7))));
rows.push(row('subs r5, r6, r7', () => E.subRegT1(r(5), r(6), r(7))));
for (const v of [0, 1, 7]) {
  rows.push(row(`adds r1, r2, #${v}`, () => E.addImmT1(r(1), r(2), Imm3.tryFrom(v)!)));
  rows.push(row(`subs r6, r0, #${v}`, () => E.subImmT1(r(6), r(0), Imm3.tryFrom(v)!)));
}
for (const v of [0, 1, 128, 255]) {
  rows.push(row(`movs r2, #${v}`, () => E.movImmT1(r(2), Imm8.tryFrom(v)!)));
  rows.push(row(`cmp r7, #${v}`, () => E.cmpImmT1(r(7), Imm8.tryFrom(v)!)));
  rows.push(row(`adds r3, #${v}`, () => E.addImmT2(r(3), Imm8.tryFrom(v)!)));
  rows.push(row(`subs r4, #${v}`, () => E.subImmT2(r(4), Imm8.tryFrom(v)!)));
}
// 16-bit data processing (register)
const dp16: [string, (a: Reg, b: Reg) => E.Narrow][] = [
  ['ands', E.andRegT1], ['eors', E.eorRegT1], ['lsls', E.lslRegT1], ['lsrs', E.lsrRegT1], ['asrs', E.asrRegT1],
  ['adcs', E.adcRegT1], ['sbcs', E.sbcRegT1], ['rors', E.rorRegT1], ['orrs', E.orrRegT1], ['bics', E.bicRegT1],
];
for (const [mn, f] of dp16) {
  rows.push(row(`${mn} r0, r7`, () => f(r(0), r(7))));
  rows.push(row(`${mn} r5, r2`, () => f(r(5), r(2))));
}
rows.push(row('tst r1, r6', () => E.tstRegT1(r(1), r(6))));
rows.push(row('rsbs r2, r3, #0', () => E.rsbImmT1(r(2), r(3))));
rows.push(row('cmp r4, r5', () => E.cmpRegT1(r(4), r(5))));
rows.push(row('cmn r6, r7', () => E.cmnRegT1(r(6), r(7))));
rows.push(row('muls r3, r1, r3', () => E.mulT1(r(3), r(1))));
rows.push(row('mvns r0, r7', () => E.mvnRegT1(r(0), r(7))));
// 16-bit high-register forms
rows.push(row('add r8, r1', () => E.addRegT2(r(8), r(1))));
rows.push(row('add r1, r12', () => E.addRegT2(r(1), r(12))));
rows.push(row('add sp, r4', () => E.addRegT2(SP, r(4))));
rows.push(row('add r2, sp', () => E.addRegT2(r(2), SP)));
rows.push(row('cmp r8, r1', () => E.cmpRegT2(r(8), r(1))));
rows.push(row('cmp r0, lr', () => E.cmpRegT2(r(0), r(14))));
for (const [d, m] of [[0, 1], [8, 9], [13, 12], [14, 0], [7, 11], [0, 15]] as const) {
  rows.push(row(`mov ${n(r(d))}, ${n(r(m))}`, () => E.movRegT1(r(d), r(m))));
}
// SP/PC-relative
for (const v of [0, 4, 1020]) {
  rows.push(row(`add r3, sp, #${v}`, () => E.addSpImmT1(r(3), Imm8x4.tryFrom(v)!)));
}
for (const v of [0, 8, 508]) {
  rows.push(row(`add sp, #${v}`, () => E.addSpImmT2(Imm7x4.tryFrom(v)!)));
  rows.push(row(`sub sp, #${v}`, () => E.subSpImmT1(Imm7x4.tryFrom(v)!)));
}
// extends and reverses
for (const [mn, f] of [['sxth', E.sxthT1], ['sxtb', E.sxtbT1], ['uxth', E.uxthT1], ['uxtb', E.uxtbT1], ['rev', E.revT1], ['rev16', E.rev16T1], ['revsh', E.revshT1]] as const) {
  rows.push(row(`${mn} r1, r6`, () => f(r(1), r(6))));
}

// 32-bit modified immediates: each ThumbExpandImm shape, and edge values
const MODS = [0, 1, 255, 0x00ab00ab, 0xab00ab00, 0xabababab, 0x80000000, 0xff000000, 0x3fc00, 0x1fe, 0x7f800000, 0x00000100, 0xffffffff];
for (const v of MODS) {
  const t = `#${v >>> 0}`;
  rows.push(row(`add.w r0, r1, ${t}`, () => E.addImmT3(r(0), r(1), mod(v))));
  rows.push(row(`subs.w r9, r10, ${t}`, () => E.subImmT3(r(9), r(10), mod(v), true)));
  rows.push(row(`mov.w r11, ${t}`, () => E.movImmT2(r(11), mod(v))));
}
const modOps: [string, (d: Reg, s: Reg, m: ModImm, f?: boolean) => E.Wide][] = [
  ['and', E.andImmT1], ['bic', E.bicImmT1], ['orr', E.orrImmT1], ['orn', E.ornImmT1], ['eor', E.eorImmT1],
  ['adc', E.adcImmT1], ['sbc', E.sbcImmT1], ['rsb', E.rsbImmT2],
];
for (const [mn, f] of modOps) {
  rows.push(row(`${mn} r2, r3, #255`, () => f(r(2), r(3), mod(255))));
  rows.push(row(`${mn}s r12, lr, #-16777216`, () => f(r(12), r(14), mod(0xff000000), true)));
}
rows.push(row('add.w sp, sp, #1024', () => E.addImmT3(SP, SP, mod(1024))));
rows.push(row('sub.w r0, sp, #256', () => E.subImmT3(r(0), SP, mod(256))));
rows.push(row('movs.w r0, #65280', () => E.movImmT2(r(0), mod(0xff00), true)));
rows.push(row('mvn r5, #0', () => E.mvnImmT1(r(5), mod(0))));
rows.push(row('mvns r8, #1073741824', () => E.mvnImmT1(r(8), mod(0x40000000), true)));
rows.push(row('tst.w r1, #1', () => E.tstImmT1(r(1), mod(1))));
rows.push(row('teq r10, #16711935', () => E.teqImmT1(r(10), mod(0x00ff00ff))));
rows.push(row('cmn.w r4, #1', () => E.cmnImmT1(r(4), mod(1))));
rows.push(row('cmp.w r12, #2147483648', () => E.cmpImmT2(r(12), mod(0x80000000))));
rows.push(row('cmp.w sp, #8', () => E.cmpImmT2(SP, mod(8))));
// plain 12/16-bit immediates
for (const v of [0, 1, 255, 256, 2048, 4095]) {
  rows.push(row(`addw r1, r2, #${v}`, () => E.addImmT4(r(1), r(2), Imm12.tryFrom(v)!)));
  rows.push(row(`subw r11, r0, #${v}`, () => E.subImmT4(r(11), r(0), Imm12.tryFrom(v)!)));
}
rows.push(row('addw sp, sp, #4095', () => E.addImmT4(SP, SP, Imm12.tryFrom(4095)!)));
rows.push(row('subw r3, sp, #1', () => E.subImmT4(r(3), SP, Imm12.tryFrom(1)!)));
for (const v of [0, 1, 0xff, 0x100, 0x800, 0x1000, 0x8000, 0xabcd, 0xffff]) {
  rows.push(row(`movw r${v % 13}, #${v}`, () => E.movwT3(r(v % 13), Imm16.tryFrom(v)!)));
  rows.push(row(`movt lr, #${v}`, () => E.movtT1(r(14), Imm16.tryFrom(v)!)));
}
// bitfields
for (const [lsb, w] of [[0, 1], [0, 32], [31, 1], [8, 8], [5, 13]] as const) {
  rows.push(row(`bfi r0, r9, #${lsb}, #${w}`, () => E.bfiT1(r(0), r(9), lsb, w)));
  rows.push(row(`bfc r12, #${lsb}, #${w}`, () => E.bfcT1(r(12), lsb, w)));
  rows.push(row(`ubfx r3, r4, #${lsb}, #${w}`, () => E.ubfxT1(r(3), r(4), lsb, w)));
  rows.push(row(`sbfx lr, r1, #${lsb}, #${w}`, () => E.sbfxT1(r(14), r(1), lsb, w)));
}

// 32-bit shifted-register forms
const regOps: [string, (d: Reg, s: Reg, m: Reg, h?: ShiftImm, f?: boolean) => E.Wide][] = [
  ['and', E.andRegT2], ['bic', E.bicRegT2], ['orr', E.orrRegT2], ['orn', E.ornRegT1], ['eor', E.eorRegT2],
  ['add', E.addRegT3], ['adc', E.adcRegT2], ['sbc', E.sbcRegT2], ['sub', E.subRegT2], ['rsb', E.rsbRegT1],
];
for (const [mn, f] of regOps) {
  rows.push(row(`${mn}.w r0, r1, r2`, () => f(r(0), r(1), r(2))));
  rows.push(row(`${mn}s.w r8, r9, r10, lsl #31`, () => f(r(8), r(9), r(10), sh('lsl', 31), true)));
  rows.push(row(`${mn} r11, r12, lr, lsr #32`, () => f(r(11), r(12), r(14), sh('lsr', 32))));
  rows.push(row(`${mn} r1, r2, r3, asr #1`, () => f(r(1), r(2), r(3), sh('asr', 1))));
  rows.push(row(`${mn} r4, r5, r6, ror #7`, () => f(r(4), r(5), r(6), sh('ror', 7))));
}
rows.push(row('add.w sp, sp, r4', () => E.addRegT3(SP, SP, r(4))));
rows.push(row('sub.w r0, sp, r1, lsl #2', () => E.subRegT2(r(0), SP, r(1), sh('lsl', 2))));
rows.push(row('mov.w r0, r1', () => E.movRegT3(r(0), r(1))));
rows.push(row('movs.w r10, r11', () => E.movRegT3(r(10), r(11), true)));
rows.push(row('mov.w sp, r12', () => E.movRegT3(SP, r(12))));
rows.push(row('mvn.w r2, r9', () => E.mvnRegT2(r(2), r(9))));
rows.push(row('mvns.w r2, r9, asr #3', () => E.mvnRegT2(r(2), r(9), sh('asr', 3), true)));
rows.push(row('tst.w r9, r1', () => E.tstRegT2(r(9), r(1))));
rows.push(row('teq.w r2, r3, lsl #4', () => E.teqRegT1(r(2), r(3), sh('lsl', 4))));
rows.push(row('cmn.w r0, r12', () => E.cmnRegT2(r(0), r(12))));
rows.push(row('cmp.w r8, r9, lsr #8', () => E.cmpRegT3(r(8), r(9), sh('lsr', 8))));
rows.push(row('cmp.w sp, r0', () => E.cmpRegT3(SP, r(0))));
for (const a of [1, 31]) {
  rows.push(row(`lsl.w r0, r9, #${a}`, () => E.lslImmT2(r(0), r(9), sh('lsl', a))));
  rows.push(row(`lsrs.w r10, r1, #${a}`, () => E.lsrImmT2(r(10), r(1), sh('lsr', a), true)));
  rows.push(row(`asr.w r2, r2, #${a}`, () => E.asrImmT2(r(2), r(2), sh('asr', a))));
  rows.push(row(`ror r3, r12, #${a}`, () => E.rorImmT1(r(3), r(12), sh('ror', a))));
}
rows.push(row('lsr.w r0, r1, #32', () => E.lsrImmT2(r(0), r(1), sh('lsr', 32))));
rows.push(row('asrs.w r0, r1, #32', () => E.asrImmT2(r(0), r(1), sh('asr', 32), true)));
rows.push(row('rrx r4, r5', () => E.rrxT1(r(4), r(5))));
rows.push(row('rrxs r12, lr', () => E.rrxT1(r(12), r(14), true)));
for (const [mn, f] of [['lsl', E.lslRegT2], ['lsr', E.lsrRegT2], ['asr', E.asrRegT2], ['ror', E.rorRegT2]] as const) {
  rows.push(row(`${mn}.w r0, r1, r2`, () => f(r(0), r(1), r(2))));
  rows.push(row(`${mn}s.w r12, lr, r8`, () => f(r(12), r(14), r(8), true)));
}
for (const [mn, f] of [['sxth', E.sxthT2], ['uxth', E.uxthT2], ['sxtb', E.sxtbT2], ['uxtb', E.uxtbT2]] as const) {
  rows.push(row(`${mn}.w r9, r2`, () => f(r(9), r(2))));
  rows.push(row(`${mn}.w r1, r12, ror #8`, () => f(r(1), r(12), 8)));
  rows.push(row(`${mn}.w r1, r2, ror #24`, () => f(r(1), r(2), 24)));
}
for (const [mn, f] of [['rev.w', E.revT2], ['rev16.w', E.rev16T2], ['rbit', E.rbitT1], ['revsh.w', E.revshT2], ['clz', E.clzT1]] as const) {
  rows.push(row(`${mn} r0, r1`, () => f(r(0), r(1))));
  rows.push(row(`${mn} r12, lr`, () => f(r(12), r(14))));
}
// multiply and divide
rows.push(row('mul.w r0, r1, r2', () => E.mulT2(r(0), r(1), r(2))));
rows.push(row('mul r12, lr, r9', () => E.mulT2(r(12), r(14), r(9))));
rows.push(row('mla r0, r1, r2, r3', () => E.mlaT1(r(0), r(1), r(2), r(3))));
rows.push(row('mls r12, r11, r10, r9', () => E.mlsT1(r(12), r(11), r(10), r(9))));
for (const [mn, f] of [['smull', E.smullT1], ['umull', E.umullT1], ['smlal', E.smlalT1], ['umlal', E.umlalT1]] as const) {
  rows.push(row(`${mn} r0, r1, r2, r3`, () => f(r(0), r(1), r(2), r(3))));
  rows.push(row(`${mn} r12, lr, r8, r9`, () => f(r(12), r(14), r(8), r(9))));
}
rows.push(row('sdiv r0, r1, r2', () => E.sdivT1(r(0), r(1), r(2))));
rows.push(row('udiv lr, r12, r11', () => E.udivT1(r(14), r(12), r(11))));

export const table: Table = { name: 'dp', rows };

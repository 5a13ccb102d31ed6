/** Golden rows: loads and stores, multiple registers, table branches. */
import * as E from '../../../src/target/thumb2/enc/index.js';
import type { MemOp } from '../../../src/target/thumb2/enc/index.js';
import { Imm12, Imm5Scaled, Imm8x4, SImm12, SImm8, SImm8x4 } from '../../../src/target/thumb2/imm.js';
import { reg, regName, type Reg, SP, PC, LR } from '../../../src/target/thumb2/regs.js';
import { row, type Row, type Table } from './golden.js';

const r = reg;
const n = (x: Reg): string => regName(x);
const rows: Row[] = [];
const ALL: MemOp[] = ['ldr', 'ldrb', 'ldrh', 'ldrsb', 'ldrsh', 'str', 'strb', 'strh'];

// 16-bit immediate offsets: 0, one unit, max
const t1: [MemOp, 1 | 2 | 4, (t: Reg, b: Reg, i: Imm5Scaled) => E.Narrow][] = [
  ['ldr', 4, E.ldrImmT1], ['str', 4, E.strImmT1], ['ldrb', 1, E.ldrbImmT1], ['strb', 1, E.strbImmT1], ['ldrh', 2, E.ldrhImmT1], ['strh', 2, E.strhImmT1],
];
for (const [op, size, f] of t1) {
  for (const v of [0, size, 31 * size]) {
    rows.push(row(`${op} r1, [r6, #${v}]`, () => f(r(1), r(6), Imm5Scaled.tryFrom(v, size)!)));
  }
}
for (const op of ALL) rows.push(row(`${op} r2, [r3, r7]`, () => E.memRegT1(op, r(2), r(3), r(7))));
for (const v of [0, 4, 1020]) {
  rows.push(row(`ldr r5, [sp, #${v}]`, () => E.ldrImmT2(r(5), Imm8x4.tryFrom(v)!)));
  rows.push(row(`str r0, [sp, #${v}]`, () => E.strImmT2(r(0), Imm8x4.tryFrom(v)!)));
}
rows.push(row('ldr r7, [pc, #0]', () => E.ldrLitT1(r(7), Imm8x4.tryFrom(0)!)));
rows.push(row('ldr r0, [pc, #1020]', () => E.ldrLitT1(r(0), Imm8x4.tryFrom(1020)!)));

// 32-bit: imm12, negative imm8, pre/post index, register with shift
for (const op of ALL) {
  for (const v of [0, 1, 4095]) {
    rows.push(row(`${op}.w r9, [r10, #${v}]`, () => E.memImm12(op, r(9), r(10), Imm12.tryFrom(v)!)));
  }
  rows.push(row(`${op}.w r1, [sp, #256]`, () => E.memImm12(op, r(1), SP, Imm12.tryFrom(256)!)));
  for (const v of [-1, -255]) {
    rows.push(row(`${op} r2, [r12, #${v}]`, () => E.memImm8(op, r(2), r(12), SImm8.tryFrom(v)!, 'offset')));
  }
  for (const v of [255, -8]) {
    rows.push(row(`${op} r3, [r4, #${v}]!`, () => E.memImm8(op, r(3), r(4), SImm8.tryFrom(v)!, 'pre')));
    rows.push(row(`${op} lr, [r0], #${v}`, () => E.memImm8(op, LR, r(0), SImm8.tryFrom(v)!, 'post')));
  }
  for (const s of [0, 1, 2, 3]) {
    rows.push(row(`${op}.w r8, [r9, r10, lsl #${s}]`, () => E.memRegT2(op, r(8), r(9), r(10), s)));
  }
}
rows.push(row('ldr.w r0, [sp, #4]', () => E.ldrImmT3(r(0), SP, Imm12.tryFrom(4)!)));
rows.push(row('str.w r8, [sp, #-4]!', () => E.strImmT4(r(8), SP, SImm8.tryFrom(-4)!, 'pre')));
rows.push(row('ldr.w pc, [r0, #8]', () => E.ldrImmT3(PC, r(0), Imm12.tryFrom(8)!)));
rows.push(row('ldrb.w r1, [r2, #7]', () => E.ldrbImmT2(r(1), r(2), Imm12.tryFrom(7)!)));
rows.push(row('ldrsh r1, [r2, #-2]', () => E.ldrshImmT2(r(1), r(2), SImm8.tryFrom(-2)!, 'offset')));
rows.push(row('strh r1, [r2], #2', () => E.strhImmT3(r(1), r(2), SImm8.tryFrom(2)!, 'post')));
for (const v of [0, 1, 4095, -1, -4095]) {
  rows.push(row(`ldr.w r${Math.abs(v) % 13}, [pc, #${v === 0 ? '-0' : v}]`, () => E.ldrLitT2(r(Math.abs(v) % 13), SImm12.tryFrom(v)!)));
}
rows.push(row('ldr.w r0, [pc, #0]', () => E.ldrLitT2(r(0), SImm12.tryFrom(0)!)));

// doubleword
for (const v of [0, 4, 1020, -4, -1020]) {
  rows.push(row(`ldrd r0, r1, [r2, #${v}]`, () => E.ldrdImmT1(r(0), r(1), r(2), SImm8x4.tryFrom(v)!)));
  rows.push(row(`strd r10, r11, [sp, #${v}]`, () => E.strdImmT1(r(10), r(11), SP, SImm8x4.tryFrom(v)!)));
}
rows.push(row('ldrd r4, r5, [r6, #8]!', () => E.ldrdImmT1(r(4), r(5), r(6), SImm8x4.tryFrom(8)!, 'pre')));
rows.push(row('strd r4, r5, [r6], #-16', () => E.strdImmT1(r(4), r(5), r(6), SImm8x4.tryFrom(-16)!, 'post')));
rows.push(row('ldrd r2, r3, [pc, #-8]', () => E.ldrdLitT1(r(2), r(3), SImm8x4.tryFrom(-8)!)));
rows.push(row('ldrd r2, r3, [pc, #16]', () => E.ldrdLitT1(r(2), r(3), SImm8x4.tryFrom(16)!)));

// multiple registers
const L = E.regList;
rows.push(row('push {r0}', () => E.pushT1(L(r(0)))));
rows.push(row('push {r4, r5, r6, r7, lr}', () => E.pushT1(L(r(4), r(5), r(6), r(7), LR))));
rows.push(row('push {lr}', () => E.pushT1(L(LR))));
rows.push(row('pop {r0, r1, r2, r3, r4, r5, r6, r7, pc}', () => E.popT1(0x80ff)));
rows.push(row('pop {pc}', () => E.popT1(L(PC))));
rows.push(row('push.w {r4, r5, r6, r7, r8, r9, r10, r11, lr}', () => E.pushT2(L(r(4), r(5), r(6), r(7), r(8), r(9), r(10), r(11), LR))));
rows.push(row('push.w {r0, r12}', () => E.pushT2(L(r(0), r(12)))));
rows.push(row('pop.w {r4, r5, r6, r7, r8, r9, r10, r11, pc}', () => E.popT2(L(r(4), r(5), r(6), r(7), r(8), r(9), r(10), r(11), PC))));
rows.push(row('pop.w {r1, lr}', () => E.popT2(L(r(1), LR))));
rows.push(row('push.w {r8}', () => E.pushT3(r(8))));
rows.push(row('pop.w {r11}', () => E.popT3(r(11))));
rows.push(row('ldm r0!, {r1, r2}', () => E.ldmT1(r(0), L(r(1), r(2)))));
rows.push(row('ldm r3, {r0, r3}', () => E.ldmT1(r(3), L(r(0), r(3)))));
rows.push(row('stmia r7!, {r0, r1, r2, r3, r4, r5, r6}', () => E.stmT1(r(7), 0x7f)));
rows.push(row('ldmia.w r9, {r0, r1, lr}', () => E.ldmT2(r(9), L(r(0), r(1), LR), false)));
rows.push(row('ldmia.w r9!, {r0, r1, pc}', () => E.ldmT2(r(9), L(r(0), r(1), PC), true)));
rows.push(row('stmia.w r12!, {r0, r1, r2, lr}', () => E.stmT2(r(12), L(r(0), r(1), r(2), LR), true)));
rows.push(row('stmia.w r8, {r0, r9}', () => E.stmT2(r(8), L(r(0), r(9)), false)));
rows.push(row('ldmdb r0!, {r1, r2}', () => E.ldmdbT1(r(0), L(r(1), r(2)), true)));
rows.push(row('stmdb r1, {r2, r3}', () => E.stmdbT1(r(1), L(r(2), r(3)), false)));

// table branches
rows.push(row('tbb [pc, r0]', () => E.tbbT1(PC, r(0))));
rows.push(row('tbb [r1, r12]', () => E.tbbT1(r(1), r(12))));
rows.push(row('tbh [pc, r2, lsl #1]', () => E.tbhT1(PC, r(2))));
rows.push(row('tbh [r9, lr, lsl #1]', () => E.tbhT1(r(9), LR)));
void n;

export const table: Table = { name: 'mem', rows };

/**
 * The select layer picks the same (shortest) encoding GNU as picks for the
 * equivalent unified-syntax text, honouring the flag mode and IT state.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Thumb2Assembler, imm, type BinOp } from '../../../src/target/thumb2/select.js';
import { R0, R1, R2, R3, R8, R9, R12, SP, LR, reg } from '../../../src/target/thumb2/regs.js';
import { regList } from '../../../src/target/thumb2/enc/mem.js';
import { InternalError } from '../../../src/errors.js';
import { assembleBytes, haveBinutils } from './golden.js';

type Case = [string, (a: Thumb2Assembler) => void];
const bin = (op: BinOp, ...args: Parameters<Thumb2Assembler['binop']> extends [BinOp, ...infer R] ? R : never): ((a: Thumb2Assembler) => void) =>
  (a) => a.binop(op, ...args);

const CASES: Case[] = [
  ['adds r0, r1, #1', (a) => a.add(R0, R1, imm(1))],
  ['adds r0, #200', (a) => a.add(R0, R0, imm(200))],
  ['add r0, r1, #1', (a) => a.add(R0, R1, imm(1), 'keep')],
  ['add r0, r1, #1000', (a) => a.add(R0, R1, imm(1000))],
  ['addw r0, r1, #4095', (a) => a.add(R0, R1, imm(4095))],
  ['sub r0, r1, #8', (a) => a.add(R0, R1, imm(-8))],
  ['subs r2, #8', (a) => a.add(R2, R2, imm(-8))],
  ['add r8, r8, #1', (a) => a.add(R8, R8, imm(1))],
  ['add sp, #16', (a) => a.add(SP, SP, imm(16))],
  ['sub sp, sp, #1024', (a) => a.sub(SP, SP, imm(1024))],
  ['add r2, sp, #12', (a) => a.add(R2, SP, imm(12))],
  ['movw ip, #0x2345; movt ip, #1; add r0, r1, ip', (a) => a.add(R0, R1, imm(0x12345), 'any', R12)],
  ['adds r0, r1, r2', (a) => a.add(R0, R1, R2)],
  ['add.w r0, r1, r2', (a) => a.add(R0, R1, R2, 'keep')],
  ['add r8, r1', (a) => a.add(R8, R8, R1)],
  ['add r0, r9', (a) => a.add(R0, R9, R0, 'keep')],
  ['add sp, r2', (a) => a.add(SP, SP, R2)],
  ['add r3, sp', (a) => a.add(R3, SP, R3)],
  ['adds r0, r1, #1', (a) => a.add(R0, R1, imm(1), 'set')],
  ['adds r8, r1, #1', (a) => a.add(R8, R1, imm(1), 'set')],
  ['subs r3, #255', (a) => a.sub(R3, R3, imm(255))],
  ['subs r0, r1, r2', (a) => a.sub(R0, R1, R2)],
  ['sub r0, r1, r2', (a) => a.sub(R0, R1, R2, 'keep')],
  ['ands r0, r1', bin('and', R0, R0, R1)],
  ['ands r0, r1', bin('and', R0, R1, R0)],
  ['and r0, r1, r2', bin('and', R0, R1, R2)],
  ['uxth r0, r1', bin('and', R0, R1, imm(0xffff))],
  ['uxtb r1, r2', bin('and', R1, R2, imm(0xff), 'keep')],
  ['and r9, r1, #255', bin('and', R9, R1, imm(0xff))],
  ['bic r0, r1, #255', bin('and', R0, R1, imm(0xffffff00))],
  ['orn r0, r1, #255', bin('orr', R0, R1, imm(0xffffff00))],
  ['orrs r0, r1, #1', bin('orr', R0, R1, imm(1), 'set')],
  ['movw ip, #0x2345; movt ip, #1; eor r0, r1, ip', bin('eor', R0, R1, imm(0x12345), 'any', R12)],
  ['sbc r0, r1, #255', bin('adc', R0, R1, imm(0xffffff00))],
  ['rsbs r0, r1, #0', bin('rsb', R0, R1, imm(0))],
  ['rsb r0, r1, #100', bin('rsb', R0, R1, imm(100))],
  ['orn r0, r1, r2', bin('orn', R0, R1, R2)],
  ['cmp r0, #0', (a) => a.cmp(R0, imm(0))],
  ['cmp r8, #1', (a) => a.cmp(R8, imm(1))],
  ['cmp r0, #-1', (a) => a.cmp(R0, imm(-1))],
  ['cmn r0, #256', (a) => a.cmp(R0, imm(-256))],
  ['movw ip, #0x1235; cmp r0, ip', (a) => a.cmp(R0, imm(0x1235), R12)],
  ['cmp r0, r8', (a) => a.cmp(R0, R8)],
  ['cmp r0, r1', (a) => a.cmp(R0, R1)],
  ['tst r0, #1', (a) => a.tst(R0, imm(1))],
  ['tst r0, r1', (a) => a.tst(R0, R1)],
  ['cmn r2, r3', (a) => a.cmn(R2, R3)],
  ['movs r0, #0', (a) => a.mov32(R0, 0)],
  ['mov.w r0, #0', (a) => a.mov32(R0, 0, 'keep')],
  ['mov.w r0, #65280', (a) => a.mov32(R0, 0xff00)],
  ['mov.w r0, #-1', (a) => a.mov32(R0, -1)],
  ['mvn r0, #15', (a) => a.mov32(R0, 0xfffffff0)],
  ['movw r0, #0x1234', (a) => a.mov32(R0, 0x1234)],
  ['movw r0, #0x5678; movt r0, #0x1234', (a) => a.mov32(R0, 0x12345678)],
  ['mov.w r8, #5', (a) => a.mov32(R8, 5)],
  ['mov r0, r1', (a) => a.mov(R0, R1)],
  ['movs r0, r1', (a) => a.mov(R0, R1, 'set')],
  ['movs.w r8, r1', (a) => a.mov(R8, R1, 'set')],
  ['mov sp, ip', (a) => a.mov(SP, R12)],
  ['mvns r0, r1', (a) => a.mvn(R0, R1)],
  ['negs r0, r1', (a) => a.neg(R0, R1)],
  ['rsb r9, r1, #0', (a) => a.neg(R9, R1)],
  ['lsls r0, r1, #3', (a) => a.shift('lsl', R0, R1, imm(3))],
  ['lsl.w r0, r1, #3', (a) => a.shift('lsl', R0, R1, imm(3), 'keep')],
  ['ror r0, r1, #3', (a) => a.shift('ror', R0, R1, imm(3))],
  ['lsrs r0, r2', (a) => a.shift('lsr', R0, R0, R2)],
  ['asr.w r0, r1, r2', (a) => a.shift('asr', R0, R1, R2)],
  ['lsrs r0, r1, #32', (a) => a.shift('lsr', R0, R1, imm(32))],
  ['muls r0, r1, r0', (a) => a.mul(R0, R1, R0)],
  ['mul r0, r1, r2', (a) => a.mul(R0, R1, R2)],
  ['sxtb r0, r1', (a) => a.sxtb(R0, R1)],
  ['sxth.w r8, r1', (a) => a.sxth(R8, R1)],
  ['rev r0, r1', (a) => a.rev(R0, R1)],
  ['ldr r0, [r1, #4]', (a) => a.mem('ldr', R0, R1, 4)],
  ['ldr r0, [sp, #8]', (a) => a.load('ldr', R0, SP, 8)],
  ['ldr.w r8, [r1, #4]', (a) => a.load('ldr', R8, R1, 4)],
  ['ldrsb.w r0, [r1]', (a) => a.load('ldrsb', R0, R1, 0)],
  ['ldr r0, [r1, #-4]', (a) => a.load('ldr', R0, R1, -4)],
  ['ldrh r0, [r1, #62]', (a) => a.load('ldrh', R0, R1, 62)],
  ['ldrh.w r0, [r1, #64]', (a) => a.load('ldrh', R0, R1, 64)],
  ['ldrb.w r0, [r1, #63]', (a) => a.load('ldrb', R0, R1, 63)],
  ['movw ip, #0x2345; movt ip, #1; str r0, [r1, ip]', (a) => a.store('str', R0, R1, 0x12345, R12)],
  ['mov.w ip, #4096; strb r0, [r1, ip]', (a) => a.store('strb', R0, R1, 4096, R12)],
  ['strh.w r9, [r0, #4094]', (a) => a.store('strh', R9, R0, 4094)],
  ['ldr r0, [r1, r2]', (a) => a.memReg('ldr', R0, R1, R2)],
  ['ldr.w r0, [r1, r2, lsl #2]', (a) => a.memReg('ldr', R0, R1, R2, 2)],
  ['ldr r0, [r1], #4', (a) => a.memIndexed('ldr', R0, R1, 4, 'post')],
  ['ldrd r0, r1, [r2, #8]', (a) => a.memDual(true, R0, R1, R2, 8)],
  ['add.w ip, r2, #2048; strd r0, r1, [ip]', (a) => a.memDual(false, R0, R1, R2, 2048, R12)],
  ['push {r4, lr}', (a) => a.push(regList(reg(4), LR))],
  ['push {r4-r11, lr}', (a) => a.push(0x4ff0)],
  ['push {r8}', (a) => a.push(regList(R8))],
  ['pop {r4, pc}', (a) => a.pop(regList(reg(4), reg(15)))],
  ['pop {r4-r11, pc}', (a) => a.pop(0x8ff0)],
  ['it eq; addeq r0, #1', (a) => { a.it('eq'); a.add(R0, R0, imm(1), 'keep'); }],
  ['ite ne; movne r0, #1; moveq r0, #0', (a) => { a.it('ne', 'e'); a.mov32(R0, 1); a.mov32(R0, 0); }],
  ['it eq; addseq r0, r1, r2', (a) => { a.it('eq'); a.add(R0, R1, R2, 'set'); }],
  ['it gt; movgt r8, r0', (a) => { a.it('gt'); a.mov(R8, R0); }],
  ['vmov.f32 s0, #1.0', (a) => a.vmovConstS(0 as never, 0x3f800000)],
  ['vldr s3, [r0, #-8]', (a) => a.vmem(true, { s: 3 as never }, R0, -8)],
  ['add.w ip, r0, #2048; vstr d2, [ip]', (a) => a.vmem(false, { d: 2 as never }, R0, 2048, R12)],
];

test('select layer picks the encoding GNU as picks', (ctx) => {
  if (!haveBinutils()) return ctx.skip('arm-none-eabi-as not installed');
  const ours: Uint8Array[] = CASES.map(([, f]) => {
    const a = new Thumb2Assembler();
    f(a);
    return a.finish().code;
  });
  const gnu = assembleBytes(CASES.map(([t]) => t.split(';').map((s) => `\t${s.trim()}`).join('\n')).join('\n'));
  let at = 0;
  CASES.forEach(([t], i) => {
    const mine = Buffer.from(ours[i]!).toString('hex');
    const theirs = Buffer.from(gnu.subarray(at, at + ours[i]!.length)).toString('hex');
    assert.equal(mine, theirs, t);
    at += ours[i]!.length;
  });
  assert.equal(at, gnu.length);
});

test('select layer refuses what it cannot encode instead of guessing', () => {
  const a = new Thumb2Assembler();
  assert.throws(() => a.add(R0, R1, imm(0x12345)), InternalError);
  assert.throws(() => a.load('ldr', R0, R1, 5000), InternalError);
  assert.throws(() => a.mov32(R0, 0x12345678, 'set'), InternalError);
  assert.throws(() => { a.it('eq'); a.maybeIsland(); a.bcond('ne', a.newLabel()); }, InternalError);
});

test('multi-instruction expansions are refused inside an IT block', () => {
  const a = new Thumb2Assembler();
  a.it('eq', 't');
  assert.throws(() => a.mov32(R0, 0x12345678), InternalError);
  assert.throws(() => a.add(R0, R1, imm(0x12345), 'any', R12), InternalError);
  assert.throws(() => a.load('ldr', R0, R1, 0x12345, R12), InternalError);
  a.mov32(R0, 0x1234); // one MOVW: fine
  a.add(R0, R1, imm(1)); // narrow, no flags inside IT
  assert.equal(a.inItBlock, false);
});

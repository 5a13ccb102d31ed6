/**
 * The ARMv6-M assembler and macro-assembler against GNU as: a program that
 * uses every sequence (frames with high registers, constants, the literal
 * pool and its island, branches of each kind, runtime calls, trap stubs, the
 * stack and bounds checks, 64-bit arithmetic) must give exactly the bytes
 * GNU as gives for the same program written out by hand with
 * -march=armv6s-m, which also refuses any instruction that is not ARMv6-M.
 * What the sequences compute is checked on the micro:bit (test/boards/thumb1.test.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Thumb1Assembler, constSteps } from '../../../src/target/thumb1/asm.js';
import { Thumb1Masm, layoutFrame } from '../../../src/target/thumb1/masm.js';
import { LR, R0, R1, R2, R3, R4, R5, R6, R7, R8, R9, R10, reg } from '../../../src/target/thumb2/regs.js';
import * as E from '../../../src/target/thumb1/enc.js';
import { V6M_AS_FLAGS, assembleBytes, disassembleRaw, haveBinutils } from '../thumb2/golden.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** Where the two differ, objdump's view of both (a readable failure). */
function diff(ours: Uint8Array, gnu: Uint8Array): string {
  const a = disassembleRaw(ours), b = disassembleRaw(gnu);
  const out: string[] = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i], y = b[i];
    if (x?.hex !== y?.hex) out.push(`@${(x ?? y)!.at.toString(16)}: ours ${x?.hex} ${x?.text} | gnu ${y?.hex} ${y?.text}`);
    if (out.length > 40) break;
  }
  return out.join('\n');
}

test('constSteps picks one or two instructions exactly where they build the value', () => {
  assert.deepEqual(constSteps(255), { kind: 'movs', imm: 255 });
  assert.deepEqual(constSteps(0xffffff00), { kind: 'mvns', imm: 255 });
  assert.deepEqual(constSteps(0x80000000), { kind: 'lsls', imm: 128, shift: 24 });
  assert.deepEqual(constSteps(0x3fc00), { kind: 'lsls', imm: 255, shift: 10 });
  assert.deepEqual(constSteps(301), { kind: 'adds', imm: 255, add: 46 });
  assert.deepEqual(constSteps(300), { kind: 'lsls', imm: 150, shift: 1 });
  assert.equal(constSteps(0x12345678), undefined);
  assert.equal(constSteps(0x1001), undefined);
});

test('the v6-M masm program gives GNU as\'s bytes', (ctx) => {
  if (!haveBinutils()) return ctx.skip('arm-none-eabi-as/objdump not installed');
  const a = new Thumb1Assembler();
  const m = new Thumb1Masm(a);
  const leaf = a.newLabel();
  const frame = layoutFrame({ low: [R4, R5], high: [R8, R9, R10], lr: true, locals: 600 });
  m.prologue(frame);
  m.stackCheck(R8, R3);
  for (const [r, v] of [[R0, 0], [R1, 255], [R2, 0xffffff00], [R3, -2], [R4, 0x80000000], [R5, 301], [R6, 0x12345678], [R7, 0x3fc00]] as const) a.mov32(r, v);
  m.callSymbol(3, R8, R2);
  a.bl(leaf);
  m.boundsCheck(R1, R9, 4, R8);
  a.load('w', R0, R1, 124);
  a.load('sb', R2, R1, 3);
  a.store('h', R2, R1, 300, R3);
  m.boundsCheckExact(R1, 4100, R8, R2, R3);
  m.add64(R0, R1, R2, R3, R4, R5);
  m.sub64(R6, R7, R2, R3, R4, R5);
  const out = a.newLabel();
  m.branch64('lt', R0, R1, R2, R3, out, R6);
  m.branch64('hi', R0, R1, R2, R3, out, R6);
  m.branch64('eq', R0, R1, R2, R3, out);
  m.branch64('ge', R0, R1, R2, R3, out);
  m.sub64(R6, R5, R2, R3, R4, R5);
  a.addImm(R0, R1, -7);
  a.addImm(R0, R0, 200);
  a.addImm(R0, R1, 1000, R2);
  a.bind(out);
  m.epilogue(frame);
  a.flushIsland();
  a.bind(leaf);
  a.lrSaved = false;
  const leafFrame = layoutFrame({ low: [], high: [], lr: false, locals: 8 });
  m.prologue(leafFrame);
  a.mov(R0, reg(10));
  m.epilogue(leafFrame);
  const ours = a.finish().code;

  const gnu = assembleBytes(`
  push {r4, r5, lr}
  mov r4, r8
  mov r5, r9
  push {r4, r5}
  mov r4, r10
  push {r4}
  ldr r4, L_m600
  add sp, r4
  mov r3, r8
  ldr r3, [r3, #40]
  cmp sp, r3
  bcc T10
  movs r0, #0
  movs r1, #255
  movs r2, #255
  mvns r2, r2
  movs r3, #1
  mvns r3, r3
  movs r4, #128
  lsls r4, r4, #24
  movs r5, #255
  adds r5, #46
  ldr r6, L_12345678
  movs r7, #255
  lsls r7, r7, #10
  mov r2, r8
  ldr r2, [r2]
  ldr r2, [r2, #12]
  blx r2
  bl leaf
  cmp r1, r9
  bcs S0
R0_:
  ldr r0, [r1, #124]
  movs r2, #3
  ldrsb r2, [r1, r2]
  movs r3, #150
  lsls r3, r3, #1
  strh r2, [r1, r3]
  ldr r2, L_4100
  adds r2, r2, r1
  bcs T2
  mov r3, r8
  ldr r3, [r3, #4]
  ldr r3, [r3, #4]
  cmp r2, r3
  bhi T2
  adds r0, r2, r4
  mov r1, r3
  adcs r1, r5
  subs r6, r2, r4
  mov r7, r3
  sbcs r7, r5
  mov r6, r1
  cmp r0, r2
  sbcs r6, r3
  blt out
  mov r6, r3
  cmp r2, r0
  sbcs r6, r1
  bcc out
  cmp r1, r3
  bne 1f
  cmp r0, r2
1:
  beq out
  mov r12, r1
  cmp r0, r2
  sbcs r1, r3
  mov r1, r12
  bge out
  subs r6, r2, r4
  mvns r5, r5
  adcs r5, r3
  subs r0, r1, #7
  adds r0, #200
  movs r0, #250
  lsls r0, r0, #2
  adds r0, r1, r0
out:
  movs r4, #150
  lsls r4, r4, #2
  add sp, r4
  pop {r4}
  mov r10, r4
  pop {r4, r5}
  mov r8, r4
  mov r9, r5
  pop {r4, r5, pc}
T10:
  mov r0, r8
  movs r1, #10
  ldr r2, [r0]
  ldr r2, [r2]
  blx r2
S0:
  push {r0}
  mov r0, r8
  ldr r0, [r0, #4]
  ldr r0, [r0, #4]
  subs r0, #4
  bcc T2
  cmp r1, r0
  bhi T2
  pop {r0}
  b R0_
T2:
  mov r0, r8
  movs r1, #2
  ldr r2, [r0]
  ldr r2, [r2]
  blx r2
  .p2align 2
L_m600: .word -600
L_12345678: .word 0x12345678
L_4100: .word 4100
leaf:
  sub sp, #8
  mov r0, r10
  add sp, #8
  bx lr
`, V6M_AS_FLAGS);
  assert.equal(hex(ours), hex(gnu), diff(ours, gnu));
});

test('flag values, jump tables and accesses of any alignment give GNU as\'s bytes', (ctx) => {
  if (!haveBinutils()) return ctx.skip('arm-none-eabi-as/objdump not installed');
  const a = new Thumb1Assembler();
  const m = new Thumb1Masm(a);
  a.lrSaved = true;
  const back = a.newLabel(), l0 = a.newLabel(), l1 = a.newLabel(), dflt = a.newLabel();
  a.bind(back);
  a.emit(E.cmpRegT1(R0, R1));
  m.setCond(R2, 'lt');
  m.select('hi', R3, R4, R5);
  m.select('eq', R3, R3, R5);
  m.select('ne', R3, R4, R3);
  m.jumpTable(R1, [l0, l1, back, l0], dflt, R2);
  a.bind(l0);
  m.loadAny('w', R0, R7, R1, R2, R3);
  m.loadAny('sh', R1, R7, R1, R2, R3);
  a.bind(l1);
  m.storeAny('h', R0, R7, R4, R5, R6);
  m.loadAny('b', R0, R7, R1, R2, R3);
  a.bind(dflt);
  a.bx(LR);
  a.flushIsland();
  const ours = a.finish().code;
  const gnu = assembleBytes(`
back:
  cmp r0, r1
  blt 1f
  movs r2, #0
  b 2f
1:
  movs r2, #1
2:
  mov r3, r5
  bls 3f
  mov r3, r4
3:
  beq 4f
  mov r3, r5
4:
  beq 5f
  mov r3, r4
5:
  cmp r1, #4
  bcs dflt
  lsls r2, r1, #1
  add r2, pc
  ldrh r2, [r2, #2]
  add pc, r2
T:
  .short l0 - T - 2, l1 - T - 2, B0 - T - 2, l0 - T - 2
B0:
  b back
l0:
  lsls r2, r1, #30
  bne U0
  ldr r0, [r7, r1]
R0_:
  lsls r2, r1, #31
  bne U1
  ldrsh r1, [r7, r1]
R1_:
l1:
  lsls r5, r4, #31
  bne U2
  strh r0, [r7, r4]
R2_:
  ldrb r0, [r7, r1]
dflt:
  bx lr
U0:
  adds r2, r7, r1
  ldrb r0, [r2, #3]
  lsls r0, r0, #8
  ldrb r3, [r2, #2]
  orrs r0, r3
  lsls r0, r0, #8
  ldrb r3, [r2, #1]
  orrs r0, r3
  lsls r0, r0, #8
  ldrb r3, [r2, #0]
  orrs r0, r3
  b R0_
U1:
  adds r2, r7, r1
  ldrb r1, [r2, #1]
  lsls r1, r1, #8
  ldrb r3, [r2, #0]
  orrs r1, r3
  sxth r1, r1
  b R1_
U2:
  adds r5, r7, r4
  strb r0, [r5, #0]
  lsrs r6, r0, #8
  strb r6, [r5, #1]
  b R2_
`, V6M_AS_FLAGS);
  assert.equal(hex(ours), hex(gnu), diff(ours, gnu));
});

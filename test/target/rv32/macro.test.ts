/**
 * The RV32 macro-assembler (src/target/rv32/macro.ts) against GNU as + ld: a program using every sequence
 * (frames small and large, exec_env fields and table entries near and far, a runtime call, a direct call, the
 * stack check, the bounds check's fast path and its out-of-line tail, the exact check, the shared trap stubs,
 * 64-bit add/sub/compare in every aliasing the allocator may give) must be byte for byte what GNU gives for the
 * same program written out, stubs where the buffer's island puts them. The behaviour of the same sequences on
 * the board is test/boards/rv32-macro.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EnvOffset, MemoryOffset, TrapCode } from '../../../src/abi.js';
import { InternalError } from '../../../src/errors.js';
import { helperIndex } from '../../../src/xip/catalogue.js';
import { layoutRv32Frame, Rv32Masm } from '../../../src/target/rv32/macro.js';
import { Rv32Assembler } from '../../../src/target/rv32/masm.js';
import { A0, A1, A2, A3, A4, A5, S0, S1, T0, T1, xreg } from '../../../src/target/rv32/regs.js';
import { assembleLinked, haveBinutils } from './golden.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const S2 = xreg(18);

test('the macro-assembler\'s sequences match GNU as + ld for the same program', (ctx) => {
  if (!haveBinutils()) return ctx.skip('riscv64-unknown-elf binutils not installed');
  const m = new Rv32Masm(new Rv32Assembler(true));
  const b = m.a.buf;
  const fn = b.getLabel(), out = b.getLabel();
  const f = layoutRv32Frame({ saved: [S1, S0], ra: true, locals: 8 });
  assert.equal(f.size, 32);
  m.prologue(f);
  m.a.mv(S0, A0);
  m.stackCheck(S0, T0);
  m.loadCheckLimit(S1, S0);
  m.boundsCheck(A1, S1, 4, S0);
  m.loadEnvEntry(T0, S0, EnvOffset.funcPtrs, 3);
  m.loadEnvEntry(T0, S0, EnvOffset.funcPtrs, 1000, T1);
  m.callSymbol(5, S0, T0);
  m.callDirect(fn);
  m.add64(A0, A1, A2, A3, A4, A5, T0);
  m.add64(A2, A3, A2, A3, A4, A5, T0);
  m.add64(A4, A5, A2, A3, A4, A5, T0);
  m.add64(A2, A3, A2, A3, A2, A3, T0);
  m.sub64(A0, A1, A2, A3, A4, A5, T0);
  m.sub64(A2, A3, A2, A3, A4, A5, T0);
  for (const c of ['eq', 'ne', 'lt', 'ge', 'ltu', 'geu', 'gt', 'le', 'gtu', 'leu'] as const) m.branch64(c, A0, A1, A2, A3, out);
  m.boundsCheckExact(A1, 0x10004, S0, T0, T1);
  m.addConst(A0, A0, 0x12345, T0);
  b.bindLabel(out);
  m.epilogue(f);
  b.bindLabel(fn);
  const big = layoutRv32Frame({ saved: [S2], ra: true, locals: 3000 });
  m.prologue(big);
  m.epilogue(big);
  const ours = b.finish();
  const trap = 4 * helperIndex('xw_trap');
  const stub = (code: number): string => `  mv a0,s0\n  li a1,${code}\n  lw t0,${EnvOffset.symbols}(a0)\n  lw t0,${trap}(t0)\n  jalr t0`;
  const br = (s: string): string => `  .option norvc\n  ${s}\n  .option rvc`;
  const gnu = assembleLinked(`
  .option rvc
  addi sp,sp,-32
  sw ra,28(sp)
  sw s0,24(sp)
  sw s1,20(sp)
  mv s0,a0
  lw t0,${EnvOffset.stackLimit}(s0)
${br('bltu sp,t0,trap_stack')}
  lw s1,${EnvOffset.memory}(s0)
  lw s1,${MemoryOffset.checkLimit}(s1)
${br('bgeu a1,s1,oob')}
resume:
  lw t0,${EnvOffset.funcPtrs}(s0)
  lw t0,12(t0)
  lw t0,${EnvOffset.funcPtrs}(s0)
  li t1,4000
  add t0,t0,t1
  lw t0,0(t0)
  lw t0,${EnvOffset.symbols}(s0)
  lw t0,20(t0)
  jalr t0
${br('jal ra,fn')}
  add a0,a2,a4
  sltu t0,a0,a4
  add a1,a3,a5
  add a1,a1,t0
  add a2,a2,a4
  sltu t0,a2,a4
  add a3,a3,a5
  add a3,a3,t0
  add a4,a2,a4
  sltu t0,a4,a2
  add a5,a3,a5
  add a5,a5,t0
  slt t0,a2,zero
  add a2,a2,a2
  add a3,a3,a3
  add a3,a3,t0
  sltu t0,a2,a4
  sub a0,a2,a4
  sub a1,a3,a5
  sub a1,a1,t0
  sltu t0,a2,a4
  sub a2,a2,a4
  sub a3,a3,a5
  sub a3,a3,t0
  .option norvc
  bne a1,a3,1f
  beq a0,a2,out
1:bne a1,a3,out
  bne a0,a2,out
  blt a1,a3,out
  bne a1,a3,1f
  bltu a0,a2,out
1:blt a1,a3,1f
  bne a1,a3,out
  bgeu a0,a2,out
1:bltu a1,a3,out
  bne a1,a3,1f
  bltu a0,a2,out
1:bltu a1,a3,1f
  bne a1,a3,out
  bgeu a0,a2,out
1:blt a3,a1,out
  bne a3,a1,1f
  bltu a2,a0,out
1:blt a3,a1,1f
  bne a3,a1,out
  bgeu a2,a0,out
1:bltu a3,a1,out
  bne a3,a1,1f
  bltu a2,a0,out
1:bltu a3,a1,1f
  bne a3,a1,out
  bgeu a2,a0,out
1:
  .option rvc
  lw t0,${EnvOffset.memory}(s0)
  lw t0,${MemoryOffset.size}(t0)
  li t1,0x10004
${br('bltu t0,t1,trap_oob')}
  sub t0,t0,t1
${br('bltu t0,a1,trap_oob')}
  li t0,0x12345
  add a0,a0,t0
out:
  lw ra,28(sp)
  lw s0,24(sp)
  lw s1,20(sp)
  addi sp,sp,32
  ret
fn:
  addi sp,sp,-16
  sw ra,12(sp)
  sw s2,8(sp)
  li t0,-2992
  add sp,sp,t0
  li t0,2992
  add sp,sp,t0
  lw ra,12(sp)
  lw s2,8(sp)
  addi sp,sp,16
  ret
trap_stack:
${stub(TrapCode.StackExhausted)}
oob:
  addi sp,sp,-16
  sw t0,0(sp)
  sw t1,4(sp)
  lw t0,${EnvOffset.memory}(s0)
  lw t0,${MemoryOffset.size}(t0)
  li t1,4
${br('bltu t0,t1,trap_oob')}
  sub t0,t0,t1
${br('bltu t0,a1,trap_oob')}
  lw t1,4(sp)
  lw t0,0(sp)
  addi sp,sp,16
${br('jal zero,resume')}
trap_oob:
${stub(TrapCode.MemoryOutOfBounds)}
  .balign 4
`);
  assert.equal(hex(ours.code), hex(gnu));
});

test('the macro-assembler refuses operands the sequences cannot honour', () => {
  const m = new Rv32Masm(new Rv32Assembler(true));
  assert.throws(() => m.add64(A1, A2, A0, A1, A2, A3, T0), InternalError, 'dlo is a high operand');
  assert.throws(() => m.sub64(A0, A1, A2, A3, A4, A5, A2), InternalError, 'the carry register is an operand');
  assert.throws(() => m.boundsCheck(A0, A1, 300, S0), InternalError, 'end beyond CHECK_SLACK');
  assert.throws(() => m.boundsCheckExact(A0, 8, S0, A0, T1), InternalError);
  assert.throws(() => layoutRv32Frame({ saved: [A0], ra: true, locals: 0 }), InternalError, 'a0 is not callee-saved');
  assert.throws(() => m.loadEnvEntry(T0, S0, EnvOffset.funcPtrs, 1000), InternalError, 'far entry without scratch');
});

/**
 * The RV32 assembler layer against GNU: `li` must expand exactly as GNU as
 * expands the `li` pseudo-instruction (with and without C), and a program of
 * label uses (branches, jumps, near and far calls, la, a pooled constant) must
 * give the bytes GNU as + ld give for the same program written with labels.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rv32Assembler } from '../../../src/target/rv32/masm.js';
import { A0, A1, S1, SP, T0, ZERO, type XReg, xName } from '../../../src/target/rv32/regs.js';
import { assembleLinked, haveBinutils } from './golden.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** Constants at every boundary of the addi / lui / lui+addi split, and a fixed pseudo-random sample. */
function liValues(): number[] {
  const edges = [0, 1, -1, 31, 32, -32, -33, 2047, 2048, -2048, -2049, 0x7ff, 0x800, 0xfff, 0x1000, 0x1f000, 0x20000,
    0x1f001, 0x1f800, 0xfffe0000, 0x7ffff800, 0x7fffffff, 0x80000000, 0x80000800, 0xfffff800, 0xfffff7ff, 0x12345678,
    0x12345000, 0xdeadbeef, 0xfffe0010, 0x10];
  let x = 0x2545f491;
  for (let i = 0; i < 120; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    // Mix magnitudes: full words, and values near the 12- and 17-bit boundaries.
    edges.push(i % 3 === 0 ? x : i % 3 === 1 ? (x & 0x3ffff) - 0x20000 : (x & 0xfff) - 0x800);
  }
  return edges;
}

for (const rvc of [true, false]) {
  test(`li expands as GNU as's li pseudo-instruction (${rvc ? 'with' : 'without'} C)`, (ctx) => {
    if (!haveBinutils()) return ctx.skip('riscv64-unknown-elf binutils not installed');
    const regs: XReg[] = [A0, T0, S1, SP];
    const a = new Rv32Assembler(rvc);
    const src: string[] = [`\t.option ${rvc ? 'rvc' : 'norvc'}`];
    for (const v of liValues()) {
      for (const r of regs) {
        a.li(r, v);
        src.push(`\tli ${xName(r)},${v | 0}`);
      }
    }
    const ours = a.buf.finish();
    assert.equal(hex(ours.code), hex(assembleLinked(src.join('\n'))));
  });
}

test('label uses of the assembler match GNU as + ld for the same program', (ctx) => {
  if (!haveBinutils()) return ctx.skip('riscv64-unknown-elf binutils not installed');
  const a = new Rv32Assembler(true);
  const b = a.buf;
  const top = b.getLabel(), fwd = b.getLabel(), fn = b.getLabel();
  b.bindLabel(top);
  a.li(A0, 5);
  a.branch('ltu', A0, A1, top);
  a.branch('ne', A0, ZERO, fwd);
  a.j(fwd);
  a.callNear(fn);
  a.call(fn);
  a.la(T0, top);
  a.loadConst(A1, 0x12345678);
  a.mv(S1, A0);
  b.bindLabel(fwd);
  a.ret();
  b.bindLabel(fn);
  a.ret();
  const ours = b.finish();
  const gnu = assembleLinked(`
  .option rvc
top: li a0,5
  .option norvc
  bltu a0,a1,top
  bne a0,zero,fwd
  jal zero,fwd
  jal ra,fn
1: auipc ra,%pcrel_hi(fn)
  jalr ra,%pcrel_lo(1b)(ra)
2: auipc t0,%pcrel_hi(top)
  addi t0,t0,%pcrel_lo(2b)
3: auipc a1,%pcrel_hi(lit)
  lw a1,%pcrel_lo(3b)(a1)
  .option rvc
  mv s1,a0
fwd: ret
fn: ret
  .balign 4
lit: .word 0x12345678`);
  assert.equal(hex(ours.code), hex(gnu));
});

/** Capstone decodes our encodings the way objdump names them (spot checks across classes). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { disassembleThumb } from '../../src/run/disasm.js';
import { Thumb2Assembler, imm } from '../../src/target/thumb2/select.js';
import { R0, R1, R2, LR, sreg, dreg } from '../../src/target/thumb2/regs.js';
import * as E from '../../src/target/thumb2/enc/index.js';

test('disassembleThumb decodes integer, branch and FPv5 encodings with addresses', async () => {
  const a = new Thumb2Assembler();
  const end = a.newLabel();
  a.add(R0, R1, imm(1)); // 0x1000 adds (narrow)
  a.add(R0, R1, imm(1000)); // 0x1002 add.w
  a.emit(E.sdivT1(R0, R1, R2)); // 0x1006
  a.bcond('ne', end); // 0x100a bne.w
  a.emit(E.vaddF64(dreg(0), dreg(1), dreg(2))); // 0x100e
  a.emit(E.vrintF32('a', sreg(0), sreg(1))); // 0x1012 (ARMv8)
  a.bind(end);
  a.bx(LR); // 0x1016
  const { code } = a.finish();
  const lines = await disassembleThumb(code, 0x1000, 'cortex-m55');
  assert.equal(lines.length, 7);
  assert.match(lines[0]!, /^\s+1000:\t1c48\s+\tadds\tr0, r1, #1$/);
  assert.match(lines[1]!, /^\s+1002:\tf501 707a\s*\tadd\.w\tr0, r1, #0x3e8$/);
  assert.match(lines[2]!, /1006:\tfb91 f0f2\s*\tsdiv\tr0, r1, r2$/);
  assert.match(lines[3]!, /100a:\t.*\tbne\.w\t#0x1016$/);
  assert.match(lines[4]!, /vadd\.f64\td0, d1, d2$/);
  assert.match(lines[5]!, /vrinta\.f32\ts0, s1$/);
  assert.match(lines[6]!, /1016:\t4770\s*\tbx\tlr$/);
});

test('disassembleThumb keeps going over bytes that do not decode (literal pools)', async () => {
  const data = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x00, 0xbf]);
  const lines = await disassembleThumb(data, 0, 'cortex-m3');
  assert.match(lines[0]!, /\.byte/);
  assert.match(lines.at(-1)!, /^\s+4:\tbf00\s*\tnop$/);
});

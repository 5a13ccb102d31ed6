/** RV32 typed immediates and register rules: out-of-range values are refused, never masked. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as I from '../../../src/target/rv32/imm.js';
import * as E from '../../../src/target/rv32/enc/index.js';
import { tryC } from '../../../src/target/rv32/compress.js';
import { InternalError } from '../../../src/errors.js';
import { freg, xreg } from '../../../src/target/rv32/regs.js';

test('each immediate kind accepts exactly its range and alignment', () => {
  const cases: [string, { fits(v: number): boolean }, number[], number[]][] = [
    ['simm12', I.SImm12, [-2048, 0, 2047], [-2049, 2048, 0.5, NaN]],
    ['uimm20', I.UImm20, [0, 0xfffff], [-1, 0x100000]],
    ['shamt', I.Shamt, [0, 31], [-1, 32]],
    ['boff', I.BOff, [-4096, 0, 4094], [-4098, 4096, 3]],
    ['joff', I.JOff, [-0x100000, 0xffffe], [-0x100002, 0x100000, 1]],
    ['cnzimm6', I.CNzImm6, [-32, -1, 1, 31], [0, -33, 32]],
    ['cshamt', I.CShamt, [1, 31], [0, 32]],
    ['caddi16sp', I.CAddi16spImm, [-512, -16, 16, 496], [0, 8, 512, -528]],
    ['caddi4spn', I.CAddi4spnImm, [4, 1020], [0, 2, 1024]],
    ['cmemoff', I.CMemOff, [0, 4, 124], [2, 128, -4]],
    ['cspoff', I.CSpOff, [0, 252], [2, 256]],
    ['cboff', I.CBOff, [-256, 254], [-258, 256, 1]],
    ['cjoff', I.CJOff, [-2048, 2046], [-2050, 2048, 1]],
    ['clui', I.CLuiImm, [1, 31, 0xfffe0, 0xfffff], [0, 32, 0xfffdf, 0x100000]],
  ];
  for (const [name, k, ok, bad] of cases) {
    for (const v of ok) assert.ok(k.fits(v), `${name} ${v}`);
    for (const v of bad) assert.ok(!k.fits(v), `${name} refuses ${v}`);
  }
  assert.equal(I.SImm12.tryFrom(2048), undefined);
});

test('compressed encoders refuse registers their fields cannot hold', () => {
  const off = I.CMemOff.tryFrom(0)!;
  assert.throws(() => E.cLw(xreg(7), xreg(8), off), InternalError);
  assert.throws(() => E.cFsw(freg(16), xreg(8), off), InternalError);
  assert.throws(() => E.cAddi(xreg(0), I.CNzImm6.tryFrom(1)!), InternalError);
  assert.throws(() => E.cLui(xreg(2), I.CLuiImm.tryFrom(1)!), InternalError);
  assert.throws(() => E.cMv(xreg(1), xreg(0)), InternalError);
  assert.throws(() => E.cJr(xreg(0)), InternalError);
  assert.throws(() => xreg(32), InternalError);
  assert.throws(() => E.fence(0, 15), InternalError);
  // No compressed form: the helpers say so rather than produce a wrong one.
  assert.equal(tryC.addi(xreg(10), xreg(11), 1), undefined);
  assert.equal(tryC.lw(xreg(10), xreg(16), 4), undefined);
  assert.equal(tryC.jal(xreg(5), 0), undefined);
});

/**
 * Typed immediates agree with GNU as on what is encodable: a value is
 * accepted by ModImm.tryFrom / VfpImm.tryFrom exactly when `as` accepts it
 * (for TST.W, which has no alternative form gas could substitute), and then
 * the bytes agree. Values are structured (rotated bytes, replicated patterns)
 * plus seeded pseudo-random ones.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Imm5Scaled, ModImm, SImm8, SImm8x4, SImm12, ShiftImm, VfpImm } from '../../../src/target/thumb2/imm.js';
import { tstImmT1 } from '../../../src/target/thumb2/enc/dp.js';
import { vmovImmF32, vmovImmF64 } from '../../../src/target/thumb2/enc/vfp.js';
import { encHex } from '../../../src/target/thumb2/enc/common.js';
import { R0, sreg, dreg } from '../../../src/target/thumb2/regs.js';
import { AS, AS_FLAGS, assembleRows, haveBinutils, row } from './golden.js';

function lcg(seed: number): () => number {
  let x = seed >>> 0;
  return () => (x = (Math.imul(x, 1664525) + 1013904223) >>> 0);
}

/** 1-based line numbers GNU as rejects. */
function rejectedLines(lines: string[]): Set<number> {
  const dir = mkdtempSync(join(tmpdir(), 'xipwasm-imm-'));
  try {
    const s = join(dir, 'a.s');
    writeFileSync(s, lines.join('\n') + '\n');
    try {
      execFileSync(AS, [...AS_FLAGS, s, '-o', join(dir, 'a.o')], { stdio: ['ignore', 'ignore', 'pipe'] });
      return new Set();
    } catch (e) {
      const err = String((e as { stderr?: Buffer }).stderr ?? '');
      return new Set([...err.matchAll(/a\.s:(\d+): Error/g)].map((m) => Number(m[1])));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('ModImm.tryFrom accepts exactly what GNU as encodes (ThumbExpandImm)', (ctx) => {
  if (!haveBinutils()) return ctx.skip('arm-none-eabi-as not installed');
  const vals = new Set<number>([0, 1, 0xff, 0x100, 0x101, 0xffffffff, 0x80000000, 0x7fffffff, 0xff00ff00, 0x00ff00ff, 0x01010101, 0x00010001, 0xff000000, 0x1fe00000, 0x3fc, 0x102, 0x1ff]);
  for (let b = 1; b < 256; b += 37) {
    for (let rot = 0; rot < 32; rot++) vals.add(((b << rot) | (b >>> (32 - rot))) >>> 0);
    vals.add(Math.imul(b, 0x01010101) >>> 0).add(Math.imul(b, 0x00010001) >>> 0).add(Math.imul(b, 0x01000100) >>> 0);
  }
  const rnd = lcg(42);
  for (let i = 0; i < 200; i++) vals.add(rnd());
  const list = [...vals];
  const header = ['\t.syntax unified', '\t.thumb'];
  const lines = [...header, ...list.map((v) => `\ttst.w r0, #${v}`)];
  const rejected = rejectedLines(lines);
  const ok: number[] = [];
  list.forEach((v, i) => {
    const ours = ModImm.tryFrom(v) !== undefined;
    assert.equal(ours, !rejected.has(i + 1 + header.length), `0x${v.toString(16)}`);
    if (ours) ok.push(v);
  });
  assert.ok(ok.length > 100 && ok.length < list.length);
  const rows = ok.map((v) => row(`tst.w r0, #${v}`, () => tstImmT1(R0, ModImm.tryFrom(v)!)));
  const hex = assembleRows(rows);
  rows.forEach((r, i) => assert.equal(encHex(r.enc() as ReturnType<typeof tstImmT1>), hex[i], r.asm));
});

test('VfpImm accepts exactly the f32/f64 values GNU as encodes in VMOV #imm', (ctx) => {
  if (!haveBinutils()) return ctx.skip('arm-none-eabi-as not installed');
  const vals: number[] = [0.125, 0.1328125, 31, 32, 0.0625, 1, -1, 2.5, 1.0625, 0.1, 1e10, 0.12, 17, 15.5, -31, 0.2, 3.14, 0.25, -0.375];
  for (let e = -4; e <= 5; e++) for (let m = 16; m < 32; m += 3) vals.push((m / 16) * 2 ** e);
  const header = ['\t.syntax unified', '\t.thumb'];
  for (const [size, from, enc] of [
    ['f32', VfpImm.tryFromF32, (v: VfpImm) => vmovImmF32(sreg(3), v)],
    ['f64', VfpImm.tryFromF64, (v: VfpImm) => vmovImmF64(dreg(3), v)],
  ] as const) {
    const reg = size === 'f32' ? 's3' : 'd3';
    const lines = [...header, ...vals.map((v) => `\tvmov.${size} ${reg}, #${v}`)];
    const rejected = rejectedLines(lines);
    const ok: number[] = [];
    vals.forEach((v, i) => {
      const ours = from(v) !== undefined;
      assert.equal(ours, !rejected.has(i + 1 + header.length), `${size} ${v}`);
      if (ours) ok.push(v);
    });
    assert.ok(ok.length > 50 && ok.length < vals.length, `${size}: ${ok.length} of ${vals.length}`);
    const rows = ok.map((v) => row(`vmov.${size} ${reg}, #${v}`, () => enc(from(v)!)));
    const hex = assembleRows(rows);
    rows.forEach((r, i) => assert.equal(encHex(r.enc() as ReturnType<typeof vmovImmF32>), hex[i], r.asm));
  }
});

/** ThumbExpandImm as the Armv7-M ARM writes it (A5.3.2), on the 12-bit i:imm3:imm8 field. */
function thumbExpandImm(bits: number): number {
  const imm8 = bits & 0xff;
  if ((bits >> 10) === 0) {
    switch ((bits >> 8) & 3) {
      case 0: return imm8;
      case 1: return ((imm8 << 16) | imm8) >>> 0;
      case 2: return ((imm8 << 24) | (imm8 << 8)) >>> 0;
      default: return Math.imul(imm8, 0x01010101) >>> 0;
    }
  }
  const unrotated = 0x80 | (bits & 0x7f);
  const rot = bits >> 7;
  return ((unrotated >>> rot) | (unrotated << (32 - rot))) >>> 0;
}

test('ModImm.tryFrom accepts exactly the images of ThumbExpandImm, with a field that expands back', () => {
  const encodable = new Set<number>();
  for (let bits = 0; bits < 0x1000; bits++) {
    // The replicated forms with imm8 = 0 are UNPREDICTABLE, not encodings of 0.
    if ((bits >> 10) === 0 && ((bits >> 8) & 3) !== 0 && (bits & 0xff) === 0) continue;
    encodable.add(thumbExpandImm(bits));
  }
  const vals = new Set<number>(encodable);
  for (const v of encodable) vals.add((v + 1) >>> 0).add((v - 1) >>> 0).add((v | 1) >>> 0).add((v ^ 0x80000000) >>> 0);
  const rnd = lcg(7);
  for (let i = 0; i < 20000; i++) vals.add(rnd());
  for (const v of vals) {
    const m = ModImm.tryFrom(v);
    assert.equal(m !== undefined, encodable.has(v), `0x${v.toString(16)}`);
    assert.equal(ModImm.fits(v), encodable.has(v), `fits 0x${v.toString(16)}`);
    if (m) assert.equal(thumbExpandImm(m.bits), v, `0x${v.toString(16)} -> bits 0x${m.bits.toString(16)}`);
    // The signed spelling of the same pattern is the same immediate.
    if (m && v >= 0x80000000) assert.equal(ModImm.tryFrom(v | 0)?.bits, m.bits);
  }
  for (const bad of [1.5, NaN, Infinity, 0x100000000, -0x80000001]) {
    assert.equal(ModImm.tryFrom(bad), undefined);
    assert.equal(ModImm.fits(bad), false);
  }
});

test('interned immediates keep each value apart (same field, different scale or sign)', () => {
  // LDRB/LDRH/LDR T1 share imm5 = 1 for offsets 1, 2 and 4.
  assert.deepEqual([1, 2, 4].map((s) => Imm5Scaled.tryFrom(s, s as 1 | 2 | 4)!.value), [1, 2, 4]);
  assert.deepEqual([1, 2, 4].map((s) => Imm5Scaled.tryFrom(s, s as 1 | 2 | 4)!.field), [1, 1, 1]);
  assert.equal(Imm5Scaled.tryFrom(2, 4), undefined);
  for (const [C, v] of [[SImm8, 255], [SImm8x4, 1020], [SImm12, 4095]] as const) {
    const pos = C.tryFrom(v)!;
    const neg = C.tryFrom(-v)!;
    assert.deepEqual([pos.value, pos.add, neg.value, neg.add], [v, true, -v, false]);
    assert.equal(pos.field, neg.field);
    assert.equal(C.tryFrom(v + 4), undefined);
  }
  // LSR #32 and LSL #0 both have imm5 = 0; only typeBits tells them apart.
  const lsr32 = ShiftImm.tryFrom('lsr', 32)!;
  assert.deepEqual([lsr32.type, lsr32.amount, lsr32.typeBits, lsr32.imm5], ['lsr', 32, 1, 0]);
  assert.deepEqual([ShiftImm.NONE.type, ShiftImm.NONE.amount, ShiftImm.NONE.typeBits], ['lsl', 0, 0]);
  assert.equal(ShiftImm.tryFrom('ror', 32), undefined);
});

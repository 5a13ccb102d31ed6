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
import { ModImm, VfpImm } from '../../../src/target/thumb2/imm.js';
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

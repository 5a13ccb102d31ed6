/**
 * ARMv6-M encoder golden tests: our bytes must equal the checked-in GNU as
 * bytes (expected/<table>.json), and, when binutils are installed, the rows are
 * re-assembled live with -march=armv6s-m, which also proves that every form is
 * an ARMv6-M instruction (GNU as refuses the Thumb-2-only ones there).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { V6M_AS_FLAGS, assembleRows, expectedPath, haveBinutils, ourHex } from '../thumb2/golden.js';
import { TABLES } from './tables.js';

for (const t of TABLES) {
  test(`thumb1 encoders match checked-in GNU as bytes: ${t.name}`, () => {
    const path = expectedPath(t.name, 'thumb1');
    const expected = JSON.parse(readFileSync(path, 'utf8')) as [string, string][];
    assert.equal(expected.length, t.rows.length, `${path} is stale: run gen-golden --update`);
    t.rows.forEach((r, i) => {
      assert.equal(expected[i]![0], r.asm, `row ${i} text differs from ${path}`);
      assert.equal(ourHex(r), expected[i]![1], r.asm);
    });
  });

  test(`thumb1 encoders match live GNU as (armv6s-m): ${t.name}`, (ctx) => {
    if (!haveBinutils()) return ctx.skip('arm-none-eabi-as/objdump not installed');
    const hex = assembleRows(t.rows, V6M_AS_FLAGS);
    t.rows.forEach((r, i) => assert.equal(ourHex(r), hex[i], r.asm));
  });
}

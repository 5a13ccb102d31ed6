/**
 * RV32 encoder golden tests: our bytes must equal the checked-in GNU as bytes
 * (expected/<table>.json), and, when riscv64-unknown-elf binutils are
 * installed, the rows are re-assembled live so the files cannot drift.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { assembleRows, expectedPath, haveBinutils, ourHex } from './golden.js';
import { TABLES } from './tables.js';

for (const t of TABLES) {
  test(`rv32 encoders match checked-in GNU as bytes: ${t.name}`, () => {
    const expected = JSON.parse(readFileSync(expectedPath(t.name), 'utf8')) as [string, string][];
    assert.equal(expected.length, t.rows.length, `${expectedPath(t.name)} is stale: run gen-golden --update`);
    t.rows.forEach((r, i) => {
      assert.equal(expected[i]![0], r.asm, `row ${i} text differs from ${expectedPath(t.name)}`);
      assert.equal(ourHex(r), expected[i]![1], r.asm);
    });
  });

  test(`rv32 encoders match live GNU as: ${t.name}`, (ctx) => {
    if (!haveBinutils()) return ctx.skip('riscv64-unknown-elf-as/objdump not installed');
    const hex = assembleRows(t);
    t.rows.forEach((r, i) => assert.equal(ourHex(r), hex[i], r.asm));
  });
}

/**
 * `npm run bench -- --board=X --update-docs` rewrites only board X's section of docs/performance.md's results
 * block: the boards are benched one at a time, and a run on one board must not drop another board's table.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mergeBenchResults } from '../../bench/run.js';

const ORDER = ['b1', 'b2', 'b3'];

test('a section from the old layout keeps the shared "Measured" line; a new section replaces only its board', () => {
  const old = '\nMeasured 2026-01-01 at commit `a` with `npm run bench`.\n\n### b1 (m3)\n\n| t1 |\n\n### b3 (m55)\n\n| t3 |\n\n';
  const merged = mergeBenchResults(old, new Map([['b2', '### b2 (m4)\n\nMeasured 2026-02-02 at commit `b` with `x`.\n\n| t2 |']]), ORDER);
  assert.equal(merged, [
    '### b1 (m3)\n\nMeasured 2026-01-01 at commit `a` with `npm run bench`.\n\n| t1 |\n',
    '### b2 (m4)\n\nMeasured 2026-02-02 at commit `b` with `x`.\n\n| t2 |\n',
    '### b3 (m55)\n\nMeasured 2026-01-01 at commit `a` with `npm run bench`.\n\n| t3 |\n',
  ].join('\n'));
  const again = mergeBenchResults(`\n${merged}`, new Map([['b1', '### b1 (m3)\n\nMeasured later.\n\n| t1′ |']]), ORDER);
  assert.equal(again, merged.replace('### b1 (m3)\n\nMeasured 2026-01-01 at commit `a` with `npm run bench`.\n\n| t1 |',
    '### b1 (m3)\n\nMeasured later.\n\n| t1′ |'));
});

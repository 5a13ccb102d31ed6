/**
 * Builds the runtime's host unit tests with gcc under ASan/UBSan and runs them on
 * fixture images written by the TS writer (test/aot/fixtures.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFixtures } from '../aot/write-fixtures.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const hasGcc = spawnSync('gcc', ['--version']).status === 0;

test('runtime host unit tests (gcc, ASan/UBSan)', { skip: hasGcc ? false : 'gcc not found: skipping the C runtime host tests' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'xw-fixtures-'));
  writeFixtures(dir);
  const r = spawnSync('make', ['-s', '-C', join(root, 'runtime'), 'test', `FIXTURES=${dir}`], { encoding: 'utf8' });
  assert.equal(r.status, 0, `make -C runtime test failed:\n${r.stdout}\n${r.stderr}`);
  assert.match(r.stdout, /\d+ checks, 0 failures/);
});

/** The whole spec testsuite through the front end (decode + validate); must be 100%. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatReport, runFrontend } from './frontend.js';
import { findTestsuite, listWastFiles, wast2jsonAvailable } from './wast.js';

const dir = findTestsuite();
const skip = !dir ? 'spec testsuite not found (XIPWASM_TESTSUITE or ../shared/testsuite/core)'
  : !wast2jsonAvailable() ? 'wast2json (wabt) not installed' : false;

test('spec testsuite: front end accepts valid and rejects malformed/invalid modules', { skip }, () => {
  const report = runFrontend(dir!);
  const summary = formatReport(report);
  process.stdout.write(summary.split('\n').filter((l) => l.startsWith('FAIL') || /passed, /.test(l)).join('\n') + '\n');
  assert.equal(report.files.length, listWastFiles(dir!).length);
  assert.ok(report.passed > 3000, `only ${report.passed} checks ran`);
  assert.deepEqual(report.failures, [], summary);
});

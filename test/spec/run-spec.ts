/**
 * Spec-test runner CLI: `node dist/test/spec/run-spec.js [--frontend] [file-substring...]`.
 * Only the front end (decode + validate) exists so far, so --frontend is the default.
 */
import { formatReport, runFrontend } from './frontend.js';
import { findTestsuite, wast2jsonAvailable } from './wast.js';

function main(argv: readonly string[]): number {
  const filters = argv.filter((a) => !a.startsWith('--'));
  const unknown = argv.filter((a) => a.startsWith('--') && a !== '--frontend');
  if (unknown.length > 0) {
    process.stderr.write(`run-spec: unknown option ${unknown.join(' ')} (only --frontend exists so far)\n`);
    return 2;
  }
  const dir = findTestsuite();
  if (!dir) {
    process.stdout.write('spec testsuite not found (set XIPWASM_TESTSUITE or place it at ../shared/testsuite/core): skipped\n');
    return 0;
  }
  if (!wast2jsonAvailable()) {
    process.stdout.write('wast2json (wabt) not found: skipped\n');
    return 0;
  }
  const only = filters.length > 0 ? (f: string): boolean => filters.some((s) => f.includes(s)) : undefined;
  const report = runFrontend(dir, only);
  process.stdout.write(`front end, testsuite ${dir}\n${formatReport(report)}\n`);
  return report.failed === 0 ? 0 : 1;
}

process.exitCode = main(process.argv.slice(2));

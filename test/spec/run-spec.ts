/**
 * Spec-test runner CLI (`npm run spec -- ...`):
 *   --frontend [file-substring...]                 decode + validate only (the default without --board)
 *   --board=mps2-an385|mps3-an547                  compile every module (XIP) and execute the scripts on the board
 *     --enable-indirect-mode  --enable-builtin-intrinsics=LIST  --opt-level=N  --enable-dump-call-stack   compiler mode flags
 *     --file=NAME[,NAME...]   only these .wast files (basename, with or without .wast; repeatable)
 *     --failures=PATH         write the failure list (and the grouping by cause) to PATH
 *     --jobs=N                QEMU processes at a time (default 2)   --timeout=SECONDS per launch (default 60)
 *     --invocation-timeout=SECONDS  the firmware's watchdog per call (default 10, 0: off)
 *     --max-pages=N           page limit of memories without a declared maximum (default: a quarter of the arena)
 *   --dir=PATH                the .wast directory (default: the testsuite), e.g. test/spec/proposals/custom-page-sizes
 */
import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { boardSpec } from '../../src/run/boards.js';
import { buildFirmware } from '../../src/run/firmware.js';
import type { ExecOptions } from './exec.js';
import { runWastFiles } from './exec.js';
import { failureLine, fileLine, groupedFailures, totalLine, totals } from './exec-report.js';
import { formatReport, runFrontend } from './frontend.js';
import { findTestsuite, listWastFiles, wast2jsonAvailable } from './wast.js';

interface Args {
  frontend: boolean;
  optLevel: number | undefined;
  board: string | undefined;
  indirect: boolean;
  dumpCallStack: boolean;
  intrinsics: string | undefined;
  files: string[];
  failures: string | undefined;
  jobs: number;
  timeoutS: number;
  invocationTimeoutS: number;
  maxPages: number | undefined;
  dir: string | undefined;
  filters: string[];
}

function parseArgs(argv: readonly string[]): Args | string {
  const a: Args = { frontend: false, board: undefined, indirect: false, dumpCallStack: false, intrinsics: undefined, optLevel: undefined, files: [], failures: undefined, jobs: 2, timeoutS: 60, invocationTimeoutS: 10, maxPages: undefined, dir: undefined, filters: [] };
  for (const arg of argv) {
    const eq = arg.indexOf('=');
    const key = eq < 0 ? arg : arg.slice(0, eq);
    const value = eq < 0 ? undefined : arg.slice(eq + 1);
    const need = (): string => {
      if (value === undefined || value === '') throw new Error(`${key} needs a value (${key}=...)`);
      return value;
    };
    try {
      switch (key) {
        case '--frontend': a.frontend = true; break;
        case '--board': a.board = need(); break;
        case '--enable-indirect-mode': a.indirect = true; break;
        case '--enable-dump-call-stack': a.dumpCallStack = true; break;
        case '--enable-builtin-intrinsics': a.intrinsics = need(); break;
        case '--opt-level': a.optLevel = Number(need()); break;
        case '--file': a.files.push(...need().split(',').filter((s) => s !== '')); break;
        case '--failures': a.failures = need(); break;
        case '--jobs': a.jobs = Number(need()); break;
        case '--timeout': a.timeoutS = Number(need()); break;
        case '--invocation-timeout': a.invocationTimeoutS = Number(need()); break;
        case '--max-pages': a.maxPages = Number(need()); break;
        case '--dir': a.dir = need(); break;
        default:
          if (arg.startsWith('--')) return `unknown option ${arg}`;
          a.filters.push(arg);
      }
    } catch (e) {
      return (e as Error).message;
    }
  }
  if (!Number.isInteger(a.jobs) || a.jobs < 1) return '--jobs must be a positive integer';
  if (!(a.timeoutS > 0)) return '--timeout must be a positive number of seconds';
  if (!(a.invocationTimeoutS >= 0)) return '--invocation-timeout must be a number of seconds (0: off)';
  if (a.frontend && a.board !== undefined) return '--frontend and --board exclude each other';
  return a;
}

async function runExec(a: Args, dir: string): Promise<number> {
  const spec = boardSpec(a.board as string);
  const all = listWastFiles(dir);
  const wanted = a.files.map((f) => (f.endsWith('.wast') ? f : `${f}.wast`));
  const missing = wanted.filter((w) => !all.some((p) => basename(p) === w));
  if (missing.length > 0) {
    process.stderr.write(`run-spec: no such .wast in ${dir}: ${missing.join(', ')}\n`);
    return 2;
  }
  const paths = all.filter((p) => (wanted.length === 0 || wanted.includes(basename(p))) &&
    (a.filters.length === 0 || a.filters.some((s) => basename(p).includes(s))));
  const opts: ExecOptions = {
    board: spec.name,
    enableIndirectMode: a.indirect,
    enableDumpCallStack: a.dumpCallStack,
    ...(a.intrinsics !== undefined ? { enableBuiltinIntrinsics: a.intrinsics } : {}),
    ...(a.optLevel !== undefined ? { optLevel: a.optLevel } : {}),
    timeoutMs: a.timeoutS * 1000,
    invocationTimeoutMs: a.invocationTimeoutS * 1000,
    ...(a.maxPages !== undefined ? { maxPages: a.maxPages } : {}),
  };
  const mode = [a.indirect ? '--enable-indirect-mode' : '', a.dumpCallStack ? '--enable-dump-call-stack' : '', a.intrinsics !== undefined ? `--enable-builtin-intrinsics=${a.intrinsics}` : '',
    a.optLevel !== undefined ? `--opt-level=${a.optLevel}` : '']
    .filter((s) => s !== '').join(' ');
  process.stdout.write(`execution on ${spec.name} (${spec.cpu}, --xip${mode === '' ? '' : ` ${mode}`}), testsuite ${dir}, ${paths.length} files\n`);
  const start = performance.now();
  const firmware = await buildFirmware(spec.name);
  const results = await runWastFiles(paths, opts, firmware, a.jobs, (r) => process.stdout.write(`${fileLine(r)}\n`));
  const failures = results.flatMap((r) => r.failures);
  for (const f of failures) process.stdout.write(`FAIL ${failureLine(f)}\n`);
  const t = totals(results);
  const launches = results.reduce((n, r) => n + r.launches, 0);
  process.stdout.write(`wall time ${((performance.now() - start) / 1000).toFixed(1)} s, ${launches} QEMU launches\n`);
  if (a.failures !== undefined) {
    const header = `# spec execution on ${spec.name}${mode === '' ? '' : ` ${mode}`}: ${totalLine(t)}\n`;
    writeFileSync(a.failures, `${header}\n# by cause\n${groupedFailures(failures)}\n\n# all failures\n${failures.map(failureLine).join('\n')}\n`);
  }
  process.stdout.write(`${totalLine(t)}\n`);
  return t.failed === 0 ? 0 : 1;
}

async function main(argv: readonly string[]): Promise<number> {
  const a = parseArgs(argv);
  if (typeof a === 'string') {
    process.stderr.write(`run-spec: ${a}\n`);
    return 2;
  }
  const dir = a.dir ?? findTestsuite();
  if (!dir) {
    process.stdout.write('spec testsuite not found (set XIPWASM_TESTSUITE or place it at ../shared/testsuite/core): skipped\n');
    return 0;
  }
  if (!wast2jsonAvailable()) {
    process.stdout.write('wast2json (wabt) not found: skipped\n');
    return 0;
  }
  if (a.board !== undefined) return runExec(a, dir);
  const names = [...a.filters, ...a.files];
  const only = names.length > 0 ? (f: string): boolean => names.some((s) => f.includes(s)) : undefined;
  const report = runFrontend(dir, only);
  process.stdout.write(`front end, testsuite ${dir}\n${formatReport(report)}\n`);
  return report.failed === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (e: unknown) => {
  process.stderr.write(`run-spec: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exitCode = 2;
});

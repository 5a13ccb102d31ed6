/** Reports of a spec execution run: per-file counts, the failure list, and the failures grouped by cause. */
import type { ExecFailure, ExecFileResult } from './exec.js';

export interface ExecTotals {
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
}

export function totals(files: readonly ExecFileResult[]): ExecTotals {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  for (const f of files) {
    passed += f.passed;
    failed += f.failed;
    skipped += f.skipped;
  }
  return { passed, failed, skipped };
}

export function fileLine(f: ExecFileResult): string {
  return `${f.file}: ${f.passed} passed, ${f.failed} failed${f.skipped > 0 ? `, ${f.skipped} skipped` : ''}`;
}

export function totalLine(t: ExecTotals): string {
  return `${t.passed} passed, ${t.failed} failed${t.skipped > 0 ? `, ${t.skipped} skipped` : ''}`;
}

export function failureLine(f: ExecFailure): string {
  return `${f.file}:${f.line}: ${f.command}: ${f.reason}`;
}

/** The cause of a failure, coarse enough to group: the compiler's complaint, the trap, the file of wrong results. */
export function cause(f: ExecFailure): string {
  const r = f.reason;
  let m: RegExpExecArray | null;
  // a module's compile error and the assertions on that module fall in one group
  if ((m = /compile error: (.*)$/.exec(r)) !== null) {
    return `compile error: ${(m[1] as string).replace(/ \(at offset 0x[0-9a-f]+\)$/, '').replace(/\d+/g, 'N')}`;
  }
  if (r.startsWith('fault:')) return `fault (${/^fault: F (\S+)/.exec(r)?.[1] ?? '?'})`;
  if (r.startsWith('timeout')) return 'timeout';
  if (r.startsWith('trap message mismatch')) return `trap message mismatch in ${f.file}`;
  if (r.startsWith('get not supported')) return 'get not supported';
  if (r.includes('did not instantiate') || r.startsWith('instantiation failed')) {
    const e = /error (\d+) "([^"]*)"/.exec(r);
    return `instantiation failed${e === null ? '' : `: error ${e[1] as string} "${(e[2] as string).replace(/"[^"]*"|\S+\.\S+$/g, 'X')}"`}`;
  }
  if (r.startsWith('expected ') && r.includes(', got ')) {
    const got = r.slice(r.indexOf(', got ') + 6);
    if (got.startsWith('trap')) return `unexpected trap in ${f.file}`;
    if (got.startsWith('error')) return `unexpected error in ${f.file}: ${got.replace(/"[^"]*"$/, '').trim()}`;
    return `wrong result in ${f.file}`;
  }
  return r.replace(/\d+/g, 'N').slice(0, 100);
}

/** The failures grouped by cause, biggest group first, with their locations. */
export function groupedFailures(failures: readonly ExecFailure[]): string {
  const groups = new Map<string, ExecFailure[]>();
  for (const f of failures) {
    const c = cause(f);
    const g = groups.get(c);
    if (g === undefined) groups.set(c, [f]);
    else g.push(f);
  }
  const lines: string[] = [];
  for (const [c, list] of [...groups].sort((a, b) => b[1].length - a[1].length)) {
    lines.push(`== ${c} x${list.length}`);
    for (const f of list) lines.push(`  ${failureLine(f)}`);
  }
  return lines.join('\n');
}

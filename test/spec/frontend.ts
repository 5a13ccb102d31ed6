/**
 * Front-end conformance over the spec testsuite: every binary module of
 * assert_malformed / assert_invalid must be rejected with a CompileError, every
 * other module (module, assert_trap/uninstantiable/unlinkable modules) must be
 * accepted. Text-format malformed modules are counted as skipped.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { CompileError } from '../../src/errors.js';
import { parseModule } from '../../src/wasm/index.js';
import { listWastFiles, loadWast, WastConversionError } from './wast.js';

export interface FileResult {
  readonly file: string;
  passed: number;
  failed: number;
  skipped: number;
}

export interface Failure {
  readonly file: string;
  readonly line: number;
  readonly error: string;
}

export interface FrontendReport {
  readonly files: FileResult[];
  readonly failures: Failure[];
  passed: number;
  failed: number;
  skipped: number;
}

type Outcome = { ok: true } | { ok: false; error: unknown };

function tryParse(path: string): Outcome {
  try {
    parseModule(new Uint8Array(readFileSync(path)));
    return { ok: true };
  } catch (error) {
    return { ok: false, error };
  }
}

function describe(e: unknown): string {
  if (e instanceof CompileError) return `${e.name}: ${e.message}`;
  if (e instanceof Error) return `${e.name} (not a CompileError): ${e.message}`;
  return String(e);
}

export function runFrontend(dir: string, only?: (file: string) => boolean): FrontendReport {
  const report: FrontendReport = { files: [], failures: [], passed: 0, failed: 0, skipped: 0 };
  for (const wast of listWastFiles(dir)) {
    const file = basename(wast);
    if (only && !only(file)) continue;
    const fr: FileResult = { file, passed: 0, failed: 0, skipped: 0 };
    report.files.push(fr);
    const fail = (line: number, error: string): void => {
      fr.failed++;
      report.failures.push({ file, line, error });
    };
    let script;
    try {
      script = loadWast(wast);
    } catch (e) {
      fail(0, e instanceof WastConversionError ? e.message : String(e));
      continue;
    }
    for (const c of script.commands) {
      switch (c.type) {
        case 'assert_malformed':
        case 'assert_invalid': {
          if (c.module.moduleType === 'text') {
            fr.skipped++;
            break;
          }
          const r = tryParse(c.module.path);
          if (r.ok) fail(c.line, `${c.type} module accepted (expected "${c.text}")`);
          else if (!(r.error instanceof CompileError)) fail(c.line, `${c.type}: threw ${describe(r.error)}`);
          else fr.passed++;
          break;
        }
        case 'module':
        case 'assert_unlinkable':
        case 'assert_uninstantiable':
        case 'assert_trap': {
          if (c.type === 'assert_trap' && c.module === undefined) break;
          const path = c.module!.path;
          const r = tryParse(path);
          if (r.ok) fr.passed++;
          else fail(c.line, `${c.type} module rejected: ${describe(r.error)}`);
          break;
        }
        case 'register':
        case 'action':
        case 'assert_return':
        case 'assert_exhaustion':
          break;
        default:
          assertNeverCommand(c);
      }
    }
    report.passed += fr.passed;
    report.failed += fr.failed;
    report.skipped += fr.skipped;
  }
  return report;
}

function assertNeverCommand(c: never): never {
  throw new Error(`unhandled wast command ${JSON.stringify(c)}`);
}

export function formatReport(r: FrontendReport): string {
  const lines: string[] = [];
  for (const f of r.files) {
    lines.push(`${f.file.padEnd(32)} ${String(f.passed).padStart(5)} passed ${String(f.failed).padStart(4)} failed ${String(f.skipped).padStart(4)} skipped`);
  }
  for (const f of r.failures) lines.push(`FAIL ${f.file}:${f.line}: ${f.error}`);
  lines.push(`${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped`);
  return lines.join('\n');
}

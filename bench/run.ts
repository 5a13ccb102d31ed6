/**
 * The benchmark runner: `npm run bench -- [--board=NAME[,NAME...]] [--opt-level=N] [--only=a,b]
 * [--jobs=N] [--native-cflags=-fno-tree-vectorize,...] [--enable-dump-call-stack] [--update-docs]`.
 *
 * For every program and board: the xipwasm image's instructions per run() against the native build's (both counted
 * exactly by the QEMU plugin between the same markers), code sizes, compile time, and the checksum against the
 * reference (host cc -O2 build; V8 must agree with it). Instruction counts are deterministic; the only wall time
 * reported is compile time.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileModule } from '../src/compile.js';
import { readAot } from '../src/aot/reader.js';
import type { BoardName } from '../src/run/index.js';
import { BOARD_NAMES, boardSpec, CODEGEN_BOARD_NAMES, repoRoot, runBatch } from '../src/run/index.js';
import { buildWasm, hostChecksum, unsignedChecksum, v8Checksum, workloadOf } from './build.js';
import { buildNative, runNative } from './native.js';
import type { BenchProgram, Workload } from './programs.js';
import { PROGRAMS } from './programs.js';

export interface BenchRow {
  readonly program: string;
  readonly nativeInstructions: number | undefined;
  readonly xipwasmInstructions: number | undefined;
  readonly nativeText: number | undefined;
  readonly xipwasmText: number | undefined;
  readonly compileMs: number | undefined;
  /** 'ok', or what disagreed / failed. */
  readonly status: string;
  readonly errors: readonly string[];
}

interface Reference {
  /** what the board runs (for the small workload, rewritten to 1-byte pages) */
  readonly wasm: Uint8Array;
  readonly expected: bigint;
  readonly problems: string[];
}

/** The host build's checksum, which V8 must agree with, and the module for the boards, for one workload. */
async function reference(p: BenchProgram, workload: Workload): Promise<Reference> {
  const { bytes, boardBytes } = await buildWasm(p, workload);
  const host = await hostChecksum(p, workload);
  const v8 = v8Checksum(p, bytes);
  const problems = v8 === host ? [] : [`V8 ${v8} != host ${host}`];
  return { wasm: boardBytes, expected: host, problems };
}

function errorText(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

/** Median of `n` timed compilations after one warm-up (the JIT and caches settle). */
function timeCompile(wasm: Uint8Array, cpu: string, optLevel: number | undefined, dumpCallStack: boolean, n = 5): { image: Uint8Array; ms: number } {
  const options = { cpu, xip: true, optLevel, enableDumpCallStack: dumpCallStack };
  let image = compileModule(wasm, options).image;
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    image = compileModule(wasm, options).image;
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { image, ms: times[Math.floor(n / 2)] as number };
}

export async function benchProgram(p: BenchProgram, ref: Reference, board: BoardName, optLevel: number | undefined,
  nativeCflags: readonly string[] = [], dumpCallStack = false): Promise<BenchRow> {
  const spec = boardSpec(board);
  const errors: string[] = [...ref.problems];
  const status: string[] = ref.problems.length > 0 ? ['v8≠host'] : [];
  let nativeInstructions: number | undefined;
  let nativeText: number | undefined;
  try {
    const nb = await buildNative(p, board, nativeCflags);
    nativeText = nb.textBytes;
    const nr = await runNative(nb, board);
    nativeInstructions = nr.instructions;
    if (unsignedChecksum(p, nr.checksum) !== ref.expected) {
      status.push('native≠');
      errors.push(`native checksum ${unsignedChecksum(p, nr.checksum)} != expected ${ref.expected}`);
    }
  } catch (e) {
    status.push('native failed');
    errors.push(errorText(e));
  }
  let xipwasmInstructions: number | undefined;
  let xipwasmText: number | undefined;
  let compileMs: number | undefined;
  let image: Uint8Array | undefined;
  try {
    const c = timeCompile(ref.wasm, spec.cpu, optLevel, dumpCallStack);
    image = c.image;
    compileMs = c.ms;
    xipwasmText = readAot(image).text.length;
  } catch (e) {
    status.push('compile failed');
    errors.push(errorText(e));
  }
  if (image !== undefined) {
    try {
      const out = await runBatch(board, [
        { kind: 'module', image },
        { kind: 'invoke', module: 0, name: 'run', args: [] },
      ], { countInstructions: true, timeoutMs: 600_000 });
      const r = out.results[1];
      const m = out.results[0];
      if (m?.kind !== 'ok') {
        status.push('load failed');
        errors.push(`module: ${JSON.stringify(m)} ${out.log}`);
      } else if (r?.kind === 'values' && r.values.length === 1) {
        xipwasmInstructions = r.instructions;
        const got = unsignedChecksum(p, (r.values[0] as { bits: bigint }).bits);
        if (got !== ref.expected) {
          status.push('xipwasm≠');
          errors.push(`xipwasm checksum ${got} != expected ${ref.expected}`);
        }
      } else {
        status.push(r?.kind === 'trap' ? 'trap' : `run ${r?.kind ?? 'failed'}`);
        errors.push(`run: ${JSON.stringify(r)} ${out.log}`.slice(0, 800));
      }
    } catch (e) {
      status.push('run failed');
      errors.push(errorText(e));
    }
  }
  return {
    program: p.name, nativeInstructions, xipwasmInstructions, nativeText, xipwasmText, compileMs,
    status: status.length === 0 ? 'ok' : status.join(', '), errors,
  };
}

function geomean(xs: readonly number[]): number | undefined {
  if (xs.length === 0) return undefined;
  return Math.exp(xs.reduce((s, x) => s + Math.log(x), 0) / xs.length);
}

function ratio(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined || b === undefined || b === 0 ? undefined : a / b;
}

const fmt = (n: number | undefined, digits = 0): string =>
  n === undefined ? '–' : digits === 0 ? Math.round(n).toLocaleString('en-US') : n.toFixed(digits);

export interface BoardTable {
  readonly board: BoardName;
  readonly rows: readonly BenchRow[];
  readonly speedGeomean: number | undefined;
  readonly sizeGeomean: number | undefined;
}

export function summarize(board: BoardName, rows: readonly BenchRow[]): BoardTable {
  const good = rows.filter((r) => r.status === 'ok');
  const speed = good.map((r) => ratio(r.xipwasmInstructions, r.nativeInstructions)).filter((x): x is number => x !== undefined);
  const size = rows.map((r) => ratio(r.xipwasmText, r.nativeText)).filter((x): x is number => x !== undefined);
  return { board, rows, speedGeomean: geomean(speed), sizeGeomean: geomean(size) };
}

const HEADER = ['program', 'native instr', 'xipwasm instr', 'ratio', 'native text B', 'xipwasm text B', 'size ratio', 'compile ms', 'checksum'];

function cells(r: BenchRow): string[] {
  return [
    r.program, fmt(r.nativeInstructions), fmt(r.xipwasmInstructions), fmt(ratio(r.xipwasmInstructions, r.nativeInstructions), 2),
    fmt(r.nativeText), fmt(r.xipwasmText), fmt(ratio(r.xipwasmText, r.nativeText), 2), fmt(r.compileMs, 2), r.status,
  ];
}

function geoCells(t: BoardTable): string[] {
  const n = t.rows.filter((r) => r.status === 'ok').length;
  return [`geometric mean (${n} ok)`, '', '', fmt(t.speedGeomean, 2), '', '', fmt(t.sizeGeomean, 2), '', ''];
}

function boardTitle(board: BoardName): string {
  return `${board} (${boardSpec(board).cpu}${workloadOf(board) === 'small' ? ', small workloads' : ''})`;
}

export function textTable(t: BoardTable): string {
  const rows = [HEADER, ...t.rows.map(cells), geoCells(t)];
  const widths = HEADER.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]): string => r.map((c, i) => (i === 0 || i === r.length - 1 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ');
  return [boardTitle(t.board), line(HEADER), ...t.rows.map((r) => line(cells(r))), line(geoCells(t))].join('\n');
}

export function markdownTable(t: BoardTable): string {
  const row = (c: string[]): string => `| ${c.join(' | ')} |`;
  const g = geoCells(t).map((c, i) => (i === 0 || c === '' ? c : `**${c}**`));
  return [row(HEADER), row(HEADER.map((_, i) => (i === 0 || i === HEADER.length - 1 ? '---' : '---:'))),
    ...t.rows.map((r) => row(cells(r))), row(g)].join('\n');
}

interface Args {
  boards: BoardName[];
  optLevel: number | undefined;
  only: string[] | undefined;
  jobs: number;
  updateDocs: boolean;
  nativeCflags: string[];
  /** compile with --enable-dump-call-stack (its cost: docs/compiler.md) */
  dumpCallStack: boolean;
}

function parseArgs(argv: readonly string[]): Args {
  const a: Args = { boards: [...CODEGEN_BOARD_NAMES], optLevel: undefined, only: undefined, jobs: 4, updateDocs: false, nativeCflags: [], dumpCallStack: false };
  for (const arg of argv) {
    const [k, v] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, ''];
    if (k === '--board') a.boards = v.split(',').map((b) => boardSpec(b).name);
    else if (k === '--opt-level') a.optLevel = Number(v);
    else if (k === '--only') a.only = v.split(',');
    else if (k === '--jobs') a.jobs = Math.max(1, Number(v));
    else if (k === '--update-docs') a.updateDocs = true;
    else if (k === '--enable-dump-call-stack') a.dumpCallStack = true;
    else if (k === '--native-cflags') a.nativeCflags = v.split(/[\s,]+/).filter((f) => f !== '');
    else throw new Error(`unknown argument ${arg} (--board=, --opt-level=, --only=, --jobs=, --native-cflags=, --enable-dump-call-stack, --update-docs)`);
  }
  return a;
}

async function pool<T, R>(items: readonly T[], jobs: number, f: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await f(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, items.length) }, worker));
  return out;
}

/** HEAD, marked when the compiler, runtime or boards differ from it (the tree is shared while people work). */
function commitHash(): string {
  try {
    const opts = { cwd: repoRoot(), encoding: 'utf8' as const };
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], opts).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src', 'runtime', 'boards', 'bench'], opts).trim();
    return dirty === '' ? head : `${head}+uncommitted changes`;
  } catch {
    return 'unknown';
  }
}

const BEGIN = '<!-- bench:results:begin -->';
const END = '<!-- bench:results:end -->';
const MEASURED = /^Measured .*$/m;

/**
 * The results block with the given boards' sections replaced (or added) and the others kept: boards are benched
 * one at a time on a small machine, so each section carries its own date, commit and command. A block written
 * before that has one "Measured" line above all sections; it moves into the sections that have none.
 */
export function mergeBenchResults(block: string, sections: ReadonlyMap<string, string>, order: readonly string[]): string {
  const starts = [...block.matchAll(/^### (\S+)/gm)];
  const preamble = block.slice(0, starts[0]?.index ?? block.length);
  const shared = MEASURED.exec(preamble)?.[0];
  const kept = new Map<string, string>();
  starts.forEach((m, i) => {
    let text = block.slice(m.index, starts[i + 1]?.index ?? block.length).trim();
    if (!MEASURED.test(text) && shared !== undefined) text = text.replace(/\n\n/, `\n\n${shared}\n\n`);
    kept.set(m[1] as string, text);
  });
  for (const [board, text] of sections) kept.set(board, text.trim());
  const rank = (b: string): number => (order.includes(b) ? order.indexOf(b) : order.length);
  const boards = [...kept.keys()].sort((a, b) => rank(a) - rank(b));
  return boards.map((b) => `${kept.get(b) as string}\n`).join('\n');
}

function updateDocs(tables: readonly BoardTable[], command: string): void {
  const path = join(repoRoot(), 'docs', 'performance.md');
  const doc = readFileSync(path, 'utf8');
  const i = doc.indexOf(BEGIN);
  const j = doc.indexOf(END);
  if (i < 0 || j < i) throw new Error(`${path}: missing ${BEGIN} / ${END}`);
  const date = new Date().toISOString().slice(0, 16).replace('T', ' ');
  const measured = `Measured ${date} UTC at commit \`${commitHash()}\` with \`${command}\`.`;
  const sections = new Map(tables.map((t) => [t.board as string,
    [`### ${boardTitle(t.board)}`, '', measured, '', markdownTable(t)].join('\n')]));
  const merged = mergeBenchResults(doc.slice(i + BEGIN.length, j), sections, BOARD_NAMES);
  writeFileSync(path, `${doc.slice(0, i)}${BEGIN}\n${merged}${END}${doc.slice(j + END.length)}`);
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const programs = args.only === undefined ? PROGRAMS : PROGRAMS.filter((p) => args.only?.includes(p.name));
  if (programs.length === 0) throw new Error('no program selected');
  const refs = new Map<string, Reference>();
  const tables: BoardTable[] = [];
  for (const board of args.boards) {
    const workload = workloadOf(board);
    for (const p of programs) {
      if (!refs.has(`${workload}:${p.name}`)) refs.set(`${workload}:${p.name}`, await reference(p, workload));
    }
    const rows = await pool(programs, args.jobs, (p) => benchProgram(p, refs.get(`${workload}:${p.name}`) as Reference, board, args.optLevel, args.nativeCflags, args.dumpCallStack));
    const t = summarize(board, rows);
    tables.push(t);
    console.log(textTable(t));
    for (const r of rows) for (const e of r.errors) console.log(`  ${r.program}: ${e.split('\n').slice(0, 6).join('\n    ')}`);
    console.log('');
  }
  if (args.updateDocs) {
    const argv = process.argv.slice(2).filter((a) => a !== '--update-docs');
    updateDocs(tables, ['npm run bench', ...(argv.length > 0 ? ['--', ...argv] : [])].join(' '));
    console.log('docs/performance.md updated');
  }
}

if (process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  main().catch((e: unknown) => {
    console.error(errorText(e));
    process.exitCode = 1;
  });
}

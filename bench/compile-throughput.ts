/**
 * Compile throughput: MB/s of code section turned into an XIP AOT image (decode + validate + code generation +
 * AOT writing: the whole compileModule call), per target CPU, on a large real-world module; and the wall time of
 * the whole `xipwasm compile` process, which a user waits for: Node's startup, loading the compiler, and a cold
 * JIT, with one thread (--jobs=1) and with the default thread count.
 * `npm run bench:compile -- [--runs=N] [--process-runs=N] [--opt-level=N] [--cpu=a,b] [--compare=path/to/xipwasm.js]
 * [--allocations] [module.wasm ...]`; default module: sql.js's sql-wasm.wasm (a devDependency). `--compare` times another build's
 * CLI (a checkout of an older commit) in the same run, its processes interleaved with this one's. Wall time is the
 * point here, so figures vary from machine to machine and with what else runs on it. `--allocations` instead
 * reports the bytes one warm compile allocates (V8's sampling heap profiler, objects the GC has already collected
 * included) and the functions that allocate most.
 */
import { spawnSync } from 'node:child_process';
import { Session } from 'node:inspector';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { compileModule } from '../src/compile.js';
import { repoRoot } from '../src/run/index.js';

/** The code section's payload size (section id 10), walking the section headers. */
export function codeSectionSize(bytes: Uint8Array): number {
  let at = 8;
  const leb = (): number => {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = bytes[at++];
      if (b === undefined) throw new RangeError('truncated module');
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
      shift += 7;
    }
  };
  while (at < bytes.length) {
    const id = bytes[at++];
    const size = leb();
    if (id === 10) return size;
    at += size;
  }
  return 0;
}

interface Args {
  files: string[]; runs: number; processRuns: number; optLevel: number | undefined; cpus: string[]; updateDocs: boolean;
  compare: string | undefined; allocations: boolean;
}

function parseArgs(argv: readonly string[]): Args {
  const a: Args = {
    files: [], runs: 5, processRuns: 5, optLevel: undefined, cpus: ['cortex-m3', 'cortex-m55'], updateDocs: false, compare: undefined, allocations: false,
  };
  for (const arg of argv) {
    if (arg.startsWith('--runs=')) a.runs = Math.max(1, Number(arg.slice(7)));
    else if (arg.startsWith('--process-runs=')) a.processRuns = Math.max(0, Number(arg.slice(15)));
    else if (arg.startsWith('--compare=')) a.compare = resolve(arg.slice(10));
    else if (arg === '--allocations') a.allocations = true;
    else if (arg.startsWith('--opt-level=')) a.optLevel = Number(arg.slice(12));
    else if (arg.startsWith('--cpu=')) a.cpus = arg.slice(6).split(',');
    else if (arg === '--update-docs') a.updateDocs = true;
    else if (arg.startsWith('--')) throw new Error(`unknown argument ${arg} (--runs=, --process-runs=, --opt-level=, --cpu=, --compare=, --allocations, --update-docs)`);
    else a.files.push(resolve(arg));
  }
  if (a.files.length === 0) {
    const p = join(repoRoot(), 'node_modules', 'sql.js', 'dist', 'sql-wasm.wasm');
    if (existsSync(p)) a.files.push(p);
  }
  return a;
}

export interface ThroughputRow {
  readonly module: string;
  readonly cpu: string;
  readonly codeBytes: number;
  readonly functions: number;
  readonly textBytes: number;
  readonly bestMs: number;
  readonly medianMs: number;
}

/** One warm-up compile, then `runs` timed ones. Throws the compiler's error if the module does not compile. */
export function measureCompile(bytes: Uint8Array, cpu: string, runs: number, optLevel: number | undefined): Omit<ThroughputRow, 'module'> {
  const first = compileModule(bytes, { cpu, xip: true, optLevel });
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    compileModule(bytes, { cpu, xip: true, optLevel });
    times.push(performance.now() - t0);
  }
  times.sort((x, y) => x - y);
  return {
    cpu, codeBytes: codeSectionSize(bytes), functions: first.stats.functions, textBytes: first.stats.textBytes,
    bestMs: times[0] as number, medianMs: times[times.length >> 1] as number,
  };
}

const median = (xs: readonly number[]): number => [...xs].sort((x, y) => x - y)[xs.length >> 1] as number;

/** One `xipwasm compile` process (`cli`: a bin/xipwasm.js), its wall time in ms; throws if it fails. */
function timeProcess(cli: string, args: readonly string[]): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [cli, 'compile', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${cli} compile ${args.join(' ')}: status ${r.status}: ${r.stderr.toString()}`);
  return ms;
}

/**
 * Median wall time of `runs` processes per configuration, the configurations taking turns (so that a burst of load
 * on a shared machine hits all of them alike): [this CLI --jobs=1, this CLI, then the compared CLI if any].
 */
export function measureProcesses(file: string, cpu: string, optLevel: number | undefined, runs: number, compare: string | undefined): number[] {
  const dir = mkdtempSync(join(tmpdir(), 'xw-bench-compile-'));
  try {
    const common = [file, `--cpu=${cpu}`, '--xip', ...(optLevel === undefined ? [] : [`--opt-level=${optLevel}`]), '-o', join(dir, 'out.aot')];
    const ours = join(repoRoot(), 'bin', 'xipwasm.js');
    const configs: [string, string[]][] = [[ours, [...common, '--jobs=1']], [ours, common]];
    if (compare !== undefined) configs.push([compare, common]);
    const times: number[][] = configs.map(() => []);
    for (let i = 0; i < runs; i++) configs.forEach(([cli, args], k) => times[k]!.push(timeProcess(cli, args)));
    return times.map(median);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface SamplingNode { callFrame: { functionName: string; url: string; lineNumber: number }; selfSize: number; children: SamplingNode[] }

/** Bytes allocated by one compile after a warm-up, and the `top` functions allocating most (name, file:line, bytes). */
export async function measureAllocations(bytes: Uint8Array, cpu: string, optLevel: number | undefined, top: number): Promise<{ total: number; by: [string, number][] }> {
  compileModule(bytes, { cpu, xip: true, optLevel });
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object): Promise<unknown> =>
    new Promise((res, rej) => session.post(method, params, (e, r) => (e ? rej(e) : res(r))));
  await post('HeapProfiler.enable');
  await post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  compileModule(bytes, { cpu, xip: true, optLevel });
  const { profile } = await post('HeapProfiler.stopSampling') as { profile: { head: SamplingNode } };
  session.disconnect();
  const by = new Map<string, number>();
  let total = 0;
  const walk = (n: SamplingNode): void => {
    const f = n.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').slice(-2).join('/')}:${f.lineNumber + 1}`;
    by.set(key, (by.get(key) ?? 0) + n.selfSize);
    total += n.selfSize;
    n.children.forEach(walk);
  };
  walk(profile.head);
  return { total, by: [...by].sort((x, y) => y[1] - x[1]).slice(0, top) };
}

const BEGIN = '<!-- compile:results:begin -->';
const END = '<!-- compile:results:end -->';

function writeDocs(rows: readonly string[][], note: string, command: string): void {
  const path = join(repoRoot(), 'docs', 'performance.md');
  const doc = readFileSync(path, 'utf8');
  const i = doc.indexOf(BEGIN);
  const j = doc.indexOf(END);
  if (i < 0 || j < i) throw new Error(`${path}: missing ${BEGIN} / ${END}`);
  const line = (r: readonly string[]): string => `| ${r.join(' | ')} |`;
  const head = rows[0] as string[];
  const body = [
    BEGIN,
    `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC with \`${command}\` (${note}).`,
    '',
    line(head), line(head.map((_, k) => (k < 2 ? '---' : '---:'))), ...rows.slice(1).map(line),
    END,
  ].join('\n');
  writeFileSync(path, doc.slice(0, i) + body + doc.slice(j + END.length));
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (args.files.length === 0) {
    console.log('no module found: run `npm install` (sql.js is a devDependency) or pass a .wasm path');
    return 1;
  }
  if (args.allocations) {
    for (const f of args.files) {
      for (const cpu of args.cpus) {
        const a = await measureAllocations(new Uint8Array(readFileSync(f)), cpu, args.optLevel, 12);
        console.log(`${basename(f)} ${cpu} opt-level ${args.optLevel ?? 'default'}: ${(a.total / 1e6).toFixed(0)} MB allocated by one compile`);
        for (const [k, b] of a.by) console.log(`${(b / 1e6).toFixed(1).padStart(8)} MB  ${k}`);
      }
    }
    return 0;
  }
  const mbps = (bytes: number, ms: number): string => (bytes / 1e6 / (ms / 1e3)).toFixed(2);
  const head = ['module', 'cpu', 'functions', 'code KiB', 'text KiB', 'best ms', 'median ms', 'best MB/s', 'median MB/s'];
  if (args.processRuns > 0) head.push('process ms --jobs=1', 'process ms, default jobs');
  if (args.processRuns > 0 && args.compare !== undefined) head.push('process ms, --compare');
  const rows: string[][] = [head];
  let failed = 0;
  for (const f of args.files) {
    const bytes = new Uint8Array(readFileSync(f));
    for (const cpu of args.cpus) {
      try {
        const r = measureCompile(bytes, cpu, args.runs, args.optLevel);
        const processes = args.processRuns > 0 ? measureProcesses(f, cpu, args.optLevel, args.processRuns, args.compare) : [];
        rows.push([basename(f), cpu, String(r.functions), (r.codeBytes / 1024).toFixed(0), (r.textBytes / 1024).toFixed(0),
          r.bestMs.toFixed(0), r.medianMs.toFixed(0), mbps(r.codeBytes, r.bestMs), mbps(r.codeBytes, r.medianMs),
          ...processes.map((ms) => ms.toFixed(0))]);
      } catch (e) {
        failed++;
        console.log(`${basename(f)} (${cpu}): ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
      }
    }
  }
  const widths = (rows[0] as string[]).map((_, c) => Math.max(...rows.map((r) => (r[c] as string).length)));
  for (const r of rows) console.log(r.map((c, i) => (i < 2 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  '));
  const processNote = args.processRuns > 0
    ? `; process ms: median wall time of ${args.processRuns} \`xipwasm compile --xip\` processes per column, the columns taking turns` +
      (args.compare === undefined ? '' : ` (--compare: ${args.compare})`)
    : '';
  const note = `${args.runs} timed runs after one warm-up; MB/s = code section bytes / compileModule time${processNote}; node ${process.version}; ` +
    `${cpus().length} CPUs, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`;
  console.log(`(${note})`);
  if (args.updateDocs) {
    const argv = process.argv.slice(2).filter((x) => x !== '--update-docs');
    writeDocs(rows, note, ['npm run bench:compile', ...(argv.length > 0 ? ['--', ...argv] : [])].join(' '));
    console.log('docs/performance.md updated');
  }
  return failed > 0 ? 1 : 0;
}

if (process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  process.exitCode = await main();
}

/**
 * Which functions the optimizing tier leaves to tier 0, and why, per CPU and corpus.
 * `npm run bench:fallbacks -- [--cpu=a,b] [--corpus=sqljs,bench,spec] [--top=N] [module.wasm ...]`
 * Corpora: sql.js's sql-wasm.wasm (devDependency), the 15 benchmark programs (built with clang/asc, cached), and
 * every module of the spec suite (XIPWASM_TESTSUITE; the modules wast2json writes, which are all valid). Counts
 * are deterministic: the reason is the first one the optimizing tier gives for a function
 * (`CodegenStats.tier0`).
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { compileModule } from '../src/compile.js';
import { repoRoot } from '../src/run/index.js';
import { PROGRAMS } from './programs.js';
import { buildWasm } from './build.js';
import { findTestsuite, listWastFiles, loadWast, wast2jsonAvailable } from '../test/spec/wast.js';

type Corpus = 'sqljs' | 'bench' | 'spec' | 'files';

interface Args { cpus: string[]; corpora: Corpus[]; top: number; files: string[] }

function parseArgs(argv: readonly string[]): Args {
  const a: Args = { cpus: ['cortex-m3', 'cortex-m4', 'cortex-m55'], corpora: ['sqljs', 'bench', 'spec'], top: 8, files: [] };
  for (const arg of argv) {
    if (arg.startsWith('--cpu=')) a.cpus = arg.slice(6).split(',');
    else if (arg.startsWith('--corpus=')) a.corpora = arg.slice(9).split(',') as Corpus[];
    else if (arg.startsWith('--top=')) a.top = Number(arg.slice(6));
    else if (arg.startsWith('--')) throw new Error(`unknown argument ${arg} (--cpu=, --corpus=, --top=)`);
    else a.files.push(resolve(arg));
  }
  if (a.files.length > 0) a.corpora = ['files'];
  return a;
}

async function corpusModules(corpus: Corpus, files: readonly string[]): Promise<{ name: string; bytes: Uint8Array }[]> {
  switch (corpus) {
    case 'files':
      return files.map((f) => ({ name: basename(f), bytes: new Uint8Array(readFileSync(f)) }));
    case 'sqljs': {
      const p = join(repoRoot(), 'node_modules', 'sql.js', 'dist', 'sql-wasm.wasm');
      return existsSync(p) ? [{ name: 'sql-wasm.wasm', bytes: new Uint8Array(readFileSync(p)) }] : [];
    }
    case 'bench': {
      const out: { name: string; bytes: Uint8Array }[] = [];
      for (const p of PROGRAMS) out.push({ name: p.name, bytes: (await buildWasm(p)).bytes });
      return out;
    }
    case 'spec': {
      const dir = findTestsuite();
      if (dir === undefined || !wast2jsonAvailable()) return [];
      const out: { name: string; bytes: Uint8Array }[] = [];
      for (const wast of listWastFiles(dir)) {
        for (const c of loadWast(wast).commands) {
          if (c.type !== 'module' || c.module.moduleType !== 'binary') continue;
          out.push({ name: `${basename(wast)}:${c.line}`, bytes: new Uint8Array(readFileSync(c.module.path)) });
        }
      }
      return out;
    }
  }
}

interface Tally { modules: number; functions: number; tier0: number; refused: number; reasons: Map<string, number> }

function tally(mods: readonly { name: string; bytes: Uint8Array }[], cpu: string): Tally {
  const t: Tally = { modules: 0, functions: 0, tier0: 0, refused: 0, reasons: new Map() };
  for (const m of mods) {
    let stats;
    try {
      stats = compileModule(m.bytes, { cpu, xip: true }).stats;
    } catch {
      // a spec module this compiler refuses as a whole (a feature it does not take): not a fallback
      t.refused++;
      continue;
    }
    t.modules++;
    t.functions += stats.functions;
    t.tier0 += stats.functions - stats.optimized;
    for (const [why, n] of stats.tier0) t.reasons.set(why, (t.reasons.get(why) ?? 0) + n);
  }
  return t;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  process.stdout.write('| corpus | cpu | modules | functions | tier 0 | reasons (functions) |\n|---|---|---|---|---|---|\n');
  for (const corpus of args.corpora) {
    const mods = await corpusModules(corpus, args.files);
    if (mods.length === 0) {
      process.stdout.write(`| ${corpus} | | skipped (not available) | | | |\n`);
      continue;
    }
    for (const cpu of args.cpus) {
      const t = tally(mods, cpu);
      const reasons = [...t.reasons].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1));
      const shown = reasons.slice(0, args.top).map(([why, n]) => `${why} ${n}`);
      if (reasons.length > args.top) shown.push(`${reasons.length - args.top} more`);
      const refused = t.refused > 0 ? ` (+${t.refused} not compiled)` : '';
      process.stdout.write(`| ${corpus} | ${cpu} | ${t.modules}${refused} | ${t.functions} | ${t.tier0} | ${shown.join(', ')} |\n`);
    }
  }
}

await main();

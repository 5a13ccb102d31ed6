/**
 * Code size of the compiler's output: the AOT text of the 15 benchmark programs and sql.js per CPU, with a
 * hash of each image, optionally next to another build's (`--compare=path/to/checkout`, whose `dist/` is built:
 * its `dist/src/compile.js` compiles the same modules). For refactors that must keep the code: identical
 * hashes mean identical images.
 * `npm run bench:sizes -- [--cpu=a,b] [--opt-level=N] [--compare=DIR] [module.wasm ...]`
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { compileModule } from '../src/compile.js';
import { repoRoot } from '../src/run/index.js';
import { PROGRAMS } from './programs.js';
import { buildWasm } from './build.js';

type Compile = typeof compileModule;

interface Args { cpus: string[]; optLevel: number | undefined; compare: string | undefined; files: string[] }

function parseArgs(argv: readonly string[]): Args {
  const a: Args = { cpus: ['cortex-m3', 'cortex-m4', 'cortex-m55'], optLevel: undefined, compare: undefined, files: [] };
  for (const arg of argv) {
    if (arg.startsWith('--cpu=')) a.cpus = arg.slice(6).split(',');
    else if (arg.startsWith('--opt-level=')) a.optLevel = Number(arg.slice(12));
    else if (arg.startsWith('--compare=')) a.compare = resolve(arg.slice(10));
    else if (arg.startsWith('--')) throw new Error(`unknown argument ${arg} (--cpu=, --opt-level=, --compare=)`);
    else a.files.push(resolve(arg));
  }
  return a;
}

async function modules(files: readonly string[]): Promise<{ name: string; bytes: Uint8Array }[]> {
  if (files.length > 0) return files.map((f) => ({ name: basename(f), bytes: new Uint8Array(readFileSync(f)) }));
  const out: { name: string; bytes: Uint8Array }[] = [];
  for (const p of PROGRAMS) out.push({ name: p.name, bytes: (await buildWasm(p)).bytes });
  const sql = join(repoRoot(), 'node_modules', 'sql.js', 'dist', 'sql-wasm.wasm');
  if (existsSync(sql)) out.push({ name: 'sql.js', bytes: new Uint8Array(readFileSync(sql)) });
  return out;
}

function measure(compile: Compile, bytes: Uint8Array, cpu: string, optLevel: number | undefined): { text: number; hash: string } {
  const r = compile(bytes, { cpu, xip: true, ...(optLevel === undefined ? {} : { optLevel }) });
  return { text: r.stats.textBytes, hash: createHash('sha256').update(r.image).digest('hex').slice(0, 12) };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const other = args.compare === undefined ? undefined
    : ((await import(pathToFileURL(join(args.compare, 'dist', 'src', 'compile.js')).href)) as { compileModule: Compile }).compileModule;
  const mods = await modules(args.files);
  console.log(other === undefined ? '| module | cpu | text bytes | image |\n|---|---|---:|---|'
    : '| module | cpu | text bytes (compare → this) | change | image |\n|---|---|---:|---:|---|');
  for (const cpu of args.cpus) {
    let total = 0;
    let totalOther = 0;
    for (const m of mods) {
      const now = measure(compileModule, m.bytes, cpu, args.optLevel);
      total += now.text;
      if (other === undefined) { console.log(`| ${m.name} | ${cpu} | ${now.text} | ${now.hash} |`); continue; }
      const was = measure(other, m.bytes, cpu, args.optLevel);
      totalOther += was.text;
      const same = was.hash === now.hash ? 'identical' : `${was.hash} → ${now.hash}`;
      console.log(`| ${m.name} | ${cpu} | ${was.text} → ${now.text} | ${now.text - was.text >= 0 ? '+' : ''}${now.text - was.text} | ${same} |`);
    }
    if (other === undefined) console.log(`| total | ${cpu} | ${total} | |`);
    else console.log(`| total | ${cpu} | ${totalOther} → ${total} | ${total - totalOther >= 0 ? '+' : ''}${total - totalOther} | |`);
  }
}

await main();

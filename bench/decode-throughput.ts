/**
 * Front-end throughput: decode + validate MB/s on large real-world modules.
 * `npm run bench:decode` (after `npm run build`); optional args: module paths and
 * `--runs N`. Default module: sql.js's sql-wasm.wasm (a devDependency).
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeModule, parseModule } from '../src/wasm/index.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = resolve(here, '../..');

function parseArgs(argv: readonly string[]): { files: string[]; runs: number } {
  let runs = 30;
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--runs') runs = Number(argv[++i]);
    else files.push(resolve(a));
  }
  if (files.length === 0) {
    for (const f of ['sql-wasm.wasm', 'sql-wasm-debug.wasm']) {
      const p = resolve(root, 'node_modules/sql.js/dist', f);
      if (existsSync(p)) files.push(p);
    }
  }
  return { files, runs };
}

function measure(fn: () => void, runs: number): { best: number; median: number } {
  // warm-up so that the figures are for optimized code
  for (let i = 0; i < 3; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { best: times[0]!, median: times[times.length >> 1]! };
}

function main(): number {
  const { files, runs } = parseArgs(process.argv.slice(2));
  if (files.length === 0) {
    process.stdout.write('no module found: run `npm install` (sql.js is a devDependency) or pass a .wasm path\n');
    return 1;
  }
  const rows: string[][] = [['module', 'size', 'phase', 'best MB/s', 'median MB/s', 'best ms']];
  for (const f of files) {
    const bytes = new Uint8Array(readFileSync(f));
    const mb = bytes.length / 1e6;
    const dec = measure(() => { decodeModule(bytes); }, runs);
    const all = measure(() => { parseModule(bytes); }, runs);
    const size = `${(bytes.length / 1024).toFixed(0)} KiB`;
    rows.push([basename(f), size, 'decode', (mb / (dec.best / 1e3)).toFixed(1), (mb / (dec.median / 1e3)).toFixed(1), dec.best.toFixed(2)]);
    rows.push([basename(f), size, 'decode+validate', (mb / (all.best / 1e3)).toFixed(1), (mb / (all.median / 1e3)).toFixed(1), all.best.toFixed(2)]);
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  for (const r of rows) process.stdout.write(r.map((cell, c) => (c === 0 || c === 2 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ') + '\n');
  process.stdout.write(`(${runs} runs after 3 warm-up runs, node ${process.version})\n`);
  return 0;
}

process.exitCode = main();

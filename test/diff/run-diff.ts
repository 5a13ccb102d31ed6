/**
 * Differential testing CLI: random modules (wasm-opt -ttf), V8 vs the compiler on an emulated board.
 *
 *   node dist/test/diff/run-diff.js --board=mps2-an385 --modules=200 --seed=1000 [--repros=DIR] [--per-batch=6]
 *        [--input-bytes=4096] [--passes=-O2]   (wasm-opt passes after -ttf, comma-separated; --denan avoids NaNs)
 *   node dist/test/diff/run-diff.js --board=both --source=grid            (operator, memory, NaN, alias, branch, bulk, far grids)
 *   compiler variants: --intrinsics=all (every operator through the runtime), --indirect (calls via the table),
 *        --opt-level=0 (the fast configuration)
 *   small boards (the micro:bit, test/diff/small.ts): the ttf modules keep their addresses in bounds (--no-fuzz-oob)
 *        and the board runs them in a 1 KiB memory of 1-byte pages; --source=grid runs smallBoardGrids() there.
 *        --small-memory does the same on every board (on mps2-an385: the check that the rewrite changes no result)
 *   node dist/test/diff/run-diff.js --board=mps3-an547 --check=file.wasm --seed=S   (one module, its random
 *        arguments from seed S; exit 1 on a mismatch: the interestingness test of wasm-reduce, see reduce.sh)
 *
 * Module k of a run has seed S+k: `--seed=S+k --modules=1` reruns it alone. A mismatching module is saved as
 * <repros>/<seed>.wasm (its imports are spectest prints), with the details in <seed>-<board>.txt.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BoardName } from '../../src/run/boards.js';
import { BOARD_NAMES, CODEGEN_BOARD_NAMES } from '../../src/run/boards.js';
import { UsageError } from '../../src/errors.js';
import type { BoardModule, CompileVariant, Mismatch, PreparedModule } from './diff.js';
import { compileFor, describeMismatch, newStats, normalizeMessage, prepare, runOnBoard } from './diff.js';
import { generateModule, runWasmOpt, TTF_FEATURES } from './gen.js';
import { aliasGrid, assemble, branchGrid, bulkGrid, farGrid, memoryGrid, nanGrid, operatorGrid, smallBoardGrids } from './gen-ops.js';
import { forBoard, isSmallBoard } from './small.js';

interface Args {
  boards: BoardName[];
  modules: number;
  seed: number;
  repros: string | undefined;
  perBatch: number;
  inputBytes: number;
  passes: string[];
  check: string | undefined;
  quiet: boolean;
  /** ttf: random modules; grid: the operator, memory, NaN, alias, branch, bulk and far-branch grids (gen-ops.ts), seeds -1..-7 */
  source: 'ttf' | 'grid';
  variant: CompileVariant;
  /** every board runs the modules in a small memory, as small boards always do */
  smallMemory: boolean;
}

function parseArgs(argv: readonly string[]): Args {
  const a: Args = { boards: [...CODEGEN_BOARD_NAMES], modules: 20, seed: 1, repros: '/work/notes/diff-repros', perBatch: 0, inputBytes: 4096, passes: [], check: undefined, quiet: false, source: 'ttf', variant: {}, smallMemory: false };
  for (const arg of argv) {
    const [k, v = ''] = arg.split('=', 2) as [string, string | undefined];
    switch (k) {
      case '--board':
        if (v === 'both' || v === 'all') a.boards = [...CODEGEN_BOARD_NAMES];
        else if ((BOARD_NAMES as readonly string[]).includes(v)) a.boards = [v as BoardName];
        else throw new UsageError(`unknown board '${v}' (${BOARD_NAMES.join(', ')}, both)`);
        break;
      case '--modules': a.modules = Number(v); break;
      case '--seed': a.seed = Number(v); break;
      case '--repros': a.repros = v === '' || v === 'none' ? undefined : v; break;
      case '--per-batch': a.perBatch = Number(v); break;
      case '--input-bytes': a.inputBytes = Number(v); break;
      case '--passes': a.passes = v.split(',').filter((x) => x !== ''); break;
      case '--check': a.check = v; break;
      case '--intrinsics': a.variant = { ...a.variant, enableBuiltinIntrinsics: v }; break;
      case '--indirect': a.variant = { ...a.variant, enableIndirectMode: true }; break;
      case '--opt-level': a.variant = { ...a.variant, optLevel: Number(v) }; break;
      case '--quiet': a.quiet = true; break;
      case '--small-memory': a.smallMemory = true; break;
      case '--source':
        if (v !== 'ttf' && v !== 'grid') throw new UsageError(`--source is ttf or grid, not '${v}'`);
        a.source = v;
        break;
      default: throw new UsageError(`unknown option '${arg}'`);
    }
  }
  return a;
}

/** A value or print mismatch can be a NaN payload that reached an integer (reinterpret, store + load), which
    the spec leaves open: rerun with binaryen's --denan, which turns every NaN into 0, to tell it from a bug. */
async function triage(board: BoardName, p: PreparedModule, m: Mismatch, variant: CompileVariant, smallMemory: boolean): Promise<string> {
  if (m.kind !== 'value' && m.kind !== 'print') return 'triage: a bug whatever the NaNs';
  if (p.seed < 0) return 'triage: grid module (NaN rules applied)';
  let denan: Uint8Array;
  try {
    denan = runWasmOpt(p.bytes, ['--denan', ...TTF_FEATURES]);
  } catch (e) {
    return `triage: --denan failed: ${String(e).slice(0, 100)}`;
  }
  const q = prepare(p.seed, denan);
  const small = forBoard(board, denan, smallMemory);
  const image = typeof small === 'string' ? small : compileFor(board, small, variant);
  if (typeof q === 'string' || typeof image === 'string') return 'triage: the --denan module does not run';
  const stats = newStats();
  await runOnBoard(board, [{ prepared: q, image }], stats, { timeoutMs: 60_000, variant });
  const again = stats.mismatches[0];
  return again === undefined
    ? 'triage: gone with --denan: probably a NaN payload (spec nondeterminism), not a bug'
    : `triage: persists with --denan (${again.kind} at ${again.name}): a bug`;
}

/** The board the small-memory mismatches are checked on: the M3, tested against V8 with 64 KiB pages. */
const CONTROL: BoardName = 'mps2-an385';

/**
 * A module run in a small memory (test/diff/small.ts) departs from V8, which runs it in 64 KiB pages, when an
 * address escapes wasm-opt's masking (--no-fuzz-oob does not mask every pointer: a value made by a block, for one)
 * and lands between the small memory's end and the generated memory's. Such a mismatch shows on the control board
 * too: with the same small memory it is the same mismatch, and with 64 KiB pages it is gone.
 */
async function smallMemoryTriage(board: BoardName, p: PreparedModule, m: Mismatch, variant: CompileVariant): Promise<string | undefined> {
  const small = forBoard(CONTROL, p.bytes, true);
  if (typeof small === 'string' || p.seed < 0) return undefined;
  const run = async (bytes: Uint8Array): Promise<Mismatch | undefined> => {
    const image = compileFor(CONTROL, bytes, variant);
    if (typeof image === 'string') return undefined;
    const stats = newStats();
    await runOnBoard(CONTROL, [{ prepared: p, image }], stats, { timeoutMs: 60_000, variant });
    return stats.mismatches[0];
  };
  // with 64 KiB pages the control must agree with V8, or the mismatch is something else (a NaN payload, a bug)
  if (await run(p.bytes) !== undefined) return undefined;
  if (board === CONTROL) return 'triage: gone with 64 KiB pages: an access beyond the small memory, not a code-generator bug';
  const again = await run(small);
  return again !== undefined && again.kind === m.kind && again.call === m.call
    ? `triage: ${CONTROL} gives the same mismatch in the small memory and none with 64 KiB pages: an access beyond the small memory, not a bug of this board's code`
    : undefined;
}

async function check(args: Args, file: string): Promise<number> {
  const bytes = new Uint8Array(readFileSync(file));
  const p = prepare(args.seed, bytes);
  if (typeof p === 'string') {
    console.log(`invalid: ${p}`);
    return 0;
  }
  let found = false;
  for (const board of args.boards) {
    const stats = newStats();
    const small = forBoard(board, bytes, args.smallMemory);
    const image = typeof small === 'string' ? small : compileFor(board, small, args.variant);
    if (typeof image === 'string') {
      console.log(`compile error on ${board}`);
      continue;
    }
    await runOnBoard(board, [{ prepared: p, image }], stats, { timeoutMs: 30_000, variant: args.variant });
    for (const m of stats.mismatches) {
      // only the kind: wasm-reduce keeps a reduction when this output stays the same
      console.log(`mismatch ${m.kind} on ${board}`);
      found = true;
      break;
    }
  }
  if (!found) console.log('no mismatch');
  return found ? 1 : 0;
}

async function main(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv);
  if (args.check !== undefined) return check(args, args.check);
  const log = (s: string): void => { if (!args.quiet) console.error(s); };
  const prepared: PreparedModule[] = [];
  const invalid = new Map<string, number>();
  let generated = 0;
  const small = args.smallMemory || args.boards.some(isSmallBoard);
  if (args.source === 'grid' && args.boards.some((b) => !isSmallBoard(b))) {
    for (const [seed, g] of [[-1, operatorGrid()], [-2, memoryGrid()], [-3, nanGrid()], [-4, aliasGrid()], [-5, branchGrid()], [-6, bulkGrid()], [-7, farGrid(16000)]] as const) {
      generated++;
      // the bulk grid's calls build on each other's memory and table contents
      const p = prepare(seed, assemble(g.wat), g.calls, seed !== -6);
      if (typeof p === 'string') invalid.set(p, (invalid.get(p) ?? 0) + 1);
      else prepared.push(p);
    }
  }
  if (args.source === 'grid' && args.boards.some(isSmallBoard)) {
    for (const [seed, g] of smallBoardGrids()) {
      generated++;
      const p = prepare(seed, assemble(g.wat), g.calls, true);
      if (typeof p === 'string') invalid.set(p, (invalid.get(p) ?? 0) + 1);
      else prepared.push(p);
    }
  }
  for (let i = 0; i < (args.source === 'ttf' ? args.modules : 0); i++) {
    const seed = args.seed + i;
    let bytes: Uint8Array;
    try {
      bytes = generateModule(seed, { inputBytes: args.inputBytes, passes: args.passes, inBounds: small });
    } catch (e) {
      invalid.set(`generate: ${String(e).slice(0, 120)}`, (invalid.get('generate') ?? 0) + 1);
      continue;
    }
    generated++;
    const p = prepare(seed, bytes);
    if (typeof p === 'string') invalid.set(p, (invalid.get(p) ?? 0) + 1);
    else prepared.push(p);
  }
  const seeds = args.source === 'grid' ? 'grids' : `seeds ${args.seed}..${args.seed + args.modules - 1}${small ? ', in bounds (--no-fuzz-oob)' : ''}`;
  console.log(`modules generated: ${generated} (${seeds}), valid: ${prepared.length}`);
  for (const [m, n] of invalid) console.log(`  invalid x${n}: ${m}`);
  let total = 0;
  for (const board of args.boards) {
    const stats = newStats();
    const ready: BoardModule[] = [];
    const noSmallMemory = new Map<string, number>();
    for (const p of prepared) {
      // the grids of the other kind of board
      if (p.seed < 0 && (p.seed <= -11) !== isSmallBoard(board)) continue;
      const bytes = forBoard(board, p.bytes, args.smallMemory);
      if (typeof bytes === 'string') {
        noSmallMemory.set(bytes, (noSmallMemory.get(bytes) ?? 0) + 1);
        continue;
      }
      const image = compileFor(board, bytes, args.variant);
      if (typeof image === 'string') {
        const key = normalizeMessage(image);
        stats.compileErrors.set(key, (stats.compileErrors.get(key) ?? 0) + 1);
        stats.compileErrorSeeds.set(key, [...(stats.compileErrorSeeds.get(key) ?? []), p.seed]);
        continue;
      }
      stats.compiled++;
      ready.push({ prepared: p, image });
    }
    const start = Date.now();
    // a small board's 8 KiB arena holds the marker and four instances with 1 KiB memories; a grid's image fills its
    // 64 KiB blob region alone
    const perBatch = args.perBatch > 0 ? args.perBatch : !isSmallBoard(board) ? 6 : args.source === 'grid' ? 1 : 4;
    await runOnBoard(board, ready, stats, { perBatch, log, timeoutMs: 300_000, variant: args.variant });
    const planned = ready.reduce((n, m) => n + m.prepared.calls.length, 0);
    console.log(`${board}: modules compiled ${stats.compiled}/${prepared.length}, invocations compared ${stats.invocations} ` +
      `(of ${planned} planned), board stack limit hit ${stats.stackLimited}, mismatches ${stats.mismatches.length} ` +
      `[${((Date.now() - start) / 1000).toFixed(0)} s]`);
    for (const l of stats.limited) console.log(`  runtime limit (not compared): ${l}`);
    for (const [m, n] of noSmallMemory) console.log(`  no small memory (not run) x${n}: ${m}`);
    for (const [m, n] of stats.compileErrors) {
      const seeds = stats.compileErrorSeeds.get(m) ?? [];
      console.log(`  compile error x${n}: ${m} (seeds ${seeds.slice(0, 8).join(' ')}${seeds.length > 8 ? ' ...' : ''})`);
    }
    let real = 0;
    for (const m of stats.mismatches) {
      const p = prepared.find((x) => x.seed === m.seed);
      const inSmall = args.smallMemory || isSmallBoard(board);
      const why = p === undefined ? undefined
        : (inSmall ? await smallMemoryTriage(board, p, m, args.variant) : undefined) ?? await triage(board, p, m, args.variant, args.smallMemory);
      if (why === undefined || !/not a bug|not a code-generator bug/.test(why)) real++;
      const verdict = why === undefined ? '' : `\n  ${why}`;
      console.log(describeMismatch(m) + verdict);
      if (args.repros !== undefined) {
        mkdirSync(args.repros, { recursive: true });
        if (p !== undefined) writeFileSync(join(args.repros, `${m.seed}.wasm`), p.bytes);
        writeFileSync(join(args.repros, `${m.seed}-${m.board}.txt`), `${describeMismatch(m)}${verdict}\n`);
      }
    }
    console.log(`${board}: mismatches not explained by NaN payloads or the small memory (real): ${real}`);
    total += stats.mismatches.length;
  }
  return total === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (e: unknown) => {
  console.error(e instanceof UsageError ? e.message : e instanceof Error ? e.stack ?? e.message : String(e));
  process.exitCode = 2;
});

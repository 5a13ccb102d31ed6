/**
 * Where a benchmark program's instructions go: compiles it as `npm run bench` does (default level unless
 * --opt-level), runs `run()` once on the board with the counting plugin's block profile, and prints the blocks of
 * the image that executed the most instructions, each with its share of the total and its disassembly.
 * Counts are exact, like the bench's.
 * `npm run bench:profile -- --board=NAME [--opt-level=N] [--top=N] PROGRAM`
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileModule } from '../src/compile.js';
import { boardSpec, runBatch, type BoardName } from '../src/run/index.js';
import { disassembleThumb, type DisasmCpu } from '../src/run/disasm.js';
import { buildWasm, workloadOf } from './build.js';
import { findProgram } from './programs.js';

interface Args { board: BoardName; optLevel: number | undefined; top: number; program: string }

function parseArgs(argv: readonly string[]): Args {
  let board = 'mps2-an385', optLevel: number | undefined, top = 10, program: string | undefined;
  for (const arg of argv) {
    if (arg.startsWith('--board=')) board = arg.slice(8);
    else if (arg.startsWith('--opt-level=')) optLevel = Number(arg.slice(12));
    else if (arg.startsWith('--top=')) top = Number(arg.slice(6));
    else if (arg.startsWith('--')) throw new Error(`unknown argument ${arg} (--board=, --opt-level=, --top=)`);
    else program = arg;
  }
  if (program === undefined) throw new Error('name a bench program (bench/programs.ts)');
  return { board: boardSpec(board).name, optLevel, top, program };
}

interface Block { readonly pc: number; readonly n: number; runs: number }

/** The profile file's blocks, merged by address (a block translated twice has two records). */
function readProfile(text: string): Block[] {
  const byPc = new Map<number, Block>();
  for (const line of text.split('\n')) {
    const [pc, n, runs] = line.trim().split(' ');
    if (pc === undefined || n === undefined || runs === undefined) continue;
    const b = byPc.get(parseInt(pc, 16));
    if (b !== undefined) b.runs += Number(runs);
    else byPc.set(parseInt(pc, 16), { pc: parseInt(pc, 16), n: Number(n), runs: Number(runs) });
  }
  return [...byPc.values()];
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const p = findProgram(args.program);
  if (p === undefined) throw new Error(`no bench program ${args.program}`);
  const spec = boardSpec(args.board);
  if (spec.arch !== 'arm') throw new Error(`${args.board}: the profile disassembles Thumb only`);
  const { boardBytes } = await buildWasm(p, workloadOf(args.board));
  const { image } = compileModule(boardBytes, { cpu: spec.cpu, xip: true, optLevel: args.optLevel });
  const dir = mkdtempSync(join(tmpdir(), 'xipwasm-profile-'));
  try {
    const profileFile = join(dir, 'profile.txt');
    const out = await runBatch(args.board, [{ kind: 'module', image }, { kind: 'invoke', module: 0, name: 'run', args: [] }],
      { countInstructions: true, profileFile, timeoutMs: 600_000 });
    const r = out.results[1];
    const base = out.placements[0]?.address;
    if (r?.kind !== 'values' || base === undefined) throw new Error(`run: ${JSON.stringify(r, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}`);
    const blocks = readProfile(readFileSync(profileFile, 'utf8'));
    const total = blocks.reduce((s, b) => s + b.n * b.runs, 0);
    console.log(`${p.name} on ${args.board} (${spec.cpu}): ${r.instructions?.toLocaleString('en-US')} instructions counted, ` +
      `${total.toLocaleString('en-US')} in the image's own blocks (the rest in the runtime and libraries)`);
    const lines = await disassembleThumb(image, base, spec.cpu as DisasmCpu);
    const at = new Map<number, number>();
    lines.forEach((l, k) => { const m = /^\s*([0-9a-f]+):/.exec(l); if (m !== null) at.set(parseInt(m[1]!, 16), k); });
    blocks.sort((a, b) => b.n * b.runs - a.n * a.runs);
    for (const b of blocks.slice(0, args.top)) {
      const share = (100 * b.n * b.runs / total).toFixed(1);
      console.log(`\n-- image+0x${(b.pc - base).toString(16)}: ${b.n} instructions x ${b.runs.toLocaleString('en-US')} runs = ` +
        `${(b.n * b.runs).toLocaleString('en-US')} (${share}%)`);
      const k = at.get(b.pc);
      if (k !== undefined) for (const l of lines.slice(k, k + b.n)) console.log(l);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exitCode = 1;
});

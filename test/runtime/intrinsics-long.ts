/**
 * The long exactness run of the float intrinsics: `npm run exact:intrinsics -- [--board=m3,m0,m55,microbit,rv32,rv32f] [--tuples=N]
 * [--only=name,...]`.
 *
 * For every intrinsic with a float operand or result (and every condition of the cmp functions), N operand tuples
 * (default 10^6: for two operands all pairs of the special values, then half random pairs and half near-exponent and
 * cancellation pairs; for one operand the special values and random values) are evaluated in V8 and checked by the
 * driver on the board under QEMU, exactly as the bounded test does (test/runtime/intrinsics.test.ts). Prints one line
 * per operation and a total; exits 1 on any mismatch. About 10 minutes per board on this machine.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DriverBoard, FnSpec, ValT } from './intrinsics-vectors.js';
import { argTuples, BOARDS, buildBoardDriver, compileOps, fnTable, reseed, runBoardDriver, SPECS, vectorLines } from './intrinsics-vectors.js';

const isFloat = (t: ValT): boolean => t === 'f32' || t === 'f64';
const COND_NAMES = ['eq', 'ne', 'lt', 'gt', 'le', 'ge', 'uno', 'unknown'];

function parseArgs(argv: readonly string[]): { boards: DriverBoard[]; tuples: number; only: string[] | undefined } {
  let boards: DriverBoard[] = [BOARDS[0] as DriverBoard];
  let tuples = 1_000_000;
  let only: string[] | undefined;
  const byTag = new Map(BOARDS.map((b) => [b.tag, b]));
  for (const arg of argv) {
    const [k, v = ''] = arg.split('=', 2) as [string, string | undefined];
    if (k === '--board') {
      boards = v.split(',').map((b) => {
        const board = byTag.get(b);
        if (board === undefined) throw new Error(`unknown board ${b} (${[...byTag.keys()].join(', ')})`);
        return board;
      });
    } else if (k === '--tuples') tuples = Number(v);
    else if (k === '--only') only = v.split(',');
    else throw new Error(`unknown argument ${arg} (--board=m3,m0,m55,microbit,rv32,rv32f --tuples=N --only=aot_intrinsic_fadd_f64,...)`);
  }
  if (!(tuples >= 1)) throw new Error('--tuples must be positive');
  return { boards, tuples, only };
}

function tuplesFor(s: FnSpec, n: number): bigint[][] {
  if (s.params.length === 1) {
    const specials = argTuples(s.params, { single: 0, random: 0, near: 0 }).length;
    return argTuples(s.params, { single: Math.max(0, n - specials), random: 0, near: 0 });
  }
  const pairs = argTuples(s.params, { single: 0, random: 0, near: 0 }).length;
  const rest = Math.max(0, n - pairs);
  const near = isFloat(s.params[0] as ValT) ? Math.floor(rest / 2) : 0;
  return argTuples(s.params, { single: 0, random: rest - near, near });
}

function main(): void {
  const { boards, tuples, only } = parseArgs(process.argv.slice(2));
  const dir = mkdtempSync(join(tmpdir(), 'xw-intrinsics-long-'));
  let failedTotal = 0;
  try {
    const exports = compileOps(dir);
    writeFileSync(join(dir, 'fn_table.inc'), fnTable());
    for (const board of boards) {
      const elf = buildBoardDriver(dir, board);
      console.log(`${board.name}: ${tuples.toLocaleString('en-US')} operand tuples per operation`);
      let total = 0;
      let ops = 0;
      const t0 = Date.now();
      SPECS.forEach((s, si) => {
        if (!s.params.some(isFloat) && !isFloat(s.result)) return;
        if (only !== undefined && !only.includes(s.c)) return;
        s.variants.forEach((v, vi) => {
          reseed(0x2545f491 ^ (si * 131 + vi * 7 + 1) * 0x9e3779b1);
          const ts = tuplesFor(s, tuples);
          const violations: string[] = [];
          const path = join(dir, 'vectors.txt');
          writeFileSync(path, `${vectorLines(exports, si, vi, ts, violations).join('\n')}\n`);
          const run = runBoardDriver(board, elf, path);
          const m = new RegExp(`^RESULT ${s.c} (\\d+) (\\d+)\\r?$`, 'm').exec(run.output);
          const passed = Number(m?.[1] ?? 0);
          const failed = m === null ? ts.length : Number(m[2]);
          const label = `${s.c}${v.cond === undefined ? '' : ` (${COND_NAMES[v.cond] ?? v.cond})`}`;
          const status = failed === 0 && passed === ts.length && violations.length === 0 ? 'ok' : 'FAILED';
          console.log(`  ${label.padEnd(40)} ${ts.length.toLocaleString('en-US').padStart(11)} tuples  ${passed.toLocaleString('en-US').padStart(11)} pass  ${failed} fail  ${status}`);
          if (status !== 'ok') {
            failedTotal += Math.max(failed, 1);
            for (const l of run.output.split('\n').filter((x) => x.startsWith('MISMATCH')).slice(0, 5)) console.log(`    ${l}`);
            for (const l of violations.slice(0, 5)) console.log(`    V8 broke the NaN rule: ${l}`);
          }
          total += ts.length;
          ops++;
        });
      });
      console.log(`${board.name}: ${ops} operations, ${total.toLocaleString('en-US')} tuples, ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(failedTotal === 0 ? 'all agree with V8' : `${failedTotal} mismatches`);
  process.exitCode = failedTotal === 0 ? 0 : 1;
}

main();

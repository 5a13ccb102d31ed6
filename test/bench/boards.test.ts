/**
 * Every benchmark program, compiled at the default level, returns V8's checksum on the Cortex-M3 and Cortex-M55
 * boards, on riscv32-virt (the RV32 emitter) and, with the small workloads, on the micro:bit (the Thumb-1 emitter). The bench reports a wrong checksum as a status in its table, which no test read: a register-borrowing
 * regression in the optimizing emitter once broke siphash, bignum and sql.js on the boards while the rest of the
 * suite stayed green. V8's checksum is the reference (test/bench/checksums.test.ts holds it equal to the native
 * build's). No instruction counting here: one plain QEMU launch per board runs all the programs, with a reset
 * between them so that each gets the board's whole memory.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { compileModule } from '../../src/compile.js';
import type { BoardName } from '../../src/run/index.js';
import { boardSpec, runBatch } from '../../src/run/index.js';
import type { BatchRequest } from '../../src/run/protocol.js';
import { buildWasm, unsignedChecksum, v8Checksum, workloadOf } from '../../bench/build.js';
import { PROGRAMS } from '../../bench/programs.js';
import { missingTools } from '../boards/fixture.js';

function missingClang(): string | undefined {
  try {
    execFileSync('clang', ['--version'], { stdio: 'ignore' });
    return undefined;
  } catch {
    return 'clang is not installed';
  }
}

const skip = missingTools() ?? missingClang() ?? false;
// the micro:bit (Cortex-M0, Thumb-1 back end) runs the small workloads in 1-byte pages (bench/programs.ts)
const BOARDS: readonly BoardName[] = ['mps2-an385', 'mps3-an547', 'riscv32-virt', 'microbit'];

interface Job {
  readonly name: string;
  readonly image: Uint8Array;
  readonly want: bigint;
}

/** The images in launches whose images fit the board's blob region (the micro:bit's is 64 KiB), with a reset
    between programs so that each gets the board's whole memory. */
function launches(jobs: readonly Job[], blobSize: number): Job[][] {
  const out: Job[][] = [];
  let bytes = Infinity;
  for (const j of jobs) {
    // room for each image's alignment in the region (256 bytes, src/run/qemu.ts)
    const size = j.image.length + 256;
    if (bytes + size > blobSize) {
      out.push([]);
      bytes = 0;
    }
    out[out.length - 1]!.push(j);
    bytes += size;
  }
  return out;
}

for (const board of BOARDS) {
  test(`bench programs at the default level return V8's checksums on ${board}`, { skip }, async () => {
    const spec = boardSpec(board);
    const jobs: Job[] = [];
    for (const p of PROGRAMS) {
      const { bytes, boardBytes } = await buildWasm(p, workloadOf(board));
      const { image } = compileModule(boardBytes, { cpu: spec.cpu, xip: true });
      jobs.push({ name: p.name, image, want: v8Checksum(p, bytes) });
    }
    const wrong: string[] = [];
    let log = '';
    for (const group of launches(jobs, spec.blobSize)) {
      const requests: BatchRequest[] = [];
      for (const j of group) {
        if (requests.length > 0) requests.push({ kind: 'reset' });
        requests.push({ kind: 'module', image: j.image }, { kind: 'invoke', module: requests.length, name: 'run', args: [] });
      }
      const out = await runBatch(board, requests, { timeoutMs: 600_000 });
      log += out.log;
      group.forEach((j, k) => {
        const at = 3 * k + 1;
        const m = out.results[at - 1];
        const r = out.results[at];
        const p = PROGRAMS.find((q) => q.name === j.name)!;
        if (m?.kind !== 'ok') wrong.push(`${j.name}: module ${JSON.stringify(m)}`);
        else if (r?.kind !== 'values' || r.values.length !== 1) wrong.push(`${j.name}: run ${JSON.stringify(r)}`.slice(0, 400));
        else {
          const got = unsignedChecksum(p, r.values[0]!.bits);
          if (got !== j.want) wrong.push(`${j.name}: checksum ${got}, V8 ${j.want}`);
        }
      });
    }
    assert.deepEqual(wrong, [], log.slice(-2000));
  });
}

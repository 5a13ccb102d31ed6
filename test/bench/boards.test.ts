/**
 * Every benchmark program, compiled at the default level, returns V8's checksum on the Cortex-M3 and Cortex-M55
 * boards and on riscv32-virt (the RV32 emitter). The bench reports a wrong checksum as a status in its table, which no test read: a register-borrowing
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
import { buildWasm, unsignedChecksum, v8Checksum } from '../../bench/build.js';
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
const BOARDS: readonly BoardName[] = ['mps2-an385', 'mps3-an547', 'riscv32-virt'];

for (const board of BOARDS) {
  test(`bench programs at the default level return V8's checksums on ${board}`, { skip }, async () => {
    const cpu = boardSpec(board).cpu;
    const requests: BatchRequest[] = [];
    const expected: { name: string; at: number; want: bigint }[] = [];
    for (const p of PROGRAMS) {
      const { bytes } = await buildWasm(p);
      const { image } = compileModule(bytes, { cpu, xip: true });
      if (requests.length > 0) requests.push({ kind: 'reset' });
      const mod = requests.length;
      requests.push({ kind: 'module', image });
      expected.push({ name: p.name, at: requests.length, want: v8Checksum(p, bytes) });
      requests.push({ kind: 'invoke', module: mod, name: 'run', args: [] });
    }
    const out = await runBatch(board, requests, { timeoutMs: 600_000 });
    const wrong: string[] = [];
    for (const e of expected) {
      const m = out.results[e.at - 1];
      const r = out.results[e.at];
      const p = PROGRAMS.find((q) => q.name === e.name)!;
      if (m?.kind !== 'ok') wrong.push(`${e.name}: module ${JSON.stringify(m)}`);
      else if (r?.kind !== 'values' || r.values.length !== 1) wrong.push(`${e.name}: run ${JSON.stringify(r)}`.slice(0, 400));
      else {
        const got = unsignedChecksum(p, r.values[0]!.bits);
        if (got !== e.want) wrong.push(`${e.name}: checksum ${got}, V8 ${e.want}`);
      }
    }
    assert.deepEqual(wrong, [], out.log.slice(-2000));
  });
}

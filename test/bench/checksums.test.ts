/**
 * Every benchmark program's wasm build returns, in V8, the checksum of the same source built natively for the
 * host (cc -O2): the programs are deterministic and the wasm toolchains (clang wasm32, asc) compiled them as C
 * means. The benchmark runner relies on this reference to judge the boards' results.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { buildWasm, hostChecksum, v8Checksum } from '../../bench/build.js';
import { benchLinkerScript } from '../../bench/native.js';
import { PROGRAMS } from '../../bench/programs.js';
import { parseModule } from '../../src/wasm/index.js';

function has(tool: string): boolean {
  try {
    execFileSync(tool, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const missing = ['clang', process.env['CC'] ?? 'cc'].filter((t) => !has(t));

for (const p of PROGRAMS) {
  test(`bench ${p.name}: V8 checksum equals the host build's`, { skip: missing.length > 0 ? `needs ${missing.join(', ')}` : false }, async () => {
    const { bytes } = await buildWasm(p);
    const host = await hostChecksum(p);
    assert.equal(v8Checksum(p, bytes), host);
  });

  test(`bench ${p.name}, small workload: V8's checksum equals the host build's, and the board's module fits 8 KiB`, { skip: missing.length > 0 ? `needs ${missing.join(', ')}` : false }, async () => {
    const small = await buildWasm(p, 'small');
    const host = await hostChecksum(p, 'small');
    assert.equal(v8Checksum(p, small.bytes), host);
    const mem = parseModule(small.boardBytes).memories[0];
    assert.equal(mem?.pageSizeLog2, 0);
    // the micro:bit's arena is 8 KiB, for the memory and the instance's own few hundred bytes
    assert.ok(mem !== undefined && mem.limits.min <= 7 * 1024, `${mem?.limits.min} bytes`);
  });
}

test('bench linker script: the blob region is added and the benchmark objects are placed in it', () => {
  const ld = 'MEMORY\n{\n  CODE (rx) : ORIGIN = 0x00000000, LENGTH = 1M\n}\nSTACK_SIZE = 1M;\nINCLUDE sections.ld\n';
  const out = benchLinkerScript(ld, 0x00100000, 0x00300000);
  assert.match(out, /MEMORY\s*\{\n {2}BENCH_BLOB \(rx\) : ORIGIN = 0x100000, LENGTH = 0x300000\n {2}CODE/);
  assert.ok(out.indexOf('> BENCH_BLOB') < out.indexOf('INCLUDE sections.ld'), 'the bench section must precede the generic .text rule');
  assert.throws(() => benchLinkerScript('SECTIONS {}', 0, 0));
  const small = 'MEMORY\n{\n  CODE (rx) : ORIGIN = 0x00000000, LENGTH = 192K\n  RAM (rw)  : ORIGIN = 0x20000000, LENGTH = 8K\n}\nINCLUDE sections.ld\n';
  assert.match(benchLinkerScript(small, 0x30000, 0x10000, 0x4000), /RAM \(rw\) {2}: ORIGIN = 0x20000000, LENGTH = 0x4000\n/);
  assert.throws(() => benchLinkerScript(ld, 0x00100000, 0x00300000, 0x4000), /RAM region/);
});

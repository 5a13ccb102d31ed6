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
}

test('bench linker script: the blob region is added and the benchmark objects are placed in it', () => {
  const ld = 'MEMORY\n{\n  CODE (rx) : ORIGIN = 0x00000000, LENGTH = 1M\n}\nSTACK_SIZE = 1M;\nINCLUDE sections.ld\n';
  const out = benchLinkerScript(ld, 0x00100000, 0x00300000);
  assert.match(out, /MEMORY\s*\{\n {2}BENCH_BLOB \(rx\) : ORIGIN = 0x100000, LENGTH = 0x300000\n {2}CODE/);
  assert.ok(out.indexOf('> BENCH_BLOB') < out.indexOf('INCLUDE sections.ld'), 'the bench section must precede the generic .text rule');
  assert.throws(() => benchLinkerScript('SECTIONS {}', 0, 0));
});

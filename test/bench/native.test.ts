/**
 * The native baseline's measurement on the boards: the harness counts run() exactly (a two-instruction function
 * counts 2, nothing of the harness around it), and a real benchmark built for the board returns the host build's
 * checksum.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { hostChecksum, unsignedChecksum } from '../../bench/build.js';
import { buildNative, runNative } from '../../bench/native.js';
import type { BenchProgram } from '../../bench/programs.js';
import { findProgram } from '../../bench/programs.js';
import { CODEGEN_BOARD_NAMES } from '../../src/run/index.js';

function missingTools(): string | false {
  for (const tool of ['qemu-system-arm', 'arm-none-eabi-gcc', 'cc']) {
    try {
      execFileSync(tool, ['--version'], { stdio: 'ignore' });
    } catch {
      return `${tool} is not installed`;
    }
  }
  return false;
}

const skip = missingTools();
const ret42: BenchProgram = {
  name: 'ret42', covers: 'test fixture', wasmSource: '../test/bench/ret42.c', lang: 'c',
  nativeSource: '../test/bench/ret42.c', result: 'i32',
};

for (const board of CODEGEN_BOARD_NAMES) {
  describe(`native baseline on ${board}`, { skip }, () => {
    test('a two-instruction run() counts exactly 2', async () => {
      const build = await buildNative(ret42, board);
      const r = await runNative(build, board);
      assert.equal(r.checksum, 42n);
      assert.equal(r.instructions, 2);
      assert.ok(build.textBytes >= 4 && build.textBytes <= 8, `text ${build.textBytes} bytes`);
    });

    test('crc32 built for the board returns the host checksum', async () => {
      const p = findProgram('crc32');
      assert.ok(p !== undefined);
      const r = await runNative(await buildNative(p, board), board);
      assert.equal(unsignedChecksum(p, r.checksum), await hostChecksum(p));
      assert.ok(r.instructions > 100_000, `${r.instructions} instructions`);
    });
  });
}

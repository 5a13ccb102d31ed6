/**
 * The native baseline's measurement on the boards: the harness counts run() exactly (a two-instruction function
 * counts 2, nothing of the harness around it), a real benchmark built for the board returns the host build's
 * checksum, and its object is built for the board's own core and FPU (the Arm build attributes GNU readelf shows).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { hostChecksum, unsignedChecksum, workloadOf } from '../../bench/build.js';
import { buildNative, runNative } from '../../bench/native.js';
import type { BenchProgram } from '../../bench/programs.js';
import { findProgram } from '../../bench/programs.js';
import type { BoardName } from '../../src/run/index.js';
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

/** What `arm-none-eabi-readelf -A` must show for code built for each board's core: the architecture, the FPU
    (none on the M3), single-precision only on FPv4-SP/FPv5-SP, floats passed in VFP registers on hard-float. */
const ATTRIBUTES: Readonly<Partial<Record<BoardName, readonly RegExp[]>>> = {
  'microbit': [/Tag_CPU_arch: v6S-M\n/, /Tag_CPU_arch_profile: Microcontroller/, /^(?![\s\S]*Tag_FP_arch)/, /^(?![\s\S]*Tag_ABI_VFP_args)/],
  'mps2-an385': [/Tag_CPU_arch: v7\n/, /^(?![\s\S]*Tag_FP_arch)/, /^(?![\s\S]*Tag_ABI_VFP_args)/],
  'mps2-an386': [/Tag_CPU_arch: v7E-M\n/, /Tag_FP_arch: VFPv4-D16\n/, /Tag_ABI_HardFP_use: SP only/, /Tag_ABI_VFP_args: VFP registers/],
  'mps2-an500': [/Tag_CPU_arch: v7E-M\n/, /Tag_FP_arch: FPv5\/FP-D16 for ARMv8/, /^(?![\s\S]*SP only)/, /Tag_ABI_VFP_args: VFP registers/],
  'mps2-an505': [/Tag_CPU_arch: v8-M.mainline\n/, /Tag_FP_arch: FPv5\/FP-D16 for ARMv8/, /Tag_ABI_HardFP_use: SP only/, /Tag_ABI_VFP_args: VFP registers/],
  'mps3-an547': [/Tag_CPU_arch: v8.1-M.mainline\n/, /Tag_FP_arch: FPv5\/FP-D16 for ARMv8/, /Tag_MVE_arch: MVE Integer and FP/, /Tag_ABI_VFP_args: VFP registers/],
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
      // the micro:bit runs the small workload (bench/programs.ts), in its 16 KiB of RAM
      assert.equal(unsignedChecksum(p, r.checksum), await hostChecksum(p, workloadOf(board)));
      assert.ok(r.instructions > 100_000, `${r.instructions} instructions`);
    });

    test('the benchmark object is built for the board\'s core and FPU', async () => {
      const p = findProgram('fir');
      assert.ok(p !== undefined);
      const obj = join(dirname((await buildNative(p, board)).elfPath), 'xwbench-prog.o');
      const attrs = execFileSync('arm-none-eabi-readelf', ['-A', obj], { encoding: 'utf8' });
      const want = ATTRIBUTES[board];
      assert.ok(want !== undefined, `no expected attributes for ${board}`);
      for (const re of want) assert.match(attrs, re, obj);
    });
  });
}

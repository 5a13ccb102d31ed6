/**
 * The C runtime builds for RV32 (issue 11) with riscv64-unknown-elf-gcc and picolibc, warning-free, for
 * rv32imac/ilp32 and rv32imafc/ilp32f, and its configuration describes the RV32 core rather than falling back
 * to the host build: target code 16 alone, the F and M feature bits, the float ABI, no Thumb bit on code addresses.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const runtime = join(root, 'runtime');
const CC = 'riscv64-unknown-elf-gcc';

function haveRvGcc(): boolean {
  const r = spawnSync(CC, ['--specs=picolibc.specs', '-march=rv32imac', '-mabi=ilp32', '-x', 'c', '-E', '-'], { input: '#include <setjmp.h>\n', encoding: 'utf8' });
  return r.status === 0;
}

const BUILDS = [
  // the AOT feature bits (src/aot/format.ts): F 1, M 4, A 16, C 32
  { march: 'rv32imac', mabi: 'ilp32', features: 52, floatAbi: 0, full: true },
  { march: 'rv32imafc', mabi: 'ilp32f', features: 53, floatAbi: 1, full: true },
  { march: 'rv32imc', mabi: 'ilp32', features: 36, floatAbi: 0, full: false },
  { march: 'rv32i', mabi: 'ilp32', features: 0, floatAbi: 0, full: false },
] as const;

test('the runtime compiles for RV32 warning-free and configures itself for the core', (ctx) => {
  if (!haveRvGcc()) return ctx.skip('riscv64-unknown-elf-gcc with picolibc not installed');
  const dir = mkdtempSync(join(tmpdir(), 'xw-rv32-rt-'));
  try {
    const check = join(dir, 'check.c');
    for (const b of BUILDS) {
      // Array sizes of -1 make a false condition a compile error naming the line.
      writeFileSync(check, `#include "config.h"\n#include "abi.h"\n` +
        `typedef char target_is_rv32[(XW_RUNTIME_TARGET == 16 && XW_RUNTIME_TARGET_MIN == 16) ? 1 : -1];\n` +
        `typedef char features[(XW_RUNTIME_FEATURES == ${b.features}u) ? 1 : -1];\n` +
        `typedef char float_abi[(XW_RUNTIME_FLOAT_ABI == ${b.floatAbi}) ? 1 : -1];\n` +
        `typedef char no_thumb_bit[(XW_CODE_ADDR_BIT == 0) ? 1 : -1];\n` +
        `#ifdef XW_HOST_BUILD\n#error host build\n#endif\n`);
      const flags = ['--specs=picolibc.specs', `-march=${b.march}`, `-mabi=${b.mabi}`, '-std=c99', '-Wall', '-Wextra', '-Werror',
        '-Os', '-ffp-contract=off', '-Iinclude', '-Isrc'];
      const c = spawnSync(CC, [...flags, '-c', check, '-o', join(dir, 'check.o')], { cwd: runtime, encoding: 'utf8' });
      assert.equal(c.status, 0, `${b.march}: ${c.stderr}`);
      // Every source for the two ABIs the issue names; the configuration alone for the others.
      if (!b.full) continue;
      for (const f of readdirSync(join(runtime, 'src')).filter((n) => n.endsWith('.c'))) {
        const r = spawnSync(CC, [...flags, '-c', join('src', f), '-o', join(dir, f.replace(/\.c$/, '.o'))], { cwd: runtime, encoding: 'utf8' });
        assert.equal(r.status, 0, `${b.march} ${f}: ${r.stderr}`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

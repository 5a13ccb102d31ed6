/**
 * The runtime intrinsics (runtime/src/intrinsics*.c) against V8.
 *
 * For every C function, a Wasm function doing the same operation on its
 * arguments' bits is evaluated in Node's WebAssembly over special and random
 * inputs; the results become vectors that a host C driver
 * (runtime/test/intrinsics/driver.c, built with ASan+UBSan) checks bit-exactly.
 * NaN results are checked by the spec's rule (canonical / arithmetic), not by
 * V8's bits, and traps by code (V8 does not tell a NaN conversion from an
 * overflow, so the code comes from the input: NaN -> 9, else 8).
 * Also: the catalogue's C signatures against intrinsics.h, and a warning-free
 * Cortex-M3 build with its size.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NATIVE_SYMBOLS } from '../../src/xip/catalogue.js';
import { cTypeName } from '../../src/xip/symbols-header.js';
import { BOARDS, buildBoardDriver, DRIVER, fnTable, generate, runBoardDriver, SOURCES, SRC_DIR, SPECS } from './intrinsics-vectors.js';

const FP_FLAGS = ['-std=c99', '-ffp-contract=off', '-Wall', '-Wextra', '-pedantic', '-Werror'];

const have = (cmd: string): boolean => spawnSync(cmd, ['--version'], { stdio: 'ignore' }).status === 0;

interface VectorDir { dir: string; counts: Map<string, number> }
let vectorDir: VectorDir | undefined;

/** Generates the vectors and the driver's function table once for the tests that run them. */
function vectorsOnce(): VectorDir {
  if (vectorDir !== undefined) return vectorDir;
  const dir = mkdtempSync(join(tmpdir(), 'xw-intrinsics-'));
  const { vectors, counts, v8Violations } = generate(dir);
  assert.deepEqual(v8Violations.slice(0, 10), [], 'V8 itself broke the NaN rule: the classification is wrong');
  writeFileSync(join(dir, 'vectors.txt'), vectors);
  writeFileSync(join(dir, 'fn_table.inc'), fnTable());
  vectorDir = { dir, counts };
  return vectorDir;
}

/** Checks the driver's output: every vector of every function passed. */
function checkDriverOutput(t: { diagnostic(m: string): void }, output: string, counts: Map<string, number>): void {
  const results = new Map<string, [number, number]>();
  for (const m of output.matchAll(/^RESULT (\S+) (\d+) (\d+)\r?$/gm)) {
    results.set(m[1] as string, [Number(m[2]), Number(m[3])]);
  }
  const mismatches = output.split('\n').filter((l) => l.startsWith('MISMATCH'));
  for (const s of SPECS) t.diagnostic(`${s.c}: ${results.get(s.c)?.[0] ?? 0}/${counts.get(s.c)} vectors pass`);
  assert.deepEqual(mismatches.slice(0, 20), []);
  for (const s of SPECS) assert.deepEqual(results.get(s.c), [counts.get(s.c), 0], s.c);
}


// Twice: as the host builds it (f64 +/- by SSE), and with the C f64 add that
// FPU-less Arm cores use (XW_F64_ADD_SOFT), so both paths meet the same vectors.
for (const [label, defines] of [['host', []], ['XW_F64_ADD_SOFT', ['-DXW_F64_ADD_SOFT=1']]] as const) {
  test(`intrinsics agree with V8 bit for bit (NaNs by the spec rule, traps by code; ${label} build)`, (t) => {
    if (!have('gcc') || !have('wat2wasm')) {
      t.skip('needs gcc and wat2wasm on PATH');
      return;
    }
    const { dir, counts } = vectorsOnce();
    const exe = join(dir, `driver-${label}`);
    execFileSync('gcc', [...FP_FLAGS, ...defines, '-O1', '-g', '-fsanitize=address,undefined', '-fno-sanitize-recover=all',
      '-I', SRC_DIR, '-I', dir, DRIVER, ...SOURCES, '-o', exe]);
    const run = spawnSync(exe, [join(dir, 'vectors.txt')], { encoding: 'utf8', maxBuffer: 64 << 20 });
    assert.equal(run.stderr, '', 'sanitizer or driver errors');
    checkDriverOutput(t, run.stdout, counts);
    assert.equal(run.status, 0);
  });
}

// The same vectors on the FPU-less and FPU boards under QEMU (intrinsics-vectors.ts's BOARDS says what each
// build exercises): M3, M0 code, M55, the micro:bit's M0 and RV32 (ilp32).
for (const board of BOARDS) {
  test(`intrinsics agree with V8 on a ${board.name} under QEMU`, (t) => {
    const tools = board.arch === 'riscv' ? ['qemu-system-riscv32', 'riscv64-unknown-elf-gcc'] : ['qemu-system-arm', 'arm-none-eabi-gcc'];
    if (![...tools, 'wat2wasm'].every(have)) {
      t.skip(`needs ${tools.join(', ')} and wat2wasm on PATH`);
      return;
    }
    const { dir, counts } = vectorsOnce();
    const elf = buildBoardDriver(dir, board);
    const run = runBoardDriver(board, elf, join(dir, 'vectors.txt'));
    checkDriverOutput(t, run.output, counts);
    assert.equal(run.status, 0);
  });
}

test('every catalogue intrinsic has one C definition with the catalogue signature', (t) => {
  if (!have('gcc')) {
    t.skip('needs gcc');
    return;
  }
  const rows = NATIVE_SYMBOLS.filter((s) => s.symbol.startsWith('aot_intrinsic_'));
  const header = readFileSync(join(SRC_DIR, 'intrinsics.h'), 'utf8');
  const declared = [...header.matchAll(/\b(aot_intrinsic_\w+)\(/g)].map((m) => m[1] as string);
  assert.deepEqual([...declared].sort(), rows.map((r) => r.symbol).sort(), 'intrinsics.h and the catalogue list the same functions');
  assert.deepEqual(SPECS.map((s) => s.c).filter((c) => c.startsWith('aot_')).sort(), [...declared].sort(), 'every function has vectors');

  // Redeclaring each function with the catalogue's signature after intrinsics.h is a
  // compile error ("conflicting types") on any difference; linking proves one definition.
  const dir = mkdtempSync(join(tmpdir(), 'xw-intrinsics-sig-'));
  const decls = rows.map((r) => `${cTypeName(r.signature.ret)} ${r.symbol}(${r.signature.params.map(cTypeName).join(', ')});`);
  const refs = rows.map((r) => `  (void (*)(void))${r.symbol},`);
  writeFileSync(join(dir, 'sig.c'), `#include "intrinsics.h"
#include <stdio.h>
${decls.join('\n')}
void xw_intrinsic_trap(uint32_t code) { (void)code; for (;;) {} }
static void (*const all[])(void) = {
${refs.join('\n')}
};
int main(void) { printf("%u\\n", (unsigned)(sizeof all / sizeof all[0])); return 0; }
`);
  const exe = join(dir, 'sig');
  const build = spawnSync('gcc', [...FP_FLAGS, '-I', SRC_DIR, join(dir, 'sig.c'), ...SOURCES, '-o', exe], { encoding: 'utf8' });
  const conflicts = [...build.stderr.matchAll(/error: conflicting types for .(\w+).; have .([^’']*)/g)]
    .map((m) => `${m[1]}: catalogue ${m[2]}`);
  assert.equal(build.status, 0, conflicts.length > 0
    ? `catalogue signatures differ from intrinsics.h (WAMR's): ${conflicts.join('; ')}`
    : build.stderr);
  assert.equal(execFileSync(exe, { encoding: 'utf8' }), `${rows.length}\n`);
});

test('intrinsics build warning-free for Cortex-M3 and need no libm', (t) => {
  if (!have('arm-none-eabi-gcc')) {
    t.skip('needs arm-none-eabi-gcc');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'xw-intrinsics-m3-'));
  const cpu = ['-mcpu=cortex-m3', '-mthumb', '-Os', '-ffunction-sections'];
  const objs = SOURCES.map((src) => {
    const o = join(dir, src.replace(/.*\//, '').replace(/\.c$/, '.o'));
    execFileSync('arm-none-eabi-gcc', [...FP_FLAGS, ...cpu, '-c', src, '-o', o]);
    return o;
  });
  const symbols = (args: string[]): Set<string> => new Set(execFileSync('arm-none-eabi-nm', [...args, ...objs], { encoding: 'utf8' })
    .split('\n').map((l) => l.trim().split(/\s+/).at(-1) ?? '').filter((s) => s !== '' && !s.endsWith(':')));
  const defined = symbols(['--defined-only']);
  const undefinedSyms = [...symbols(['-u'])].filter((s) => !defined.has(s));
  const allowed = /^(xw_intrinsic_trap|__aeabi_(f|d)(add|sub|mul|div)|__aeabi_u?ldivmod)$/;
  assert.deepEqual([...new Set(undefinedSyms)].filter((s) => !allowed.test(s)), [], 'only soft-float arithmetic, 64-bit division and the trap hook');
  // Everything the table pulls in, libgcc's soft-float and division included.
  const keep = join(dir, 'keep.c');
  writeFileSync(keep, `#include "intrinsics.h"
void xw_intrinsic_trap(uint32_t code) { (void)code; for (;;) {} }
void (*const xw_keep[])(void) = {
${SPECS.filter((s) => s.c.startsWith('aot_')).map((s) => `  (void (*)(void))${s.c},`).join('\n')}
};
`);
  const elf = join(dir, 'all.elf');
  execFileSync('arm-none-eabi-gcc', [...FP_FLAGS, ...cpu, '-I', SRC_DIR, '-nostdlib', '-nostartfiles',
    '-Wl,--gc-sections', '-Wl,--undefined=xw_keep', '-Wl,--entry=0', keep, ...objs, '-lgcc', '-o', elf]);
  const sizes = execFileSync('arm-none-eabi-size', [...objs, elf], { encoding: 'utf8' });
  for (const l of sizes.trim().split('\n')) t.diagnostic(l.replace(/\s+/g, ' '));
  const textOf = (line: string | undefined): number => Number(line?.trim().split(/\s+/)[0]);
  const lines = sizes.trim().split('\n').slice(1);
  const own = lines.slice(0, objs.length).reduce((n, l) => n + textOf(l), 0);
  assert.ok(own > 0 && own < 8192, `intrinsics text ${own} bytes`);
  assert.ok(textOf(lines.at(-1)) >= own);
});

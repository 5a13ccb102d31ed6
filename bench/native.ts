/**
 * The native baseline on the boards: the benchmark's C source built with the board's gcc (arm-none-eabi-gcc, or
 * riscv64-unknown-elf-gcc with the board's -march/-mabi) at -O2 for the board's CPU, linked into a small variant
 * of the board firmware (bench/native/harness.c + the architecture's startup and fault handlers +
 * boards/common's semihosting), and run under QEMU with the same counting plugin and markers as xipwasm.
 *
 * The linker script is the board's own (boards/<board>/board.ld) with one region added: the benchmark objects'
 * .text goes into the board's blob region, where the AOT images run. The plugin then counts from run()'s first
 * instruction to its return -- callees outside the region (libgcc, libm) included -- exactly as for an image.
 */
import { runProcess } from '../src/run/qemu.js';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BoardName } from '../src/run/index.js';
import { archOf, boardSpec, buildCountPlugin, qemuCommand, repoRoot } from '../src/run/index.js';
import { FIRMWARE_CFLAGS, firmwareDirs } from '../src/run/firmware.js';
import type { BenchProgram } from './programs.js';
import { workloadCflags } from './programs.js';
import { benchDir, cached, COMMON_CFLAGS, hashKey, LIB_CFLAGS, runTool, workloadOf } from './build.js';

export interface NativeBuild {
  readonly elfPath: string;
  /** Bytes of the benchmark's own code (its objects' .text, incl. lib/mem.c functions it uses). */
  readonly textBytes: number;
  readonly countBegin: number;
  readonly countEnd: number;
}

export interface NativeRun {
  readonly checksum: bigint;
  readonly instructions: number;
}

/**
 * The board's linker script plus a BENCH_BLOB memory at the blob region holding the benchmark objects' code.
 * `ramBytes` replaces the RAM region's length: on the micro:bit the firmware's RAM is the 8 KiB below the instance
 * arena, and a native program, which needs no arena, gets the chip's whole 16 KiB.
 */
export function benchLinkerScript(boardLd: string, blobBase: number, blobSize: number, ramBytes?: number): string {
  const ram = /(RAM\s*\(rw\)\s*:\s*ORIGIN\s*=\s*\w+\s*,\s*LENGTH\s*=\s*)\w+/;
  if (ramBytes !== undefined && !ram.test(boardLd)) throw new Error('unexpected board linker script layout (RAM region)');
  const sized = ramBytes === undefined ? boardLd : boardLd.replace(ram, (_m, head: string) => `${head}0x${ramBytes.toString(16)}`);
  const withRegion = sized.replace(/MEMORY\s*\{/, (m) =>
    `${m}\n  BENCH_BLOB (rx) : ORIGIN = 0x${blobBase.toString(16)}, LENGTH = 0x${blobSize.toString(16)}`);
  const sections = [
    'SECTIONS',
    '{',
    '  .bench_text : {',
    '    __bench_text_start = .;',
    '    *xwbench-*.o(.text .text.*)',
    '    __bench_text_end = .;',
    '  } > BENCH_BLOB',
    '}',
    '',
  ].join('\n');
  if (!withRegion.includes('INCLUDE sections.ld') || withRegion === sized) {
    throw new Error('unexpected board linker script layout (MEMORY block / INCLUDE sections.ld)');
  }
  return withRegion.replace('INCLUDE sections.ld', `${sections}INCLUDE sections.ld`);
}

async function symbols(elf: string, nm: string): Promise<Map<string, number>> {
  const out = await runTool(nm, [elf], 'nm');
  const map = new Map<string, number>();
  for (const line of out.split('\n')) {
    const [addr, , name] = line.trim().split(/\s+/);
    if (addr !== undefined && name !== undefined) map.set(name, parseInt(addr, 16));
  }
  return map;
}

/** Bytes of lib/mem.c functions linked into the blob although the program does not call them (the firmware's
    own code may, e.g. newlib): they are not the benchmark's code. */
async function unusedLibBytes(dir: string, linked: Map<string, number>, nm: string): Promise<number> {
  const wanted = new Set((await runTool(nm, ['-u', join(dir, 'xwbench-prog.o')], 'nm'))
    .split('\n').map((l) => l.trim().split(/\s+/).pop() ?? '').filter((n) => n !== ''));
  let bytes = 0;
  for (const line of (await runTool(nm, ['-S', '--defined-only', join(dir, 'xwbench-mem.o')], 'nm')).split('\n')) {
    const [, size, type, name] = line.trim().split(/\s+/);
    if (size === undefined || name === undefined || (type !== 'T' && type !== 't')) continue;
    if (!wanted.has(name) && linked.has(name)) bytes += parseInt(size, 16);
  }
  return bytes;
}

/** `extraCflags` go after the standard flags of the benchmark objects (e.g. -fno-tree-vectorize). */
export async function buildNative(program: BenchProgram, board: BoardName, extraCflags: readonly string[] = []): Promise<NativeBuild> {
  const spec = boardSpec(board);
  const tools = archOf(spec);
  const gcc = `${tools.toolPrefix}gcc`, nm = `${tools.toolPrefix}nm`;
  const root = repoRoot();
  const { common, arch } = firmwareDirs(spec, root);
  const boardLdPath = join(root, 'boards', board, 'board.ld');
  const src = join(benchDir(), program.nativeSource);
  const lib = join(benchDir(), 'c', 'lib', 'mem.c');
  const harness = join(benchDir(), 'native', 'harness.c');
  const firmwareSrcs = [join(arch, 'startup.c'), join(common, 'semihost.c'), join(arch, 'fault.c')];
  // picolibc's specs also give the C headers their include path (newlib's are the Arm compiler's own)
  const libcIncludes = spec.arch === 'riscv' ? tools.libcFlags : [];
  const benchFlags = [...spec.gccFlags, ...libcIncludes, ...COMMON_CFLAGS, ...workloadCflags(workloadOf(board)), '-ffunction-sections', ...extraCflags];
  // semihost.c includes xipwasm_board.h, which includes the runtime's public header.
  const harnessFlags = [...spec.gccFlags, ...FIRMWARE_CFLAGS, `-I${common}`, `-I${arch}`, `-I${join(root, 'runtime', 'include')}`,
    `-DBENCH_I64=${program.result === 'i64' ? 1 : 0}`];
  const inputs = await Promise.all([src, lib, harness, boardLdPath, join(arch, 'sections.ld'), join(common, 'semihost.h'),
    join(benchDir(), 'c', 'lib', 'bench.h'), ...firmwareSrcs].map((f) => readFile(f)));
  const key = hashKey([board, program.name, ...benchFlags, ...harnessFlags, ...inputs]);
  const dir = await cached(`native-${board}`, key, async (tmp) => {
    const progObj = join(tmp, 'xwbench-prog.o');
    const libObj = join(tmp, 'xwbench-mem.o');
    await runTool(gcc, [...benchFlags, '-c', src, '-o', progObj], `native build of ${program.name}`);
    await runTool(gcc, [...benchFlags, ...LIB_CFLAGS, '-c', lib, '-o', libObj], 'native lib build');
    const ld = join(tmp, 'bench.ld');
    // the small workload's boards: RAM up to the end of the arena, which only the batch firmware's instances use
    const ramBytes = workloadOf(board) === 'small' ? spec.arenaBase + spec.arenaSize - spec.sramBase : undefined;
    await writeFile(ld, benchLinkerScript(await readFile(boardLdPath, 'utf8'), spec.blobBase, spec.blobSize, ramBytes));
    await runTool(gcc, [
      ...harnessFlags, harness, ...firmwareSrcs, progObj, libObj,
      '-nostartfiles', ...tools.libcFlags, '-Wl,--gc-sections', `-L${arch}`, `-T${ld}`, '-o', join(tmp, 'bench.elf'), '-lm',
    ], `native link of ${program.name}`);
  });
  const elfPath = join(dir, 'bench.elf');
  const syms = await symbols(elfPath, nm);
  const get = (n: string): number => {
    const v = syms.get(n);
    if (v === undefined) throw new Error(`${elfPath}: no symbol ${n}`);
    return v;
  };
  const runAddr = get('run');
  if (runAddr < spec.blobBase || runAddr >= spec.blobBase + spec.blobSize) {
    throw new Error(`${program.name}: run() at 0x${runAddr.toString(16)} is not in the blob region (linker script pattern missed)`);
  }
  return {
    elfPath,
    textBytes: get('__bench_text_end') - get('__bench_text_start') - await unusedLibBytes(dir, syms, nm),
    countBegin: (get('xw_count_begin') | tools.codeAddressBit) >>> 0,
    countEnd: (get('xw_count_end') | tools.codeAddressBit) >>> 0,
  };
}

/** Runs the native build once under QEMU with the counting plugin. */
export async function runNative(build: NativeBuild, board: BoardName, timeoutMs = 300_000): Promise<NativeRun> {
  const spec = boardSpec(board);
  const plugin = await buildCountPlugin();
  const dir = await mkdtemp(join(tmpdir(), 'xipwasm-bench-'));
  try {
    const counts = join(dir, 'counts.txt');
    const hi = spec.blobBase + spec.blobSize;
    const args = [
      ...qemuCommand(spec).args, '-nographic', '-monitor', 'none', '-serial', 'null', '-kernel', build.elfPath,
      '-plugin', `${plugin},begin=0x${build.countBegin.toString(16)},end=0x${build.countEnd.toString(16)},` +
        `lo=0x${spec.blobBase.toString(16)},hi=0x${hi.toString(16)},out=${counts}`,
      '-semihosting-config', 'enable=on,target=native',
    ];
    const proc = await runProcess(archOf(spec).qemu, args, timeoutMs);
    const line = proc.stderr.split('\n').find((l) => l.startsWith('R '));
    if (proc.timedOut || line === undefined) {
      throw new Error(`native run failed (${proc.timedOut ? 'timeout' : `exit ${proc.code}`}): ${proc.stderr.trim().slice(0, 500)}`);
    }
    const n = (await readFile(counts, 'utf8')).split('\n').filter((l) => l !== '');
    if (n.length !== 1) throw new Error(`native run: expected one instruction count, got ${n.length}`);
    return { checksum: BigInt(`0x${line.slice(2).trim().replace(/^0x/, '')}`), instructions: Number(n[0]) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

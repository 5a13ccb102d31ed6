/**
 * Builds the benchmark programs: wasm32 (clang or asc), host (cc -O2, the reference checksum) and, in
 * native.ts, the board baseline. Outputs are cached under .cache/bench/ by a hash of every input byte and flag.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { BoardName } from '../src/run/index.js';
import { boardSpec, repoRoot } from '../src/run/index.js';
import { withOneBytePages } from '../src/wasm/page-size.js';
import type { BenchProgram, Workload } from './programs.js';
import { workloadCflags } from './programs.js';

export const exec = promisify(execFile);

export function benchDir(): string {
  return join(repoRoot(), 'bench');
}

export function cacheDir(): string {
  return join(repoRoot(), '.cache', 'bench');
}

/** C flags common to every build: no fused multiply-add anywhere (Wasm has none), so float results agree. */
export const COMMON_CFLAGS: readonly string[] = ['-O2', '-ffp-contract=off', '-std=c99'];
/** lib/mem.c must not be turned back into calls to itself. */
export const LIB_CFLAGS: readonly string[] = ['-fno-builtin', '-fno-tree-loop-distribute-patterns'];

export const CLANG_WASM_FLAGS: readonly string[] = ['--target=wasm32', '-nostdlib', ...COMMON_CFLAGS];
export const ASC_FLAGS: readonly string[] = ['-O3', '--runtime', 'stub', '--noAssert', '--use', 'abort='];

/** wasm-ld flags of the small workload: a 1 KiB stack below the data (an overflow traps at address 0 instead of
    overwriting them) and `__heap_base`, which tells the rewrite to 1-byte pages where the data end. */
export const SMALL_LINK_FLAGS: readonly string[] = ['-Wl,--stack-first', '-Wl,-z,stack-size=1024', '-Wl,--export=__heap_base'];

/** The small workload on boards whose arena cannot hold the full one's 64 KiB pages (the micro:bit's 8 KiB). */
export function workloadOf(board: BoardName): Workload {
  return boardSpec(board).arenaSize < 0x40000 ? 'small' : 'full';
}

export function hashKey(parts: readonly (string | Uint8Array)[]): string {
  const h = createHash('sha256');
  for (const p of parts) {
    h.update(p);
    h.update('\0');
  }
  return h.digest('hex').slice(0, 20);
}

/** Runs `make(tmpDir)` once per key; its output directory is renamed into place (concurrent builders race harmlessly). */
export async function cached(kind: string, key: string, make: (dir: string) => Promise<void>): Promise<string> {
  const dir = join(cacheDir(), kind, key);
  if (existsSync(join(dir, '.done'))) return dir;
  const tmp = `${dir}.tmp-${process.pid}-${Date.now()}`;
  await mkdir(tmp, { recursive: true });
  try {
    await make(tmp);
    await exec('touch', [join(tmp, '.done')]);
    try {
      await rename(tmp, dir);
    } catch {
      await rm(tmp, { recursive: true, force: true });
    }
    return dir;
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
}

export async function runTool(cmd: string, args: readonly string[], what: string): Promise<string> {
  try {
    const { stdout } = await exec(cmd, [...args], { maxBuffer: 64 << 20 });
    return stdout;
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`${what} failed: ${cmd} ${args.join(' ')}\n${err.stderr ?? err.message}`);
  }
}

async function sourceBytes(program: BenchProgram, rel: string): Promise<Uint8Array[]> {
  const dir = benchDir();
  const files = [join(dir, rel), join(dir, 'c', 'lib', 'bench.h'), join(dir, 'c', 'lib', 'mem.c')];
  void program;
  return Promise.all(files.map((f) => readFile(f)));
}

/** `src` overrides the source path (asc needs a .ts name: the repository keeps AssemblyScript as .as, outside tsc). */
export function wasmCommand(program: BenchProgram, out: string, libObj: string, src = join(benchDir(), program.wasmSource),
  workload: Workload = 'full'): [string, string[]] {
  const small = workload === 'small';
  if (program.lang === 'assemblyscript') {
    return [join(repoRoot(), 'node_modules', '.bin', 'asc'), [src, ...ASC_FLAGS, ...(small ? ['--use', 'BENCH_SMALL=1'] : []), '-o', out]];
  }
  const bulk = program.bulkMemory === true ? ['-mbulk-memory'] : [];
  return ['clang', [...CLANG_WASM_FLAGS, ...workloadCflags(workload), ...bulk, '-Wl,--no-entry', '-Wl,--export=run',
    ...(small ? SMALL_LINK_FLAGS : []), src, libObj, '-o', out]];
}

/**
 * The program's .wasm (path and bytes) as the toolchain links it, 64 KiB pages (V8 runs this one). For the small
 * workload `boardBytes` is the same module rewritten to 1-byte pages (what the board runs); otherwise `bytes`.
 */
export async function buildWasm(program: BenchProgram, workload: Workload = 'full'): Promise<{ path: string; bytes: Uint8Array; boardBytes: Uint8Array }> {
  const srcs = await sourceBytes(program, program.wasmSource);
  const key = hashKey([program.name, program.lang, String(program.bulkMemory), workload, ...CLANG_WASM_FLAGS, ...ASC_FLAGS, ...srcs]);
  const dir = await cached('wasm', key, async (tmp) => {
    const libObj = join(tmp, 'mem.o');
    if (program.lang === 'c') {
      await runTool('clang', [...CLANG_WASM_FLAGS, ...LIB_CFLAGS.slice(0, 1), '-c', join(benchDir(), 'c', 'lib', 'mem.c'), '-o', libObj], 'wasm lib build');
    }
    let src = join(benchDir(), program.wasmSource);
    if (program.lang === 'assemblyscript') {
      const copy = join(tmp, `${program.name}.ts`);
      await copyFile(src, copy);
      src = copy;
    }
    const [cmd, args] = wasmCommand(program, join(tmp, `${program.name}.wasm`), libObj, src, workload);
    await runTool(cmd, args, `wasm build of ${program.name}`);
  });
  const path = join(dir, `${program.name}.wasm`);
  const bytes = new Uint8Array(await readFile(path));
  const boardBytes = workload === 'small' ? withOneBytePages(bytes, program.smallMemoryBytes).bytes : bytes;
  return { path, bytes, boardBytes };
}

/** Reads a checksum as an unsigned integer of the program's result width. */
export function unsignedChecksum(program: BenchProgram, value: bigint | number): bigint {
  const v = BigInt(value);
  return program.result === 'i64' ? BigInt.asUintN(64, v) : BigInt.asUintN(32, v);
}

/** Node's WebAssembly; typed here because lib.dom is not in the build. */
const V8 = (globalThis as unknown as {
  WebAssembly: { Module: new (b: Uint8Array) => object; Instance: new (m: object, i: object) => { exports: Record<string, unknown> } };
}).WebAssembly;

/** run() in V8 (Node's WebAssembly), as an unsigned checksum. */
export function v8Checksum(program: BenchProgram, wasm: Uint8Array): bigint {
  const instance = new V8.Instance(new V8.Module(wasm), {});
  const run = instance.exports['run'];
  if (typeof run !== 'function') throw new Error(`${program.name}: no exported run()`);
  return unsignedChecksum(program, (run as () => number | bigint)());
}

/** run() built with the host C compiler (-O2) and executed: the reference checksum. */
export async function hostChecksum(program: BenchProgram, workload: Workload = 'full'): Promise<bigint> {
  const srcs = await sourceBytes(program, program.nativeSource);
  const hostMain = join(benchDir(), 'native', 'host_main.c');
  const cc = process.env['CC'] ?? 'cc';
  const flags = [...COMMON_CFLAGS, ...workloadCflags(workload), `-DBENCH_I64=${program.result === 'i64' ? 1 : 0}`];
  const key = hashKey([program.name, cc, ...flags, ...srcs, await readFile(hostMain)]);
  const dir = await cached('host', key, async (tmp) => {
    await runTool(cc, [...flags, join(benchDir(), program.nativeSource), hostMain, '-o', join(tmp, 'bench'), '-lm'], `host build of ${program.name}`);
  });
  const out = await runTool(join(dir, 'bench'), [], `host run of ${program.name}`);
  return BigInt(out.trim());
}

/**
 * Builds the batch firmware of a board (boards/common + boards/<arch> + boards/<board> + the whole runtime) with
 * its architecture's GNU toolchain (ARCHS in boards.ts), and the instruction-counting QEMU plugin with the host
 * compiler. Both are cached under .cache/ by a hash of
 * every source byte and flag, so a build happens once per change; concurrent builders race harmlessly (each
 * builds into a private directory and renames it into place).
 */
import { execFile } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { ArchSpec, BoardName, BoardSpec } from './boards.js';
import { archOf, boardSpec } from './boards.js';

const run = promisify(execFile);

/** The repository root (dist/src/run/ → ../../..). */
export function repoRoot(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
}

export const FIRMWARE_CFLAGS: readonly string[] = [
  '-Os', '-g', '-ffunction-sections', '-fdata-sections', '-std=c99', '-Wall', '-Wextra', '-ffp-contract=off',
  // WASI modules run on the boards (test/boards/wasi.test.ts; `xipwasm run`)
  '-DXW_ENABLE_WASI=1',
];

export interface FirmwareBuild {
  readonly board: BoardName;
  readonly elfPath: string;
  /** Addresses of the instruction-count markers (on Arm with the Thumb bit, as in the symbol table). */
  readonly countBegin: number;
  readonly countEnd: number;
  /** Firmware text + data size in bytes. */
  readonly codeSize: number;
  /** True when this call compiled it (false: cache hit). */
  readonly built: boolean;
  /** Compiler warnings, if any. */
  readonly warnings: string;
}

export interface BuildOptions {
  /** Repository root (default: derived from this file's location). */
  readonly root?: string;
  /** Cache directory (default: <root>/.cache). */
  readonly cacheDir?: string;
  /** C files of host functions to build into the firmware (`xipwasm run --native-lib`): each defines
      `uint32_t get_native_lib(const xw_host_func **funcs)` (boards/common/xipwasm_board.h). */
  readonly nativeLibs?: readonly string[];
}

/** The generated sources that bring the native libraries in: one wrapper per file, renaming its get_native_lib so
    several can coexist, and the list main.c walks (an empty list without --native-lib). */
function nativeLibSources(libs: readonly string[]): Map<string, string> {
  const files = new Map<string, string>();
  libs.forEach((path, i) => {
    files.set(`native_lib_${i}.c`, `#define get_native_lib xw_native_lib_${i}\n#include ${JSON.stringify(path)}\n`);
  });
  const decls = libs.map((_p, i) => `uint32_t xw_native_lib_${i}(const xw_host_func **funcs);\n`).join('');
  const list = libs.length === 0 ? '0' : libs.map((_p, i) => `xw_native_lib_${i}`).join(', ');
  files.set('native_libs.c',
    '#include <stdint.h>\n#include "xipwasm.h"\n' + decls +
    'typedef uint32_t (*native_lib_fn)(const xw_host_func **funcs);\n' +
    `const native_lib_fn xw_native_libs[${Math.max(libs.length, 1)}] = { ${list} };\n` +
    `const uint32_t xw_native_lib_count = ${libs.length}u;\n`);
  return files;
}

async function listFiles(dir: string, exts: readonly string[]): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const names = await readdir(dir);
  return names.filter((n) => exts.some((e) => n.endsWith(e))).sort().map((n) => join(dir, n));
}

async function hashFiles(root: string, files: readonly string[], extra: readonly string[]): Promise<string> {
  const h = createHash('sha256');
  for (const e of extra) h.update(`${e}\0`);
  for (const f of files) {
    h.update(`${relative(root, f)}\0`);
    h.update(await readFile(f));
    h.update('\0');
  }
  return h.digest('hex').slice(0, 24);
}

async function toolVersion(tool: string, packages: string): Promise<string> {
  try {
    const { stdout } = await run(tool, ['--version']);
    return stdout.split('\n')[0] ?? '';
  } catch {
    throw new Error(`${tool} not found: install ${packages} (scripts/setup.sh; docs/boards.md)`);
  }
}

interface Meta { countBegin: number; countEnd: number; codeSize: number; warnings: string }

/** The source directories of a board's firmware, most general first (each is also an include and linker path). */
export function firmwareDirs(board: BoardSpec, root: string = repoRoot()): { common: string; arch: string; board: string } {
  return { common: join(root, 'boards', 'common'), arch: join(root, 'boards', board.arch), board: join(root, 'boards', board.name) };
}

/** Runs one of the board's toolchain programs (`gcc`, `nm`, ...): its output, or an error naming what failed. */
export async function runBoardTool(arch: ArchSpec, tool: string, args: readonly string[]): Promise<{ stdout: string; stderr: string }> {
  return run(`${arch.toolPrefix}${tool}`, [...args], { maxBuffer: 64 << 20 });
}

/** Symbol addresses of an ELF file (as `nm` prints them: Thumb functions carry bit 0). */
export async function readSymbols(arch: ArchSpec, elf: string): Promise<Map<string, number>> {
  const { stdout } = await runBoardTool(arch, 'nm', [elf]);
  const map = new Map<string, number>();
  for (const line of stdout.split('\n')) {
    const [addr, , name] = line.trim().split(/\s+/);
    if (addr !== undefined && name !== undefined) map.set(name, parseInt(addr, 16));
  }
  return map;
}

export async function buildFirmware(board: BoardName, opts: BuildOptions = {}): Promise<FirmwareBuild> {
  const spec = boardSpec(board);
  const arch = archOf(spec);
  const root = opts.root ?? repoRoot();
  const cache = opts.cacheDir ?? join(root, '.cache');
  const dirs = firmwareDirs(spec, root);
  const boardDirs = [dirs.common, dirs.arch, dirs.board];
  const cSources: string[] = [];
  for (const d of [...boardDirs, join(root, 'runtime', 'src')]) cSources.push(...(await listFiles(d, ['.c', '.S'])));
  const hashed = [...cSources];
  for (const d of [...boardDirs, join(root, 'runtime', 'src'), join(root, 'runtime', 'include')]) {
    hashed.push(...(await listFiles(d, ['.h', '.ld'])));
  }
  // a board's board.c may include a sibling board's (mps2-an386 builds on mps2-an385's): every board's sources
  // belong to the key, or an edit there would leave a stale cached firmware
  const boardsRoot = join(root, 'boards');
  for (const name of (await readdir(boardsRoot, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort()) {
    const d = join(boardsRoot, name);
    if (!boardDirs.includes(d)) hashed.push(...(await listFiles(d, ['.c', '.h', '.S', '.ld'])));
  }
  const flags = [
    ...spec.gccFlags, ...FIRMWARE_CFLAGS, ...spec.firmwareFlags,
    `-I${join(root, 'runtime', 'include')}`, ...boardDirs.map((d) => `-I${d}`),
    '-nostartfiles', ...arch.libcFlags, '-Wl,--gc-sections', ...boardDirs.map((d) => `-L${d}`), `-T${join(dirs.board, 'board.ld')}`,
  ];
  const libs = (opts.nativeLibs ?? []).map((p) => resolve(p));
  for (const lib of libs) {
    if (!existsSync(lib)) throw new Error(`native library ${lib} not found`);
    hashed.push(lib);
  }
  const generated = nativeLibSources(libs);
  const libFlags = [...new Set(libs.map((l) => `-I${dirname(l)}`))];
  const gcc = await toolVersion(`${arch.toolPrefix}gcc`, arch.packages);
  const key = await hashFiles(root, hashed, [board, gcc, ...flags.map((f) => f.split(root).join('<root>')),
    ...[...generated].map(([name, text]) => `${name}:${text}`)]);
  const dir = join(cache, 'firmware', `${board}-${key}`);
  const elfPath = join(dir, 'firmware.elf');
  const metaPath = join(dir, 'meta.json');
  if (existsSync(metaPath)) {
    const meta = JSON.parse(await readFile(metaPath, 'utf8')) as Meta;
    return { board, elfPath, ...meta, built: false };
  }
  // mkdtemp, not pid+time: concurrent builds in one process can start in the same millisecond.
  await mkdir(dirname(dir), { recursive: true });
  const tmp = await mkdtemp(`${dir}.tmp-`);
  try {
    const tmpElf = join(tmp, 'firmware.elf');
    let warnings: string;
    try {
      const genPaths: string[] = [];
      for (const [name, text] of generated) {
        const path = join(tmp, name);
        await writeFile(path, text);
        genPaths.push(path);
      }
      const { stderr } = await runBoardTool(arch, 'gcc', [...flags, ...libFlags, ...cSources, ...genPaths, '-o', tmpElf, '-lm']);
      warnings = stderr;
    } catch (e) {
      const err = e as { stderr?: string; message: string };
      throw new Error(`firmware build for ${board} failed:\n${err.stderr ?? err.message}`);
    }
    const syms = await readSymbols(arch, tmpElf);
    const countBegin = syms.get('xw_count_begin');
    const countEnd = syms.get('xw_count_end');
    if (countBegin === undefined || countEnd === undefined) throw new Error('firmware lacks the xw_count_begin/end markers');
    const { stdout: sizeOut } = await runBoardTool(arch, 'size', ['-B', tmpElf]);
    const sizeFields = (sizeOut.split('\n')[1] ?? '').trim().split(/\s+/);
    const codeSize = Number(sizeFields[0] ?? 0) + Number(sizeFields[1] ?? 0);
    const meta: Meta = { countBegin: (countBegin | arch.codeAddressBit) >>> 0, countEnd: (countEnd | arch.codeAddressBit) >>> 0, codeSize, warnings };
    await writeFile(join(tmp, 'meta.json'), JSON.stringify(meta));
    await mkdir(dirname(dir), { recursive: true });
    try {
      await rename(tmp, dir);
    } catch {
      // Another builder won the race; its result is identical.
      await rm(tmp, { recursive: true, force: true });
    }
    return { board, elfPath, ...meta, built: true };
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
}

/** Builds boards/qemu-plugin/icount.c into a shared object for `qemu-system-arm -plugin` (and -riscv32). */
export async function buildCountPlugin(opts: BuildOptions = {}): Promise<string> {
  const root = opts.root ?? repoRoot();
  const cache = opts.cacheDir ?? join(root, '.cache');
  const src = join(root, 'boards', 'qemu-plugin', 'icount.c');
  const cc = process.env['CC'] ?? 'cc';
  const flags = ['-shared', '-fPIC', '-O2', '-Wall', '-Wextra'];
  const key = await hashFiles(root, [src], [cc, await toolVersion(cc, 'gcc'), ...flags]);
  const dir = join(cache, 'qemu-plugin', key);
  const so = join(dir, 'icount.so');
  if (existsSync(so)) return so;
  await mkdir(dir, { recursive: true });
  // two builds in one process (parallel bench jobs) must not share the temporary file: the second rename fails
  const tmp = join(dir, `icount.so.tmp-${process.pid}-${randomUUID()}`);
  try {
    await run(cc, [...flags, src, '-o', tmp]);
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`building the instruction-count plugin failed:\n${err.stderr ?? err.message}`);
  }
  await rename(tmp, so);
  return so;
}

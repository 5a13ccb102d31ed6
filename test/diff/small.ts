/**
 * Generated modules for a board whose RAM cannot hold a 64 KiB page (the micro:bit: an 8 KiB instance arena). The
 * module's memory becomes `bytes` 1-byte pages (custom page sizes, src/wasm/page-size.ts) on the board, while V8,
 * which has no custom page sizes, runs the module as generated. The two agree as long as no access reaches the
 * bytes between the small memory's end and the generated one's, and the code never asks the page count:
 * - memory.size and memory.grow (page counts) refuse the module;
 * - data segments must end within the small memory;
 * - the generator's addresses must stay in the first bytes (`inBounds`, wasm-opt --no-fuzz-oob), which nothing here
 *   can prove; the M3 board, tested against V8 with 64 KiB pages, runs the same small-memory modules
 *   (test/diff/run-diff.ts --check-small) to show that the rewrite changes no result.
 */
import type { BoardName } from '../../src/run/boards.js';
import { boardSpec } from '../../src/run/boards.js';
import type { Module } from '../../src/wasm/types.js';
import { pageSizeLog2 } from '../../src/wasm/types.js';
import { parseModule } from '../../src/wasm/index.js';
import { OperatorReader } from '../../src/wasm/operators.js';
import { replaceMemorySection } from '../../src/wasm/page-size.js';

/** memory.size, memory.grow (src/wasm/opcodes.ts) */
const PAGE_COUNT_OPS: ReadonlySet<number> = new Set([0x3f, 0x40]);

/** The memory's size in bytes when `bytes` fits it (a smaller memory stays as it is), or why the module keeps no
    equal behaviour in it. */
function smallSize(wasm: Uint8Array, m: Module, bytes: number): number | string {
  if (m.numImportedMemories > 0) return 'imported memory';
  const mem = m.memories[0];
  if (mem === undefined || m.memories.length > 1) return mem === undefined ? 0 : 'several memories';
  if (pageSizeLog2(mem) === 0) return 'already 1-byte pages';
  const size = Math.min(bytes, mem.limits.min * 65536);
  for (const body of m.codes) {
    const r = new OperatorReader(wasm, body.codeStart, body.codeEnd);
    while (!r.atEnd()) {
      if (PAGE_COUNT_OPS.has(r.read().op)) return 'memory.size or memory.grow';
    }
  }
  for (const d of m.datas) {
    if (d.mode !== 'active') continue;
    if (d.offset?.kind !== 'i32.const') return 'a data segment at a non-constant offset';
    if ((d.offset.value >>> 0) + d.bytes.length > size) return `a data segment beyond ${size} bytes`;
  }
  return size;
}

/** The module for the small board, or why it cannot have one (a module without memory is returned as it is). */
export function smallMemory(wasm: Uint8Array, bytes: number): Uint8Array | string {
  const m = parseModule(wasm);
  const size = smallSize(wasm, m, bytes);
  if (typeof size === 'string') return size;
  return m.memories.length === 0 ? wasm : replaceMemorySection(wasm, size);
}

/** The memory a generated module gets on a small board: its addresses stay below 64 (inBounds: 16-byte masked
    pointers plus small offsets), and four instances and the marker fit the micro:bit's 8 KiB arena. */
export const SMALL_MEMORY_BYTES = 1024;

/** Boards whose instance arena cannot hold a module of 64 KiB pages next to another (the micro:bit's 8 KiB). */
export function isSmallBoard(board: BoardName): boolean {
  return boardSpec(board).arenaSize < 0x40000;
}

/** What `board` runs for the module V8 runs: on a small board (or with `always`) the module in a small memory
    (or why it has none); elsewhere the module itself. */
export function forBoard(board: BoardName, wasm: Uint8Array, always = false): Uint8Array | string {
  return always || isSmallBoard(board) ? smallMemory(wasm, SMALL_MEMORY_BYTES) : wasm;
}

/**
 * The post-link rewrite behind `xipwasm compile --memory-page-size=1` (docs/small-memories.md): gives a module's
 * memory 1-byte pages (custom-page-sizes proposal) and a size in bytes, so that a C program linked by wasm-ld
 * (which cannot write a page size, nor a memory below 64 KiB) needs kilobytes of RAM rather than 64 KiB pages.
 *
 * Only the memory section changes. The rewrite refuses every module whose behaviour it would change in a way
 * the module can observe or that it cannot rule out:
 * - memory.size or memory.grow anywhere in the code (they count pages, whose size changes; and a module that grows
 *   its memory, such as one whose malloc calls sbrk, needs the pages it asks for);
 * - an imported memory (its type belongs to the exporter), or no memory, or more than one;
 * - a data segment whose offset is not a constant, or that ends beyond the new size;
 * - a mutable i32 global initialised beyond the new size (wasm-ld's __stack_pointer: the stack grows down from it),
 *   and the exported __heap_base / __data_end beyond it (the end of the static data and bss);
 * - a new size above the module's own memory (that would turn traps into accesses).
 * What it cannot see: an access to a constant address above all of these (the program's own fixed addresses), which
 * traps after the rewrite where it read zeros before. The docs say so.
 */
import { CompileError } from '../errors.js';
import { Op } from './opcodes.js';
import { OperatorReader } from './operators.js';
import { Reader } from './reader.js';
import { pageSizeLog2, ValType, type Module } from './types.js';
import { parseModule } from './index.js';

/** A refusal of the rewrite (the CLI prints it as one line, exit status 1). */
export class PageSizeRewriteError extends CompileError {
  constructor(message: string, offset = -1) {
    super('usage', `--memory-page-size=1: ${message}`, offset);
    this.name = 'PageSizeRewriteError';
  }
}

export interface PageSizeRewrite {
  readonly bytes: Uint8Array;
  /** the memory's size in bytes (= its minimum and maximum in 1-byte pages) */
  readonly memoryBytes: number;
  /** the least size the module's data, stack pointer and heap base need */
  readonly neededBytes: number;
  /** what set neededBytes, for messages */
  readonly neededBy: string;
}

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return out;
}

/** The least memory size in bytes the module's own declarations need, and what needs it. */
function neededBytes(m: Module): { bytes: number; by: string } {
  let bytes = 0;
  let by = 'nothing';
  const need = (n: number, what: string): void => {
    if (n > bytes) { bytes = n; by = what; }
  };
  m.datas.forEach((d, i) => {
    if (d.mode !== 'active') return;
    if (d.offset?.kind !== 'i32.const') throw new PageSizeRewriteError(`data segment ${i} has a non-constant offset: its end is not known before instantiation`);
    need((d.offset.value >>> 0) + d.bytes.length, `data segment ${i}`);
  });
  const globalName = (i: number): string => {
    const n = m.exports.find((e) => e.kind === 'global' && e.index === i)?.name;
    return n === undefined ? `global ${i}` : `global ${i} (${n})`;
  };
  m.globals.forEach((g, k) => {
    const i = m.numImportedGlobals + k;
    if (g.type.valType !== ValType.I32 || g.init.kind !== 'i32.const') return;
    const exported = m.exports.find((e) => e.kind === 'global' && e.index === i)?.name;
    // wasm-ld's stack pointer is the mutable one; __heap_base/__data_end end the static data and bss
    if (g.type.mutable) need(g.init.value >>> 0, `the initial value of mutable ${globalName(i)}, a stack pointer`);
    else if (exported === '__heap_base' || exported === '__data_end') need(g.init.value >>> 0, `${exported} (the end of the static data and bss)`);
  });
  return { bytes, by };
}

/** Rewrites memory 0 to 1-byte pages of `initialBytes` bytes (default: what the module needs, rounded up to 16). */
export function withOneBytePages(wasm: Uint8Array, initialBytes?: number): PageSizeRewrite {
  const m = parseModule(wasm);
  if (m.memories.length !== 1) throw new PageSizeRewriteError(m.memories.length === 0 ? 'the module has no memory' : 'the module has more than one memory');
  if (m.numImportedMemories > 0) throw new PageSizeRewriteError('the memory is imported: its page size is the exporter\'s');
  const mem = m.memories[0]!;
  if (pageSizeLog2(mem) === 0) throw new PageSizeRewriteError('the memory already has 1-byte pages');
  for (const body of m.codes) {
    const r = new OperatorReader(wasm, body.codeStart, body.codeEnd);
    while (!r.atEnd()) {
      const ins = r.read();
      if (ins.op === Op.MemorySize || ins.op === Op.MemoryGrow) {
        throw new PageSizeRewriteError(
          `${ins.op === Op.MemorySize ? 'memory.size' : 'memory.grow'} counts pages, and its result would change with the page size ` +
          '(link without code that grows memory, e.g. without malloc)', ins.offset);
      }
    }
  }
  const need = neededBytes(m);
  const oldBytes = mem.limits.min * 65536;
  const bytes = initialBytes ?? Math.min(Math.ceil(need.bytes / 16) * 16, oldBytes);
  if (!Number.isInteger(bytes) || bytes < 0 || bytes > 0xffffffff) throw new PageSizeRewriteError(`memory size ${bytes} is not a byte count below 2^32`);
  if (bytes < need.bytes) throw new PageSizeRewriteError(`memory size ${bytes} is below the ${need.bytes} bytes that ${need.by} needs`);
  if (bytes > oldBytes) {
    throw new PageSizeRewriteError(`memory size ${bytes} is above the module's own ${oldBytes} bytes (${mem.limits.min} pages of 64 KiB)`);
  }
  if (initialBytes === undefined && !m.exports.some((e) => e.kind === 'global' && e.name === '__heap_base')) {
    // without it, the zero-initialised data (bss) after the last data segment is invisible
    throw new PageSizeRewriteError('the module does not export __heap_base, so the end of its zero-initialised data is unknown: ' +
      'link with -Wl,--export=__heap_base, or give --initial-memory=<bytes>');
  }

  return { bytes: replaceMemorySection(wasm, bytes), memoryBytes: bytes, neededBytes: need.bytes, neededBy: need.by };
}

/**
 * The module with its memory section replaced by one memory of `bytes` 1-byte pages (minimum = maximum), and
 * nothing else checked: for callers that have ruled out what withOneBytePages refuses by other means (the
 * differential tests' generated modules, whose mutable globals are not stack pointers).
 */
export function replaceMemorySection(wasm: Uint8Array, bytes: number): Uint8Array {
  // copy every section but the memory section, which becomes: 1 memory, flags 0x09 (maximum, page size), min, max, 2^0
  const out: number[] = [...wasm.subarray(0, 8)];
  const s = new Reader(wasm, 8);
  while (!s.atEnd()) {
    const start = s.pos;
    const id = s.u8('section id');
    const size = s.u32('section size');
    const end = s.pos + size;
    if (id === 5) {
      const body = [1, 0x09, ...uleb(bytes), ...uleb(bytes), 0];
      out.push(5, ...uleb(body.length), ...body);
    } else {
      for (let i = start; i < end; i++) out.push(wasm[i]!);
    }
    s.pos = end;
  }
  return Uint8Array.from(out);
}

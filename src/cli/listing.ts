/**
 * One function's disassembly as `xipwasm inspect --disasm` prints it. Free of Node built-ins (and of the CLI's
 * I/O), so the web page shows exactly the same text.
 */
import type { CsModule } from '@alexaltea/capstone-js';
import type { AotFile } from '../aot/reader.js';
import { disassembleThumb, type DisasmCpu } from '../run/disasm.js';

const hex = (n: number): string => `0x${n.toString(16).padStart(4, '0')}`;

/** The end of function `index`'s code: the next code/entry offset above its start, or the end of the text. */
export function functionExtent(f: AotFile, index: number): { start: number; end: number } {
  const start = f.funcs[index]!.codeOffset;
  let end = f.text.length;
  for (const fn of f.funcs) {
    for (const o of [fn.codeOffset, fn.entryOffset]) if (o !== undefined && o > start && o < end) end = o;
  }
  return { start, end };
}

const DISASM_CPUS: readonly DisasmCpu[] = ['cortex-m0', 'cortex-m0plus', 'cortex-m3', 'cortex-m4', 'cortex-m7', 'cortex-m33', 'cortex-m55'];

/** The file's CPU, or the widest decoder for 'generic'. */
export function disasmCpu(cpu: string): DisasmCpu {
  return DISASM_CPUS.find((c) => c === cpu) ?? 'cortex-m55';
}

/** One function's disassembly as `inspect --disasm` prints it (the web page shows the same text). */
export async function functionListing(f: AotFile, idx: number, capstone?: CsModule): Promise<string> {
  const { start, end } = functionExtent(f, idx);
  const head = `function ${idx}${f.names.has(idx) ? ` <${f.names.get(idx)}>` : ''}: text ${hex(start)}..${hex(end)} (addresses are text offsets)\n`;
  const lines = await disassembleThumb(f.text.subarray(start, end), start, disasmCpu(f.cpu), capstone);
  return head + lines.map((l) => `${l}\n`).join('');
}

/**
 * Thumb-2 disassembly for tooling (`xipwasm inspect --disasm`, test
 * diagnostics, the web page), via Capstone 5 compiled to WebAssembly. The
 * compiler core never depends on it.
 */
import MCapstone, { type CsModule } from '@alexaltea/capstone-js';

export type DisasmCpu = 'cortex-m0' | 'cortex-m0plus' | 'cortex-m3' | 'cortex-m4' | 'cortex-m7' | 'cortex-m33' | 'cortex-m55';

let capstone: Promise<CsModule> | undefined;

/** M-class Thumb for every CPU; the ARMv8 decode tables (VRINT, VMAXNM, VSEL...) for FPv5 and v8-M parts. */
function modeFor(cs: CsModule, cpu: DisasmCpu): number {
  const base = cs.MODE_THUMB + cs.MODE_MCLASS;
  switch (cpu) {
    case 'cortex-m0': case 'cortex-m0plus': case 'cortex-m3': case 'cortex-m4':
      return base;
    case 'cortex-m7': case 'cortex-m33': case 'cortex-m55':
      return base + cs.MODE_V8;
  }
}

function hex16(b: readonly number[]): string {
  const hw: string[] = [];
  for (let i = 0; i + 1 < b.length; i += 2) hw.push((b[i]! | (b[i + 1]! << 8)).toString(16).padStart(4, '0'));
  if (b.length % 2) hw.push(b[b.length - 1]!.toString(16).padStart(2, '0'));
  return hw.join(' ');
}

/**
 * One line per instruction, objdump-like: `    1004:\tf101 0001 \tadd.w\tr0, r1, #1`.
 * Bytes that do not decode (literal pools, tables) come out as `.byte` lines
 * and decoding resumes after them.
 */
export async function disassembleThumb(bytes: Uint8Array, baseAddress: number, cpu: DisasmCpu, module?: CsModule): Promise<string[]> {
  // a browser page brings its own instance (made from the .wasm bytes it carries); Node loads the file
  capstone ??= module === undefined ? MCapstone() : Promise.resolve(module);
  const cs = module ?? await capstone;
  const d = new cs.Capstone(cs.ARCH_ARM, modeFor(cs, cpu));
  try {
    d.option(cs.OPT_SKIPDATA, cs.OPT_ON);
    if (bytes.length === 0) return [];
    return d.disasm(Array.from(bytes), baseAddress).map((i) => {
      const at = Number(i.address).toString(16).padStart(8, ' ');
      return `${at}:\t${hex16(i.bytes).padEnd(10)}\t${i.mnemonic}${i.op_str ? `\t${i.op_str}` : ''}`;
    });
  } finally {
    d.close();
  }
}

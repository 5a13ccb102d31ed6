/**
 * RV32 golden-row machinery (as test/target/thumb2/golden.ts): each row is
 * (GNU assembly text, thunk producing our encoding(s)); the expected bytes of
 * every row live in expected/<table>.json as [asm, objdump hex] pairs written
 * by gen-golden.ts from GNU as (`node dist/test/target/rv32/gen-golden.js
 * --update`). A table says whether GNU as may compress: with C enabled it
 * compresses 32-bit mnemonics on its own, so the uncompressed tables run under
 * `.option norvc` and the compressed ones spell `c.*` mnemonics explicitly
 * (the 'auto' table is the exception: it checks that compress.ts picks what
 * GNU as picks). `.option norelax` keeps branch fields filled in by as.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RvEnc, rvHex } from '../../../src/target/rv32/enc/common.js';

export interface Row {
  readonly asm: string;
  readonly enc: () => RvEnc | readonly RvEnc[];
}

export function row(asm: string, enc: () => RvEnc | readonly RvEnc[]): Row {
  return { asm, enc };
}

export interface Table {
  readonly name: string;
  /** Whether GNU as may use compressed encodings (rvc) while assembling this table. */
  readonly rvc: boolean;
  readonly rows: readonly Row[];
}

export function expectedPath(name: string): string {
  return `test/target/rv32/expected/${name}.json`;
}

export function statements(asm: string): string[] {
  return asm.split(';').map((s) => s.trim()).filter((s) => s.length > 0);
}

export function ourHex(r: Row): string {
  const e = r.enc();
  return (Array.isArray(e) ? (e as readonly RvEnc[]) : [e as RvEnc]).map(rvHex).join(' ');
}

export const AS = 'riscv64-unknown-elf-as';
export const OBJDUMP = 'riscv64-unknown-elf-objdump';
/** rv32imafc as the issue asks, plus Zicsr/Zifencei, which GNU as 2.40 spells out (ISA spec 20191213). */
export const AS_FLAGS = ['-march=rv32imafc_zicsr_zifencei', '-mabi=ilp32f'];

export function haveBinutils(): boolean {
  try {
    execFileSync(AS, ['--version'], { stdio: 'ignore' });
    execFileSync(OBJDUMP, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Assemble `source` and return objdump's instructions (hex and text), in order. */
export function assemble(source: string, rvc: boolean): { hex: string; text: string }[] {
  const dir = mkdtempSync(join(tmpdir(), 'xipwasm-rvgolden-'));
  try {
    const s = join(dir, 'a.s'), o = join(dir, 'a.o');
    const header = `\t.option norelax\n\t.option ${rvc ? 'rvc' : 'norvc'}\n`;
    writeFileSync(s, `${header}${source}\n`);
    try {
      execFileSync(AS, [...AS_FLAGS, s, '-o', o], { stdio: ['ignore', 'ignore', 'pipe'] });
    } catch (e) {
      const lines = source.split('\n');
      const msg = String((e as { stderr?: Buffer }).stderr ?? e).replace(/^.*a\.s:(\d+): (.*)$/gm, (_m, l: string, t: string) => `line ${l}: ${t} [${lines[Number(l) - 3]?.trim()}]`);
      throw new Error(`GNU as failed:\n${msg}`);
    }
    // -z: show c.unimp (zero halfwords) instead of eliding them.
    const out = execFileSync(OBJDUMP, ['-d', '-z', '-M', 'no-aliases', o], { encoding: 'utf8', maxBuffer: 64 << 20 });
    const res: { hex: string; text: string }[] = [];
    for (const line of out.split('\n')) {
      const m = /^\s*[0-9a-f]+:\t([0-9a-f]{8}|[0-9a-f]{4})\s+\t(.*)$/.exec(line);
      if (m) res.push({ hex: m[1]!, text: m[2]!.trim() });
    }
    return res;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Hex per row, assembled from the rows' text by GNU as (one run per table). */
export function assembleRows(t: Table): string[] {
  const src = t.rows.map((r) => statements(r.asm).map((s) => `\t${s}`).join('\n')).join('\n');
  const insns = assemble(src, t.rvc);
  const out: string[] = [];
  let k = 0;
  for (const r of t.rows) {
    const n = statements(r.asm).length;
    out.push(insns.slice(k, k + n).map((i) => i.hex).join(' '));
    k += n;
  }
  if (k !== insns.length) throw new Error(`assembled ${insns.length} instructions for ${k} statements`);
  return out;
}

/** `.+N` / `.-N`: GNU's spelling of an offset from the instruction itself (RISC-V has no PC bias). */
export function rel(off: number): string {
  return off >= 0 ? `.+${off}` : `.-${-off}`;
}

/** The even offsets with exactly one magnitude bit set, plus both ends: every bit of a scattered field moves once. */
export function offsetEdges(lo: number, hi: number, align: number): number[] {
  const out = new Set<number>([lo, hi, 0, -align, align]);
  for (let b = align; b <= hi; b *= 2) out.add(b);
  for (let b = align; -b >= lo; b *= 2) out.add(-b);
  return [...out].filter((v) => v >= lo && v <= hi).sort((a, b) => a - b);
}

/**
 * The .text bytes of `source` assembled by GNU as and linked at address 0 by
 * GNU ld without relaxation (ld resolves the auipc pairs' %pcrel_hi/%pcrel_lo,
 * which as leaves as relocations). Lines are assembled under `.option rvc`;
 * write `.option norvc` where a 32-bit form must stay uncompressed.
 */
export function assembleLinked(source: string): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'xipwasm-rvgolden-'));
  try {
    const s = join(dir, 'a.s'), o = join(dir, 'a.o'), elf = join(dir, 'a.elf'), b = join(dir, 'a.bin');
    writeFileSync(s, `\t.option norelax\n${source}\n`);
    execFileSync(AS, [...AS_FLAGS, s, '-o', o], { stdio: ['ignore', 'ignore', 'pipe'] });
    execFileSync('riscv64-unknown-elf-ld', ['-m', 'elf32lriscv', '--no-relax', '-Ttext=0', '-e', '0', o, '-o', elf], { stdio: ['ignore', 'ignore', 'pipe'] });
    execFileSync('riscv64-unknown-elf-objcopy', ['-O', 'binary', '-j', '.text', elf, b]);
    return new Uint8Array(readFileSync(b));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** objdump's view of raw RV32 bytes at address 0: offset, hex, text (no aliases) per instruction. */
export function disassembleRaw(code: Uint8Array): { at: number; hex: string; text: string }[] {
  const dir = mkdtempSync(join(tmpdir(), 'xipwasm-rvgolden-'));
  try {
    const b = join(dir, 'a.bin');
    writeFileSync(b, code);
    const out = execFileSync(OBJDUMP, ['-D', '-z', '-b', 'binary', '-m', 'riscv:rv32', '-M', 'no-aliases', b], { encoding: 'utf8', maxBuffer: 64 << 20 });
    const res: { at: number; hex: string; text: string }[] = [];
    for (const line of out.split('\n')) {
      const m = /^\s*([0-9a-f]+):\t([0-9a-f]{8}|[0-9a-f]{4})\s+\t(.*)$/.exec(line);
      if (m) res.push({ at: parseInt(m[1]!, 16), hex: m[2]!, text: m[3]!.trim() });
    }
    return res;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

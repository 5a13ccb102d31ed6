/**
 * Golden-row machinery: each row is (GNU assembly text, thunk producing our
 * encoding(s)); the expected bytes of every row live in
 * expected/<table>.json as [asm, objdump hex] pairs, written by gen-golden.ts
 * from GNU as output (`node dist/test/target/thumb2/gen-golden.js --update`)
 * and reviewed as a diff. Rows can thus be produced by loops (every
 * condition, every register). A row's text may hold several statements
 * separated by ';' (IT blocks); its thunk then returns as many encodings.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Enc, encHex } from '../../../src/target/thumb2/enc/common.js';

export interface Row {
  readonly asm: string;
  readonly enc: () => Enc | readonly Enc[];
}

export function row(asm: string, enc: () => Enc | readonly Enc[]): Row {
  return { asm, enc };
}

export interface Table {
  readonly name: string;
  readonly rows: readonly Row[];
}

/** Where the expected hex of a table lives, relative to the repository root (`isa`: the directory under test/target). */
export function expectedPath(name: string, isa: 'thumb2' | 'thumb1' = 'thumb2'): string {
  return `test/target/${isa}/expected/${name}.json`;
}

export function statements(asm: string): string[] {
  return asm.split(';').map((s) => s.trim()).filter((s) => s.length > 0);
}

export function ourHex(r: Row): string {
  const e = r.enc();
  return (Array.isArray(e) ? (e as readonly Enc[]) : [e as Enc]).map(encHex).join(' ');
}

export const AS = 'arm-none-eabi-as';
export const OBJDUMP = 'arm-none-eabi-objdump';
export const AS_FLAGS: readonly string[] = ['-mthumb', '-march=armv8.1-m.main+fp.dp'];
/** ARMv6-M (Cortex-M0/M0+, with SVC): GNU as refuses every Thumb-2-only instruction under it. */
export const V6M_AS_FLAGS: readonly string[] = ['-mthumb', '-march=armv6s-m'];

export function haveBinutils(): boolean {
  try {
    execFileSync(AS, ['--version'], { stdio: 'ignore' });
    execFileSync(OBJDUMP, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Assemble `source` (unified Thumb syntax) and return objdump's instructions: hex and text, in order. */
export function assemble(source: string, flags: readonly string[] = AS_FLAGS): { hex: string; text: string }[] {
  const dir = mkdtempSync(join(tmpdir(), 'xipwasm-golden-'));
  try {
    const s = join(dir, 'a.s'), o = join(dir, 'a.o');
    writeFileSync(s, `\t.syntax unified\n\t.thumb\n${source}\n`);
    try {
      execFileSync(AS, [...flags, s, '-o', o], { stdio: ['ignore', 'ignore', 'pipe'] });
    } catch (e) {
      const lines = source.split('\n');
      const msg = String((e as { stderr?: Buffer }).stderr ?? e).replace(/^.*a\.s:(\d+): (.*)$/gm, (_m, l: string, t: string) => `line ${l}: ${t} [${lines[Number(l) - 3]?.trim()}]`);
      throw new Error(`GNU as failed:\n${msg}`);
    }
    const out = execFileSync(OBJDUMP, ['-d', o], { encoding: 'utf8' });
    const res: { hex: string; text: string }[] = [];
    for (const line of out.split('\n')) {
      const m = /^\s*[0-9a-f]+:\t([0-9a-f]{4}(?: [0-9a-f]{4})?)\s*\t(.*)$/.exec(line);
      if (m) res.push({ hex: m[1]!, text: m[2]!.trim() });
    }
    return res;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Hex per row, assembled from the rows' text by GNU as (one run per table). */
export function assembleRows(rows: readonly Row[], flags: readonly string[] = AS_FLAGS): string[] {
  const src = rows.map((r) => statements(r.asm).map((s) => `\t${s}`).join('\n')).join('\n');
  const insns = assemble(src, flags);
  const out: string[] = [];
  let k = 0;
  for (const r of rows) {
    const n = statements(r.asm).length;
    out.push(insns.slice(k, k + n).map((i) => i.hex).join(' '));
    k += n;
  }
  if (k !== insns.length) throw new Error(`assembled ${insns.length} instructions for ${k} statements`);
  return out;
}

/** The .text bytes GNU as produces for `source` (no relocations allowed: they would leave zero fields). */
export function assembleBytes(source: string, flags: readonly string[] = AS_FLAGS): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'xipwasm-golden-'));
  try {
    const s = join(dir, 'a.s'), o = join(dir, 'a.o'), b = join(dir, 'a.bin');
    writeFileSync(s, `\t.syntax unified\n\t.thumb\n${source}\n`);
    execFileSync(AS, [...flags, s, '-o', o], { stdio: ['ignore', 'ignore', 'pipe'] });
    const relocs = execFileSync(OBJDUMP, ['-r', o], { encoding: 'utf8' });
    if (/R_ARM_/.test(relocs)) throw new Error(`GNU as left relocations:\n${relocs}`);
    execFileSync('arm-none-eabi-objcopy', ['-O', 'binary', '-j', '.text', o, b]);
    return new Uint8Array(readFileSync(b));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** objdump's view of raw Thumb bytes at address 0: offset, hex, text per instruction. */
export function disassembleRaw(code: Uint8Array): { at: number; hex: string; text: string }[] {
  const dir = mkdtempSync(join(tmpdir(), 'xipwasm-golden-'));
  try {
    const b = join(dir, 'a.bin');
    writeFileSync(b, code);
    const out = execFileSync(OBJDUMP, ['-D', '-b', 'binary', '-marm', '-Mforce-thumb', b], { encoding: 'utf8' });
    const res: { at: number; hex: string; text: string }[] = [];
    for (const line of out.split('\n')) {
      const m = /^\s*([0-9a-f]+):\t([0-9a-f]{4}(?: [0-9a-f]{4})?)\s*\t(.*)$/.exec(line);
      if (m) res.push({ at: parseInt(m[1]!, 16), hex: m[2]!, text: m[3]!.trim() });
    }
    return res;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

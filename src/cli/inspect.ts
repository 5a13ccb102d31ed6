/**
 * `xipwasm inspect FILE.aot`: prints what an AOT file holds (header, sections, native
 * symbols, relocations) and, with --disasm, one function's Thumb code. Parsing is
 * src/aot/reader.ts; this file only prints.
 */
import { UsageError } from '../errors.js';
import { readAot, type AotFile, type AotInit } from '../aot/reader.js';
import { Feature, InitKind, Kind, rv32IsaOf, SegMode } from '../aot/format.js';
import { formatFlagHelp, parseArgs, type FlagSpec } from './args.js';
import type { CliIo } from './io.js';
import { functionListing } from './listing.js';

export { disasmCpu, functionExtent, functionListing } from './listing.js';

const SPECS: readonly FlagSpec[] = [
  { name: '--disasm', kind: 'value', valueName: '<name|index>', help: 'Disassemble one function (export name, name-section name or index)' },
  { name: '--json', kind: 'switch', help: 'Print the decoded file as JSON' },
  { name: '--help', alias: '-h', kind: 'switch', help: 'Show this help' },
];

export const INSPECT_USAGE =
  'Usage: xipwasm inspect [--disasm=<name|index>] [--json] FILE.aot\n\n' +
  'Prints the header of an xipwasm AOT file (target, CPU, float ABI, flags, size, CRC),\n' +
  'every section, the native symbols it needs and its relocation count (always 0).\n\n';

const KIND_NAMES: Readonly<Record<Kind, string>> = { [Kind.Func]: 'func', [Kind.Table]: 'table', [Kind.Memory]: 'memory', [Kind.Global]: 'global' };
const MODE_NAMES: Readonly<Record<SegMode, string>> = { [SegMode.Active]: 'active', [SegMode.Passive]: 'passive', [SegMode.Declarative]: 'declarative' };
const VAL_NAMES: Readonly<Record<number, string>> = { 0x7f: 'i32', 0x7e: 'i64', 0x7d: 'f32', 0x7c: 'f64', 0x70: 'funcref', 0x6f: 'externref' };

const hex = (n: number): string => `0x${n.toString(16).padStart(4, '0')}`;
const vt = (t: number): string => VAL_NAMES[t] ?? `0x${t.toString(16)}`;
const lim = (min: number, max: number | undefined): string => (max === undefined ? `${min}..` : `${min}..${max}`);

function initText(i: AotInit): string {
  switch (i.kind) {
    case InitKind.None: return '-';
    case InitKind.I32: return `i32.const ${BigInt.asIntN(32, i.value)}`;
    case InitKind.I64: return `i64.const ${BigInt.asIntN(64, i.value)}`;
    case InitKind.F32: return `f32.const bits 0x${i.value.toString(16)}`;
    case InitKind.F64: return `f64.const bits 0x${i.value.toString(16)}`;
    case InitKind.RefNull: return `ref.null ${vt(Number(i.value))}`;
    case InitKind.RefFunc: return `ref.func (funcref #${i.value})`;
    case InitKind.GlobalGet: return `global.get ${i.value}`;
    default: return `kind ${String(i.kind)}`;
  }
}

function featureText(bits: number): string {
  const names: string[] = [];
  if (bits & Feature.FpuSp) names.push('fpu-sp');
  if (bits & Feature.FpuDp) names.push('fpu-dp');
  if (bits & Feature.HwDiv) names.push('hwdiv');
  if (bits & Feature.Dsp) names.push('dsp');
  return names.length > 0 ? names.join(',') : 'none';
}

export function formatAot(f: AotFile): string {
  const out: string[] = [];
  const flags = [f.flags.xip ? 'xip' : '', f.flags.callsViaTable ? 'calls-via-table' : '', f.flags.constop ? 'constop' : ''].filter((s) => s !== '');
  out.push(`format: v${f.formatVersion}, ABI v${f.abiVersion}, native-symbol ABI v${f.symbolAbiVersion}`);
  const features = f.target === 'riscv32' ? rv32IsaOf(f.features) : featureText(f.features);
  out.push(`target: ${f.target}  cpu: ${f.cpu}  float ABI: ${f.floatAbi}  features: ${features}`);
  out.push(`flags: ${flags.length > 0 ? flags.join(',') : 'none'}`);
  out.push(`size: ${f.totalSize} bytes  text: ${f.text.length} bytes at ${hex(f.textOffset)}  globals: ${f.globalsSize} bytes`);
  out.push(`crc32: 0x${f.crc32.toString(16).padStart(8, '0')} ${f.crcOk ? 'ok' : `BAD (computed 0x${f.crcComputed.toString(16).padStart(8, '0')})`}`);
  out.push(`start: ${f.start ?? 'none'}`);
  out.push('sections:');
  for (const s of f.sections) out.push(`  ${s.name.padEnd(10)} at ${hex(s.offset)}  ${String(s.size).padStart(6)} bytes  ${s.count} ${s.name === 'strings' || s.name === 'text' ? 'bytes' : 'entries'}`);
  const sig = (t: number): string => {
    const ty = f.types[t];
    return ty === undefined ? '?' : `(${ty.params.map(vt).join(' ')}) -> (${ty.results.map(vt).join(' ')})`;
  };
  out.push(`types (${f.types.length}):`);
  f.types.forEach((_, i) => out.push(`  ${i}: ${sig(i)}`));
  out.push(`imports (${f.imports.length}):`);
  for (const i of f.imports) out.push(`  ${KIND_NAMES[i.kind]} ${i.index}: "${i.module}"."${i.name}"`);
  out.push(`functions (${f.funcs.length}):`);
  f.funcs.forEach((fn, i) => {
    const name = f.names.get(i);
    out.push(`  ${i}: type ${fn.typeIndex} ${sig(fn.typeIndex)}  code ${hex(fn.codeOffset)}${fn.import !== undefined ? ' (import thunk)' : ''}  entry ${fn.entryOffset === undefined ? '-' : hex(fn.entryOffset)}${name !== undefined ? `  <${name}>` : ''}`);
  });
  out.push(`tables (${f.tables.length}):`);
  f.tables.forEach((t, i) => out.push(`  ${i}: ${vt(t.elemType)} ${lim(t.min, t.max)}${t.import !== undefined ? ' imported' : ''}`));
  out.push(`memory (${f.memories.length}):`);
  f.memories.forEach((m, i) => out.push(`  ${i}: pages ${lim(m.min, m.max)}${m.pageSizeLog2 !== 16 ? ` of ${2 ** m.pageSizeLog2} byte${m.pageSizeLog2 === 0 ? '' : 's'}` : ''}${m.import !== undefined ? ' imported' : ''}`));
  out.push(`globals (${f.globals.length}):`);
  f.globals.forEach((g, i) => out.push(`  ${i}: ${g.mutable ? 'mut ' : ''}${vt(g.valType)}${g.import !== undefined ? ' imported' : `  @${g.storageOffset ?? '?'} = ${initText(g.init)}`}`));
  out.push(`exports (${f.exports.length}):`);
  for (const e of f.exports) out.push(`  "${e.name}": ${KIND_NAMES[e.kind]} ${e.index}`);
  out.push(`elems (${f.elems.length}):`);
  f.elems.forEach((e, i) => {
    const items = e.items.map((it) => (it.kind === 'null' ? 'null' : it.kind === 'global' ? `global ${it.index}` : `#${it.index}`));
    out.push(`  ${i}: ${MODE_NAMES[e.mode]} ${vt(e.elemType)}${e.mode === SegMode.Active ? ` table ${e.table} at ${initText(e.offset)}` : ''}  [${items.join(', ')}]`);
  });
  out.push(`datas (${f.datas.length}):`);
  f.datas.forEach((d, i) => out.push(`  ${i}: ${MODE_NAMES[d.mode]}${d.mode === SegMode.Active ? ` memory ${d.memory} at ${initText(d.offset)}` : ''}  ${d.bytes.length} bytes at ${hex(d.bytesOffset)}`));
  out.push(`funcrefs (${f.funcrefs.length}): ${f.funcrefs.map((fn, k) => `#${k}=f${fn}`).join(' ')}`);
  out.push(`native symbols (${f.symbols.length}):`);
  for (const s of f.symbols) out.push(`  ${String(s.index).padStart(3)}  ${s.name}`);
  out.push(`relocations: ${f.relocations}`);
  return out.join('\n') + '\n';
}

/** The function index named by an export, a name-section name, or a decimal index. */
export function findFunction(f: AotFile, name: string): number {
  const exp = f.exports.find((e) => e.kind === Kind.Func && e.name === name);
  if (exp !== undefined) return exp.index;
  for (const [idx, n] of f.names) if (n === name) return idx;
  if (/^\d+$/.test(name) && Number(name) < f.funcs.length) return Number(name);
  throw new UsageError(`no function '${name}' (not an export, a name-section name or an index below ${f.funcs.length})`);
}

export async function inspectCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, SPECS, 'inspect');
  if (args.switches.has('--help')) {
    io.out(INSPECT_USAGE + formatFlagHelp(SPECS));
    return 0;
  }
  if (args.positionals.length !== 1) throw new UsageError(`inspect takes one AOT file, got ${args.positionals.length}`);
  const path = args.positionals[0]!;
  const bytes = await io.readFile(path);
  if (bytes.length >= 4 && bytes[0] === 0x00 && bytes[1] === 0x61 && bytes[2] === 0x73 && bytes[3] === 0x6d) {
    throw new UsageError(
      `${path} is a WebAssembly module, not an xipwasm AOT file: compile it first ` +
      `(xipwasm compile --cpu=<cpu> --xip -o out.aot ${path}), or see what it needs with ` +
      `\`xipwasm intrinsics --cpu=<cpu> ${path}\`, or run it with \`xipwasm run ${path}\``);
  }
  const f = readAot(bytes);
  // resolve --disasm before printing anything, so a bad name is an error alone
  const which = args.values.get('--disasm');
  const idx = which === undefined ? undefined : findFunction(f, which);
  if (args.switches.has('--json')) {
    io.out(JSON.stringify({ ...f, text: undefined, names: Object.fromEntries(f.names),
      datas: f.datas.map((d) => ({ ...d, bytes: d.bytes.length })) }, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2) + '\n');
  } else {
    io.out(formatAot(f));
  }
  if (idx !== undefined) io.out(`\n${await functionListing(f, idx)}`);
  return 0;
}

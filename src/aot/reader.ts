/**
 * Reads an xipwasm AOT file (format v1) for `xipwasm inspect` and the tests.
 * It checks the same things as the C loader (runtime/src/loader.c) except the
 * target match and the native-symbol table, and throws DecodeError with the
 * offset of the first bad byte. The CRC is reported, not enforced, so that
 * inspect can show a damaged file.
 */
import { DecodeError } from '../errors.js';
import type { ValType } from '../wasm/types.js';
import { crc32Update } from './crc32.js';
import {
  Cpu, CPU_NAMES, DIR_ENTRY_SIZE, ENTRY_SIZE, Flag, FloatAbi, FORMAT_VERSION, FORMAT_VERSION_PAGE_SIZES, H, HEADER_SIZE, ITEM_GLOBAL, ITEM_NULL,
  InitKind, Kind, MAGIC, MAX_SECTION_ID, NONE, SECTION_ALIGN, SECTION_NAMES, SectionId, SegMode, Target, TARGET_NAMES, rv32IsaOf,
  TEXT_ALIGN,
} from './format.js';

export interface AotSection { id: SectionId; name: string; offset: number; size: number; count: number }
export interface AotType { params: ValType[]; results: ValType[] }
export interface AotImport { module: string; name: string; kind: Kind; index: number }
export interface AotFunc { typeIndex: number; codeOffset: number; entryOffset: number | undefined; import: number | undefined }
export interface AotTable { elemType: ValType; min: number; max: number | undefined; import: number | undefined }
export interface AotMemory { min: number; max: number | undefined; import: number | undefined; pageSizeLog2: number }
export interface AotInit { kind: InitKind; value: bigint }
export interface AotGlobal { valType: ValType; mutable: boolean; import: number | undefined; storageOffset: number | undefined; init: AotInit }
export interface AotExport { name: string; kind: Kind; index: number }
export type AotElemItem = { kind: 'null' } | { kind: 'funcref'; index: number } | { kind: 'global'; index: number };
export interface AotElem { mode: SegMode; elemType: ValType; table: number; offset: AotInit; items: AotElemItem[] }
export interface AotData { mode: SegMode; memory: number; offset: AotInit; bytesOffset: number; bytes: Uint8Array }
export interface AotSymbol { index: number; name: string }

export interface AotFile {
  formatVersion: number;
  abiVersion: number;
  target: string;
  cpu: string;
  floatAbi: 'soft' | 'hard';
  features: number;
  flags: { xip: boolean; callsViaTable: boolean; constop: boolean };
  totalSize: number;
  crc32: number;
  crcComputed: number;
  crcOk: boolean;
  symbolAbiVersion: number;
  relocations: number;
  globalsSize: number;
  start: number | undefined;
  sections: AotSection[];
  types: AotType[];
  imports: AotImport[];
  funcs: AotFunc[];
  tables: AotTable[];
  memories: AotMemory[];
  globals: AotGlobal[];
  exports: AotExport[];
  elems: AotElem[];
  datas: AotData[];
  funcrefs: number[];
  symbols: AotSymbol[];
  names: Map<number, string>;
  textOffset: number;
  text: Uint8Array;
}

function nameOf<T>(table: Readonly<Record<string, T>>, v: T): string | undefined {
  for (const [k, x] of Object.entries(table)) if (x === v) return k;
  return undefined;
}

const opt = (v: number): number | undefined => (v === NONE ? undefined : v);

export function readAot(bytes: Uint8Array): AotFile {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const need = (at: number, n: number, what: string): void => {
    if (at < 0 || n < 0 || at + n > bytes.length) throw new DecodeError(`${what}: ${n} bytes at 0x${at.toString(16)} run past the end (${bytes.length} bytes)`, Math.min(at, bytes.length));
  };
  const u8 = (at: number): number => { need(at, 1, 'u8'); return dv.getUint8(at); };
  const u16 = (at: number): number => { need(at, 2, 'u16'); return dv.getUint16(at, true); };
  const u32 = (at: number): number => { need(at, 4, 'u32'); return dv.getUint32(at, true); };
  const u64 = (at: number): bigint => { need(at, 8, 'u64'); return dv.getBigUint64(at, true); };

  need(0, HEADER_SIZE, 'header');
  MAGIC.forEach((b, i) => { if (bytes[i] !== b) throw new DecodeError('bad magic (not an xipwasm AOT file)', i); });
  const formatVersion = u16(H.formatVersion);
  if (formatVersion !== FORMAT_VERSION && formatVersion !== FORMAT_VERSION_PAGE_SIZES) {
    throw new DecodeError(`format version ${formatVersion} not supported (want ${FORMAT_VERSION} or ${FORMAT_VERSION_PAGE_SIZES})`, H.formatVersion);
  }
  const totalSize = u32(H.totalSize);
  if (totalSize !== bytes.length) throw new DecodeError(`header says ${totalSize} bytes, file has ${bytes.length}`, H.totalSize);
  const targetCode = u8(H.target);
  const target = nameOf(TARGET_NAMES, targetCode);
  if (target === undefined) throw new DecodeError(`unknown target code ${targetCode}`, H.target);
  const cpuCode = u8(H.cpu);
  const cpu = cpuCode === Cpu.Rv32Isa ? rv32IsaOf(u32(H.features)) : nameOf(CPU_NAMES, cpuCode);
  if (cpu === undefined) throw new DecodeError(`unknown CPU code ${cpuCode}`, H.cpu);
  if ((targetCode === Target.Riscv32) !== (cpuCode >= Cpu.GenericRv32)) throw new DecodeError(`CPU ${cpu} is not a ${target} core`, H.cpu);
  const fa = u8(H.floatAbi);
  if (fa !== FloatAbi.Soft && fa !== FloatAbi.Hard) throw new DecodeError(`unknown float ABI ${fa}`, H.floatAbi);
  const flagBits = u32(H.flags);
  const crcStored = u32(H.crc32);
  const crcComputed = crc32Update(crc32Update(0, bytes, 0, H.crc32), bytes, H.crc32 + 4, bytes.length);

  const sectionCount = u32(H.sectionCount);
  if (sectionCount > MAX_SECTION_ID) throw new DecodeError(`${sectionCount} sections (at most ${MAX_SECTION_ID})`, H.sectionCount);
  const dirEnd = HEADER_SIZE + sectionCount * DIR_ENTRY_SIZE;
  need(HEADER_SIZE, sectionCount * DIR_ENTRY_SIZE, 'section directory');
  const sections: AotSection[] = [];
  const byId = new Map<SectionId, AotSection>();
  let prevId = 0;
  let prevEnd = dirEnd;
  for (let i = 0; i < sectionCount; i++) {
    const at = HEADER_SIZE + i * DIR_ENTRY_SIZE;
    const id = u32(at);
    const offset = u32(at + 4);
    const size = u32(at + 8);
    const count = u32(at + 12);
    if (id <= prevId || id > MAX_SECTION_ID) throw new DecodeError(`section id ${id} out of order or unknown`, at);
    const sid = id as SectionId;
    const align = sid === SectionId.Text ? TEXT_ALIGN : SECTION_ALIGN;
    if (offset % align !== 0) throw new DecodeError(`section ${SECTION_NAMES[sid]} at 0x${offset.toString(16)} is not ${align}-aligned`, at + 4);
    if (offset < prevEnd) throw new DecodeError(`section ${SECTION_NAMES[sid]} overlaps the previous one`, at + 4);
    need(offset, size, `section ${SECTION_NAMES[sid]}`);
    const entry = ENTRY_SIZE[sid];
    if (count * entry > size) throw new DecodeError(`section ${SECTION_NAMES[sid]}: ${count} entries of ${entry} bytes exceed its ${size} bytes`, at + 12);
    if ((sid === SectionId.Strings || sid === SectionId.Text) && count !== size) throw new DecodeError(`section ${SECTION_NAMES[sid]}: count ${count} != size ${size}`, at + 12);
    const s: AotSection = { id: sid, name: SECTION_NAMES[sid], offset, size, count };
    sections.push(s); byId.set(sid, s);
    prevId = id; prevEnd = offset + size;
  }
  const sec = (id: SectionId): AotSection => byId.get(id) ?? { id, name: SECTION_NAMES[id], offset: 0, size: 0, count: 0 };
  const entries = <T>(id: SectionId, f: (at: number, i: number) => T): T[] => {
    const s = sec(id);
    const out: T[] = [];
    for (let i = 0; i < s.count; i++) out.push(f(s.offset + i * ENTRY_SIZE[id], i));
    return out;
  };

  const strings = sec(SectionId.Strings);
  const dec = new TextDecoder('utf-8', { fatal: true });
  const str = (offAt: number): string => {
    const off = u32(offAt);
    const len = u32(offAt + 4);
    if (off > strings.size || len >= strings.size - off + 0 || bytes[strings.offset + off + len] !== 0) {
      throw new DecodeError(`name (${off}, ${len}) is outside the strings section or not NUL-terminated`, offAt);
    }
    try {
      return dec.decode(bytes.subarray(strings.offset + off, strings.offset + off + len));
    } catch {
      throw new DecodeError('name is not valid UTF-8', offAt);
    }
  };

  const types = entries(SectionId.Types, (at) => {
    const off = u32(at);
    const np = u16(at + 4);
    const nr = u16(at + 6);
    if (off + np + nr > strings.size) throw new DecodeError('type vector is outside the strings section', at);
    const v = [...bytes.subarray(strings.offset + off, strings.offset + off + np + nr)] as ValType[];
    return { params: v.slice(0, np), results: v.slice(np) };
  });
  const imports = entries(SectionId.Imports, (at) => {
    const kind = u8(at + 16);
    if (kind > Kind.Global) throw new DecodeError(`import kind ${kind}`, at + 16);
    return { module: str(at), name: str(at + 8), kind: kind as Kind, index: u32(at + 20) };
  });
  const checkImport = (imp: number, kind: Kind, index: number, at: number): number | undefined => {
    if (imp === NONE) return undefined;
    const e = imports[imp];
    if (e === undefined || e.kind !== kind || e.index !== index) throw new DecodeError(`bad import reference ${imp}`, at);
    return imp;
  };
  const text = sec(SectionId.Text);
  const funcs = entries(SectionId.Funcs, (at, i) => {
    const typeIndex = u32(at);
    if (typeIndex >= types.length) throw new DecodeError(`function ${i}: type ${typeIndex} out of range`, at);
    const codeOffset = u32(at + 4);
    const entryOffset = opt(u32(at + 8));
    if (codeOffset >= text.size || codeOffset % 2 !== 0) throw new DecodeError(`function ${i}: code offset outside the text`, at + 4);
    if (entryOffset !== undefined && (entryOffset >= text.size || entryOffset % 2 !== 0)) throw new DecodeError(`function ${i}: entry offset outside the text`, at + 8);
    return { typeIndex, codeOffset, entryOffset, import: checkImport(u32(at + 12), Kind.Func, i, at + 12) };
  });
  const tables = entries(SectionId.Tables, (at, i) => ({
    elemType: u8(at) as ValType, min: u32(at + 4), max: u8(at + 1) ? u32(at + 8) : undefined,
    import: checkImport(u32(at + 12), Kind.Table, i, at + 12),
  }));
  const pageSizeOf = (at: number): number => {
    const log2 = u8(at);
    if (formatVersion === FORMAT_VERSION) {
      if (log2 !== 0) throw new DecodeError('memory page size in a version 1 file', at);
      return 16;
    }
    if (log2 !== 0 && log2 !== 16) throw new DecodeError(`memory page size 2^${log2}`, at);
    return log2;
  };
  const memories = entries(SectionId.Memory, (at, i) => ({
    min: u32(at), max: u8(at + 12) ? u32(at + 4) : undefined, import: checkImport(u32(at + 8), Kind.Memory, i, at + 8),
    pageSizeLog2: pageSizeOf(at + 13),
  }));
  const init = (kindAt: number, valueAt: number): AotInit => {
    const kind = u8(kindAt);
    if (kind > InitKind.GlobalGet) throw new DecodeError(`constant-expression kind ${kind}`, kindAt);
    return { kind: kind as InitKind, value: u64(valueAt) };
  };
  const globalsSize = u32(H.globalsSize);
  const globals = entries(SectionId.Globals, (at, i) => {
    const imp = checkImport(u32(at + 4), Kind.Global, i, at + 4);
    const storageOffset = opt(u32(at + 8));
    const valType = u8(at) as ValType;
    if (imp === undefined) {
      const size = valType === 0x7e || valType === 0x7c ? 8 : 4;
      if (storageOffset === undefined || storageOffset % size !== 0 || storageOffset + size > globalsSize) {
        throw new DecodeError(`global ${i}: storage offset out of range`, at + 8);
      }
    }
    return { valType, mutable: u8(at + 1) !== 0, import: imp, storageOffset, init: init(at + 2, at + 16) };
  });
  const exports = entries(SectionId.Exports, (at) => {
    const kind = u8(at + 8);
    if (kind > Kind.Global) throw new DecodeError(`export kind ${kind}`, at + 8);
    return { name: str(at), kind: kind as Kind, index: u32(at + 12) };
  });
  const elemSec = sec(SectionId.Elems);
  const elems = entries(SectionId.Elems, (at) => {
    const itemsOff = u32(at + 16);
    const n = u32(at + 20);
    if (itemsOff % 4 !== 0 || itemsOff > elemSec.size || n > (elemSec.size - itemsOff) / 4) throw new DecodeError('elem items outside the section', at + 16);
    const items: AotElemItem[] = [];
    for (let k = 0; k < n; k++) {
      const v = u32(elemSec.offset + itemsOff + 4 * k);
      items.push(v === ITEM_NULL ? { kind: 'null' } : v & ITEM_GLOBAL ? { kind: 'global', index: v & ~ITEM_GLOBAL } : { kind: 'funcref', index: v });
    }
    return { mode: u8(at) as SegMode, elemType: u8(at + 1) as ValType, table: u32(at + 4), offset: init(at + 2, at + 8), items };
  });
  const dataSec = sec(SectionId.Datas);
  const datas = entries(SectionId.Datas, (at) => {
    const off = u32(at + 16);
    const len = u32(at + 20);
    if (off > dataSec.size || len > dataSec.size - off) throw new DecodeError('data bytes outside the section', at + 16);
    return { mode: u8(at) as SegMode, memory: u32(at + 4), offset: init(at + 1, at + 8), bytesOffset: dataSec.offset + off, bytes: bytes.subarray(dataSec.offset + off, dataSec.offset + off + len) };
  });
  const funcrefs = entries(SectionId.Funcrefs, (at) => {
    const f = u32(at);
    if (f >= funcs.length) throw new DecodeError(`funcref names function ${f}`, at);
    return f;
  });
  const symbols = entries(SectionId.Symbols, (at) => ({ index: u32(at), name: str(at + 4) }));
  const names = new Map<number, string>();
  entries(SectionId.Names, (at) => names.set(u32(at), str(at + 4)));
  const startRaw = u32(H.startFunc);
  if (startRaw !== NONE && startRaw >= funcs.length) throw new DecodeError(`start function ${startRaw} out of range`, H.startFunc);

  return {
    formatVersion,
    abiVersion: u16(H.abiVersion),
    target, cpu,
    floatAbi: fa === FloatAbi.Hard ? 'hard' : 'soft',
    features: u32(H.features),
    flags: { xip: (flagBits & Flag.Xip) !== 0, callsViaTable: (flagBits & Flag.CallsViaTable) !== 0, constop: (flagBits & Flag.Constop) !== 0 },
    totalSize,
    crc32: crcStored, crcComputed, crcOk: crcStored === crcComputed,
    symbolAbiVersion: u32(H.symbolAbiVersion),
    relocations: u32(H.relocations),
    globalsSize,
    start: opt(startRaw),
    sections, types, imports, funcs, tables, memories, globals, exports, elems, datas, funcrefs, symbols, names,
    textOffset: text.offset,
    text: bytes.subarray(text.offset, text.offset + text.size),
  };
}

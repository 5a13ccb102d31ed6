/**
 * Writes an xipwasm AOT file (format v1, docs/aot-format.md) from the code
 * generator's output. The file is laid out so the C runtime reads it in place:
 * every field naturally aligned, sections 8-aligned, the text 16-aligned.
 */
import { InternalError, UsageError, assertNever } from '../errors.js';
import { DEFAULT_PAGE_SIZE_LOG2, pageSizeLog2, type ConstExpr, type ExternKind, type Module, type ValType } from '../wasm/types.js';
import { crc32Update } from './crc32.js';
import {
  Cpu, CPU_FEATURES, CPU_NAMES, DIR_ENTRY_SIZE, ENTRY_SIZE, Feature, Flag, FloatAbi, FORMAT_VERSION, FORMAT_VERSION_PAGE_SIZES, H,
  HEADER_SIZE, ITEM_GLOBAL, ITEM_NULL, InitKind, Kind, MAGIC, NONE, SECTION_ALIGN, SegMode, SectionId,
  rv32FeaturesOf, Target, TARGET_NAMES, TEXT_ALIGN,
} from './format.js';
import { NATIVE_SYMBOL_ABI_VERSION } from '../xip/catalogue.js';
import { imageAbiVersion } from '../abi.js';

export interface AotInput {
  target: string; cpu: string; floatAbi: 'soft' | 'hard';
  flags: { xip: boolean; callsViaTable: boolean; constop: boolean };
  module: Module;                      // decoded+validated module
  text: Uint8Array;                    // the compiled code, position-independent
  funcCodeOffsets: number[];           // per function in the index space (imports first): offset in text of its compiled-convention code (import thunk for imports)
  funcEntryOffsets: (number | undefined)[]; // per function: offset of the entry trampoline of its type, if it has one
  funcrefList: number[];               // function indices of the referenceable functions, in descriptor order
  globalOffsets: number[];             // per DEFINED global: offset in the globals area
  globalsSize: number;
  nativeSymbols: { index: number; name: string }[];  // the native symbols the text calls
  relocations: number;                 // always 0 for XIP; the writer refuses to write an XIP file with relocations > 0
  /** The code links frame records (--enable-dump-call-stack; docs/abi.md §11): the header then says ABI version 2. */
  linksFrames?: boolean;
  /** Feature bits (format.ts `Feature`) the code relies on; default: the CPU's, FPU bits only with the hard-float ABI. */
  features?: number;
}

/** A growable little-endian byte sink. */
class Sink {
  private buf = new Uint8Array(256);
  private view = new DataView(this.buf.buffer);
  length = 0;

  private reserve(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.length + n) cap *= 2;
    const nb = new Uint8Array(cap);
    nb.set(this.buf.subarray(0, this.length));
    this.buf = nb;
    this.view = new DataView(nb.buffer);
  }
  u8(v: number): void { this.reserve(1); this.view.setUint8(this.length, v); this.length += 1; }
  u16(v: number): void { this.reserve(2); this.view.setUint16(this.length, v, true); this.length += 2; }
  u32(v: number): void { this.reserve(4); this.view.setUint32(this.length, v >>> 0, true); this.length += 4; }
  u64(v: bigint): void { this.reserve(8); this.view.setBigUint64(this.length, BigInt.asUintN(64, v), true); this.length += 8; }
  bytes(b: Uint8Array): void { this.reserve(b.length); this.buf.set(b, this.length); this.length += b.length; }
  align(a: number): void { while (this.length % a !== 0) this.u8(0); }
  setU32(at: number, v: number): void { this.view.setUint32(at, v >>> 0, true); }
  finish(): Uint8Array { return this.buf.slice(0, this.length); }
}

/** Names and type vectors, deduplicated; names are NUL-terminated so C can use them directly. */
class StringPool {
  readonly sink = new Sink();
  private readonly seen = new Map<string, number>();
  private readonly enc = new TextEncoder();

  name(s: string): { off: number; len: number } {
    const bytes = this.enc.encode(s);
    const key = `n:${s}`;
    let off = this.seen.get(key);
    if (off === undefined) {
      off = this.sink.length;
      this.sink.bytes(bytes);
      this.sink.u8(0);
      this.seen.set(key, off);
    }
    return { off, len: bytes.length };
  }
  valTypes(ts: readonly ValType[]): number {
    const key = `t:${ts.join(',')}`;
    let off = this.seen.get(key);
    if (off === undefined) {
      off = this.sink.length;
      for (const t of ts) this.sink.u8(t);
      this.seen.set(key, off);
    }
    return off;
  }
}

function kindCode(k: ExternKind): Kind {
  switch (k) {
    case 'func': return Kind.Func;
    case 'table': return Kind.Table;
    case 'memory': return Kind.Memory;
    case 'global': return Kind.Global;
    default: return assertNever(k, 'extern kind');
  }
}

function modeCode(m: 'active' | 'passive' | 'declarative'): SegMode {
  switch (m) {
    case 'active': return SegMode.Active;
    case 'passive': return SegMode.Passive;
    case 'declarative': return SegMode.Declarative;
    default: return assertNever(m, 'segment mode');
  }
}

/** Encodes a constant expression as (kind, 64-bit value); ref.func becomes a funcref-list index. */
function encodeInit(e: ConstExpr | undefined, funcrefIndex: ReadonlyMap<number, number>): [InitKind, bigint] {
  if (e === undefined) return [InitKind.None, 0n];
  switch (e.kind) {
    case 'i32.const': return [InitKind.I32, BigInt(e.value >>> 0)];
    case 'i64.const': return [InitKind.I64, BigInt.asUintN(64, e.value)];
    case 'f32.const': return [InitKind.F32, BigInt(e.bits >>> 0)];
    case 'f64.const': return [InitKind.F64, BigInt.asUintN(64, e.bits)];
    case 'ref.null': return [InitKind.RefNull, BigInt(e.refType)];
    case 'ref.func': {
      const k = funcrefIndex.get(e.funcIndex);
      if (k === undefined) throw new InternalError(`ref.func ${e.funcIndex} is not in the funcref list`);
      return [InitKind.RefFunc, BigInt(k)];
    }
    case 'global.get': return [InitKind.GlobalGet, BigInt(e.globalIndex)];
    default: return assertNever(e, 'const expr');
  }
}

function elemItem(e: ConstExpr, funcrefIndex: ReadonlyMap<number, number>): number {
  switch (e.kind) {
    case 'ref.null': return ITEM_NULL;
    case 'ref.func': {
      const k = funcrefIndex.get(e.funcIndex);
      if (k === undefined) throw new InternalError(`elem item ref.func ${e.funcIndex} is not in the funcref list`);
      return k;
    }
    case 'global.get': return (ITEM_GLOBAL | e.globalIndex) >>> 0;
    case 'i32.const': case 'i64.const': case 'f32.const': case 'f64.const':
      throw new InternalError(`elem item cannot be ${e.kind}`);
    default: return assertNever(e, 'elem item');
  }
}

function checkTextOffset(off: number, text: Uint8Array, what: string): void {
  if (!Number.isInteger(off) || off < 0 || off >= text.length || off % 2 !== 0) {
    throw new InternalError(`${what}: text offset ${off} is outside the text (${text.length} bytes) or odd`);
  }
}

function lookup<T>(table: Readonly<Record<string, T>>, key: string, what: string): T {
  const v = Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
  if (v === undefined) throw new UsageError(`unknown ${what} '${key}' (known: ${Object.keys(table).join(', ')})`);
  return v;
}

export function writeAot(input: AotInput): Uint8Array {
  const m = input.module;
  if (input.flags.xip && input.relocations > 0) {
    throw new InternalError(`an XIP file must have no relocations, got ${input.relocations}`);
  }
  if (input.relocations !== 0) throw new InternalError('AOT format v1 has no relocation records');
  const target = lookup(TARGET_NAMES, input.target, 'target');
  const isaFeatures = rv32FeaturesOf(input.cpu);
  const cpu = isaFeatures !== undefined && !Object.prototype.hasOwnProperty.call(CPU_NAMES, input.cpu) ? Cpu.Rv32Isa
    : lookup(CPU_NAMES, input.cpu, 'CPU');
  const rv32 = target === Target.Riscv32;
  if (rv32 !== (cpu >= Cpu.GenericRv32)) throw new UsageError(`CPU '${input.cpu}' is not a ${input.target} core`);
  const floatAbi = input.floatAbi === 'hard' ? FloatAbi.Hard : FloatAbi.Soft;
  const fpuBits = Feature.FpuSp | Feature.FpuDp;
  const cpuFeatures = cpu === Cpu.Rv32Isa ? isaFeatures ?? 0 : CPU_FEATURES[cpu];
  const features = input.features ?? (rv32 ? cpuFeatures : cpuFeatures & (floatAbi === FloatAbi.Hard ? ~0 : ~fpuBits));
  const flags = (input.flags.xip ? Flag.Xip : 0) | (input.flags.callsViaTable ? Flag.CallsViaTable : 0)
    | (input.flags.constop ? Flag.Constop : 0);

  const nFuncs = m.funcTypeIndices.length;
  if (input.funcCodeOffsets.length !== nFuncs || input.funcEntryOffsets.length !== nFuncs) {
    throw new InternalError(`function offsets: ${input.funcCodeOffsets.length}/${input.funcEntryOffsets.length} for ${nFuncs} functions`);
  }
  if (input.globalOffsets.length !== m.globals.length) {
    throw new InternalError(`globalOffsets has ${input.globalOffsets.length} entries for ${m.globals.length} defined globals`);
  }
  const funcrefIndex = new Map<number, number>();
  input.funcrefList.forEach((f, k) => {
    if (f < 0 || f >= nFuncs) throw new InternalError(`funcref list entry ${k} names function ${f}`);
    if (!funcrefIndex.has(f)) funcrefIndex.set(f, k);
  });

  const pool = new StringPool();
  const sections = new Map<SectionId, { body: Sink; count: number }>();
  const section = (id: SectionId, count: number): Sink => {
    const body = new Sink();
    sections.set(id, { body, count });
    return body;
  };

  // types
  const types = section(SectionId.Types, m.types.length);
  for (const t of m.types) {
    types.u32(pool.valTypes([...t.params, ...t.results]));
    types.u16(t.params.length);
    types.u16(t.results.length);
  }

  // imports: index within each kind's space, in import order
  const importIndexOf: number[][] = [[], [], [], []];
  const imports = section(SectionId.Imports, m.imports.length);
  m.imports.forEach((imp, i) => {
    const kind = kindCode(imp.desc.kind);
    const mod = pool.name(imp.module);
    const name = pool.name(imp.name);
    imports.u32(mod.off); imports.u32(mod.len); imports.u32(name.off); imports.u32(name.len);
    imports.u8(kind); imports.u8(0); imports.u16(0);
    imports.u32(importIndexOf[kind]!.length);
    importIndexOf[kind]!.push(i);
  });
  const importOf = (kind: Kind, idx: number): number => importIndexOf[kind]![idx] ?? NONE;

  const funcs = section(SectionId.Funcs, nFuncs);
  for (let f = 0; f < nFuncs; f++) {
    const code = input.funcCodeOffsets[f]!;
    checkTextOffset(code, input.text, `function ${f}`);
    const entry = input.funcEntryOffsets[f];
    if (entry !== undefined) checkTextOffset(entry, input.text, `entry trampoline of function ${f}`);
    funcs.u32(m.funcTypeIndices[f]!);
    funcs.u32(code);
    funcs.u32(entry ?? NONE);
    funcs.u32(f < m.numImportedFuncs ? importOf(Kind.Func, f) : NONE);
  }

  const tables = section(SectionId.Tables, m.tables.length);
  m.tables.forEach((t, i) => {
    tables.u8(t.elemType); tables.u8(t.limits.max === undefined ? 0 : 1); tables.u16(0);
    tables.u32(t.limits.min); tables.u32(t.limits.max ?? NONE);
    tables.u32(i < m.numImportedTables ? importOf(Kind.Table, i) : NONE);
  });

  const mems = section(SectionId.Memory, m.memories.length);
  const smallPages = m.memories.some((mt) => pageSizeLog2(mt) !== DEFAULT_PAGE_SIZE_LOG2);
  m.memories.forEach((mt, i) => {
    mems.u32(mt.limits.min); mems.u32(mt.limits.max ?? NONE);
    mems.u32(i < m.numImportedMemories ? importOf(Kind.Memory, i) : NONE);
    mems.u8(mt.limits.max === undefined ? 0 : 1); mems.u8(smallPages ? pageSizeLog2(mt) : 0); mems.u16(0);
  });

  const globals = section(SectionId.Globals, m.globalTypes.length);
  m.globalTypes.forEach((gt, i) => {
    const defined = i >= m.numImportedGlobals;
    const d = i - m.numImportedGlobals;
    const [ik, iv] = defined ? encodeInit(m.globals[d]!.init, funcrefIndex) : [InitKind.None, 0n];
    const storage = defined ? input.globalOffsets[d]! : NONE;
    if (defined) {
      const size = gt.valType === 0x7e || gt.valType === 0x7c ? 8 : 4;
      if (storage % size !== 0 || storage + size > input.globalsSize) {
        throw new InternalError(`global ${i}: storage offset ${storage} misaligned or beyond ${input.globalsSize}`);
      }
    }
    globals.u8(gt.valType); globals.u8(gt.mutable ? 1 : 0); globals.u8(ik); globals.u8(0);
    globals.u32(defined ? NONE : importOf(Kind.Global, i));
    globals.u32(storage); globals.u32(0);
    globals.u64(iv);
  });

  const exports = section(SectionId.Exports, m.exports.length);
  for (const e of m.exports) {
    const n = pool.name(e.name);
    exports.u32(n.off); exports.u32(n.len); exports.u8(kindCode(e.kind)); exports.u8(0); exports.u16(0);
    exports.u32(e.index);
  }

  // elems: the entries, then every segment's items (u32) in the same section
  const elems = section(SectionId.Elems, m.elems.length);
  let itemsOff = m.elems.length * ENTRY_SIZE[SectionId.Elems];
  for (const s of m.elems) {
    const [ok, ov] = encodeInit(s.offset, funcrefIndex);
    elems.u8(modeCode(s.mode)); elems.u8(s.elemType); elems.u8(ok); elems.u8(0);
    elems.u32(s.table); elems.u64(ov); elems.u32(itemsOff); elems.u32(s.items.length);
    itemsOff += 4 * s.items.length;
  }
  for (const s of m.elems) for (const it of s.items) elems.u32(elemItem(it, funcrefIndex));

  const datas = section(SectionId.Datas, m.datas.length);
  let bytesOff = m.datas.length * ENTRY_SIZE[SectionId.Datas];
  for (const s of m.datas) {
    const [ok, ov] = encodeInit(s.offset, funcrefIndex);
    datas.u8(modeCode(s.mode)); datas.u8(ok); datas.u16(0);
    datas.u32(s.memory); datas.u64(ov); datas.u32(bytesOff); datas.u32(s.bytes.length);
    bytesOff += s.bytes.length;
  }
  for (const s of m.datas) datas.bytes(s.bytes);

  const funcrefs = section(SectionId.Funcrefs, input.funcrefList.length);
  for (const f of input.funcrefList) funcrefs.u32(f);

  const syms = section(SectionId.Symbols, input.nativeSymbols.length);
  for (const s of input.nativeSymbols) {
    const n = pool.name(s.name);
    syms.u32(s.index); syms.u32(n.off); syms.u32(n.len);
  }

  const fnNames = [...m.names.functions.entries()].filter(([f]) => f < nFuncs).sort((a, b) => a[0] - b[0]);
  const names = section(SectionId.Names, fnNames.length);
  for (const [f, name] of fnNames) {
    const n = pool.name(name);
    names.u32(f); names.u32(n.off); names.u32(n.len);
  }

  sections.set(SectionId.Strings, { body: pool.sink, count: pool.sink.length });
  const text = new Sink();
  text.bytes(input.text);
  sections.set(SectionId.Text, { body: text, count: input.text.length });

  // Empty sections are left out (the loader treats a missing section as empty); the text is always there.
  const present = [...sections.entries()]
    .filter(([id, s]) => id === SectionId.Text || s.body.length > 0)
    .sort((a, b) => a[0] - b[0]);

  const out = new Sink();
  for (const b of MAGIC) out.u8(b);
  out.u16(smallPages ? FORMAT_VERSION_PAGE_SIZES : FORMAT_VERSION); out.u16(imageAbiVersion(input.linksFrames === true));
  out.u8(target); out.u8(cpu); out.u8(floatAbi); out.u8(0);
  out.u32(features); out.u32(flags);
  out.u32(0); // total size, patched
  out.u32(0); // crc, patched
  out.u32(NATIVE_SYMBOL_ABI_VERSION);
  out.u32(present.length);
  out.u32(input.relocations);
  out.u32(input.globalsSize);
  out.u32(m.start ?? NONE);
  while (out.length < HEADER_SIZE) out.u8(0);
  const dirAt = out.length;
  for (let i = 0; i < present.length * DIR_ENTRY_SIZE; i++) out.u8(0);
  present.forEach(([id, s], i) => {
    out.align(id === SectionId.Text ? TEXT_ALIGN : SECTION_ALIGN);
    const at = dirAt + i * DIR_ENTRY_SIZE;
    out.setU32(at, id); out.setU32(at + 4, out.length); out.setU32(at + 8, s.body.length); out.setU32(at + 12, s.count);
    out.bytes(s.body.finish());
  });
  out.align(4);
  out.setU32(H.totalSize, out.length);
  const img = out.finish();
  const crc = crc32Update(crc32Update(0, img, 0, H.crc32), img, H.crc32 + 4, img.length);
  new DataView(img.buffer).setUint32(H.crc32, crc, true);
  return img;
}

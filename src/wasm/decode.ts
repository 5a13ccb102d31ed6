/**
 * Section-level decoder: bytes → Module (types.ts). Function bodies are only
 * delimited here; their operators are decoded by OperatorReader during
 * validation and again by the code generator.
 *
 * Constant expressions are decoded here into the single-instruction ConstExpr
 * form; a sequence that cannot be one (a non-constant operator, an empty or
 * longer expression) is reported as a ValidationError, which is what the spec
 * says it is.
 */
import { CompileError, DecodeError, UnsupportedError, ValidationError } from '../errors.js';
import {
  ValType,
  type ConstExpr, type DataSegment, type ElemSegment, type Export, type ExternKind, type FuncType,
  type FunctionBody, type Global, type GlobalType, type Import, type Limits, type LocalDecl,
  type MemoryType, type Module, type RefType, type TableType,
} from './types.js';
import { Op } from './opcodes.js';
import { OperatorReader, readRefType, readValType } from './operators.js';
import { Reader } from './reader.js';

const enum Sec {
  Custom = 0, Type = 1, Import = 2, Function = 3, Table = 4, Memory = 5, Global = 6,
  Export = 7, Start = 8, Element = 9, Code = 10, Data = 11, DataCount = 12, Tag = 13,
}

/** Position of each known section id in the required order. */
const ORDER: readonly number[] = [0, 1, 2, 3, 4, 5, 13, 6, 7, 8, 9, 12, 10, 11];

const MAX_LOCALS = 0xffffffff;

interface Builder {
  types: FuncType[];
  imports: Import[];
  funcTypeIndices: number[];
  numImportedFuncs: number;
  tables: TableType[];
  numImportedTables: number;
  memories: MemoryType[];
  numImportedMemories: number;
  globalTypes: GlobalType[];
  numImportedGlobals: number;
  globals: Global[];
  exports: Export[];
  start: number | undefined;
  elems: ElemSegment[];
  datas: DataSegment[];
  dataCount: number | undefined;
  codes: FunctionBody[];
  moduleName: string | undefined;
  functionNames: Map<number, string>;
  declaredFuncRefs: Set<number>;
  off: { funcs: number[]; tables: number[]; memories: number[]; globals: number[]; exports: number[]; elems: number[]; datas: number[]; start: number };
}

export function decodeModule(bytes: Uint8Array): Module {
  const r = new Reader(bytes);
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) {
    throw new DecodeError('magic header not detected (expected \\0asm)', 0);
  }
  r.pos = 4;
  if (bytes.length < 8) throw new DecodeError('unexpected end: binary version needs 4 bytes', 4);
  if (bytes[4] !== 1 || bytes[5] !== 0 || bytes[6] !== 0 || bytes[7] !== 0) {
    throw new DecodeError('unknown binary version (only version 1 is supported)', 4);
  }
  r.pos = 8;
  const m: Builder = {
    types: [], imports: [], funcTypeIndices: [], numImportedFuncs: 0, tables: [], numImportedTables: 0,
    memories: [], numImportedMemories: 0, globalTypes: [], numImportedGlobals: 0, globals: [], exports: [],
    start: undefined, elems: [], datas: [], dataCount: undefined, codes: [], moduleName: undefined,
    functionNames: new Map(), declaredFuncRefs: new Set(),
    off: { funcs: [], tables: [], memories: [], globals: [], exports: [], elems: [], datas: [], start: -1 },
  };
  let lastOrder = 0;
  let definedFuncCount = 0;
  let sawFunction = false;
  let sawCode = false;
  let sawData = false;
  while (!r.atEnd()) {
    const secOffset = r.pos;
    const id = r.u8('section id');
    const size = r.u32('section size');
    if (size > r.remaining) {
      throw new DecodeError(`section size ${size} exceeds the ${r.remaining} remaining bytes (unexpected end)`, secOffset + 1);
    }
    const s = new Reader(bytes, r.pos, r.pos + size);
    r.pos += size;
    if (id > 13) throw new DecodeError(`malformed section id ${id}`, secOffset);
    if (id === Sec.Tag) throw new UnsupportedError('exception handling is not supported: tag section (13)', secOffset);
    if (id !== Sec.Custom) {
      const order = ORDER.indexOf(id);
      if (order <= lastOrder) throw new DecodeError(`unexpected section id ${id}: duplicate or out of order`, secOffset);
      lastOrder = order;
    }
    switch (id as Sec) {
      case Sec.Custom: customSection(m, s); continue;
      case Sec.Type: typeSection(m, s); break;
      case Sec.Import: importSection(m, s); break;
      case Sec.Function: {
        sawFunction = true;
        const n = s.count('function', 1);
        definedFuncCount = n;
        for (let i = 0; i < n; i++) {
          m.off.funcs.push(s.pos);
          m.funcTypeIndices.push(s.u32('type index'));
        }
        break;
      }
      case Sec.Table: {
        const n = s.count('table', 3);
        for (let i = 0; i < n; i++) {
          if (s.bytes[s.pos] === 0x40) throw new UnsupportedError('typed function references are not supported: table with initializer', s.pos);
          m.off.tables.push(s.pos);
          m.tables.push(readTableType(s));
        }
        break;
      }
      case Sec.Memory: {
        const n = s.count('memory', 2);
        for (let i = 0; i < n; i++) {
          m.off.memories.push(s.pos);
          m.memories.push(readMemoryType(s));
        }
        break;
      }
      case Sec.Global: {
        const n = s.count('global', 3);
        for (let i = 0; i < n; i++) {
          m.off.globals.push(s.pos);
          const type = readGlobalType(s);
          const init = readConstExpr(m, s);
          m.globalTypes.push(type);
          m.globals.push({ type, init });
        }
        break;
      }
      case Sec.Export: exportSection(m, s); break;
      case Sec.Start: m.off.start = s.pos; m.start = s.u32('start function index'); break;
      case Sec.Element: elemSection(m, s); break;
      case Sec.DataCount: m.dataCount = s.u32('data count'); break;
      case Sec.Code: {
        sawCode = true;
        const at = s.pos;
        const n = s.count('function body', 2);
        if (n !== definedFuncCount) {
          throw new DecodeError(`function and code section have inconsistent lengths (${definedFuncCount} vs ${n})`, at);
        }
        for (let i = 0; i < n; i++) m.codes.push(readBody(m, s, m.numImportedFuncs + i));
        break;
      }
      case Sec.Data: {
        sawData = true;
        const at = s.pos;
        const n = s.count('data segment', 1);
        if (m.dataCount !== undefined && n !== m.dataCount) {
          throw new DecodeError(`data count and data section have inconsistent lengths (${m.dataCount} vs ${n})`, at);
        }
        for (let i = 0; i < n; i++) {
          m.off.datas.push(s.pos);
          m.datas.push(readData(m, s));
        }
        break;
      }
      case Sec.Tag:
        break;
    }
    if (!s.atEnd()) throw new DecodeError(`section size mismatch: ${s.remaining} byte(s) left in section ${id}`, s.pos);
  }
  if (sawFunction && definedFuncCount > 0 && !sawCode) {
    throw new DecodeError(`function and code section have inconsistent lengths (${definedFuncCount} vs 0)`, bytes.length);
  }
  if (!sawData && m.dataCount !== undefined && m.dataCount !== 0) {
    throw new DecodeError(`data count and data section have inconsistent lengths (${m.dataCount} vs 0)`, bytes.length);
  }
  return {
    bytes,
    types: m.types,
    imports: m.imports,
    funcTypeIndices: m.funcTypeIndices,
    numImportedFuncs: m.numImportedFuncs,
    tables: m.tables,
    numImportedTables: m.numImportedTables,
    memories: m.memories,
    numImportedMemories: m.numImportedMemories,
    globalTypes: m.globalTypes,
    numImportedGlobals: m.numImportedGlobals,
    globals: m.globals,
    exports: m.exports,
    start: m.start,
    elems: m.elems,
    datas: m.datas,
    dataCount: m.dataCount,
    codes: m.codes,
    names: { moduleName: m.moduleName, functions: m.functionNames },
    declaredFuncRefs: m.declaredFuncRefs,
    offsets: m.off,
  };
}

function customSection(m: Builder, s: Reader): void {
  const name = s.name('custom section name');
  if (name !== 'name') return;
  // A malformed name section must not invalidate the module: keep what parsed.
  try {
    let lastId = -1;
    while (!s.atEnd()) {
      const id = s.u8('name subsection id');
      const size = s.u32('name subsection size');
      if (size > s.remaining || id <= lastId) return;
      lastId = id;
      const sub = new Reader(s.bytes, s.pos, s.pos + size);
      s.pos += size;
      if (id === 0) {
        m.moduleName = sub.name('module name');
      } else if (id === 1) {
        const n = sub.count('function name', 2);
        for (let i = 0; i < n; i++) {
          const idx = sub.u32('function index');
          m.functionNames.set(idx, sub.name('function name'));
        }
      }
    }
  } catch (e) {
    if (!(e instanceof CompileError)) throw e;
  }
}

function typeSection(m: Builder, s: Reader): void {
  const n = s.count('type', 3);
  for (let i = 0; i < n; i++) {
    const at = s.pos;
    const form = s.u8('type form');
    if (form !== 0x60) {
      if (form === 0x4e || form === 0x4f || form === 0x50 || form === 0x5e || form === 0x5f) {
        throw new UnsupportedError(`GC is not supported: type form 0x${form.toString(16)}`, at);
      }
      throw new DecodeError(`malformed function type form 0x${form.toString(16)} (expected 0x60)`, at);
    }
    const np = s.count('parameter', 1);
    const params = new Array<ValType>(np);
    for (let k = 0; k < np; k++) params[k] = readValType(s, 'parameter type');
    const nr = s.count('result', 1);
    const results = new Array<ValType>(nr);
    for (let k = 0; k < nr; k++) results[k] = readValType(s, 'result type');
    m.types.push({ params, results });
  }
}

function readLimits(s: Reader, what: 'table'): Limits {
  const at = s.pos;
  const flags = s.u8(`${what} limits flags`);
  if (flags >= 0x04 && flags <= 0x07) {
    throw new UnsupportedError(`memory64 is not supported: 64-bit ${what} limits (flags 0x${flags.toString(16)})`, at);
  }
  if (flags > 1) throw new DecodeError(`malformed ${what} limits flags 0x${flags.toString(16)}`, at);
  const min = s.u32(`${what} minimum`);
  const max = flags === 1 ? s.u32(`${what} maximum`) : undefined;
  return { min, max };
}

/** The largest page-size exponent the binary format admits (the validator then allows only 0 and 16). */
const MAX_PAGE_SIZE_LOG2 = 64;

/**
 * A memory type. Flag bits (custom-page-sizes proposal): 0 a maximum follows, 1 shared (threads), 2 i64 index
 * (memory64), 3 a page-size exponent follows the limits. Without bit 3 the limits are u32 as in WebAssembly 2.0;
 * with it they are u64 as the proposal writes them, so that a limit above 2^32 - 1 is a validation error.
 */
function readMemoryType(s: Reader): MemoryType {
  const at = s.pos;
  const flags = s.u8('memory limits flags');
  if (flags > 0x0f) throw new DecodeError(`malformed memory limits flags 0x${flags.toString(16)}`, at);
  if (flags & 0x02) throw new UnsupportedError('threads are not supported: shared memory', at);
  if (flags & 0x04) throw new UnsupportedError(`memory64 is not supported: 64-bit memory limits (flags 0x${flags.toString(16)})`, at);
  if ((flags & 0x08) === 0) {
    const min = s.u32('memory minimum');
    const max = flags & 1 ? s.u32('memory maximum') : undefined;
    return { limits: { min, max } };
  }
  const limit = (what: string): number => {
    const v = s.u64(what);
    // anything above 2^32 - 1 is invalid whatever its exact value; keep it above that bound as a number
    return v > 0xffffffffn ? 2 ** 33 : Number(v);
  };
  const min = limit('memory minimum');
  const max = flags & 1 ? limit('memory maximum') : undefined;
  const pat = s.pos;
  const pageSizeLog2 = s.u32('memory page size exponent');
  if (pageSizeLog2 > MAX_PAGE_SIZE_LOG2) throw new DecodeError(`invalid custom page size: 2^${pageSizeLog2}`, pat);
  return { limits: { min, max }, pageSizeLog2 };
}

function readTableType(s: Reader): TableType {
  const elemType = readRefType(s, 'table element type');
  return { elemType, limits: readLimits(s, 'table') };
}

function readGlobalType(s: Reader): GlobalType {
  const valType = readValType(s, 'global type');
  const at = s.pos;
  const mut = s.u8('global mutability');
  if (mut > 1) throw new DecodeError(`malformed mutability 0x${mut.toString(16)}`, at);
  return { valType, mutable: mut === 1 };
}

function importSection(m: Builder, s: Reader): void {
  const n = s.count('import', 4);
  for (let i = 0; i < n; i++) {
    const offset = s.pos;
    const module = s.name('import module name');
    const name = s.name('import name');
    const kat = s.pos;
    const kind = s.u8('import kind');
    switch (kind) {
      case 0: {
        const typeIndex = s.u32('type index');
        m.imports.push({ module, name, desc: { kind: 'func', typeIndex }, offset });
        m.funcTypeIndices.push(typeIndex);
        m.numImportedFuncs++;
        break;
      }
      case 1: {
        const table = readTableType(s);
        m.imports.push({ module, name, desc: { kind: 'table', table }, offset });
        m.tables.push(table);
        m.off.tables.push(offset);
        m.numImportedTables++;
        break;
      }
      case 2: {
        const memory = readMemoryType(s);
        m.imports.push({ module, name, desc: { kind: 'memory', memory }, offset });
        m.memories.push(memory);
        m.off.memories.push(offset);
        m.numImportedMemories++;
        break;
      }
      case 3: {
        const global = readGlobalType(s);
        m.imports.push({ module, name, desc: { kind: 'global', global }, offset });
        m.globalTypes.push(global);
        m.numImportedGlobals++;
        break;
      }
      case 4:
        throw new UnsupportedError('exception handling is not supported: tag import', kat);
      default:
        throw new DecodeError(`malformed import kind ${kind}`, kat);
    }
  }
}

const EXPORT_KINDS: readonly ExternKind[] = ['func', 'table', 'memory', 'global'];

function exportSection(m: Builder, s: Reader): void {
  const n = s.count('export', 3);
  for (let i = 0; i < n; i++) {
    m.off.exports.push(s.pos);
    const name = s.name('export name');
    const kat = s.pos;
    const k = s.u8('export kind');
    if (k === 4) throw new UnsupportedError('exception handling is not supported: tag export', kat);
    const kind = EXPORT_KINDS[k];
    if (kind === undefined) throw new DecodeError(`malformed export kind ${k}`, kat);
    const index = s.u32('export index');
    if (kind === 'func') m.declaredFuncRefs.add(index);
    m.exports.push({ name, kind, index });
  }
}

/** One constant instruction followed by `end`. */
function readConstExpr(m: Builder, s: Reader): ConstExpr {
  const ops = new OperatorReader(s.bytes, s.pos, s.end);
  const first = ops.read();
  let e: ConstExpr;
  switch (first.op) {
    case Op.I32Const: e = { kind: 'i32.const', value: first.i32 }; break;
    case Op.I64Const: e = { kind: 'i64.const', value: first.i64 }; break;
    case Op.F32Const: e = { kind: 'f32.const', bits: first.f32Bits }; break;
    case Op.F64Const: e = { kind: 'f64.const', bits: first.f64Bits }; break;
    case Op.RefNull: e = { kind: 'ref.null', refType: first.refType }; break;
    case Op.RefFunc: e = { kind: 'ref.func', funcIndex: first.index }; m.declaredFuncRefs.add(first.index); break;
    case Op.GlobalGet: e = { kind: 'global.get', globalIndex: first.index }; break;
    case Op.End: throw new ValidationError('type mismatch: empty constant expression', first.offset);
    default: throw new ValidationError('constant expression required', first.offset);
  }
  const next = ops.read();
  if (next.op !== Op.End) {
    // a second constant would leave two values: the spec calls that a type mismatch
    const isConst = next.op === Op.I32Const || next.op === Op.I64Const || next.op === Op.F32Const ||
      next.op === Op.F64Const || next.op === Op.RefNull || next.op === Op.RefFunc || next.op === Op.GlobalGet;
    throw new ValidationError(isConst ? 'type mismatch: constant expression leaves more than one value' : 'constant expression required', next.offset);
  }
  s.pos = ops.pos;
  return e;
}

function readElemKind(s: Reader): RefType {
  const at = s.pos;
  const k = s.u8('element kind');
  if (k !== 0) throw new DecodeError(`malformed element kind 0x${k.toString(16)}`, at);
  return ValType.FuncRef;
}

function elemSection(m: Builder, s: Reader): void {
  const n = s.count('element segment', 1);
  for (let i = 0; i < n; i++) {
    const at = s.pos;
    m.off.elems.push(at);
    const flags = s.u32('element segment flags');
    if (flags > 7) throw new DecodeError(`malformed element segment flags ${flags}`, at);
    const passiveOrDecl = (flags & 1) !== 0;
    const explicitTable = (flags & 2) !== 0;
    const usesExprs = (flags & 4) !== 0;
    const mode = !passiveOrDecl ? 'active' : explicitTable ? 'declarative' : 'passive';
    let table = 0;
    let offset: ConstExpr | undefined;
    if (mode === 'active') {
      if (explicitTable) table = s.u32('table index');
      offset = readConstExpr(m, s);
    }
    let elemType: RefType = ValType.FuncRef;
    if (passiveOrDecl || explicitTable) elemType = usesExprs ? readRefType(s, 'element type') : readElemKind(s);
    const count = s.count('element', 1);
    const items: ConstExpr[] = new Array<ConstExpr>(count);
    for (let k = 0; k < count; k++) {
      if (usesExprs) {
        items[k] = readConstExpr(m, s);
      } else {
        const funcIndex = s.u32('function index');
        m.declaredFuncRefs.add(funcIndex);
        items[k] = { kind: 'ref.func', funcIndex };
      }
    }
    m.elems.push({ mode, table, offset, elemType, items });
  }
}

function readBody(m: Builder, s: Reader, funcIndex: number): FunctionBody {
  const bodyOffset = s.pos;
  const size = s.u32('function body size');
  if (size > s.remaining) throw new DecodeError(`function body size ${size} exceeds the ${s.remaining} remaining bytes`, bodyOffset);
  const end = s.pos + size;
  const b = new Reader(s.bytes, s.pos, end);
  s.pos = end;
  const n = b.count('local declaration', 2);
  const locals: LocalDecl[] = [];
  let numLocals = 0;
  for (let i = 0; i < n; i++) {
    const at = b.pos;
    const count = b.u32('local count');
    numLocals += count;
    if (numLocals > MAX_LOCALS) throw new DecodeError('too many locals', at);
    const type = readValType(b, 'local type');
    if (count > 0) locals.push({ count, type });
  }
  if (b.atEnd()) throw new DecodeError('unexpected end of function body (missing end)', end);
  return {
    typeIndex: m.funcTypeIndices[funcIndex] ?? -1,
    locals,
    numLocals,
    codeStart: b.pos,
    codeEnd: end,
    bodyOffset,
  };
}

function readData(m: Builder, s: Reader): DataSegment {
  const at = s.pos;
  const flags = s.u32('data segment flags');
  let memory = 0;
  let offset: ConstExpr | undefined;
  let mode: 'active' | 'passive' = 'active';
  if (flags === 0) {
    offset = readConstExpr(m, s);
  } else if (flags === 1) {
    mode = 'passive';
  } else if (flags === 2) {
    memory = s.u32('memory index');
    offset = readConstExpr(m, s);
  } else {
    throw new DecodeError(`malformed data segment flags ${flags}`, at);
  }
  const len = s.u32('data length');
  const bytes = s.view(len, 'data segment bytes');
  return { mode, memory, offset, bytes };
}

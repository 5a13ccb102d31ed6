/**
 * The one operator table. The operator reader, the validator and the code
 * generator all derive from it (wasmparser's `for_each_operator` idea): a row
 * names the operator, its code, its immediate kind, the proposal it belongs to
 * and, for plain stack operators, its signature.
 *
 * Codes: a single byte for one-byte operators, `0xFC00 | sub` for the 0xFC
 * prefix (saturating truncation and bulk memory).
 */

export const enum Imm {
  None,
  /** block type (s33) */
  Block,
  /** label index */
  Label,
  /** label vector + default label */
  BrTable,
  /** function index (call, ref.func) */
  Func,
  /** type index then table index */
  CallIndirect,
  Local,
  Global,
  /** table index (table.get/set/size/grow/fill) */
  Table,
  /** memarg: alignment exponent then offset */
  MemArg,
  /** one reserved zero byte (memory.size, memory.grow, memory.fill) */
  MemZero,
  I32,
  I64,
  F32,
  F64,
  /** ref.null heap type */
  RefType,
  /** vec(valtype) for typed select */
  SelectT,
  /** data index then a zero byte */
  MemoryInit,
  /** data index */
  Data,
  /** two zero bytes */
  MemoryCopy,
  /** element index then table index */
  TableInit,
  /** element index */
  Elem,
  /** destination table index then source table index */
  TableCopy,
}

export type Feature =
  | 'mvp'
  | 'sign-extension'
  | 'saturating-float-to-int'
  | 'bulk-memory'
  | 'reference-types';

export interface OpInfo {
  readonly name: string;
  readonly code: number;
  readonly imm: Imm;
  readonly feature: Feature;
  /**
   * For operators that only pop and push numbers: 'ii>i' (params>results) with
   * i=i32, I=i64, f=f32, F=f64. Undefined for operators the validator handles
   * one by one.
   */
  readonly sig: string | undefined;
  /** log2 of the natural alignment for memory accesses */
  readonly naturalAlign: number;
}

const ROWS: OpInfo[] = [];

function op(code: number, name: string, imm: Imm, feature: Feature, sig?: string, naturalAlign = -1): void {
  ROWS.push({ name, code, imm, feature, sig, naturalAlign });
}
function ops(code: number, names: string, sig: string, feature: Feature = 'mvp'): void {
  for (const n of names.split(' ')) op(code++, n, Imm.None, feature, sig);
}
function mem(code: number, name: string, sig: string, align: number): void {
  op(code, name, Imm.MemArg, 'mvp', sig, align);
}

// control
op(0x00, 'unreachable', Imm.None, 'mvp');
op(0x01, 'nop', Imm.None, 'mvp');
op(0x02, 'block', Imm.Block, 'mvp');
op(0x03, 'loop', Imm.Block, 'mvp');
op(0x04, 'if', Imm.Block, 'mvp');
op(0x05, 'else', Imm.None, 'mvp');
op(0x0b, 'end', Imm.None, 'mvp');
op(0x0c, 'br', Imm.Label, 'mvp');
op(0x0d, 'br_if', Imm.Label, 'mvp');
op(0x0e, 'br_table', Imm.BrTable, 'mvp');
op(0x0f, 'return', Imm.None, 'mvp');
op(0x10, 'call', Imm.Func, 'mvp');
op(0x11, 'call_indirect', Imm.CallIndirect, 'mvp');
// parametric
op(0x1a, 'drop', Imm.None, 'mvp');
op(0x1b, 'select', Imm.None, 'mvp');
op(0x1c, 'select_typed', Imm.SelectT, 'reference-types');
// variables and tables
op(0x20, 'local.get', Imm.Local, 'mvp');
op(0x21, 'local.set', Imm.Local, 'mvp');
op(0x22, 'local.tee', Imm.Local, 'mvp');
op(0x23, 'global.get', Imm.Global, 'mvp');
op(0x24, 'global.set', Imm.Global, 'mvp');
op(0x25, 'table.get', Imm.Table, 'reference-types');
op(0x26, 'table.set', Imm.Table, 'reference-types');
// memory
mem(0x28, 'i32.load', 'i>i', 2);
mem(0x29, 'i64.load', 'i>I', 3);
mem(0x2a, 'f32.load', 'i>f', 2);
mem(0x2b, 'f64.load', 'i>F', 3);
mem(0x2c, 'i32.load8_s', 'i>i', 0);
mem(0x2d, 'i32.load8_u', 'i>i', 0);
mem(0x2e, 'i32.load16_s', 'i>i', 1);
mem(0x2f, 'i32.load16_u', 'i>i', 1);
mem(0x30, 'i64.load8_s', 'i>I', 0);
mem(0x31, 'i64.load8_u', 'i>I', 0);
mem(0x32, 'i64.load16_s', 'i>I', 1);
mem(0x33, 'i64.load16_u', 'i>I', 1);
mem(0x34, 'i64.load32_s', 'i>I', 2);
mem(0x35, 'i64.load32_u', 'i>I', 2);
mem(0x36, 'i32.store', 'ii>', 2);
mem(0x37, 'i64.store', 'iI>', 3);
mem(0x38, 'f32.store', 'if>', 2);
mem(0x39, 'f64.store', 'iF>', 3);
mem(0x3a, 'i32.store8', 'ii>', 0);
mem(0x3b, 'i32.store16', 'ii>', 1);
mem(0x3c, 'i64.store8', 'iI>', 0);
mem(0x3d, 'i64.store16', 'iI>', 1);
mem(0x3e, 'i64.store32', 'iI>', 2);
op(0x3f, 'memory.size', Imm.MemZero, 'mvp', '>i');
op(0x40, 'memory.grow', Imm.MemZero, 'mvp', 'i>i');
// constants
op(0x41, 'i32.const', Imm.I32, 'mvp', '>i');
op(0x42, 'i64.const', Imm.I64, 'mvp', '>I');
op(0x43, 'f32.const', Imm.F32, 'mvp', '>f');
op(0x44, 'f64.const', Imm.F64, 'mvp', '>F');
// numeric
ops(0x45, 'i32.eqz', 'i>i');
ops(0x46, 'i32.eq i32.ne i32.lt_s i32.lt_u i32.gt_s i32.gt_u i32.le_s i32.le_u i32.ge_s i32.ge_u', 'ii>i');
ops(0x50, 'i64.eqz', 'I>i');
ops(0x51, 'i64.eq i64.ne i64.lt_s i64.lt_u i64.gt_s i64.gt_u i64.le_s i64.le_u i64.ge_s i64.ge_u', 'II>i');
ops(0x5b, 'f32.eq f32.ne f32.lt f32.gt f32.le f32.ge', 'ff>i');
ops(0x61, 'f64.eq f64.ne f64.lt f64.gt f64.le f64.ge', 'FF>i');
ops(0x67, 'i32.clz i32.ctz i32.popcnt', 'i>i');
ops(0x6a, 'i32.add i32.sub i32.mul i32.div_s i32.div_u i32.rem_s i32.rem_u i32.and i32.or i32.xor i32.shl i32.shr_s i32.shr_u i32.rotl i32.rotr', 'ii>i');
ops(0x79, 'i64.clz i64.ctz i64.popcnt', 'I>I');
ops(0x7c, 'i64.add i64.sub i64.mul i64.div_s i64.div_u i64.rem_s i64.rem_u i64.and i64.or i64.xor i64.shl i64.shr_s i64.shr_u i64.rotl i64.rotr', 'II>I');
ops(0x8b, 'f32.abs f32.neg f32.ceil f32.floor f32.trunc f32.nearest f32.sqrt', 'f>f');
ops(0x92, 'f32.add f32.sub f32.mul f32.div f32.min f32.max f32.copysign', 'ff>f');
ops(0x99, 'f64.abs f64.neg f64.ceil f64.floor f64.trunc f64.nearest f64.sqrt', 'F>F');
ops(0xa0, 'f64.add f64.sub f64.mul f64.div f64.min f64.max f64.copysign', 'FF>F');
ops(0xa7, 'i32.wrap_i64', 'I>i');
ops(0xa8, 'i32.trunc_f32_s i32.trunc_f32_u', 'f>i');
ops(0xaa, 'i32.trunc_f64_s i32.trunc_f64_u', 'F>i');
ops(0xac, 'i64.extend_i32_s i64.extend_i32_u', 'i>I');
ops(0xae, 'i64.trunc_f32_s i64.trunc_f32_u', 'f>I');
ops(0xb0, 'i64.trunc_f64_s i64.trunc_f64_u', 'F>I');
ops(0xb2, 'f32.convert_i32_s f32.convert_i32_u', 'i>f');
ops(0xb4, 'f32.convert_i64_s f32.convert_i64_u', 'I>f');
ops(0xb6, 'f32.demote_f64', 'F>f');
ops(0xb7, 'f64.convert_i32_s f64.convert_i32_u', 'i>F');
ops(0xb9, 'f64.convert_i64_s f64.convert_i64_u', 'I>F');
ops(0xbb, 'f64.promote_f32', 'f>F');
ops(0xbc, 'i32.reinterpret_f32', 'f>i');
ops(0xbd, 'i64.reinterpret_f64', 'F>I');
ops(0xbe, 'f32.reinterpret_i32', 'i>f');
ops(0xbf, 'f64.reinterpret_i64', 'I>F');
ops(0xc0, 'i32.extend8_s i32.extend16_s', 'i>i', 'sign-extension');
ops(0xc2, 'i64.extend8_s i64.extend16_s i64.extend32_s', 'I>I', 'sign-extension');
// reference types
op(0xd0, 'ref.null', Imm.RefType, 'reference-types');
op(0xd1, 'ref.is_null', Imm.None, 'reference-types');
op(0xd2, 'ref.func', Imm.Func, 'reference-types');
// 0xFC prefix
ops(0xfc00, 'i32.trunc_sat_f32_s i32.trunc_sat_f32_u', 'f>i', 'saturating-float-to-int');
ops(0xfc02, 'i32.trunc_sat_f64_s i32.trunc_sat_f64_u', 'F>i', 'saturating-float-to-int');
ops(0xfc04, 'i64.trunc_sat_f32_s i64.trunc_sat_f32_u', 'f>I', 'saturating-float-to-int');
ops(0xfc06, 'i64.trunc_sat_f64_s i64.trunc_sat_f64_u', 'F>I', 'saturating-float-to-int');
op(0xfc08, 'memory.init', Imm.MemoryInit, 'bulk-memory', 'iii>');
op(0xfc09, 'data.drop', Imm.Data, 'bulk-memory', '>');
op(0xfc0a, 'memory.copy', Imm.MemoryCopy, 'bulk-memory', 'iii>');
op(0xfc0b, 'memory.fill', Imm.MemZero, 'bulk-memory', 'iii>');
op(0xfc0c, 'table.init', Imm.TableInit, 'bulk-memory', 'iii>');
op(0xfc0d, 'elem.drop', Imm.Elem, 'bulk-memory', '>');
op(0xfc0e, 'table.copy', Imm.TableCopy, 'bulk-memory', 'iii>');
op(0xfc0f, 'table.grow', Imm.Table, 'reference-types');
op(0xfc10, 'table.size', Imm.Table, 'reference-types', '>i');
op(0xfc11, 'table.fill', Imm.Table, 'reference-types');

/** Every operator, in code order. */
export const OPERATORS: readonly OpInfo[] = ROWS;
export const OPCODE_NAMES: readonly string[] = ROWS.map((r) => r.name);

/** Indexed by the first byte; undefined for prefixes and unknown bytes. */
const BY_BYTE: (OpInfo | undefined)[] = new Array<OpInfo | undefined>(256).fill(undefined);
/** Indexed by the 0xFC sub-opcode. */
const BY_FC: (OpInfo | undefined)[] = [];
const BY_NAME = new Map<string, OpInfo>();
for (const r of ROWS) {
  if (r.code < 0x100) BY_BYTE[r.code] = r;
  else BY_FC[r.code & 0xff] = r;
  if (BY_NAME.has(r.name)) throw new Error(`duplicate operator name ${r.name}`);
  BY_NAME.set(r.name, r);
}

/** Immediate kind per first byte, 255 = not a complete one-byte operator; hot path of the reader. */
export const IMM_BY_BYTE: Uint8Array = new Uint8Array(256).fill(255);
for (let b = 0; b < 256; b++) {
  const r = BY_BYTE[b];
  if (r) IMM_BY_BYTE[b] = r.imm;
}
export const FC_COUNT = BY_FC.length;

export function opcodeInfo(code: number): OpInfo | undefined {
  return code < 0x100 ? BY_BYTE[code] : (code & 0xff00) === 0xfc00 ? BY_FC[code & 0xff] : undefined;
}

export function opcodeByName(name: string): OpInfo | undefined {
  return BY_NAME.get(name);
}

/** Human-readable operator name for diagnostics. */
export function opcodeName(code: number): string {
  return opcodeInfo(code)?.name ?? `0x${code.toString(16)}`;
}

/**
 * One-byte codes and prefixes that belong to proposals we refuse, so that the
 * error can name the feature instead of saying "illegal opcode".
 */
export function unsupportedFeatureOfByte(b: number): string | undefined {
  switch (b) {
    case 0x06: case 0x07: case 0x08: case 0x09: case 0x0a: case 0x18: case 0x19:
      return 'exception handling';
    case 0x12: case 0x13:
      return 'tail calls';
    case 0x14: case 0x15: case 0xd4: case 0xd5: case 0xd6:
      return 'typed function references';
    case 0xd3: case 0xfb:
      return 'GC';
    case 0xfd:
      return 'SIMD';
    case 0xfe:
      return 'threads (atomics)';
    default:
      return undefined;
  }
}

export const enum Op {
  Unreachable = 0x00, Nop = 0x01, Block = 0x02, Loop = 0x03, If = 0x04, Else = 0x05, End = 0x0b,
  Br = 0x0c, BrIf = 0x0d, BrTable = 0x0e, Return = 0x0f, Call = 0x10, CallIndirect = 0x11,
  Drop = 0x1a, Select = 0x1b, SelectTyped = 0x1c,
  LocalGet = 0x20, LocalSet = 0x21, LocalTee = 0x22, GlobalGet = 0x23, GlobalSet = 0x24,
  TableGet = 0x25, TableSet = 0x26,
  MemorySize = 0x3f, MemoryGrow = 0x40,
  I32Const = 0x41, I64Const = 0x42, F32Const = 0x43, F64Const = 0x44,
  RefNull = 0xd0, RefIsNull = 0xd1, RefFunc = 0xd2,
  MemoryInit = 0xfc08, DataDrop = 0xfc09, MemoryCopy = 0xfc0a, MemoryFill = 0xfc0b,
  TableInit = 0xfc0c, ElemDrop = 0xfc0d, TableCopy = 0xfc0e,
  TableGrow = 0xfc0f, TableSize = 0xfc10, TableFill = 0xfc11,
}

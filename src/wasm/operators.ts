/**
 * Decodes function-body operators one at a time. The same Instr object is
 * reused for every read (callers copy what they keep), so a pass over a body
 * allocates only for br_table targets, typed-select types and i64/f64 payloads.
 */
import { assertNever, DecodeError, UnsupportedError } from '../errors.js';
import { ValType, type RefType } from './types.js';
import { Imm, IMM_BY_BYTE, opcodeInfo, unsupportedFeatureOfByte } from './opcodes.js';
import { Reader } from './reader.js';

/**
 * Block type as read (signed 33-bit): BLOCK_EMPTY, a value type as its
 * negative s33 form (-1 i32 .. -17 externref; blockTypeValType converts), or
 * a type index (>= 0).
 */
export const BLOCK_EMPTY = -64;

export function blockTypeValType(bt: number): ValType {
  return (bt + 0x80) as ValType;
}

export interface Instr {
  /** single byte, or 0xFC00 | sub-opcode */
  op: number;
  /** absolute offset of the operator's first byte */
  offset: number;
  blockType: number;
  /**
   * label (br, br_if, br_table default), function, local, global, table, type
   * (call_indirect), data (memory.init, data.drop), element (table.init,
   * elem.drop), destination table (table.copy)
   */
  index: number;
  /** table of call_indirect and table.init, source table of table.copy */
  index2: number;
  /** alignment exponent as encoded */
  memAlign: number;
  memOffset: number;
  /** br_table labels without the default; a fresh array per br_table */
  targets: number[];
  i32: number;
  i64: bigint;
  f32Bits: number;
  f64Bits: bigint;
  refType: RefType;
  /** typed select's types, as encoded (validation requires exactly one) */
  selectTypes: ValType[];
}

function newInstr(): Instr {
  return {
    op: 0, offset: 0, blockType: BLOCK_EMPTY, index: 0, index2: 0, memAlign: 0, memOffset: 0,
    targets: [], i32: 0, i64: 0n, f32Bits: 0, f64Bits: 0n, refType: ValType.FuncRef, selectTypes: [],
  };
}

/** Value type byte → ValType, or throws (unsupported proposals named). */
export function readValType(r: Reader, what = 'value type'): ValType {
  const at = r.pos;
  const b = r.u8(what);
  switch (b) {
    case 0x7f: case 0x7e: case 0x7d: case 0x7c: case 0x70: case 0x6f:
      return b as ValType;
    default:
      throw valTypeError(b, at, what);
  }
}

export function valTypeError(b: number, at: number, what: string): DecodeError | UnsupportedError {
  if (b === 0x7b) return new UnsupportedError(`SIMD is not supported: v128 ${what}`, at);
  if (b === 0x64 || b === 0x63) return new UnsupportedError(`typed function references are not supported: reference ${what} 0x${b.toString(16)}`, at);
  if (b === 0x69 || b === 0x74) return new UnsupportedError(`exception handling is not supported: exnref ${what}`, at);
  if (b >= 0x65 && b <= 0x73 && b !== 0x70 && b !== 0x6f) {
    return new UnsupportedError(`GC is not supported: ${what} 0x${b.toString(16)}`, at);
  }
  return new DecodeError(`malformed ${what} 0x${b.toString(16)}`, at);
}

export function readRefType(r: Reader, what = 'reference type'): RefType {
  const at = r.pos;
  const b = r.u8(what);
  if (b === 0x70 || b === 0x6f) return b as RefType;
  throw valTypeError(b, at, what);
}

function zeroByte(r: Reader, what: string): void {
  const at = r.pos;
  if (r.u8(what) !== 0) throw new DecodeError(`zero byte expected (${what})`, at);
}

export class OperatorReader {
  readonly reader: Reader;
  private readonly instr: Instr = newInstr();

  constructor(bytes: Uint8Array, start: number, end: number) {
    this.reader = new Reader(bytes, start, end);
  }

  get pos(): number {
    return this.reader.pos;
  }

  atEnd(): boolean {
    return this.reader.pos >= this.reader.end;
  }

  /** The next operator; the returned object is overwritten by the next call. */
  read(): Instr {
    const r = this.reader;
    const ins = this.instr;
    const offset = r.pos;
    ins.offset = offset;
    if (offset >= r.end) throw r.eof('operator');
    const bytes = r.bytes;
    const b = bytes[offset]!;
    r.pos = offset + 1;
    let code = b;
    let imm = IMM_BY_BYTE[b]!;
    if (imm === 255) {
      if (b === 0xfc) {
        const sub = r.u32('0xFC sub-opcode');
        const info = sub < 0x100 ? opcodeInfo(0xfc00 | sub) : undefined;
        if (!info) throw new DecodeError(`illegal opcode 0xfc ${sub}`, offset);
        code = info.code;
        imm = info.imm;
      } else {
        const feature = unsupportedFeatureOfByte(b);
        if (feature) {
          let name = `0x${b.toString(16)}`;
          if (b === 0xfb || b === 0xfd || b === 0xfe) {
            // name the sub-opcode too when it is readable
            const save = r.pos;
            try { name += ` ${r.u32('sub-opcode')}`; } catch { /* the prefix alone names the feature */ }
            r.pos = save;
          }
          throw new UnsupportedError(`not supported: ${feature} (opcode ${name})`, offset);
        }
        throw new DecodeError(`illegal opcode 0x${b.toString(16)}`, offset);
      }
    }
    ins.op = code;
    const kind = imm as Imm;
    switch (kind) {
      case Imm.None:
        break;
      case Imm.Block: {
        const at = r.pos;
        const first = bytes[at];
        // one-byte forms first: the common case and the only way to tell a
        // value type from a type index is the s33 sign
        if (first === 0x40) { r.pos++; ins.blockType = BLOCK_EMPTY; break; }
        const bt = r.s33();
        if (bt < 0) {
          if (r.pos - at !== 1) throw new DecodeError('malformed block type', at);
          const vt = bt + 0x80;
          if (!(vt === 0x7f || vt === 0x7e || vt === 0x7d || vt === 0x7c || vt === 0x70 || vt === 0x6f)) {
            throw valTypeError(vt, at, 'block type');
          }
        }
        ins.blockType = bt;
        break;
      }
      case Imm.Label: case Imm.Func: case Imm.Local: case Imm.Global: case Imm.Table:
      case Imm.Data: case Imm.Elem: {
        // one-byte indices are the common case: skip the general LEB128 loop
        const p = r.pos;
        const x = p < r.end ? bytes[p]! : 0x80;
        if (x < 0x80) {
          r.pos = p + 1;
          ins.index = x;
        } else {
          ins.index = r.u32('index');
        }
        break;
      }
      case Imm.BrTable: {
        const n = r.count('br_table target', 1);
        const t = new Array<number>(n);
        for (let i = 0; i < n; i++) t[i] = r.u32('br_table target');
        ins.targets = t;
        ins.index = r.u32('br_table default');
        break;
      }
      case Imm.CallIndirect:
        ins.index = r.u32('type index');
        ins.index2 = r.u32('table index');
        break;
      case Imm.MemArg: {
        const at = r.pos;
        if (at + 1 < r.end) {
          const a = bytes[at]!;
          const o = bytes[at + 1]!;
          if (a < 32 && o < 0x80) {
            r.pos = at + 2;
            ins.memAlign = a;
            ins.memOffset = o;
            break;
          }
        }
        const a = r.u32('alignment');
        if (a >= 32) {
          // bit 6 is the multi-memory flag
          if (a & 0x40) throw new UnsupportedError('multi-memory is not supported: memarg with memory index', at);
          throw new DecodeError(`malformed memop flags 0x${a.toString(16)}`, at);
        }
        ins.memAlign = a;
        ins.memOffset = r.u32('memory offset');
        break;
      }
      case Imm.MemZero:
        zeroByte(r, 'memory index');
        break;
      case Imm.I32: {
        const p = r.pos;
        const x = p < r.end ? bytes[p]! : 0x80;
        if (x < 0x80) {
          r.pos = p + 1;
          ins.i32 = (x << 25) >> 25;
        } else {
          ins.i32 = r.s32('i32 constant');
        }
        break;
      }
      case Imm.I64:
        ins.i64 = r.s64('i64 constant');
        break;
      case Imm.F32:
        ins.f32Bits = r.f32bits();
        break;
      case Imm.F64:
        ins.f64Bits = r.f64bits();
        break;
      case Imm.RefType:
        ins.refType = readRefType(r, 'heap type');
        break;
      case Imm.SelectT: {
        const n = r.count('select type', 1);
        const ts = new Array<ValType>(n);
        for (let i = 0; i < n; i++) ts[i] = readValType(r);
        ins.selectTypes = ts;
        break;
      }
      case Imm.MemoryInit:
        ins.index = r.u32('data index');
        zeroByte(r, 'memory index');
        break;
      case Imm.MemoryCopy:
        zeroByte(r, 'memory index');
        zeroByte(r, 'memory index');
        break;
      case Imm.TableInit:
        ins.index = r.u32('element index');
        ins.index2 = r.u32('table index');
        break;
      case Imm.TableCopy:
        ins.index = r.u32('table index');
        ins.index2 = r.u32('table index');
        break;
      default:
        return assertNever(kind, 'immediate kind');
    }
    return ins;
  }
}

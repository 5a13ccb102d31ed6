/**
 * Wasm values as text, for `xipwasm run`: parsing command-line arguments by their parameter type and printing
 * results with both their value and their exact bits.
 */
import { UsageError, assertNever } from '../errors.js';
import type { ValueType, WasmValue } from './protocol.js';

const F32_EXP = 0x7f800000n;
const F64_EXP = 0x7ff0000000000000n;

function parseInteger(text: string, width: 32 | 64): bigint {
  const m = /^([+-]?)(0x[0-9a-f_]+|[0-9_]+)$/i.exec(text);
  if (m === null) throw new UsageError(`'${text}' is not an i${width} (decimal or 0x-hex)`);
  const magnitude = BigInt((m[2] as string).replace(/_/g, ''));
  const v = m[1] === '-' ? -magnitude : magnitude;
  if (v < -(1n << BigInt(width - 1)) || v >= 1n << BigInt(width)) throw new UsageError(`'${text}' does not fit in i${width}`);
  return BigInt.asUintN(width, v);
}

/** A hexadecimal float as in the text format (0x1.8p3), as a double. */
function parseHexFloat(text: string): number | undefined {
  const m = /^0x([0-9a-f_]*)(?:\.([0-9a-f_]*))?(?:p([+-]?[0-9_]+))?$/i.exec(text);
  if (m === null) return undefined;
  const int = (m[1] ?? '').replace(/_/g, '');
  const frac = (m[2] ?? '').replace(/_/g, '');
  if (int === '' && frac === '') return undefined;
  const mantissa = BigInt(`0x${int}${frac}` === '0x' ? '0' : `0x${int}${frac}`);
  const exp = Number((m[3] ?? '0').replace(/_/g, '')) - 4 * frac.length;
  return Number(mantissa) * 2 ** exp;
}

function floatBitsOf(value: number, width: 32 | 64): bigint {
  const dv = new DataView(new ArrayBuffer(8));
  if (width === 32) {
    dv.setFloat32(0, value, true);
    return BigInt(dv.getUint32(0, true));
  }
  dv.setFloat64(0, value, true);
  return dv.getBigUint64(0, true);
}

function parseFloatText(text: string, width: 32 | 64): bigint {
  const sign = text.startsWith('-') ? (width === 32 ? 1n << 31n : 1n << 63n) : 0n;
  const body = text.replace(/^[+-]/, '').toLowerCase();
  const exp = width === 32 ? F32_EXP : F64_EXP;
  const quiet = width === 32 ? 0x400000n : 0x8000000000000n;
  if (body === 'nan') return sign | exp | quiet;
  if (body.startsWith('nan:0x')) {
    const payload = BigInt(body.slice(4).replace(/_/g, ''));
    if (payload === 0n || payload >= quiet << 1n) throw new UsageError(`NaN payload of '${text}' is out of range for f${width}`);
    return sign | exp | payload;
  }
  if (body === 'inf' || body === 'infinity') return sign | exp;
  if (body.startsWith('bits:')) return parseInteger(body.slice(5), width);
  const magnitude = body.startsWith('0x') ? parseHexFloat(body) : /^[0-9_.e+-]+$/.test(body) ? Number(body.replace(/_/g, '')) : NaN;
  if (magnitude === undefined || Number.isNaN(magnitude)) {
    throw new UsageError(`'${text}' is not an f${width} (decimal, 0x1.8p3, inf, nan, nan:0x..., bits:0x...)`);
  }
  return sign | floatBitsOf(magnitude, width);
}

/** Parses `text` as a value of `type`. An optional `type:` prefix must name the same type. */
export function parseValueText(type: ValueType, text: string): WasmValue {
  const prefixed = /^(i32|i64|f32|f64|funcref|externref):(.*)$/.exec(text);
  if (prefixed !== null) {
    if (prefixed[1] !== type) throw new UsageError(`argument '${text}' has type ${prefixed[1] as string}, the parameter is ${type}`);
    text = prefixed[2] as string;
  }
  switch (type) {
    case 'i32': return { type, bits: parseInteger(text, 32) };
    case 'i64': return { type, bits: parseInteger(text, 64) };
    case 'f32': return { type, bits: parseFloatText(text, 32) };
    case 'f64': return { type, bits: parseFloatText(text, 64) };
    case 'funcref':
    case 'externref':
      return { type, bits: text === 'null' ? 0n : parseInteger(text, 32) };
    default: return assertNever(type);
  }
}

export interface ValueDescription {
  readonly type: ValueType;
  /** Signed decimal for integers; the number for floats (nan, inf, -inf, -0 spelled out); null or 0x-hex for refs. */
  readonly value: string;
  /** The exact bits, 0x-hex, 8 or 16 digits. */
  readonly bits: string;
}

function floatText(bits: bigint, width: 32 | 64): string {
  const dv = new DataView(new ArrayBuffer(8));
  let v: number;
  if (width === 32) {
    dv.setUint32(0, Number(bits), true);
    v = dv.getFloat32(0, true);
  } else {
    dv.setBigUint64(0, bits, true);
    v = dv.getFloat64(0, true);
  }
  if (Number.isNaN(v)) return (bits >> BigInt(width - 1)) !== 0n ? '-nan' : 'nan';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  if (Object.is(v, -0)) return '-0';
  return String(v);
}

export function describeValue(v: WasmValue): ValueDescription {
  const wide = v.type === 'i64' || v.type === 'f64';
  const bits = BigInt.asUintN(wide ? 64 : 32, v.bits);
  const hex = `0x${bits.toString(16).padStart(wide ? 16 : 8, '0')}`;
  switch (v.type) {
    case 'i32': return { type: v.type, value: BigInt.asIntN(32, bits).toString(), bits: hex };
    case 'i64': return { type: v.type, value: BigInt.asIntN(64, bits).toString(), bits: hex };
    case 'f32': return { type: v.type, value: floatText(bits, 32), bits: hex };
    case 'f64': return { type: v.type, value: floatText(bits, 64), bits: hex };
    case 'funcref':
    case 'externref':
      return { type: v.type, value: bits === 0n ? 'null' : hex, bits: hex };
    default: return assertNever(v.type);
  }
}

/** `i32:42`, `f32:1.5 (0x3fc00000)`, `funcref:null`. */
export function valueToText(v: WasmValue): string {
  const d = describeValue(v);
  return d.type === 'f32' || d.type === 'f64' ? `${d.type}:${d.value} (${d.bits})` : `${d.type}:${d.value}`;
}

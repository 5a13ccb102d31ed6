/**
 * Spec-test values on the boards: wast2json's values as protocol values, and the spec's rules for comparing
 * results (exact bits; nan:canonical / nan:arithmetic; reference handles).
 */
import type { ValueType, WasmValue } from '../../src/run/protocol.js';
import { valueToText } from '../../src/run/values.js';
import type { WastValue } from './wast.js';

const SCALAR: ReadonlySet<string> = new Set(['i32', 'i64', 'f32', 'f64', 'funcref', 'externref']);

/** Why a value cannot be sent to the board, or undefined. */
export function unsupportedValue(v: WastValue): string | undefined {
  if (!SCALAR.has(v.type)) return `${v.type} values not supported`;
  if (Array.isArray(v.value)) return `lane values not supported`;
  return undefined;
}

/**
 * `ref.extern N` is N + 1 on the board: the runtime's externref handle 0 is null (docs/abi.md §5), and the spec
 * uses ref.extern 0. The mapping is the same both ways, so results compare exactly.
 */
function externHandle(value: string): bigint {
  return BigInt(value) + 1n;
}

/** The argument as the firmware takes it (call unsupportedValue first). */
export function toWasmValue(v: WastValue): WasmValue {
  const type = v.type as ValueType;
  const text = v.value as string | undefined;
  switch (type) {
    case 'i32':
    case 'f32':
      return { type, bits: BigInt.asUintN(32, BigInt(text ?? '0')) };
    case 'i64':
    case 'f64':
      return { type, bits: BigInt.asUintN(64, BigInt(text ?? '0')) };
    case 'externref':
      return { type, bits: text === undefined || text === 'null' ? 0n : externHandle(text) };
    case 'funcref':
      // The only funcref argument the text format can spell is null.
      return { type, bits: 0n };
    default:
      throw new Error(`unexpected value type ${type}`);
  }
}

export function expectedText(v: WastValue): string {
  return `${v.type}:${typeof v.value === 'string' ? v.value : v.value === undefined ? '(any non-null)' : v.value.join(' ')}`;
}

export function gotText(v: WasmValue): string {
  if (v.type === 'i32' || v.type === 'i64') {
    const wide = v.type === 'i64';
    const bits = BigInt.asUintN(wide ? 64 : 32, v.bits);
    return `${v.type}:${bits} (0x${bits.toString(16)})`;
  }
  if (v.type === 'externref' && v.bits !== 0n) return `externref:${v.bits - 1n}`;
  return valueToText(v);
}

function floatMatches(expected: string, bits: bigint, width: 32 | 64): boolean {
  const b = BigInt.asUintN(width, bits);
  const exp = width === 32 ? 0x7f800000n : 0x7ff0000000000000n;
  const quiet = width === 32 ? 0x400000n : 0x8000000000000n;
  const magnitude = b & ~(1n << BigInt(width - 1));
  if (expected === 'nan:canonical') return magnitude === (exp | quiet);
  if (expected === 'nan:arithmetic') return (magnitude & exp) === exp && (magnitude & quiet) !== 0n;
  if (!/^[0-9]+$/.test(expected)) return false;
  return b === BigInt.asUintN(width, BigInt(expected));
}

export function valueMatches(expected: WastValue, got: WasmValue): boolean {
  if (expected.type !== got.type) return false;
  const text = expected.value as string | undefined;
  switch (got.type) {
    case 'i32': return text !== undefined && BigInt.asUintN(32, got.bits) === BigInt.asUintN(32, BigInt(text));
    case 'i64': return text !== undefined && BigInt.asUintN(64, got.bits) === BigInt.asUintN(64, BigInt(text));
    case 'f32': return floatMatches(text ?? '', got.bits, 32);
    case 'f64': return floatMatches(text ?? '', got.bits, 64);
    case 'funcref':
      return text === 'null' ? got.bits === 0n : got.bits !== 0n;
    case 'externref':
      if (text === 'null') return got.bits === 0n;
      if (text === undefined) return got.bits !== 0n;
      return got.bits === externHandle(text);
    default:
      return false;
  }
}

/** undefined when the results are what the spec expects, else a description of the difference. */
export function compareResults(expected: readonly WastValue[], got: readonly WasmValue[]): string | undefined {
  const bad = expected.length !== got.length || expected.some((e, i) => !valueMatches(e, got[i] as WasmValue));
  if (!bad) return undefined;
  return `expected ${expected.map(expectedText).join(' ') || '(nothing)'}, got ${got.map(gotText).join(' ') || '(nothing)'}`;
}

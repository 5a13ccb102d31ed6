/**
 * The reference side: plans the calls a module gets (every numeric export, a few argument vectors) and runs them
 * in V8 (Node's WebAssembly) on one instance, in order, recording results, traps and spectest prints.
 */
import { assertNever } from '../../src/errors.js';
import type { Module } from '../../src/wasm/types.js';
import { isRefType, valTypeName } from '../../src/wasm/types.js';
import type { ValueType, WasmValue } from '../../src/run/protocol.js';
import { prng } from './gen.js';

/** How a call's single result, the bits of a float of `float` type, is compared when V8's is a NaN
    (spec 4.3.3): 'canonical' and 'arithmetic' accept any such NaN (sign free), 'exact' wants V8's bits
    (abs, neg, copysign and reinterpretations do not touch payloads). */
export interface NanRule {
  readonly float: 'f32' | 'f64';
  readonly rule: 'canonical' | 'arithmetic' | 'exact';
}

export interface PlannedCall {
  readonly name: string;
  readonly args: readonly WasmValue[];
  readonly results: readonly ValueType[];
  readonly nan?: NanRule;
}

/** The trap kinds both sides can name; V8's messages and the spec's differ, categories do not. */
export type TrapCategory = 'unreachable' | 'memory' | 'div-zero' | 'int-overflow' | 'conversion' | 'table' | 'stack' | 'other';

export type CallOutcome =
  | { readonly kind: 'values'; readonly values: readonly WasmValue[] }
  | { readonly kind: 'trap'; readonly category: TrapCategory; readonly message: string };

export interface PrintRecord {
  readonly name: string;
  readonly values: readonly WasmValue[];
}

export interface ReferenceRun {
  /** undefined when instantiation succeeded, else V8's message */
  readonly instantiateError: string | undefined;
  readonly outcomes: CallOutcome[];
  /** the prints each call made, per call */
  readonly prints: PrintRecord[][];
}

/** The export ttf adds to reset its loop/recursion budget; the fuzz harness calls it before every export. */
export const HANG_LIMIT_EXPORT = 'hangLimitInitializer';

const I32_MIN = 0x80000000n;
const I64_MIN = 0x8000000000000000n;

function f32Bits(x: number): bigint {
  const v = new DataView(new ArrayBuffer(4));
  v.setFloat32(0, x, true);
  return BigInt(v.getUint32(0, true));
}

function f64Bits(x: number): bigint {
  const v = new DataView(new ArrayBuffer(8));
  v.setFloat64(0, x, true);
  return v.getBigUint64(0, true);
}

function valueOf(type: ValueType, n: number, intBits?: bigint): WasmValue {
  switch (type) {
    case 'i32': return { type, bits: BigInt.asUintN(32, intBits ?? BigInt(n)) };
    case 'i64': return { type, bits: BigInt.asUintN(64, intBits ?? BigInt(n)) };
    case 'f32': return { type, bits: f32Bits(n) };
    case 'f64': return { type, bits: f64Bits(n) };
    case 'funcref': case 'externref': throw new Error('no reference arguments');
    default: return assertNever(type);
  }
}

function randomValue(type: ValueType, next: () => number): WasmValue {
  const word = (): bigint => BigInt(Math.floor(next() * 2 ** 32));
  const small = next() < 0.5;
  switch (type) {
    case 'i32': return { type, bits: small ? BigInt(Math.floor(next() * 64)) : word() };
    case 'i64': return { type, bits: small ? BigInt(Math.floor(next() * 64)) : (word() << 32n) | word() };
    case 'f32': {
      // random bits but no NaN: JS numbers cannot carry an f32 NaN payload into V8
      const b = word();
      return (b & 0x7f800000n) === 0x7f800000n ? valueOf(type, (next() - 0.5) * 1e6) : { type, bits: b };
    }
    case 'f64': {
      const b = (word() << 32n) | word();
      return (b & 0x7ff0000000000000n) === 0x7ff0000000000000n ? valueOf(type, (next() - 0.5) * 1e12) : { type, bits: b };
    }
    case 'funcref': case 'externref': throw new Error('no reference arguments');
    default: return assertNever(type);
  }
}

/** Every exported function with numeric params and results, each with `vectors` argument vectors
    (all 0, all 1, all -1, all INT_MIN, then random), preceded by the hang-limit reset when the module has one. */
export function planCalls(module: Module, seed: number, vectors = 5): PlannedCall[] {
  const next = prng(seed ^ 0xa5a5a5);
  const hasHang = module.exports.some((e) => e.kind === 'func' && e.name === HANG_LIMIT_EXPORT);
  const calls: PlannedCall[] = [];
  for (const e of module.exports) {
    if (e.kind !== 'func' || e.name === HANG_LIMIT_EXPORT) continue;
    const ft = module.types[module.funcTypeIndices[e.index] ?? -1];
    if (ft === undefined || ft.params.some(isRefType) || ft.results.some(isRefType)) continue;
    const params = ft.params.map((t) => valTypeName(t) as ValueType);
    const results = ft.results.map((t) => valTypeName(t) as ValueType);
    const fixed: ((t: ValueType) => WasmValue)[] = [
      (t) => valueOf(t, 0),
      (t) => valueOf(t, 1),
      (t) => valueOf(t, -1),
      (t) => valueOf(t, -2147483648, t === 'i64' ? I64_MIN : I32_MIN),
    ];
    const n = params.length === 0 ? 1 : vectors;
    for (let v = 0; v < n; v++) {
      const make = fixed[v];
      const args = params.map((t) => (make !== undefined ? make(t) : randomValue(t, next)));
      if (hasHang) calls.push({ name: HANG_LIMIT_EXPORT, args: [], results: [] });
      calls.push({ name: e.name, args, results });
    }
  }
  return calls;
}

export function toJs(v: WasmValue): number | bigint {
  switch (v.type) {
    case 'i32': return Number(BigInt.asIntN(32, v.bits));
    case 'i64': return BigInt.asIntN(64, v.bits);
    case 'f32': {
      const d = new DataView(new ArrayBuffer(4));
      d.setUint32(0, Number(v.bits), true);
      return d.getFloat32(0, true);
    }
    case 'f64': {
      const d = new DataView(new ArrayBuffer(8));
      d.setBigUint64(0, v.bits, true);
      return d.getFloat64(0, true);
    }
    case 'funcref': case 'externref': throw new Error('no reference values');
    default: return assertNever(v.type);
  }
}

export function fromJs(type: ValueType, x: unknown): WasmValue {
  switch (type) {
    case 'i32': return { type, bits: BigInt(Number(x) >>> 0) };
    case 'i64': return { type, bits: BigInt.asUintN(64, x as bigint) };
    case 'f32': return { type, bits: f32Bits(x as number) };
    case 'f64': return { type, bits: f64Bits(x as number) };
    case 'funcref': case 'externref': return { type, bits: x === null ? 0n : 1n };
    default: return assertNever(type);
  }
}

/** V8's trap messages (V8 11), by category. */
export function v8TrapCategory(message: string): TrapCategory {
  if (/Maximum call stack size exceeded/.test(message)) return 'stack';
  if (/unreachable/.test(message)) return 'unreachable';
  if (/memory access out of bounds|data segment/.test(message)) return 'memory';
  if (/(divide|remainder) by zero/.test(message)) return 'div-zero';
  if (/divide result unrepresentable/.test(message)) return 'int-overflow';
  if (/float unrepresentable/.test(message)) return 'conversion';
  if (/table|null function|signature mismatch|element segment/.test(message)) return 'table';
  return 'other';
}

/** The spec's trap messages (the runtime's table, runtime/src/trap.c), by category. 'integer overflow' is both
    the division overflow and the out-of-range float truncation, hence two categories. */
export function specTrapCategories(message: string): readonly TrapCategory[] {
  if (message.startsWith('unreachable')) return ['unreachable'];
  if (message.startsWith('out of bounds memory access')) return ['memory'];
  if (message.startsWith('integer divide by zero')) return ['div-zero'];
  if (message.startsWith('integer overflow')) return ['int-overflow', 'conversion'];
  if (message.startsWith('invalid conversion to integer')) return ['conversion'];
  if (/^(out of bounds table access|undefined element|uninitialized element|indirect call type mismatch)/.test(message)) return ['table'];
  if (message.startsWith('call stack exhausted')) return ['stack'];
  return ['other'];
}

const PRINT_TYPES: Readonly<Record<string, readonly ValueType[]>> = {
  print: [], print_i32: ['i32'], print_i64: ['i64'], print_f32: ['f32'], print_f64: ['f64'],
  print_i32_f32: ['i32', 'f32'], print_f64_f64: ['f64', 'f64'],
};

interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports?: object) => { exports: Record<string, unknown> };
  Memory: new (d: { initial: number; maximum?: number }) => object;
  Table: new (d: { initial: number; maximum?: number; element: string }) => object;
  Global: new (d: { value: string; mutable?: boolean }, v: number | bigint) => object;
}
const WA = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** Runs `calls` on one V8 instance of `bytes`. */
export function runReference(bytes: Uint8Array, calls: readonly PlannedCall[]): ReferenceRun {
  let current: PrintRecord[] = [];
  const spectest: Record<string, unknown> = {
    global_i32: new WA.Global({ value: 'i32' }, 666),
    global_i64: new WA.Global({ value: 'i64' }, 666n),
    global_f32: new WA.Global({ value: 'f32' }, 666.6),
    global_f64: new WA.Global({ value: 'f64' }, 666.6),
    table: new WA.Table({ initial: 10, maximum: 20, element: 'anyfunc' }),
    memory: new WA.Memory({ initial: 1, maximum: 2 }),
  };
  for (const [name, types] of Object.entries(PRINT_TYPES)) {
    spectest[name] = (...xs: unknown[]): void => {
      current.push({ name, values: types.map((t, i) => fromJs(t, xs[i])) });
    };
  }
  const outcomes: CallOutcome[] = [];
  const prints: PrintRecord[][] = [];
  let instance: { exports: Record<string, unknown> };
  try {
    instance = new WA.Instance(new WA.Module(bytes), { spectest });
  } catch (e) {
    return { instantiateError: e instanceof Error ? e.message : String(e), outcomes, prints };
  }
  for (const c of calls) {
    current = [];
    const f = instance.exports[c.name] as (...a: unknown[]) => unknown;
    try {
      const r = f(...c.args.map(toJs));
      const list: unknown[] = c.results.length === 0 ? [] : c.results.length === 1 ? [r] : [...(r as Iterable<unknown>)];
      outcomes.push({ kind: 'values', values: c.results.map((t, i) => fromJs(t, list[i])) });
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      outcomes.push({ kind: 'trap', category: v8TrapCategory(message), message });
    }
    prints.push(current);
  }
  return { instantiateError: undefined, outcomes, prints };
}

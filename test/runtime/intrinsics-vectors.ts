/**
 * Vectors for the runtime intrinsics (runtime/src/intrinsics*.c) from V8: for every C function, a Wasm function
 * doing the same operation on its arguments' bits, evaluated in Node's WebAssembly over special and random
 * inputs. The results become lines a C driver (runtime/test/intrinsics/driver.c) checks bit-exactly; NaN
 * results by the spec's rule (canonical / arithmetic), not by V8's bits, and traps by code (V8 does not tell
 * a NaN conversion from an overflow, so the code comes from the input: NaN -> 9, else 8).
 * Used by test/runtime/intrinsics.test.ts (bounded) and intrinsics-long.ts (10^6 operand tuples per operation).
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BOARDS as RUN_BOARDS } from '../../src/run/boards.js';
import { V8 } from '../wasm/v8.js';

const RuntimeError = (globalThis as unknown as { WebAssembly: { RuntimeError: new () => Error } }).WebAssembly.RuntimeError;

export type ValT = 'f32' | 'f64' | 'i32' | 'u32' | 'i64' | 'u64';
export type NanRule = 'arith' | 'bits';

export interface Variant {
  /** The cond argument passed first (f32_cmp / f64_cmp only). */
  readonly cond?: number;
  /** Wasm expression over the operands (already in their Wasm value types). */
  readonly expr: (a: readonly string[]) => string;
}

export interface FnSpec {
  readonly c: string;
  readonly kind: string;
  readonly params: readonly ValT[];
  readonly result: ValT;
  readonly nan: NanRule;
  readonly variants: readonly Variant[];
}

const op = (name: string): Variant => ({ expr: (a) => `(${name} ${a.join(' ')})` });
const KIND_CODE: Record<ValT, string> = { f32: 'F', f64: 'D', i32: 'I32', u32: 'U32', i64: 'I64', u64: 'U64' };

export const SPECS: FnSpec[] = [];
function add(c: string, params: ValT[], result: ValT, variants: Variant[], nan: NanRule = 'arith', kind?: string): void {
  SPECS.push({ c, params, result, variants, nan, kind: kind ?? `K_${params.map((p) => KIND_CODE[p]).join('_')}_${KIND_CODE[result]}` });
}

for (const t of ['f32', 'f64'] as const) {
  const K = t === 'f32' ? 'F' : 'D';
  for (const [c, w] of [['fadd', 'add'], ['fsub', 'sub'], ['fmul', 'mul'], ['fdiv', 'div'], ['fmin', 'min'], ['fmax', 'max']]) {
    add(`aot_intrinsic_${c}_${t}`, [t, t], t, [op(`${t}.${w}`)], 'arith', `K_${K}${K}_${K}`);
  }
  add(`aot_intrinsic_copysign_${t}`, [t, t], t, [op(`${t}.copysign`)], 'bits', `K_${K}${K}_${K}`);
  add(`aot_intrinsic_fabs_${t}`, [t], t, [op(`${t}.abs`)], 'bits', `K_${K}_${K}`);
  for (const [c, w] of [['ceil', 'ceil'], ['floor', 'floor'], ['trunc', 'trunc'], ['rint', 'nearest'], ['sqrt', 'sqrt']]) {
    add(`aot_intrinsic_${c}_${t}`, [t], t, [op(`${t}.${w}`)], 'arith', `K_${K}_${K}`);
  }
  const conds: Variant[] = ['eq', 'ne', 'lt', 'gt', 'le', 'ge'].map((name, cond) => ({ cond, ...op(`${t}.${name}`) }));
  conds.push({ cond: 6, expr: (a) => `(i32.or (${t}.ne ${a[0]} ${a[0]}) (${t}.ne ${a[1]} ${a[1]}))` });
  conds.push({ cond: 7, expr: () => '(i32.const 0)' }); // not an AOTFloatCond: 0, as in WAMR
  add(`aot_intrinsic_${t}_cmp`, [t, t], 'i32', conds, 'bits', `K_CMP_${K}`);
}
for (const [c, w] of [['clz', 'clz'], ['ctz', 'ctz'], ['popcnt', 'popcnt']]) {
  add(`aot_intrinsic_${c}_i32`, ['u32'], 'u32', [op(`i32.${w}`)]);
  add(`aot_intrinsic_${c}_i64`, ['u64'], 'u64', [op(`i64.${w}`)]);
}
add('aot_intrinsic_i32_div_s', ['i32', 'i32'], 'i32', [op('i32.div_s')], 'bits', 'K_II_I32');
add('aot_intrinsic_i32_rem_s', ['i32', 'i32'], 'i32', [op('i32.rem_s')], 'bits', 'K_II_I32');
add('aot_intrinsic_i32_div_u', ['u32', 'u32'], 'u32', [op('i32.div_u')], 'bits', 'K_UU_U32');
add('aot_intrinsic_i32_rem_u', ['u32', 'u32'], 'u32', [op('i32.rem_u')], 'bits', 'K_UU_U32');
add('aot_intrinsic_i64_div_s', ['i64', 'i64'], 'i64', [op('i64.div_s')], 'bits', 'K_LL_I64');
add('aot_intrinsic_i64_rem_s', ['i64', 'i64'], 'i64', [op('i64.rem_s')], 'bits', 'K_LL_I64');
for (const [c, w] of [['i64_div_u', 'div_u'], ['i64_rem_u', 'rem_u'], ['i64_bit_or', 'or'], ['i64_bit_and', 'and'],
  ['i64_mul', 'mul'], ['i64_shl', 'shl'], ['i64_shr_s', 'shr_s'], ['i64_shr_u', 'shr_u']]) {
  add(`aot_intrinsic_${c}`, ['u64', 'u64'], 'u64', [op(`i64.${w}`)], 'bits', 'K_UU_U64');
}
for (const f of ['f32', 'f64'] as const) {
  for (const i of ['i32', 'u32', 'i64', 'u64'] as const) {
    const w = `i${i.slice(1)}`;
    const s = i[0] === 'u' ? 'u' : 's';
    add(`aot_intrinsic_${i}_to_${f}`, [i], f, [op(`${f}.convert_${w}_${s}`)]);
    add(`aot_intrinsic_${f}_to_${i}`, [f], i, [op(`${w}.trunc_${f}_${s}`)]);
    add(`xw_intrinsic_${f}_to_${i}_sat`, [f], i, [op(`${w}.trunc_sat_${f}_${s}`)]);
  }
}
add('aot_intrinsic_f32_to_f64', ['f32'], 'f64', [op('f64.promote_f32')], 'arith', 'K_F_D');
add('aot_intrinsic_f64_to_f32', ['f64'], 'f32', [op('f32.demote_f64')], 'arith', 'K_D_F');

// ---- inputs ----

let seed = 0x2545f491;
function rand32(): number {
  // xorshift32: deterministic, so a failure reproduces
  seed ^= seed << 13; seed >>>= 0;
  seed ^= seed >>> 17;
  seed ^= seed << 5; seed >>>= 0;
  return seed;
}
const rand64 = (): bigint => (BigInt(rand32()) << 32n) | BigInt(rand32());
const randBelow = (n: number): number => rand32() % n;
const pick = <T>(xs: readonly T[]): T => xs[randBelow(xs.length)] as T;

const buf = new DataView(new ArrayBuffer(8));
const f32Bits = (x: number): bigint => { buf.setFloat32(0, x, true); return BigInt(buf.getUint32(0, true)); };
const f64Bits = (x: number): bigint => { buf.setFloat64(0, x, true); return buf.getBigUint64(0, true); };

const F32_SPECIAL: bigint[] = [
  0n, 0x80000000n, 0x7f800000n, 0xff800000n, 0x7fc00000n, 0xffc00000n, 0x7fa00000n, 0xffa00001n,
  0x7fc00001n, 0x7fffffffn, 0x7f800001n, 0xff812345n, 1n, 0x80000001n, 0x007fffffn, 0x807fffffn, 0x00800000n,
  0x80800000n, 0x7f7fffffn, 0xff7fffffn, 0x3effffffn, 0x3f000001n, 0x3f7fffffn, 0xbf7fffffn, 0x4affffffn,
  0x4b000001n, 0xcb000001n, 0x4effffffn, 0xcf000001n, 0x4f7fffffn, 0x5effffffn, 0xdf000001n, 0x5f7fffffn,
  ...[1, -1, 0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 3.5, -3.5, 4.5, 5.5, 2 ** 23, 2 ** 24, 2 ** 24 + 2, 2 ** 31, -(2 ** 31),
    2 ** 32, 2 ** 63, -(2 ** 63), 2 ** 64, -(2 ** 64), 1e10, Math.PI, -Math.E, 0.1, 3, 4, 2 ** -126, 2 ** -127, 1 / 3]
    .map(f32Bits),
];
const F64_SPECIAL: bigint[] = [
  0n, 1n << 63n, 0x7ff0000000000000n, 0xfff0000000000000n, 0x7ff8000000000000n, 0xfff8000000000000n,
  0x7ff4000000000000n, 0x7ff0000000000001n, 0xfff8000000000001n, 0x7fffffffffffffffn, 0x7ff8000000012345n,
  1n, 0x8000000000000001n, 0x000fffffffffffffn, 0x0010000000000000n, 0x7fefffffffffffffn, 0xffefffffffffffffn,
  0x3fdfffffffffffffn, 0x3fe0000000000001n, 0x3fefffffffffffffn, 0x432fffffffffffffn, 0x4330000000000001n,
  0x43dfffffffffffffn, 0xc3e0000000000001n, 0x43efffffffffffffn, 0x41dfffffffffffffn, 0xc1e0000000200000n,
  0x41efffffffffffffn, 0x47efffffe0000000n, 0x47efffffefffffffn, 0x47efffffd0000000n, 0x3ff0000010000000n,
  0x3ff0000030000000n, 0x3ff0000010000001n, 0x36a0000000000000n, 0x36a0000000000001n, 0x36b8000000000000n,
  0x380fffffe0000000n, 0x380fffffc0000000n, 0x3690000000000000n,
  ...[1, -1, 0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 3.5, 4.5, 2 ** 52, 2 ** 53, 2 ** 31, -(2 ** 31), 2 ** 31 - 0.5,
    -(2 ** 31) - 0.5, -(2 ** 31) - 1, 2 ** 32, 2 ** 32 - 0.5, 2 ** 32 - 1, -0.9, 2 ** 63, -(2 ** 63), 2 ** 64,
    -(2 ** 64), 3.4028234663852886e38, 2 ** -149, 2 ** -150, 2 ** -126, Math.PI, 1e300, 1e-300, 0.1, 1 / 3]
    .map(f64Bits),
];
const I32_SPECIAL: bigint[] = [0n, 1n, 2n, 3n, 7n, 10n, 0xffffffffn, 0xfffffffen, 0xfffffff9n, 0x80000000n,
  0x7fffffffn, 0x80000001n, 0x7ffffffen, 0x01000000n, 0x01000001n, 0x01000003n, 0x02000001n, 0x7fffffc0n,
  0x7fffffbfn, 0x7fffff80n, 0xffffff80n, 0xffffffc0n, 0x00ffffffn, 0x55555555n, 0xaaaaaaaan, 0x0000ffffn, 0x00010000n];
const I64_SPECIAL: bigint[] = [0n, 1n, 2n, 3n, 7n, 10n, 63n, 64n, 65n, 0xffffffffffffffffn, 0xfffffffffffffffen,
  1n << 63n, (1n << 63n) - 1n, (1n << 63n) + 1n, 1n << 53n, (1n << 53n) + 1n, (1n << 53n) + 3n, (1n << 54n) + 2n,
  (1n << 54n) + 6n, (1n << 24n) + 1n, ((1n << 24n) + 1n) << 39n, (1n << 63n) - 1024n, (1n << 63n) - 512n,
  (1n << 63n) - 513n, (1n << 64n) - 1024n, (1n << 64n) - 1025n, (1n << 64n) - 2048n, 0xffffffffn, 0x100000000n,
  0x7fffffffn, 0x80000000n, 0x7fffff8000000000n, 0x7fffff8000000001n, 0xffffff8000000000n, 0x5555555555555555n,
  0xaaaaaaaaaaaaaaaan, (1n << 64n) - (1n << 53n) - 1n, 0x0000008000008000n];

function randFloatBits(t: 'f32' | 'f64'): bigint {
  // half uniform bit patterns, half magnitudes around 1..2^70 where rounding and range checks happen
  if (rand32() & 1) return t === 'f32' ? BigInt(rand32()) : rand64();
  const sign = BigInt(rand32() & 1);
  if (t === 'f32') return (sign << 31n) | (BigInt(100 + randBelow(90)) << 23n) | BigInt(rand32() & 0x7fffff);
  return (sign << 63n) | (BigInt(990 + randBelow(110)) << 52n) | (rand64() & 0xfffffffffffffn);
}
function randHalfway(t: 'f32' | 'f64'): bigint {
  const k = randBelow(1 << 24) - (1 << 23) + 0.5;
  return t === 'f32' ? f32Bits(k) : f64Bits(k * 2 ** randBelow(30));
}
function randIntBits(t: ValT): bigint {
  const wide = t === 'i64' || t === 'u64';
  const v = wide ? rand64() : BigInt(rand32());
  // random bit length, so small and mid-sized values are common too
  return rand32() & 1 ? v : v >> BigInt(randBelow(wide ? 64 : 32));
}

function values(t: ValT, n: number): bigint[] {
  if (t === 'f32' || t === 'f64') {
    const out = [...(t === 'f32' ? F32_SPECIAL : F64_SPECIAL)];
    for (let i = 0; i < n; i++) out.push(i % 4 === 0 ? randHalfway(t) : randFloatBits(t));
    return out;
  }
  const wide = t === 'i64' || t === 'u64';
  const out = wide ? [...I64_SPECIAL] : [...I32_SPECIAL];
  for (let b = 0; b < (wide ? 64 : 32); b++) out.push(1n << BigInt(b));
  for (let i = 0; i < n; i++) out.push(randIntBits(t));
  return out;
}

/** A float pair with close exponents and random signs: cancellation and alignment shifts. */
function nearPair(t: 'f32' | 'f64'): [bigint, bigint] {
  const [ebits, fbits] = t === 'f32' ? [8n, 23n] : [11n, 52n];
  const emax = (1 << Number(ebits)) - 2;
  const ea = 1 + randBelow(emax);
  const eb = Math.max(0, ea - randBelow(Number(fbits) + 4));
  const frac = (): bigint => (t === 'f32' ? BigInt(rand32()) : rand64()) & ((1n << fbits) - 1n);
  const make = (e: number): bigint => (BigInt(rand32() & 1) << (ebits + fbits)) | (BigInt(e) << fbits) | frac();
  const pair: [bigint, bigint] = [make(ea), make(eb)];
  return rand32() & 1 ? pair : [pair[1], pair[0]];
}

/**
 * Opposite signs, the larger just above a power of two and the smaller 20..fbits+3
 * binades below: the difference loses its leading bit, so the rounding bit comes from
 * the smaller operand's shifted-out bits (where libgcc's __aeabi_dadd goes wrong).
 */
function cancelPair(t: 'f32' | 'f64'): [bigint, bigint] {
  const [ebits, fbits] = t === 'f32' ? [8n, 23n] : [11n, 52n];
  const ea = 60 + randBelow((1 << Number(ebits)) - 120);
  const eb = ea - (t === 'f32' ? 10 + randBelow(17) : 20 + randBelow(36));
  const small = BigInt(rand32() & 0xff);
  const frac = (t === 'f32' ? BigInt(rand32()) : rand64()) & ((1n << fbits) - 1n);
  const sa = BigInt(rand32() & 1);
  const a = (sa << (ebits + fbits)) | (BigInt(ea) << fbits) | small;
  const b = ((sa ^ 1n) << (ebits + fbits)) | (BigInt(eb) << fbits) | (rand32() & 1 ? frac : (1n << fbits) - 1n - small);
  return rand32() & 1 ? [a, b] : [b, a];
}

/** Operand counts: `single` random values for a one-operand function; for two operands all pairs of the
    specials, `random` random pairs and, for floats, `near` near-exponent and cancellation pairs. */
export interface Sizes { readonly single: number; readonly random: number; readonly near: number }
export const TEST_SIZES: Sizes = { single: 8000, random: 4000, near: 4000 };

/** Restarts the deterministic generator (each long run's operation starts from its own seed). */
export function reseed(s: number): void {
  seed = s >>> 0 || 1;
}

export function argTuples(params: readonly ValT[], sizes: Sizes = TEST_SIZES): bigint[][] {
  if (params.length === 1) return values(params[0] as ValT, sizes.single).map((v) => [v]);
  const [ta, tb] = params as [ValT, ValT];
  const sa = values(ta, 0), sb = values(tb, 0);
  const out: bigint[][] = [];
  for (const a of sa) for (const b of sb) out.push([a, b]);
  for (let i = 0; i < sizes.random; i++) {
    const a = i % 3 === 0 ? pick(sa) : values(ta, 1).at(-1) as bigint;
    const b = i % 3 === 1 ? pick(sb) : values(tb, 1).at(-1) as bigint;
    out.push([a, b]);
  }
  if ((ta === 'f32' || ta === 'f64') && ta === tb) for (let i = 0; i < sizes.near; i++) out.push(i & 1 ? nearPair(ta) : cancelPair(ta));
  return out;
}

// ---- evaluation in V8 ----

const wasmType = (t: ValT): string => (t === 'f32' || t === 'i32' || t === 'u32' ? 'i32' : 'i64');
function operand(t: ValT, i: number): string {
  if (t === 'f32') return `(f32.reinterpret_i32 (local.get ${i}))`;
  if (t === 'f64') return `(f64.reinterpret_i64 (local.get ${i}))`;
  return `(local.get ${i})`;
}
function resultBits(t: ValT, e: string): string {
  if (t === 'f32') return `(i32.reinterpret_f32 ${e})`;
  if (t === 'f64') return `(i64.reinterpret_f64 ${e})`;
  return e;
}

const isF32Nan = (b: bigint): boolean => (b & 0x7fffffffn) > 0x7f800000n;
const isF64Nan = (b: bigint): boolean => (b & 0x7fffffffffffffffn) > 0x7ff0000000000000n;
const isNan = (t: ValT, b: bigint): boolean => (t === 'f32' ? isF32Nan(b) : t === 'f64' ? isF64Nan(b) : false);
const isCanonical = (t: ValT, b: bigint): boolean =>
  t === 'f32' ? (b & 0x7fffffffn) === 0x7fc00000n : (b & 0x7fffffffffffffffn) === 0x7ff8000000000000n;
const isArithmetic = (t: ValT, b: bigint): boolean =>
  t === 'f32' ? (b & 0x7fc00000n) === 0x7fc00000n : (b & 0x7ff8000000000000n) === 0x7ff8000000000000n;

function trapCode(message: string, spec: FnSpec, args: readonly bigint[]): number {
  if (message === 'float unrepresentable in integer range') return isNan(spec.params[0] as ValT, args[0] as bigint) ? 9 : 8;
  if (message === 'divide by zero' || message === 'remainder by zero') return 7;
  if (message === 'divide result unrepresentable') return 8;
  throw new Error(`unexpected V8 trap "${message}" in ${spec.c}`);
}

export type Exports = Record<string, (...a: (number | bigint)[]) => number | bigint>;

/** Assembles and instantiates the Wasm twin of every function in `dir`. */
export function compileOps(dir: string): Exports {
  const funcs: string[] = [];
  SPECS.forEach((s, si) => s.variants.forEach((v, vi) => {
    const params = s.params.map((p) => `(param ${wasmType(p)})`).join(' ');
    const body = resultBits(s.result, v.expr(s.params.map(operand)));
    funcs.push(`(func (export "f${si}_${vi}") ${params} (result ${wasmType(s.result)}) ${body})`);
  }));
  const wat = join(dir, 'ops.wat'), wasm = join(dir, 'ops.wasm');
  writeFileSync(wat, `(module\n${funcs.join('\n')}\n)\n`);
  execFileSync('wat2wasm', [wat, '-o', wasm]);
  return new V8.Instance(new V8.Module(readFileSync(wasm))).exports as Exports;
}

/** Driver lines for spec `si` and variant `vi` over `tuples`; V8 results that break the NaN rule go to `v8Violations`. */
export function vectorLines(exports: Exports, si: number, vi: number, tuples: readonly bigint[][], v8Violations: string[]): string[] {
  const s = SPECS[si] as FnSpec;
  const v = s.variants[vi] as Variant;
  const fn = exports[`f${si}_${vi}`];
  assert.ok(fn !== undefined);
  const hex = (b: bigint): string => b.toString(16);
  const lines: string[] = [];
  for (const args of tuples) {
    const jsArgs = args.map((a, i) => (wasmType(s.params[i] as ValT) === 'i32' ? Number(a) : a));
    let expect: string;
    try {
      const r = fn(...jsArgs);
      const bits = typeof r === 'bigint' ? BigInt.asUintN(64, r) : BigInt((r as number) >>> 0);
      if (isNan(s.result, bits) && s.nan === 'arith') {
        const canonical = args.every((a, i) => !isNan(s.params[i] as ValT, a) || isCanonical(s.params[i] as ValT, a));
        expect = canonical ? 'C' : 'A';
        if (!(canonical ? isCanonical(s.result, bits) : isArithmetic(s.result, bits))) {
          v8Violations.push(`${s.c}(${args.map(hex).join(', ')}) = ${hex(bits)}`);
        }
      } else {
        expect = `=${hex(bits)}`;
      }
    } catch (e) {
      if (!(e instanceof RuntimeError)) throw e;
      expect = `T${trapCode(e.message, s, args)}`;
    }
    const cargs = v.cond === undefined ? [...args] : [BigInt(v.cond), ...args];
    while (cargs.length < 3) cargs.push(0n);
    lines.push(`${si} ${cargs.map(hex).join(' ')} ${expect}`);
  }
  return lines;
}

export interface Generated { vectors: string; counts: Map<string, number>; v8Violations: string[] }

/** The bounded vector set of the test suite. */
export function generate(dir: string): Generated {
  const exports = compileOps(dir);
  const lines: string[] = [];
  const counts = new Map<string, number>();
  const v8Violations: string[] = [];
  SPECS.forEach((s, si) => {
    const tuples = argTuples(s.params);
    s.variants.forEach((_, vi) => {
      for (const l of vectorLines(exports, si, vi, tuples, v8Violations)) lines.push(l);
      counts.set(s.c, (counts.get(s.c) ?? 0) + tuples.length);
    });
  });
  return { vectors: lines.join('\n') + '\n', counts, v8Violations };
}

/** The driver's function table: FN(name, kind) per spec, in SPECS order. */
export function fnTable(): string {
  return SPECS.map((s) => `FN(${s.c}, ${s.kind})\n`).join('');
}

// ---- the driver on the boards ----

const ROOT = new URL('../../../', import.meta.url).pathname;
export const SRC_DIR = join(ROOT, 'runtime/src');
export const SOURCES = ['intrinsics_float.c', 'intrinsics_int.c', 'intrinsics_conv.c'].map((f) => join(SRC_DIR, f));
export const DRIVER = join(ROOT, 'runtime/test/intrinsics/driver.c');

/*
 * The M3 and M0 builds exercise libgcc's soft-float (two different implementations), the assembly
 * routines and AAPCS soft-float argument passing, the M55 build the FPU and the hard-float ABI; the
 * micro:bit runs the M0 build on a real v6-M core with 16 KiB of RAM, and riscv32-virt the RV32
 * (ilp32) build: RISC-V libgcc's soft-fp, the RV32 assembly and the ilp32 argument passing; riscv32-virt-f
 * the ilp32f build: F in hardware, f32 in F registers, f64 through libgcc. The
 * driver reads the vector file through semihosting: newlib's rdimon on Arm (a two-word vector table
 * at 0, plus enabling CP10/CP11 with an FPU, is all the startup it needs on top of rdimon's crt0;
 * the micro:bit also copies .data from flash), picolibc's semihost crt0 and stdio on RISC-V.
 */
export interface DriverBoard {
  readonly name: string;
  /** The long run's --board name. */
  readonly tag: string;
  readonly arch: 'arm' | 'riscv';
  readonly machine: string;
  readonly qemuOptions: readonly string[];
  /** Initial sp (Arm: the vector table's first word). */
  readonly sp: number;
  readonly fpu: boolean;
  readonly flags: readonly string[];
  /** Flash and RAM when text must stay out of RAM (the micro:bit's 256 KiB / 16 KiB): a linker script of its own. */
  readonly memory?: { readonly flash: number; readonly flashSize: number; readonly ram: number; readonly ramSize: number };
}

const RV32 = RUN_BOARDS['riscv32-virt'];
const RV32F = RUN_BOARDS['riscv32-virt-f'];
export const BOARDS: readonly DriverBoard[] = [
  { name: 'Cortex-M3, soft-float (mps2-an385)', tag: 'm3', arch: 'arm', machine: 'mps2-an385', qemuOptions: [], sp: 0x20400000,
    fpu: false, flags: ['-mcpu=cortex-m3', '-mthumb', '-mfloat-abi=soft'] },
  { name: 'Cortex-M0 code, soft-float (mps2-an385)', tag: 'm0', arch: 'arm', machine: 'mps2-an385', qemuOptions: [], sp: 0x20400000,
    fpu: false, flags: ['-mcpu=cortex-m0', '-mthumb', '-mfloat-abi=soft'] },
  { name: 'Cortex-M55, FPU and hard-float ABI (mps3-an547)', tag: 'm55', arch: 'arm', machine: 'mps3-an547', qemuOptions: [],
    sp: 0x20080000, fpu: true, flags: ['-mcpu=cortex-m55', '-mthumb', '-mfloat-abi=hard', '-mfpu=auto'] },
  { name: 'Cortex-M0, soft-float (microbit)', tag: 'microbit', arch: 'arm', machine: 'microbit', qemuOptions: [], sp: 0x20004000,
    fpu: false, flags: RUN_BOARDS.microbit.gccFlags, memory: { flash: 0, flashSize: 0x40000, ram: 0x20000000, ramSize: 0x4000 } },
  { name: 'RV32IMAC, ilp32 (riscv32-virt)', tag: 'rv32', arch: 'riscv', machine: RV32.qemuMachine, qemuOptions: RV32.qemuOptions,
    sp: 0x81100000, fpu: false, flags: RV32.gccFlags },
  { name: 'RV32IMAFC, F and ilp32f (riscv32-virt-f)', tag: 'rv32f', arch: 'riscv', machine: RV32F.qemuMachine,
    qemuOptions: RV32F.qemuOptions, sp: 0x81100000, fpu: true, flags: RV32F.gccFlags },
];

const ENABLE_FPU = `  *(volatile uint32_t *)0xE000ED88u |= 0xFu << 20; /* CPACR: CP10/CP11 full access */
  __asm__ volatile("dsb\\n\\tisb");
`;

/* The micro:bit's flash ignores stores: .data is linked to RAM and loaded in flash, and copied by reset. */
const COPY_DATA = `  extern uint32_t __data_start[], __data_end[], __data_load[];
  for (uint32_t *d = __data_start, *s = __data_load; d < __data_end; ) *d++ = *s++;
`;

function smallBoardScript(m: NonNullable<DriverBoard['memory']>): string {
  return `MEMORY { FLASH (rx) : ORIGIN = 0x${m.flash.toString(16)}, LENGTH = 0x${m.flashSize.toString(16)}
         RAM (rwx) : ORIGIN = 0x${m.ram.toString(16)}, LENGTH = 0x${m.ramSize.toString(16)} }
ENTRY(_start)
SECTIONS {
  .text : { KEEP(*(.vectors)) *(.text .text.*) *(.rodata .rodata.*)
    KEEP(*(.init)) KEEP(*(.fini)) . = ALIGN(4);
    __preinit_array_start = .; KEEP(*(.preinit_array)) __preinit_array_end = .;
    __init_array_start = .; KEEP(*(SORT(.init_array.*))) KEEP(*(.init_array)) __init_array_end = .;
    __fini_array_start = .; KEEP(*(.fini_array)) __fini_array_end = .; } > FLASH
  .ARM.exidx : { *(.ARM.exidx* .gnu.linkonce.armexidx.*) } > FLASH
  .data : { . = ALIGN(4); __data_start = .; *(.data .data.*) . = ALIGN(4); __data_end = .; } > RAM AT > FLASH
  __data_load = LOADADDR(.data);
  .bss (NOLOAD) : { . = ALIGN(4); __bss_start__ = .; *(.bss .bss.* COMMON) . = ALIGN(4); __bss_end__ = .; } > RAM
  end = .; __end__ = .;
  __stack = ORIGIN(RAM) + LENGTH(RAM);
  __HeapLimit = __stack - 0x800;
}
`;
}

/** Builds the driver for `board` with `dir`'s fn_table.inc; returns the ELF's path. */
export function buildBoardDriver(dir: string, board: DriverBoard): string {
  const elf = join(dir, `driver-${board.tag}.elf`);
  const warn = ['-std=c99', '-ffp-contract=off', '-Wall', '-Wextra', '-Werror', '-Os', '-I', SRC_DIR, '-I', dir];
  if (board.arch === 'riscv') {
    // picolibc's default linker script, placed in the virt machine's DRAM; crt0-semihost passes the command line
    execFileSync('riscv64-unknown-elf-gcc', [...board.flags, '--specs=picolibc.specs', '--oslib=semihost', '--crt0=semihost',
      ...warn, DRIVER, ...SOURCES, '-Wl,--defsym=__flash=0x80000000,--defsym=__flash_size=0x100000,' +
      `--defsym=__ram=0x80100000,--defsym=__ram_size=0x${(board.sp - 0x80100000).toString(16)}`, '-o', elf]);
    return elf;
  }
  const vt = join(dir, `vectors0-${board.tag}.c`);
  writeFileSync(vt, `#include <stdint.h>
extern void _start(void);
static void reset(void)
{
${board.fpu ? ENABLE_FPU : ''}${board.memory !== undefined ? COPY_DATA : ''}  _start();
}
/* initial sp: top of the board's SRAM; reset: rdimon's crt0 */
__attribute__((section(".vectors"), used)) const uintptr_t xw_vectors[2] = { 0x${board.sp.toString(16)}u, (uintptr_t)reset };
`);
  const layout = board.memory === undefined ? ['-Wl,--section-start=.vectors=0'] : (() => {
    const ld = join(dir, `driver-${board.tag}.ld`);
    writeFileSync(ld, smallBoardScript(board.memory));
    // 16 KiB of RAM: the driver's stdio buffer shrinks
    return [`-T${ld}`, '-DXW_DRIVER_INBUF=1024'];
  })();
  execFileSync('arm-none-eabi-gcc', [...warn, ...board.flags, '--specs=rdimon.specs', vt, DRIVER, ...SOURCES, ...layout, '-o', elf]);
  return elf;
}

/** Runs the driver over a vector file under QEMU: its output (stdout and stderr) and exit status. */
export function runBoardDriver(board: DriverBoard, elf: string, vectors: string): { output: string; status: number | null } {
  const qemu = board.arch === 'riscv' ? 'qemu-system-riscv32' : 'qemu-system-arm';
  const run = spawnSync(qemu, ['-M', board.machine, ...board.qemuOptions, '-nographic', '-monitor', 'none', '-serial', 'none',
    '-semihosting-config', `enable=on,target=native,arg=driver,arg=${vectors}`, '-kernel', elf],
  { encoding: 'utf8', maxBuffer: 64 << 20, timeout: 1_800_000, stdio: ['ignore', 'pipe', 'pipe'] });
  return { output: run.stdout + run.stderr, status: run.status };
}

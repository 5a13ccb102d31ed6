/**
 * Running Wasm calls on an emulated board and in V8 (Node's WebAssembly) and comparing the outcomes:
 * shared by the code-generator regression tests.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { compileModule } from '../../../src/compile.js';
import { UnsupportedError } from '../../../src/errors.js';
import { BOARDS, type BoardName } from '../../../src/run/boards.js';
import { decodeModule } from '../../../src/wasm/decode.js';
import { memoryMinBytes } from '../../../src/wasm/types.js';
import { runBatch } from '../../../src/run/qemu.js';
import type { BatchRequest, WasmValue } from '../../../src/run/protocol.js';

function have(cmd: string, arg = '--version'): boolean {
  try {
    execFileSync(cmd, [arg], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const missing = ['qemu-system-arm', 'arm-none-eabi-gcc', 'wat2wasm'].filter((c) => !have(c));
/** The `skip` option of a test that needs the boards and wat2wasm. */
export const skipBoards: string | false = missing.length > 0 ? `needs ${missing.join(', ')}` : false;

export function assemble(wat: string): Uint8Array {
  return new Uint8Array(execFileSync('wat2wasm', ['-', '--output=-'], { input: wat, maxBuffer: 1 << 28 }));
}

export interface Call { readonly name: string; readonly args: readonly WasmValue[] }
export type Outcome = { values: unknown[] } | { trap: true };

export const i32 = (v: number): WasmValue => ({ type: 'i32', bits: BigInt(v >>> 0) });
export const i64 = (v: bigint): WasmValue => ({ type: 'i64', bits: BigInt.asUintN(64, v) });
export const f64 = (v: number): WasmValue => ({ type: 'f64', bits: new BigUint64Array(new Float64Array([v]).buffer)[0]! });
export const f32 = (v: number): WasmValue => ({ type: 'f32', bits: BigInt(new Uint32Array(new Float32Array([v]).buffer)[0]!) });

/** A board value (bits) as the JS value V8 gives for it. */
export function toJs(v: WasmValue): number | bigint {
  switch (v.type) {
    case 'i32': return Number(BigInt.asIntN(32, v.bits));
    case 'f32': return new Float32Array(new Uint32Array([Number(v.bits)]).buffer)[0]!;
    case 'f64': return new Float64Array(new BigUint64Array([v.bits]).buffer)[0]!;
    default: return BigInt.asIntN(64, v.bits);
  }
}

/** Runs the calls in V8 on one instance, in order. */
export function reference(wasm: Uint8Array, calls: readonly Call[]): Outcome[] {
  const WA = (globalThis as unknown as {
    WebAssembly: { Instance: new (m: unknown, i: object) => { exports: Record<string, unknown> }; Module: new (b: Uint8Array) => unknown };
  }).WebAssembly;
  const inst = new WA.Instance(new WA.Module(wasm), {});
  return calls.map((c) => {
    try {
      const f = inst.exports[c.name] as (...a: unknown[]) => unknown;
      const r = f(...c.args.map(toJs));
      return { values: r === undefined ? [] : Array.isArray(r) ? r : [r] };
    } catch {
      return { trap: true };
    }
  });
}

export const show = (x: unknown): string => JSON.stringify(x, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));

/** Runs the calls on the board, on one instance of `image`, and asserts each outcome equals V8's. */
export async function agreeOnBoard(board: BoardName, image: Uint8Array, calls: readonly Call[], expected: readonly Outcome[],
  what = ''): Promise<void> {
  const reqs: BatchRequest[] = [{ kind: 'module', image }];
  for (const call of calls) reqs.push({ kind: 'invoke', module: 0, name: call.name, args: call.args });
  const out = await runBatch(board, reqs, { timeoutMs: 120_000 });
  assert.equal(out.results[0]!.kind, 'ok', JSON.stringify(out.results[0]));
  calls.forEach((call, i) => {
    const got = out.results[i + 1]!;
    const want = expected[i]!;
    const where = `${what}${call.name}(${call.args.map((a) => toJs(a).toString()).join(', ')})`;
    if ('trap' in want) {
      assert.equal(got.kind, 'trap', `${where}: expected a trap, got ${show(got)}`);
    } else {
      assert.equal(got.kind, 'values', `${where}: ${show(got)}`);
      if (got.kind === 'values') assert.deepEqual(got.values.map(toJs), want.values, where);
    }
  });
}

/** Compiles for the board (zero relocations) at `optLevel`. */
/**
 * Why a module cannot run on `board`, for the two reasons docs/thumb1.md lists, or undefined: its memory does not
 * fit the board's arena (the micro:bit's 8 KiB), or it uses what the IR does not take yet on ARMv6-M, which has no
 * second code generator (multi-value results, more than 64 locals, reference and table operators).
 */
export function outOfScope(wasm: Uint8Array, board: BoardName): string | undefined {
  const spec = BOARDS[board];
  const mem = decodeModule(wasm).memories[0];
  if (mem !== undefined && memoryMinBytes(mem) > spec.arenaSize / 2) return `a ${memoryMinBytes(mem)}-byte memory on ${board}`;
  if (spec.target !== 'thumbv6m') return undefined;
  try {
    compileModule(wasm, { target: spec.target, cpu: spec.cpu, xip: true });
  } catch (e) {
    if (e instanceof UnsupportedError && THUMB1_GAPS.test(e.message)) return e.message;
    throw e;
  }
  return undefined;
}

/** What the IR builder does not take yet on ARMv6-M (NotInTier reasons, an UnsupportedError there). */
export const THUMB1_GAPS = /multi-value|more than 64 locals|reference values|table\.|ref\.|elem\.drop|call_indirect/;

export function compileFor(wasm: Uint8Array, target: string, cpu: string, optLevel?: number): Uint8Array {
  const { image, relocations } = compileModule(wasm, { target, cpu, xip: true, optLevel });
  assert.equal(relocations, 0);
  return image;
}

/**
 * Differential testing, compiler + board vs V8: each module runs the same planned calls, in the same order, on
 * one V8 instance and on one board instance; results are compared bit for bit (NaN against NaN, whatever the
 * payload), traps by category, and the spectest prints each call makes one by one.
 *
 * A batch holds several modules. A tiny marker module calls spectest.print (no arguments; the ttf modules only
 * use the typed prints) before every call, so the board's print stream splits into one segment per call.
 */
import { compileModule } from '../../src/compile.js';
import { assertNever } from '../../src/errors.js';
import { parseModule } from '../../src/wasm/index.js';
import type { Module } from '../../src/wasm/types.js';
import type { BoardName } from '../../src/run/boards.js';
import { boardSpec } from '../../src/run/boards.js';
import type { BatchRequest, BatchResult, WasmValue } from '../../src/run/protocol.js';
import { FW_ERR_ARENA, parseValue } from '../../src/run/protocol.js';
import { runBatch } from '../../src/run/qemu.js';
import type { CallOutcome, NanRule, PlannedCall, PrintRecord, ReferenceRun } from './v8run.js';
import { planCalls, runReference, specTrapCategories } from './v8run.js';

export interface PreparedModule {
  /** calls do not depend on each other: compare all of them, not only up to the first mismatch */
  readonly stateless?: boolean;
  readonly seed: number;
  readonly bytes: Uint8Array;
  readonly module: Module;
  readonly calls: readonly PlannedCall[];
  readonly reference: ReferenceRun;
}

export type MismatchKind = 'value' | 'trap' | 'print' | 'instantiate' | 'fault' | 'timeout' | 'board-error';

export interface Mismatch {
  readonly seed: number;
  readonly board: BoardName;
  readonly kind: MismatchKind;
  /** index into the module's planned calls (-1: instantiation) */
  readonly call: number;
  readonly name: string;
  readonly args: readonly WasmValue[];
  readonly expected: string;
  readonly actual: string;
}

export interface BoardRunStats {
  compiled: number;
  readonly compileErrors: Map<string, number>;
  /** seeds whose compile failed, by message */
  readonly compileErrorSeeds: Map<string, number[]>;
  invocations: number;
  /** board ran out of stack where V8 did not: allowed (the board's stack is smaller), not compared further */
  stackLimited: number;
  /** modules the runtime refused for a configured limit (XW_MAX_*) V8 does not have, or whose instance does not fit
      a small board's arena even alone: not compared */
  readonly limited: string[];
  readonly mismatches: Mismatch[];
}

export function newStats(): BoardRunStats {
  return { compiled: 0, compileErrors: new Map(), compileErrorSeeds: new Map(), invocations: 0, stackLimited: 0, limited: [], mismatches: [] };
}

/** Parses, checks with V8, plans and runs the reference; a string says why the module is unusable. */
export function prepare(seed: number, bytes: Uint8Array, planned?: readonly PlannedCall[], stateless = false): PreparedModule | string {
  let module: Module;
  try {
    module = parseModule(bytes);
  } catch (e) {
    return `parseModule: ${e instanceof Error ? e.message : String(e)}`;
  }
  const WA = (globalThis as unknown as { WebAssembly: { validate(b: Uint8Array): boolean } }).WebAssembly;
  if (!WA.validate(bytes)) return 'V8 rejects the module';
  const calls = planned ?? planCalls(module, seed);
  return { seed, bytes, module, calls, stateless, reference: runReference(bytes, calls) };
}

export function normalizeMessage(m: string): string {
  return m.replace(/0x[0-9a-f]+/gi, 'N').replace(/\d+/g, 'N').slice(0, 160);
}

/** Compiler settings that select other code paths: every operator through the runtime's intrinsics
    (`enableBuiltinIntrinsics: 'all'`), calls through the function table (`enableIndirectMode`). */
export interface CompileVariant {
  readonly enableBuiltinIntrinsics?: string;
  readonly enableIndirectMode?: boolean;
  /** 0: the pipeline's fast configuration (no IR passes, the allocator's fast mode); default 2 */
  readonly optLevel?: number;
}

/** Compiles for the board's CPU; the error message on failure. */
export function compileFor(board: BoardName, bytes: Uint8Array, variant: CompileVariant = {}): Uint8Array | string {
  try {
    const spec = boardSpec(board);
    // the board's target, as src/cli/run.ts does: cortex-m55 alone resolves to thumbv8.1m.main, which the AOT
    // writer has no code for
    const hard = spec.floatAbi === 'hard';
    const targetAbi = spec.arch === 'riscv' ? (hard ? 'ilp32f' : 'ilp32') : hard ? 'eabihf' : 'eabi';
    return compileModule(bytes, { target: spec.target, cpu: spec.cpu, targetAbi, xip: true, ...variant }).image;
  } catch (e) {
    const name = e instanceof Error ? e.constructor.name : 'throw';
    return `${name}: ${e instanceof Error ? e.message : String(e)}`;
  }
}

/** (module (import "spectest" "print" (func)) (func (export "m") call 0)) */
export const MARKER_WASM = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
  0x02, 0x12, 0x01, 0x08, ...new TextEncoder().encode('spectest'), 0x05, ...new TextEncoder().encode('print'), 0x00, 0x00,
  0x03, 0x02, 0x01, 0x00,
  0x07, 0x05, 0x01, 0x01, 0x6d, 0x00, 0x01,
  0x0a, 0x06, 0x01, 0x04, 0x00, 0x10, 0x00, 0x0b,
]);

function isNaNBits(v: WasmValue): boolean {
  if (v.type === 'f32') return (v.bits & 0x7f800000n) === 0x7f800000n && (v.bits & 0x7fffffn) !== 0n;
  if (v.type === 'f64') return (v.bits & 0x7ff0000000000000n) === 0x7ff0000000000000n && (v.bits & 0xfffffffffffffn) !== 0n;
  return false;
}

function width(v: WasmValue): number {
  return v.type === 'i64' || v.type === 'f64' ? 64 : 32;
}

export function sameValue(a: WasmValue, b: WasmValue): boolean {
  if (a.type !== b.type) return false;
  if (isNaNBits(a) || isNaNBits(b)) return isNaNBits(a) && isNaNBits(b);
  return BigInt.asUintN(width(a), a.bits) === BigInt.asUintN(width(b), b.bits);
}

export function showValue(v: WasmValue): string {
  const bits = BigInt.asUintN(width(v), v.bits);
  const hex = `0x${bits.toString(16)}`;
  switch (v.type) {
    case 'i32': return `i32:${hex} (${BigInt.asIntN(32, bits)})`;
    case 'i64': return `i64:${hex} (${BigInt.asIntN(64, bits)})`;
    case 'f32': {
      const d = new DataView(new ArrayBuffer(4));
      d.setUint32(0, Number(bits), true);
      return `f32:${hex} (${d.getFloat32(0, true)})`;
    }
    case 'f64': {
      const d = new DataView(new ArrayBuffer(8));
      d.setBigUint64(0, bits, true);
      return `f64:${hex} (${d.getFloat64(0, true)})`;
    }
    case 'funcref': case 'externref': return `${v.type}:${hex}`;
    default: return assertNever(v.type);
  }
}

export function describeMismatch(m: Mismatch): string {
  return [
    `seed ${m.seed} on ${m.board}: ${m.kind} mismatch at call #${m.call} ${m.name}(${m.args.map(showValue).join(', ')})`,
    `  V8:    ${m.expected}`,
    `  board: ${m.actual}`,
  ].join('\n');
}

function showOutcome(o: CallOutcome): string {
  return o.kind === 'values' ? `[${o.values.map(showValue).join(', ')}]` : `trap ${o.category} (${o.message})`;
}

function showResult(r: BatchResult): string {
  switch (r.kind) {
    case 'values': return `[${r.values.map(showValue).join(', ')}]`;
    case 'trap': return `trap (${r.message})`;
    case 'error': return `error ${r.code} (${r.message})`;
    case 'fault': return `hardware fault: ${r.fault.line}`;
    case 'ok': case 'crc': case 'no-fault': case 'timeout': case 'not-run': return r.kind;
    default: return assertNever(r);
  }
}

function showPrints(p: readonly PrintRecord[]): string {
  return p.map((r) => `${r.name}(${r.values.map(showValue).join(', ')})`).join(' ') || '(no prints)';
}

function samePrints(a: readonly PrintRecord[], b: readonly PrintRecord[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x === undefined || y === undefined || x.name !== y.name || x.values.length !== y.values.length ||
      !x.values.every((v, k) => sameValue(v, y.values[k] as WasmValue))) return i;
  }
  return -1;
}

function parsePrint(line: string): PrintRecord {
  const f = line.split(' ');
  return { name: f[0] ?? '', values: f.slice(1).filter((s) => s !== '').map(parseValue) };
}

/** `got` against V8's `ref`, both a float's bits carried in an integer, under a NaN rule. */
export function sameUnderNanRule(ref: WasmValue, got: WasmValue, nan: NanRule): boolean {
  const asFloat = (v: WasmValue): WasmValue => ({ type: nan.float, bits: v.bits });
  if (nan.rule === 'exact' || !isNaNBits(asFloat(ref))) return sameValue(ref, got);
  if (!isNaNBits(asFloat(got))) return false;
  const quiet = nan.float === 'f32' ? 0x400000n : 0x8000000000000n;
  const payload = nan.float === 'f32' ? 0x7fffffn : 0xfffffffffffffn;
  const p = got.bits & payload;
  return nan.rule === 'canonical' ? p === quiet : (p & quiet) !== 0n;
}

/** Compares one call; undefined when they agree, 'stack' when only the board ran out of stack. */
function compareCall(ref: CallOutcome, got: BatchResult, nan: NanRule | undefined): MismatchKind | 'stack' | undefined {
  switch (got.kind) {
    case 'values':
      if (ref.kind !== 'values') return 'trap';
      if (nan !== undefined && ref.values.length === 1 && got.values.length === 1) {
        return sameUnderNanRule(ref.values[0] as WasmValue, got.values[0] as WasmValue, nan) ? undefined : 'value';
      }
      return ref.values.length === got.values.length && ref.values.every((v, i) => sameValue(v, got.values[i] as WasmValue)) ? undefined : 'value';
    case 'trap': {
      const cats = specTrapCategories(got.message);
      if (ref.kind === 'trap') return cats.includes(ref.category) ? undefined : 'trap';
      return cats.includes('stack') ? 'stack' : 'trap';
    }
    case 'fault': return 'fault';
    case 'timeout': return 'timeout';
    case 'ok': case 'error': case 'crc': case 'no-fault': case 'not-run': return 'board-error';
    default: return assertNever(got);
  }
}

export interface BoardModule {
  readonly prepared: PreparedModule;
  readonly image: Uint8Array;
  /** index of prepared.calls[0] in the whole module's calls (a slice of a stateless module) */
  readonly callOffset?: number;
}

export interface BatchRunOptions {
  readonly timeoutMs?: number;
  /** modules per QEMU launch */
  readonly perBatch?: number;
  /** progress lines */
  readonly log?: (line: string) => void;
  /** how the marker module is compiled (the same as the modules) */
  readonly variant?: CompileVariant;
}

/** The runtime numbers signatures of at most 9 values without storage, and keeps the longer ones in the
    context (XW_CONTEXT_BIG_TYPES in runtime/include/xipwasm.h): a batch stops before its modules' distinct long
    signatures would pass that. */
export const SIGNATURE_BUDGET = 8;
/** xw_result XW_ERR_LIMIT (runtime/include/xipwasm.h): a configured capacity is exceeded. */
const XW_ERR_LIMIT = 23;

function signatureKeys(m: Module): string[] {
  return m.types.filter((t) => t.params.length + t.results.length > 9).map((t) => `${t.params.join(',')}>${t.results.join(',')}`);
}

/** Calls per QEMU launch: each is two requests and a print line, and the driver collects them in arrays. */
export const CALL_BUDGET = 20_000;

/** Stateless modules with many calls run as several instances of one image, a slice of the calls each. */
function chunked(m: BoardModule): BoardModule[] {
  const p = m.prepared;
  if (p.stateless !== true || p.calls.length <= CALL_BUDGET) return [m];
  const out: BoardModule[] = [];
  for (let at = 0; at < p.calls.length; at += CALL_BUDGET) {
    const end = at + CALL_BUDGET;
    const reference = { ...p.reference, outcomes: p.reference.outcomes.slice(at, end), prints: p.reference.prints.slice(at, end) };
    out.push({ image: m.image, callOffset: at, prepared: { ...p, calls: p.calls.slice(at, end), reference } });
  }
  return out;
}

function takeBatch(queue: readonly BoardModule[], perBatch: number): BoardModule[] {
  const seen = new Set<string>(['>']); // the marker's () -> ()
  const batch: BoardModule[] = [];
  let calls = 0;
  for (const m of queue) {
    if (batch.length === perBatch) break;
    const keys = signatureKeys(m.prepared.module);
    const union = new Set([...seen, ...keys]);
    calls += m.prepared.calls.length;
    if (batch.length > 0 && (union.size > SIGNATURE_BUDGET || calls > CALL_BUDGET)) break;
    batch.push(m);
    for (const k of keys) seen.add(k);
  }
  return batch;
}

/** Runs the modules on the board, several per QEMU launch; a module after a fault or timeout is rerun. */
export async function runOnBoard(board: BoardName, modules: readonly BoardModule[], stats: BoardRunStats,
  opts: BatchRunOptions = {}): Promise<void> {
  const marker = compileFor(board, MARKER_WASM, opts.variant);
  if (typeof marker === 'string') throw new Error(`the marker module does not compile: ${marker}`);
  let queue = modules.flatMap(chunked);
  const reruns = new Map<BoardModule, number>();
  const perBatch = opts.perBatch ?? 6;
  while (queue.length > 0) {
    const batch = takeBatch(queue, perBatch);
    queue = queue.slice(batch.length);
    const requests: BatchRequest[] = [{ kind: 'module', image: marker }];
    const layout: { moduleReq: number; callReqs: number[] }[] = [];
    for (const m of batch) {
      const moduleReq = requests.length;
      requests.push({ kind: 'module', image: m.image });
      const callReqs: number[] = [];
      if (m.prepared.reference.instantiateError === undefined) {
        for (const c of m.prepared.calls) {
          requests.push({ kind: 'invoke', module: 0, name: 'm', args: [], results: 0 });
          callReqs.push(requests.length);
          requests.push({ kind: 'invoke', module: moduleReq, name: c.name, args: c.args, results: c.results.length });
        }
      }
      layout.push({ moduleReq, callReqs });
    }
    const out = await runBatch(board, requests, { timeoutMs: opts.timeoutMs ?? 120_000 });
    // the board's prints, split at the markers: segment k belongs to the k-th call of the batch
    const segments: PrintRecord[][] = [];
    for (const line of out.prints) {
      if (line === 'print') segments.push([]);
      else segments[segments.length - 1]?.push(parsePrint(line));
    }
    let segment = 0;
    let stopped = -1;
    for (let b = 0; b < batch.length; b++) {
      const m = batch[b] as BoardModule;
      const { moduleReq, callReqs } = layout[b] as { moduleReq: number; callReqs: number[] };
      const p = m.prepared;
      const add = (kind: MismatchKind, call: number, expected: string, actual: string): void => {
        const c = p.calls[call];
        stats.mismatches.push({ seed: p.seed, board, kind, call: call < 0 ? call : call + (m.callOffset ?? 0),
          name: c?.name ?? '(instantiate)', args: c?.args ?? [], expected, actual });
      };
      const modRes = out.results[moduleReq] as BatchResult;
      if (modRes.kind === 'not-run') {
        stopped = b;
        break;
      }
      const refErr = p.reference.instantiateError;
      if (modRes.kind === 'error' && modRes.code === FW_ERR_ARENA && refErr === undefined && b > 0) {
        // the instances before it in this launch filled a small board's arena: run it first in the next launch
        stopped = b;
        break;
      }
      if (modRes.kind === 'error' && (modRes.code === XW_ERR_LIMIT || modRes.code === FW_ERR_ARENA) && refErr === undefined) {
        stats.limited.push(`seed ${p.seed}: ${modRes.message}`);
      } else if ((modRes.kind === 'ok') !== (refErr === undefined)) {
        add(modRes.kind === 'fault' ? 'fault' : modRes.kind === 'timeout' ? 'timeout' : 'instantiate', -1,
          refErr ?? 'instantiates', showResult(modRes));
      }
      // without an instance on the board, its calls only say "no such instance"; after a fault or timeout the
      // next module's requests are not-run, which reruns them
      let failed = modRes.kind !== 'ok';
      for (let k = 0; k < callReqs.length; k++) {
        const got = out.results[callReqs[k] as number] as BatchResult;
        const markerRes = out.results[(callReqs[k] as number) - 1] as BatchResult;
        if (markerRes.kind === 'values') segment++;
        if (failed) continue;
        if (got.kind === 'not-run') {
          stopped = b;
          failed = true;
          break;
        }
        const ref = p.reference.outcomes[k] as CallOutcome;
        const verdict = compareCall(ref, got, p.calls[k]?.nan);
        stats.invocations++;
        if (verdict === 'stack') {
          stats.stackLimited++;
          failed = true;
          continue;
        }
        if (verdict !== undefined) {
          add(verdict, k, showOutcome(ref), showResult(got));
          // after a fault or timeout the rest of this module is not-run (or, with the driver's watchdog, ran on)
          failed = p.stateless !== true || verdict === 'fault' || verdict === 'timeout';
          continue;
        }
        const refPrints = p.reference.prints[k] ?? [];
        const gotPrints = segments[segment - 1] ?? [];
        const at = samePrints(refPrints, gotPrints);
        if (at >= 0) {
          add('print', k, `print #${at}: ${showPrints(refPrints)}`, showPrints(gotPrints));
          failed = p.stateless !== true;
        }
      }
      if (stopped >= 0) break;
    }
    if (stopped >= 0 && stopped < batch.length) {
      // modules after a fault or timeout never ran: run them again; one that stops the run twice without a
      // fault or timeout of its own (QEMU died) is reported rather than retried forever
      const first = batch[stopped] as BoardModule;
      const tries = (reruns.get(first) ?? 0) + 1;
      reruns.set(first, tries);
      let rerun = batch.slice(stopped);
      if (tries > 2) {
        stats.mismatches.push({ seed: first.prepared.seed, board, kind: 'board-error', call: -1, name: '(run)', args: [],
          expected: 'a complete run', actual: `QEMU exit ${out.exitCode} signal ${out.signal}: ${out.log.slice(0, 300)}` });
        rerun = rerun.slice(1);
      }
      queue = [...rerun, ...queue];
    }
    opts.log?.(`  batch of ${batch.length} on ${board}: ${out.wallMs.toFixed(0)} ms, ${stats.invocations} invocations so far, ${stats.mismatches.length} mismatches`);
  }
}

/**
 * The batch protocol between the driver and the board firmware (boards/common/main.c; docs/boards.md §4):
 * requests are text lines in a file the firmware reads through semihosting, answers are text lines the
 * firmware writes to QEMU's stderr.
 */
import { assertNever } from '../errors.js';

export type ValueType = 'i32' | 'i64' | 'f32' | 'f64' | 'funcref' | 'externref';

/** A Wasm value as raw bits (floats keep their exact NaN payloads; refs are the runtime's 32-bit handles). */
export interface WasmValue {
  readonly type: ValueType;
  readonly bits: bigint;
}

export type BatchRequest =
  /** Load an AOT image and instantiate it. Its instance is named by this request's index. */
  | {
      readonly kind: 'module';
      readonly image: Uint8Array;
      /** Where to place it in the board's blob region (default: packed by the driver). Identical images
          without an address share one copy: XIP instances of the same code need no second copy. */
      readonly address?: number;
      /** Embedder limit on linear memory pages (default: see defaultMaxPages). */
      readonly maxPages?: number;
      /** The instance's WASI arguments (argv[0] first) and environment (`NAME=value`); default: argv = ["xipwasm"]. */
      readonly wasi?: WasiArgs;
    }
  /** Register the exports of the instance created by request `module` under `name`. */
  | { readonly kind: 'register'; readonly module: number; readonly name: string }
  /** Call an export of the instance created by request `module`. `results`: expected count if known. */
  | {
      readonly kind: 'invoke';
      readonly module: number;
      readonly name: string;
      readonly args: readonly WasmValue[];
      readonly results?: number;
    }
  /** Read an exported global of the instance created by request `module` (answered as `values` with one value).
      The driver registers that instance under a hidden name and instantiates a getter module for it. */
  | { readonly kind: 'global'; readonly module: number; readonly name: string }
  /** Forget every instance and registration and empty the arena (between scripts of one batch). */
  | { readonly kind: 'reset' }
  /** CRC-32 (zlib's) of board memory, computed by the firmware at that point of the run. */
  | { readonly kind: 'crc'; readonly address: number; readonly size: number }
  /** Self-test: store a word at `address` (expected to fault). */
  | { readonly kind: 'write'; readonly address: number }
  /** Self-test: call `address` (0: a `bx lr` the firmware placed in SRAM) (expected to fault). */
  | { readonly kind: 'jump'; readonly address: number };

export interface WasiArgs {
  readonly args: readonly string[];
  readonly env: readonly string[];
}

/** The firmware's request line buffer and field table (boards/common/main.c: req_line, fields). */
const MAX_LINE = 16383;
const MAX_WASI_STRINGS = 129;

export interface FaultReport {
  /** MemManage, BusFault, UsageFault, HardFault, SecureFault, ... */
  readonly kind: string;
  readonly cfsr: number;
  readonly hfsr: number;
  /** MMFAR or BFAR when the CFSR marks it valid. */
  readonly address: number | undefined;
  readonly pc: number;
  readonly lr: number;
  readonly line: string;
  /** Where pc lies when it is inside a loaded image (filled in by the driver). */
  readonly site?: FaultSite;
}

export interface FaultSite {
  /** The first module request that placed that image. */
  readonly request: number;
  readonly imageOffset: number;
  /** Offset in the image's text (for disassembly), when the image is readable. */
  readonly textOffset: number | undefined;
}

/**
 * The Wasm call stack at a trap, innermost first (`B` lines; only code compiled with --enable-dump-call-stack keeps
 * it): the frames the runtime kept, and the full depth, which may be larger.
 */
export interface CallStack {
  readonly depth: number;
  readonly frames: readonly CallStackFrame[];
}

/** A function of the module: its index in the Wasm function index space, and its name if it has one. */
export interface CallStackFrame {
  readonly func: number;
  readonly name: string | undefined;
}

export type BatchResult =
  /** module / register / reset succeeded. */
  | { readonly kind: 'ok' }
  | { readonly kind: 'values'; readonly values: readonly WasmValue[]; readonly instructions?: number }
  | { readonly kind: 'trap'; readonly code: number; readonly message: string; readonly instructions?: number; readonly callStack?: CallStack }
  /** The runtime refused (load, link, instantiate, no export, signature): its xw_result code and message; a start
      function's trap may carry its call stack. */
  | { readonly kind: 'error'; readonly code: number; readonly message: string; readonly callStack?: CallStack }
  | { readonly kind: 'crc'; readonly crc: number }
  /** A self-test request that did not fault. */
  | { readonly kind: 'no-fault'; readonly message: string }
  /** The firmware took a hardware fault during this request; the run ended there. */
  | { readonly kind: 'fault'; readonly fault: FaultReport }
  /** The run timed out during this request, or the invocation outlived the watchdog (the batch went on). */
  | { readonly kind: 'timeout' }
  /** Never executed: an earlier request faulted or timed out, or QEMU failed. */
  | { readonly kind: 'not-run' };

/** xipwasm.h XW_ERR_NO_EXPORT, also used by the driver for a `global` request naming no exported global. */
export const XW_ERR_NO_EXPORT = 30;

/** Firmware error codes outside the runtime's xw_result range (boards/common/main.c). */
export const FW_ERR_PROTOCOL = 100;
export const FW_ERR_ARENA = 101;
export const FW_ERR_RANGE = 102;
/** The invocation outlived RunOptions.invocationTimeoutMs; the driver reports it as a `timeout` result. */
export const FW_ERR_WATCHDOG = 103;

/** %-encodes every byte outside printable ASCII, plus space and '%', so a name is one field. */
export function encodeName(name: string): string {
  // a leading '=' keeps the empty name a non-empty field
  let out = '=';
  for (const b of new TextEncoder().encode(name)) {
    out += b > 0x20 && b < 0x7f && b !== 0x25 ? String.fromCharCode(b) : `%${b.toString(16).padStart(2, '0')}`;
  }
  return out;
}

/** The inverse of encodeName, for bytes: undefined when the field is not `=` + %-encoded text. */
export function decodeName(field: string): Uint8Array | undefined {
  if (!field.startsWith('=')) return undefined;
  const out: number[] = [];
  for (let i = 1; i < field.length; i++) {
    const c = field.charCodeAt(i);
    if (c !== 0x25) {
      out.push(c & 0xff);
      continue;
    }
    const b = parseInt(field.slice(i + 1, i + 3), 16);
    if (!/^[0-9a-f]{2}$/i.test(field.slice(i + 1, i + 3))) return undefined;
    out.push(b);
    i += 2;
  }
  return new Uint8Array(out);
}

export function formatValue(v: WasmValue): string {
  const wide = v.type === 'i64' || v.type === 'f64';
  const bits = BigInt.asUintN(wide ? 64 : 32, v.bits);
  return `${v.type}:0x${bits.toString(16)}`;
}

/** Encodes one request line; `placement` gives the address and size of a module request's image. */
export function encodeRequest(idx: number, r: Exclude<BatchRequest, { kind: 'global' }>, placement: { address: number; size: number } | undefined,
  maxPages: number): string {
  switch (r.kind) {
    case 'module':
      if (placement === undefined) throw new Error('module request without placement');
      return `M ${idx} 0x${placement.address.toString(16)} ${placement.size} ${maxPages}${r.wasi === undefined ? '' : encodeWasi(r.wasi)}`;
    case 'register':
      return `N ${idx} ${r.module} ${encodeName(r.name)}`;
    case 'invoke': {
      const args = r.args.map(formatValue);
      return [`I ${idx} ${r.module} ${encodeName(r.name)} ${r.results ?? '?'}`, ...args].join(' ');
    }
    case 'reset':
      return `Z ${idx}`;
    case 'crc':
      return `C ${idx} 0x${r.address.toString(16)} ${r.size}`;
    case 'write':
      return `W ${idx} 0x${r.address.toString(16)}`;
    case 'jump':
      return `J ${idx} 0x${r.address.toString(16)}`;
    default:
      return assertNever(r);
  }
}

/** The tail of an M request for `w`; RangeError when the firmware cannot take it. */
export function encodeWasi(w: WasiArgs): string {
  const strings = [...w.args, ...w.env];
  if (strings.some((a) => a.includes('\0'))) throw new RangeError('a WASI argument or variable contains a NUL character');
  if (strings.length > MAX_WASI_STRINGS) throw new RangeError(`${strings.length} WASI arguments and variables: the board firmware takes at most ${MAX_WASI_STRINGS}`);
  const text = ` ${w.args.length} ${strings.map(encodeName).join(' ')}`.trimEnd();
  // the rest of the line (M, index, address, size, pages) takes under 48 characters
  if (text.length > MAX_LINE - 48) throw new RangeError(`the WASI arguments and variables take ${text.length} characters encoded: the board firmware takes at most ${MAX_LINE - 48}`);
  return text;
}

const VALUE_TYPES: ReadonlySet<string> = new Set(['i32', 'i64', 'f32', 'f64', 'funcref', 'externref']);

export function parseValue(text: string): WasmValue {
  const colon = text.indexOf(':');
  const type = text.slice(0, colon);
  if (colon < 0 || !VALUE_TYPES.has(type)) throw new Error(`bad value '${text}' from the firmware`);
  return { type: type as ValueType, bits: BigInt(text.slice(colon + 1)) };
}

/** One parsed answer line. */
export type Answer =
  | { readonly kind: 'hello'; readonly board: string }
  | { readonly kind: 'result'; readonly idx: number; readonly result: BatchResult; readonly instanceRam?: number }
  | { readonly kind: 'print'; readonly text: string }
  /** Program output (native libraries' xw_board_write, WASI) for the host's stdout (1) or stderr (2). */
  | { readonly kind: 'output'; readonly fd: number; readonly bytes: Uint8Array }
  | { readonly kind: 'fault'; readonly fault: FaultReport }
  /** One frame of the call stack of request idx's trap (the result line follows). */
  | { readonly kind: 'frame'; readonly idx: number; readonly depth: number; readonly frame: CallStackFrame }
  | { readonly kind: 'done'; readonly count: number };

function rest(line: string, fieldsBefore: number): string {
  let at = 0;
  for (let i = 0; i < fieldsBefore; i++) {
    at = line.indexOf(' ', at);
    if (at < 0) return '';
    at++;
  }
  return line.slice(at);
}

function parseFault(line: string): FaultReport {
  const fields = line.split(' ');
  const kv = new Map<string, string>();
  for (const f of fields.slice(2)) {
    const eq = f.indexOf('=');
    if (eq > 0) kv.set(f.slice(0, eq), f.slice(eq + 1));
  }
  const num = (k: string): number => Number(kv.get(k) ?? 'NaN');
  const addr = kv.get('addr');
  return {
    kind: fields[1] ?? 'unknown',
    cfsr: num('cfsr'),
    hfsr: num('hfsr'),
    address: addr === undefined || addr === '-' ? undefined : Number(addr),
    pc: num('pc'),
    lr: num('lr'),
    line,
  };
}

/** Parses one answer line, or returns undefined for lines that are not part of the protocol (QEMU messages). */
export function parseAnswer(line: string): Answer | undefined {
  const f = line.split(' ');
  const tag = f[0];
  const idx = Number(f[1]);
  switch (tag) {
    case 'H': return { kind: 'hello', board: f[1] ?? '' };
    case 'D': return { kind: 'done', count: idx };
    case 'P': return { kind: 'print', text: line.slice(2) };
    case 'F': return { kind: 'fault', fault: parseFault(line) };
    case 'S': {
      const bytes = decodeName(f[2] ?? '');
      return bytes === undefined || !Number.isInteger(idx) ? undefined : { kind: 'output', fd: idx, bytes };
    }
    default: break;
  }
  if (!Number.isInteger(idx)) return undefined;
  switch (tag) {
    // a module's answer also gives the RAM of its instance (xw_instance_ram_size)
    case 'O': return { kind: 'result', idx, result: { kind: 'ok' }, ...(f[2] !== undefined ? { instanceRam: Number(f[2]) } : {}) };
    case 'R': return { kind: 'result', idx, result: { kind: 'values', values: f.slice(2).map(parseValue) } };
    // The runtime's message starts with "trap: "; the result carries the spec's text alone.
    case 'T': return { kind: 'result', idx, result: { kind: 'trap', code: Number(f[2]), message: rest(line, 3).replace(/^trap: /, '') } };
    case 'E':
      if (Number(f[2]) === FW_ERR_WATCHDOG) return { kind: 'result', idx, result: { kind: 'timeout' } };
      return { kind: 'result', idx, result: { kind: 'error', code: Number(f[2]), message: rest(line, 3) } };
    case 'K': return { kind: 'result', idx, result: { kind: 'crc', crc: Number(f[2]) >>> 0 } };
    case 'B': {
      const name = decodeName(f[4] ?? '');
      const depth = Number(f[2]);
      const func = Number(f[3]);
      if (name === undefined || !Number.isInteger(depth) || !Number.isInteger(func)) return undefined;
      return { kind: 'frame', idx, depth, frame: { func, name: name.length > 0 ? new TextDecoder().decode(name) : undefined } };
    }
    case 'X': return { kind: 'result', idx, result: { kind: 'no-fault', message: rest(line, 2) } };
    default: return undefined;
  }
}

/** Gathers the `B` lines of each request and hands them to its trap (or start-function error) when its result comes. */
export class CallStacks {
  private readonly pending = new Map<number, { depth: number; frames: CallStackFrame[] }>();

  add(a: Extract<Answer, { kind: 'frame' }>): void {
    const p = this.pending.get(a.idx) ?? { depth: a.depth, frames: [] };
    p.frames.push(a.frame);
    this.pending.set(a.idx, p);
  }

  /** The result of request idx, with the call stack its B lines gave. */
  attach(idx: number, r: BatchResult): BatchResult {
    const p = this.pending.get(idx);
    if (p === undefined) return r;
    this.pending.delete(idx);
    return r.kind === 'trap' || r.kind === 'error' ? { ...r, callStack: p } : r;
  }
}

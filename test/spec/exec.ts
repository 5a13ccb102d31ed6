/**
 * Spec-test execution on the emulated boards: every module of a .wast script is compiled for the board's CPU
 * (XIP), all commands of the script run in as few QEMU launches as possible (src/run/qemu.ts runBatchWith), and
 * every assertion is judged as the reference interpreter judges it.
 *
 * A launch ends early on a hardware fault, a timeout, or when the firmware runs out of room (arena, blob region,
 * runtime capacities); the next launch re-instantiates (and re-registers) the modules the rest of the script still
 * needs, then goes on with the next command. State those modules had built up is lost, as it must be.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { compileModule } from '../../src/compile.js';
import { CompileError } from '../../src/errors.js';
import type { BoardName, BoardSpec } from '../../src/run/boards.js';
import { boardSpec } from '../../src/run/boards.js';
import type { FirmwareBuild } from '../../src/run/firmware.js';
import type { BatchRequest, BatchResult, WasmValue } from '../../src/run/protocol.js';
import { FW_ERR_ARENA } from '../../src/run/protocol.js';
import { runBatchWith } from '../../src/run/qemu.js';
import { spectestRequests } from '../../src/run/spectest.js';
import { compareResults, toWasmValue, unsupportedValue } from './exec-values.js';
import { pageSizeLog2, type Module } from '../../src/wasm/types.js';
import type { WastAction, WastCommand, WastModuleFile } from './wast.js';
import { loadWast, WastConversionError } from './wast.js';

export interface ExecOptions {
  readonly board: BoardName;
  readonly enableIndirectMode?: boolean;
  readonly enableBuiltinIntrinsics?: string;
  /** every module compiled with frame records (docs/abi.md §11) */
  readonly enableDumpCallStack?: boolean;
  /** passed to compileModule (0: the pipeline's fast configuration; default 2) */
  readonly optLevel?: number;
  /** Per QEMU launch (default 60 s). */
  readonly timeoutMs?: number;
  /** The firmware's watchdog for one invocation (default 10 s; 0: off): a spinning call then costs this much and
      the launch goes on with its state, instead of ending the launch. */
  readonly invocationTimeoutMs?: number;
  /** Linear-memory page limit of a module without a declared maximum (default: a quarter of the board's arena). */
  readonly maxPages?: number;
}

export interface ExecFailure {
  readonly file: string;
  readonly line: number;
  readonly command: string;
  readonly reason: string;
}

export interface ExecFileResult {
  readonly file: string;
  passed: number;
  failed: number;
  skipped: number;
  readonly failures: ExecFailure[];
  launches: number;
  wallMs: number;
}

/** xw_result codes the runner tells apart (runtime/include/xipwasm.h). */
const XW_ERR_UNLINKABLE = 20;
const XW_ERR_NO_ROOM = 21;
const XW_ERR_UNINSTANTIABLE = 22;
const XW_ERR_LIMIT = 23;
const TRAP_STACK_EXHAUSTED = 10;
/** Errors that mean "this launch is full", not "this module is wrong": retried in a fresh launch. */
const CAPACITY_ERRORS: ReadonlySet<number> = new Set([FW_ERR_ARENA, XW_ERR_NO_ROOM, XW_ERR_LIMIT]);
/** Share of the blob region one launch may fill with images. */
const BLOB_SHARE = 0.7;

interface LogicalModule {
  readonly line: number;
  readonly image: Uint8Array | undefined;
  readonly error: string | undefined;
  /** the embedder's page limit for its memory */
  readonly maxPages: number;
  /** module names this module imports from (besides spectest) */
  readonly importNames: readonly string[];
}

/** A registration another module depends on: the module registered and the op that registered it. */
interface Dep { readonly mod: number; readonly regOp: number }

type Expect =
  | { readonly kind: 'instance' }
  | { readonly kind: 'fail'; readonly code: number; readonly text: string; readonly checkText: boolean };

type Op =
  | { readonly kind: 'host'; readonly cmd: WastCommand; readonly reason: string | undefined; readonly counted: boolean }
  | { readonly kind: 'module'; readonly cmd: WastCommand; readonly mod: number; readonly expect: Expect; readonly deps: readonly Dep[] }
  | { readonly kind: 'register'; readonly cmd: WastCommand; readonly mod: number; readonly as: string }
  | {
      /** `get` reads an exported global (runBatch's `global` request) */
      readonly kind: 'invoke'; readonly get: boolean; readonly cmd: WastCommand; readonly mod: number; readonly field: string;
      readonly args: readonly WasmValue[]; readonly results: number | undefined;
      readonly judge: (r: BatchResult) => string | undefined;
    };

function describeError(e: unknown): string {
  if (e instanceof CompileError) return `compile error: ${e.name}: ${e.message}`;
  if (e instanceof Error) return `compile error: ${e.name} (not a CompileError): ${e.message}`;
  return `compile error: ${String(e)}`;
}

/** The message without the runtime's decorations, as the spec words it. */
function bareMessage(message: string): string {
  return message.replace(/^trap: /, '').replace(/^(data|elem) segment( \d+)?: /, '');
}

function traps(r: BatchResult, text: string, code?: number): string | undefined {
  if (r.kind === 'trap') {
    if (code !== undefined && r.code !== code) return `expected trap "${text}", got trap ${r.code} "${r.message}"`;
    return bareMessage(r.message).startsWith(text) ? undefined : `trap message mismatch: expected "${text}", got "${r.message}"`;
  }
  return `expected trap "${text}", got ${resultText(r)}`;
}

export function resultText(r: BatchResult): string {
  switch (r.kind) {
    case 'ok': return 'success';
    case 'values': return `values ${r.values.map((v) => `${v.type}:0x${v.bits.toString(16)}`).join(' ') || '(none)'}`;
    case 'trap': return `trap "${r.message}"`;
    case 'error': return `error ${r.code} "${r.message}"`;
    case 'crc': return 'crc';
    case 'no-fault': return 'no fault';
    case 'fault': return `fault: ${r.fault.line}`;
    case 'timeout': return 'timeout';
    case 'not-run': return 'not run';
    default: return 'unknown';
  }
}

const PAGE = 65536;

/**
 * The spec scripts grow memories without a declared maximum by hundreds of pages (memory_grow.wast: 803), so such
 * a memory may use a quarter of the arena; a declared maximum is honoured up to that cap. The reservation is made
 * at instantiation (the runtime never moves a memory), so a launch holds a few such instances and the runner
 * starts a new launch when the arena is full.
 */
/** The page limit of memory 0, in its own pages; `cap` (and the default, a quarter of the arena) are in 64 KiB pages. */
function pageLimit(module: Module, spec: BoardSpec, cap: number | undefined): number {
  const mt = module.memories[0];
  if (mt === undefined) return 0;
  const page = 2 ** pageSizeLog2(mt);
  const limit = Math.floor(((cap ?? Math.floor(spec.arenaSize / PAGE / 4)) * PAGE) / page);
  return Math.max(mt.limits.min, Math.min(mt.limits.max ?? Math.min(2 ** 32 / page, 0xffffffff), limit));
}

/** Turns a script into ops: compiles its modules, resolves module names and registrations. */
class Planner {
  readonly mods: LogicalModule[] = [];
  readonly ops: Op[] = [];
  private current: number | undefined;
  private readonly named = new Map<string, number>();
  /** the op that last registered each name */
  private readonly registered = new Map<string, number>();

  constructor(private readonly spec: BoardSpec, private readonly opts: ExecOptions) {}

  private compile(file: WastModuleFile, line: number): number {
    let image: Uint8Array | undefined;
    let error: string | undefined;
    let importNames: string[] = [];
    let maxPages = 0;
    if (file.moduleType !== 'binary') {
      error = 'text-format module (not supported by the runner)';
    } else {
      try {
        const r = compileModule(new Uint8Array(readFileSync(file.path)), {
          cpu: this.spec.cpu,
          xip: true,
          enableIndirectMode: this.opts.enableIndirectMode === true,
          enableBuiltinIntrinsics: this.opts.enableBuiltinIntrinsics,
          enableDumpCallStack: this.opts.enableDumpCallStack === true,
          optLevel: this.opts.optLevel,
        });
        image = r.image;
        importNames = [...new Set(r.module.imports.map((i) => i.module).filter((m) => m !== 'spectest'))];
        maxPages = pageLimit(r.module, this.spec, this.opts.maxPages);
      } catch (e) {
        error = describeError(e);
      }
    }
    this.mods.push({ line, image, error, importNames, maxPages });
    return this.mods.length - 1;
  }

  private deps(mod: number): Dep[] {
    const out: Dep[] = [];
    for (const name of (this.mods[mod] as LogicalModule).importNames) {
      const regOp = this.registered.get(name);
      if (regOp === undefined) continue;
      const op = this.ops[regOp];
      if (op?.kind === 'register') out.push({ mod: op.mod, regOp });
    }
    return out;
  }

  private moduleOp(cmd: WastCommand, file: WastModuleFile, expect: Expect): number | undefined {
    const mod = this.compile(file, cmd.line);
    const m = this.mods[mod] as LogicalModule;
    if (m.error !== undefined) {
      this.ops.push({ kind: 'host', cmd, reason: m.error, counted: true });
      return mod;
    }
    this.ops.push({ kind: 'module', cmd, mod, expect, deps: this.deps(mod) });
    return mod;
  }

  private target(action: WastAction | undefined, name: string | undefined): number | undefined {
    const n = name ?? action?.module;
    return n !== undefined ? this.named.get(n) : this.current;
  }

  private invoke(cmd: WastCommand, action: WastAction, results: number | undefined,
    judge: (r: BatchResult) => string | undefined): void {
    const fail = (reason: string): void => { this.ops.push({ kind: 'host', cmd, reason, counted: true }); };
    const mod = this.target(action, undefined);
    if (mod === undefined) return fail(`no module ${action.module ?? '(current)'}`);
    const m = this.mods[mod] as LogicalModule;
    if (m.error !== undefined) return fail(`module at line ${m.line} did not compile: ${m.error}`);
    const args = action.args ?? [];
    const bad = args.map(unsupportedValue).find((x) => x !== undefined);
    if (bad !== undefined) return fail(bad);
    this.ops.push({ kind: 'invoke', get: action.type === 'get', cmd, mod, field: action.field, args: args.map(toWasmValue), results, judge });
  }

  add(cmd: WastCommand): void {
    switch (cmd.type) {
      case 'module': {
        const mod = this.moduleOp(cmd, cmd.module, { kind: 'instance' });
        this.current = mod;
        if (cmd.name !== undefined && mod !== undefined) this.named.set(cmd.name, mod);
        break;
      }
      case 'register': {
        const mod = this.target(undefined, cmd.name);
        if (mod === undefined) {
          this.ops.push({ kind: 'host', cmd, reason: `register: no module ${cmd.name ?? '(current)'}`, counted: true });
        } else if ((this.mods[mod] as LogicalModule).error === undefined) {
          this.registered.set(cmd.as, this.ops.length);
          this.ops.push({ kind: 'register', cmd, mod, as: cmd.as });
        }
        break;
      }
      case 'action':
        this.invoke(cmd, cmd.action, cmd.expected.length, (r) =>
          r.kind === 'values' ? undefined : `expected to return, got ${resultText(r)}`);
        break;
      case 'assert_return': {
        const expected = cmd.expected;
        const bad = expected.map(unsupportedValue).find((x) => x !== undefined);
        if (bad !== undefined) {
          this.ops.push({ kind: 'host', cmd, reason: bad, counted: true });
          break;
        }
        this.invoke(cmd, cmd.action, expected.length, (r) =>
          r.kind === 'values' ? compareResults(expected, r.values) : `expected values, got ${resultText(r)}`);
        break;
      }
      case 'assert_trap':
        if (cmd.module !== undefined) {
          this.moduleOp(cmd, cmd.module, { kind: 'fail', code: XW_ERR_UNINSTANTIABLE, text: cmd.text, checkText: true });
        } else if (cmd.action !== undefined) {
          const text = cmd.text;
          this.invoke(cmd, cmd.action, undefined, (r) => traps(r, text));
        }
        break;
      case 'assert_exhaustion': {
        const text = cmd.text;
        this.invoke(cmd, cmd.action, undefined, (r) => traps(r, text, TRAP_STACK_EXHAUSTED));
        break;
      }
      case 'assert_uninstantiable':
        this.moduleOp(cmd, cmd.module, { kind: 'fail', code: XW_ERR_UNINSTANTIABLE, text: cmd.text, checkText: false });
        break;
      case 'assert_unlinkable':
        this.moduleOp(cmd, cmd.module, { kind: 'fail', code: XW_ERR_UNLINKABLE, text: cmd.text, checkText: false });
        break;
      case 'assert_malformed':
      case 'assert_invalid':
        // The front-end run (--frontend) judges these; nothing to execute.
        break;
      default:
        assertNeverCommand(cmd);
    }
  }

  /** Drops registrations no later module imports, so the runtime's few registry slots go to those that matter. */
  pruneRegisters(): void {
    for (let i = 0; i < this.ops.length; i++) {
      const op = this.ops[i] as Op;
      if (op.kind !== 'register') continue;
      let used = false;
      for (let j = i + 1; j < this.ops.length && !used; j++) {
        const later = this.ops[j] as Op;
        if (later.kind === 'module' && later.deps.some((d) => d.regOp === i)) used = true;
      }
      if (!used) this.ops[i] = { kind: 'host', cmd: op.cmd, reason: undefined, counted: false };
    }
  }
}

function assertNeverCommand(c: never): never {
  throw new Error(`unhandled wast command ${JSON.stringify(c)}`);
}

function commandName(cmd: WastCommand): string {
  if ('action' in cmd && cmd.action !== undefined) {
    const a = cmd.action;
    const args = (a.args ?? []).map((v) => `${v.type}:${typeof v.value === 'string' ? v.value : '?'}`).join(' ');
    // JSON quoting keeps control characters of exotic export names out of the report
    return `${cmd.type} ${a.type} ${JSON.stringify(a.field)}${args === '' ? '' : ` ${args}`}`;
  }
  if (cmd.type === 'register') return `register ${JSON.stringify(cmd.as)}`;
  return cmd.type;
}

function judgeModule(expect: Expect, r: BatchResult): string | undefined {
  if (expect.kind === 'instance') return r.kind === 'ok' ? undefined : `instantiation failed: ${resultText(r)}`;
  if (r.kind === 'ok') return `instantiated, expected failure "${expect.text}"`;
  if (r.kind !== 'error') return `expected failure "${expect.text}", got ${resultText(r)}`;
  if (r.code !== expect.code) return `expected ${expect.code === XW_ERR_UNLINKABLE ? 'link' : 'instantiation'} failure "${expect.text}", got error ${r.code} "${r.message}"`;
  if (expect.checkText && !bareMessage(r.message).startsWith(expect.text)) {
    return `trap message mismatch: expected "${expect.text}", got "${r.message}"`;
  }
  return undefined;
}

/** Which earlier ops a launch starting at `pos` must replay: the modules later ops use, with their registrations. */
function replaySet(ops: readonly Op[], pos: number): number[] {
  const needMods = new Set<number>();
  const needRegs = new Set<number>();
  const addDeps = (deps: readonly Dep[]): void => {
    for (const d of deps) {
      needMods.add(d.mod);
      needRegs.add(d.regOp);
    }
  };
  for (let j = pos; j < ops.length; j++) {
    const op = ops[j] as Op;
    if (op.kind === 'invoke' || op.kind === 'register') needMods.add(op.mod);
    if (op.kind === 'module') addDeps(op.deps);
  }
  // the modules needed may themselves import from registered modules
  for (let changed = true; changed;) {
    changed = false;
    for (let j = 0; j < pos; j++) {
      const op = ops[j] as Op;
      if (op.kind !== 'module' || op.expect.kind !== 'instance' || !needMods.has(op.mod)) continue;
      for (const d of op.deps) {
        if (!needMods.has(d.mod) || !needRegs.has(d.regOp)) {
          needMods.add(d.mod);
          needRegs.add(d.regOp);
          changed = true;
        }
      }
    }
  }
  const out: number[] = [];
  for (let j = 0; j < pos; j++) {
    const op = ops[j] as Op;
    if (op.kind === 'module' && op.expect.kind === 'instance' && needMods.has(op.mod)) out.push(j);
    else if (op.kind === 'register' && needRegs.has(j) && needMods.has(op.mod)) out.push(j);
  }
  return out;
}

/** Runs one script on a board. */
export async function runWastFile(path: string, spec: BoardSpec, firmware: FirmwareBuild, opts: ExecOptions): Promise<ExecFileResult> {
  const file = basename(path);
  const result: ExecFileResult = { file, passed: 0, failed: 0, skipped: 0, failures: [], launches: 0, wallMs: 0 };
  const record = (cmd: WastCommand, reason: string | undefined): void => {
    if (reason === undefined) {
      result.passed++;
    } else {
      result.failed++;
      result.failures.push({ file, line: cmd.line, command: commandName(cmd), reason });
    }
  };
  let commands: readonly WastCommand[];
  try {
    commands = loadWast(path).commands;
  } catch (e) {
    result.failed++;
    result.failures.push({ file, line: 0, command: 'wast2json', reason: e instanceof WastConversionError ? e.message : String(e) });
    return result;
  }
  const planner = new Planner(spec, opts);
  for (const c of commands) planner.add(c);
  planner.pruneRegisters();
  const { ops, mods } = planner;
  const start = performance.now();

  /** modules whose image, with spectest's and those replayed before it, cannot fit the blob region (the micro:bit's 64 KiB) */
  const tooBig = new Map<number, string>();
  let pos = 0;
  while (pos < ops.length) {
    // host-judged ops need no launch
    const first = ops[pos] as Op;
    if (first.kind === 'host') {
      if (first.counted) record(first.cmd, first.reason);
      pos++;
      continue;
    }
    const requests: BatchRequest[] = [...spectestRequests(spec)];
    const modReq = new Map<number, number>();
    const opReq = new Map<number, number>();
    let imageBytes = 0;
    const push = (j: number): boolean => {
      const op = ops[j] as Op;
      switch (op.kind) {
        case 'host':
          return true;
        case 'module': {
          if (tooBig.has(op.mod)) return false;
          const image = (mods[op.mod] as LogicalModule).image as Uint8Array;
          imageBytes += image.length;
          opReq.set(j, requests.length);
          if (op.expect.kind === 'instance') modReq.set(op.mod, requests.length);
          requests.push({ kind: 'module', image, maxPages: (mods[op.mod] as LogicalModule).maxPages });
          return true;
        }
        case 'register': {
          const m = modReq.get(op.mod);
          if (m === undefined) return false;
          opReq.set(j, requests.length);
          requests.push({ kind: 'register', module: m, name: op.as });
          return true;
        }
        case 'invoke': {
          const m = modReq.get(op.mod);
          if (m === undefined) return false;
          opReq.set(j, requests.length);
          requests.push(op.get ? { kind: 'global', module: m, name: op.field }
            : { kind: 'invoke', module: m, name: op.field, args: op.args, ...(op.results !== undefined ? { results: op.results } : {}) });
          return true;
        }
        default:
          throw new Error('unreachable op kind');
      }
    };
    const replay = replaySet(ops, pos);
    for (const j of replay) push(j);
    if (first.kind === 'module') {
      const size = (mods[first.mod] as LogicalModule).image?.length ?? 0;
      const fixed = requests.reduce((n, q) => n + (q.kind === 'module' ? q.image.length : 0), 0);
      if (fixed + size > spec.blobSize) {
        const why = `image of ${size} bytes: with the ${fixed} bytes of spectest and the modules it needs, beyond the ${spec.blobSize}-byte blob region of ${spec.name}`;
        tooBig.set(first.mod, why);
        record(first.cmd, why);
        pos++;
        continue;
      }
    }
    // how far this launch goes: until the blob budget is used up (at least one op)
    let end = pos;
    const unsent = new Set<number>();
    const budget = spec.blobSize * BLOB_SHARE;
    while (end < ops.length) {
      const op = ops[end] as Op;
      if (end > pos && op.kind === 'module' && imageBytes + ((mods[op.mod] as LogicalModule).image?.length ?? 0) > budget) break;
      if (!push(end)) unsent.add(end);
      end++;
    }
    result.launches++;
    const outcome = await runBatchWith(spec, firmware, undefined, requests,
      { timeoutMs: opts.timeoutMs ?? 60_000, invocationTimeoutMs: opts.invocationTimeoutMs ?? 10_000 });
    const modOk = (mod: number): string | undefined => {
      const big = tooBig.get(mod);
      if (big !== undefined) return big;
      const idx = modReq.get(mod);
      const r = idx === undefined ? undefined : outcome.results[idx];
      if (r === undefined) return `module at line ${(mods[mod] as LogicalModule).line} was not instantiated in this launch`;
      return r.kind === 'ok' ? undefined : `module at line ${(mods[mod] as LogicalModule).line} did not instantiate: ${resultText(r)}`;
    };
    let next = end;
    for (let j = pos; j < end; j++) {
      const op = ops[j] as Op;
      if (op.kind === 'host') {
        if (op.counted) record(op.cmd, op.reason);
        continue;
      }
      if (unsent.has(j)) {
        record(op.cmd, op.kind === 'register' || op.kind === 'invoke' ? modOk(op.mod) ?? 'module not available' : 'not sent');
        continue;
      }
      const r = outcome.results[opReq.get(j) as number] as BatchResult;
      if (r.kind === 'not-run') {
        if (j === pos) {
          // the launch ended before this op, while re-instantiating or in QEMU itself: judge it, or we would loop
          const why = outcome.fault !== undefined ? `fault while re-instantiating earlier modules: ${outcome.fault.line}`
            : outcome.timedOut ? 'timeout while re-instantiating earlier modules'
            : `QEMU ended (exit ${outcome.exitCode ?? outcome.signal}): ${outcome.log.split('\n').slice(-3).join(' | ')}`;
          record(op.cmd, why);
          next = j + 1;
        } else {
          next = j;
        }
        break;
      }
      // A fresh launch has room again. A `get` registers its instance under a hidden name: when that finds the
      // runtime's registry full, runBatch reports only the getter's failure, so any error is retried once.
      const full = r.kind === 'error' && (op.kind === 'invoke' ? op.get : CAPACITY_ERRORS.has(r.code));
      if (full && j > pos) {
        next = j;
        break;
      }
      if (r.kind === 'fault' || r.kind === 'timeout') {
        // a watchdog timeout lets the launch go on; otherwise the next op is 'not-run' and starts the next launch
        const launchKilled = outcome.timedOut && outcome.results.slice((opReq.get(j) as number) + 1).every((x) => x.kind === 'not-run');
        record(op.cmd, r.kind === 'fault' ? `fault: ${r.fault.line}`
          : launchKilled ? `timeout (${(opts.timeoutMs ?? 60_000) / 1000} s launch limit)`
          : `timeout (invocation watchdog, ${(opts.invocationTimeoutMs ?? 10_000) / 1000} s)`);
        continue;
      }
      switch (op.kind) {
        case 'module':
          record(op.cmd, judgeModule(op.expect, r));
          break;
        case 'register': {
          const why = modOk(op.mod);
          if (why !== undefined) record(op.cmd, why);
          else if (r.kind !== 'ok') record(op.cmd, `register failed: ${resultText(r)}`);
          break;
        }
        case 'invoke':
          record(op.cmd, modOk(op.mod) ?? op.judge(r));
          break;
        default:
          throw new Error('unreachable op kind');
      }
    }
    pos = next;
  }
  result.wallMs = performance.now() - start;
  return result;
}

/** Runs scripts with at most `jobs` QEMU processes at once; `onFile` sees each result as it completes. */
export async function runWastFiles(paths: readonly string[], opts: ExecOptions, firmware: FirmwareBuild, jobs: number,
  onFile?: (r: ExecFileResult) => void): Promise<ExecFileResult[]> {
  const spec = boardSpec(opts.board);
  const results: ExecFileResult[] = new Array<ExecFileResult>(paths.length);
  let nextFile = 0;
  const worker = async (): Promise<void> => {
    for (;;) {
      const i = nextFile++;
      if (i >= paths.length) return;
      const r = await runWastFile(paths[i] as string, spec, firmware, opts);
      results[i] = r;
      onFile?.(r);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, jobs) }, worker));
  return results;
}

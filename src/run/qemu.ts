/**
 * Runs a batch of requests on an emulated board: one QEMU launch, any number of modules and invocations.
 * The images go into the board's read-only blob region with `-device loader`; the requests go into a file the
 * firmware reads through semihosting; the answers come back on QEMU's stderr (docs/boards.md).
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readAot } from '../aot/reader.js';
import { assertNever } from '../errors.js';
import type { BoardName, BoardSpec } from './boards.js';
import { boardSpec, qemuCommand } from './boards.js';
import { GETTER_MODULE_NAME, getterFor } from './getter.js';
import type { BuildOptions, FirmwareBuild } from './firmware.js';
import { buildCountPlugin, buildFirmware } from './firmware.js';
import type { BatchRequest, BatchResult, FaultReport } from './protocol.js';
import { CallStacks, encodeRequest, parseAnswer, XW_ERR_NO_EXPORT } from './protocol.js';

export interface RunOptions extends BuildOptions {
  /** Wall-clock limit for the QEMU process (default 60 s): a spinning guest never exits by itself. */
  readonly timeoutMs?: number;
  /** Stop any single invocation that runs longer than this (virtual time, ms) and go on with the batch; the
      result is `timeout`. Off by default, and always off with countInstructions (its interrupt would be counted). */
  readonly invocationTimeoutMs?: number;
  /** Count the instructions of each invocation exactly (QEMU plugin; see docs/boards.md §6). */
  readonly countInstructions?: boolean;
  /** With countInstructions: write each blob block's address, instruction count and executions (between the
      count markers) to this file when QEMU exits (the last launch's, if the batch needed several). */
  readonly profileFile?: string;
  /** QEMU binary (default: the board's, qemu-system-arm or qemu-system-riscv32, from PATH). */
  readonly qemu?: string;
  /** Keep the temporary directory (request file, images) for debugging; its path is in the outcome. */
  readonly keepFiles?: boolean;
  /** Called as the board answers, while QEMU runs: spectest prints, program output, each request's result (by
      request index). Lets a command line show output as it comes. */
  readonly onEvent?: (event: RunEvent) => void;
  /** After a hardware fault or a timeout, launch again with the remaining requests (replaying the earlier
      successful module and register requests, whose instances then start afresh). Default false. */
  readonly resumeAfterFault?: boolean;
}

export type RunEvent =
  | { readonly kind: 'print'; readonly text: string }
  | { readonly kind: 'output'; readonly fd: number; readonly bytes: Uint8Array }
  | { readonly kind: 'result'; readonly request: number; readonly result: BatchResult };

export interface Placement {
  readonly address: number;
  readonly size: number;
}

export interface BatchOutcome {
  /** One result per request, in request order. */
  readonly results: BatchResult[];
  /** Where each module request's image was placed (undefined for other requests). */
  readonly placements: (Placement | undefined)[];
  /** Lines printed by spectest print functions (without the `P ` tag). */
  readonly prints: string[];
  /** Program output (native libraries, WASI), in order. */
  readonly output: { readonly fd: number; readonly bytes: Uint8Array }[];
  /** Per module request that instantiated: the bytes of RAM its instance takes (xw_instance_ram_size). */
  readonly instanceRam: (number | undefined)[];
  /** The hardware fault that ended the run, if any. */
  readonly fault: FaultReport | undefined;
  /** True when the firmware reached the end of the requests in one launch. */
  readonly completed: boolean;
  /** Extra launches made by resumeAfterFault. */
  readonly relaunches: number;
  /** Of the first launch. */
  readonly timedOut: boolean;
  readonly exitCode: number | null;
  readonly signal: string | null;
  /** QEMU output that is not part of the protocol (its own errors, plugin complaints). */
  readonly log: string;
  /** Milliseconds from spawning QEMU to its exit (summed over launches). */
  readonly wallMs: number;
  /** The first launch's QEMU command line, to reproduce the run by hand (needs keepFiles). */
  readonly command: readonly string[];
  readonly tempDir: string | undefined;
}

/** Images are placed on this alignment (the format needs 16; 256 keeps addresses readable). */
const IMAGE_ALIGN = 256;
/** The embedder's memory limit for a module, when the request does not give one: its declared minimum plus
    room to grow by 1 MiB (16 pages of 64 KiB), capped by its declared maximum and by a quarter of the board's
    arena. Counted in the memory's own pages (custom-page-sizes: 64 KiB or 1 byte). */
export function defaultMaxPages(image: Uint8Array, board: BoardSpec): number {
  try {
    const mem = readAot(image).memories[0];
    if (mem === undefined) return 0;
    const page = 2 ** mem.pageSizeLog2;
    const cap = Math.floor(board.arenaSize / page / 4);
    const wanted = Math.max(mem.min, Math.min(mem.min + (16 * 65536) / page, cap));
    return Math.min(mem.max ?? Math.min(2 ** 32 / page, 0xffffffff), wanted);
  } catch {
    return 1; // a malformed image: the firmware's loader reports it
  }
}

function placeImages(requests: readonly BatchRequest[], board: BoardSpec): (Placement | undefined)[] {
  const placements: (Placement | undefined)[] = requests.map(() => undefined);
  const taken: Placement[] = [];
  const inBlob = (p: Placement): boolean =>
    p.address >= board.blobBase && p.address + p.size <= board.blobBase + board.blobSize;
  requests.forEach((r, i) => {
    if (r.kind !== 'module' || r.address === undefined) return;
    const p = { address: r.address, size: r.image.length };
    if (!inBlob(p)) throw new RangeError(`request ${i}: image at 0x${p.address.toString(16)} (+${p.size}) is outside the blob region of ${board.name}`);
    placements[i] = p;
    taken.push(p);
  });
  const byContent = new Map<string, Placement>();
  let cursor = board.blobBase;
  requests.forEach((r, i) => {
    if (r.kind !== 'module' || r.address !== undefined) return;
    const key = createHash('sha256').update(r.image).digest('hex');
    const known = byContent.get(key);
    if (known !== undefined) {
      placements[i] = known;
      return;
    }
    let address = cursor;
    for (;;) {
      const end = address + r.image.length;
      const clash = taken.find((t) => address < t.address + t.size && t.address < end);
      if (clash === undefined) break;
      address = Math.ceil((clash.address + clash.size) / IMAGE_ALIGN) * IMAGE_ALIGN;
    }
    const p = { address, size: r.image.length };
    if (!inBlob(p)) throw new RangeError(`the images of this batch do not fit the ${board.blobSize >> 20} MiB blob region of ${board.name}: split the batch`);
    placements[i] = p;
    taken.push(p);
    byContent.set(key, p);
    cursor = Math.ceil((address + r.image.length) / IMAGE_ALIGN) * IMAGE_ALIGN;
  });
  return placements;
}

export interface Spawned { stderr: string; stdout: string; code: number | null; signal: string | null; timedOut: boolean; wallMs: number }

/** Runs a process with a wall-clock limit (SIGKILL when it is reached), collecting its output; `onStderr` sees
    each chunk of stderr as it arrives. */
export function runProcess(cmd: string, args: readonly string[], timeoutMs: number, onStderr?: (chunk: string) => void): Promise<Spawned> {
  return new Promise((resolvePromise, reject) => {
    const start = performance.now();
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let stdout = '';
    let timedOut = false;
    child.stderr.setEncoding('latin1');
    child.stdout.setEncoding('latin1');
    child.stderr.on('data', (d: string) => {
      stderr += d;
      onStderr?.(d);
    });
    child.stdout.on('data', (d: string) => { stdout += d; });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`cannot start ${cmd}: ${e.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ stderr, stdout, code, signal, timedOut, wallMs: performance.now() - start });
    });
  });
}

/** Builds (or reuses) the firmware and runs the requests in one QEMU launch. */
export async function runBatch(board: BoardName, requests: readonly BatchRequest[], opts: RunOptions = {}): Promise<BatchOutcome> {
  const spec = boardSpec(board);
  const firmware = await buildFirmware(board, opts);
  const plugin = opts.countInstructions === true ? await buildCountPlugin(opts) : undefined;
  return runBatchWith(spec, firmware, plugin, requests, opts);
}

/** One line of the request file: a request under its protocol label. A `global` request expands into three lines
    (register under the getter's hidden name, instantiate the getter, call it), all with the same origin. */
interface Line {
  readonly label: number;
  readonly origin: number;
  readonly req: Exclude<BatchRequest, { kind: 'global' }>;
}

function expand(requests: readonly BatchRequest[], spec: BoardSpec): { lines: Line[]; early: Map<number, BatchResult> } {
  const lines: Line[] = [];
  const early = new Map<number, BatchResult>();
  let next = requests.length;
  requests.forEach((r, i) => {
    if (r.kind !== 'global') {
      lines.push({ label: i, origin: i, req: r });
      return;
    }
    const target = requests[r.module];
    const getter = target?.kind === 'module' ? getterFor(target.image, r.name, spec) : { error: 'not a module request' };
    if ('error' in getter) {
      early.set(i, { kind: 'error', code: XW_ERR_NO_EXPORT, message: getter.error });
      return;
    }
    const getterLabel = next + 1;
    lines.push({ label: next, origin: i, req: { kind: 'register', module: r.module, name: GETTER_MODULE_NAME } });
    lines.push({ label: getterLabel, origin: i, req: { kind: 'module', image: getter.image, maxPages: 0 } });
    lines.push({ label: i, origin: i, req: { kind: 'invoke', module: getterLabel, name: 'get', args: [], results: 1 } });
    next += 2;
  });
  return { lines, early };
}

function withSite(fault: FaultReport, lines: readonly Line[], placements: readonly (Placement | undefined)[]): FaultReport {
  const pos = placements.findIndex((p) => p !== undefined && fault.pc >= p.address && fault.pc < p.address + p.size);
  const p = placements[pos];
  const line = lines[pos];
  if (p === undefined || line?.req.kind !== 'module') return fault;
  const imageOffset = fault.pc - p.address;
  let textOffset: number | undefined;
  try {
    const t = imageOffset - readAot(line.req.image).textOffset;
    textOffset = t >= 0 ? t : undefined;
  } catch {
    textOffset = undefined;
  }
  return { ...fault, site: { request: line.origin, imageOffset, textOffset } };
}

interface Launch {
  /** Answers by line label (only lines this launch answered). */
  readonly answers: Map<number, BatchResult>;
  /** Instance RAM from module answers, by line label. */
  readonly ram: Map<number, number>;
  readonly prints: string[];
  readonly output: { fd: number; bytes: Uint8Array }[];
  readonly fault: FaultReport | undefined;
  readonly completed: boolean;
  readonly proc: Spawned;
  readonly log: string[];
  readonly command: string[];
}

/** One QEMU launch running the lines at `positions`, in that order. */
async function launch(spec: BoardSpec, firmware: FirmwareBuild, plugin: string | undefined, lines: readonly Line[],
  placements: readonly (Placement | undefined)[], positions: readonly number[], dir: string, opts: RunOptions): Promise<Launch> {
  const machine = qemuCommand(spec);
  const args: string[] = [...machine.args, '-nographic', '-monitor', 'none', '-serial', 'null', '-kernel', firmware.elfPath];
  const loaded = new Set<number>();
  const text: string[] = [];
  for (const pos of positions) {
    const { label, req } = lines[pos] as Line;
    const p = placements[pos];
    if (req.kind === 'module' && p !== undefined) {
      if (!loaded.has(p.address)) {
        const file = join(dir, `image-${label}.aot`);
        await writeFile(file, req.image);
        args.push('-device', `loader,file=${file},addr=0x${p.address.toString(16)}`);
        loaded.add(p.address);
      }
      text.push(encodeRequest(label, req, p, req.maxPages ?? defaultMaxPages(req.image, spec)));
    } else {
      text.push(encodeRequest(label, req, undefined, 0));
    }
  }
  const tag = `${positions[0] ?? 0}`;
  const reqFile = join(dir, `requests-${tag}.txt`);
  await writeFile(reqFile, text.join('\n') + '\n');
  const countsFile = join(dir, `counts-${tag}.txt`);
  if (plugin !== undefined) {
    const hi = spec.blobBase + spec.blobSize;
    args.push('-plugin', `${plugin},begin=0x${firmware.countBegin.toString(16)},end=0x${firmware.countEnd.toString(16)},` +
      `lo=0x${spec.blobBase.toString(16)},hi=0x${hi.toString(16)},out=${countsFile}` +
      (opts.profileFile !== undefined ? `,profile=${opts.profileFile}` : ''));
  }
  const watchdog = plugin === undefined && opts.invocationTimeoutMs !== undefined && opts.invocationTimeoutMs > 0
    ? `,arg=${Math.ceil(opts.invocationTimeoutMs)}` : '';
  args.push('-semihosting-config', `enable=on,target=native,arg=firmware,arg=${reqFile}${watchdog}`);
  const qemu = opts.qemu ?? machine.qemu;
  const onEvent = opts.onEvent;
  let partial = '';
  const streamStacks = new CallStacks();
  const origin = new Map(positions.map((pos) => [(lines[pos] as Line).label, (lines[pos] as Line).origin]));
  const stream = onEvent === undefined ? undefined : (chunk: string): void => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) {
      const a = parseAnswer(line);
      if (a?.kind === 'print' || a?.kind === 'output') onEvent(a);
      else if (a?.kind === 'frame') streamStacks.add(a);
      else if (a?.kind === 'result' && origin.get(a.idx) === a.idx) onEvent({ kind: 'result', request: a.idx, result: streamStacks.attach(a.idx, a.result) });
    }
  };
  const proc = await runProcess(qemu, args, opts.timeoutMs ?? 60_000, stream);

  const answers = new Map<number, BatchResult>();
  const ram = new Map<number, number>();
  const wanted = new Set(positions.map((pos) => (lines[pos] as Line).label));
  const prints: string[] = [];
  const output: { fd: number; bytes: Uint8Array }[] = [];
  const log: string[] = [];
  const stacks = new CallStacks();
  let fault: FaultReport | undefined;
  let completed = false;
  for (const line of proc.stderr.split('\n')) {
    if (line === '') continue;
    const a = parseAnswer(line);
    if (a === undefined) {
      log.push(line);
      continue;
    }
    switch (a.kind) {
      case 'hello': break;
      case 'print': prints.push(a.text); break;
      case 'output': output.push({ fd: a.fd, bytes: a.bytes }); break;
      case 'fault': fault = a.fault; break;
      case 'done': completed = true; break;
      case 'frame': stacks.add(a); break;
      case 'result':
        if (wanted.has(a.idx)) {
          answers.set(a.idx, stacks.attach(a.idx, a.result));
          if (a.instanceRam !== undefined) ram.set(a.idx, a.instanceRam);
        } else {
          log.push(line);
        }
        break;
      default:
        assertNever(a);
    }
  }
  if (proc.stdout !== '') log.push(proc.stdout);
  if (fault !== undefined) fault = withSite(fault, lines, placements);
  if (!completed) {
    const stopped = positions.map((pos) => (lines[pos] as Line).label).find((label) => !answers.has(label));
    if (stopped !== undefined) {
      if (fault !== undefined) answers.set(stopped, { kind: 'fault', fault });
      else if (proc.timedOut) answers.set(stopped, { kind: 'timeout' });
    }
  }
  if (plugin !== undefined) {
    let counts: number[] = [];
    try {
      counts = (await readFile(countsFile, 'utf8')).split('\n').filter((l) => l !== '').map(Number);
    } catch {
      // no invocation ran
    }
    // Every invocation the firmware finished passed the markers once, in request-file order.
    let k = 0;
    for (const pos of positions) {
      const { label, req } = lines[pos] as Line;
      const res = answers.get(label);
      if (req.kind !== 'invoke' || res === undefined || res.kind === 'fault' || res.kind === 'timeout') continue;
      const n = counts[k++];
      if (n !== undefined && (res.kind === 'values' || res.kind === 'trap')) answers.set(label, { ...res, instructions: n });
    }
  }
  return { answers, ram, prints, output, fault, completed, proc, log, command: [qemu, ...args] };
}

const STOPPED: ReadonlySet<BatchResult['kind']> = new Set(['fault', 'timeout']);

export async function runBatchWith(spec: BoardSpec, firmware: FirmwareBuild, plugin: string | undefined,
  requests: readonly BatchRequest[], opts: RunOptions = {}): Promise<BatchOutcome> {
  let lastReset = -1;
  requests.forEach((r, i) => {
    if (r.kind === 'reset') lastReset = i;
    if ((r.kind === 'register' || r.kind === 'invoke' || r.kind === 'global') &&
        !(r.module < i && r.module > lastReset && requests[r.module]?.kind === 'module')) {
      throw new RangeError(`request ${i}: 'module' ${r.module} is not an earlier module request (after the last reset)`);
    }
  });
  const { lines, early } = expand(requests, spec);
  const placements = placeImages(lines.map((l) => l.req), spec);
  const dir = await mkdtemp(join(tmpdir(), 'xipwasm-run-'));
  try {
    const byLabel = new Map<number, BatchResult>();
    const ramByLabel = new Map<number, number>();
    const prints: string[] = [];
    const output: { fd: number; bytes: Uint8Array }[] = [];
    const log: string[] = [];
    let positions = lines.map((_l, pos) => pos);
    let first: Launch | undefined;
    let last: Launch | undefined;
    let wallMs = 0;
    let relaunches = 0;
    while (positions.length > 0) {
      const l = await launch(spec, firmware, plugin, lines, placements, positions, dir, opts);
      first ??= l;
      last = l;
      wallMs += l.proc.wallMs;
      for (const [label, r] of l.answers) if (!byLabel.has(label)) byLabel.set(label, r);
      for (const [label, n] of l.ram) if (!ramByLabel.has(label)) ramByLabel.set(label, n);
      for (const p of l.prints) prints.push(p); // a spread of 100k+ lines overflows the call stack
      for (const o of l.output) output.push(o);
      log.push(...l.log);
      if (l.completed || opts.resumeAfterFault !== true || (l.fault === undefined && !l.proc.timedOut)) break;
      const stoppedAt = positions.findIndex((pos) => {
        const r = l.answers.get((lines[pos] as Line).label);
        return r === undefined || STOPPED.has(r.kind);
      });
      if (stoppedAt < 0) break;
      const stopped = positions[stoppedAt] as number;
      // Start again after the line that stopped the board: replay the successful module, register and reset
      // lines before it (their instances start afresh), then run the rest.
      const replay = lines.map((_l, pos) => pos).filter((pos) => pos < stopped && byLabel.get((lines[pos] as Line).label)?.kind === 'ok');
      positions = [...replay, ...positions.slice(stoppedAt + 1)];
      if (positions.length === replay.length) break;
      relaunches++;
    }
    const results: BatchResult[] = requests.map((_r, i) => early.get(i) ?? { kind: 'not-run' });
    for (const line of lines) {
      const r = byLabel.get(line.label);
      if (r === undefined) continue;
      // A helper line of a `global` request reports only what went wrong.
      if (line.label === line.origin || (r.kind !== 'ok' && results[line.origin]?.kind === 'not-run')) results[line.origin] = r;
    }
    const outPlacements = requests.map((_r, i) => {
      const pos = lines.findIndex((l) => l.label === i);
      return pos >= 0 ? placements[pos] : undefined;
    });
    const fault = first?.fault ?? last?.fault;
    return {
      results, placements: outPlacements, instanceRam: requests.map((_r, i) => ramByLabel.get(i)), prints, output, fault, completed: last?.completed === true && relaunches === 0,
      timedOut: first?.proc.timedOut === true, exitCode: first?.proc.code ?? null, signal: first?.proc.signal ?? null,
      log: log.join('\n'), wallMs, relaunches,
      command: first?.command ?? [], tempDir: opts.keepFiles === true ? dir : undefined,
    };
  } finally {
    if (opts.keepFiles !== true) await rm(dir, { recursive: true, force: true });
  }
}

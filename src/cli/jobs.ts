/**
 * `xipwasm compile --jobs`: the functions of a large module compiled on worker threads as well as this one. The
 * compiler core stays single-threaded and pure; it only promises (compileSomeFunctions) that a function's code does
 * not depend on which thread compiled it or what else that thread compiled, so the image is byte-identical to a
 * single-threaded compile whatever the split (test/cli/jobs.test.ts).
 *
 * The functions go in contiguous batches of about BATCH_BYTES of code. Every thread, this one included, claims the
 * next batch from one shared counter until none is left, so a thread that starts late (a worker needs to load the
 * compiler first) or runs slowly (a shared machine) simply claims fewer.
 */
import { availableParallelism, loadavg } from 'node:os';
import { Worker } from 'node:worker_threads';
import { assembleFunctions, compileSomeFunctions, definedFunctions, type CompileResult, type FunctionCode } from '../compile.js';
import { decodeModule, validateModule, type Module } from '../wasm/index.js';
import { requireCodegen, resolveCompileOptions, type RawCompileOptions } from '../xip/options.js';

/** About this much code per batch: small enough to balance two to four threads over a module of 256 KiB and up. */
const BATCH_BYTES = 16 * 1024;
/** Below this much code, starting a worker (about 0.1-0.2 s to load the compiler) costs more than it saves. */
export const AUTO_JOBS_MIN_CODE_BYTES = 256 * 1024;
/** More threads than this gain nothing measurable on one module (each one loads and warms up the compiler alone). */
const MAX_AUTO_JOBS = 4;

/** What a worker gets: the module's bytes, the options as given, the batches and the shared claim counter. */
export interface JobsWorkerData {
  readonly bytes: Uint8Array;
  readonly raw: RawCompileOptions;
  /** batch k is the defined functions [starts[k], starts[k + 1]) */
  readonly starts: Int32Array;
  /** one Int32: the next batch to claim (on a SharedArrayBuffer) */
  readonly claim: Int32Array;
}

/** A worker's answer: its functions' code, or why it failed (this thread then redoes everything). */
export type JobsWorkerReply = { readonly codes: FunctionCode[] } | { readonly error: string };

/** The first function of each batch, and one past the last function as the last entry. */
export function batchStarts(module: Module): Int32Array {
  const starts = [module.numImportedFuncs];
  let bytes = 0;
  for (let k = 0; k < module.codes.length; k++) {
    const c = module.codes[k]!;
    bytes += c.codeEnd - c.codeStart;
    if (bytes >= BATCH_BYTES && k + 1 < module.codes.length) {
      starts.push(module.numImportedFuncs + k + 1);
      bytes = 0;
    }
  }
  starts.push(module.numImportedFuncs + module.codes.length);
  return Int32Array.from(starts);
}

/** The functions of each batch this thread claims, in order, until no batch is left. */
export function* claimBatches(starts: Int32Array, claim: Int32Array): Generator<number> {
  for (;;) {
    const k = Atomics.add(claim, 0, 1);
    if (k + 1 >= starts.length) return;
    for (let f = starts[k]!; f < starts[k + 1]!; f++) yield f;
  }
}

/**
 * Threads to use when --jobs is not given: one per idle core (up to MAX_AUTO_JOBS) for a large module, else one.
 * A worker repeats the startup and JIT warm-up this thread has already paid, so on cores that are busy anyway it
 * adds CPU time and takes wall time away (docs/performance.md, "Whole processes"): a core counts as idle when the
 * one-minute load average leaves it free.
 */
export function autoJobs(module: Module): number {
  const code = module.codes.reduce((n, c) => n + c.codeEnd - c.codeStart, 0);
  if (code < AUTO_JOBS_MIN_CODE_BYTES) return 1;
  const idle = Math.floor(availableParallelism() - loadavg()[0]!);
  return Math.max(1, Math.min(idle, MAX_AUTO_JOBS));
}

function runWorker(data: JobsWorkerData): { reply: Promise<JobsWorkerReply>; worker: Worker } {
  const worker = new Worker(new URL('./jobs-worker.js', import.meta.url), { workerData: data });
  const reply = new Promise<JobsWorkerReply>((resolve) => {
    worker.once('message', (m: JobsWorkerReply) => resolve(m));
    worker.once('error', (e) => resolve({ error: e.message }));
    worker.once('exit', (code) => resolve({ error: `worker exited with status ${code}` }));
  });
  return { reply, worker };
}

/** How a compileWithJobs went, for --verbose and the tests. */
export interface JobsReport {
  /** threads that compiled functions: this one first, then the workers */
  readonly functionsPerThread: readonly number[];
  /** some thread failed, and this one compiled the whole module again alone */
  readonly redone: string | undefined;
}

/**
 * Compiles `bytes` with `jobs` threads (this one and jobs - 1 workers; undefined: autoJobs), byte-identical to
 * compileWithOptions. If any thread fails, this one compiles the module again alone, so that an error in a
 * function is reported exactly as a single-threaded compile reports it.
 */
export async function compileWithJobs(bytes: Uint8Array, raw: RawCompileOptions, jobs: number | undefined): Promise<{ result: CompileResult; report: JobsReport }> {
  const options = resolveCompileOptions(raw);
  requireCodegen(options);
  const module = decodeModule(bytes);
  const alone = (redone: string | undefined): { result: CompileResult; report: JobsReport } => ({
    result: assembleFunctions(module, options, compileSomeFunctions(module, options, definedFunctions(module))),
    report: { functionsPerThread: [module.codes.length], redone },
  });
  const n = jobs ?? autoJobs(module);
  const starts = batchStarts(module);
  const workers = Math.min(n, starts.length - 1) - 1;
  if (workers < 1) {
    validateModule(module);
    return alone(undefined);
  }
  const claim = new Int32Array(new SharedArrayBuffer(4));
  const running = Array.from({ length: workers }, () => runWorker({ bytes, raw, starts, claim }));
  // the workers load the compiler while this thread validates: their work is thrown away if the module is invalid
  try {
    validateModule(module);
  } catch (e) {
    await Promise.all(running.map((w) => w.worker.terminate()));
    throw e;
  }
  let mine: FunctionCode[] | undefined;
  try {
    mine = compileSomeFunctions(module, options, claimBatches(starts, claim));
  } catch (e) {
    await Promise.all(running.map((w) => w.worker.terminate()));
    // not necessarily the error a single thread meets first: that one comes from the redo
    return alone(`this thread: ${e instanceof Error ? e.message : String(e)}`);
  }
  const replies = await Promise.all(running.map((w) => w.reply));
  const parts: FunctionCode[][] = [mine];
  for (const r of replies) {
    if ('error' in r) return alone(`a worker: ${r.error}`);
    parts.push(r.codes);
  }
  const codes: FunctionCode[] = new Array<FunctionCode>(module.codes.length);
  for (const part of parts) for (const c of part) codes[c.funcIndex - module.numImportedFuncs] = c;
  return { result: assembleFunctions(module, options, codes), report: { functionsPerThread: parts.map((p) => p.length), redone: undefined } };
}

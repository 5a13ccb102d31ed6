/**
 * One worker of `xipwasm compile --jobs` (jobs.ts): claims batches of functions until none is left and sends their
 * code back. The thread that started this one validates the module meanwhile, and discards this work if it is
 * invalid, so decoding it is enough here.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { compileSomeFunctions, type FunctionCode } from '../compile.js';
import { decodeModule } from '../wasm/index.js';
import { resolveCompileOptions } from '../xip/options.js';
import { claimBatches, type JobsWorkerData, type JobsWorkerReply } from './jobs.js';

const data = workerData as JobsWorkerData;
let reply: JobsWorkerReply;
let transfer: ArrayBuffer[] = [];
try {
  const codes: FunctionCode[] = compileSomeFunctions(decodeModule(data.bytes), resolveCompileOptions(data.raw), claimBatches(data.starts, data.claim));
  reply = { codes };
  transfer = codes.flatMap((c) => [c.code.buffer as ArrayBuffer, c.calls.buffer as ArrayBuffer]);
} catch (e) {
  reply = { error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
}
parentPort!.postMessage(reply, transfer);

/** Everything the CLI does to the outside world, injectable so tests run main() in-process. */
import { readFile, writeFile } from 'node:fs/promises';

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  readFile(path: string): Promise<Uint8Array>;
  writeFile(path: string, data: Uint8Array | string): Promise<void>;
}

export const nodeIo: CliIo = {
  out: (text) => { process.stdout.write(text); },
  err: (text) => { process.stderr.write(text); },
  readFile: async (path) => new Uint8Array(await readFile(path)),
  writeFile: (path, data) => writeFile(path, data),
};

/** Exit status when stdout or stderr was closed by the reader (`xipwasm inspect x.aot | head`): 128 + SIGPIPE, as a
    C tool killed by the signal would report, so a pipeline sees the same status either way. */
export const CLOSED_OUTPUT_STATUS = 141;

/**
 * A reader that closes the pipe early makes the next write fail with EPIPE, asynchronously, as an 'error' event on
 * the stream; unhandled, Node prints a stack trace. Exit quietly instead. Installed once by bin/xipwasm.js.
 */
export function exitQuietlyOnClosedOutput(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE' || e.code === 'ERR_STREAM_DESTROYED') process.exit(CLOSED_OUTPUT_STATUS);
      throw e;
    });
  }
}

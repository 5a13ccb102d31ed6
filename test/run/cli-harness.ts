/** Runs the CLI in-process, as the tests of `xipwasm run` and friends need it: exit status and both streams. */
import { execFileSync } from 'node:child_process';
import { main } from '../../src/cli/main.js';
import { nodeIo, type CliIo } from '../../src/cli/io.js';

export async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { ...nodeIo, out: (t) => { out += t; }, err: (t) => { err += t; } };
  return { code: await main(argv, io), out, err };
}

export function haveWat2wasm(): boolean {
  try {
    execFileSync('wat2wasm', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

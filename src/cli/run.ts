/** `xipwasm run`: placeholder until its implementation lands. */
import type { CliIo } from './io.js';

export function runCommand(_argv: readonly string[], io: CliIo): Promise<number> {
  io.err('xipwasm: run: not implemented yet\n');
  return Promise.resolve(2);
}

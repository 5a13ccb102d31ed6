/** `xipwasm inspect`: placeholder until its implementation lands. */
import type { CliIo } from './io.js';

export function inspectCommand(_argv: readonly string[], io: CliIo): Promise<number> {
  io.err('xipwasm: inspect: not implemented yet\n');
  return Promise.resolve(2);
}

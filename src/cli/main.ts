/**
 * xipwasm command line: parsing and printing only. Each subcommand lives in
 * its own file; every rule lives in the compiler core.
 */
import { CompileError } from '../errors.js';
import { nodeIo, type CliIo } from './io.js';
import { packageVersion } from './version.js';

type Command = (argv: readonly string[], io: CliIo) => Promise<number>;

/**
 * Each subcommand is imported when it runs: a process pays only for its own command's modules (`run` alone pulls in
 * QEMU's driver, `inspect` the disassembler), and startup is a visible share of a `compile` (docs/performance.md).
 */
const COMMANDS: ReadonlyMap<string, readonly [() => Promise<Command>, string]> = new Map([
  ['compile', [async () => (await import('./compile.js')).compileCommand, 'Compile a .wasm module to an AOT file (wamrc-compatible flags)']],
  ['intrinsics', [async () => (await import('./intrinsics.js')).intrinsicsCommand, 'Show which operations become runtime calls for a CPU (and a module)']],
  ['inspect', [async () => (await import('./inspect.js')).inspectCommand, 'Describe an AOT file']],
  ['run', [async () => (await import('./run.js')).runCommand, 'Run a module on an emulated board']],
  ['serve', [async () => (await import('./serve.js')).serveCommand, 'Serve the in-browser compiler page on localhost']],
  ['gen-symbols', [async () => (await import('./gen-symbols.js')).genSymbolsCommand, 'Print runtime/include/xipwasm_symbols.h (maintainers)']],
]);

export function mainUsage(): string {
  const w = Math.max(...[...COMMANDS.keys()].map((k) => k.length)) + 2;
  return (
    'Usage: xipwasm <command> [options]\n\n' +
    'Ahead-of-time compiler from WebAssembly to execute-in-place Thumb-2 code for Cortex-M.\n\n' +
    'Commands:\n' +
    [...COMMANDS].map(([name, [, help]]) => `  ${name.padEnd(w)}${help}\n`).join('') +
    '\nOptions:\n  --help, -h   Show this help (also: xipwasm <command> --help)\n  --version    Show the version\n'
  );
}

export async function main(argv: string[], io: CliIo = nodeIo): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    if (first === 'help' && rest[0] !== undefined && COMMANDS.has(rest[0])) return main([rest[0], '--help'], io);
    (first === undefined ? io.err : io.out)(mainUsage());
    return first === undefined ? 1 : 0;
  }
  if (first === '--version') {
    io.out(`xipwasm ${packageVersion()}\n`);
    return 0;
  }
  const command = COMMANDS.get(first);
  if (command === undefined) {
    io.err(`xipwasm: error: unknown command '${first}'\n\n${mainUsage()}`);
    return 1;
  }
  try {
    return await (await command[0]())(rest, io);
  } catch (e) {
    if (e instanceof CompileError) {
      io.err(`xipwasm: error: ${e.message}\n`);
      return 1;
    }
    if (isNodeFsError(e)) {
      io.err(`xipwasm: error: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}

function isNodeFsError(e: unknown): e is Error & { code: string } {
  return e instanceof Error && typeof (e as { code?: unknown }).code === 'string' && (e as { syscall?: unknown }).syscall !== undefined;
}

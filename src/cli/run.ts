/**
 * `xipwasm run`: runs one export of an AOT file (or of a .wasm, compiled first for the board's CPU) on an
 * emulated board, with the image in the board's read-only flash.
 *
 * Exit status: 0 the call returned; 1 an error (usage, file, the board refused the module or the call);
 * 2 the call trapped; 3 a hardware fault on the board; 4 timeout.
 */
import { Kind } from '../aot/format.js';
import { compileModule } from '../compile.js';
import { readAot } from '../aot/reader.js';
import { CompileError, UsageError } from '../errors.js';
import type { BoardSpec } from '../run/boards.js';
import { BOARD_NAMES, boardSpec } from '../run/boards.js';
import type { WasmValue, ValueType } from '../run/protocol.js';
import { runBatch } from '../run/qemu.js';
import { describeValue, parseValueText, valueToText } from '../run/values.js';
import { valTypeName } from '../wasm/types.js';
import type { ValType } from '../wasm/types.js';
import type { FlagSpec } from './args.js';
import { formatFlagHelp, parseArgs } from './args.js';

/** xipwasm.h: a segment was out of bounds or the start function trapped. */
const XW_ERR_UNINSTANTIABLE = 22;
import type { CliIo } from './io.js';

const FLAGS: readonly FlagSpec[] = [
  { name: '--board', kind: 'value', valueName: '<board>', help: `Board to run on: ${BOARD_NAMES.join(', ')} (default ${BOARD_NAMES[0] as string})` },
  { name: '--invoke', kind: 'value', valueName: '<name>', separateValue: true, help: 'Export to call; the arguments follow the file' },
  { name: '--count-instructions', kind: 'switch', help: 'Report the exact number of instructions the call executed' },
  { name: '--json', kind: 'switch', help: 'Print {"results":[...],"trap":...,"instructions":...}' },
  { name: '--timeout', kind: 'value', valueName: '<ms>', help: 'Wall-clock limit for the emulator (default 60000)' },
  { name: '--help', alias: '-h', kind: 'switch', help: 'Show this help' },
];

function usage(): string {
  return 'Usage: xipwasm run [--board=<board>] FILE.aot|FILE.wasm --invoke <name> [args...]\n\n' +
    'Arguments are typed by the export\'s signature: integers in decimal or 0x-hex, floats as decimals,\n' +
    '0x1.8p3, inf, nan, nan:0x<payload> or bits:0x<bits>; refs as null or a number.\n\n' +
    'Options:\n' + formatFlagHelp(FLAGS) +
    '\nExit status: 0 returned, 1 error, 2 trapped, 3 hardware fault, 4 timeout.\n';
}

/** Negative numbers are arguments, not options: hide them from the option parser. */
function protectNegatives(argv: readonly string[]): { argv: string[]; restore(s: string): string } {
  const saved: string[] = [];
  const out = argv.map((a) => {
    if (/^-(\d|\.|inf|nan)/i.test(a)) {
      saved.push(a);
      return `\u0000${saved.length - 1}`;
    }
    return a;
  });
  return { argv: out, restore: (s) => (s.startsWith('\u0000') ? saved[Number(s.slice(1))] as string : s) };
}

/** Compiles a .wasm for the board's CPU (its default float ABI is the board's) as an XIP file. */
function compileForBoard(wasm: Uint8Array, board: BoardSpec): Uint8Array {
  return compileModule(wasm, { target: board.target, cpu: board.cpu, xip: true }).image;
}

function isWasm(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x00 && bytes[1] === 0x61 && bytes[2] === 0x73 && bytes[3] === 0x6d;
}

export async function runCommand(argvIn: readonly string[], io: CliIo): Promise<number> {
  const prot = protectNegatives(argvIn);
  const args = parseArgs(prot.argv, FLAGS, 'run');
  if (args.switches.has('--help')) {
    io.out(usage());
    return 0;
  }
  const positionals = args.positionals.map(prot.restore);
  const [file, ...rawArgs] = positionals;
  const name = args.values.get('--invoke');
  if (file === undefined) throw new UsageError('run: no input file (see xipwasm run --help)');
  if (name === undefined) throw new UsageError('run: --invoke <name> is required');
  const board = boardSpec(args.values.get('--board') ?? (BOARD_NAMES[0] as string));
  const timeoutText = args.values.get('--timeout');
  const timeoutMs = timeoutText === undefined ? 60_000 : Number(timeoutText);
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) throw new UsageError(`--timeout needs a positive integer, got '${timeoutText ?? ''}'`);

  const input = await io.readFile(file);
  const image = isWasm(input) ? compileForBoard(input, board) : input;
  const aot = readAot(image);
  if (aot.cpu !== board.cpu || aot.floatAbi !== board.floatAbi) {
    io.err(`xipwasm: warning: ${file} is for ${aot.cpu} (${aot.floatAbi}-float); ${board.name} is ${board.cpu} (${board.floatAbi}-float)\n`);
  }
  const exp = aot.exports.find((e) => e.name === name && e.kind === Kind.Func);
  if (exp === undefined) {
    const funcs = aot.exports.filter((e) => e.kind === Kind.Func).map((e) => e.name);
    throw new UsageError(`run: no exported function '${name}' (exported functions: ${funcs.length > 0 ? funcs.join(', ') : 'none'})`);
  }
  const fn = aot.funcs[exp.index];
  const type = fn === undefined ? undefined : aot.types[fn.typeIndex];
  if (type === undefined) throw new CompileError('decode', `export '${name}' names a function with no type`, -1);
  const paramTypes = type.params.map((t: ValType) => valTypeName(t) as ValueType);
  if (rawArgs.length !== paramTypes.length) {
    throw new UsageError(`run: '${name}' takes ${paramTypes.length} argument(s) (${paramTypes.join(', ') || 'none'}), got ${rawArgs.length}`);
  }
  const values: WasmValue[] = rawArgs.map((a, i) => parseValueText(paramTypes[i] as ValueType, a));

  const count = args.switches.has('--count-instructions');
  const out = await runBatch(board.name, [
    { kind: 'module', image },
    { kind: 'invoke', module: 0, name, args: values, results: type.results.length },
  ], { timeoutMs, countInstructions: count });

  const json = args.switches.has('--json');
  const [loaded, called] = out.results;
  if (loaded?.kind === 'error' && loaded.code === XW_ERR_UNINSTANTIABLE) {
    // the start function (or a segment's initialisation) trapped: a trap, whatever call was asked for
    const message = loaded.message.replace(/^trap: /, '');
    if (args.switches.has('--json')) io.out(`${JSON.stringify({ results: [], trap: message, instructions: null })}\n`);
    else io.out(`trap: ${message} (while instantiating)\n`);
    return 2;
  }
  if (loaded?.kind === 'error') {
    io.err(`xipwasm: error: the board refused ${file}: ${loaded.message} (code ${loaded.code})\n`);
    return 1;
  }
  if (called?.kind === 'values') {
    const instructions = count ? called.instructions ?? null : null;
    if (json) {
      io.out(`${JSON.stringify({ results: called.values.map(describeValue), trap: null, instructions })}\n`);
    } else {
      for (const v of called.values) io.out(`${valueToText(v)}\n`);
      if (instructions !== null) io.out(`instructions: ${instructions}\n`);
    }
    return 0;
  }
  if (called?.kind === 'trap') {
    const instructions = count ? called.instructions ?? null : null;
    if (json) {
      io.out(`${JSON.stringify({ results: [], trap: called.message, instructions })}\n`);
    } else {
      io.out(`trap: ${called.message}\n`);
      if (instructions !== null) io.out(`instructions: ${instructions}\n`);
    }
    return 2;
  }
  if (called?.kind === 'error') {
    io.err(`xipwasm: error: ${called.message} (code ${called.code})\n`);
    return 1;
  }
  if (out.fault !== undefined) {
    const site = out.fault.site?.textOffset !== undefined ? ` (pc at text offset 0x${out.fault.site.textOffset.toString(16)} of ${file})` : '';
    io.err(`xipwasm: ${board.name}: hardware fault: ${out.fault.line}${site}\n`);
    return 3;
  }
  if (out.timedOut) {
    io.err(`xipwasm: ${board.name}: no answer within ${timeoutMs} ms (the guest may be spinning)\n`);
    return 4;
  }
  io.err(`xipwasm: ${board.name}: the emulator ended without an answer (exit ${String(out.exitCode ?? out.signal)})\n${out.log}\n`);
  return 1;
}

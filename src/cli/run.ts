/**
 * `xipwasm run`: a host runner like iwasm, on an emulated board. Loads one module (an AOT file, or a .wasm
 * compiled first for the board's CPU with the compile flags given) into the board's read-only flash, instantiates
 * it once, and calls `--invoke NAME args...` as many times as given, in order, on that instance, in one QEMU
 * launch. Without --invoke it calls `_start` (the command convention). Spectest prints and the output of host
 * functions (--native-lib) are shown as they come.
 *
 * A WASI command's proc_exit status becomes the exit status.
 * Exit status: 0 every call returned; 1 an error (usage, file, the board refused the module or a call); 2 a call
 * (or the start function) trapped; 3 a hardware fault on the board; 4 timeout. With several calls: the first
 * failure's status, after all of them ran.
 */
import { TextDecoder } from 'node:util';
import { Kind } from '../aot/format.js';
import { compileWithOptions } from '../compile.js';
import { readAot, type AotFile } from '../aot/reader.js';
import { CompileError, UsageError } from '../errors.js';
import type { BoardSpec } from '../run/boards.js';
import { BOARD_NAMES, BOARDS, boardSpec, boardsFor } from '../run/boards.js';
import type { BatchRequest, BatchResult, CallStack, ValueType, WasmValue } from '../run/protocol.js';
import { runBatch, type RunEvent } from '../run/qemu.js';
import { encodeWasi, parseValue } from '../run/protocol.js';
import { describeValue, parseValueText, valueToText } from '../run/values.js';
import { valTypeName } from '../wasm/types.js';
import type { ValType } from '../wasm/types.js';
import { resolveCompileOptions } from '../xip/options.js';
import type { FlagSpec } from './args.js';
import { formatFlagHelp, parseArgs } from './args.js';
import { COMPILE_FLAG_SPECS, pageSizeRewrite, rawOptionsFromArgs } from './compile.js';
import type { CliIo } from './io.js';

/** xipwasm.h: a segment was out of bounds or the start function trapped. */
const XW_ERR_UNINSTANTIABLE = 22;
/** xipwasm.h: the call ended in WASI proc_exit (the message names the status). */
const XW_ERR_EXIT = 41;

/** The compile flags that make sense for a module compiled for a board (the board fixes CPU and target). */
const PASSED_THROUGH: ReadonlySet<string> = new Set(['--target', '--cpu', '--target-abi', '--enable-builtin-intrinsics', '--xip',
  '--enable-indirect-mode', '--disable-llvm-intrinsics', '--internal-calls-via-table', '--opt-level', '--size-level',
  '--bounds-checks', '--stack-bounds-checks', '--disable-simd', '--disable-aux-stack-check', '--disable-llvm-lto',
  '--memory-page-size', '--initial-memory', '--enable-dump-call-stack']);
const COMPILE_FLAGS = COMPILE_FLAG_SPECS.filter((s) => PASSED_THROUGH.has(s.name) || (s.refuse !== undefined && s.name !== '--native-lib'));

const FLAGS: readonly FlagSpec[] = [
  { name: '--board', kind: 'value', valueName: '<board>', help: `Board to run on: ${BOARD_NAMES.join(', ')} (default: the board of the image's CPU; ${BOARD_NAMES[0] as string} for a .wasm without --cpu)` },
  { name: '--invoke', kind: 'value', valueName: '<name>', separateValue: true, repeatable: true, help: 'Export to call, followed by its arguments; may be repeated (one instance, in order)' },
  { name: '--native-lib', kind: 'value', valueName: '<file.c>', repeatable: true, help: 'C host functions to build into the board firmware (may be repeated; docs/run.md)' },
  { name: '--env', kind: 'value', valueName: '<NAME=VALUE>', repeatable: true, help: 'A WASI environment variable for the program (may be repeated; iwasm\'s --env="A=B")' },
  {
    name: '--dir', kind: 'value', valueName: '<dir>', hidden: true, help: 'not supported',
    refuse: () => 'no WASI preopens: the board has no file system (the runtime\'s WASI gives stdout, stderr, arguments, environment, clocks and random bytes)',
  },
  {
    name: '--map-dir', kind: 'value', valueName: '<guest::host>', hidden: true, help: 'not supported',
    refuse: () => 'no WASI preopens: the board has no file system',
  },
  { name: '--count-instructions', kind: 'switch', help: 'Report the exact number of instructions each call executed' },
  { name: '--json', kind: 'switch', help: 'Print one {"results":[...],"trap":...,"instructions":...} line per call' },
  { name: '--timeout', kind: 'value', valueName: '<ms>', help: 'Wall-clock limit for the emulator (default 60000)' },
  { name: '--help', alias: '-h', kind: 'switch', help: 'Show this help' },
  ...COMPILE_FLAGS,
];

function usage(): string {
  return 'Usage: xipwasm run [options] FILE.aot|FILE.wasm [--invoke <name> [args...]]... [-- program args...]\n\n' +
    'Without --invoke, calls the module\'s _start. A WASI program gets FILE as argv[0], then the program args\n' +
    'after --, and the --env variables. Arguments are typed by the export\'s signature: integers in\n' +
    'decimal or 0x-hex, floats as decimals, 0x1.8p3, inf, nan, nan:0x<payload> or bits:0x<bits>; refs as null\n' +
    'or a number. A .wasm is compiled for the board first; the compile flags below are passed through.\n\n' +
    'Options:\n' + formatFlagHelp(FLAGS.filter((f) => !PASSED_THROUGH.has(f.name))) +
    '\nCompile flags (as for xipwasm compile; the board fixes --cpu/--target):\n' +
    formatFlagHelp(FLAGS.filter((f) => PASSED_THROUGH.has(f.name))) +
    '\nExit status: 0 returned, 1 error, 2 trapped, 3 hardware fault, 4 timeout (several calls: the first failure).\n';
}

interface Call { readonly name: string; readonly args: string[] }

interface Split {
  readonly options: string[];
  readonly file: string | undefined;
  readonly calls: Call[];
  readonly programArgs: readonly string[];
}

const NUMBER_LIKE = /^-(\d|\.|inf|nan)/i;

/** Sorts the command line into options, the file, the calls with their arguments, and what follows `--`. Negative
    numbers are arguments, not options. */
function splitCommandLine(argv: readonly string[]): Split {
  const byName = new Map<string, FlagSpec>();
  for (const s of FLAGS) {
    byName.set(s.name, s);
    if (s.alias !== undefined) byName.set(s.alias, s);
  }
  const options: string[] = [];
  const calls: Call[] = [];
  let file: string | undefined;
  let programArgs: readonly string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--') {
      programArgs = argv.slice(i + 1);
      break;
    }
    if (a === '--invoke' || a.startsWith('--invoke=')) {
      const name = a === '--invoke' ? argv[++i] : a.slice('--invoke='.length);
      if (name === undefined) throw new UsageError('option --invoke needs a value: --invoke <name>');
      calls.push({ name, args: [] });
      continue;
    }
    if (a.startsWith('-') && a !== '-' && !NUMBER_LIKE.test(a)) {
      options.push(a);
      const spec = byName.get(a);
      if (spec?.kind === 'value' && i + 1 < argv.length) options.push(argv[++i] as string);
      continue;
    }
    if (file === undefined) file = a;
    else if (calls.length > 0) (calls[calls.length - 1] as Call).args.push(a);
    else throw new UsageError(`run: unexpected argument '${a}' (a call's arguments follow --invoke <name>)`);
  }
  return { options, file, calls, programArgs };
}

function isWasm(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x00 && bytes[1] === 0x61 && bytes[2] === 0x73 && bytes[3] === 0x6d;
}

interface Prepared { readonly request: BatchRequest & { kind: 'invoke' }; readonly results: number }

function prepareCall(aot: AotFile, call: Call): Prepared {
  const exp = aot.exports.find((e) => e.name === call.name && e.kind === Kind.Func);
  if (exp === undefined) {
    const funcs = aot.exports.filter((e) => e.kind === Kind.Func).map((e) => e.name);
    throw new UsageError(`run: no exported function '${call.name}' (exported functions: ${funcs.length > 0 ? funcs.join(', ') : 'none'})`);
  }
  const fn = aot.funcs[exp.index];
  const type = fn === undefined ? undefined : aot.types[fn.typeIndex];
  if (type === undefined) throw new CompileError('decode', `export '${call.name}' names a function with no type`, -1);
  const paramTypes = type.params.map((t: ValType) => valTypeName(t) as ValueType);
  if (call.args.length !== paramTypes.length) {
    throw new UsageError(`run: '${call.name}' takes ${paramTypes.length} argument(s) (${paramTypes.join(', ') || 'none'}), got ${call.args.length}`);
  }
  const values: WasmValue[] = call.args.map((a, i) => parseValueText(paramTypes[i] as ValueType, a));
  return { request: { kind: 'invoke', module: 0, name: call.name, args: values, results: type.results.length }, results: type.results.length };
}

/** `print_i32 i32:0x00000005` from the firmware → `spectest.print_i32(5)`. */
function formatPrint(text: string): string {
  const [name, ...vals] = text.split(' ');
  const shown = vals.map((v) => {
    try {
      return valueToText(parseValue(v)).replace(/^[a-z0-9]+:/, '');
    } catch {
      return v;
    }
  });
  return `spectest.${name ?? ''}(${shown.join(', ')})\n`;
}

export async function runCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const split = splitCommandLine(argv);
  const args = parseArgs(split.options, FLAGS, 'run');
  if (args.switches.has('--help')) {
    io.out(usage());
    return 0;
  }
  const { file } = split;
  if (file === undefined) throw new UsageError('run: no input file (see xipwasm run --help)');
  const timeoutText = args.values.get('--timeout');
  const timeoutMs = timeoutText === undefined ? 60_000 : Number(timeoutText);
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) throw new UsageError(`--timeout needs a positive integer, got '${timeoutText ?? ''}'`);

  const input = await io.readFile(file);
  const compileFlags = split.options.filter((o) => PASSED_THROUGH.has(o.replace(/=.*$/, '')));
  const boardArg = args.values.get('--board');
  let image: Uint8Array;
  let board: BoardSpec;
  if (isWasm(input)) {
    const raw = rawOptionsFromArgs(args);
    if (boardArg === undefined && (raw.cpu !== undefined || raw.target !== undefined)) {
      const options = resolveCompileOptions({ ...raw, xip: true });
      board = pickBoard(options.cpu, options.floatAbi, undefined, 'code compiled with these flags');
    } else {
      board = boardSpec(boardArg ?? (BOARD_NAMES[0] as string));
    }
    image = compileForBoard(pageSizeRewrite(args, input, undefined), board, raw);
  } else {
    if (compileFlags.length > 0) throw new UsageError(`run: ${file} is already compiled; compile flags (${compileFlags.join(' ')}) apply to a .wasm`);
    image = input;
    const header = readAot(image);
    board = pickBoard(header.cpu, header.floatAbi, boardArg, file);
  }
  const aot = readAot(image);
  // the RISC-V boards run RV32 code (issue 11) though the suites do not loop over them yet (runsCompiledCode)
  if (!board.runsCompiledCode && board.arch === 'arm') {
    io.err(`xipwasm: warning: ${board.name} runs the runtime only: the compiler generates no code for it yet, so ${aot.cpu} code faults when called (docs/boards.md)\n`);
  }
  let calls = split.calls;
  if (calls.length === 0) {
    if (!aot.exports.some((e) => e.name === '_start' && e.kind === Kind.Func)) {
      throw new UsageError(`run: nothing to call: give --invoke <name> [args...], or export _start (exported functions: ${
        aot.exports.filter((e) => e.kind === Kind.Func).map((e) => e.name).join(', ') || 'none'})`);
    }
    calls = [{ name: '_start', args: [] }];
  }
  const env = args.lists.get('--env') ?? [];
  for (const e of env) {
    if (e.indexOf('=') <= 0) throw new UsageError(`--env=${e}: a variable is NAME=VALUE`);
  }
  // as iwasm: argv[0] is the module's path as given, then what follows --
  const wasi = { args: [file, ...split.programArgs], env };
  try {
    encodeWasi(wasi);
  } catch (e) {
    if (e instanceof RangeError) throw new UsageError(`run: ${e.message}`);
    throw e;
  }
  const prepared = calls.map((c) => prepareCall(aot, c));

  const count = args.switches.has('--count-instructions');
  const json = args.switches.has('--json');
  const statuses: number[] = [];
  const decoders = new Map<number, TextDecoder>();
  let moduleFailed = false;
  // Shown as the board answers: prints and program output in order, each call's result when it comes back.
  const onEvent = (e: RunEvent): void => {
    switch (e.kind) {
      case 'print':
        io.out(formatPrint(e.text));
        break;
      case 'output': {
        const d = decoders.get(e.fd) ?? new TextDecoder();
        decoders.set(e.fd, d);
        (e.fd === 2 ? io.err : io.out)(d.decode(e.bytes, { stream: true }));
        break;
      }
      case 'result':
        // with --count-instructions the counts are attached after the run: results are shown then
        if (e.request === 0) moduleFailed = e.result.kind !== 'ok';
        else if (!moduleFailed && !count) statuses.push(showResult(e.result, prepared[e.request - 1] as Prepared, count, json, io));
        break;
      default:
        break;
    }
  };
  const out = await runBatch(board.name, [{ kind: 'module', image, wasi }, ...prepared.map((p) => p.request)],
    { timeoutMs, countInstructions: count, nativeLibs: args.lists.get('--native-lib') ?? [], onEvent });

  const [loaded] = out.results;
  if (loaded?.kind === 'error' && loaded.code === XW_ERR_UNINSTANTIABLE) {
    // the start function (or a segment's initialisation) trapped: a trap, whatever call was asked for
    const message = loaded.message.replace(/^trap: /, '');
    if (json) io.out(`${JSON.stringify({ results: [], trap: message, instructions: null, ...stackJson(loaded.callStack) })}\n`);
    else io.out(`trap: ${message} (while instantiating)\n${formatCallStack(loaded.callStack)}`);
    return 2;
  }
  if (loaded?.kind === 'error') {
    io.err(`xipwasm: error: the board refused ${file}: ${loaded.message} (code ${loaded.code})\n`);
    return 1;
  }
  if (count) out.results.slice(1).forEach((r, i) => { if (r.kind !== 'not-run') statuses.push(showResult(r, prepared[i] as Prepared, count, json, io)); });
  const firstFailure = statuses.find((s) => s !== 0);
  if (out.results.slice(1).every((r) => r.kind !== 'not-run' && r.kind !== 'fault' && r.kind !== 'timeout')) return firstFailure ?? 0;
  if (out.fault !== undefined) {
    const site = out.fault.site?.textOffset !== undefined ? ` (pc at text offset 0x${out.fault.site.textOffset.toString(16)} of ${file})` : '';
    io.err(`xipwasm: ${board.name}: hardware fault: ${out.fault.line}${site}\n`);
    return firstFailure ?? 3;
  }
  if (out.timedOut) {
    io.err(`xipwasm: ${board.name}: no answer within ${timeoutMs} ms (the guest may be spinning)\n`);
    return firstFailure ?? 4;
  }
  io.err(`xipwasm: ${board.name}: the emulator ended without an answer (exit ${String(out.exitCode ?? out.signal)})\n${out.log}\n`);
  return firstFailure ?? 1;
}

/** The board for an image of this CPU and float ABI: the one asked for if it can run it, else the first that can.
    A board that cannot is refused, naming those that can. */
function pickBoard(cpu: string, floatAbi: 'soft' | 'hard', asked: string | undefined, what: string): BoardSpec {
  const able = boardsFor(cpu, floatAbi);
  const which = able.length > 0 ? `boards that run it: ${able.join(', ')}` : `no board runs it (boards: ${BOARD_NAMES.map((b) => `${b} ${BOARDS[b].cpu}`).join(', ')})`;
  if (asked === undefined) {
    const first = able[0];
    if (first === undefined) throw new UsageError(`run: ${what} is for ${cpu} (${floatAbi}-float): ${which}`);
    return BOARDS[first];
  }
  const b = boardSpec(asked);
  if (!able.includes(b.name)) {
    throw new UsageError(`run: ${what} is for ${cpu} (${floatAbi}-float) and ${b.name} is ${b.cpu} (${b.floatAbi}-float): ${which}`);
  }
  return b;
}

/** Compiles a .wasm for the board's CPU (its default float ABI is the board's) as an XIP file, with the flags given. */
function compileForBoard(wasm: Uint8Array, board: BoardSpec, raw: ReturnType<typeof rawOptionsFromArgs>): Uint8Array {
  const given = raw.cpu !== undefined || raw.target !== undefined;
  const options = resolveCompileOptions({ ...raw, cpu: given ? raw.cpu : board.cpu, target: given ? raw.target : board.target, xip: true });
  pickBoard(options.cpu, options.floatAbi, board.name, 'code compiled with these flags');
  return compileWithOptions(wasm, options).image;
}

/** Prints one call's result; returns its exit status. */
function showResult(r: BatchResult, p: Prepared, count: boolean, json: boolean, io: CliIo): number {
  const instructions = count && (r.kind === 'values' || r.kind === 'trap') ? r.instructions ?? null : null;
  switch (r.kind) {
    case 'values':
      if (json) io.out(`${JSON.stringify({ results: r.values.map(describeValue), trap: null, instructions })}\n`);
      else {
        for (const v of r.values) io.out(`${valueToText(v)}\n`);
        if (instructions !== null) io.out(`instructions: ${instructions}\n`);
      }
      return 0;
    case 'trap':
      if (json) io.out(`${JSON.stringify({ results: [], trap: r.message, instructions, ...stackJson(r.callStack) })}\n`);
      else {
        io.out(`trap: ${r.message}\n${formatCallStack(r.callStack)}`);
        if (instructions !== null) io.out(`instructions: ${instructions}\n`);
      }
      return 2;
    case 'error': {
      // WASI proc_exit ends the call with XW_ERR_EXIT: the program's status becomes ours, as with iwasm
      const exit = r.code === XW_ERR_EXIT ? /proc_exit\((-?\d+)\)/.exec(r.message) : null;
      if (exit !== null) {
        if (json) io.out(`${JSON.stringify({ results: [], trap: null, instructions, exit: Number(exit[1]) })}\n`);
        return Number(exit[1]) & 0xff;
      }
      io.err(`xipwasm: error: ${p.request.name}: ${r.message} (code ${r.code})\n`);
      return 1;
    }
    case 'timeout':
      return 4;
    case 'fault':
      return 3;
    case 'ok': case 'crc': case 'no-fault': case 'not-run':
      return 1;
    default:
      return 1;
  }
}

/**
 * The call stack of a trap (--enable-dump-call-stack), innermost first, one `#<k> $<name> (func <index>)` line per
 * frame as WAMR's dump numbers them; nothing for code built without the flag.
 */
export function formatCallStack(stack: CallStack | undefined): string {
  if (stack === undefined) return '';
  const lines = stack.frames.map((f, k) => `#${k} ${f.name === undefined ? '' : `$${f.name} `}(func ${f.func})\n`);
  const more = stack.depth - stack.frames.length;
  return lines.join('') + (more > 0 ? `... ${more} more frame${more === 1 ? '' : 's'}\n` : '');
}

function stackJson(stack: CallStack | undefined): { callStack?: { func: number; name: string | null }[]; callStackDepth?: number } {
  if (stack === undefined) return {};
  return { callStack: stack.frames.map((f) => ({ func: f.func, name: f.name ?? null })), callStackDepth: stack.depth };
}

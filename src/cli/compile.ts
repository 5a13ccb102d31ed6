/** `xipwasm compile`: wamrc-compatible flags, turned into CompileOptions. */
import { UsageError } from '../errors.js';
import { parseModule } from '../wasm/index.js';
import { withOneBytePages } from '../wasm/page-size.js';
import { requireCodegen, resolveCompileOptions, type CompileOptions, type RawCompileOptions } from '../xip/options.js';
import { moduleSymbolUses } from '../xip/usage.js';
import { formatFlagHelp, parseArgs, type FlagSpec, type ParsedArgs } from './args.js';
import { compileWithJobs } from './jobs.js';
import { formatResolution, formatUses } from './format-intrinsics.js';
import type { CliIo } from './io.js';
import { printTargetHelp, TARGET_FLAG_SPECS } from './target-flags.js';
import { packageVersion } from './version.js';

const NO_LLVM = 'xipwasm generates Thumb-2 itself, without LLVM';

/** wamrc's options that xipwasm knows but does not honour, each with the reason (README, "wamrc's flags"). */
const REFUSED: readonly FlagSpec[] = ([
  ['-sgx', 'switch', 'Intel SGX is an x86 platform'],
  ['--disable-bulk-memory', 'switch', 'bulk memory is always on (part of WebAssembly 2.0); the runtime needs no switch for it'],
  ['--enable-multi-thread', 'switch', 'no threads: the runtime has no shared memory, atomics or thread manager'],
  ['--enable-tail-call', 'switch', 'tail calls (return_call) are not compiled'],
  ['--enable-simd', 'switch', '128-bit SIMD is not compiled (--disable-simd is accepted)'],
  ['--disable-ref-types', 'switch', 'reference types are always on (part of WebAssembly 2.0)'],
  ['--enable-perf-profiling', 'switch', 'the runtime keeps no per-function timers; `xipwasm run --count-instructions` counts a call exactly'],
  ['--enable-memory-profiling', 'switch', 'the runtime allocates nothing dynamically; its RAM need is xw_instance_ram_size()'],
  ['--enable-gc', 'switch', 'the GC proposal is not compiled'],
  ['--enable-llvm-pgo', 'switch', NO_LLVM],
  ['--use-prof-file', 'value', NO_LLVM],
  ['--enable-llvm-passes', 'value', NO_LLVM],
  ['--mllvm', 'value', NO_LLVM],
  ['--enable-segue', 'switch', 'segment-register addressing exists only on x86-64'],
  ['--emit-custom-sections', 'value', 'the AOT file carries no custom sections (the runtime reads none)'],
  ['--native-lib', 'value', 'imports are bound when the runtime instantiates the module, not at compile time (see `xipwasm run --native-lib=file.c`)'],
  ['--invoke-c-api-import', 'switch', 'there is no wasm-c-api; imports go through the runtime\'s host-function table'],
  ['--enable-linux-perf', 'switch', 'Linux perf does not run on a Cortex-M'],
] as const).map(([name, kind, why]) => ({
  name, kind, help: `not supported: ${why}`, hidden: true, optionalValue: name === '--enable-segue', refuse: () => why,
}));

export const COMPILE_FLAG_SPECS: readonly FlagSpec[] = [
  { name: '-o', kind: 'value', separateValue: true, valueName: '<file>', help: 'Output AOT file (default: the input with .aot)' },
  ...TARGET_FLAG_SPECS,
  { name: '--xip', kind: 'switch', help: 'Execute-in-place image, as wamrc: --enable-indirect-mode --disable-llvm-intrinsics,\nexcept that calls inside the module stay PC-relative BL' },
  { name: '--enable-indirect-mode', kind: 'switch', help: 'WAMR\'s indirect mode: calls between the module\'s own functions also go\nthrough the function-pointer table (everything else always does)' },
  { name: '--disable-llvm-intrinsics', kind: 'switch', help: 'Accepted for wamrc compatibility: xipwasm never calls compiler-rt,\nso the intrinsic policy always applies' },
  {
    name: '--internal-calls-via-table', kind: 'switch',
    help: 'With --xip: keep WAMR\'s literal behaviour, calling the module\'s own\nfunctions through the function-pointer table (default with --xip:\nPC-relative BL, also relocation-free)',
  },
  { name: '--opt-level', kind: 'value', valueName: '<0..3>', help: 'Optimisation level (default 2; 0 compiles fastest: no IR passes, a cheaper allocation; 1..3 optimize)' },
  {
    name: '--size-level', kind: 'value', valueName: '<0..3>',
    help: 'Accepted, same code at every level: wamrc\'s levels pick LLVM code models for\n64-bit relocations; Thumb code here is always PC-relative and relocation-free',
  },
  {
    name: '--bounds-checks', kind: 'value', valueName: '<1|0>',
    help: 'Linear-memory bounds checks: 1 (always on; 0 is refused: a Cortex-M has\nno guard pages, so it would remove the sandbox)',
    refuse: (v) => (v === '1' ? undefined : v === '0'
      ? 'every access is checked inline and the checks are the sandbox (a Cortex-M has no guard pages to trap a stray access); without them a module could write any RAM'
      : 'the value is 1 or 0'),
  },
  {
    name: '--stack-bounds-checks', kind: 'value', valueName: '<1|0>',
    help: 'Native-stack checks in function prologues: 1 (always on; 0 is refused)',
    refuse: (v) => (v === '1' ? undefined : v === '0'
      ? 'the prologue\'s stack-limit check is what turns deep recursion into a trap instead of overwriting RAM below the stack'
      : 'the value is 1 or 0'),
  },
  {
    name: '--format', kind: 'value', valueName: '<aot>', help: 'Output format: aot (the only one; object and llvmir-* need LLVM)',
    refuse: (v) => (v === 'aot' ? undefined : v === 'object' || v?.startsWith('llvmir') === true ? `${NO_LLVM}; only --format=aot` : 'formats: aot'),
  },
  {
    name: '--memory-page-size', kind: 'value', valueName: '<1|65536>',
    help: 'Rewrite the memory to 1-byte pages first (custom-page-sizes proposal), sized to\nwhat its data, stack pointer and __heap_base need; refused for modules that\nuse memory.size/grow (docs/small-memories.md). 65536: leave it as it is',
    refuse: (v) => (v === '1' || v === '65536' ? undefined : 'the page size is 1 or 65536'),
  },
  {
    name: '--initial-memory', kind: 'value', valueName: '<bytes>',
    help: 'With --memory-page-size=1: the memory\'s size in bytes (default: what the\nmodule needs, rounded up to 16)',
  },
  { name: '--disable-simd', kind: 'switch', help: 'Accepted: SIMD is never compiled (as wamrc on 32-bit Arm)' },
  { name: '--disable-aux-stack-check', kind: 'switch', help: 'Accepted: xipwasm never checks the auxiliary (__stack_pointer) stack' },
  { name: '--disable-llvm-lto', kind: 'switch', help: 'Accepted: there is no LLVM and no link-time optimisation to disable' },
  {
    name: '--enable-stack-estimation', kind: 'switch',
    help: 'Print each function\'s machine-stack use (its own frame, upper bound; not\nits callees) after compiling',
  },
  {
    name: '--enable-dump-call-stack', kind: 'switch',
    help: 'Keep a frame record per call so that a trap reports the Wasm call stack\n(xw_trap_call_stack; `xipwasm run` prints it); costs code and time',
  },
  { name: '--stack-usage', kind: 'value', valueName: '<file>', help: 'Write the same per-function stack use to <file> (clang -fstack-usage style)' },
  {
    name: '--jobs', kind: 'value', valueName: '<n>',
    help: 'Threads to compile the functions with (default: one per idle core, up to\n4, for a module with 256 KiB of code or more, else 1); the file is the\nsame byte for byte whatever n is',
  },
  { name: '--verbose', alias: '-v', kind: 'switch', optionalValue: true, valueName: '<n>', help: 'Print the resolved options and the runtime functions the module needs\n(wamrc\'s -v=n: levels 3 and above do the same)' },
  { name: '--help', alias: '-h', kind: 'switch', help: 'Show this help' },
  { name: '--version', kind: 'switch', help: 'Show the version' },
  ...REFUSED,
];

export const COMPILE_USAGE =
  'Usage: xipwasm compile [options] -o <output.aot> <input.wasm>\n\n' +
  'Examples (from WAMR doc/xip.md):\n' +
  '  xipwasm compile --target=thumbv8m.main --cpu=cortex-m55 --xip --enable-builtin-intrinsics=i64.common -o hello.aot hello.wasm\n' +
  '  xipwasm compile --target=thumbv7m --cpu=cortex-m3 --xip --enable-builtin-intrinsics=i64.common,fp.common,fpxint -o hello.aot hello.wasm\n\n' +
  'Options:\n';

function parseOptLevelText(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^[0-9]+$/.test(text)) throw new UsageError(`--opt-level must be 0, 1, 2 or 3, not '${text}'`);
  return Number(text);
}

/** Flags -> RawCompileOptions; all rules are in resolveCompileOptions. */
export function rawOptionsFromArgs(args: ParsedArgs): RawCompileOptions {
  return {
    target: args.values.get('--target'),
    cpu: args.values.get('--cpu'),
    targetAbi: args.values.get('--target-abi'),
    cpuFeatures: args.values.get('--cpu-features'),
    xip: args.switches.has('--xip'),
    enableIndirectMode: args.switches.has('--enable-indirect-mode'),
    internalCallsViaTable: args.switches.has('--internal-calls-via-table'),
    disableLlvmIntrinsics: args.switches.has('--disable-llvm-intrinsics'),
    enableBuiltinIntrinsics: args.values.get('--enable-builtin-intrinsics'),
    optLevel: parseOptLevelText(args.values.get('--opt-level')),
    enableDumpCallStack: args.switches.has('--enable-dump-call-stack'),
  };
}

/** --verbose / -v, or wamrc's -v=<0..5> (default 2): levels 3 and up print what --verbose prints. */
function verboseLevel(args: ParsedArgs): boolean {
  if (!args.switches.has('--verbose')) return false;
  const level = args.values.get('--verbose');
  if (level === undefined) return true;
  if (!/^[0-5]$/.test(level)) throw new UsageError(`-v=<n> takes 0..5, not '${level}'`);
  return Number(level) >= 3;
}

export function formatOptions(o: CompileOptions): string {
  return (
    `target=${o.target} cpu=${o.cpu} float-abi=${o.floatAbi} xip=${o.xip} indirect-mode=${o.indirectMode} ` +
    `internal-calls-via-table=${o.callsViaTable} disable-llvm-intrinsics=${o.disableLlvmIntrinsics} opt-level=${o.optLevel}` +
    `${o.dumpCallStack ? ' dump-call-stack=true' : ''}\n`
  );
}

/** --memory-page-size=1 [--initial-memory=N]: the module with 1-byte pages (src/wasm/page-size.ts). */
export function pageSizeRewrite(args: ParsedArgs, wasm: Uint8Array, verbose: CliIo | undefined): Uint8Array {
  const initial = args.values.get('--initial-memory');
  if (args.values.get('--memory-page-size') !== '1') {
    if (initial !== undefined) throw new UsageError('--initial-memory needs --memory-page-size=1');
    return wasm;
  }
  if (initial !== undefined && !/^[0-9]+$/.test(initial)) throw new UsageError(`--initial-memory takes a byte count, not '${initial}'`);
  const r = withOneBytePages(wasm, initial === undefined ? undefined : Number(initial));
  verbose?.err(`memory: ${r.memoryBytes} bytes in 1-byte pages (${r.neededBy} needs ${r.neededBytes})\n`);
  return r.bytes;
}

export async function compileCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, COMPILE_FLAG_SPECS, 'compile');
  if (args.switches.has('--help')) {
    io.out(COMPILE_USAGE + formatFlagHelp(COMPILE_FLAG_SPECS));
    return 0;
  }
  if (args.switches.has('--version')) {
    io.out(`xipwasm ${packageVersion()}\n`);
    return 0;
  }
  if (printTargetHelp(args, io)) return 0;
  const options = resolveCompileOptions(rawOptionsFromArgs(args));
  requireCodegen(options);
  if (args.positionals.length !== 1) {
    throw new UsageError(`compile needs exactly one input .wasm file, got ${args.positionals.length} (see xipwasm compile --help)`);
  }
  const input = args.positionals[0] as string;
  const verbose = verboseLevel(args);
  const sizeLevel = args.values.get('--size-level');
  if (sizeLevel !== undefined && !/^[0-3]$/.test(sizeLevel)) throw new UsageError(`--size-level must be 0, 1, 2 or 3, not '${sizeLevel}'`);
  if (verbose) {
    io.err(formatOptions(options));
    io.err(formatResolution(options.intrinsics));
  }
  const bytes = pageSizeRewrite(args, await io.readFile(input), verbose ? io : undefined);
  if (verbose) io.err(formatUses(moduleSymbolUses(parseModule(bytes), options.intrinsics)));
  const jobs = args.values.get('--jobs');
  if (jobs !== undefined && !/^[1-9][0-9]{0,2}$/.test(jobs)) throw new UsageError(`--jobs takes a thread count from 1 to 999, not '${jobs}'`);
  const started = Date.now();
  const { result, report } = await compileWithJobs(bytes, rawOptionsFromArgs(args), jobs === undefined ? undefined : Number(jobs));
  const output = args.values.get('-o') ?? input.replace(/\.wasm$/i, '') + '.aot';
  await io.writeFile(output, result.image);
  if (verbose) {
    io.err(
      `compiled ${result.stats.functions} functions in ${Date.now() - started} ms: text ${result.stats.textBytes} bytes, ` +
      `image ${result.image.length} bytes, relocations ${result.relocations}, native symbols ` +
      `${result.nativeSymbols.map((s) => s.name).join(' ') || '(none)'}\n`,
    );
    const threads = report.functionsPerThread;
    if (threads.length > 1) io.err(`threads: ${threads.length}, functions per thread ${threads.join(' + ')}\n`);
    if (report.redone !== undefined) io.err(`compiled again in one thread after an error in ${report.redone}\n`);
  }
  const stackFile = args.values.get('--stack-usage');
  if (args.switches.has('--enable-stack-estimation') || stackFile !== undefined) {
    // the disassembler (capstone, a 3 MiB wasm) loads only for this option
    const { disasmCpu } = await import('./listing.js');
    const { estimateStack, formatStackUse } = await import('./stack-usage.js');
    const uses = await estimateStack(result.image, disasmCpu(options.cpu));
    const text = formatStackUse(uses);
    if (stackFile !== undefined) await io.writeFile(stackFile, text);
    if (args.switches.has('--enable-stack-estimation')) {
      io.out(`stack use per function (bytes, its own frame; "bounded": an upper bound counting every call's outgoing area):\n${text}`);
    }
  }
  return 0;
}

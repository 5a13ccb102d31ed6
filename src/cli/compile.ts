/** `xipwasm compile`: wamrc-compatible flags, turned into CompileOptions. */
import { UsageError } from '../errors.js';
import { parseModule } from '../wasm/index.js';
import { compileWithOptions } from '../compile.js';
import { resolveCompileOptions, type CompileOptions, type RawCompileOptions } from '../xip/options.js';
import { moduleSymbolUses } from '../xip/usage.js';
import { formatFlagHelp, parseArgs, type FlagSpec, type ParsedArgs } from './args.js';
import { formatResolution, formatUses } from './format-intrinsics.js';
import type { CliIo } from './io.js';
import { printTargetHelp, TARGET_FLAG_SPECS } from './target-flags.js';
import { packageVersion } from './version.js';

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
  { name: '--opt-level', kind: 'value', valueName: '<0..3>', help: 'Optimisation level (default 2; 0 is the single-pass tier)' },
  { name: '--verbose', alias: '-v', kind: 'switch', help: 'Print the resolved options and the runtime functions the module needs' },
  { name: '--help', alias: '-h', kind: 'switch', help: 'Show this help' },
  { name: '--version', kind: 'switch', help: 'Show the version' },
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
    xip: args.switches.has('--xip'),
    enableIndirectMode: args.switches.has('--enable-indirect-mode'),
    internalCallsViaTable: args.switches.has('--internal-calls-via-table'),
    disableLlvmIntrinsics: args.switches.has('--disable-llvm-intrinsics'),
    enableBuiltinIntrinsics: args.values.get('--enable-builtin-intrinsics'),
    optLevel: parseOptLevelText(args.values.get('--opt-level')),
  };
}

export function formatOptions(o: CompileOptions): string {
  return (
    `target=${o.target} cpu=${o.cpu} float-abi=${o.floatAbi} xip=${o.xip} indirect-mode=${o.indirectMode} ` +
    `internal-calls-via-table=${o.callsViaTable} disable-llvm-intrinsics=${o.disableLlvmIntrinsics} opt-level=${o.optLevel}\n`
  );
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
  if (args.positionals.length !== 1) {
    throw new UsageError(`compile needs exactly one input .wasm file, got ${args.positionals.length} (see xipwasm compile --help)`);
  }
  const input = args.positionals[0] as string;
  const verbose = args.switches.has('--verbose');
  if (verbose) {
    io.err(formatOptions(options));
    io.err(formatResolution(options.intrinsics));
  }
  const bytes = await io.readFile(input);
  if (verbose) io.err(formatUses(moduleSymbolUses(parseModule(bytes), options.intrinsics)));
  const started = Date.now();
  const result = compileWithOptions(bytes, options);
  const output = args.values.get('-o') ?? input.replace(/\.wasm$/i, '') + '.aot';
  await io.writeFile(output, result.image);
  if (verbose) {
    io.err(
      `compiled ${result.stats.functions} functions in ${Date.now() - started} ms: text ${result.stats.textBytes} bytes, ` +
      `image ${result.image.length} bytes, relocations ${result.relocations}, native symbols ` +
      `${result.nativeSymbols.map((s) => s.name).join(' ') || '(none)'}\n`,
    );
  }
  return 0;
}

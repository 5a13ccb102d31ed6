/** `xipwasm intrinsics`: shows the resolved intrinsic table, and what a module needs from it. */
import { parseModule } from '../wasm/index.js';
import { resolveTarget } from '../xip/cpu.js';
import { resolveIntrinsicsFor } from '../xip/policy.js';
import { moduleSymbolUses } from '../xip/usage.js';
import { formatFlagHelp, parseArgs, type FlagSpec } from './args.js';
import { formatResolution, formatUses } from './format-intrinsics.js';
import type { CliIo } from './io.js';
import { printTargetHelp, TARGET_FLAG_SPECS } from './target-flags.js';
import { UsageError } from '../errors.js';

const SPECS: readonly FlagSpec[] = [
  ...TARGET_FLAG_SPECS,
  { name: '--help', alias: '-h', kind: 'switch', help: 'Show this help' },
];

export const INTRINSICS_USAGE =
  'Usage: xipwasm intrinsics --target=<arch> --cpu=<cpu> [--enable-builtin-intrinsics=<a,b,...>] [module.wasm]\n\n' +
  'Prints, for each WAMR intrinsic, whether the operation is compiled inline or as a call\n' +
  'to the runtime (with the function, its C signature and why). Given a module, also\n' +
  'prints which runtime functions its code calls and at how many places.\n\n';

export async function intrinsicsCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, SPECS, 'intrinsics');
  if (args.switches.has('--help')) {
    io.out(INTRINSICS_USAGE + formatFlagHelp(SPECS));
    return 0;
  }
  if (printTargetHelp(args, io)) return 0;
  if (args.positionals.length > 1) throw new UsageError(`intrinsics takes at most one module, got ${args.positionals.length}`);
  const { cpu, target } = resolveTarget(
    args.values.get('--target'), args.values.get('--cpu'), args.values.get('--target-abi'), args.values.get('--cpu-features'),
  );
  const resolved = resolveIntrinsicsFor(cpu, target, args.values.get('--enable-builtin-intrinsics'));
  io.out(formatResolution(resolved));
  const path = args.positionals[0];
  if (path !== undefined) {
    const module = parseModule(await io.readFile(path));
    io.out(`\n${path}: ${module.codes.length} functions\n`);
    io.out(formatUses(moduleSymbolUses(module, resolved)));
  }
  return 0;
}

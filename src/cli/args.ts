/**
 * wamrc-style option parsing: `--name` switches and `--name=value` options;
 * `-o FILE` and `-o=FILE`; `--` ends options. Unknown options are UsageErrors.
 */
import { UsageError } from '../errors.js';

export interface FlagSpec {
  /** As typed, e.g. '--target' or '-o'. */
  readonly name: string;
  readonly alias?: string;
  readonly kind: 'switch' | 'value';
  /** For help: e.g. '<arch>'. */
  readonly valueName?: string;
  readonly help: string;
  /** Value options that may also take their value as the next argument (wamrc's -o). */
  readonly separateValue?: boolean;
}

export interface ParsedArgs {
  readonly switches: ReadonlySet<string>;
  readonly values: ReadonlyMap<string, string>;
  readonly positionals: readonly string[];
}

export function parseArgs(argv: readonly string[], specs: readonly FlagSpec[], command: string): ParsedArgs {
  const byName = new Map<string, FlagSpec>();
  for (const s of specs) {
    byName.set(s.name, s);
    if (s.alias !== undefined) byName.set(s.alias, s);
  }
  const switches = new Set<string>();
  const values = new Map<string, string>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq < 0 ? arg : arg.slice(0, eq);
    const spec = byName.get(name);
    if (spec === undefined) {
      throw new UsageError(`unknown option '${name}' for '${command}' (see xipwasm ${command} --help)`);
    }
    if (spec.kind === 'switch') {
      if (eq >= 0) throw new UsageError(`option ${spec.name} takes no value`);
      switches.add(spec.name);
      continue;
    }
    let value: string;
    if (eq >= 0) {
      value = arg.slice(eq + 1);
    } else if (spec.separateValue === true && i + 1 < argv.length) {
      value = argv[++i] as string;
    } else {
      throw new UsageError(`option ${spec.name} needs a value: ${spec.name}${spec.separateValue === true ? ' ' : '='}${spec.valueName ?? '<value>'}`);
    }
    if (values.has(spec.name)) throw new UsageError(`option ${spec.name} given twice`);
    values.set(spec.name, value);
  }
  return { switches, values, positionals };
}

export function formatFlagHelp(specs: readonly FlagSpec[]): string {
  const left = specs.map((s) => {
    const names = s.alias !== undefined ? `${s.alias}, ${s.name}` : s.name;
    if (s.kind === 'switch') return names;
    return s.separateValue === true ? `${names} ${s.valueName ?? '<value>'}` : `${names}=${s.valueName ?? '<value>'}`;
  });
  const width = Math.max(...left.map((l) => l.length)) + 2;
  return specs.map((s, i) => {
    const lines = s.help.split('\n');
    return `  ${(left[i] as string).padEnd(width)}${lines.join(`\n  ${' '.repeat(width)}`)}`;
  }).join('\n') + '\n';
}

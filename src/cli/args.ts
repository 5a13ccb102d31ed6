/**
 * wamrc-style option parsing: `--name` switches and `--name=value` options, whose value may also be the next
 * argument (`--cpu cortex-m3`, `-o file`); `--` ends options. Unknown options are UsageErrors; options xipwasm
 * knows but cannot honour are refused with `not supported: <why>`, never `unknown option`.
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
  /** Shown in help as `-o <file>` rather than `-o=<file>` (both spellings are accepted for every value option). */
  readonly separateValue?: boolean;
  /** A switch that may also carry a value (`-v=3`, `--enable-segue=i32.load`); the value is kept in `values`. */
  readonly optionalValue?: boolean;
  /** A value option that may be given more than once; every value is kept in `lists`, in order. */
  readonly repeatable?: boolean;
  /** Known but refused: parsing throws `<name>: not supported: <why>`. Receives the value, if any. */
  readonly refuse?: (value: string | undefined) => string | undefined;
  /** Leave out of --help (wamrc options that are only refused). */
  readonly hidden?: boolean;
}

export interface ParsedArgs {
  readonly switches: ReadonlySet<string>;
  readonly values: ReadonlyMap<string, string>;
  /** Every value of a repeatable option, in order. */
  readonly lists: ReadonlyMap<string, readonly string[]>;
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
  const lists = new Map<string, string[]>();
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
      if (eq >= 0 && spec.optionalValue !== true) throw new UsageError(`option ${spec.name} takes no value`);
      const why = spec.refuse?.(eq >= 0 ? arg.slice(eq + 1) : undefined);
      if (why !== undefined) throw new UsageError(`${spec.name}: not supported: ${why}`);
      switches.add(spec.name);
      if (eq >= 0) values.set(spec.name, arg.slice(eq + 1));
      continue;
    }
    let value: string;
    if (eq >= 0) {
      value = arg.slice(eq + 1);
    } else if (i + 1 < argv.length && argv[i + 1] !== '--') {
      value = argv[++i] as string;
    } else {
      throw new UsageError(`option ${spec.name} needs a value: ${spec.name}${spec.separateValue === true ? ' ' : '='}${spec.valueName ?? '<value>'}`);
    }
    const why = spec.refuse?.(value);
    if (why !== undefined) throw new UsageError(`${spec.name}=${value}: not supported: ${why}`);
    if (spec.repeatable === true) {
      const list = lists.get(spec.name) ?? [];
      list.push(value);
      lists.set(spec.name, list);
      values.set(spec.name, value);
      continue;
    }
    if (values.has(spec.name)) throw new UsageError(`option ${spec.name} given twice`);
    values.set(spec.name, value);
  }
  return { switches, values, lists, positionals };
}

export function formatFlagHelp(specs: readonly FlagSpec[]): string {
  const shown = specs.filter((s) => s.hidden !== true);
  const left = shown.map((s) => {
    const names = s.alias !== undefined ? `${s.alias}, ${s.name}` : s.name;
    if (s.kind === 'switch') return s.optionalValue === true ? `${names}[=${s.valueName ?? '<value>'}]` : names;
    return s.separateValue === true ? `${names} ${s.valueName ?? '<value>'}` : `${names}=${s.valueName ?? '<value>'}`;
  });
  const width = Math.max(...left.map((l) => l.length)) + 2;
  return shown.map((s, i) => {
    const lines = s.help.split('\n');
    return `  ${(left[i] as string).padEnd(width)}${lines.join(`\n  ${' '.repeat(width)}`)}`;
  }).join('\n') + '\n';
}

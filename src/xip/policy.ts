/**
 * The intrinsic policy: which Wasm operators the code generator compiles as a
 * call to a runtime function.
 *
 * Rules (DESIGN-NOTES §2):
 *  1. Without --enable-builtin-intrinsics, the CPU's default table applies.
 *  2. A list replaces the default table (as in wamrc). Tokens are exact WAMR
 *     names or groups; unlike wamrc (which matches substrings and ignores
 *     typos) an unknown token is a UsageError listing the valid names.
 *  3. Whatever was asked, every operation the CPU cannot do inline is added
 *     ("required"): the compiler never emits a libgcc call.
 */
import { UsageError } from '../errors.js';
import {
  BASE_GROUPS, COMPOSITE_GROUPS, INTRINSICS, intrinsicByName, intrinsicForOperator,
  isCallable, type CallableIntrinsic, type CompositeGroup, type IntrinsicEntry, type IntrinsicGroup,
} from './catalogue.js';
import { canInline, resolveTarget, type CpuInfo, type CpuName, type TargetArch } from './cpu.js';

/** Why an intrinsic is enabled: the CPU default table, the user's list, or the CPU cannot do it inline. */
export type IntrinsicReason = 'default' | 'requested' | 'required';

export type ConstType = 'i32' | 'i64' | 'f32' | 'f64';

export interface ResolvedIntrinsics {
  readonly cpu: CpuName;
  readonly target: TargetArch;
  /** True when --enable-builtin-intrinsics replaced the CPU default table. */
  readonly explicitList: boolean;
  /** Enabled catalogue rows by WAMR name, in catalogue order. Includes constop rows. */
  readonly enabled: ReadonlyMap<string, IntrinsicReason>;
  /** constop: constants of these types are loaded from a constant table instead of literal pools. */
  readonly constantTable: ReadonlySet<ConstType>;
}

export interface IntrinsicRequest {
  /** --target (arch or triple); optional when cpu is given. */
  readonly target?: string | undefined;
  readonly cpu: string;
  /** The raw --enable-builtin-intrinsics value, e.g. 'i64.common,fp.common'. */
  readonly enableBuiltinIntrinsics?: string | undefined;
}

const ALL_GROUP_NAMES: readonly string[] = ['all', ...BASE_GROUPS, ...Object.keys(COMPOSITE_GROUPS)];

/** Rows the core can never inline: added whatever the flags say. */
export function requiredIntrinsics(cpu: CpuInfo): IntrinsicEntry[] {
  return INTRINSICS.filter((e) => !canInline(cpu, e.inlineNeed));
}

/** The CPU's default table: everything required plus the core's long-inline extras. */
export function defaultIntrinsics(cpu: CpuInfo): IntrinsicEntry[] {
  const extras = new Set(cpu.defaultExtras);
  return INTRINSICS.filter((e) => !canInline(cpu, e.inlineNeed) || extras.has(e.wamrName));
}

function groupMembers(group: IntrinsicGroup): IntrinsicEntry[] {
  return INTRINSICS.filter((e) => e.groups.includes(group));
}

function validNamesMessage(): string {
  return `valid groups: ${ALL_GROUP_NAMES.join(', ')}; valid names: ${INTRINSICS.map((e) => e.wamrName).join(', ')}`;
}

function suggestion(token: string): string {
  const t = token.toLowerCase();
  const near = INTRINSICS.map((e) => e.wamrName).filter((n) => n.endsWith(t) || n.includes(t) || t.includes(n));
  return near.length > 0 && near.length <= 4 ? ` (did you mean ${near.map((n) => `'${n}'`).join(' or ')}?)` : '';
}

/**
 * Parses an --enable-builtin-intrinsics value into catalogue rows.
 * Tokens are exact (case-sensitive, as WAMR spells them), comma-separated.
 */
export function parseIntrinsicList(text: string): IntrinsicEntry[] {
  const out = new Set<IntrinsicEntry>();
  const tokens = text.split(',').map((s) => s.trim());
  for (const token of tokens) {
    if (token === '') {
      throw new UsageError(`empty name in --enable-builtin-intrinsics=${text}; ${validNamesMessage()}`);
    }
    if (token === 'all') {
      for (const e of INTRINSICS) out.add(e);
      continue;
    }
    if ((BASE_GROUPS as readonly string[]).includes(token)) {
      for (const e of groupMembers(token as IntrinsicGroup)) out.add(e);
      continue;
    }
    if (Object.hasOwn(COMPOSITE_GROUPS, token)) {
      for (const g of COMPOSITE_GROUPS[token as Exclude<CompositeGroup, 'all'>]) {
        for (const e of groupMembers(g)) out.add(e);
      }
      continue;
    }
    const single = intrinsicByName(token);
    if (single === undefined) {
      throw new UsageError(`unknown intrinsic '${token}' in --enable-builtin-intrinsics${suggestion(token)}; ${validNamesMessage()}`);
    }
    out.add(single);
  }
  return INTRINSICS.filter((e) => out.has(e));
}

export function resolveIntrinsics(req: IntrinsicRequest): ResolvedIntrinsics {
  const { cpu, target } = resolveTarget(req.target, req.cpu, undefined);
  return resolveIntrinsicsFor(cpu, target, req.enableBuiltinIntrinsics);
}

/** Same as resolveIntrinsics for an already validated target. */
export function resolveIntrinsicsFor(cpu: CpuInfo, target: TargetArch, list: string | undefined): ResolvedIntrinsics {
  const explicitList = list !== undefined;
  const chosen = new Set(explicitList ? parseIntrinsicList(list) : defaultIntrinsics(cpu));
  const required = new Set(requiredIntrinsics(cpu));
  const enabled = new Map<string, IntrinsicReason>();
  for (const e of INTRINSICS) {
    if (required.has(e)) enabled.set(e.wamrName, 'required');
    else if (chosen.has(e)) enabled.set(e.wamrName, explicitList ? 'requested' : 'default');
  }
  const constantTable = new Set<ConstType>();
  for (const t of ['i32', 'i64', 'f32', 'f64'] as const) {
    if (enabled.has(`${t}.const`)) constantTable.add(t);
  }
  return { cpu: cpu.name, target, explicitList, enabled, constantTable };
}

/**
 * For the code generator: the runtime function that implements `operator`
 * ('f32.add', 'i64.div_s', 'f64.lt', ...) under this resolution, or undefined
 * when the operator is compiled inline. Constants are never calls (see
 * usesConstantTable). For f32/f64 comparisons pass floatCondFor(operator) as
 * the first argument.
 */
export function intrinsicFor(operator: string, resolved: ResolvedIntrinsics): CallableIntrinsic | undefined {
  const e = intrinsicForOperator(operator);
  if (e === undefined || !isCallable(e)) return undefined;
  return resolved.enabled.has(e.wamrName) ? e : undefined;
}

/** constop: whether constants of this type are loaded from the constant table. */
export function usesConstantTable(type: ConstType, resolved: ResolvedIntrinsics): boolean {
  return resolved.constantTable.has(type);
}

/** One row of the resolved table, for `xipwasm intrinsics` and verbose output. */
export interface ResolutionRow {
  readonly entry: IntrinsicEntry;
  /** undefined: compiled inline (entry.inline says how). */
  readonly reason: IntrinsicReason | undefined;
}

export function describeResolution(resolved: ResolvedIntrinsics): ResolutionRow[] {
  return INTRINSICS.map((entry) => ({ entry, reason: resolved.enabled.get(entry.wamrName) }));
}

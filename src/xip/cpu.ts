/**
 * The Cortex-M cores we target and what each can do natively
 * (docs: /work/shared/DESIGN-NOTES.md §2). The intrinsic policy derives
 * every "must call the runtime" decision from these capability bits.
 */
import { UsageError, assertNever } from '../errors.js';
import type { InlineNeed } from './catalogue.js';

export type CpuName =
  | 'cortex-m0' | 'cortex-m0plus' | 'cortex-m3' | 'cortex-m4'
  | 'cortex-m7' | 'cortex-m33' | 'cortex-m55';

/** Architecture part of an LLVM/WAMR --target triple, canonical spelling. */
export type TargetArch = 'thumbv6m' | 'thumbv7m' | 'thumbv7em' | 'thumbv8m.main' | 'thumbv8.1m.main';

export type FpuKind = 'none' | 'sp' | 'dp';
export type FloatAbi = 'soft' | 'hard';

export interface CpuInfo {
  readonly name: CpuName;
  /** Triples this core accepts; the first is what we report. */
  readonly targets: readonly TargetArch[];
  /** Thumb-2 32-bit encodings (v7-M and later): MOVW/MOVT, IT blocks, wide shifts. */
  readonly thumb2: boolean;
  /** SDIV/UDIV. */
  readonly hwDivide: boolean;
  /** UMULL/SMULL (32x32 -> 64). */
  readonly longMultiply: boolean;
  readonly clz: boolean;
  readonly fpu: FpuKind;
  /** Which precisions have VRINT{A,N,P,M,Z}. */
  readonly vrint: FpuKind;
  readonly fpuName: string;
  readonly defaultFloatAbi: FloatAbi;
  /**
   * Intrinsics the default table sends to the runtime although the core could
   * inline them, because the inline form is long (Wasm min/max NaN rules,
   * popcount). Everything the core cannot do is added on top (see policy.ts).
   */
  readonly defaultExtras: readonly string[];
}

const MINMAX_F32 = ['llvm.minnum.f32', 'llvm.maxnum.f32'];
const MINMAX_F64 = ['llvm.minnum.f64', 'llvm.maxnum.f64'];
const POPCNT = ['llvm.ctpop.i32', 'llvm.ctpop.i64'];

const v6m = {
  targets: ['thumbv6m'] as const, thumb2: false, hwDivide: false, longMultiply: false, clz: false,
  fpu: 'none', vrint: 'none', fpuName: 'none', defaultFloatAbi: 'soft', defaultExtras: [],
} as const;

export const CPUS: readonly CpuInfo[] = [
  { name: 'cortex-m0', ...v6m },
  { name: 'cortex-m0plus', ...v6m },
  {
    name: 'cortex-m3', targets: ['thumbv7m'], thumb2: true, hwDivide: true, longMultiply: true, clz: true,
    fpu: 'none', vrint: 'none', fpuName: 'none', defaultFloatAbi: 'soft', defaultExtras: POPCNT,
  },
  {
    name: 'cortex-m4', targets: ['thumbv7em'], thumb2: true, hwDivide: true, longMultiply: true, clz: true,
    fpu: 'sp', vrint: 'none', fpuName: 'FPv4-SP', defaultFloatAbi: 'hard', defaultExtras: [...MINMAX_F32, ...POPCNT],
  },
  {
    name: 'cortex-m7', targets: ['thumbv7em'], thumb2: true, hwDivide: true, longMultiply: true, clz: true,
    fpu: 'dp', vrint: 'dp', fpuName: 'FPv5-D16', defaultFloatAbi: 'hard',
    defaultExtras: [...MINMAX_F32, ...MINMAX_F64, ...POPCNT],
  },
  {
    name: 'cortex-m33', targets: ['thumbv8m.main'], thumb2: true, hwDivide: true, longMultiply: true, clz: true,
    fpu: 'sp', vrint: 'sp', fpuName: 'FPv5-SP', defaultFloatAbi: 'hard', defaultExtras: [...MINMAX_F32, ...POPCNT],
  },
  {
    // WAMR's doc spells the M55 target thumbv8m.main; LLVM's own is thumbv8.1m.main.
    name: 'cortex-m55', targets: ['thumbv8.1m.main', 'thumbv8m.main'], thumb2: true, hwDivide: true,
    longMultiply: true, clz: true, fpu: 'dp', vrint: 'dp', fpuName: 'FPv5 (f32+f64, MVE)', defaultFloatAbi: 'hard',
    defaultExtras: [...MINMAX_F32, ...MINMAX_F64, ...POPCNT],
  },
];

export const TARGETS: readonly TargetArch[] = ['thumbv6m', 'thumbv7m', 'thumbv7em', 'thumbv8m.main', 'thumbv8.1m.main'];

/** The core chosen when only --target is given. */
const DEFAULT_CPU_FOR_TARGET: Readonly<Record<TargetArch, CpuName>> = {
  thumbv6m: 'cortex-m0',
  thumbv7m: 'cortex-m3',
  thumbv7em: 'cortex-m4',
  'thumbv8m.main': 'cortex-m33',
  'thumbv8.1m.main': 'cortex-m55',
};

export function cpuInfo(name: CpuName): CpuInfo {
  const c = CPUS.find((x) => x.name === name);
  // CpuName is a closed union and CPUS lists every member (tested).
  if (c === undefined) throw new UsageError(`unknown CPU '${name}'`);
  return c;
}

export function parseCpu(text: string): CpuInfo {
  const c = CPUS.find((x) => x.name === text);
  if (c === undefined) {
    throw new UsageError(`unknown CPU '${text}'; supported: ${CPUS.map((x) => x.name).join(', ')}`);
  }
  return c;
}

export type AbiSpelling = 'gnu' | 'eabi' | 'gnueabi' | 'gnueabihf' | 'eabihf';
export const TARGET_ABIS: readonly AbiSpelling[] = ['gnu', 'eabi', 'gnueabi', 'gnueabihf', 'eabihf'];

export function floatAbiOf(abi: string): FloatAbi {
  switch (abi) {
    case 'gnu': case 'eabi': case 'gnueabi': return 'soft';
    case 'gnueabihf': case 'eabihf': return 'hard';
    default:
      throw new UsageError(`unknown --target-abi '${abi}'; supported: ${TARGET_ABIS.join(', ')} (…hf = hard-float)`);
  }
}

export interface ParsedTarget {
  readonly arch: TargetArch;
  /** The float ABI implied by a full triple such as thumbv7em-none-eabihf, if any. */
  readonly abi: FloatAbi | undefined;
}

/**
 * Accepts an architecture (`thumbv7em`, `thumbv8m.main`) or a full triple
 * (`thumbv7em-none-eabihf`, `thumbv8m.main-unknown-none-eabi`).
 */
export function parseTarget(text: string): ParsedTarget {
  const parts = text.split('-');
  const arch = parts[0] ?? '';
  if (!(TARGETS as readonly string[]).includes(arch)) {
    throw new UsageError(`unknown --target '${text}'; supported: ${TARGETS.join(', ')} (optionally with -none-eabi / -none-eabihf)`);
  }
  const last = parts.length > 1 ? parts[parts.length - 1] ?? '' : '';
  const abi = (TARGET_ABIS as readonly string[]).includes(last) ? floatAbiOf(last) : undefined;
  return { arch: arch as TargetArch, abi };
}

export interface ResolvedTarget {
  readonly cpu: CpuInfo;
  readonly target: TargetArch;
  readonly floatAbi: FloatAbi;
}

/** Combines --target, --cpu and --target-abi, rejecting contradictions. */
export function resolveTarget(target: string | undefined, cpu: string | undefined, targetAbi: string | undefined): ResolvedTarget {
  if (target === undefined && cpu === undefined) {
    throw new UsageError('no target given: use --cpu=<cpu> and/or --target=<arch> (see --cpu=help)');
  }
  const t = target === undefined ? undefined : parseTarget(target);
  const c = cpu !== undefined ? parseCpu(cpu) : cpuInfo(DEFAULT_CPU_FOR_TARGET[(t as ParsedTarget).arch]);
  if (t !== undefined && !c.targets.includes(t.arch)) {
    const owners = CPUS.filter((x) => x.targets.includes(t.arch)).map((x) => x.name);
    throw new UsageError(
      `--target=${target} contradicts --cpu=${c.name}: ${c.name} is ${c.targets.join(' or ')}; ` +
      `${t.arch} is ${owners.join(', ')}`,
    );
  }
  const explicitAbi = targetAbi === undefined ? undefined : floatAbiOf(targetAbi);
  if (explicitAbi !== undefined && t?.abi !== undefined && explicitAbi !== t.abi) {
    throw new UsageError(`--target-abi=${targetAbi} contradicts the ABI in --target=${target}`);
  }
  const floatAbi = explicitAbi ?? t?.abi ?? c.defaultFloatAbi;
  if (floatAbi === 'hard' && c.fpu === 'none') {
    throw new UsageError(`${c.name} has no FPU: a hard-float ABI (${targetAbi ?? target}) is impossible; use gnu or eabi`);
  }
  return { cpu: c, target: t?.arch ?? (c.targets[0] as TargetArch), floatAbi };
}

/** Whether the core meets an intrinsic's inline requirement. */
export function canInline(cpu: CpuInfo, need: InlineNeed): boolean {
  switch (need) {
    case 'always': return true;
    case 'never': return false;
    case 'thumb2': return cpu.thumb2;
    case 'hwdiv': return cpu.hwDivide;
    case 'umull': return cpu.longMultiply;
    case 'clz': return cpu.clz;
    case 'fpu-sp': return cpu.fpu !== 'none';
    case 'fpu-dp': return cpu.fpu === 'dp';
    case 'vrint-sp': return cpu.vrint !== 'none';
    case 'vrint-dp': return cpu.vrint === 'dp';
    default: return assertNever(need, 'inline need');
  }
}

/** One line per core, for --cpu=help and --target=help. */
export function describeCpus(): string[] {
  return CPUS.map((c) =>
    `${c.name.padEnd(14)} ${c.targets.join('|').padEnd(31)} div:${c.hwDivide ? 'yes' : 'no '} umull:${c.longMultiply ? 'yes' : 'no '} ` +
    `clz:${c.clz ? 'yes' : 'no '} fpu:${c.fpuName} vrint:${c.vrint} abi:${c.defaultFloatAbi}`,
  );
}

/**
 * The cores we target and what each can do natively: the Cortex-M cores
 * (docs: /work/shared/DESIGN-NOTES.md §2) and the RV32 ones (rv32.ts, issue 11;
 * no code generation for them yet). The intrinsic policy derives every "must
 * call the runtime" decision from these capability bits.
 */
import { UsageError, assertNever } from '../errors.js';
import type { InlineNeed } from './catalogue.js';
import {
  RV32_ABIS, RV32_NAMED_CPUS, applyRv32Features, parseRv32IsaName, rv32IsaName,
  type Rv32Extension, type Rv32IsaName, type Rv32NamedCpu,
} from './rv32.js';

export type ArmCpuName =
  | 'cortex-m0' | 'cortex-m0plus' | 'cortex-m3' | 'cortex-m4'
  | 'cortex-m7' | 'cortex-m33' | 'cortex-m55';
/** An RV32 core: a named part, or the canonical ISA string that --cpu-features produced. */
export type CpuName = ArmCpuName | Rv32NamedCpu | Rv32IsaName;

/** Architecture part of an LLVM/WAMR --target triple, canonical spelling. */
export type TargetArch = 'thumbv6m' | 'thumbv7m' | 'thumbv7em' | 'thumbv8m.main' | 'thumbv8.1m.main' | 'riscv32';

export type Isa = 'thumb' | 'rv32';

export type FpuKind = 'none' | 'sp' | 'dp';
export type FloatAbi = 'soft' | 'hard';

export interface CpuInfo {
  readonly name: CpuName;
  readonly isa: Isa;
  /** RV32: the extensions beyond I (canonical order); empty on Arm. */
  readonly rvExtensions: readonly Rv32Extension[];
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
  isa: 'thumb', rvExtensions: [], targets: ['thumbv6m'] as const, thumb2: false, hwDivide: false, longMultiply: false, clz: false,
  fpu: 'none', vrint: 'none', fpuName: 'none', defaultFloatAbi: 'soft', defaultExtras: [],
} as const;

/** The Cortex-M cores: the ones code generation supports. */
export const CPUS: readonly CpuInfo[] = [
  { name: 'cortex-m0', ...v6m },
  { name: 'cortex-m0plus', ...v6m },
  {
    name: 'cortex-m3', isa: 'thumb', rvExtensions: [], targets: ['thumbv7m'], thumb2: true, hwDivide: true, longMultiply: true, clz: true,
    fpu: 'none', vrint: 'none', fpuName: 'none', defaultFloatAbi: 'soft', defaultExtras: POPCNT,
  },
  {
    name: 'cortex-m4', isa: 'thumb', rvExtensions: [], targets: ['thumbv7em'], thumb2: true, hwDivide: true, longMultiply: true, clz: true,
    fpu: 'sp', vrint: 'none', fpuName: 'FPv4-SP', defaultFloatAbi: 'hard', defaultExtras: [...MINMAX_F32, ...POPCNT],
  },
  {
    name: 'cortex-m7', isa: 'thumb', rvExtensions: [], targets: ['thumbv7em'], thumb2: true, hwDivide: true, longMultiply: true, clz: true,
    fpu: 'dp', vrint: 'dp', fpuName: 'FPv5-D16', defaultFloatAbi: 'hard',
    defaultExtras: [...MINMAX_F32, ...MINMAX_F64, ...POPCNT],
  },
  {
    name: 'cortex-m33', isa: 'thumb', rvExtensions: [], targets: ['thumbv8m.main'], thumb2: true, hwDivide: true, longMultiply: true, clz: true,
    fpu: 'sp', vrint: 'sp', fpuName: 'FPv5-SP', defaultFloatAbi: 'hard', defaultExtras: [...MINMAX_F32, ...POPCNT],
  },
  {
    // WAMR's doc spells the M55 target thumbv8m.main; LLVM's own is thumbv8.1m.main.
    name: 'cortex-m55', isa: 'thumb', rvExtensions: [], targets: ['thumbv8.1m.main', 'thumbv8m.main'], thumb2: true, hwDivide: true,
    longMultiply: true, clz: true, fpu: 'dp', vrint: 'dp', fpuName: 'FPv5 (f32+f64, MVE)', defaultFloatAbi: 'hard',
    defaultExtras: [...MINMAX_F32, ...MINMAX_F64, ...POPCNT],
  },
];

/** An RV32 core with exactly these extensions, named `name`. */
function rv32Cpu(name: CpuName, ext: ReadonlySet<Rv32Extension>): CpuInfo {
  const m = ext.has('m'), f = ext.has('f');
  return {
    name, isa: 'rv32', rvExtensions: [...ext].sort((a, b) => 'mafc'.indexOf(a) - 'mafc'.indexOf(b)), targets: ['riscv32'],
    thumb2: false, hwDivide: m, longMultiply: m, clz: false,
    // vrint: F rounds f32 to integral values exactly by fcvt.w.s and back with a rounding mode (src/target/rv32/emit-float.ts)
    fpu: f ? 'sp' : 'none', vrint: f ? 'sp' : 'none', fpuName: f ? 'F (f32)' : 'none', defaultFloatAbi: f ? 'hard' : 'soft',
    // No cpop without Zbb: the SWAR sequence is long, so popcount is a call by default (as on Cortex-M).
    defaultExtras: POPCNT,
  };
}

/** The named RV32 cores. */
export const RV32_CPUS: readonly CpuInfo[] = RV32_NAMED_CPUS.map((r) => rv32Cpu(r.name, new Set(r.extensions)));

/** Every core --cpu accepts by name: Cortex-M, then RV32. */
export const ALL_CPUS: readonly CpuInfo[] = [...CPUS, ...RV32_CPUS];

export const TARGETS: readonly TargetArch[] = ['thumbv6m', 'thumbv7m', 'thumbv7em', 'thumbv8m.main', 'thumbv8.1m.main', 'riscv32'];

/** The core chosen when only --target is given. */
const DEFAULT_CPU_FOR_TARGET: Readonly<Record<TargetArch, CpuName>> = {
  thumbv6m: 'cortex-m0',
  thumbv7m: 'cortex-m3',
  thumbv7em: 'cortex-m4',
  'thumbv8m.main': 'cortex-m33',
  'thumbv8.1m.main': 'cortex-m55',
  riscv32: 'generic-rv32',
};

/** A named core, or an RV32 canonical ISA string ('rv32imc'), or undefined. */
function findCpu(text: string): CpuInfo | undefined {
  const c = ALL_CPUS.find((x) => x.name === text);
  if (c !== undefined) return c;
  const ext = parseRv32IsaName(text);
  return ext === undefined ? undefined : rv32Cpu(text as Rv32IsaName, ext);
}

export function cpuInfo(name: CpuName): CpuInfo {
  const c = findCpu(name);
  // CpuName is a closed union (plus canonical RV32 ISA strings) and ALL_CPUS lists every named member (tested).
  if (c === undefined) throw new UsageError(`unknown CPU '${name}'`);
  return c;
}

export function parseCpu(text: string): CpuInfo {
  const c = findCpu(text);
  if (c === undefined) {
    throw new UsageError(`unknown CPU '${text}'; supported: ${ALL_CPUS.map((x) => x.name).join(', ')} (or an RV32 ISA string such as rv32imc)`);
  }
  return c;
}

export type AbiSpelling = 'gnu' | 'eabi' | 'gnueabi' | 'gnueabihf' | 'eabihf' | 'ilp32' | 'ilp32f';
const ARM_ABIS: readonly AbiSpelling[] = ['gnu', 'eabi', 'gnueabi', 'gnueabihf', 'eabihf'];
export const TARGET_ABIS: readonly AbiSpelling[] = [...ARM_ABIS, ...RV32_ABIS];

export function floatAbiOf(abi: string): FloatAbi {
  switch (abi) {
    case 'gnu': case 'eabi': case 'gnueabi': case 'ilp32': return 'soft';
    case 'gnueabihf': case 'eabihf': case 'ilp32f': return 'hard';
    case 'ilp32d': case 'ilp32e':
      throw new UsageError(`--target-abi=${abi} is not supported: RV32 targets here have no D (ilp32d) and full register files (not ilp32e); use ilp32 or ilp32f`);
    default:
      throw new UsageError(`unknown --target-abi '${abi}'; supported: ${ARM_ABIS.join(', ')} (Arm; …hf = hard-float), ${RV32_ABIS.join(', ')} (RISC-V)`);
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
  // riscv32-unknown-elf, riscv32-unknown-none-elf: the float ABI is a separate flag (--target-abi).
  if (arch === 'riscv32') return { arch, abi: undefined };
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

/** Why --cpu-features is refused on Arm (wamrc accepts it there). */
export const ARM_CPU_FEATURES_REFUSAL = 'the --cpu name fixes the features (FPU, DSP, MVE): pick the CPU that has them (--cpu=help)';

/** Combines --target, --cpu, --target-abi and (RV32) --cpu-features, rejecting contradictions. */
export function resolveTarget(
  target: string | undefined, cpu: string | undefined, targetAbi: string | undefined, cpuFeatures?: string | undefined,
): ResolvedTarget {
  if (target === undefined && cpu === undefined) {
    throw new UsageError('no target given: use --cpu=<cpu> and/or --target=<arch> (see --cpu=help)');
  }
  const t = target === undefined ? undefined : parseTarget(target);
  let c = cpu !== undefined ? parseCpu(cpu) : cpuInfo(DEFAULT_CPU_FOR_TARGET[(t as ParsedTarget).arch]);
  if (cpuFeatures !== undefined) {
    if (c.isa !== 'rv32') {
      throw new UsageError(`--cpu-features=${cpuFeatures}: not supported: ${ARM_CPU_FEATURES_REFUSAL} (--cpu-features applies to RV32 cores)`);
    }
    const ext = applyRv32Features(new Set(c.rvExtensions), cpuFeatures);
    const same = ext.size === c.rvExtensions.length && c.rvExtensions.every((e) => ext.has(e));
    // Unchanged: keep the part's name; otherwise the core is named by its ISA string.
    if (!same) c = cpuInfo(rv32IsaName(ext));
  }
  if (t !== undefined && !c.targets.includes(t.arch)) {
    const owners = ALL_CPUS.filter((x) => x.targets.includes(t.arch)).map((x) => x.name);
    throw new UsageError(
      `--target=${target} contradicts --cpu=${c.name}: ${c.name} is ${c.targets.join(' or ')}; ` +
      `${t.arch} is ${owners.join(', ')}`,
    );
  }
  const explicitAbi = targetAbi === undefined ? undefined : floatAbiOf(targetAbi);
  if (targetAbi !== undefined) {
    const rvAbi = (RV32_ABIS as readonly string[]).includes(targetAbi);
    if (rvAbi !== (c.isa === 'rv32')) {
      throw new UsageError(`--target-abi=${targetAbi} is ${rvAbi ? 'a RISC-V' : 'an Arm'} ABI but ${c.name} is ${rvAbi ? 'an Arm core' : 'RV32'}; ` +
        `use ${c.isa === 'rv32' ? RV32_ABIS.join(' or ') : ARM_ABIS.join(', ')}`);
    }
  }
  if (explicitAbi !== undefined && t?.abi !== undefined && explicitAbi !== t.abi) {
    throw new UsageError(`--target-abi=${targetAbi} contradicts the ABI in --target=${target}`);
  }
  const floatAbi = explicitAbi ?? t?.abi ?? c.defaultFloatAbi;
  if (floatAbi === 'hard' && c.fpu === 'none' && c.isa === 'rv32') {
    throw new UsageError(`${c.name} has no F extension: --target-abi=ilp32f is impossible; use ilp32, or add F with --cpu-features=+f`);
  }
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
    // The Thumb-2 need stands for an ISA rich enough for the inline sequence
    // (full shifts, conditional execution); RV32I has full shifts and branches.
    case 'thumb2': return cpu.thumb2 || cpu.isa === 'rv32';
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
  const rv = RV32_CPUS.map((c) => {
    const note = RV32_NAMED_CPUS.find((r) => r.name === c.name)?.note ?? '';
    return `${c.name.padEnd(14)} ${'riscv32'.padEnd(31)} ${rv32IsaName(new Set(c.rvExtensions)).padEnd(10)} ` +
      `div:${c.hwDivide ? 'yes' : 'no '} fpu:${c.fpuName} abi:${c.defaultFloatAbi === 'hard' ? 'ilp32f' : 'ilp32'}  ${note}`;
  });
  return [...describeArmCpus(), ...rv,
    'RV32 cores take --cpu-features=+m,+a,+f,+c (or -x) and --target-abi=ilp32|ilp32f; code generation for RV32 is not done yet (issue 11)'];
}

function describeArmCpus(): string[] {
  return CPUS.map((c) =>
    `${c.name.padEnd(14)} ${c.targets.join('|').padEnd(31)} div:${c.hwDivide ? 'yes' : 'no '} umull:${c.longMultiply ? 'yes' : 'no '} ` +
    `clz:${c.clz ? 'yes' : 'no '} fpu:${c.fpuName} vrint:${c.vrint} abi:${c.defaultFloatAbi}`,
  );
}

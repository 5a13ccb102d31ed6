/**
 * Compile options, shared by the CLI and the library API. The CLI only turns
 * flags into RawCompileOptions; every rule lives in resolveCompileOptions.
 */
import { UsageError } from '../errors.js';
import { resolveTarget, type AbiSpelling, type CpuName, type FloatAbi, type TargetArch } from './cpu.js';
import { resolveIntrinsicsFor, type ResolvedIntrinsics } from './policy.js';

export type OptLevel = 0 | 1 | 2 | 3;
export const DEFAULT_OPT_LEVEL: OptLevel = 2;

export interface CompileOptions {
  readonly target: TargetArch;
  readonly cpu: CpuName;
  readonly floatAbi: FloatAbi;
  /** --xip: the image must run from read-only flash at any address. */
  readonly xip: boolean;
  /** --enable-indirect-mode (implied by --xip): everything outside the text is reached through exec_env tables. */
  readonly indirectMode: boolean;
  /**
   * Calls between the module's own functions go through exec_env->func_ptrs,
   * as in WAMR's indirect mode: set by an explicit --enable-indirect-mode or by
   * --internal-calls-via-table. With --xip alone they stay PC-relative BL,
   * which needs no relocation (AOT header flag CALLS_VIA_TABLE).
   */
  readonly callsViaTable: boolean;
  /** --disable-llvm-intrinsics (implied by --xip). Recorded for wamrc compatibility; the policy applies regardless. */
  readonly disableLlvmIntrinsics: boolean;
  readonly intrinsics: ResolvedIntrinsics;
  readonly optLevel: OptLevel;
  /**
   * --enable-dump-call-stack: every function and import thunk links a frame record into exec_env->frames, so the
   * runtime can give the call stack at a trap (docs/abi.md §11; the image says ABI version 2).
   */
  readonly dumpCallStack: boolean;
}

/** Options as a user spells them (flags or API object). */
export interface RawCompileOptions {
  target?: string | undefined;
  cpu?: string | undefined;
  targetAbi?: string | undefined;
  /** RV32 only: --cpu-features=+m,+a,+f,+c. */
  cpuFeatures?: string | undefined;
  xip?: boolean | undefined;
  enableIndirectMode?: boolean | undefined;
  internalCallsViaTable?: boolean | undefined;
  disableLlvmIntrinsics?: boolean | undefined;
  enableBuiltinIntrinsics?: string | undefined;
  optLevel?: number | undefined;
  enableDumpCallStack?: boolean | undefined;
}

/**
 * The options of the library API, typed precisely (`compileModule(bytes, { cpu: 'cortex-m3', xip: true })`). The
 * same names as RawCompileOptions, which holds them as a command line spells them (any string, checked later).
 */
export interface CompileModuleOptions {
  /** Give cpu, target or both (a pair that contradicts itself is an error). */
  cpu?: CpuName | undefined;
  /** An architecture, or an LLVM triple such as 'thumbv7em-none-eabihf'. */
  target?: TargetArch | `${TargetArch}-${string}` | undefined;
  /** Default: hard-float when the CPU has an FPU. */
  targetAbi?: AbiSpelling | undefined;
  /** RV32 only: extensions to add or remove, '+m,+a,+f,+c'. */
  cpuFeatures?: string | undefined;
  xip?: boolean | undefined;
  enableIndirectMode?: boolean | undefined;
  internalCallsViaTable?: boolean | undefined;
  disableLlvmIntrinsics?: boolean | undefined;
  /** WAMR intrinsic names and groups, comma-separated ('i64.common,fp.common'). */
  enableBuiltinIntrinsics?: string | undefined;
  optLevel?: OptLevel | undefined;
  /** Keep frame records so that the runtime can give the call stack at a trap (wamrc's flag; costs code and time). */
  enableDumpCallStack?: boolean | undefined;
}

export function parseOptLevel(value: number | undefined): OptLevel {
  if (value === undefined) return DEFAULT_OPT_LEVEL;
  if (value === 0 || value === 1 || value === 2 || value === 3) return value;
  throw new UsageError(`--opt-level must be 0, 1, 2 or 3, not ${value}`);
}

export function resolveCompileOptions(raw: RawCompileOptions): CompileOptions {
  const { cpu, target, floatAbi } = resolveTarget(raw.target, raw.cpu, raw.targetAbi, raw.cpuFeatures);
  const xip = raw.xip === true;
  // docs/abi.md §6: an explicit --enable-indirect-mode keeps WAMR's meaning (every
  // call through func_ptrs); --xip alone keeps PC-relative BL inside the module.
  const callsViaTable = raw.enableIndirectMode === true || raw.internalCallsViaTable === true;
  const indirectMode = xip || callsViaTable;
  return {
    target,
    cpu: cpu.name,
    floatAbi,
    xip,
    indirectMode,
    callsViaTable,
    disableLlvmIntrinsics: xip || raw.disableLlvmIntrinsics === true,
    // under a soft-float ABI the FPU computes nothing (floats live in core registers): the policy sees the core
    // without it, so every float operator is a runtime call (a Cortex-M4 with eabi, an rv32imafc with ilp32)
    intrinsics: resolveIntrinsicsFor(floatAbi === 'soft' ? { ...cpu, fpu: 'none', vrint: 'none' } : cpu, target, raw.enableBuiltinIntrinsics),
    optLevel: parseOptLevel(raw.optLevel),
    dumpCallStack: raw.enableDumpCallStack === true,
  };
}

/**
 * Refuses options that resolve but that no code generator takes yet, before any work. Every resolved option
 * compiles today (the RV32 back end took ilp32f and frame records last); the hook stays for the next target.
 */
export function requireCodegen(_options: CompileOptions): void {}

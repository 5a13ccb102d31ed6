/**
 * Compile options, shared by the CLI and the library API. The CLI only turns
 * flags into RawCompileOptions; every rule lives in resolveCompileOptions.
 */
import { UsageError } from '../errors.js';
import { resolveTarget, type CpuName, type FloatAbi, type TargetArch } from './cpu.js';
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
   * --internal-calls-via-table: calls between the module's own functions also
   * go through the function-pointer table, as WAMR's indirect mode does.
   * Default false: such calls stay PC-relative BL, which needs no relocation.
   */
  readonly callsViaTable: boolean;
  /** --disable-llvm-intrinsics (implied by --xip). Recorded for wamrc compatibility; the policy applies regardless. */
  readonly disableLlvmIntrinsics: boolean;
  readonly intrinsics: ResolvedIntrinsics;
  readonly optLevel: OptLevel;
}

/** Options as a user spells them (flags or API object). */
export interface RawCompileOptions {
  target?: string | undefined;
  cpu?: string | undefined;
  targetAbi?: string | undefined;
  xip?: boolean | undefined;
  enableIndirectMode?: boolean | undefined;
  internalCallsViaTable?: boolean | undefined;
  disableLlvmIntrinsics?: boolean | undefined;
  enableBuiltinIntrinsics?: string | undefined;
  optLevel?: number | undefined;
}

export function parseOptLevel(value: number | undefined): OptLevel {
  if (value === undefined) return DEFAULT_OPT_LEVEL;
  if (value === 0 || value === 1 || value === 2 || value === 3) return value;
  throw new UsageError(`--opt-level must be 0, 1, 2 or 3, not ${value}`);
}

export function resolveCompileOptions(raw: RawCompileOptions): CompileOptions {
  const { cpu, target, floatAbi } = resolveTarget(raw.target, raw.cpu, raw.targetAbi);
  const xip = raw.xip === true;
  const indirectMode = xip || raw.enableIndirectMode === true;
  const callsViaTable = raw.internalCallsViaTable === true;
  if (callsViaTable && !indirectMode) {
    throw new UsageError('--internal-calls-via-table needs --xip or --enable-indirect-mode (there is no function-pointer table otherwise)');
  }
  return {
    target,
    cpu: cpu.name,
    floatAbi,
    xip,
    indirectMode,
    callsViaTable,
    disableLlvmIntrinsics: xip || raw.disableLlvmIntrinsics === true,
    intrinsics: resolveIntrinsicsFor(cpu, target, raw.enableBuiltinIntrinsics),
    optLevel: parseOptLevel(raw.optLevel),
  };
}

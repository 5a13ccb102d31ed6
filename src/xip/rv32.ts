/**
 * The RV32 cores and their extensions (issue 11). A RISC-V part is described
 * by its ISA string: the named CPUs below are common parts, and
 * `--cpu-features=+m,+a,+c,+f` (wamrc's spelling) adds or removes extensions
 * from one. The capability bits the intrinsic policy reads (cpu.ts, CpuInfo)
 * follow from the extensions:
 *  - M: 32-bit multiply high (mulh/mulhu) and divide, so i32 division and the
 *    64-bit product are inline;
 *  - F: single-precision arithmetic, compare, sqrt, min/max, rounding to
 *    integral values and i32 conversions in hardware; f64 is always a
 *    runtime call (no D here);
 *  - no RV32 core here has Zbb, so clz/ctz/popcount are runtime calls, as on
 *    Cortex-M0;
 *  - A and C change no intrinsic: A gives lr/sc for a runtime contract that
 *    may need them, C makes code smaller.
 */
import { UsageError } from '../errors.js';

/** The extensions we know, in canonical ISA-string order (i m a f c). */
export type Rv32Extension = 'm' | 'a' | 'f' | 'c';
export const RV32_EXTENSIONS: readonly Rv32Extension[] = ['m', 'a', 'f', 'c'];

/** `rv32i` plus extension letters in canonical order, e.g. 'rv32imac'. */
export type Rv32IsaName = `rv32i${string}`;

export type Rv32NamedCpu = 'generic-rv32' | 'esp32c3' | 'sifive-e31' | 'rv32imac' | 'rv32imafc';

export interface Rv32CpuRow {
  readonly name: Rv32NamedCpu;
  readonly extensions: readonly Rv32Extension[];
  /** Parts it stands for, for --cpu=help. */
  readonly note: string;
}

export const RV32_NAMED_CPUS: readonly Rv32CpuRow[] = [
  { name: 'generic-rv32', extensions: [], note: 'RV32I only (LLVM\'s generic-rv32); add extensions with --cpu-features' },
  { name: 'esp32c3', extensions: ['m', 'c'], note: 'Espressif ESP32-C3' },
  { name: 'sifive-e31', extensions: ['m', 'a', 'c'], note: 'SiFive E31 (FE310)' },
  { name: 'rv32imac', extensions: ['m', 'a', 'c'], note: 'ESP32-C6, GD32VF103, WCH CH32V203' },
  { name: 'rv32imafc', extensions: ['m', 'a', 'f', 'c'], note: 'WCH CH32V303/305/307 (QingKe V4F)' },
];

/** The canonical ISA string of a set of extensions. */
export function rv32IsaName(ext: ReadonlySet<Rv32Extension>): Rv32IsaName {
  return `rv32i${RV32_EXTENSIONS.filter((e) => ext.has(e)).join('')}`;
}

/** The extensions of an ISA string we produced (or a user wrote in canonical form), or undefined. */
export function parseRv32IsaName(text: string): Set<Rv32Extension> | undefined {
  const m = /^rv32i(m?)(a?)(f?)(c?)$/.exec(text);
  if (m === null) return undefined;
  return new Set(RV32_EXTENSIONS.filter((_e, i) => m[i + 1] !== ''));
}

/**
 * Applies a --cpu-features list ('+m,+a,-c', wamrc's spelling) to `base`.
 * Unknown or unsupported extensions are a UsageError naming the valid ones.
 */
export function applyRv32Features(base: ReadonlySet<Rv32Extension>, features: string): Set<Rv32Extension> {
  const out = new Set(base);
  for (const raw of features.split(',')) {
    const tok = raw.trim();
    const m = /^([+-])([a-z][a-z0-9]*)$/.exec(tok);
    if (m === null) {
      throw new UsageError(`bad --cpu-features entry '${tok}': write +ext or -ext, comma-separated (extensions: ${RV32_EXTENSIONS.map((e) => `+${e}`).join(',')})`);
    }
    const ext = m[2]!;
    if (ext === 'd' || ext === 'zbb' || ext === 'e' || ext === 'v') {
      throw new UsageError(`--cpu-features ${m[1]}${ext}: extension '${ext}' is not supported for RV32 (supported: ${RV32_EXTENSIONS.join(', ')})`);
    }
    if (!(RV32_EXTENSIONS as readonly string[]).includes(ext)) {
      throw new UsageError(`unknown RV32 extension '${ext}' in --cpu-features (supported: ${RV32_EXTENSIONS.join(', ')})`);
    }
    if (m[1] === '+') out.add(ext as Rv32Extension);
    else out.delete(ext as Rv32Extension);
  }
  return out;
}

/** RV32 float ABIs (--target-abi), as GCC's -mabi spells them. */
export type Rv32Abi = 'ilp32' | 'ilp32f';
export const RV32_ABIS: readonly Rv32Abi[] = ['ilp32', 'ilp32f'];

/**
 * How the RV32 code generator is to do an intrinsic inline, where the
 * catalogue's text (written for Thumb) does not apply. Keyed by WAMR name.
 */
export const RV32_INLINE: Readonly<Record<string, string>> = {
  'llvm.experimental.constrained.fadd.f32': 'fadd.s',
  'llvm.experimental.constrained.fsub.f32': 'fsub.s',
  'llvm.experimental.constrained.fmul.f32': 'fmul.s',
  'llvm.experimental.constrained.fdiv.f32': 'fdiv.s',
  'llvm.fabs.f32': 'fsgnjx.s (F), or clear the sign bit',
  'llvm.fabs.f64': 'clear the sign bit of the high word',
  'llvm.sqrt.f32': 'fsqrt.s',
  'llvm.ceil.f32': 'below 2^23: fcvt.w.s + fcvt.s.w rup, sign of x; else fmin.s x, x',
  'llvm.floor.f32': 'below 2^23: fcvt.w.s + fcvt.s.w rdn, sign of x; else fmin.s x, x',
  'llvm.trunc.f32': 'below 2^23: fcvt.w.s + fcvt.s.w rtz, sign of x; else fmin.s x, x',
  'llvm.rint.f32': 'below 2^23: fcvt.w.s + fcvt.s.w rne, sign of x; else fmin.s x, x',
  'llvm.copysign.f32': 'fsgnj.s (F), or integer bit select of the sign',
  'llvm.copysign.f64': 'integer bit select of the sign of the high word',
  'llvm.minnum.f32': 'fmin.s (-0 < +0 as Wasm wants) + feq NaN check',
  'llvm.maxnum.f32': 'fmax.s (-0 < +0 as Wasm wants) + feq NaN check',
  'llvm.ctpop.i32': 'SWAR bit count (no cpop without Zbb)',
  'llvm.ctpop.i64': 'SWAR bit count of both halves, added',
  'f32_convert_i32_s': 'fcvt.s.w',
  'f32_convert_i32_u': 'fcvt.s.wu',
  'i32_trunc_f32_u': 'range check + fcvt.wu.s rtz',
  'i32_trunc_f32_s': 'range check + fcvt.w.s rtz',
  'f32_cmp': 'feq.s / flt.s / fle.s',
  'i32.const': 'lui + addi, or auipc + lw from a literal in the image',
  'i64.const': 'two lui + addi pairs, or auipc + lw pair',
  'f32.const': 'fmv.w.x of an integer constant, or auipc + flw',
  'f64.const': 'as i64.const',
  'i32.div_s': 'trap checks + div',
  'i32.div_u': 'trap check + divu',
  'i32.rem_s': 'trap check + rem',
  'i32.rem_u': 'trap check + remu',
  'i64.or': 'or on both halves',
  'i64.and': 'and on both halves',
  'i64.mul': 'mul + mulhu + 2 mul + 2 add',
  'i64.shl': 'shift pair with a branch on the amount',
  'i64.shr_s': 'shift pair with a branch on the amount',
  'i64.shr_u': 'shift pair with a branch on the amount',
};

/**
 * The Thumb-2 back end's entry for one function: Wasm → IR (src/ir/build.ts) → the IR passes (src/ir/passes.ts)
 * → allocation and Thumb-2 (emit.ts); and its answers to the IR builder's legality questions.
 */
import { buildIr, type BuildTarget } from '../../../ir/build.js';
import { UnsupportedError } from '../../../errors.js';
import { NotInTier, type AluKind, type IrFunc } from '../../../ir/ir.js';
import type { IrTarget } from '../../../ir/target.js';
import { cpuInfo } from '../../../xip/cpu.js';
import { intrinsicFor } from '../../../xip/policy.js';
import { ModImm } from '../imm.js';
import type { ModuleContext } from '../context.js';
import type { Masm } from '../masm.js';
import { optimizeIr } from '../../../ir/passes.js';
import { OptEmitter } from './emit.js';

const mod = (v: number): boolean => ModImm.fits(v >>> 0);

/** d = a <kind> #v in one Thumb-2 instruction (any registers, flags set or not): AND #v may be BIC #~v, ORR ORN. */
function fitsAluImm(kind: AluKind, v: number): boolean {
  switch (kind) {
    case 'add': case 'sub': return mod(v) || mod(-v);
    case 'rsub': case 'xor': return mod(v);
    case 'and': case 'or': return mod(v) || mod(~v);
    case 'mul': return false;
  }
}

/**
 * An IR `alui` (the builder's immediates, which never set flags except as a flag source, below): ADDW/SUBW also
 * take 0..4095. A flag-setting ADDS/SUBS has only the modified immediates, so the flag planner (cmp.ts) and
 * the 64-bit pairs ask fitsAluImm.
 */
function fitsAluiImm(kind: AluKind, v: number): boolean {
  if (fitsAluImm(kind, v)) return true;
  return (kind === 'add' || kind === 'sub') && ((v >>> 0) <= 4095 || (-v >>> 0) <= 4095);
}

/** CMP #v, or CMN #-v */
function fitsCmpImm(v: number): boolean {
  return mod(v) || ((v | 0) !== 0 && (v | 0) !== -0x80000000 && mod(-v));
}

/** The largest offset LDR/STR (immediate, T3: imm12) reach. */
const MAX_MEM_OFFSET = 4095;

/** The Thumb-2 answers to the IR builder's legality questions (ARMv7-M and later). */
export function thumb2IrTarget(hwDiv: boolean): IrTarget {
  return {
    aluImm: fitsAluiImm,
    // every data-processing operation takes a shifted register (the builder asks for add and or)
    shiftedOperand: (kind) => kind !== 'mul',
    cmpImm: fitsCmpImm,
    testImm: mod,
    // ADDS/SUBS #v on the low words; ADC/SBC #v (or #~v) on the high ones; CMP + SBCS for an ordered compare
    pairImm: (op, half, v) => {
      if (half === 'hi') return mod(v) || mod(~v);
      return op === 'cmp' ? fitsCmpImm(v) && fitsAluImm('sub', v) : fitsAluImm(op, v);
    },
    unary: () => true,
    hwDiv,
    longMultiply: true,
    mulAdd: true,
    // TBH's entries reach 128 KiB forward: only in bodies too small to put a block's end that far
    brtableDirect: (bodyBytes) => bodyBytes <= 2048,
    // LDR/STR (immediate, T3) of every size: imm12
    memOffset: (_kind, v) => v >= 0 && v <= MAX_MEM_OFFSET,
  };
}

export function buildTarget(ctx: ModuleContext): BuildTarget {
  const intrinsics = ctx.options.intrinsics;
  return {
    module: ctx.module,
    softFloat: ctx.floatAbi === 'soft',
    fpu: ctx.floatAbi === 'soft' ? 'none' : cpuInfo(ctx.options.cpu).fpu,
    // VRINT, VMINNM and VMAXNM come with FPv5 (M7/M33/M55), not FPv4 (M4)
    fpuRound: ctx.floatAbi === 'soft' ? 'none' : cpuInfo(ctx.options.cpu).vrint,
    intrinsic: (operator) => intrinsicFor(operator, intrinsics)?.index,
    intrinsicCache: new Map(),
    isa: thumb2IrTarget(cpuInfo(ctx.options.cpu).hwDivide),
    memoryStable: ctx.memoryStable,
    globalOffsets: ctx.globalOffsets,
    funcrefIndex: ctx.funcrefIndex,
  };
}

/**
 * Compiles defined function `funcIndex`: Wasm → IR → (at --opt-level >= 1 the IR passes) → allocation and
 * Thumb-2. --opt-level=0 is the fast configuration: the IR passes only pay off in the code, so it runs none,
 * and the allocator runs in its fast mode (OptEmitter). What the IR builder does not take is an UnsupportedError.
 */
export function compileFunction(m: Masm, ctx: ModuleContext, target: BuildTarget, funcIndex: number): void {
  let ir: IrFunc;
  try {
    ir = buildIr(target, funcIndex);
  } catch (e) {
    if (!(e instanceof NotInTier)) throw e;
    const body = ctx.module.codes[funcIndex - ctx.module.numImportedFuncs];
    throw new UnsupportedError(`${ctx.options.cpu}: function ${funcIndex}: ${e.message}`, body?.codeStart ?? -1);
  }
  new OptEmitter(m, ctx, ctx.options.optLevel >= 1 ? optimizeIr(ir, target.isa) : ir).emit(ctx.funcLabels[funcIndex]!, funcIndex);
}

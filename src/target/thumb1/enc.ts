/**
 * The ARMv6-M instruction set (Cortex-M0/M0+), as encoders: every form the
 * ARMv6-M ARM lists, and nothing else. The Thumb-1 back end imports its
 * encoders from here only, so it cannot emit a Thumb-2 instruction.
 *
 * ARMv6-M's 16-bit encodings are bit for bit the same as the narrow
 * encodings of ARMv7-M (and keep the ARM ARM's encoding numbers), so those
 * are the Thumb-2 encoders, re-exported by name: one encoder per encoding.
 * What is left is v6-M's handful of 32-bit instructions (BL, MRS, MSR, DMB,
 * DSB, ISB; no UDF.W, which GNU as refuses for v6-M) and the hints and CPS
 * that the Thumb-2 back end never needed.
 *
 * Two facts shape the code above this layer:
 *  - Outside an IT block (and v6-M has none) the low-register data-processing
 *    forms always set the flags: ADDS, SUBS, MOVS #imm, ANDS, LSLS, ... There
 *    is no flag-preserving way to build a constant, so the flags must be
 *    consumed by the instruction after the compare that set them.
 *  - Only MOV, ADD, CMP, BX and BLX reach r8-r12.
 *
 * Every export is checked byte for byte against GNU as
 * (`arm-none-eabi-as -march=armv6s-m -mthumb`) in test/target/thumb1.
 */
import { InternalError } from '../../errors.js';
import { type Reg, notSpPc } from '../thumb2/regs.js';
import { type Narrow, type Wide, n16, w32 } from '../thumb2/enc/common.js';
import { movRegT1 } from '../thumb2/enc/dp.js';

export { type Enc, type Narrow, type Wide, encHex, isWide } from '../thumb2/enc/common.js';
export { type RegList, regList } from '../thumb2/enc/mem.js';

// ---- data processing -------------------------------------------------------
export {
  // shifts by an immediate (LSL #1..31, LSR/ASR #1..32), MOVS between low registers
  lslImmT1, lsrImmT1, asrImmT1, movRegT2,
  // ADDS/SUBS rd, rn, rm | #imm3; MOVS/CMP/ADDS/SUBS with #imm8
  addRegT1, subRegT1, addImmT1, subImmT1, movImmT1, cmpImmT1, addImmT2, subImmT2,
  // the 16 two-register operations (ANDS .. MVNS), NEGS = RSBS #0, MULS
  andRegT1, eorRegT1, lslRegT1, lsrRegT1, asrRegT1, adcRegT1, sbcRegT1, rorRegT1, tstRegT1, rsbImmT1, cmpRegT1,
  cmnRegT1, orrRegT1, mulT1, bicRegT1, mvnRegT1,
  // the high-register forms (no flags): ADD, CMP, MOV
  addRegT2, cmpRegT2, movRegT1,
  // ADR, ADD rd, sp, #imm; ADD/SUB sp, sp, #imm
  adrT1, addSpImmT1, addSpImmT2, subSpImmT1,
  // extend and reverse
  sxthT1, sxtbT1, uxthT1, uxtbT1, revT1, rev16T1, revshT1,
} from '../thumb2/enc/dp.js';

// ---- loads and stores ------------------------------------------------------
export {
  ldrImmT1, strImmT1, ldrbImmT1, strbImmT1, ldrhImmT1, strhImmT1, memRegT1, ldrImmT2, strImmT2, ldrLitT1,
  pushT1, popT1, ldmT1, stmT1,
} from '../thumb2/enc/mem.js';
export type { MemOp } from '../thumb2/enc/mem.js';

// ---- branches and miscellaneous --------------------------------------------
export {
  bCondT1, bT2, blT1, bxT1, blxRegT1, udfT1, bkptT1, svcT1, dmbT1, dsbT1, isbT1,
} from '../thumb2/enc/branch.js';

/**
 * GNU as assembles `nop` for v6-M as MOV r8, r8 (it never emits the NOP hint
 * there), so padding uses the same halfword.
 */
export const nopMovR8 = (): Narrow => movRegT1(8 as Reg, 8 as Reg);
export const yieldT1 = (): Narrow => n16(0xbf10);
export const wfeT1 = (): Narrow => n16(0xbf20);
export const wfiT1 = (): Narrow => n16(0xbf30);
export const sevT1 = (): Narrow => n16(0xbf40);
/** CPSIE i / CPSID i: v6-M's CPS has only the PRIMASK bit. */
export const cpsieT1 = (): Narrow => n16(0xb662);
export const cpsidT1 = (): Narrow => n16(0xb672);

/** The special registers of ARMv6-M's MRS/MSR (SYSm values of the ARMv6-M ARM, B5.1). */
export const SysReg = {
  apsr: 0, iapsr: 1, eapsr: 2, xpsr: 3, ipsr: 5, epsr: 6, iepsr: 7, msp: 8, psp: 9, primask: 16, control: 20,
} as const;
export type SysReg = (typeof SysReg)[keyof typeof SysReg];

function sysm(s: SysReg): number {
  if (!Object.values(SysReg).includes(s)) throw new InternalError(`SYSm ${s} is not an ARMv6-M special register`);
  return s;
}

/** MRS rd, <spec_reg>. */
export const mrsT1 = (rd: Reg, spec: SysReg): Wide => w32(0xf3ef8000 | (notSpPc(rd, 'mrs') << 8) | sysm(spec));
/** MSR <spec_reg>, rn (for the APSR: its flags, GNU as's `APSR_nzcvq`). */
export const msrT1 = (spec: SysReg, rn: Reg): Wide => w32(0xf3808800 | (notSpPc(rn, 'msr') << 16) | sysm(spec));


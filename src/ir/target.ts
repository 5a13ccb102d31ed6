/**
 * What the IR builder asks a target: which operand forms its instructions encode. The IR itself is
 * target-neutral (ir.ts); the builder puts an immediate, a shifted operand or a reverse subtraction in
 * it only when the target says it is legal here, and otherwise uses the general form (a constant in a vreg,
 * separate instructions), which every target must accept. A target's emitter takes every instruction the
 * builder can make under its answers (docs/compiler.md, "How a target plugs in").
 *
 * Nothing here names an instruction set: src/target/<isa> implements it (thumb2: opt/index.ts).
 */
import type { AluKind, LoadKind, UnaryKind } from './ir.js';

export interface IrTarget {
  /** `d = a <kind> #v` (alui) encodes; for 'rsub' that is `d = v - a` */
  aluImm(kind: AluKind, v: number): boolean;
  /** `d = a <kind> (b <shift> #n)` (alush) exists for this operation */
  shiftedOperand(kind: AluKind): boolean;
  /** a 32-bit compare `a <cond> #v` takes the immediate (any condition) */
  cmpImm(v: number): boolean;
  /** the bit test `(a & #v) ==/!= 0` takes the immediate */
  testImm(v: number): boolean;
  /**
   * one half of a 64-bit pseudo-op takes the immediate: `op` is the alu64 kind, or 'cmp' for an ordered i64
   * compare (eq/ne compares take immediates only as (#0, #0), the eqz form every target takes)
   */
  pairImm(op: 'add' | 'sub' | 'cmp', half: 'lo' | 'hi', v: number): boolean;
  /** the unary operation is one instruction (else the builder needs a runtime function, or gives up) */
  unary(kind: UnaryKind): boolean;
  /** the core divides (div; else division is a runtime call) */
  readonly hwDiv: boolean;
  /** the core has the 32x32 -> 64 product (umull; else i64.mul needs its runtime function) */
  readonly longMultiply: boolean;
  /** multiply-accumulate (mla, mls) exists; else the builder uses mul with add or sub */
  readonly mulAdd: boolean;
  /**
   * whether a table branch may jump straight to the ends of enclosing blocks in a function body of this many
   * bytes (they are all forward; a table whose entries reach only so far says no for large bodies), instead
   * of through a stub per target
   */
  brtableDirect(bodyBytes: number): boolean;
  /**
   * a load of this kind (a store of 'w', 'b', 'h'; float accesses go as 'w' words) encodes the immediate offset
   * v from its base register (v >= 0); other offsets are added to the address in the IR
   */
  memOffset(kind: LoadKind, v: number): boolean;
  /**
   * a `shift` by a register takes the amount modulo 32 (RISC-V); without it (Arm), amounts from 32 up shift
   * every bit out, which the builder's i64 shifts by a register rely on
   */
  readonly shiftsWrap?: boolean;
}

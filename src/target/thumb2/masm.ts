/**
 * The macro-assembler the Thumb-2 emitter (opt/) and the module's thunks talk to: operations on plain
 * register numbers over the Thumb-2 assembler (select.ts), plus the two
 * things lowering needs that an assembler does not know:
 *  - `spAdjust`: sp moves below the frame while outgoing call arguments are
 *    set up, and every sp-relative frame access is corrected by it
 *    (the `*Raw` variants address the outgoing area itself);
 *  - a fixed scratch policy: r12 (ip), or lr when r12 is an operand. The
 *    prologue saves lr, so both are free inside a function body.
 *
 * VFP registers are given by their own numbers (s0..s31, d0..d15).
 */
import type { Label } from '../buffer.js';
import type { FinishedCode } from '../buffer.js';
import { VfpImm, type ShiftType } from './imm.js';
import { type Cond, type DReg, type Reg, type SReg, invertCond } from './regs.js';
import { Thumb2Assembler, imm, type BinOp } from './select.js';
import * as E from './enc/index.js';

export type { Label, Cond };
export type AluOp = BinOp;
export type LoadKind = 'w' | 'b' | 'sb' | 'h' | 'sh';
export type StoreKind = 'w' | 'b' | 'h';
export type VOp3 = 'add' | 'sub' | 'mul' | 'div' | 'maxnm' | 'minnm';
export type VOp2 = 'sqrt' | 'rint-n' | 'rint-p' | 'rint-m' | 'rint-z';

const LOAD_OP = { w: 'ldr', b: 'ldrb', sb: 'ldrsb', h: 'ldrh', sh: 'ldrsh' } as const;
const STORE_OP = { w: 'str', b: 'strb', h: 'strh' } as const;
const SP = 13;

const r = (n: number): Reg => n as Reg;
const s = (i: number): SReg => i as SReg;
const d = (i: number): DReg => i as DReg;

export class Masm {
  readonly a: Thumb2Assembler;
  /** bytes sp currently sits below the frame base (outgoing call arguments) */
  spAdjust = 0;
  /**
   * The flags hold a value that is still to be used: moves and address
   * arithmetic must then use encodings that leave them alone (wide ones).
   * Otherwise the shortest encoding wins, even if it sets the flags.
   */
  flagsLive = false;

  private get keep(): 'keep' | 'any' {
    return this.flagsLive && !this.a.inItBlock ? 'keep' : 'any';
  }

  /**
   * The FPU has double-precision instructions (M7, M55). FPv4-SP and FPv5-SP (M4, M33) have the D registers for
   * loads, stores and core transfers but no VMOV.F64: f64 moves and constants then go through the two S halves.
   */
  readonly doubleFpu: boolean;

  constructor(a: Thumb2Assembler = new Thumb2Assembler(), doubleFpu = true) {
    this.a = a;
    this.doubleFpu = doubleFpu;
  }

  get offset(): number {
    return this.a.offset;
  }

  newLabel(): Label {
    return this.a.newLabel();
  }

  bind(l: Label): void {
    this.a.bind(l);
  }

  align(n: number): void {
    this.a.buf.alignTo(n);
  }

  /** Between operators: place an island if some pending use needs one soon. */
  maybeIsland(): void {
    this.a.maybeIsland(256);
  }

  flushIsland(): void {
    this.a.flushIsland();
  }

  finish(): FinishedCode {
    return this.a.finish();
  }

  private scratchFor(...used: number[]): Reg {
    return r(used.includes(12) ? 14 : 12);
  }

  private frame(rn: number, off: number): number {
    return rn === SP ? off + this.spAdjust : off;
  }

  // ---- moves -------------------------------------------------------------

  mov(rd: number, rm: number): void {
    if (rd !== rm) this.a.mov(r(rd), r(rm));
  }

  /** rd = value, leaving the flags alone. */
  mov32(rd: number, value: number): void {
    this.a.mov32(r(rd), value, this.keep);
  }

  // ---- memory ---------------------------------------------------------------

  load(kind: LoadKind, rt: number, rn: number, off: number): void {
    const scratch = rt !== rn ? rt : this.scratchFor(rn);
    this.a.load(LOAD_OP[kind], r(rt), r(rn), this.frame(rn, off), r(scratch === rn ? this.scratchFor(rn, rt) : scratch));
  }

  store(kind: StoreKind, rt: number, rn: number, off: number): void {
    this.a.store(STORE_OP[kind], r(rt), r(rn), this.frame(rn, off), this.scratchFor(rt, rn));
  }

  /** Store into the outgoing-argument area: [sp + off] exactly. */
  storeRaw(rt: number, rn: number, off: number): void {
    this.a.store('str', r(rt), r(rn), off, this.scratchFor(rt, rn));
  }

  /** Load from [rn + off] exactly (below the frame: results a callee left in the outgoing area). */
  loadRaw(rt: number, rn: number, off: number): void {
    this.a.load('ldr', r(rt), r(rn), off, rt !== rn ? r(rt) : this.scratchFor(rn));
  }

  /** rt = [rn + rm], any width */
  loadReg(kind: LoadKind, rt: number, rn: number, rm: number): void {
    this.a.memReg(LOAD_OP[kind], r(rt), r(rn), r(rm), 0);
  }

  /** [rn + rm] = rt, any width */
  storeReg(kind: StoreKind, rt: number, rn: number, rm: number): void {
    this.a.memReg(STORE_OP[kind], r(rt), r(rn), r(rm), 0);
  }

  vload(kind: 's' | 'd', reg: number, rn: number, off: number): void {
    this.a.vmem(true, kind === 's' ? { s: reg as SReg } : { d: reg as DReg }, r(rn), this.frame(rn, off), this.scratchFor(rn));
  }

  vstore(kind: 's' | 'd', reg: number, rn: number, off: number): void {
    this.a.vmem(false, kind === 's' ? { s: reg as SReg } : { d: reg as DReg }, r(rn), this.frame(rn, off), this.scratchFor(rn));
  }

  /** VLDR/VSTR at [rn + off] exactly (outgoing arguments, values parked below the frame). */
  vloadRaw(kind: 's' | 'd', reg: number, rn: number, off: number): void {
    this.a.vmem(true, kind === 's' ? { s: reg as SReg } : { d: reg as DReg }, r(rn), off, this.scratchFor(rn));
  }

  vstoreRaw(kind: 's' | 'd', reg: number, rn: number, off: number): void {
    this.a.vmem(false, kind === 's' ? { s: reg as SReg } : { d: reg as DReg }, r(rn), off, this.scratchFor(rn));
  }

  // ---- stack ----------------------------------------------------------------

  subSp(n: number): void {
    this.a.sub(r(SP), r(SP), imm(n), 'any', r(12));
    this.spAdjust += n;
  }

  addSp(n: number): void {
    this.a.add(r(SP), r(SP), imm(n), 'any', r(12));
    this.spAdjust -= n;
  }

  /** rd = address of frame offset `off` */
  addSpImm(rd: number, off: number): void {
    this.a.add(r(rd), r(SP), imm(this.frame(SP, off)), this.keep, rd === 12 ? r(14) : r(12));
  }

  // ---- arithmetic -----------------------------------------------------------

  alu(op: AluOp, rd: number, rn: number, rm: number, setFlags = false): void {
    this.a.binop(op, r(rd), r(rn), r(rm), setFlags ? 'set' : 'any');
  }

  /** rd = rn <op> #v for any v (r12 or lr as scratch when it fits no encoding). */
  aluImm(op: AluOp, rd: number, rn: number, v: number, flags: 'set' | 'any' | 'keep' = 'any'): void {
    this.a.binop(op, r(rd), r(rn), imm(v), flags, this.scratchFor(rd, rn));
  }

  addImm(rd: number, rn: number, v: number): void { this.aluImm('add', rd, rn, v, this.keep); }


  cmp(rn: number, rm: number): void { this.a.cmp(r(rn), r(rm)); }
  cmpImm(rn: number, v: number): void { this.a.cmp(r(rn), imm(v), this.scratchFor(rn)); }

  shiftImm(kind: ShiftType, rd: number, rn: number, n: number): void {
    this.a.shift(kind, r(rd), r(rn), imm(n), 'any');
  }

  mul(rd: number, rn: number, rm: number): void { this.a.mul(r(rd), r(rn), r(rm)); }
  mla(rd: number, rn: number, rm: number, ra: number): void { this.a.mla(r(rd), r(rn), r(rm), r(ra)); }
  mls(rd: number, rn: number, rm: number, ra: number): void { this.a.mls(r(rd), r(rn), r(rm), r(ra)); }
  umull(lo: number, hi: number, rn: number, rm: number): void { this.a.umull(r(lo), r(hi), r(rn), r(rm)); }

  div(signed: boolean, rd: number, rn: number, rm: number): void {
    if (signed) this.a.sdiv(r(rd), r(rn), r(rm));
    else this.a.udiv(r(rd), r(rn), r(rm));
  }

  clz(rd: number, rm: number): void { this.a.clz(r(rd), r(rm)); }
  rbit(rd: number, rm: number): void { this.a.rbit(r(rd), r(rm)); }

  extend(kind: 'sxtb' | 'sxth', rd: number, rm: number): void {
    if (kind === 'sxtb') this.a.sxtb(r(rd), r(rm));
    else this.a.sxth(r(rd), r(rm));
  }

  /** rd = cond ? 1 : 0 */
  setCond(rd: number, cond: Cond): void {
    this.a.it(cond, 'e');
    this.a.mov32(r(rd), 1);
    this.a.mov32(r(rd), 0);
  }

  /** rd = cond ? a : b, with one IT block (the moves are emitted even when a register stays) */
  itSelect(cond: Cond, rd: number, a: number, b: number): void {
    if (rd === a && rd === b) return;
    if (rd === a) {
      this.a.it(invertCond(cond));
      this.a.mov(r(rd), r(b));
    } else if (rd === b) {
      this.a.it(cond);
      this.a.mov(r(rd), r(a));
    } else {
      this.a.it(cond, 'e');
      this.a.mov(r(rd), r(a));
      this.a.mov(r(rd), r(b));
    }
  }

  // ---- branches -----------------------------------------------------------------

  b(l: Label): void { this.a.b(l); }
  bcond(cond: Cond, l: Label): void { this.a.bcond(cond, l); }
  bl(l: Label): void { this.a.bl(l); }
  blx(rm: number): void { this.a.blx(r(rm)); }
  bx(rm: number): void { this.a.bx(r(rm)); }
  /** TBH [pc, rm, lsl #1] and its table; every target must be bound later, after the table */
  tableBranchHalf(rm: number, targets: readonly Label[]): void { this.a.tableBranch(r(rm), targets, true); }

  // ---- VFP ----------------------------------------------------------------------

  vop3(op: VOp3, dbl: boolean, rd: number, rn: number, rm: number): void {
    const f = dbl ? VOP3_D[op] : undefined;
    if (f) return this.a.emit(f(d(rd), d(rn), d(rm)));
    this.a.emit(VOP3_S[op](s(rd), s(rn), s(rm)));
  }

  vop2(op: VOp2, dbl: boolean, rd: number, rm: number): void {
    if (op === 'sqrt') {
      this.a.emit(dbl ? E.vsqrtF64(d(rd), d(rm)) : E.vsqrtF32(s(rd), s(rm)));
      return;
    }
    const mode = op.slice(5) as 'n' | 'p' | 'm' | 'z';
    this.a.emit(dbl ? E.vrintF64(mode, d(rd), d(rm)) : E.vrintF32(mode, s(rd), s(rm)));
  }

  /** Compare and copy the FP flags to APSR. */
  vcmp(dbl: boolean, a: number, b: number): void {
    this.a.emit(dbl ? E.vcmpF64(d(a), d(b)) : E.vcmpF32(s(a), s(b)));
    this.a.emit(E.vmrsApsrNzcv());
  }

  /** VABS/VNEG: sign-bit operations (no NaN processing), as Wasm's abs/neg */
  vabs(dbl: boolean, rd: number, rm: number): void { this.a.emit(dbl ? E.vabsF64(d(rd), d(rm)) : E.vabsF32(s(rd), s(rm))); }
  vneg(dbl: boolean, rd: number, rm: number): void { this.a.emit(dbl ? E.vnegF64(d(rd), d(rm)) : E.vnegF32(s(rd), s(rm))); }
  /** s(i) = f32 bits, or s(i) = lo and s(i + 1) = hi (the f64 d(i / 2)), with r12 as the only core scratch */
  vconst(i: number, lo: number, hi: number | undefined): void {
    if (hi === undefined) {
      const v = VfpImm.tryFromF32Bits(lo >>> 0);
      if (v) return this.a.emit(E.vmovImmF32(s(i), v));
    } else if (this.doubleFpu) {
      const v = VfpImm.tryFromF64Bits((BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0));
      if (v) return this.a.emit(E.vmovImmF64(d(i >> 1), v));
    }
    this.mov32(12, lo);
    this.a.emit(E.vmovCoreToS(s(i), r(12)));
    if (hi === undefined) return;
    if ((hi >>> 0) !== (lo >>> 0)) this.mov32(12, hi);
    this.a.emit(E.vmovCoreToS(s(i + 1), r(12)));
  }
  vmovToS(i: number, rt: number): void { this.a.emit(E.vmovCoreToS(s(i), r(rt))); }
  vmovS(dst: number, src: number): void { if (dst !== src) this.a.emit(E.vmovF32(s(dst), s(src))); }
  vmovD(dst: number, src: number): void {
    if (dst === src) return;
    if (this.doubleFpu) return this.a.emit(E.vmovF64(d(dst), d(src)));
    this.a.emit(E.vmovF32(s(2 * dst), s(2 * src)));
    this.a.emit(E.vmovF32(s(2 * dst + 1), s(2 * src + 1)));
  }
  vmovFromD(lo: number, hi: number, i: number): void { this.a.emit(E.vmovDToCores(r(lo), r(hi), d(i))); }
  /** VPUSH/VPOP {d(first) .. d(first + count - 1)} */
  vpushD(first: number, count: number): void { this.a.emit(E.vpushD(d(first), count)); }
  vpopD(first: number, count: number): void { this.a.emit(E.vpopD(d(first), count)); }
  vmovFromS(rt: number, i: number): void { this.a.emit(E.vmovSToCore(r(rt), s(i))); }
  vmovToD(i: number, lo: number, hi: number): void { this.a.emit(E.vmovCoresToD(d(i), r(lo), r(hi))); }

  /** d(dst) or s(dst) = (float) s(src) as a 32-bit integer */
  vcvtFromInt(dbl: boolean, signed: boolean, dst: number, src: number): void {
    if (dbl) this.a.emit(signed ? E.vcvtF64S32(d(dst), s(src)) : E.vcvtF64U32(d(dst), s(src)));
    else this.a.emit(signed ? E.vcvtF32S32(s(dst), s(src)) : E.vcvtF32U32(s(dst), s(src)));
  }

  /** s(dst) = (int) of s(src) / d(src), rounding toward zero */
  vcvtToInt(fromDbl: boolean, signed: boolean, dst: number, src: number): void {
    if (fromDbl) this.a.emit(signed ? E.vcvtS32F64(s(dst), d(src)) : E.vcvtU32F64(s(dst), d(src)));
    else this.a.emit(signed ? E.vcvtS32F32(s(dst), s(src)) : E.vcvtU32F32(s(dst), s(src)));
  }

  /** promote (toDouble) d(dst) = s(src), or demote s(dst) = d(src) */
  vcvtFloat(toDouble: boolean, dst: number, src: number): void {
    this.a.emit(toDouble ? E.vcvtF64F32(d(dst), s(src)) : E.vcvtF32F64(s(dst), d(src)));
  }
}

const VOP3_S: Record<VOp3, (a: SReg, b: SReg, c: SReg) => E.Wide> = {
  add: E.vaddF32, sub: E.vsubF32, mul: E.vmulF32, div: E.vdivF32, maxnm: E.vmaxnmF32, minnm: E.vminnmF32,
};
const VOP3_D: Record<VOp3, (a: DReg, b: DReg, c: DReg) => E.Wide> = {
  add: E.vaddF64, sub: E.vsubF64, mul: E.vmulF64, div: E.vdivF64, maxnm: E.vmaxnmF64, minnm: E.vminnmF64,
};


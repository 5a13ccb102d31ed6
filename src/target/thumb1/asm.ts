/**
 * The ARMv6-M assembler over the shared code buffer: instructions on checked
 * registers and typed immediates, with what an assembler adds to encoders:
 * label uses (branches that pick their kind by reach and by whether LR is
 * saved), 32-bit constants (short MOVS sequences or the literal pool), loads
 * and stores at any offset, and island placement.
 *
 * Nearly every low-register instruction sets the flags here (there is no IT
 * block and no wide form), so the helpers below say which ones clobber them:
 * a caller that still needs the flags must not call those in between.
 */
import { CodeBuffer, type FinishedCode, type Label } from '../buffer.js';
import { InternalError } from '../../errors.js';
import { Imm3, Imm5Scaled, Imm7x4, Imm8, Imm8x4, ShiftImm } from '../thumb2/imm.js';
import { type Cond, type Reg, SP, invertCond, isLow, regName } from '../thumb2/regs.js';
import * as E from './enc.js';
import { THUMB1_LABEL_USE, type Thumb1LabelUse } from './labeluse.js';

export type { Label };
export type LoadKind = 'w' | 'b' | 'sb' | 'h' | 'sh';
export type StoreKind = 'w' | 'b' | 'h';

const LOAD_OP = { w: 'ldr', b: 'ldrb', sb: 'ldrsb', h: 'ldrh', sh: 'ldrsh' } as const;
const STORE_OP = { w: 'str', b: 'strb', h: 'strh' } as const;
const SIZE = { w: 4, b: 1, sb: 1, h: 2, sh: 2 } as const;

function must<T>(v: T | undefined, what: string): T {
  if (v === undefined) throw new InternalError(`${what}: immediate out of range`);
  return v;
}

/** r, checked to be r0-r7 (the narrow forms have 3-bit register fields). */
export function low(r: Reg, what: string): Reg {
  if (!isLow(r)) throw new InternalError(`${what}: ${regName(r)} is not a low register`);
  return r;
}

/**
 * How a 32-bit value is built in a low register without a memory access, or
 * undefined when the literal pool is shorter. Every step sets the flags.
 */
export type ConstSteps =
  | { readonly kind: 'movs'; readonly imm: number }
  | { readonly kind: 'mvns'; readonly imm: number } // MOVS #imm; MVNS
  | { readonly kind: 'negs'; readonly imm: number } // MOVS #imm; NEGS
  | { readonly kind: 'lsls'; readonly imm: number; readonly shift: number } // MOVS #imm; LSLS #shift
  | { readonly kind: 'adds'; readonly imm: number; readonly add: number }; // MOVS #255; ADDS #add

export function constSteps(value: number): ConstSteps | undefined {
  const v = value >>> 0;
  if (v <= 0xff) return { kind: 'movs', imm: v };
  if (~v >>> 0 <= 0xff) return { kind: 'mvns', imm: ~v >>> 0 };
  if (-v >>> 0 <= 0xff) return { kind: 'negs', imm: -v >>> 0 };
  const shift = 31 - Math.clz32(v) - 7;
  if ((v & ((1 << shift) - 1)) === 0 && (v >>> shift) <= 0xff) return { kind: 'lsls', imm: v >>> shift, shift };
  if (v <= 510) return { kind: 'adds', imm: 255, add: v - 255 };
  return undefined;
}

export class Thumb1Assembler {
  readonly buf: CodeBuffer<Thumb1LabelUse>;
  /**
   * LR is saved in the current function's frame, so a branch beyond reach may
   * become a BL used as a jump. While false (a leaf that keeps its return
   * address in LR) a B has no rescue beyond ±2 KiB.
   */
  lrSaved = false;

  constructor(buf: CodeBuffer<Thumb1LabelUse> = new CodeBuffer(THUMB1_LABEL_USE)) {
    this.buf = buf;
  }

  get offset(): number {
    return this.buf.offset;
  }

  emit(e: E.Enc): void {
    if (E.isWide(e)) this.buf.put32(e >>> 0);
    else this.buf.put16(e);
  }

  newLabel(): Label {
    return this.buf.getLabel();
  }

  bind(l: Label): void {
    this.buf.bindLabel(l);
  }

  /** Before `distance` more bytes of code: place an island (with a jump over it) if a pending use needs one. */
  maybeIsland(distance = 64): boolean {
    if (!this.buf.islandNeeded(distance)) return false;
    this.buf.emitIsland(true);
    return true;
  }

  /** After an unconditional jump or return: place what is pending, with no jump over it. */
  flushIsland(): void {
    if (this.buf.hasPendingIslandContent()) this.buf.emitIsland(false);
  }

  finish(): FinishedCode {
    return this.buf.finish();
  }

  // ---- branches -------------------------------------------------------------

  private use(e: E.Enc, l: Label, kind: Thumb1LabelUse): void {
    const at = this.offset;
    this.emit(e);
    this.buf.useLabelAtOffset(at, l, kind);
  }

  /** B to `l`: B (±2 KiB), else a BL used as a jump where LR is saved. */
  b(l: Label): void {
    const at = this.buf.labelOffset(l);
    if (at >= 0 && !this.buf.inRange('b', this.offset, at)) {
      if (!this.lrSaved) throw new InternalError(`b: target ${at - this.offset} bytes away, beyond B's reach, and LR is not saved`);
      this.use(E.blT1(0), l, 'bl');
      return;
    }
    this.use(E.bT2(0), l, this.lrSaved ? 'b' : 'bLeaf');
  }

  /** A BL used as a jump (±16 MiB), for a forward target known to be beyond B's reach; needs LR saved. */
  farJump(l: Label): void {
    if (!this.lrSaved) throw new InternalError('a far jump needs LR saved');
    this.use(E.blT1(0), l, 'bl');
  }

  /** B<cond> to `l`; a bound target beyond ±256 B takes B<!cond> over a B. */
  bcond(cond: Cond, l: Label): void {
    if (cond === 'al') return this.b(l);
    const at = this.buf.labelOffset(l);
    if (at >= 0 && !this.buf.inRange('bcond', this.offset, at)) {
      const skip = this.newLabel();
      this.use(E.bCondT1(invertCond(cond), 0), skip, 'bcondLeaf');
      this.b(l);
      this.bind(skip);
      return;
    }
    this.use(E.bCondT1(cond, 0), l, this.lrSaved ? 'bcond' : 'bcondLeaf');
  }

  /** BL (a call within the image, PC-relative: no relocation). */
  bl(l: Label): void {
    this.use(E.blT1(0), l, 'bl');
  }

  blx(rm: Reg): void {
    this.emit(E.blxRegT1(rm));
  }

  bx(rm: Reg): void {
    this.emit(E.bxT1(rm));
  }

  /** rd = address of `l` (a word-aligned label at most 1020 bytes ahead: a pool entry or a table). */
  adr(rd: Reg, l: Label): void {
    this.use(E.adrT1(low(rd, 'adr'), must(Imm8x4.tryFrom(0), 'adr')), l, 'adr');
  }

  // ---- moves and constants ---------------------------------------------------------

  /** MOV rd, rm between any registers; leaves the flags alone. */
  mov(rd: Reg, rm: Reg): void {
    if (rd !== rm) this.emit(E.movRegT1(rd, rm));
  }

  /** rd (low) = value from the next island's literal pool (one load; leaves the flags alone). */
  ldrConst(rd: Reg, value: number): void {
    const at = this.offset;
    this.emit(E.ldrLitT1(low(rd, 'ldr literal'), must(Imm8x4.tryFrom(0), 'ldr')));
    this.buf.useConstant(at, 'ldrLit', { size: 4, bits: value >>> 0 });
  }

  /** rd (low) = value: one or two flag-setting instructions where they do, else the literal pool. */
  mov32(rd: Reg, value: number): void {
    low(rd, 'mov32');
    const s = constSteps(value);
    if (s === undefined) return this.ldrConst(rd, value);
    const imm8 = (v: number): Imm8 => must(Imm8.tryFrom(v), 'movs');
    this.emit(E.movImmT1(rd, imm8(s.imm)));
    switch (s.kind) {
      case 'movs': return;
      case 'mvns': this.emit(E.mvnRegT1(rd, rd)); return;
      case 'negs': this.emit(E.rsbImmT1(rd, rd)); return;
      case 'lsls': this.emit(E.lslImmT1(rd, rd, must(ShiftImm.tryFrom('lsl', s.shift), 'lsls'))); return;
      case 'adds': this.emit(E.addImmT2(rd, imm8(s.add))); return;
    }
  }

  /** Any register = value; a high rd goes through the low `scratch`. Sets the flags (unless from the pool). */
  movImm(rd: Reg, value: number, scratch?: Reg): void {
    if (isLow(rd)) return this.mov32(rd, value);
    if (scratch === undefined) throw new InternalError(`movImm to ${regName(rd)} needs a low scratch register`);
    this.mov32(scratch, value);
    this.mov(rd, scratch);
  }

  // ---- arithmetic with immediates ---------------------------------------------------------

  /** rd = rn + v (low registers; any v; sets the flags). `scratch` (low, not rn) is needed when v takes a constant. */
  addImm(rd: Reg, rn: Reg, v: number, scratch?: Reg): void {
    low(rd, 'adds');
    low(rn, 'adds');
    const x = v | 0;
    const i3 = Imm3.tryFrom(Math.abs(x));
    if (i3 !== undefined) return this.emit(x >= 0 ? E.addImmT1(rd, rn, i3) : E.subImmT1(rd, rn, i3));
    const i8 = Imm8.tryFrom(Math.abs(x));
    if (i8 !== undefined && rd === rn) return this.emit(x >= 0 ? E.addImmT2(rd, i8) : E.subImmT2(rd, i8));
    if (i8 !== undefined && rd !== rn) {
      this.emit(E.movRegT2(rd, rn));
      this.emit(x >= 0 ? E.addImmT2(rd, i8) : E.subImmT2(rd, i8));
      return;
    }
    const t = rd !== rn ? rd : scratch;
    if (t === undefined || t === rn) throw new InternalError(`adds ${regName(rd)}, ${regName(rn)}, #${v}: needs a scratch register`);
    this.mov32(t, x);
    this.emit(E.addRegT1(rd, rn, t));
  }

  /** sp += v (v a multiple of 4; beyond ±508 through the low `scratch`). Leaves the flags alone unless via scratch. */
  addSp(v: number, scratch?: Reg): void {
    if (v === 0) return;
    const i = Imm7x4.tryFrom(Math.abs(v));
    if (i !== undefined) return this.emit(v > 0 ? E.addSpImmT2(i) : E.subSpImmT1(i));
    if (v % 4 !== 0) throw new InternalError(`sp adjustment ${v} is not a multiple of 4`);
    if (scratch === undefined) throw new InternalError(`sp += ${v} needs a low scratch register`);
    this.mov32(scratch, v);
    this.emit(E.addRegT2(SP, scratch));
  }

  // ---- memory ---------------------------------------------------------------------------

  /**
   * rt = [rn + off], any width and offset. rn is a low register or sp (words
   * only there). An offset beyond the immediate forms goes into a register:
   * rt itself when it is not the base, else `scratch`.
   */
  load(kind: LoadKind, rt: Reg, rn: Reg, off: number, scratch?: Reg): void {
    low(rt, 'load');
    if (rn === SP) {
      if (kind !== 'w') throw new InternalError(`ldr${LOAD_OP[kind].slice(3)} from sp: only words`);
      this.emit(E.ldrImmT2(rt, must(Imm8x4.tryFrom(off), `ldr [sp, #${off}]`)));
      return;
    }
    low(rn, 'load');
    const imm = kind === 'sb' || kind === 'sh' ? undefined : Imm5Scaled.tryFrom(off, SIZE[kind]);
    if (imm !== undefined) {
      const f = kind === 'w' ? E.ldrImmT1 : kind === 'b' ? E.ldrbImmT1 : E.ldrhImmT1;
      this.emit(f(rt, rn, imm));
      return;
    }
    const t = rt !== rn ? rt : scratch;
    if (t === undefined || t === rn) throw new InternalError(`${LOAD_OP[kind]} ${regName(rt)}, [${regName(rn)}, #${off}]: needs a scratch register`);
    this.mov32(t, off);
    this.emit(E.memRegT1(LOAD_OP[kind], rt, rn, t));
  }

  /** [rn + off] = rt; an offset beyond the immediate forms goes into `scratch` (low, not rt or rn). */
  store(kind: StoreKind, rt: Reg, rn: Reg, off: number, scratch?: Reg): void {
    low(rt, 'store');
    if (rn === SP) {
      if (kind !== 'w') throw new InternalError(`str${STORE_OP[kind].slice(3)} to sp: only words`);
      this.emit(E.strImmT2(rt, must(Imm8x4.tryFrom(off), `str [sp, #${off}]`)));
      return;
    }
    low(rn, 'store');
    const imm = Imm5Scaled.tryFrom(off, SIZE[kind]);
    if (imm !== undefined) {
      const f = kind === 'w' ? E.strImmT1 : kind === 'b' ? E.strbImmT1 : E.strhImmT1;
      this.emit(f(rt, rn, imm));
      return;
    }
    if (scratch === undefined || scratch === rt || scratch === rn) {
      throw new InternalError(`${STORE_OP[kind]} ${regName(rt)}, [${regName(rn)}, #${off}]: needs a scratch register`);
    }
    this.mov32(scratch, off);
    this.emit(E.memRegT1(STORE_OP[kind], rt, rn, scratch));
  }

  /** rt = [rn + rm], any width (low registers). */
  loadReg(kind: LoadKind, rt: Reg, rn: Reg, rm: Reg): void {
    this.emit(E.memRegT1(LOAD_OP[kind], rt, rn, rm));
  }

  /** [rn + rm] = rt, any width (low registers). */
  storeReg(kind: StoreKind, rt: Reg, rn: Reg, rm: Reg): void {
    this.emit(E.memRegT1(STORE_OP[kind], rt, rn, rm));
  }
}

/**
 * The Thumb-2 assembler layer: each method takes an operation and picks the
 * shortest encoding that does exactly that, writing it into the CodeBuffer.
 *
 * Flags. Narrow data-processing forms set NZCV outside an IT block and leave
 * it alone inside one, so every flag-sensitive method takes a `FlagMode`:
 *   'set'  - the result must set NZCV (ADDS ...);
 *   'keep' - NZCV must survive (e.g. between a compare and its branch);
 *   'any'  - the caller does not care (the default; allows the 16-bit forms).
 * The assembler tracks IT blocks opened with `it()` so it knows which case
 * applies, and refuses to emit an island inside one.
 *
 * Immediates that fit no encoding need a scratch register; methods that may
 * need one take it as an optional last argument and throw InternalError when
 * it is needed but missing (never a silent wrong encoding).
 *
 * Branches. Forward branches to unbound labels use the wide forms (B.W ±16 MiB,
 * B<c>.W ±1 MiB) unless the caller passes `short`, in which case the narrow
 * form is used and the buffer puts a veneer in the next island if the label
 * ends up too far. Backward branches to bound labels use the narrow form when
 * it reaches.
 */
import { InternalError } from '../../errors.js';
import { CodeBuffer, type Label, type FinishedCode } from '../buffer.js';
import { Imm12, Imm16, Imm3, Imm5Scaled, Imm7x4, Imm8, Imm8x4, ModImm, SImm12, SImm8, SImm8x4, ShiftImm, VfpImm, type ShiftType } from './imm.js';
import { THUMB_LABEL_USE, type ThumbLabelUse } from './labeluse.js';
import { type Cond, type DReg, type Reg, type SReg, PC, SP, isLow, invertCond } from './regs.js';
import { type Enc, isWide } from './enc/common.js';
import * as E from './enc/index.js';
import type { IndexMode, MemOp, RegList } from './enc/mem.js';

export type FlagMode = 'set' | 'keep' | 'any';
export type Operand = Reg | { imm: number };
export type BinOp = 'add' | 'adc' | 'sub' | 'sbc' | 'rsb' | 'and' | 'orr' | 'eor' | 'bic' | 'orn';

export const imm = (v: number): { imm: number } => ({ imm: v });

function isImm(o: Operand): o is { imm: number } {
  return typeof o === 'object';
}

export class Thumb2Assembler {
  readonly buf: CodeBuffer<ThumbLabelUse>;
  private itLeft = 0;

  constructor(buf: CodeBuffer<ThumbLabelUse> = new CodeBuffer(THUMB_LABEL_USE)) {
    this.buf = buf;
  }

  get offset(): number {
    return this.buf.offset;
  }

  get inItBlock(): boolean {
    return this.itLeft > 0;
  }

  /** Write one encoded instruction. */
  emit(e: Enc): void {
    if (isWide(e)) this.buf.put32(e);
    else this.buf.put16(e);
    if (this.itLeft > 0) this.itLeft--;
    // Post-invariant: one instruction written; one IT slot consumed if open.
  }

  /** Open an IT block: `pattern` is the t/e letters after the first slot ('' = IT, 'e' = ITE). */
  it(cond: Cond, pattern = ''): void {
    if (this.itLeft > 0) throw new InternalError('IT inside an IT block');
    this.emit(E.itT1(cond, pattern));
    this.itLeft = 1 + pattern.length;
    // Post-invariant: the next 1..4 instructions are conditional.
  }

  /** An IT block counts instructions: a multi-instruction expansion inside one would run past it. */
  private noExpansionInIt(what: string): void {
    if (this.itLeft > 0) throw new InternalError(`${what} needs several instructions inside an IT block`);
  }

  private narrowOk(flags: FlagMode): boolean {
    return this.itLeft > 0 ? flags !== 'set' : flags !== 'keep';
  }

  newLabel(): Label {
    return this.buf.getLabel();
  }

  bind(label: Label): void {
    this.buf.bindLabel(label);
  }

  /** Emit an island (B.W over constants/veneers/stubs) if one is due within `distance` bytes. */
  maybeIsland(distance = 64): boolean {
    if (this.itLeft > 0 || !this.buf.islandNeeded(distance)) return false;
    this.buf.emitIsland(true);
    return true;
  }

  /** Emit pending island content now without a jump (only after an unconditional transfer). */
  flushIsland(): void {
    if (this.buf.hasPendingIslandContent()) this.buf.emitIsland(false);
  }

  finish(): FinishedCode {
    return this.buf.finish();
  }

  // ---- moves -------------------------------------------------------------

  mov(rd: Reg, rm: Reg, flags: FlagMode = 'any'): void {
    if (flags === 'set') {
      if (isLow(rd) && isLow(rm) && this.itLeft === 0) this.emit(E.movRegT2(rd, rm));
      else this.emit(E.movRegT3(rd, rm, true));
      return;
    }
    this.emit(E.movRegT1(rd, rm));
  }

  /** rd = value (any 32-bit pattern): MOVS, MOV.W, MVN.W, MOVW or MOVW+MOVT. */
  mov32(rd: Reg, value: number, flags: FlagMode = 'any'): void {
    const v = value >>> 0;
    const i8 = Imm8.tryFrom(v);
    if (i8 && isLow(rd) && this.narrowOk(flags)) return this.emit(E.movImmT1(rd, i8));
    const m = ModImm.tryFrom(v);
    if (m) return this.emit(E.movImmT2(rd, m, flags === 'set'));
    const n = ModImm.tryFrom(~v >>> 0);
    if (n) return this.emit(E.mvnImmT1(rd, n, flags === 'set'));
    if (flags === 'set') throw new InternalError(`mov32 with flags of 0x${v.toString(16)}`);
    if (v > 0xffff) this.noExpansionInIt(`mov32 0x${v.toString(16)}`);
    this.emit(E.movwT3(rd, Imm16.tryFrom(v & 0xffff)!));
    if (v > 0xffff) this.emit(E.movtT1(rd, Imm16.tryFrom(v >>> 16)!));
  }

  /** MOVW rd, #lo16; MOVT rd, #hi16 always (8 bytes), for values patched later with `patchMovwMovt`. Returns its offset. */
  movwMovt(rd: Reg, value: number): number {
    const at = this.offset;
    const v = value >>> 0;
    this.emit(E.movwT3(rd, Imm16.tryFrom(v & 0xffff)!));
    this.emit(E.movtT1(rd, Imm16.tryFrom(v >>> 16)!));
    return at;
  }

  /** Rewrite the value of a `movwMovt` pair emitted at `at`. */
  patchMovwMovt(at: number, value: number): void {
    const code = this.buf.bytes;
    const rd = ((code[at + 3]! & 0x0f)) as Reg;
    const v = value >>> 0;
    const write = (o: number, e: number): void => {
      code[o] = (e >>> 16) & 0xff; code[o + 1] = (e >>> 24) & 0xff;
      code[o + 2] = e & 0xff; code[o + 3] = (e >>> 8) & 0xff;
    };
    write(at, E.movwT3(rd, Imm16.tryFrom(v & 0xffff)!));
    write(at + 4, E.movtT1(rd, Imm16.tryFrom(v >>> 16)!));
    // Post-invariant: the pair at `at` loads `value` into the same register.
  }

  mvn(rd: Reg, rm: Reg, flags: FlagMode = 'any'): void {
    if (isLow(rd) && isLow(rm) && this.narrowOk(flags)) return this.emit(E.mvnRegT1(rd, rm));
    this.emit(E.mvnRegT2(rd, rm, ShiftImm.NONE, flags === 'set'));
  }

  /** rd = 0 - rm. */
  neg(rd: Reg, rm: Reg, flags: FlagMode = 'any'): void {
    if (isLow(rd) && isLow(rm) && this.narrowOk(flags)) return this.emit(E.rsbImmT1(rd, rm));
    this.emit(E.rsbImmT2(rd, rm, ModImm.tryFrom(0)!, flags === 'set'));
  }

  // ---- binary operations ---------------------------------------------------

  add(rd: Reg, rn: Reg, op: Operand, flags: FlagMode = 'any', scratch?: Reg): void {
    this.binop('add', rd, rn, op, flags, scratch);
  }
  sub(rd: Reg, rn: Reg, op: Operand, flags: FlagMode = 'any', scratch?: Reg): void {
    this.binop('sub', rd, rn, op, flags, scratch);
  }

  /** rd = rn <op> operand, with the shortest form honouring `flags`. */
  binop(op: BinOp, rd: Reg, rn: Reg, o: Operand, flags: FlagMode = 'any', scratch?: Reg): void {
    const s = flags === 'set';
    if (!isImm(o)) return this.binopReg(op, rd, rn, o, flags);
    const v = o.imm;
    if (op === 'add' || op === 'sub') {
      if (this.addSubImm(op, rd, rn, v, flags)) return;
      // ADD #-k == SUB #k for the result, and for NZCV whenever k is neither 0 nor 2^31.
      const neg = -v | 0;
      if ((!s || (neg !== 0 && neg !== -0x80000000)) && this.addSubImm(op === 'add' ? 'sub' : 'add', rd, rn, neg, flags)) return;
    } else {
      if (op === 'rsb' && v === 0) return this.neg(rd, rn, flags);
      // UXTB/UXTH never touch flags and have a 16-bit form for low registers.
      if (op === 'and' && !s && isLow(rd) && isLow(rn) && (v >>> 0) === 0xff) return this.uxtb(rd, rn);
      if (op === 'and' && !s && isLow(rd) && isLow(rn) && (v >>> 0) === 0xffff) return this.uxth(rd, rn);
      const m = ModImm.tryFrom(v);
      if (m) return this.emit(modForm(op)(rd, rn, m, s));
      const inv = ModImm.tryFrom(~v >>> 0);
      const alt = inverseOp(op);
      // ADC #k == SBC #~k exactly (flags included); the logical pairs differ only in C.
      if (inv && alt && (!s || op === 'adc' || op === 'sbc')) return this.emit(modForm(alt)(rd, rn, inv, s));
      if (op === 'and' && !s && (v >>> 0) === 0xffff && rd !== SP && rn !== SP) return this.uxth(rd, rn);
    }
    if (scratch === undefined) throw new InternalError(`${op} #${v}: immediate needs a scratch register`);
    if (scratch === rn) throw new InternalError(`${op}: scratch register is the source`);
    this.noExpansionInIt(`${op} #${v}`);
    this.mov32(scratch, v, flags === 'keep' ? 'keep' : 'any');
    this.binopReg(op, rd, rn, scratch, flags);
  }

  private addSubImm(op: 'add' | 'sub', rd: Reg, rn: Reg, v: number, flags: FlagMode): boolean {
    const s = flags === 'set';
    if (v < 0) return false;
    if (rn === SP && !s) {
      const i7 = Imm7x4.tryFrom(v);
      if (rd === SP && i7) { this.emit(op === 'add' ? E.addSpImmT2(i7) : E.subSpImmT1(i7)); return true; }
      const i8 = Imm8x4.tryFrom(v);
      if (op === 'add' && isLow(rd) && i8) { this.emit(E.addSpImmT1(rd, i8)); return true; }
    }
    if (isLow(rd) && isLow(rn) && this.narrowOk(flags)) {
      // GNU as prefers the imm8 form when rd == rn; follow it so listings match.
      const i8 = Imm8.tryFrom(v);
      if (rd === rn && i8) { this.emit(op === 'add' ? E.addImmT2(rd, i8) : E.subImmT2(rd, i8)); return true; }
      const i3 = Imm3.tryFrom(v);
      if (i3) { this.emit(op === 'add' ? E.addImmT1(rd, rn, i3) : E.subImmT1(rd, rn, i3)); return true; }
    }
    if (rn === PC) return false;
    const m = ModImm.tryFrom(v);
    if (m) { this.emit(op === 'add' ? E.addImmT3(rd, rn, m, s) : E.subImmT3(rd, rn, m, s)); return true; }
    const i12 = Imm12.tryFrom(v);
    if (i12 && !s) { this.emit(op === 'add' ? E.addImmT4(rd, rn, i12) : E.subImmT4(rd, rn, i12)); return true; }
    return false;
  }

  private binopReg(op: BinOp, rd: Reg, rn: Reg, rm: Reg, flags: FlagMode): void {
    const s = flags === 'set';
    const allLow = isLow(rd) && isLow(rn) && isLow(rm);
    const narrow = allLow && this.narrowOk(flags);
    switch (op) {
      case 'add':
        if (narrow) return this.emit(E.addRegT1(rd, rn, rm));
        // ADD Rdn, Rm (T2) takes any registers, sp included, and never sets flags.
        if (!s && rd === rn && rd !== PC && !(rd === SP && rm === SP)) return this.emit(E.addRegT2(rd, rm));
        if (!s && rd === rm && rd !== PC && !(rd === SP && rn === SP)) return this.emit(E.addRegT2(rd, rn));
        return this.emit(E.addRegT3(rd, rn, rm, ShiftImm.NONE, s));
      case 'sub':
        if (narrow) return this.emit(E.subRegT1(rd, rn, rm));
        return this.emit(E.subRegT2(rd, rn, rm, ShiftImm.NONE, s));
      case 'rsb':
        return this.emit(E.rsbRegT1(rd, rn, rm, ShiftImm.NONE, s));
      case 'orn':
        return this.emit(E.ornRegT1(rd, rn, rm, ShiftImm.NONE, s));
      case 'adc': case 'sbc': case 'and': case 'orr': case 'eor': case 'bic': {
        const n16 = NARROW_DP[op];
        const commutes = op === 'and' || op === 'orr' || op === 'eor' || op === 'adc';
        if (narrow && rd === rn) return this.emit(n16(rd, rm));
        if (narrow && commutes && rd === rm) return this.emit(n16(rd, rn));
        return this.emit(WIDE_DP[op](rd, rn, rm, ShiftImm.NONE, s));
      }
    }
  }

  /** rd = rn <op> (rm <shift> #amount), always the wide form. */
  binopShifted(op: BinOp, rd: Reg, rn: Reg, rm: Reg, shift: ShiftImm, flags: FlagMode = 'any'): void {
    const s = flags === 'set';
    switch (op) {
      case 'add': return this.emit(E.addRegT3(rd, rn, rm, shift, s));
      case 'sub': return this.emit(E.subRegT2(rd, rn, rm, shift, s));
      case 'rsb': return this.emit(E.rsbRegT1(rd, rn, rm, shift, s));
      case 'orn': return this.emit(E.ornRegT1(rd, rn, rm, shift, s));
      default: return this.emit(WIDE_DP[op](rd, rn, rm, shift, s));
    }
  }

  // ---- compares ----------------------------------------------------------

  cmp(rn: Reg, o: Operand, scratch?: Reg): void {
    if (!isImm(o)) {
      if (isLow(rn) && isLow(o)) return this.emit(E.cmpRegT1(rn, o));
      if (o !== PC && rn !== PC) return this.emit(E.cmpRegT2(rn, o));
      return this.emit(E.cmpRegT3(rn, o));
    }
    const v = o.imm;
    const i8 = Imm8.tryFrom(v);
    if (i8 && isLow(rn)) return this.emit(E.cmpImmT1(rn, i8));
    const m = ModImm.tryFrom(v);
    if (m) return this.emit(E.cmpImmT2(rn, m));
    const n = ModImm.tryFrom(-v | 0);
    if (n && (v | 0) !== 0 && (v | 0) !== -0x80000000) return this.emit(E.cmnImmT1(rn, n));
    if (scratch === undefined) throw new InternalError(`cmp #${v}: immediate needs a scratch register`);
    this.noExpansionInIt(`cmp #${v}`);
    this.mov32(scratch, v, 'any');
    this.cmp(rn, scratch);
  }

  cmn(rn: Reg, o: Operand, scratch?: Reg): void {
    if (!isImm(o)) {
      if (isLow(rn) && isLow(o)) return this.emit(E.cmnRegT1(rn, o));
      return this.emit(E.cmnRegT2(rn, o));
    }
    const m = ModImm.tryFrom(o.imm);
    if (m) return this.emit(E.cmnImmT1(rn, m));
    if (scratch === undefined) throw new InternalError(`cmn #${o.imm}: immediate needs a scratch register`);
    this.noExpansionInIt(`cmn #${o.imm}`);
    this.mov32(scratch, o.imm);
    this.cmn(rn, scratch);
  }

  tst(rn: Reg, o: Operand, scratch?: Reg): void {
    if (!isImm(o)) {
      if (isLow(rn) && isLow(o)) return this.emit(E.tstRegT1(rn, o));
      return this.emit(E.tstRegT2(rn, o));
    }
    const m = ModImm.tryFrom(o.imm);
    if (m) return this.emit(E.tstImmT1(rn, m));
    if (scratch === undefined) throw new InternalError(`tst #${o.imm}: immediate needs a scratch register`);
    this.noExpansionInIt(`tst #${o.imm}`);
    this.mov32(scratch, o.imm);
    this.tst(rn, scratch);
  }

  teq(rn: Reg, o: Operand, scratch?: Reg): void {
    if (!isImm(o)) return this.emit(E.teqRegT1(rn, o));
    const m = ModImm.tryFrom(o.imm);
    if (m) return this.emit(E.teqImmT1(rn, m));
    if (scratch === undefined) throw new InternalError(`teq #${o.imm}: immediate needs a scratch register`);
    this.noExpansionInIt(`teq #${o.imm}`);
    this.mov32(scratch, o.imm);
    this.teq(rn, scratch);
  }

  // ---- shifts ------------------------------------------------------------

  /** rd = rn <type> amount; a register amount uses its bottom byte (Wasm masks it first). */
  shift(type: ShiftType, rd: Reg, rn: Reg, amount: Operand, flags: FlagMode = 'any'): void {
    const s = flags === 'set';
    if (isImm(amount)) {
      if (amount.imm === 0) return this.mov(rd, rn, flags);
      const sh = ShiftImm.tryFrom(type, amount.imm);
      if (!sh) throw new InternalError(`${type} #${amount.imm} not encodable`);
      if (type !== 'ror' && isLow(rd) && isLow(rn) && this.narrowOk(flags)) {
        return this.emit(type === 'lsl' ? E.lslImmT1(rd, rn, sh) : type === 'lsr' ? E.lsrImmT1(rd, rn, sh) : E.asrImmT1(rd, rn, sh));
      }
      const w = type === 'lsl' ? E.lslImmT2 : type === 'lsr' ? E.lsrImmT2 : type === 'asr' ? E.asrImmT2 : E.rorImmT1;
      return this.emit(w(rd, rn, sh, s));
    }
    if (rd === rn && isLow(rd) && isLow(amount) && this.narrowOk(flags)) {
      const n = type === 'lsl' ? E.lslRegT1 : type === 'lsr' ? E.lsrRegT1 : type === 'asr' ? E.asrRegT1 : E.rorRegT1;
      return this.emit(n(rd, amount));
    }
    const w = type === 'lsl' ? E.lslRegT2 : type === 'lsr' ? E.lsrRegT2 : type === 'asr' ? E.asrRegT2 : E.rorRegT2;
    this.emit(w(rd, rn, amount, s));
  }

  // ---- multiply, divide, bit operations (these never need a FlagMode but mul) ----

  mul(rd: Reg, rn: Reg, rm: Reg, flags: FlagMode = 'any'): void {
    if (isLow(rd) && isLow(rn) && isLow(rm) && this.narrowOk(flags)) {
      if (rd === rm) return this.emit(E.mulT1(rd, rn));
      if (rd === rn) return this.emit(E.mulT1(rd, rm));
    }
    if (flags === 'set') throw new InternalError('MULS needs rd to be a source and low registers, outside IT');
    this.emit(E.mulT2(rd, rn, rm));
  }
  mla(rd: Reg, rn: Reg, rm: Reg, ra: Reg): void { this.emit(E.mlaT1(rd, rn, rm, ra)); }
  mls(rd: Reg, rn: Reg, rm: Reg, ra: Reg): void { this.emit(E.mlsT1(rd, rn, rm, ra)); }
  umull(rdlo: Reg, rdhi: Reg, rn: Reg, rm: Reg): void { this.emit(E.umullT1(rdlo, rdhi, rn, rm)); }
  smull(rdlo: Reg, rdhi: Reg, rn: Reg, rm: Reg): void { this.emit(E.smullT1(rdlo, rdhi, rn, rm)); }
  umlal(rdlo: Reg, rdhi: Reg, rn: Reg, rm: Reg): void { this.emit(E.umlalT1(rdlo, rdhi, rn, rm)); }
  sdiv(rd: Reg, rn: Reg, rm: Reg): void { this.emit(E.sdivT1(rd, rn, rm)); }
  udiv(rd: Reg, rn: Reg, rm: Reg): void { this.emit(E.udivT1(rd, rn, rm)); }
  clz(rd: Reg, rm: Reg): void { this.emit(E.clzT1(rd, rm)); }
  rbit(rd: Reg, rm: Reg): void { this.emit(E.rbitT1(rd, rm)); }
  rev(rd: Reg, rm: Reg): void { this.emit(isLow(rd) && isLow(rm) ? E.revT1(rd, rm) : E.revT2(rd, rm)); }
  sxtb(rd: Reg, rm: Reg): void { this.emit(isLow(rd) && isLow(rm) ? E.sxtbT1(rd, rm) : E.sxtbT2(rd, rm)); }
  sxth(rd: Reg, rm: Reg): void { this.emit(isLow(rd) && isLow(rm) ? E.sxthT1(rd, rm) : E.sxthT2(rd, rm)); }
  uxtb(rd: Reg, rm: Reg): void { this.emit(isLow(rd) && isLow(rm) ? E.uxtbT1(rd, rm) : E.uxtbT2(rd, rm)); }
  uxth(rd: Reg, rm: Reg): void { this.emit(isLow(rd) && isLow(rm) ? E.uxthT1(rd, rm) : E.uxthT2(rd, rm)); }
  bfi(rd: Reg, rn: Reg, lsb: number, width: number): void { this.emit(E.bfiT1(rd, rn, lsb, width)); }
  bfc(rd: Reg, lsb: number, width: number): void { this.emit(E.bfcT1(rd, lsb, width)); }
  ubfx(rd: Reg, rn: Reg, lsb: number, width: number): void { this.emit(E.ubfxT1(rd, rn, lsb, width)); }
  sbfx(rd: Reg, rn: Reg, lsb: number, width: number): void { this.emit(E.sbfxT1(rd, rn, lsb, width)); }

  // ---- memory ------------------------------------------------------------

  /** rt <-> [rn, #offset] for any offset; uses `scratch` (rt for loads is fine) when none of T1..T4 fits. */
  mem(op: MemOp, rt: Reg, rn: Reg, offset: number, scratch?: Reg): void {
    const size = E.accessSize(op);
    if (isLow(rt) && isLow(rn) && op !== 'ldrsb' && op !== 'ldrsh') {
      const i5 = Imm5Scaled.tryFrom(offset, size);
      if (i5) return this.emit(NARROW_MEM[op](rt, rn, i5));
    }
    if (rn === SP && isLow(rt) && (op === 'ldr' || op === 'str')) {
      const i8 = Imm8x4.tryFrom(offset);
      if (i8) return this.emit(op === 'ldr' ? E.ldrImmT2(rt, i8) : E.strImmT2(rt, i8));
    }
    const i12 = Imm12.tryFrom(offset);
    if (i12) return this.emit(E.memImm12(op, rt, rn, i12));
    const s8 = SImm8.tryFrom(offset);
    if (s8) return this.emit(E.memImm8(op, rt, rn, s8, 'offset'));
    if (scratch === undefined || scratch === rn) throw new InternalError(`${op} [${rn}, #${offset}]: offset needs a scratch register`);
    this.noExpansionInIt(`${op} [${rn}, #${offset}]`);
    this.mov32(scratch, offset, 'keep');
    this.memReg(op, rt, rn, scratch, 0);
  }

  load(op: Extract<MemOp, `ldr${string}`>, rt: Reg, rn: Reg, offset: number, scratch?: Reg): void {
    this.mem(op, rt, rn, offset, scratch);
  }
  store(op: Extract<MemOp, `str${string}`>, rt: Reg, rn: Reg, offset: number, scratch?: Reg): void {
    this.mem(op, rt, rn, offset, scratch);
  }

  /** Pre- or post-indexed access with writeback (offset -255..255). */
  memIndexed(op: MemOp, rt: Reg, rn: Reg, offset: number, mode: Exclude<IndexMode, 'offset'>): void {
    const s8 = SImm8.tryFrom(offset);
    if (!s8) throw new InternalError(`${op} writeback offset ${offset} out of range`);
    this.emit(E.memImm8(op, rt, rn, s8, mode));
  }

  /** rt <-> [rn, rm, LSL #shift]. */
  memReg(op: MemOp, rt: Reg, rn: Reg, rm: Reg, shift = 0): void {
    if (shift === 0 && isLow(rt) && isLow(rn) && isLow(rm)) return this.emit(E.memRegT1(op, rt, rn, rm));
    this.emit(E.memRegT2(op, rt, rn, rm, shift));
  }

  /** LDRD/STRD rt, rt2, [rn, #offset]; a far offset goes through `scratch` as the address. */
  memDual(load: boolean, rt: Reg, rt2: Reg, rn: Reg, offset: number, scratch?: Reg, mode: IndexMode = 'offset'): void {
    const o = SImm8x4.tryFrom(offset);
    if (o) return this.emit(load ? E.ldrdImmT1(rt, rt2, rn, o, mode) : E.strdImmT1(rt, rt2, rn, o, mode));
    if (mode !== 'offset' || scratch === undefined) throw new InternalError(`ldrd/strd offset ${offset} needs a scratch register`);
    this.noExpansionInIt(`ldrd/strd offset ${offset}`);
    this.add(scratch, rn, imm(offset), 'keep', scratch === rn ? undefined : scratch);
    this.emit(load ? E.ldrdImmT1(rt, rt2, scratch, SImm8x4.tryFrom(0)!) : E.strdImmT1(rt, rt2, scratch, SImm8x4.tryFrom(0)!));
  }

  push(list: RegList): void {
    if ((list & ~0x40ff) === 0) return this.emit(E.pushT1(list));
    if ((list & (list - 1)) === 0) return this.emit(E.pushT3(Math.log2(list) as Reg));
    this.emit(E.pushT2(list));
  }

  pop(list: RegList): void {
    if ((list & ~0x80ff) === 0) return this.emit(E.popT1(list));
    if ((list & (list - 1)) === 0) return this.emit(E.popT3(Math.log2(list) as Reg));
    this.emit(E.popT2(list));
  }

  /** rt = a 32-bit constant from the literal pool (LDR.W rt, [pc, #±imm12]). */
  ldrConst(rt: Reg, value: number): void {
    const at = this.offset;
    this.emit(E.ldrLitT2(rt, SImmZero12));
    this.buf.useConstant(at, 'ldrLitW', { size: 4, bits: value >>> 0 });
  }

  /** rt = a 32-bit constant via the narrow LDR literal (low rt; forward only, so islands come sooner). */
  ldrConstNarrow(rt: Reg, value: number): void {
    const at = this.offset;
    this.emit(E.ldrLitT1(rt, Imm8x4.tryFrom(0)!));
    this.buf.useConstant(at, 'ldrLitN', { size: 4, bits: value >>> 0 });
  }

  /** rt:rt2 = a 64-bit constant (rt the low word) via LDRD literal. */
  ldrdConst(rt: Reg, rt2: Reg, bits: bigint): void {
    const at = this.offset;
    this.emit(E.ldrdLitT1(rt, rt2, SImm8x4.tryFrom(0)!));
    this.buf.useConstant(at, 'vldrLit', { size: 8, bits: BigInt.asUintN(64, bits) });
  }

  /** VLDR from the literal pool: an f32 bit pattern or an f64 one. */
  vldrConstS(sd: SReg, bits: number): void {
    const at = this.offset;
    this.emit(E.vldrS(sd, PC, SImm8x4.tryFrom(0)!));
    this.buf.useConstant(at, 'vldrLit', { size: 4, bits: bits >>> 0 });
  }
  vldrConstD(dd: DReg, bits: bigint): void {
    const at = this.offset;
    this.emit(E.vldrD(dd, PC, SImm8x4.tryFrom(0)!));
    this.buf.useConstant(at, 'vldrLit', { size: 8, bits: BigInt.asUintN(64, bits) });
  }

  /** sd = f32 bit pattern: VMOV.F32 #imm when encodable, else the literal pool. */
  vmovConstS(sd: SReg, bits: number): void {
    const v = VfpImm.tryFromF32Bits(bits);
    if (v) return this.emit(E.vmovImmF32(sd, v));
    this.vldrConstS(sd, bits);
  }
  vmovConstD(dd: DReg, bits: bigint): void {
    const v = VfpImm.tryFromF64Bits(bits);
    if (v) return this.emit(E.vmovImmF64(dd, v));
    this.vldrConstD(dd, bits);
  }

  /** VLDR/VSTR with any offset; far offsets compute the address into `scratch`. */
  vmem(load: boolean, r: { s: SReg } | { d: DReg }, rn: Reg, offset: number, scratch?: Reg): void {
    let base = rn, off = SImm8x4.tryFrom(offset);
    if (!off) {
      if (scratch === undefined) throw new InternalError(`vldr/vstr offset ${offset} needs a scratch register`);
      this.noExpansionInIt(`vldr/vstr offset ${offset}`);
      this.add(scratch, rn, imm(offset), 'keep', scratch === rn ? undefined : scratch);
      base = scratch;
      off = SImm8x4.tryFrom(0)!;
    }
    if ('s' in r) this.emit(load ? E.vldrS(r.s, base, off) : E.vstrS(r.s, base, off));
    else this.emit(load ? E.vldrD(r.d, base, off) : E.vstrD(r.d, base, off));
  }

  // ---- branches ------------------------------------------------------------

  /** B label. `short`: try B.N for a forward label (a veneer rescues it if it lands too far). */
  b(label: Label, short = false): void {
    const at = this.offset;
    const target = this.buf.labelOffset(label);
    if (target >= 0 ? this.buf.inRange('bN', at, target) : short) {
      this.emit(E.bT2(0));
      this.buf.useLabelAtOffset(at, label, 'bN');
    } else {
      this.emit(E.bT4(0));
      this.buf.useLabelAtOffset(at, label, 'bW');
    }
  }

  /** B<c> label (outside IT). `short` as for `b`. */
  bcond(cond: Cond, label: Label, short = false): void {
    if (this.itLeft > 0) throw new InternalError('conditional branch inside an IT block');
    if (cond === 'al') return this.b(label, short);
    const at = this.offset;
    const target = this.buf.labelOffset(label);
    if (target >= 0 ? this.buf.inRange('bcondN', at, target) : short) {
      this.emit(E.bCondT1(cond, 0));
      this.buf.useLabelAtOffset(at, label, 'bcondN');
    } else {
      this.emit(E.bCondT3(cond, 0));
      this.buf.useLabelAtOffset(at, label, 'bcondW');
    }
  }

  bl(label: Label): void {
    const at = this.offset;
    this.emit(E.blT1(0));
    this.buf.useLabelAtOffset(at, label, 'bl');
  }

  bx(rm: Reg): void { this.emit(E.bxT1(rm)); }
  blx(rm: Reg): void { this.emit(E.blxRegT1(rm)); }

  /** CBZ/CBNZ rn, label: the label must come later, within 126 bytes (else a veneer is used). */
  cbz(rn: Reg, label: Label, nonZero = false): void {
    if (this.buf.isBound(label)) throw new InternalError('CBZ to a backward label');
    const at = this.offset;
    this.emit(nonZero ? E.cbnzT1(rn, 0) : E.cbzT1(rn, 0));
    this.buf.useLabelAtOffset(at, label, 'cbz');
  }

  /** ADR.W rd, label (±4095 from Align(PC,4)). */
  adr(rd: Reg, label: Label): void {
    const at = this.offset;
    this.emit(E.adrT3(rd, Imm12.tryFrom(0)!));
    this.buf.useLabelAtOffset(at, label, 'adrW');
  }

  /**
   * TBB [pc, rm] (or TBH [pc, rm, lsl #1] when `half`) followed by its table.
   * Every target must be bound later, after the table (TBB/TBH only jump forward).
   */
  tableBranch(rm: Reg, targets: readonly Label[], half: boolean): void {
    if (this.itLeft > 0) throw new InternalError('table branch inside an IT block');
    this.emit(half ? E.tbhT1(PC, rm) : E.tbbT1(PC, rm));
    const base = this.offset;
    for (const t of targets) {
      const at = this.offset;
      if (half) this.buf.put16(0);
      else this.buf.put8(0);
      this.buf.useLabelAtOffset(at, t, half ? 'tbhEntry' : 'tbbEntry', base);
    }
    if (this.offset % 2) this.buf.put8(0);
    // Post-invariant: the table ends halfword-aligned; code continues after it.
  }

  // ---- ARMv8.1-M Mainline only (Cortex-M55): the caller gates on the CPU ----

  /** rd = cond ? rn : rm. */
  csel(rd: Reg, rn: Reg, rm: Reg, cond: Cond): void { this.emit(E.cselT1(rd, rn, rm, cond)); }
  /** rd = cond ? 1 : 0. */
  cset(rd: Reg, cond: Cond): void { this.emit(E.csincT1(rd, 'zr', 'zr', invertCond(cond))); }
  /** rd = cond ? -1 : 0. */
  csetm(rd: Reg, cond: Cond): void { this.emit(E.csinvT1(rd, 'zr', 'zr', invertCond(cond))); }

  /** A 32-bit data word holding (label - base); base 0 = offset of the label from the start of this buffer. */
  labelWord(label: Label, base = 0): void {
    if (this.itLeft > 0) throw new InternalError('data inside an IT block');
    const at = this.offset;
    this.buf.putData32(0);
    this.buf.useLabelAtOffset(at, label, 'word32', base);
  }

  nop(): void { this.emit(E.nopT1()); }
  udf(n: number): void { this.emit(E.udfT1(n)); }
  bkpt(n: number): void { this.emit(E.bkptT1(n)); }
}

/** Literal placeholders start at +0; the label-use patch fills U and imm12. */
const SImmZero12 = SImm12.tryFrom(0)!;

type ModEnc = (rd: Reg, rn: Reg, m: ModImm, s: boolean) => Enc;
function modForm(op: Exclude<BinOp, 'add' | 'sub'>): ModEnc {
  switch (op) {
    case 'adc': return E.adcImmT1;
    case 'sbc': return E.sbcImmT1;
    case 'rsb': return E.rsbImmT2;
    case 'and': return E.andImmT1;
    case 'orr': return E.orrImmT1;
    case 'eor': return E.eorImmT1;
    case 'bic': return E.bicImmT1;
    case 'orn': return E.ornImmT1;
  }
}
function inverseOp(op: Exclude<BinOp, 'add' | 'sub'>): Exclude<BinOp, 'add' | 'sub'> | undefined {
  switch (op) {
    case 'adc': return 'sbc';
    case 'sbc': return 'adc';
    case 'and': return 'bic';
    case 'bic': return 'and';
    case 'orr': return 'orn';
    case 'orn': return 'orr';
    case 'rsb': case 'eor': return undefined;
  }
}
const NARROW_DP = { adc: E.adcRegT1, sbc: E.sbcRegT1, and: E.andRegT1, orr: E.orrRegT1, eor: E.eorRegT1, bic: E.bicRegT1 };
const WIDE_DP = { adc: E.adcRegT2, sbc: E.sbcRegT2, and: E.andRegT2, orr: E.orrRegT2, eor: E.eorRegT2, bic: E.bicRegT2 };
const NARROW_MEM: Record<Exclude<MemOp, 'ldrsb' | 'ldrsh'>, (rt: Reg, rn: Reg, i: Imm5Scaled) => Enc> = {
  ldr: E.ldrImmT1, str: E.strImmT1, ldrb: E.ldrbImmT1, strb: E.strbImmT1, ldrh: E.ldrhImmT1, strh: E.strhImmT1,
};

/**
 * The Thumb-2 back half of the pipeline: IR (src/ir) → register allocation →
 * Thumb-2, at every --opt-level (docs/abi.md's calling convention and exec_env contract). The prologue saves
 * just the callee-saved registers the allocation uses (plus lr), then the spill slots.
 *
 * Scratch registers: r12 and lr belong to no vreg. A spilled operand is
 * loaded into one of them; an instruction that needs more borrows an
 * allocatable register around itself with PUSH/POP.
 *
 * VFP values (hard-float cores): f32 vregs get s0-s11 or s16-s31, f64 vregs d0-d5 or d8-d15 (an f64 takes
 * both singles it aliases); d6 and d7 are the VFP scratch registers for spilled operands. The callee-saved
 * d8 up to the highest one used are saved with VPUSH.
 *
 * This file holds the emitter's state, operands, integer and control instructions and comparisons; the other
 * instructions are in emit-mem.ts (bounds checks, loads, stores), emit-float.ts (VFP) and emit-call.ts
 * (prologue, calls, returns, trap stubs). Members without `private` are the ones those files use.
 */
import { InternalError } from '../../../errors.js';
import { ModImm, ShiftImm } from '../imm.js';
import { imm, type BinOp, type Operand } from '../select.js';
import { regList } from '../enc/mem.js';
import { invertCond, type Cond } from '../regs.js';
import type { AluKind, Cmp, Inst, IrFunc, Src } from '../../../ir/ir.js';
import { CORE, FP64, isImm, usesExecEnv } from '../../../ir/ir.js';
import { allocate, type Allocation } from '../../../ir/regalloc.js';
import type { CheckMember } from '../../../ir/checks.js';
import { FRAME_RECORD_SIZE } from '../frames.js';
import type { ModuleContext } from '../context.js';
import type { Label, Masm } from '../masm.js';
import type { Reg } from '../regs.js';
import { armCond, planFlags, type FlagPlan } from './cmp.js';
import { loadPlace, type Place } from './moves.js';
import { emitCall, emitPrologue, emitRet, emitTrapStubs, hints } from './emit-call.js';
import { emitFloat } from './emit-float.js';
import { emitMemory, emitSlowChecks } from './emit-mem.js';

const r = (n: number): Reg => n as Reg;
const SP = 13;

/** The Thumb-2 data-processing operation of each IR ALU kind (mul has its own instruction). */
const BIN: Readonly<Record<Exclude<AluKind, 'mul'>, BinOp>> = { add: 'add', sub: 'sub', rsub: 'rsb', and: 'and', or: 'orr', xor: 'eor' };

function binOp(kind: AluKind): BinOp {
  if (kind === 'mul') throw new InternalError('mul is not a data-processing operation');
  return BIN[kind];
}

/** The plan before emit() makes the function's (a shared empty one: no arrays per emitter). */
const NO_PLAN: FlagPlan = { setFlags: new Uint8Array(0), reuse: new Uint8Array(0), live: new Uint8Array(0) };

export class OptEmitter {
  readonly m: Masm;
  readonly ctx: ModuleContext;
  readonly f: IrFunc;
  readonly alloc: Allocation;
  private readonly insts: readonly Inst[];
  private readonly labels: Label[] = [];
  readonly trapLabels = new Map<number, Label>();
  /** out-of-line exact checks: where the base address is (a register the tail keeps, or its spill place) and the accesses */
  readonly slowChecks: { label: Label; resume: Label; at: Place; members: readonly CheckMember[]; redo: number | undefined }[] = [];
  readonly saved: number[];
  readonly bare: boolean;
  readonly frameBytes: number;
  /** --enable-dump-call-stack: a frame record is pushed with the saved registers */
  readonly record: boolean;
  /** with the record, where a function that keeps exec_env nowhere keeps a copy for the epilogue (frame offset), or -1 */
  readonly envCopy: number;
  /** the copy is pushed in place of the r3 filler (and popped into r3) */
  readonly envInFiller: boolean;
  private readonly constop: boolean;
  readonly stackTrap: Label;
  stackTrapUsed = false;
  /** scratch registers still free for the instruction being emitted */
  private readonly free: number[] = [];
  private readonly borrowed: number[] = [];
  private operandRegs = 0;
  /**
   * The spilled vreg last stored by commit(), from scratch register storedReg, ending at code offset storedAt,
   * by instruction storedIn: while nothing has been emitted since, the register still holds it, and the next
   * instruction reads it from there (only the next: a label between may be reached from elsewhere).
   */
  private stored = -1;
  private storedIn = -1;
  /** the index of the instruction being emitted */
  private current = -1;
  private storedReg = 12;
  private storedAt = -1;
  /** VFP scratch d registers still free for the instruction being emitted */
  private readonly vfree: number[] = [];
  /** as `stored` for the VFP scratch registers: the spilled float vreg vcommit() last stored, from which register */
  private vstored = -1;
  private vstoredIn = -1;
  private vstoredReg = 12;
  private vstoredAt = -1;
  /** callee-saved d registers saved: d8 .. d(8 + vsaved - 1) */
  readonly vsaved: number;
  private plan: FlagPlan = NO_PLAN;

  /** `f` has been through the IR passes (optimizeIr; none at --opt-level=0); the allocation happens here. */
  constructor(m: Masm, ctx: ModuleContext, f: IrFunc) {
    this.m = m;
    this.ctx = ctx;
    this.f = f;
    const callee = f.usesMemory ? [4, 5, 6, 7, 8, 11] : [4, 5, 6, 7, 8, 9, 10, 11];
    const vfp = f.vregClass !== undefined && f.vregClass.some((c) => c !== CORE)
      ? { callerSaved: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], calleeSaved: [16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31], pairedDoubles: true }
      : undefined;
    this.alloc = allocate(f, {
      callerSaved: [0, 1, 2, 3], calleeSaved: callee, fixedHint: hints, wholeUse: usesExecEnv, fp: vfp, fast: ctx.options.optLevel < 1,
    });
    this.insts = this.alloc.insts;
    let vsaved = 0;
    for (let x = 16; x < 32; x++) if ((this.alloc.usedVfp & (1 << x)) !== 0) vsaved = (x >> 1) - 8 + 1;
    this.vsaved = vsaved;
    for (let i = 0; i < f.numLabels; i++) this.labels.push(m.newLabel());
    const saved = [4, 5, 6, 7, 8, 9, 10, 11].filter((x) => (this.alloc.usedRegs & (1 << x)) !== 0);
    if (f.usesMemory) saved.push(9, 10);
    const set = [...new Set(saved)].sort((a, b) => a - b);
    // lr is saved too; an odd count keeps sp 8-aligned with r3 as filler
    // a leaf that keeps everything in r0-r3 and needs lr for nothing (no call, no out-of-line check, no spill
    // that could need lr as a second scratch) pushes nothing and returns with BX LR
    const chain = ctx.options.dumpCallStack;
    this.bare = set.length === 0 && vsaved === 0 && !f.hasCalls && this.alloc.spillSlots === 0 && !this.insts.some((i) => i.op === 'bchk') && !chain;
    if (!this.bare && (set.length + 1) % 2 === 1) set.unshift(3);
    this.saved = set;
    this.record = chain;
    const homeless = chain && this.envPlace() === undefined;
    this.envInFiller = homeless && set[0] === 3;
    this.frameBytes = (4 * this.alloc.spillSlots + (homeless && !this.envInFiller ? 4 : 0) + 7) & ~7;
    // the filler is the lowest word of the core push: above the saved d registers and the record
    this.envCopy = !homeless ? -1 : this.envInFiller ? this.frameBytes + FRAME_RECORD_SIZE + 8 * vsaved : 4 * this.alloc.spillSlots;
    this.constop = ctx.options.intrinsics.constantTable.size > 0;
    this.stackTrap = m.newLabel();
  }

  savedBytes(): number {
    return this.bare ? 0 : 4 * (this.saved.length + 1) + 8 * this.vsaved + (this.record ? FRAME_RECORD_SIZE : 0);
  }

  // ---- the function -----------------------------------------------------------------------

  /** `funcIndex`: the function's index (its frame record names it). */
  emit(entry: Label, funcIndex: number): void {
    const m = this.m;
    m.bind(entry);
    emitPrologue(this, funcIndex);
    const plan = planFlags(this.insts);
    this.plan = plan;
    const n = this.insts.length;
    for (let k = 0; k < n; k++) {
      const i = this.insts[k]!;
      m.flagsLive = plan.live[k] === 1 || plan.reuse[k] === 1;
      // refilled in place: `length = 0` would drop the backing store, and each push allocate a new one
      // r12 first: lr stays untouched unless an instruction needs two scratch registers
      // (a length store is a runtime call even when it changes nothing: only when the list grew past two)
      this.free[0] = 14;
      this.free[1] = 12;
      if (this.free.length > 2) this.free.length = 2;
      this.vfree[0] = 7;
      this.vfree[1] = 6;
      if (this.vfree.length > 2) this.vfree.length = 2;
      if (this.borrowed.length > 0) this.borrowed.length = 0;
      this.operandRegs = 0;
      this.current = k;
      this.inst(i, k);
      if (this.borrowed.length > 0) this.restoreBorrowed();
      m.flagsLive = false;
      if (k + 1 >= n || (plan.live[k + 1] === 0 && plan.reuse[k + 1] === 0)) m.maybeIsland();
    }
    emitSlowChecks(this);
    emitTrapStubs(this);
    m.flushIsland();
  }

  /** exec_env's place for the function's life (a callee-saved register or a frame slot). */
  envPlace(): Place | undefined {
    return this.alloc.whole < 0 ? undefined : this.placeOf(this.alloc.whole);
  }

  /** A register holding exec_env: its own, or `temp` loaded from its slot. */
  envIn(temp: number): number {
    const p = this.envPlace();
    if (p === undefined) throw new InternalError('exec_env has no place in a function that uses it');
    if (p.k === 'reg') return p.r;
    loadPlace(this.m, temp, p);
    return temp;
  }

  /** Where vreg v lives, or undefined if it has no location (never live). */
  placeOf(v: number): Place | undefined {
    const l = this.alloc.loc[v]!;
    if (l >= 0) return this.alloc.cls[v] === CORE ? { k: 'reg', r: l } : { k: 'vfp', r: l };
    const c = this.alloc.remat.get(v);
    if (c !== undefined) return { k: 'imm', c };
    const slot = this.alloc.slot[v]!;
    return slot >= 0 ? { k: 'frame', off: 4 * slot } : undefined;
  }

  private slotOf(v: number): number {
    const slot = this.alloc.slot[v]!;
    if (slot < 0) throw new InternalError(`v${v} has no location`);
    return 4 * slot;
  }

  // ---- operands ---------------------------------------------------------------------------

  scratch(): number {
    const s = this.free.pop();
    if (s !== undefined) return s;
    // borrow an allocatable register this instruction does not touch
    for (const x of [0, 1, 2, 3, 4, 5, 6, 7, 8]) {
      if ((this.operandRegs & (1 << x)) !== 0 || this.borrowed.includes(x)) continue;
      this.m.a.push(regList(r(x)));
      this.m.spAdjust += 4;
      this.borrowed.push(x);
      return x;
    }
    throw new InternalError('no register to borrow');
  }

  private restoreBorrowed(): void {
    for (const x of [...this.borrowed].reverse()) {
      this.m.a.pop(regList(r(x)));
      this.m.spAdjust -= 4;
    }
    this.borrowed.length = 0;
  }

  /** Marks the registers of an instruction's operands as off limits for borrowing. */
  touch(...vs: number[]): void {
    for (const v of vs) {
      const l = this.alloc.loc[v]!;
      if (l >= 0) this.operandRegs |= 1 << l;
    }
  }

  /** A register holding vreg v (spilled ones are loaded into a scratch). */
  use(v: number): number {
    const l = this.alloc.loc[v]!;
    if (l >= 0) return l;
    // just stored from a scratch register that is still free, and nothing emitted since: no reload
    if (v === this.stored && this.m.offset === this.storedAt && this.current === this.storedIn + 1) {
      const at = this.free.indexOf(this.storedReg);
      if (at >= 0) {
        this.free.splice(at, 1);
        return this.storedReg;
      }
    }
    const s = this.scratch();
    const c = this.alloc.remat.get(v);
    if (c !== undefined) this.m.mov32(s, c);
    else this.m.load('w', s, SP, this.slotOf(v));
    return s;
  }

  /** The register to compute vreg v in; commit() stores it if v is spilled. */
  def(v: number, reuse?: number): number {
    const l = this.alloc.loc[v]!;
    if (l >= 0) return l;
    if (reuse !== undefined && (reuse === 12 || reuse === 14)) return reuse;
    return this.free.length > 0 ? this.scratch() : 12;
  }

  commit(v: number, reg: number): void {
    if (this.alloc.loc[v]! < 0 && !this.alloc.remat.has(v)) {
      this.m.store('w', reg, SP, this.slotOf(v));
      if (reg === 12 || reg === 14) {
        this.stored = v;
        this.storedReg = reg;
        this.storedAt = this.m.offset;
        this.storedIn = this.current;
      }
    }
  }

  // ---- VFP operands (single-register numbers; an f64 in s(n) is d(n / 2)) ------------------

  wide(v: number): boolean { return this.alloc.cls[v] === FP64; }

  vscratch(): number {
    const d = this.vfree.pop();
    if (d === undefined) throw new InternalError('no VFP scratch register left');
    return 2 * d;
  }

  /** The VFP register holding vreg v (a spilled one is loaded into a scratch). */
  vuse(v: number): number {
    const l = this.alloc.loc[v]!;
    if (l >= 0) return l;
    // just stored from a scratch still free, and nothing emitted since: no reload
    if (v === this.vstored && this.m.offset === this.vstoredAt && this.current === this.vstoredIn + 1) {
      const at = this.vfree.indexOf(this.vstoredReg >> 1);
      if (at >= 0) {
        this.vfree.splice(at, 1);
        return this.vstoredReg;
      }
    }
    const x = this.vscratch();
    this.vslot(true, v, x);
    return x;
  }

  /**
   * VLDR/VSTR of v's spill slot with VFP register x. Beyond their 1020 bytes' reach from sp, through the address
   * of the slot's 1 KiB block in a core scratch register (ADD's immediate then needs no helper register, which
   * could be r12 holding an operand).
   */
  private vslot(load: boolean, v: number, x: number): void {
    const m = this.m;
    const w = this.wide(v);
    const kind = w ? 'd' : 's';
    const reg = w ? x >> 1 : x;
    const off = this.slotOf(v);
    const at = off + m.spAdjust;
    if (at <= 1020) {
      if (load) m.vload(kind, reg, SP, off);
      else m.vstore(kind, reg, SP, off);
      return;
    }
    const t = this.scratch();
    m.addSpImm(t, off - (at & 1023));
    if (load) m.vloadRaw(kind, reg, t, at & 1023);
    else m.vstoreRaw(kind, reg, t, at & 1023);
    if (t === 12 || t === 14) this.free.push(t);
  }

  /** The VFP register to compute v in: its own, or a spilled operand's scratch (`reuse`), or a fresh scratch. */
  vdef(v: number, ...reuse: number[]): number {
    const l = this.alloc.loc[v]!;
    if (l >= 0) return l;
    for (const x of reuse) if (x >= 12 && x < 16 && (this.wide(v) ? (x & 1) === 0 : true)) return x;
    return this.vscratch();
  }

  vcommit(v: number, x: number): void {
    if (this.alloc.loc[v]! >= 0) return;
    this.vslot(false, v, x);
    if (x >= 12 && x < 16) {
      this.vstored = v;
      this.vstoredReg = x;
      this.vstoredAt = this.m.offset;
      this.vstoredIn = this.current;
    }
  }

  /** The register number masm's VFP operations take: d(n / 2) for an f64, s(n) for an f32. */
  vnum(v: number, x: number): number { return this.wide(v) ? x >> 1 : x; }

  private vmov(v: number, dst: number, src: number): void {
    if (this.wide(v)) this.m.vmovD(dst >> 1, src >> 1);
    else this.m.vmovS(dst, src);
  }


  private flags(set: boolean): 'set' | 'keep' | 'any' {
    return set ? 'set' : this.m.flagsLive ? 'keep' : 'any';
  }

  trapLabel(code: number): Label {
    let l = this.trapLabels.get(code);
    if (l === undefined) { l = this.m.newLabel(); this.trapLabels.set(code, l); }
    return l;
  }

  // ---- instructions -----------------------------------------------------------------------

  private inst(i: Inst, k: number): void {
    const m = this.m;
    const a = m.a;
    switch (i.op) {
      case 'movi': {
        if (this.alloc.remat.has(i.d)) return;
        const d = this.def(i.d);
        if (this.constop) a.ldrConst(r(d), i.imm >>> 0);
        else m.mov32(d, i.imm >>> 0);
        this.commit(i.d, d);
        return;
      }
      case 'mov': {
        if (this.alloc.cls[i.d] !== CORE) {
          const x = this.vuse(i.a);
          const d = this.vdef(i.d);
          this.vmov(i.d, d, x);
          this.vcommit(i.d, d);
          return;
        }
        const s = this.use(i.a);
        const d = this.def(i.d, s);
        m.mov(d, s);
        this.commit(i.d, d);
        return;
      }
      case 'alu': {
        this.touch(i.a, i.b, i.d);
        const x = this.use(i.a), y = this.use(i.b);
        const d = this.def(i.d, x);
        if (i.kind === 'mul') a.mul(r(d), r(x), r(y));
        else a.binop(binOp(i.kind), r(d), r(x), r(y), this.flags(this.plan.setFlags[k] === 1));
        this.commit(i.d, d);
        return;
      }
      case 'alui': {
        this.touch(i.a, i.d);
        const x = this.use(i.a);
        const d = this.def(i.d, x);
        a.binop(binOp(i.kind), r(d), r(x), imm(i.imm), this.flags(this.plan.setFlags[k] === 1));
        this.commit(i.d, d);
        return;
      }
      case 'alush': {
        this.touch(i.a, i.b, i.d);
        const x = this.use(i.a), y = this.use(i.b);
        const d = this.def(i.d, x);
        a.binopShifted(binOp(i.kind), r(d), r(x), r(y), ShiftImm.tryFrom(i.shift, i.amount)!, this.flags(false));
        this.commit(i.d, d);
        return;
      }
      case 'alu64': this.alu64(i); return;
      case 'shift': {
        this.touch(i.a, i.b, i.d);
        const x = this.use(i.a), y = this.use(i.b);
        const d = this.def(i.d, x);
        a.shift(i.kind, r(d), r(x), r(y), this.flags(false));
        this.commit(i.d, d);
        return;
      }
      case 'shifti': {
        const x = this.use(i.a);
        const d = this.def(i.d, x);
        a.shift(i.kind, r(d), r(x), imm(i.imm), this.flags(false));
        this.commit(i.d, d);
        return;
      }
      case 'unary': {
        const x = this.use(i.a);
        const d = this.def(i.d, x);
        switch (i.kind) {
          case 'clz': m.clz(d, x); break;
          case 'rbit': m.rbit(d, x); break;
          case 'sxtb': case 'sxth': m.extend(i.kind, d, x); break;
        }
        this.commit(i.d, d);
        return;
      }
      case 'mla': case 'mls': {
        this.touch(i.a, i.b, i.c, i.d);
        const x = this.use(i.a), y = this.use(i.b), z = this.use(i.c);
        const d = this.def(i.d, x);
        if (i.op === 'mla') m.mla(d, x, y, z);
        else m.mls(d, x, y, z);
        this.commit(i.d, d);
        return;
      }
      case 'umull': {
        this.touch(i.a, i.b, i.d, i.d2);
        const x = this.use(i.a), y = this.use(i.b);
        const lo = this.alloc.loc[i.d]! >= 0 ? this.alloc.loc[i.d]! : this.scratch();
        const hi = this.alloc.loc[i.d2]! >= 0 ? this.alloc.loc[i.d2]! : this.scratch();
        m.umull(lo, hi, x, y);
        this.commit(i.d, lo);
        this.commit(i.d2, hi);
        return;
      }
      case 'div': {
        this.touch(i.a, i.b, i.d);
        const x = this.use(i.a), y = this.use(i.b);
        const d = this.def(i.d, x);
        m.div(i.signed, d, x, y);
        this.commit(i.d, d);
        return;
      }
      case 'setif': {
        const cond = this.compare(i.cmp, k);
        const d = this.def(i.d);
        m.setCond(d, cond);
        this.commit(i.d, d);
        return;
      }
      case 'selif': this.select(i, k); return;
      case 'label': m.bind(this.labels[i.label]!); return;
      case 'br': {
        // a branch to a label bound right here (after other labels) falls through
        for (let n = k + 1; n < this.insts.length; n++) {
          const next = this.insts[n]!;
          if (next.op !== 'label') break;
          if (next.label === i.label) return;
        }
        m.b(this.labels[i.label]!);
        return;
      }
      // compare() gives back the registers it borrowed (the taken branch would skip a POP after the instruction)
      case 'brif': m.bcond(this.compare(i.cmp, k), this.labels[i.label]!); return;
      case 'brtable': {
        const x = this.use(i.a);
        const n = i.labels.length - 1;
        const dflt = this.labels[i.labels[n]!]!;
        if (ModImm.tryFrom(n) !== undefined) a.cmp(r(x), imm(n));
        else {
          const s = this.scratch();
          m.mov32(s, n);
          a.cmp(r(x), r(s));
        }
        if (this.borrowed.length > 0 && !this.borrowed.includes(x)) this.restoreBorrowed();
        m.bcond('cs', dflt);
        if (n > 0) m.tableBranchHalf(x, i.labels.slice(0, n).map((l) => this.labels[l]!));
        else m.b(dflt);
        return;
      }
      case 'trap': m.b(this.trapLabel(i.code)); return;
      case 'trapif': m.bcond(this.compare(i.cmp, k), this.trapLabel(i.code)); return;
      case 'bchk': case 'ld': case 'st': case 'ldw': case 'stw': emitMemory(this, i); return;
      case 'call': emitCall(this, i); return;
      case 'ret': emitRet(this, i.values); return;
      case 'fconst': case 'fop': case 'funary': case 'fcvt': case 'fromcore': case 'tocore': case 'fld': case 'fst':
        emitFloat(this, i);
        return;
      default: {
        const never: never = i;
        throw new InternalError(`IR instruction ${JSON.stringify(never)}`);
      }
    }
  }

  // ---- comparisons and 64-bit pseudo-ops ------------------------------------------------------

  /** A core register holding vreg v for an instruction that is done reading it at `k`, if v dies there. */
  private dyingReg(v: number, k: number, others: readonly number[]): number | undefined {
    const l = this.alloc.loc[v]!;
    if (l < 0 || this.alloc.lastUse[v] !== k || others.includes(v)) return undefined;
    return l;
  }

  /**
   * A register for a result nobody reads (the flags are the point): a free scratch, else the register a spilled
   * operand (vreg, register) was loaded into for this instruction, a copy it may overwrite, before borrowing one.
   */
  private unborrowed(...loaded: readonly (readonly [number, number])[]): number {
    if (this.free.length > 0) return this.scratch();
    for (const [v, x] of loaded) if (this.alloc.loc[v]! < 0) return x;
    return this.scratch();
  }

  /** A register or an immediate for a 32-bit operand. */
  private operand(s: Src): Operand {
    return isImm(s) ? imm(s.imm) : r(this.use(s));
  }

  /**
   * Sets the flags for consumer k's comparison (unless the flag plan says they hold it already) and returns
   * the ARM condition under which it holds. Scratch registers the compare took are free again afterwards;
   * from here on the flags are live.
   * `others`: vregs the consumer reads besides the comparison (a select's values).
   */
  private compare(c: Cmp, k: number, others: readonly number[] = []): Cond {
    const m = this.m;
    const cond = armCond(c);
    if (this.plan.reuse[k] === 1) { m.flagsLive = true; return cond; }
    // (the scratch lists hold two entries at most: saved and restored in place, without allocating)
    const nf = this.free.length, f0 = this.free[0]!, f1 = this.free[1]!;
    const nv = this.vfree.length, v0 = this.vfree[0]!, v1 = this.vfree[1]!;
    switch (c.k) {
      case 'i32': case 'test': {
        if (isImm(c.b)) {
          const x = this.use(c.a);
          if (c.k === 'i32') m.a.cmp(r(x), imm(c.b.imm));
          else m.a.tst(r(x), imm(c.b.imm));
        } else {
          this.touch(c.a, c.b);
          const x = this.use(c.a), y = this.use(c.b);
          if (c.k === 'i32') m.a.cmp(r(x), r(y));
          else m.a.tst(r(x), r(y));
        }
        break;
      }
      case 'i64': {
        this.touch(c.a, c.ah);
        if (!isImm(c.b)) this.touch(c.b);
        if (!isImm(c.bh)) this.touch(c.bh);
        if (c.cond === 'eq' || c.cond === 'ne') {
          if (isImm(c.b) && isImm(c.bh) && c.b.imm === 0 && c.bh.imm === 0) {
            // (lo | hi) == 0, into a register that dies here if there is one (ORRS rdn, rm is 16 bits)
            const x = this.use(c.a), y = this.use(c.ah);
            const t = this.dyingReg(c.a, k, others) ?? this.dyingReg(c.ah, k, others)
              ?? this.unborrowed([c.a, x], [c.ah, y]);
            m.a.binop('orr', r(t), r(x), r(y), 'set');
            break;
          }
          const x = this.use(c.a), y = this.use(c.ah);
          const z = this.cmpOperand(c.b), w = this.cmpOperand(c.bh);
          m.a.cmp(r(x), z);
          m.a.it('eq');
          m.a.cmp(r(y), w);
          break;
        }
        // ordered: the low words' borrow into a subtraction of the high words (its result is not needed)
        const x = this.use(c.a);
        m.a.cmp(r(x), this.operand(c.b));
        m.flagsLive = true;
        const y = this.use(c.ah);
        const z = this.operand(c.bh);
        const t = this.dyingReg(c.ah, k, others) ?? this.unborrowed([c.ah, y]);
        m.a.binop('sbc', r(t), r(y), z, 'set');
        break;
      }
      case 'f': {
        const x = this.vuse(c.a), y = this.vuse(c.b);
        m.vcmp(this.wide(c.a), this.vnum(c.a, x), this.vnum(c.b, y));
        break;
      }
    }
    // registers borrowed for the compare go back now: a branch on it would leave them pushed (POP keeps the flags)
    if (this.borrowed.length > 0) this.restoreBorrowed();
    if (nf > 0) this.free[0] = f0;
    if (nf > 1) this.free[1] = f1;
    if (this.free.length !== nf) this.free.length = nf;
    if (nv > 0) this.vfree[0] = v0;
    if (nv > 1) this.vfree[1] = v1;
    if (this.vfree.length !== nv) this.vfree.length = nv;
    m.flagsLive = true;
    return cond;
  }

  /** A CMP operand inside an IT block: an immediate CMP takes as it is, else a register. */
  private cmpOperand(s: Src): Operand {
    if (!isImm(s)) return r(this.use(s));
    if (ModImm.tryFrom(s.imm) !== undefined || ModImm.tryFrom(-s.imm | 0) !== undefined) return imm(s.imm);
    const t = this.scratch();
    this.m.mov32(t, s.imm);
    return r(t);
  }

  /** d = cmp ? a : b (core: one IT block of moves; VFP: VMOV under IT). */
  private select(i: Extract<Inst, { op: 'selif' }>, k: number): void {
    const m = this.m;
    if (this.alloc.cls[i.d] !== CORE) {
      const cond = this.compare(i.cmp, k, [i.a, i.b]);
      const x = this.vuse(i.a), y = this.vuse(i.b);
      const d = this.vdef(i.d, y);
      if (d === y) {
        m.a.it(cond);
        this.vmov(i.d, d, x);
      } else if (d === x) {
        m.a.it(invertCond(cond));
        this.vmov(i.d, d, y);
      } else {
        this.vmov(i.d, d, y);
        m.a.it(cond);
        this.vmov(i.d, d, x);
      }
      this.vcommit(i.d, d);
      return;
    }
    this.touch(i.a, i.b, i.d);
    const cond = this.compare(i.cmp, k, [i.a, i.b]);
    const x = this.use(i.a), y = this.use(i.b);
    const d = this.alloc.loc[i.d]! >= 0 ? this.alloc.loc[i.d]! : this.scratch();
    m.itSelect(cond, d, x, y);
    this.commit(i.d, d);
  }

  /**
   * (d, d2) = (a, ah) +/- (b, bh): ADDS/SUBS on the low words, ADC/SBC on the high ones. The allocator keeps
   * ah and bh out of d's register; a low half that still lands on one (the same vreg) goes through a scratch.
   */
  private alu64(i: Extract<Inst, { op: 'alu64' }>): void {
    const m = this.m;
    const lateUses = [i.ah, ...(isImm(i.bh) ? [] : [i.bh])];
    this.touch(i.a, i.d, i.d2, ...lateUses, ...(isImm(i.b) ? [] : [i.b]));
    const x = this.use(i.a);
    const yr = isImm(i.b) ? -1 : this.use(i.b);
    const home = this.alloc.loc[i.d]!;
    const clash = home >= 0 && lateUses.some((v) => this.alloc.loc[v] === home);
    const isScratch = (t: number): boolean => t === 12 || t === 14;
    const lo = home >= 0 && !clash ? home : isScratch(x) ? x : isScratch(yr) ? yr : this.scratch();
    m.a.binop(i.kind === 'add' ? 'add' : 'sub', r(lo), r(x), isImm(i.b) ? imm(i.b.imm) : r(yr), 'set');
    const outer = m.flagsLive;
    m.flagsLive = true;
    if (home < 0) this.commit(i.d, lo);
    // the low half's scratch registers are free again (r12 stays the first choice)
    for (const t of [14, 12]) {
      if ((t === x || t === yr || t === lo) && !(clash && t === lo) && !this.free.includes(t)) this.free.push(t);
    }
    const xh = this.use(i.ah);
    const yh = this.operand(i.bh);
    m.flagsLive = outer;
    const hi = this.alloc.loc[i.d2]! >= 0 ? this.alloc.loc[i.d2]! : isScratch(xh) ? xh : this.scratch();
    m.a.binop(i.kind === 'add' ? 'adc' : 'sbc', r(hi), r(xh), yh, this.flags(false));
    this.commit(i.d2, hi);
    if (clash) m.mov(home, lo);
  }

}

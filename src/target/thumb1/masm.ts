/**
 * The ARMv6-M sequences every compiled function needs, independent of the
 * IR: frames, exec_env loads, runtime calls through the native-symbol table,
 * trap stubs, the stack check, the bounds-check fast path with its exact
 * out-of-line tail, and the 64-bit add/subtract/compare legalisations.
 *
 * Registers are parameters: the emitter's allocator decides where exec_env,
 * memory 0's check_limit and the scratch registers live (docs/thumb1.md
 * proposes r8 for exec_env and r9 for check_limit: only MOV, ADD, CMP and
 * BLX reach a high register, and CMP is all the fast path needs).
 * `scratch` arguments are low registers the caller can spare; none of these
 * sequences touches any other register except where it says so.
 */
import type { Label } from '../buffer.js';
import { EnvOffset, MemoryOffset, TrapCode } from '../../abi.js';
import { InternalError } from '../../errors.js';
import { helperIndex } from '../../xip/catalogue.js';
import { Imm5Scaled, Imm8, ShiftImm } from '../thumb2/imm.js';
import { type Cond, type Reg, LR, PC, R0, R1, R2, R4, R12, SP, invertCond, isLow, regName } from '../thumb2/regs.js';
import { Thumb1Assembler, low } from './asm.js';
import * as E from './enc.js';

/** What a function saves and allocates (the emitter's choice). */
export interface FrameSpec {
  /** Callee-saved low registers the body uses (r4-r7). */
  readonly low: readonly Reg[];
  /** Callee-saved high registers the body uses (r8-r11). */
  readonly high: readonly Reg[];
  /** Save LR: every function that calls, and a leaf that may need a far jump or an out-of-line bounds check. */
  readonly lr: boolean;
  /** Bytes of spill slots and outgoing arguments below the saved registers. */
  readonly locals: number;
}

/** The frame as laid out: what is pushed and how far sp moves below the pushes (8-byte aligned in all). */
export interface Frame {
  /** Low registers pushed with LR (the spec's, plus r4 when a high register needs a carrier). */
  readonly low: readonly Reg[];
  /** High registers, in groups moved through `low` and pushed after it (popped in reverse). */
  readonly highGroups: readonly (readonly Reg[])[];
  readonly lr: boolean;
  /** sp decrement after the pushes, padded so the whole frame is a multiple of 8. */
  readonly locals: number;
  /** Bytes pushed (saved registers). */
  readonly saved: number;
}

function sorted(rs: readonly Reg[]): Reg[] {
  return [...new Set(rs)].sort((a, b) => a - b);
}

export function layoutFrame(spec: FrameSpec): Frame {
  for (const r of spec.low) if (r < 4 || r > 7) throw new InternalError(`frame: ${regName(r)} is not a callee-saved low register`);
  for (const r of spec.high) if (r < 8 || r > 11) throw new InternalError(`frame: ${regName(r)} is not a callee-saved high register`);
  if (spec.locals < 0 || spec.locals % 4 !== 0) throw new InternalError(`frame: ${spec.locals} bytes of locals`);
  const high = sorted(spec.high);
  // a high register reaches the stack only through a low one, and a large sp adjustment through a low scratch:
  // r0-r3 carry the arguments then, so r4 is saved to serve
  const low = sorted(spec.low.length === 0 && (high.length > 0 || spec.locals > 508) ? [R4] : spec.low);
  const highGroups: Reg[][] = [];
  for (let i = 0; i < high.length; i += low.length) highGroups.push(high.slice(i, i + low.length));
  const saved = 4 * (low.length + (spec.lr ? 1 : 0) + high.length);
  const locals = spec.locals + ((saved + spec.locals) % 8 === 0 ? 0 : 4);
  return { low, highGroups, lr: spec.lr, locals, saved };
}

export class Thumb1Masm {
  constructor(readonly a: Thumb1Assembler = new Thumb1Assembler()) {}

  // ---- frames -------------------------------------------------------------------------

  /** PUSH {low, lr}; high registers through the low ones; sp -= locals. Leaves r0-r3 alone. */
  prologue(f: Frame): void {
    const a = this.a;
    if (f.low.length > 0 || f.lr) a.emit(E.pushT1(E.regList(...f.low, ...(f.lr ? [LR] : []))));
    for (const g of f.highGroups) {
      g.forEach((h, i) => a.mov(f.low[i]!, h));
      a.emit(E.pushT1(E.regList(...f.low.slice(0, g.length))));
    }
    a.addSp(-f.locals, f.low[0]);
    a.lrSaved = f.lr;
  }

  /** sp += locals; pop the high groups, then POP {low, pc} (or BX LR). Leaves r0-r3 alone. */
  epilogue(f: Frame): void {
    const a = this.a;
    a.addSp(f.locals, f.low[0]);
    for (let k = f.highGroups.length - 1; k >= 0; k--) {
      const g = f.highGroups[k]!;
      a.emit(E.popT1(E.regList(...f.low.slice(0, g.length))));
      g.forEach((h, i) => a.mov(h, f.low[i]!));
    }
    if (f.lr) a.emit(E.popT1(E.regList(...f.low, PC)));
    else {
      if (f.low.length > 0) a.emit(E.popT1(E.regList(...f.low)));
      a.bx(LR);
    }
  }

  // ---- exec_env and the runtime ---------------------------------------------------------------

  /** rt (low) = *(env + off); env is any register. */
  loadEnv(rt: Reg, env: Reg, off: number): void {
    if (isLow(env)) return this.a.load('w', rt, env, off);
    this.a.mov(rt, env);
    this.a.load('w', rt, rt, off);
  }

  /** BLX to native symbol `index` through env->symbols, with `scratch` (low) holding the address. Arguments are the caller's. */
  callSymbol(index: number, env: Reg, scratch: Reg, scratch2?: Reg): void {
    this.loadEnv(scratch, env, EnvOffset.symbols);
    this.a.load('w', scratch, scratch, 4 * index, scratch2);
    this.a.blx(scratch);
  }

  /**
   * The label of a stub that raises trap `code`: xw_trap(env, code), out of
   * line in the next island, shared while B<c> can still reach back to it.
   */
  trapLabel(code: TrapCode, env: Reg): Label {
    const a = this.a;
    return a.buf.deferredLabel(`trap:${code}:${env}`, 16, () => {
      a.mov(R0, env);
      a.emit(E.movImmT1(R1, must8(code)));
      this.callSymbol(helperIndex('xw_trap'), R0, R2);
    }, 240);
  }

  /** After the frame is allocated: sp below env->stack_limit traps (docs/abi.md §8). Sets the flags. */
  stackCheck(env: Reg, scratch: Reg): void {
    this.loadEnv(scratch, env, EnvOffset.stackLimit);
    this.a.emit(E.cmpRegT2(SP, scratch));
    this.a.bcond('cc', this.trapLabel(TrapCode.StackExhausted, env));
  }

  /** limit (any register) = memory 0's check_limit, through the low `scratch` (which may be `limit`). */
  loadCheckLimit(limit: Reg, env: Reg, scratch: Reg): void {
    this.loadEnv(scratch, env, EnvOffset.memory);
    this.a.load('w', scratch, scratch, MemoryOffset.checkLimit);
    this.a.mov(limit, scratch);
  }

  // ---- linear memory bounds -------------------------------------------------------------------

  /**
   * The fast check of an access whose offset + size (`end`) is at most
   * CHECK_SLACK: `addr < check_limit` proves it in bounds (docs/abi.md §9).
   * Otherwise an out-of-line tail decides exactly and comes back, keeping
   * every register but the flags; it calls nothing, and it ends in a B, so a
   * function using it must save LR if it may grow beyond 2 KiB.
   */
  boundsCheck(addr: Reg, limit: Reg, end: number, env: Reg): void {
    const a = this.a;
    if (end < 1 || end > 256) throw new InternalError(`boundsCheck: end ${end} needs the exact check`);
    low(addr, 'boundsCheck');
    const resume = a.newLabel();
    const s = addr === R0 ? R1 : R0;
    const slow = a.buf.deferredLabel(`oob:${a.offset}`, 48, () => {
      a.emit(E.pushT1(E.regList(s)));
      this.loadEnv(s, env, EnvOffset.memory);
      a.load('w', s, s, MemoryOffset.size);
      // s = size - end; a borrow means the memory is smaller than the access
      for (let left = end; left > 0; left -= 255) {
        a.emit(E.subImmT2(s, must8(Math.min(left, 255))));
        a.bcond('cc', this.trapLabel(TrapCode.MemoryOutOfBounds, env));
      }
      a.emit(E.cmpRegT1(addr, s));
      a.bcond('hi', this.trapLabel(TrapCode.MemoryOutOfBounds, env));
      a.emit(E.popT1(E.regList(s)));
      a.b(resume);
    });
    a.emit(isLow(limit) ? E.cmpRegT1(addr, limit) : E.cmpRegT2(addr, limit));
    a.bcond('cs', slow);
    a.bind(resume);
  }

  /**
   * The exact check inline, for any `end` = offset + size (up to 2^32 + 7):
   * addr + end <= memory size in 33 bits. t1 and t2 are low scratch registers.
   */
  boundsCheckExact(addr: Reg, end: number, env: Reg, t1: Reg, t2: Reg): void {
    const a = this.a;
    const trap = this.trapLabel(TrapCode.MemoryOutOfBounds, env);
    if (end > 0xffffffff) return a.b(trap);
    a.mov32(t1, end);
    a.emit(E.addRegT1(t1, t1, low(addr, 'boundsCheckExact')));
    a.bcond('cs', trap);
    this.loadEnv(t2, env, EnvOffset.memory);
    a.load('w', t2, t2, MemoryOffset.size);
    a.emit(E.cmpRegT1(t1, t2));
    a.bcond('hi', trap);
  }

  // ---- values from the flags, jump tables -----------------------------------------------------

  /** rd (low) = cond ? 1 : 0, from the flags a compare just set (MOVS would clobber them first, so it branches). */
  setCond(rd: Reg, cond: Cond): void {
    const a = this.a;
    const one = a.newLabel(), done = a.newLabel();
    a.bcond(cond, one);
    a.emit(E.movImmT1(low(rd, 'setCond'), must8(0)));
    a.b(done);
    a.bind(one);
    a.emit(E.movImmT1(rd, must8(1)));
    a.bind(done);
  }

  /** rd = cond ? x : y, from the flags (MOV leaves them alone); any registers. */
  select(cond: Cond, rd: Reg, x: Reg, y: Reg): void {
    const a = this.a;
    const done = a.newLabel();
    if (rd === x) {
      if (x === y) return;
      a.bcond(cond, done);
      a.mov(rd, y);
    } else if (rd === y) {
      a.bcond(invertCond(cond), done);
      a.mov(rd, x);
    } else {
      a.mov(rd, y);
      a.bcond(invertCond(cond), done);
      a.mov(rd, x);
    }
    a.bind(done);
  }

  /**
   * Jump to targets[idx] when idx < targets.length (unsigned), else to `dflt`.
   * v6-M has no TBB/TBH: a table of halfword distances follows the code,
   * read with LDRH from PC + 2 * idx and added to PC. Entries reach forward
   * only (up to 64 KiB), so a target already bound gets a B after the table.
   * Clobbers t (low) and the flags; keeps idx.
   */
  jumpTable(idx: Reg, targets: readonly Label[], dflt: Label, t: Reg): void {
    const a = this.a;
    low(idx, 'jumpTable');
    low(t, 'jumpTable');
    if (t === idx) throw new InternalError('jumpTable: the scratch register is the index');
    const n = targets.length;
    if (n <= 255) a.emit(E.cmpImmT1(idx, must8(n)));
    else {
      // not from the literal pool: the table would put its island out of the load's reach
      if (n > 0xffff) throw new InternalError(`jumpTable: ${n} entries (halfword entries reach 64 KiB)`);
      a.emit(E.movImmT1(t, must8(n >>> 8)));
      a.emit(E.lslImmT1(t, t, shift(8)));
      if ((n & 0xff) !== 0) a.emit(E.addImmT2(t, must8(n & 0xff)));
      a.emit(E.cmpRegT1(idx, t));
    }
    // B<c> reaches 256 bytes and no island can sit inside the table: past a short table, jump around a B (or
    // a BL used as a jump, past 2 KiB)
    // the table, and a B (or BL) after it per target already bound
    const tableBytes = 2 * n + 8 + 4 * new Set(targets.filter((l) => a.buf.isBound(l))).size;
    if (tableBytes < 200) a.bcond('cs', dflt);
    else {
      const inRange = a.newLabel();
      a.bcond('cc', inRange);
      if (tableBytes < 1900 || a.buf.isBound(dflt)) a.b(dflt);
      else a.farJump(dflt);
      a.bind(inRange);
    }
    a.emit(E.lslImmT1(t, idx, shift(1)));
    a.emit(E.addRegT2(t, PC)); // t = 2 * idx + (this + 4)
    a.emit(E.ldrhImmT1(t, t, must(Imm5Scaled.tryFrom(2, 2)))); // the table starts 2 bytes past that PC
    const base = a.offset + 4;
    a.emit(E.addRegT2(PC, t)); // pc = (this + 4) + entry
    const back = new Map<Label, Label>();
    for (const l of targets) {
      let to = l;
      if (a.buf.isBound(l)) {
        to = back.get(l) ?? a.newLabel();
        back.set(l, to);
      }
      const at = a.offset;
      a.buf.put16(0);
      a.buf.useLabelAtOffset(at, to, 'half16', base);
    }
    for (const [l, fwd] of back) {
      a.bind(fwd);
      a.b(l);
    }
  }

  // ---- accesses that may be unaligned (an unaligned LDR/STR faults on v6-M) -------------------------

  /**
   * rt = the word, halfword or byte at base + addr, whatever its alignment:
   * an aligned address takes one LDR, the others an out-of-line path of byte
   * loads that comes back. t and u are low scratch registers (distinct from
   * rt, base and addr); the flags are clobbered.
   */
  loadAny(kind: 'w' | 'h' | 'sh' | 'b' | 'sb', rt: Reg, base: Reg, addr: Reg, t: Reg, u: Reg): void {
    const a = this.a;
    if (kind === 'b' || kind === 'sb') return a.loadReg(kind, rt, base, addr);
    this.distinct('loadAny', rt, base, addr, t, u);
    const size = kind === 'w' ? 4 : 2;
    const resume = a.newLabel();
    const slow = a.buf.deferredLabel(`unaligned:${a.offset}`, 32, () => {
      a.emit(E.addRegT1(t, base, addr));
      a.load('b', rt, t, size - 1);
      for (let k = size - 2; k >= 0; k--) {
        a.emit(E.lslImmT1(rt, rt, shift(8)));
        a.load('b', u, t, k);
        a.emit(E.orrRegT1(rt, u));
      }
      if (kind === 'sh') a.emit(E.sxthT1(rt, rt));
      a.b(resume);
    });
    a.emit(E.lslImmT1(t, addr, shift(kind === 'w' ? 30 : 31))); // Z: aligned
    a.bcond('ne', slow);
    a.loadReg(kind, rt, base, addr);
    a.bind(resume);
  }

  /** The word, halfword or byte at base + addr = v, whatever its alignment (as loadAny; v is kept). */
  storeAny(kind: 'w' | 'h' | 'b', v: Reg, base: Reg, addr: Reg, t: Reg, u: Reg): void {
    const a = this.a;
    if (kind === 'b') return a.storeReg(kind, v, base, addr);
    this.distinct('storeAny', v, base, addr, t, u);
    const size = kind === 'w' ? 4 : 2;
    const resume = a.newLabel();
    const slow = a.buf.deferredLabel(`unaligned:${a.offset}`, 32, () => {
      a.emit(E.addRegT1(t, base, addr));
      a.store('b', v, t, 0);
      for (let k = 1; k < size; k++) {
        a.emit(E.lsrImmT1(u, v, shift(8 * k, 'lsr')));
        a.store('b', u, t, k);
      }
      a.b(resume);
    });
    a.emit(E.lslImmT1(t, addr, shift(kind === 'w' ? 30 : 31)));
    a.bcond('ne', slow);
    a.storeReg(kind, v, base, addr);
    a.bind(resume);
  }

  private distinct(what: string, x: Reg, base: Reg, addr: Reg, t: Reg, u: Reg): void {
    for (const r of [x, base, addr, t, u]) low(r, what);
    if (t === u || [x, base, addr].includes(t) || [x, base, addr].includes(u)) {
      throw new InternalError(`${what}: the scratch registers must differ from the operands and each other`);
    }
  }

  // ---- 64-bit pseudo-operations --------------------------------------------------------------

  /**
   * (dlo, dhi) = (alo, ahi) + (blo, bhi). ADDS then ADCS, whose destination is
   * one of its operands: dlo must differ from ahi and bhi (the allocator's
   * early-def).
   */
  add64(dlo: Reg, dhi: Reg, alo: Reg, ahi: Reg, blo: Reg, bhi: Reg): void {
    if (dlo === ahi || dlo === bhi || dlo === dhi) throw new InternalError('add64: the low result overwrites a high operand');
    const a = this.a;
    a.emit(E.addRegT1(dlo, alo, blo));
    if (dhi === bhi) return a.emit(E.adcRegT1(dhi, ahi));
    a.mov(dhi, ahi); // MOV leaves the carry alone
    a.emit(E.adcRegT1(dhi, bhi));
  }

  /** (dlo, dhi) = (alo, ahi) - (blo, bhi); dlo differs from ahi and bhi, dhi may be any of the operands. */
  sub64(dlo: Reg, dhi: Reg, alo: Reg, ahi: Reg, blo: Reg, bhi: Reg): void {
    if (dlo === ahi || dlo === bhi || dlo === dhi) throw new InternalError('sub64: the low result overwrites a high operand');
    const a = this.a;
    a.emit(E.subRegT1(dlo, alo, blo));
    if (dhi === bhi && ahi !== bhi) {
      // SBCS writes its first operand: ahi - bhi - !C = ahi + ~bhi + C, and MVNS leaves C alone
      a.emit(E.mvnRegT1(dhi, bhi));
      a.emit(E.adcRegT1(dhi, ahi));
      return;
    }
    a.mov(dhi, ahi);
    a.emit(E.sbcRegT1(dhi, bhi));
  }

  /**
   * Compare (alo, ahi) with (blo, bhi) as 64-bit values and branch to `l`
   * when `cond` holds (eq, ne, and the signed and unsigned orders). An
   * ordering compare takes SBCS, which writes its operand: into the low
   * scratch `t` when there is one, else into the high operand itself, kept
   * in r12 meanwhile (MOV leaves the flags alone). Registers low.
   */
  branch64(cond: Cond, alo: Reg, ahi: Reg, blo: Reg, bhi: Reg, l: Label, t?: Reg): void {
    const a = this.a;
    switch (cond) {
      case 'eq': case 'ne': {
        // Z of the high compare when they differ, else Z of the low one
        const join = a.newLabel();
        a.emit(E.cmpRegT1(ahi, bhi));
        a.bcond('ne', join);
        a.emit(E.cmpRegT1(alo, blo));
        a.bind(join);
        a.bcond(cond, l);
        return;
      }
      case 'lt': case 'ge': case 'cc': case 'cs':
        this.sbc64(alo, ahi, blo, bhi, t);
        a.bcond(cond, l);
        return;
      case 'gt': case 'le': case 'hi': case 'ls': {
        // a > b is b < a
        this.sbc64(blo, bhi, alo, ahi, t);
        const swapped: Record<'gt' | 'le' | 'hi' | 'ls', Cond> = { gt: 'lt', le: 'ge', hi: 'cc', ls: 'cs' };
        a.bcond(swapped[cond], l);
        return;
      }
      default:
        throw new InternalError(`branch64: condition ${cond}`);
    }
  }

  /** Flags of (alo, ahi) - (blo, bhi): C for the unsigned order, N and V for the signed one. */
  private sbc64(alo: Reg, ahi: Reg, blo: Reg, bhi: Reg, t: Reg | undefined): void {
    const a = this.a;
    if (t === bhi || t === alo || t === blo) throw new InternalError('branch64: the scratch register is an operand');
    if (t === undefined) {
      a.mov(R12, ahi);
      a.emit(E.cmpRegT1(alo, blo));
      a.emit(E.sbcRegT1(ahi, bhi));
      a.mov(ahi, R12);
      return;
    }
    a.mov(t, ahi);
    a.emit(E.cmpRegT1(alo, blo));
    a.emit(E.sbcRegT1(low(t, 'branch64'), bhi));
  }
}

function shift(n: number, kind: 'lsl' | 'lsr' = 'lsl'): ShiftImm {
  const s = ShiftImm.tryFrom(kind, n);
  if (s === undefined) throw new InternalError(`${kind} #${n}`);
  return s;
}

function must<T>(v: T | undefined): T {
  if (v === undefined) throw new InternalError('immediate out of range');
  return v;
}

function must8(v: number): Imm8 {
  const i = Imm8.tryFrom(v);
  if (i === undefined) throw new InternalError(`${v} is not an 8-bit immediate`);
  return i;
}

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
import { Imm8 } from '../thumb2/imm.js';
import { type Cond, type Reg, LR, PC, R0, R1, R2, R4, R12, SP, isLow, regName } from '../thumb2/regs.js';
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
    const slow = a.buf.deferredLabel(`oob:${a.offset}`, 32, () => {
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

function must8(v: number): Imm8 {
  const i = Imm8.tryFrom(v);
  if (i === undefined) throw new InternalError(`${v} is not an 8-bit immediate`);
  return i;
}

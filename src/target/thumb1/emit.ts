/**
 * The Thumb-1 (ARMv6-M) emitter of the target-neutral IR, one function at a time (module.ts assembles the
 * module, emit-call.ts holds the prologue, calls and returns). It takes every instruction the builder makes under
 * THUMB1_IR_TARGET with soft-float; anything else (float-register instructions, grouped bounds checks) is an
 * UnsupportedError naming the instruction.
 *
 * Registers (docs/thumb1.md §3): values live where the target-neutral allocator (src/ir/regalloc.ts) puts them,
 * in r4-r6 (and r7 in functions that do not touch memory), then r10 and r11, all callee-saved so that they
 * survive calls; the rest in frame slots, constants made again where they are read. r0-r3 are the emitter's
 * scratch registers: operands that are not in a low register are brought there, results computed there when their
 * home is not a low register, and calls pass their arguments in them. exec_env lives in r8, memory 0's
 * check_limit in r9 (CMP reaches it: the fast bounds check is one CMP), the memory base in r7. r12 and lr (saved by
 * every function) hold values across the few instructions that need more than r0-r3.
 */
import type { TrapCode } from '../../abi.js';
import { InternalError, UnsupportedError } from '../../errors.js';
import type { Cmp, ICond, Inst, IrFunc, Src } from '../../ir/ir.js';
import type { IrTarget } from '../../ir/target.js';
import { isImm } from '../../ir/ir.js';
import { allocate, type Allocation } from '../../ir/regalloc.js';
import type { Module } from '../../wasm/types.js';
import type { Label } from '../buffer.js';
import { type Cond, type Reg, LR, R0, R1, R2, R3, R4, R5, R6, R7, R8, R9, R10, R11, R12, SP, isLow, reg } from '../thumb2/regs.js';
import type { Thumb1Assembler } from './asm.js';
import * as E from './enc.js';
import { type Thumb1Masm, layoutFrame, type Frame } from './masm.js';
import { Imm8, ShiftImm } from '../thumb2/imm.js';
import { callArea, emitCall, emitPrologue, emitRet } from './emit-call.js';

export const ENV = R8, LIMIT = R9, MEMBASE = R7;

/** The largest offset of LDR/STR rt, [sp, #imm8 x 4]. */
export const SP_REACH = 1020;

/** The ARMv6-M answers to the IR builder's legality questions. */
export const THUMB1_IR_TARGET: IrTarget = {
  // the emitter builds every constant into a register anyway
  aluImm: () => false,
  shiftedOperand: () => false,
  cmpImm: (v) => (v | 0) >= 0 && (v | 0) <= 255,
  testImm: () => false,
  pairImm: () => false,
  unary: (kind) => kind === 'sxtb' || kind === 'sxth',
  hwDiv: false,
  longMultiply: false,
  mulAdd: false,
  // jumpTable's halfword entries reach 64 KiB forward: block ends of a body whose code may be ten times its Wasm
  // bytes (sql.js has one past 64 KiB at 32 KiB of Wasm)
  brtableDirect: (bodyBytes) => bodyBytes <= 6000,
  // the address and the offset are added before the access (loadAny/storeAny take a register offset)
  memOffset: (_kind, v) => v === 0,
};

/** What every function of a module shares. */
export interface Thumb1Context {
  readonly module: Module;
  /** every function's entry: an import's thunk, a defined function's code */
  readonly funcLabels: readonly Label[];
  /** native symbols the code calls (filled as it is emitted) */
  readonly symbols: Set<number>;
  /** calls to the module's own functions go through exec_env->func_ptrs (WAMR's literal XIP) */
  readonly callsViaTable: boolean;
  /** every constant comes from the literal pool (the `constop` intrinsic group) */
  readonly constop: boolean;
}

const COND: Readonly<Record<ICond, Cond>> = {
  eq: 'eq', ne: 'ne', lt_s: 'lt', ge_s: 'ge', gt_s: 'gt', le_s: 'le', lt_u: 'cc', ge_u: 'cs', gt_u: 'hi', le_u: 'ls',
};

export function unsupported(what: string): never {
  throw new UnsupportedError(`Thumb-1 (cortex-m0/m0plus): ${what}`, -1);
}

export class FuncEmitter {
  readonly a: Thumb1Assembler;
  readonly labels: Label[] = [];
  readonly frame: Frame;
  /** bytes of outgoing stack arguments (and result slots) at the bottom of the frame */
  readonly out: number;
  readonly alloc: Allocation;

  constructor(readonly m: Thumb1Masm, readonly ctx: Thumb1Context, readonly f: IrFunc) {
    this.a = m.a;
    if (f.resultClass === 'f32' || f.resultClass === 'f64' || f.paramClasses.some((c) => c === 'f32' || c === 'f64')) {
      unsupported('float-register parameters or results');
    }
    const homes = f.usesMemory ? [R4, R5, R6, R10, R11] : [R4, R5, R6, R7, R10, R11];
    this.alloc = allocate(f, { callerSaved: [], calleeSaved: homes, fixedHint: () => undefined });
    let out = 0;
    for (const i of this.alloc.insts) if (i.op === 'call') out = Math.max(out, callArea(i));
    if (out > SP_REACH) unsupported(`${out} bytes of stack arguments`);
    this.out = out;
    const used = homes.filter((r) => (this.alloc.usedRegs & (1 << r)) !== 0);
    const low = used.filter(isLow);
    if (f.usesMemory) low.push(MEMBASE);
    const high = [ENV, ...(f.usesMemory ? [LIMIT] : []), ...used.filter((r) => !isLow(r))];
    this.frame = layoutFrame({ low, high, lr: true, locals: out + 4 * this.alloc.spillSlots });
    for (let i = 0; i < f.numLabels; i++) this.labels.push(this.a.newLabel());
  }

  // ---- where values are ---------------------------------------------------------------

  /** v's register, or -1 (a slot, a constant made again, or nowhere) */
  home(v: number): number {
    return this.alloc.loc[v]!;
  }

  /** r = the word at sp + off (any offset; beyond LDR's reach through r itself, which changes the flags). */
  loadSp(r: Reg, off: number): void {
    if (off <= SP_REACH) return this.a.load('w', r, SP, off);
    this.a.mov32(r, off);
    this.a.emit(E.addRegT2(r, SP));
    this.a.load('w', r, r, 0);
  }

  /** r (low) = v, wherever it is. */
  get(v: number, r: Reg): void {
    const h = this.home(v);
    if (h >= 0) return this.a.mov(r, reg(h));
    const k = this.alloc.remat.get(v);
    if (k !== undefined) return this.movi(r, k);
    const slot = this.alloc.slot[v]!;
    if (slot < 0) throw new InternalError(`Thumb-1: v${v} is read but has no place`);
    this.loadSp(r, this.out + 4 * slot);
  }

  /** The low register holding v: its home, or `scratch` loaded with it (a far slot or a constant changes the flags). */
  use(v: number, scratch: Reg): Reg {
    const h = this.home(v);
    if (h >= 0 && isLow(reg(h))) return reg(h);
    this.get(v, scratch);
    return scratch;
  }

  /** As use(), for a register or an immediate operand. */
  useSrc(s: Src, scratch: Reg): Reg {
    if (!isImm(s)) return this.use(s, scratch);
    this.movi(scratch, s.imm);
    return scratch;
  }

  /** The low register to compute v into: its home, or `scratch` (then put() moves it home). */
  dest(v: number, scratch: Reg): Reg {
    const h = this.home(v);
    return h >= 0 && isLow(reg(h)) ? reg(h) : scratch;
  }

  /**
   * v = r: into its register, or its slot (a far one through the low `scratch`, which must differ from r); a
   * constant made again where it is read, or a value nobody reads, has no place.
   */
  put(v: number, r: Reg, scratch: Reg = r === R3 ? R2 : R3): void {
    const h = this.home(v);
    if (h >= 0) return this.a.mov(reg(h), r);
    const slot = this.alloc.slot[v]!;
    if (slot < 0) return;
    const off = this.out + 4 * slot;
    if (off <= SP_REACH) return this.a.store('w', r, SP, off);
    if (scratch === r) throw new InternalError('a far slot stored through its own value register');
    this.a.mov32(scratch, off);
    this.a.emit(E.addRegT2(scratch, SP));
    this.a.store('w', r, scratch, 0);
  }

  movi(r: Reg, v: number): void {
    if (this.ctx.constop) this.a.ldrConst(r, v >>> 0);
    else this.a.mov32(r, v);
  }

  /** r (low) = exec_env */
  env(r: Reg): Reg {
    this.a.mov(r, ENV);
    return r;
  }

  private trap(code: number): Label {
    return this.m.trapLabel(code as TrapCode, ENV);
  }

  // ---- the function ----------------------------------------------------------------------

  emit(entry: Label): void {
    const a = this.a;
    a.bind(entry);
    emitPrologue(this);
    for (const i of this.alloc.insts) {
      // an island that grew past a B<c>'s reach would leave a stub it carries out of reach of the next B<c> to it
      if (a.buf.worstCaseIslandSize() > 128 && a.buf.hasPendingIslandContent()) a.buf.emitIsland(true);
      // no island can split a jump table (with its B, or BL, per target already bound): what is pending goes first
      a.maybeIsland(i.op === 'brtable' ? 6 * i.labels.length + 128 : i.op === 'call' ? 96 + 12 * i.args.length : 160);
      this.inst(i);
    }
    // an out-of-line stub placed by one flush may ask for another (a bounds check's tail for its trap stub)
    for (let k = 0; k < 4 && a.buf.hasPendingIslandContent(); k++) a.flushIsland();
  }

  /**
   * Sets the flags for `c`, with every operand read before the compare (bringing one to a scratch register may
   * change the flags); returns the condition. Uses r0-r3 only.
   */
  private flags(c: Cmp): Cond {
    const a = this.a;
    switch (c.k) {
      case 'i32': {
        const x = this.use(c.a, R0);
        if (isImm(c.b) && c.b.imm >= 0 && c.b.imm <= 255) a.emit(E.cmpImmT1(x, imm8(c.b.imm)));
        else a.emit(E.cmpRegT1(x, this.useSrc(c.b, R1)));
        return COND[c.cond];
      }
      case 'test': {
        const x = this.use(c.a, R0);
        a.emit(E.tstRegT1(x, this.useSrc(c.b, R1)));
        return c.cond;
      }
      case 'i64': {
        const lo = this.use(c.a, R0);
        // SBCS writes its first operand: the high word in a scratch register
        this.get(c.ah, R1);
        const blo = this.useSrc(c.b, R2);
        const bhi = this.useSrc(c.bh, R3);
        if (c.cond === 'eq' || c.cond === 'ne') {
          const join = a.newLabel();
          a.emit(E.cmpRegT1(R1, bhi));
          a.bcond('ne', join);
          a.emit(E.cmpRegT1(lo, blo));
          a.bind(join);
          return c.cond;
        }
        if (c.cond !== 'lt_s' && c.cond !== 'ge_s' && c.cond !== 'lt_u' && c.cond !== 'ge_u') unsupported(`i64 compare ${c.cond}`);
        a.emit(E.cmpRegT1(lo, blo));
        a.emit(E.sbcRegT1(R1, bhi));
        return COND[c.cond];
      }
      case 'f': return unsupported('float compares');
    }
  }

  /** A register holding v that no compare touches: its home (any register), else r12 or lr loaded through r0. */
  private held(v: number, high: Reg): Reg {
    const h = this.home(v);
    if (h >= 0) return reg(h);
    this.get(v, R0);
    this.a.mov(high, R0);
    return high;
  }

  private inst(i: Inst): void {
    const { a, m } = this;
    switch (i.op) {
      case 'movi': {
        if (this.home(i.d) < 0 && this.alloc.slot[i.d]! < 0) return;
        const d = this.dest(i.d, R0);
        this.movi(d, i.imm);
        this.put(i.d, d);
        return;
      }
      case 'mov': {
        const h = this.home(i.d);
        if (h >= 0 && this.home(i.a) >= 0) return a.mov(reg(h), reg(this.home(i.a)));
        this.put(i.d, this.use(i.a, R0));
        return;
      }
      case 'alu': case 'alui': {
        const x = this.use(i.a, R0);
        const y = i.op === 'alu' ? this.use(i.b, R1) : (this.movi(R1, i.imm), R1);
        const d = this.dest(i.d, R0);
        switch (i.kind) {
          case 'add': a.emit(E.addRegT1(d, x, y)); break;
          case 'sub': a.emit(E.subRegT1(d, x, y)); break;
          case 'rsub': a.emit(E.subRegT1(d, y, x)); break;
          case 'and': case 'or': case 'xor': case 'mul': {
            const op = { and: E.andRegT1, or: E.orrRegT1, xor: E.eorRegT1, mul: E.mulT1 }[i.kind];
            // two-address and commutative: d = d op other
            if (d === y) a.emit(op(d, x));
            else {
              a.mov(d, x);
              a.emit(op(d, y));
            }
            break;
          }
        }
        this.put(i.d, d);
        return;
      }
      case 'shift': case 'shifti': {
        const x = this.use(i.a, R0);
        const d = this.dest(i.d, R0);
        if (i.op === 'shifti' && i.kind !== 'ror') {
          if (i.imm === 0) a.mov(d, x);
          else a.emit((i.kind === 'lsl' ? E.lslImmT1 : i.kind === 'lsr' ? E.lsrImmT1 : E.asrImmT1)(d, x, shiftImm(i.kind, i.imm)));
        } else {
          // two-address: the amount must not be in d's register when x moves there
          let y: Reg;
          if (i.op === 'shifti') y = (this.movi(R1, i.imm), R1);
          else {
            y = this.use(i.b, R1);
            if (y === d && d !== x) {
              a.mov(R1, y);
              y = R1;
            }
          }
          a.mov(d, x);
          a.emit({ lsl: E.lslRegT1, lsr: E.lsrRegT1, asr: E.asrRegT1, ror: E.rorRegT1 }[i.kind](d, y));
        }
        this.put(i.d, d);
        return;
      }
      case 'unary': {
        if (i.kind !== 'sxtb' && i.kind !== 'sxth') unsupported(i.kind);
        const x = this.use(i.a, R0);
        const d = this.dest(i.d, R0);
        a.emit(i.kind === 'sxtb' ? E.sxtbT1(d, x) : E.sxthT1(d, x));
        this.put(i.d, d);
        return;
      }
      case 'alu64': {
        // into r0:r1, then home: the allocator's early-def rule needs no care here
        const lo = this.use(i.a, R0);
        const hi = this.use(i.ah, R1);
        const blo = this.useSrc(i.b, R2);
        const bhi = this.useSrc(i.bh, R3);
        if (i.kind === 'add') m.add64(R0, R1, lo, hi, blo, bhi);
        else m.sub64(R0, R1, lo, hi, blo, bhi);
        this.put(i.d, R0);
        this.put(i.d2, R1);
        return;
      }
      case 'setif': {
        const c = this.flags(i.cmp);
        const d = this.dest(i.d, R0);
        m.setCond(d, c);
        this.put(i.d, d);
        return;
      }
      case 'selif': {
        // both values where the compare leaves them (MOV from any register keeps the flags)
        const y = this.held(i.b, LR);
        const x = this.held(i.a, R12);
        const c = this.flags(i.cmp);
        const d = this.dest(i.d, R0);
        m.select(c, d, x, y);
        this.put(i.d, d);
        return;
      }
      case 'label': a.bind(this.labels[i.label]!); return;
      case 'br': a.b(this.labels[i.label]!); return;
      case 'brif': a.bcond(this.flags(i.cmp), this.labels[i.label]!); return;
      case 'brtable': {
        const ls = i.labels.map((l) => this.labels[l]!);
        m.jumpTable(this.use(i.a, R0), ls.slice(0, -1), ls[ls.length - 1]!, R1);
        return;
      }
      case 'trap': a.b(this.trap(i.code)); return;
      case 'trapif': a.bcond(this.flags(i.cmp), this.trap(i.code)); return;
      case 'bchk': {
        if (i.members !== undefined) unsupported('grouped bounds checks');
        const x = this.use(i.a, R0);
        if (i.end <= 256) m.boundsCheck(x, LIMIT, i.end, ENV);
        else m.boundsCheckExact(x, i.end, ENV, R1, R2);
        return;
      }
      case 'ld': case 'st': {
        if (i.direct === true) unsupported('direct accesses');
        let addr: Reg;
        if (i.a < 0) {
          this.movi(R0, i.offset);
          addr = R0;
        } else {
          addr = this.use(i.a, R0);
          if (i.offset !== 0) {
            a.addImm(R0, addr, i.offset, R1);
            addr = R0;
          }
        }
        if (i.op === 'ld') {
          const d = this.dest(i.d, R1);
          m.loadAny(i.kind, d, MEMBASE, addr, R2, R3);
          this.put(i.d, d);
        } else {
          m.storeAny(i.kind, this.use(i.b, R1), MEMBASE, addr, R2, R3);
        }
        return;
      }
      case 'ldw': {
        const base = i.a < 0 ? this.env(R1) : this.use(i.a, R1);
        const d = this.dest(i.d, R0);
        a.load('w', d, base, i.offset, d === base ? R2 : undefined);
        this.put(i.d, d);
        return;
      }
      case 'stw': {
        const base = i.a < 0 ? this.env(R1) : this.use(i.a, R1);
        a.store('w', this.use(i.b, R0), base, i.offset, R2);
        return;
      }
      case 'call': return emitCall(this, i);
      case 'ret': return emitRet(this, i.values);
      case 'alush': case 'mla': case 'mls': case 'umull': case 'div':
      case 'fconst': case 'fop': case 'funary': case 'fcvt': case 'fromcore': case 'tocore': case 'fld': case 'fst':
        return unsupported(`IR instruction ${i.op} (THUMB1_IR_TARGET does not ask for it)`);
      default:
        return assertNeverInst(i);
    }
  }
}

function assertNeverInst(i: never): never {
  throw new InternalError(`Thumb-1: unknown IR instruction ${JSON.stringify(i)}`);
}

function imm8(v: number): Imm8 {
  const i = Imm8.tryFrom(v);
  if (i === undefined) unsupported(`immediate ${v}`);
  return i;
}

function shiftImm(kind: 'lsl' | 'lsr' | 'asr', n: number): ShiftImm {
  const s = ShiftImm.tryFrom(kind, n);
  if (s === undefined) unsupported(`${kind} #${n}`);
  return s;
}


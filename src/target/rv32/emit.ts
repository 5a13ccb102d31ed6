/**
 * The RV32 emitter of the target-neutral IR (docs/riscv.md, "Emission"): per function, the register allocation
 * (src/ir/regalloc.ts, configured in emit-base.ts with the IrTarget answers) and instruction selection into the
 * shared code buffer through the macro-assembler (macro.ts).
 *
 * Registers (x numbers):
 * - allocatable, caller-saved: a0-a7, t4-t6; callee-saved: s0-s9, and s10/s11 in functions that do not touch
 *   linear memory;
 * - s10 = memory 0's base and s11 = its check_limit in functions that do (loaded in the prologue, the limit
 *   reloaded after calls that may grow memory);
 * - t0-t3: scratch, never allocated: spilled operands are loaded into them, constants built in them; the
 *   parallel moves at boundaries use t0, call targets travel in t1;
 * - exec_env is an allocated value with a whole-function interval (RegConfig.wholeUse), as on Thumb-2.
 * sp does not move inside the body: the frame holds the outgoing stack arguments at its bottom, then the spill
 * slots, then the saved registers (macro.ts's layout), so every frame place is sp-relative and fixed.
 *
 * Only core words are taken (ilp32: the IR is built soft-float). An IR instruction this emitter does not take
 * is an UnsupportedError naming it, never code.
 */
import { CHECK_SLACK, EnvOffset, FuncRefOffset, LEAF_FRAME_LIMIT, MemoryOffset, TrapCode } from '../../abi.js';
import { InternalError } from '../../errors.js';
import type { AluKind, Cmp, Inst, Src } from '../../ir/ir.js';
import { invertCmp, isImm } from '../../ir/ir.js';
import type { CheckMember } from '../../ir/checks.js';
import { helperIndex } from '../../xip/catalogue.js';
import type { Label } from '../buffer.js';
import * as E from './enc/index.js';
import {
  BRANCH, BRANCH64, F_SCRATCH_MASK, LIMIT, MEMBASE, SCRATCH_MASK, T2, T3, callLayout, fits12, simm, unsupported,
} from './emit-base.js';
import { Rv32FloatEmitter } from './emit-float.js';
import { fmv, loadPlace, rv32Layout, rv32ParallelMove, rv32ResultPlaces, type Move } from './moves.js';
import { A0, SP, T0, T1, ZERO, freg, invertBranchCond, xreg, type BranchCond, type XReg } from './regs.js';

export { rv32IrTarget, type Rv32Context } from './emit-base.js';

export class Rv32Emitter extends Rv32FloatEmitter {
  /** The function's code at `entry`; `funcIndex` names it in its frame record (--enable-dump-call-stack). */
  emit(entry: Label, funcIndex: number): void {
    const { m, insts } = this;
    const buf = m.a.buf;
    buf.bindLabel(entry);
    m.farTemp = this.far ? xreg(31) : undefined;
    this.prologue(funcIndex);
    for (let k = 0; k < insts.length; k++) {
      this.free = SCRATCH_MASK;
      this.freeF = F_SCRATCH_MASK;
      this.inst(insts[k]!, k);
      if (buf.islandNeeded(512)) buf.emitIsland(true);
    }
    const last = insts[insts.length - 1];
    if (buf.hasPendingIslandContent()) buf.emitIsland(last === undefined || !(last.op === 'ret' || last.op === 'br' || last.op === 'trap' || last.op === 'brtable'));
    m.farTemp = undefined;
  }

  private prologue(funcIndex: number): void {
    const { m, f } = this;
    // the record goes before the stack check, so that a function that overflows the stack is on the stack it reports
    m.prologue(this.frame, { env: A0, func: funcIndex });
    if (f.hasCalls || this.frame.size > LEAF_FRAME_LIMIT) {
      this.ctx.symbolsUsed.add(helperIndex('xw_trap'));
      m.stackCheck(A0, T0);
    }
    if (f.usesMemory) {
      m.loadCheckLimit(LIMIT, A0);
      m.loadEnv(MEMBASE, A0, EnvOffset.memBase);
    }
    const from = rv32Layout(['w32', ...f.paramClasses]).words;
    const moves: Move[] = [];
    f.paramVregs.forEach((v, k) => {
      const dst = this.placeOf(v);
      const src = from[k + 1]!;
      if (dst !== undefined) moves.push({ dst, src: src.k === 'frame' ? { k: 'frame', off: src.off + this.frame.size } : src });
    });
    const env = this.envPlace();
    if (env !== undefined) moves.push({ dst: env, src: { k: 'reg', r: A0 } });
    rv32ParallelMove(m, moves);
  }

  // ---- instructions -------------------------------------------------------------------------

  private inst(i: Inst, k: number): void {
    const { m } = this;
    const a = m.a;
    switch (i.op) {
      case 'movi': {
        if (this.alloc.remat.has(i.d)) return;
        const d = this.def(i.d);
        a.li(d, i.imm);
        this.commit(i.d, d);
        return;
      }
      case 'mov': {
        if (this.isFloat(i.d)) return this.fmove(i.d, i.a);
        const x = this.use(i.a);
        const d = this.def(i.d);
        if (d !== x) a.mv(d, x);
        this.commit(i.d, d);
        return;
      }
      case 'alu': {
        const x = this.use(i.a), y = this.use(i.b);
        const d = this.def(i.d);
        this.alu(aluOp(i.kind), d, x, y);
        this.commit(i.d, d);
        return;
      }
      case 'alui': {
        const x = this.use(i.a);
        const d = this.def(i.d);
        const v = i.imm | 0;
        switch (i.kind) {
          case 'add': if (fits12(v)) this.aluImm('addi', d, x, v); else this.viaReg('add', d, x, v); break;
          case 'sub': if (fits12(-v)) this.aluImm('addi', d, x, -v); else this.viaReg('sub', d, x, v); break;
          case 'and': if (fits12(v)) this.aluImm('andi', d, x, v); else this.viaReg('and', d, x, v); break;
          case 'or': if (fits12(v)) this.aluImm('ori', d, x, v); else this.viaReg('or', d, x, v); break;
          case 'xor': if (fits12(v)) this.aluImm('xori', d, x, v); else this.viaReg('xor', d, x, v); break;
          case 'rsub': {
            if (v === 0) { this.alu('sub', d, ZERO, x); break; }
            const t = this.scratch();
            a.li(t, v);
            this.alu('sub', d, t, x);
            break;
          }
          case 'mul': this.viaReg('mul', d, x, v); break;
        }
        this.commit(i.d, d);
        return;
      }
      case 'alush': return unsupported('a shifted operand (alush)');
      case 'alu64': return this.alu64(i);
      case 'shift': {
        const x = this.use(i.a), y = this.use(i.b);
        let d: XReg;
        if (i.kind === 'ror') {
          // (x >>> y) | (x << -y): shifts take their amount mod 32
          const t = this.scratch(), u = this.scratch();
          this.alu('srl', t, x, y);
          this.alu('sub', u, ZERO, y);
          this.alu('sll', u, x, u);
          this.release(x);
          this.release(y);
          d = this.def(i.d);
          this.alu('or', d, t, u);
        } else {
          d = this.def(i.d);
          this.alu(i.kind === 'lsl' ? 'sll' : i.kind === 'lsr' ? 'srl' : 'sra', d, x, y);
        }
        this.commit(i.d, d);
        return;
      }
      case 'shifti': {
        const x = this.use(i.a);
        const n = i.imm & 31;
        let d: XReg;
        if (i.kind === 'ror' && n !== 0) {
          const t = this.scratch(), u = this.scratch();
          this.shiftImm('srli', t, x, n);
          this.shiftImm('slli', u, x, 32 - n);
          this.release(x);
          d = this.def(i.d);
          this.alu('or', d, t, u);
        } else {
          d = this.def(i.d);
          this.shiftImm(i.kind === 'lsl' ? 'slli' : i.kind === 'asr' ? 'srai' : 'srli', d, x, n);
        }
        this.commit(i.d, d);
        return;
      }
      case 'unary': {
        if (i.kind !== 'sxtb' && i.kind !== 'sxth') return unsupported(`unary ${i.kind} (needs Zbb)`);
        const x = this.use(i.a);
        const d = this.def(i.d);
        const n = i.kind === 'sxtb' ? 24 : 16;
        this.shiftImm('slli', d, x, n);
        this.shiftImm('srai', d, d, n);
        this.commit(i.d, d);
        return;
      }
      case 'mla': case 'mls': {
        const x = this.use(i.a), y = this.use(i.b);
        const t = this.scratch();
        this.alu('mul', t, x, y);
        this.release(x);
        this.release(y);
        const z = this.use(i.c);
        const d = this.def(i.d);
        if (i.op === 'mla') this.alu('add', d, t, z);
        else this.alu('sub', d, z, t);
        this.commit(i.d, d);
        return;
      }
      case 'umull': {
        const x = this.use(i.a), y = this.use(i.b);
        const lo = this.def(i.d), hi = this.def(i.d2);
        if (lo !== x && lo !== y) {
          this.alu('mul', lo, x, y);
          this.alu('mulhu', hi, x, y);
        } else if (hi !== x && hi !== y) {
          this.alu('mulhu', hi, x, y);
          this.alu('mul', lo, x, y);
        } else {
          const t = this.scratch();
          this.alu('mulhu', t, x, y);
          this.alu('mul', lo, x, y);
          a.mv(hi, t);
        }
        this.commit(i.d, lo);
        this.commit(i.d2, hi);
        return;
      }
      case 'div': {
        const x = this.use(i.a), y = this.use(i.b);
        const d = this.def(i.d);
        this.alu(i.signed ? 'div' : 'divu', d, x, y);
        this.commit(i.d, d);
        return;
      }
      case 'setif': return this.setif(i);
      case 'selif': return this.selif(i);
      case 'label': m.a.buf.bindLabel(this.labels[i.label]!); return;
      case 'br': {
        // a branch to a label bound right here (after other labels) falls through
        for (let n = k + 1; n < this.insts.length; n++) {
          const next = this.insts[n]!;
          if (next.op !== 'label') break;
          if (next.label === i.label) return;
        }
        a.j(this.labels[i.label]!);
        return;
      }
      case 'brif': return this.branch(i.cmp, this.labels[i.label]!);
      case 'brtable': return this.brtable(i.a, i.labels);
      case 'trap': a.j(this.trapLabel(i.code)); return;
      case 'trapif': return this.branch(i.cmp, this.trapLabel(i.code));
      case 'bchk': return this.bchk(i);
      case 'ld': {
        if (i.a < 0) {
          const d = this.def(i.d);
          this.load(i.kind, d, MEMBASE, i.offset);
          this.commit(i.d, d);
          return;
        }
        const x = this.use(i.a);
        const d = this.def(i.d);
        let base = x;
        if (i.direct !== true) {
          this.alu('add', d, MEMBASE, x);
          base = d;
        }
        this.load(i.kind, d, base, i.offset);
        this.commit(i.d, d);
        return;
      }
      case 'st': {
        const v = this.use(i.b);
        let base = MEMBASE;
        if (i.a >= 0) {
          const x = this.use(i.a);
          if (i.direct === true) base = x;
          else {
            base = this.scratch();
            this.alu('add', base, MEMBASE, x);
          }
        }
        this.store(i.kind, v, base, i.offset);
        return;
      }
      case 'ldw': {
        const base = i.a < 0 ? this.envIn() : this.use(i.a);
        const d = this.def(i.d);
        this.load('w', d, base, i.offset);
        this.commit(i.d, d);
        return;
      }
      case 'stw': {
        const v = this.use(i.b);
        const base = i.a < 0 ? this.envIn() : this.use(i.a);
        this.store('w', v, base, i.offset);
        return;
      }
      case 'call': return this.call(i);
      case 'ret': {
        if (this.frame.recordAt >= 0) {
          // first: exec_env may live in a register a result goes to
          m.unlinkFrameRecord(this.envIn(), this.frame.recordAt, T1);
          this.free = SCRATCH_MASK;
        }
        const to = rv32ResultPlaces(this.f.resultClass);
        const moves: Move[] = [];
        i.values.forEach((v, n) => {
          const src = this.placeOf(v);
          if (src !== undefined) moves.push({ dst: to[n]!, src });
        });
        rv32ParallelMove(m, moves);
        m.epilogue(this.frame);
        return;
      }
      case 'fconst': case 'fop': case 'funary': case 'fcvt': case 'fromcore': case 'tocore': case 'fld': case 'fst':
        return this.floatInst(i);
      default: {
        const never: never = i;
        throw new InternalError(`IR instruction ${JSON.stringify(never)}`);
      }
    }
  }

  /** d = x <op> v for a constant no immediate form takes: v in a scratch register. */
  private viaReg(op: E.AluOp, d: XReg, x: XReg, v: number): void {
    const t = this.scratch();
    this.m.a.li(t, v);
    this.alu(op, d, x, t);
  }

  // ---- comparisons ------------------------------------------------------------------------------

  /** Branch to `l` when `c` holds; the scratch registers it took are free again afterwards. */
  private branch(c: Cmp, l: Label): void {
    const a = this.m.a;
    if (this.farBack(l)) {
      const skip = a.buf.getLabel();
      this.branch(invertCmp(c), skip);
      a.j(l);
      a.buf.bindLabel(skip);
      return;
    }
    const saved = this.free;
    switch (c.k) {
      case 'i32': {
        const x = this.use(c.a), y = this.src(c.b);
        const [cond, swap] = BRANCH[c.cond];
        a.branch(cond, swap ? y : x, swap ? x : y, l);
        break;
      }
      case 'test': {
        const t = this.testValue(c.a, c.b);
        a.branch(c.cond === 'ne' ? 'ne' : 'eq', t, ZERO, l);
        break;
      }
      case 'i64': {
        const x = this.use(c.a), xh = this.use(c.ah), y = this.src(c.b), yh = this.src(c.bh);
        this.m.branch64(BRANCH64[c.cond], x, xh, y, yh, l);
        break;
      }
      case 'f': {
        const t = this.scratch();
        const negate = this.fcompare(c.cond, c.a, c.b, t);
        a.branch(negate ? 'eq' : 'ne', t, ZERO, l);
        break;
      }
    }
    this.free = saved;
  }

  /** A scratch register holding a & b (the bit test). */
  private testValue(av: number, b: Src): XReg {
    const x = this.use(av);
    const t = (SCRATCH_MASK & (1 << x)) !== 0 ? x : this.scratch();
    if (isImm(b) && fits12(b.imm | 0)) this.aluImm('andi', t, x, b.imm | 0);
    else this.alu('and', t, x, this.src(b));
    return t;
  }

  private setif(i: Extract<Inst, { op: 'setif' }>): void {
    const c = i.cmp;
    if (c.k === 'i32') {
      const x = this.use(c.a), y = this.src(c.b);
      const d = this.def(i.d);
      switch (c.cond) {
        case 'eq': case 'ne':
          if (y !== ZERO) this.alu('xor', d, x, y);
          if (c.cond === 'eq') this.aluImm('sltiu', d, y !== ZERO ? d : x, 1);
          else this.alu('sltu', d, ZERO, y !== ZERO ? d : x);
          break;
        default: {
          const [cond, swap] = BRANCH[c.cond];
          const op = cond === 'lt' || cond === 'ge' ? 'slt' : 'sltu';
          this.alu(op, d, swap ? y : x, swap ? x : y);
          if (cond === 'ge' || cond === 'geu') this.aluImm('xori', d, d, 1);
        }
      }
      this.commit(i.d, d);
      return;
    }
    if (c.k === 'test') {
      const t = this.testValue(c.a, c.b);
      const d = this.def(i.d);
      if (c.cond === 'eq') this.aluImm('sltiu', d, t, 1);
      else this.alu('sltu', d, ZERO, t);
      this.commit(i.d, d);
      return;
    }
    if (c.k === 'f') {
      const d = this.def(i.d);
      if (this.fcompare(c.cond, c.a, c.b, d)) this.aluImm('xori', d, d, 1);
      this.commit(i.d, d);
      return;
    }
    // i64 (and anything else): a branch over the two constants
    const buf = this.m.a.buf;
    const yes = buf.getLabel(), done = buf.getLabel();
    this.branch(c, yes);
    this.free = SCRATCH_MASK;
    let d = this.def(i.d);
    this.m.a.li(d, 0);
    this.commit(i.d, d);
    this.m.a.j(done);
    buf.bindLabel(yes);
    this.free = SCRATCH_MASK;
    d = this.def(i.d);
    this.m.a.li(d, 1);
    this.commit(i.d, d);
    buf.bindLabel(done);
  }

  private selif(i: Extract<Inst, { op: 'selif' }>): void {
    const buf = this.m.a.buf;
    if (this.isFloat(i.d)) {
      const home = this.alloc.loc[i.d]!;
      const c = i.cmp;
      const inHome = (v: number): boolean => this.isFloat(v) && this.alloc.loc[v] === home;
      if (home >= 0 && !(c.k === 'f' && (inHome(c.a) || inHome(c.b))) && this.alloc.loc[i.a] !== home) {
        // d = b, then d = a unless the comparison fails (it reads no F register d is, and a is not in d)
        const d = freg(home);
        const y = this.useF(i.b);
        if (y !== d) fmv(this.m, d, y);
        this.freeF = F_SCRATCH_MASK;
        const skip = buf.getLabel();
        this.branch(invertCmp(c), skip);
        this.freeF = F_SCRATCH_MASK;
        const x = this.useF(i.a);
        if (x !== d) fmv(this.m, d, x);
        buf.bindLabel(skip);
        return;
      }
      // else two arms
      const yes = buf.getLabel(), done = buf.getLabel();
      this.branch(i.cmp, yes);
      this.free = SCRATCH_MASK;
      this.freeF = F_SCRATCH_MASK;
      this.fmove(i.d, i.b);
      this.m.a.j(done);
      buf.bindLabel(yes);
      this.free = SCRATCH_MASK;
      this.freeF = F_SCRATCH_MASK;
      this.fmove(i.d, i.a);
      buf.bindLabel(done);
      return;
    }
    const home = this.alloc.loc[i.d]!;
    const regs: number[] = [];
    // only core registers can be d's (a float comparison's operands are in the other file)
    const note = (v: number): void => { if (!this.isFloat(v)) regs.push(this.alloc.loc[v]!); };
    note(i.cmp.a);
    if (i.cmp.k === 'i64') note(i.cmp.ah);
    if (!isImm(i.cmp.b)) note(i.cmp.b);
    if (i.cmp.k === 'i64' && !isImm(i.cmp.bh)) note(i.cmp.bh);
    if (home >= 0 && !regs.includes(home) && this.alloc.loc[i.a] !== home) {
      // d = b, then d = a unless the comparison fails
      const d = xreg(home);
      const y = this.use(i.b);
      if (y !== d) this.m.a.mv(d, y);
      this.release(y);
      const skip = buf.getLabel();
      this.branch(invertCmp(i.cmp), skip);
      const x = this.use(i.a);
      if (x !== d) this.m.a.mv(d, x);
      buf.bindLabel(skip);
      return;
    }
    const yes = buf.getLabel(), done = buf.getLabel();
    this.branch(i.cmp, yes);
    for (const [v, last] of [[i.b, false], [i.a, true]] as const) {
      this.free = SCRATCH_MASK;
      const s = this.use(v);
      const d = this.def(i.d);
      if (d !== s) this.m.a.mv(d, s);
      this.commit(i.d, d);
      if (!last) { this.m.a.j(done); buf.bindLabel(yes); }
    }
    buf.bindLabel(done);
  }

  // ---- 64-bit pseudo-ops, tables, bounds checks, calls ---------------------------------------

  /**
   * (d, d2) = (a, ah) +/- (b, bh): the low words and the carry (sltu) first, then the high words, so the low
   * half's scratch registers are free again for the high half. The allocator keeps ah and bh out of d's
   * register; when they share it anyway (the same vreg) the low word waits in a scratch.
   */
  private alu64(i: Extract<Inst, { op: 'alu64' }>): void {
    const a = this.m.a;
    const home = this.alloc.loc[i.d]!;
    const clash = home >= 0 && [i.ah, ...(isImm(i.bh) ? [] : [i.bh])].some((v) => this.alloc.loc[v] === home);
    const x = this.use(i.a), y = this.src(i.b);
    const lo = home >= 0 && !clash ? xreg(home) : this.scratch();
    const t = this.scratch();
    if (i.kind === 'add') {
      if (x === y) {
        this.alu('slt', t, x, ZERO); // x + x carries the sign bit
        this.alu('add', lo, x, x);
      } else {
        this.alu('add', lo, x, y);
        this.alu('sltu', t, lo, lo === y ? x : y);
      }
    } else {
      this.alu('sltu', t, x, y);
      this.alu('sub', lo, x, y);
    }
    if (!clash) {
      this.commit(i.d, lo);
      this.release(lo);
    }
    this.release(x);
    this.release(y);
    const xh = this.use(i.ah), yh = this.src(i.bh);
    const hi = this.def(i.d2);
    this.alu(i.kind, hi, xh, yh);
    this.alu(i.kind, hi, hi, t);
    this.commit(i.d2, hi);
    if (clash) a.mv(xreg(home), lo);
  }

  /** x in [0, n) jumps to labels[x], anything else to the last label: a table of jal after jr. */
  private brtable(av: number, labels: readonly number[]): void {
    const a = this.m.a;
    const n = labels.length - 1;
    const dflt = this.labels[labels[n]!]!;
    if (n === 0) { a.j(dflt); return; }
    // the table is one piece: an island due inside it goes before it
    if (a.buf.islandNeeded(4 * n + 64)) a.buf.emitIsland(true);
    const x = this.use(av);
    const t = this.scratch();
    a.li(t, n);
    if (4 * n > 2048) {
      // the default may lie beyond the table, out of a B-type branch's reach
      const go = a.buf.getLabel();
      a.branch('ltu', x, t, go);
      a.j(dflt);
      a.buf.bindLabel(go);
    } else if (this.farBack(dflt)) {
      const go = a.buf.getLabel();
      a.branch('ltu', x, t, go);
      a.j(dflt);
      a.buf.bindLabel(go);
    } else {
      a.branch('geu', x, t, dflt);
    }
    const table = a.buf.getLabel();
    a.la(t, table);
    const u = this.scratch();
    this.shiftImm('slli', u, x, 2);
    this.alu('add', t, t, u);
    a.put(E.jalr(ZERO, t, simm(0)));
    a.buf.bindLabel(table);
    for (let k = 0; k < n; k++) a.j(this.labels[labels[k]!]!);
  }

  /**
   * Memory 0 bounds check (docs/abi.md §9) of x + offset, or of a group's members. The fast path is one bgeu
   * against the check limit; its out-of-line tail (in the next island) checks each member exactly and comes
   * back. Extents beyond CHECK_SLACK are checked exactly inline. Both use only t2 and t3, so x (t0 at most)
   * and the group's start (t1 at most) survive for the base.
   */
  private bchk(i: Extract<Inst, { op: 'bchk' }>): void {
    const a = this.m.a;
    const x = this.use(i.a);
    const low = i.offset ?? 0;
    let at = x;
    if (low !== 0) {
      at = this.scratch();
      if (fits12(low)) this.aluImm('addi', at, x, low);
      else { a.li(at, low); this.alu('add', at, x, at); }
    }
    const members: readonly CheckMember[] = i.members ?? [{ c: 0, end: i.end }];
    // asked for before the tail is: the tail is written while an island is, and makes no stub of its own
    const oob = this.trapLabel(TrapCode.MemoryOutOfBounds);
    if (i.end > 0xffffffff) a.j(oob);
    else if (i.end <= CHECK_SLACK) {
      const resume = a.buf.getLabel();
      const slow = a.buf.deferredLabel(`rvoob:${a.buf.offset}`, 72 * members.length + 8, () => {
        for (const mb of members) this.exact(x, mb.c, mb.end, oob, true);
        a.j(resume);
      });
      a.branch('geu', at, LIMIT, slow);
      a.buf.bindLabel(resume);
    } else {
      for (const mb of members) this.exact(at, mb.c - low, mb.end, oob);
    }
    if (i.base !== undefined) {
      const b = this.def(i.base);
      this.alu('add', b, MEMBASE, at);
      this.commit(i.base, b);
    }
  }

  /**
   * (x + c mod 2^32) + end <= memory size, else trap; t2 and t3 only (exec_env reloaded into t2 if spilled).
   * `far`: written inside an island, where the stub may lie beyond a B-type branch and no veneer can be added,
   * so each trap is a jal behind an inverted branch.
   */
  private exact(x: XReg, c: number, end: number, oob: Label, far = false): void {
    const a = this.m.a;
    const trapIf = (cond: BranchCond, r1: XReg, r2: XReg): void => {
      if (!far) { a.branch(cond, r1, r2, oob); return; }
      const ok = a.buf.getLabel();
      a.branch(invertBranchCond(cond), r1, r2, ok);
      a.j(oob);
      a.buf.bindLabel(ok);
    };
    let addr = x;
    if (c !== 0) {
      addr = T2;
      if (fits12(c)) this.aluImm('addi', T2, x, c);
      else { a.li(T3, c); this.alu('add', T2, x, T3); }
    }
    if (fits12(end)) this.aluImm('addi', T3, addr, end);
    else { a.li(T3, end); this.alu('add', T3, addr, T3); }
    trapIf('ltu', T3, addr);
    const env = this.envPlace();
    if (env === undefined) throw new InternalError('bounds check without exec_env');
    loadPlace(this.m, T2, env);
    this.m.lw(T2, T2, EnvOffset.memory);
    this.m.lw(T2, T2, MemoryOffset.size);
    trapIf('ltu', T2, T3);
  }

  private call(i: Extract<Inst, { op: 'call' }>): void {
    const { m, ctx } = this;
    // several results come back in 8-byte slots right above the outgoing arguments, whose address is the last one
    const multi = i.multi;
    const lay = callLayout(i.env, i.argClasses, multi);
    const dsts = lay.words.slice(i.env ? 1 : 0);
    const moves: Move[] = [];
    i.args.forEach((v, k) => {
      const src = this.placeOf(v);
      if (src !== undefined) moves.push({ dst: dsts[k]!, src });
    });
    if (i.env && i.target.kind !== 'ref') moves.push({ dst: { k: 'reg', r: A0 }, src: this.envPlace()! });
    if (i.target.kind === 'ref') moves.push({ dst: { k: 'reg', r: T1 }, src: this.placeOf(i.target.desc)! });
    if (i.target.kind === 'symbol') moves.push({ dst: { k: 'reg', r: T1 }, src: this.placeOf(i.target.fn)! });
    rv32ParallelMove(m, moves);
    if (multi !== undefined) {
      // after the other arguments' moves, which may use any register but t1 (the target)
      const p = dsts[dsts.length - 1]!;
      if (p.k === 'reg') this.aluImm('addi', xreg(p.r), SP, lay.stackBytes);
      else if (p.k === 'frame') { this.aluImm('addi', T0, SP, lay.stackBytes); m.sw(T0, SP, p.off); } else throw new InternalError('results address');
    }
    switch (i.target.kind) {
      case 'func':
        if (ctx.callsViaTable && i.target.index >= ctx.module.numImportedFuncs) {
          m.loadEnvEntry(T1, A0, EnvOffset.funcPtrs, i.target.index, T2);
          m.jalr(T1);
        } else if (ctx.farCalls) m.a.call(ctx.funcLabels[i.target.index]!);
        else m.a.callNear(ctx.funcLabels[i.target.index]!);
        break;
      case 'symbol':
        ctx.symbolsUsed.add(i.target.index);
        m.jalr(T1);
        break;
      case 'ref':
        m.lw(A0, T1, FuncRefOffset.env);
        m.lw(T1, T1, FuncRefOffset.code);
        m.jalr(T1);
        break;
    }
    if (this.f.usesMemory && i.mayGrowMemory) {
      this.free = SCRATCH_MASK;
      m.loadCheckLimit(LIMIT, this.envIn());
    }
    const back: Move[] = [];
    if (multi !== undefined) {
      // every result word from its slot: the moves define the results and read only memory
      let k = 0;
      multi.forEach((c, n) => {
        for (let w = 0; w < (c === 'w64' || c === 'f64' ? 2 : 1); w++) {
          const dst = this.placeOf(i.results[k++]!);
          if (dst !== undefined) back.push({ dst, src: { k: 'frame', off: lay.stackBytes + 8 * n + 4 * w } });
        }
      });
    } else {
      const from = rv32ResultPlaces(i.resultClass);
      i.results.forEach((v, k) => {
        const dst = this.placeOf(v);
        if (dst !== undefined) back.push({ dst, src: from[k]! });
      });
    }
    rv32ParallelMove(m, back);
  }
}

function aluOp(kind: AluKind): E.AluOp {
  switch (kind) {
    case 'add': case 'sub': case 'and': case 'or': case 'xor': case 'mul': return kind;
    case 'rsub': throw new InternalError('rsub is an immediate form only');
  }
}


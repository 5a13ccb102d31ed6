/**
 * The RV32 emitter's f32 instructions under ilp32f (docs/riscv.md, "Emission"): FP32 vregs live in F registers
 * (emit-base.ts configures the allocator), and every float IR instruction the builder makes with
 * `fpu: 'sp', fpuRound: 'sp'` becomes F instructions here, each exactly as Wasm defines the operator:
 * - add/sub/mul/div/sqrt round to nearest even (static `rne`, whatever frm holds); a NaN result is RISC-V's
 *   canonical NaN, which Wasm accepts for every NaN input;
 * - min/max: fmin.s/fmax.s order -0 below +0 as Wasm does, but return the other operand when one is a NaN,
 *   where Wasm wants a NaN: an feq pair tests both, and a NaN operand takes fadd.s, which gives the NaN;
 * - ceil/floor/trunc/nearest: below 2^23 in magnitude fcvt.w.s with the rounding mode (rup, rdn, rtz, rne) and
 *   back, the sign copied from the operand (so -0.5 gives -0); from 2^23 up the value is already integral and
 *   fmin.s x, x returns it, or the canonical NaN for a NaN (a signalling one quieted, as Wasm wants);
 * - abs/neg by sign injection (bit-exact, NaNs included), compares by feq/flt/fle (false on NaN),
 *   conversions from i32 by fcvt.s.w[u] rne, to i32 (range already checked by the IR) by fcvt.w[u].s rtz.
 * f64 never reaches here: without D it lives in core words and goes to the runtime (as on the Cortex-M4).
 */
import { InternalError } from '../../errors.js';
import type { FCond, Inst } from '../../ir/ir.js';
import * as E from './enc/index.js';
import { MEMBASE, Rv32EmitterBase, unsupported } from './emit-base.js';
import { fmv } from './moves.js';
import { ZERO, type FReg, type RoundingMode, type XReg } from './regs.js';

/** A float condition as an F compare of (a, b), or of (b, a) when `swap`, true when the result is 1 unless `negate`. */
const FCMP: Readonly<Record<FCond, readonly [E.FCmp, boolean, boolean]>> = {
  eq: ['feq.s', false, false], ne: ['feq.s', false, true],
  lt: ['flt.s', false, false], le: ['fle.s', false, false], gt: ['flt.s', true, false], ge: ['fle.s', true, false],
  // the unordered conditions are the negations of ge, gt, le, lt
  ult: ['fle.s', true, true], ule: ['flt.s', true, true], ugt: ['fle.s', false, true], uge: ['flt.s', false, true],
};

const ROUND: Readonly<Record<'ceil' | 'floor' | 'trunc' | 'nearest', RoundingMode>> = {
  ceil: 'rup', floor: 'rdn', trunc: 'rtz', nearest: 'rne',
};

/** 2^23 as f32 bits, shifted left by one (the sign dropped): from there up every f32 is integral, or NaN/inf. */
const INTEGRAL_FROM = (0x4b000000 << 1) >>> 0;

export abstract class Rv32FloatEmitter extends Rv32EmitterBase {
  /**
   * `into` = 1 when a <cond> b holds on two float vregs (feq/flt/fle), or its negation when the result says so:
   * the returned flag tells whether `into` holds the negation.
   */
  protected fcompare(cond: FCond, av: number, bv: number, into: XReg): boolean {
    const [op, swap, negate] = FCMP[cond];
    const x = this.useF(av), y = this.useF(bv);
    this.m.a.put(E.fCmp(op, into, swap ? y : x, swap ? x : y));
    return negate;
  }

  /** d = a for float vregs. */
  protected fmove(dv: number, av: number): void {
    const x = this.useF(av);
    const d = this.defF(dv);
    if (d !== x) fmv(this.m, d, x);
    this.commitF(dv, d);
  }

  protected floatInst(i: Inst): void {
    const a = this.m.a;
    switch (i.op) {
      case 'fconst': {
        const d = this.defF(i.d);
        if (i.lo === 0) a.put(E.fmvWX(d, ZERO));
        else {
          const t = this.scratch();
          a.li(t, i.lo);
          a.put(E.fmvWX(d, t));
        }
        this.commitF(i.d, d);
        return;
      }
      case 'fop': {
        const x = this.useF(i.a), y = this.useF(i.b);
        const d = this.defF(i.d);
        if (i.kind === 'min' || i.kind === 'max') this.minMax(i.kind, d, x, y);
        else a.put(E.fArith(`f${i.kind}.s`, d, x, y, 'rne'));
        this.commitF(i.d, d);
        return;
      }
      case 'funary': {
        const x = this.useF(i.a);
        const d = this.defF(i.d);
        switch (i.kind) {
          case 'abs': a.put(E.fBinary('fsgnjx.s', d, x, x)); break;
          case 'neg': a.put(E.fBinary('fsgnjn.s', d, x, x)); break;
          case 'sqrt': a.put(E.fsqrtS(d, x, 'rne')); break;
          case 'ceil': case 'floor': case 'trunc': case 'nearest': this.round(ROUND[i.kind], d, x); break;
        }
        this.commitF(i.d, d);
        return;
      }
      case 'fcvt': {
        switch (i.kind) {
          case 's32': case 'u32': {
            const x = this.use(i.a);
            const d = this.defF(i.d);
            a.put(E.fcvtSW(d, x, i.kind === 'u32', 'rne'));
            this.commitF(i.d, d);
            return;
          }
          case 'tos32': case 'tou32': {
            const x = this.useF(i.a);
            const d = this.def(i.d);
            a.put(E.fcvtWS(d, x, i.kind === 'tou32', 'rtz'));
            this.commit(i.d, d);
            return;
          }
          case 'promote': case 'demote': return unsupported(`fcvt ${i.kind} (f64 needs D; the runtime converts)`);
        }
        return;
      }
      case 'fromcore': {
        if (i.b >= 0) return unsupported('an f64 in F registers (no D extension)');
        const x = this.use(i.a);
        const d = this.defF(i.d);
        a.put(E.fmvWX(d, x));
        this.commitF(i.d, d);
        return;
      }
      case 'tocore': {
        if (i.d2 >= 0) return unsupported('an f64 in F registers (no D extension)');
        const x = this.useF(i.a);
        const d = this.def(i.d);
        a.put(E.fmvXW(d, x));
        this.commit(i.d, d);
        return;
      }
      case 'fld': {
        const d = this.defF(i.d);
        this.m.flw(d, this.address(i.a, i.direct === true), i.offset);
        this.commitF(i.d, d);
        return;
      }
      case 'fst': {
        const v = this.useF(i.b);
        this.m.fsw(v, this.address(i.a, i.direct === true), i.offset);
        return;
      }
      default: throw new InternalError(`not a float IR instruction: ${i.op}`);
    }
  }

  /**
   * The base register of a linear-memory access at a (+ offset): memory 0's base + a, a itself when it is a
   * machine address already (`direct`: a group check's base), or the base alone for a < 0.
   */
  private address(av: number, direct: boolean): XReg {
    if (av < 0) return MEMBASE;
    const x = this.use(av);
    if (direct) return x;
    const t = this.scratch();
    this.alu('add', t, MEMBASE, x);
    return t;
  }

  /** d = min/max(x, y) with Wasm's NaN rule: fmin.s/fmax.s unless an operand is a NaN, then fadd.s (a NaN). */
  private minMax(kind: 'min' | 'max', d: FReg, x: FReg, y: FReg): void {
    const a = this.m.a;
    const t = this.scratch(), u = this.scratch();
    a.put(E.fCmp('feq.s', t, x, x));
    a.put(E.fCmp('feq.s', u, y, y));
    this.alu('and', t, t, u);
    const nan = a.buf.getLabel(), done = a.buf.getLabel();
    a.branch('eq', t, ZERO, nan);
    a.put(E.fBinary(kind === 'min' ? 'fmin.s' : 'fmax.s', d, x, y));
    a.j(done);
    a.buf.bindLabel(nan);
    a.put(E.fArith('fadd.s', d, x, y, 'rne'));
    a.buf.bindLabel(done);
  }

  /** d = x rounded to an integral value in mode rm (see the file comment). */
  private round(rm: RoundingMode, d: FReg, x: FReg): void {
    const a = this.m.a;
    const t = this.scratch(), u = this.scratch();
    a.put(E.fmvXW(t, x));
    this.shiftImm('slli', t, t, 1);
    a.li(u, INTEGRAL_FROM | 0);
    const big = a.buf.getLabel(), done = a.buf.getLabel();
    a.branch('geu', t, u, big);
    a.put(E.fcvtWS(t, x, false, rm));
    // the sign comes from x, which d may be: then the integral value waits in an F scratch
    const r = d === x ? this.fscratch() : d;
    a.put(E.fcvtSW(r, t, false, rm));
    a.put(E.fBinary('fsgnj.s', d, r, x));
    a.j(done);
    a.buf.bindLabel(big);
    a.put(E.fBinary('fmin.s', d, x, x));
    a.buf.bindLabel(done);
  }
}

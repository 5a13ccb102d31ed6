/**
 * The Thumb-2 emitter's float instructions (hard-float cores): VFP arithmetic, conversions, moves between the
 * register files, and float loads and stores: VLDR/VSTR where the address is known to be word-aligned
 * (src/ir/align.ts), else through core registers (Wasm addresses need not be aligned, and VLDR/VSTR fault on an
 * unaligned one, whatever CCR.UNALIGN_TRP says).
 */
import { InternalError, assertNever } from '../../../errors.js';
import type { Inst } from '../../../ir/ir.js';
import { Pinned } from '../abi.js';
import type { OptEmitter } from './emit.js';

const MEMBASE = Pinned.memBase;

export type FloatInst = Extract<Inst, { op: 'fconst' | 'fop' | 'funary' | 'fcvt' | 'fromcore' | 'tocore' | 'fld' | 'fst' }>;

export function emitFloat(e: OptEmitter, i: FloatInst): void {
  const m = e.m;
  switch (i.op) {
    case 'fconst': {
      const d = e.vdef(i.d);
      m.vconst(d, i.lo, e.wide(i.d) ? i.hi : undefined);
      e.vcommit(i.d, d);
      return;
    }
    case 'fop': {
      const x = e.vuse(i.a), y = e.vuse(i.b);
      const d = e.vdef(i.d, x, y);
      const w = e.wide(i.d);
      const dn = e.vnum(i.d, d), xn = e.vnum(i.a, x), yn = e.vnum(i.b, y);
      if (i.kind === 'min' || i.kind === 'max') {
        // Wasm: a NaN operand gives a NaN (the sum propagates it); VMINNM/VMAXNM order -0 below +0
        if (m.flagsLive) throw new InternalError('min/max with live flags');
        const nan = m.newLabel();
        const done = m.newLabel();
        m.vcmp(w, xn, yn);
        m.bcond('vs', nan);
        m.vop3(i.kind === 'min' ? 'minnm' : 'maxnm', w, dn, xn, yn);
        m.b(done);
        m.bind(nan);
        m.vop3('add', w, dn, xn, yn);
        m.bind(done);
      } else {
        m.vop3(i.kind, w, dn, xn, yn);
      }
      e.vcommit(i.d, d);
      return;
    }
    case 'funary': {
      const x = e.vuse(i.a);
      const d = e.vdef(i.d, x);
      const w = e.wide(i.d);
      const dn = e.vnum(i.d, d), xn = e.vnum(i.a, x);
      switch (i.kind) {
        case 'abs': m.vabs(w, dn, xn); break;
        case 'neg': m.vneg(w, dn, xn); break;
        case 'sqrt': m.vop2('sqrt', w, dn, xn); break;
        case 'ceil': m.vop2('rint-p', w, dn, xn); break;
        case 'floor': m.vop2('rint-m', w, dn, xn); break;
        case 'trunc': m.vop2('rint-z', w, dn, xn); break;
        case 'nearest': m.vop2('rint-n', w, dn, xn); break;
      }
      e.vcommit(i.d, d);
      return;
    }
    case 'fcvt': {
      if (i.kind === 'promote' || i.kind === 'demote') {
        const x = e.vuse(i.a);
        const d = e.vdef(i.d);
        m.vcvtFloat(i.kind === 'promote', e.vnum(i.d, d), e.vnum(i.a, x));
        e.vcommit(i.d, d);
        return;
      }
      if (i.kind === 'tos32' || i.kind === 'tou32') {
        // the value is in range (checked before): VCVT toward zero into a single, then to the core register
        const x = e.vuse(i.a);
        const t = e.vscratch();
        m.vcvtToInt(e.wide(i.a), i.kind === 'tos32', t, e.vnum(i.a, x));
        const d = e.def(i.d);
        m.vmovFromS(d, t);
        e.commit(i.d, d);
        return;
      }
      const x = e.use(i.a);
      const d = e.vdef(i.d);
      const w = e.wide(i.d);
      // the integer goes through a single register: the destination's own for an f32
      const t = w ? e.vscratch() : d;
      m.vmovToS(t, x);
      m.vcvtFromInt(w, i.kind === 's32', e.vnum(i.d, d), t);
      e.vcommit(i.d, d);
      return;
    }
    case 'fromcore': {
      e.touch(i.a);
      if (i.b >= 0) e.touch(i.b);
      const x = e.use(i.a);
      const y = i.b >= 0 ? e.use(i.b) : -1;
      const d = e.vdef(i.d);
      if (e.wide(i.d)) m.vmovToD(d >> 1, x, y);
      else m.vmovToS(d, x);
      e.vcommit(i.d, d);
      return;
    }
    case 'tocore': {
      const x = e.vuse(i.a);
      e.touch(i.d);
      if (i.d2 >= 0) e.touch(i.d2);
      const lo = e.alloc.loc[i.d]! >= 0 ? e.alloc.loc[i.d]! : e.scratch();
      if (i.d2 < 0) {
        m.vmovFromS(lo, x);
        e.commit(i.d, lo);
        return;
      }
      const hi = e.alloc.loc[i.d2]! >= 0 ? e.alloc.loc[i.d2]! : e.scratch();
      m.vmovFromD(lo, hi, x >> 1);
      e.commit(i.d, lo);
      e.commit(i.d2, hi);
      return;
    }
    case 'fld': {
      const d = e.vdef(i.d);
      const w = e.wide(i.d);
      if (i.aligned === true) {
        // a word-aligned address (src/ir/align.ts): VLDR straight from memory
        const at = vaddr(e, i.a, i.offset, i.direct === true);
        m.vloadRaw(w ? 'd' : 's', e.vnum(i.d, d), at.base, at.off);
        e.vcommit(i.d, d);
        return;
      }
      // core loads (LDR allows an unaligned address, VLDR does not), then into the VFP register
      const base = faddr(e, i.a, i.direct === true);
      const lo = e.scratch();
      m.load('w', lo, base, i.offset);
      if (w) {
        // the address's scratch may take the high word; an allocated base (direct) stays
        const hi = base === 12 || base === 14 ? base : e.scratch();
        m.load('w', hi, base, i.offset + 4);
        m.vmovToD(d >> 1, lo, hi);
      } else {
        m.vmovToS(d, lo);
      }
      e.vcommit(i.d, d);
      return;
    }
    case 'fst': {
      const x = e.vuse(i.b);
      if (i.aligned === true) {
        const at = vaddr(e, i.a, i.offset, i.direct === true);
        m.vstoreRaw(e.wide(i.b) ? 'd' : 's', e.vnum(i.b, x), at.base, at.off);
        return;
      }
      const base = faddr(e, i.a, i.direct === true);
      const t = e.scratch();
      m.vmovFromS(t, x);
      m.store('w', t, base, i.offset);
      if (e.wide(i.b)) {
        m.vmovFromS(t, x + 1);
        m.store('w', t, base, i.offset + 4);
      }
      return;
    }
    default: assertNever(i, 'float IR instruction');
  }
}

/**
 * The base register of a float access at vreg a + offset: memory base + a in a core scratch, or a itself when
 * it is already a machine address (`direct`, a group check's base), or the memory base for a constant address
 * (a < 0).
 */
export function faddr(e: OptEmitter, a: number, direct: boolean): number {
  if (a < 0) return MEMBASE;
  e.touch(a);
  const x = e.use(a);
  if (direct) return x;
  const t = x === 12 || x === 14 ? x : e.scratch();
  e.m.alu('add', t, MEMBASE, x);
  return t;
}

/** VLDR/VSTR's reach from a base register: a multiple of 4 up to 1020 (either direction; only up is used). */
const VFP_REACH = 1020;

/**
 * Base register and VLDR/VSTR offset for an aligned float access at vreg a + offset (a constant address when
 * a < 0): the memory base plus the address, plus an offset beyond VLDR's reach (the IR's offsets stay below 4096).
 */
function vaddr(e: OptEmitter, a: number, offset: number, direct: boolean): { base: number; off: number } {
  const base = faddr(e, a, direct);
  if (offset <= VFP_REACH) return { base, off: offset };
  const t = base === 12 || base === 14 ? base : e.scratch();
  e.m.aluImm('add', t, base, offset, e.m.flagsLive ? 'keep' : 'any');
  return { base: t, off: 0 };
}

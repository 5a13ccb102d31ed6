/**
 * The Thumb-2 emitter's memory accesses: bounds checks (the fast compare, the exact out-of-line checks behind it,
 * docs/abi.md §9), loads and stores of linear memory, and words of runtime structures.
 */
import { assertNever } from '../../../errors.js';
import type { Inst } from '../../../ir/ir.js';
import type { CheckMember } from '../../../ir/checks.js';
import { regList } from '../enc/mem.js';
import type { Reg } from '../regs.js';
import { CHECK_SLACK, EnvOffset, MemoryOffset, Pinned, TrapCode } from '../abi.js';
import { loadPlace, type Place } from './moves.js';
import type { OptEmitter } from './emit.js';

const r = (n: number): Reg => n as Reg;
const LR = 14;
const MEMBASE = Pinned.memBase;
const LIMIT = Pinned.memCheckLimit;

export type MemInst = Extract<Inst, { op: 'bchk' | 'ld' | 'st' | 'ldw' | 'stw' }>;

export function emitMemory(e: OptEmitter, i: MemInst): void {
  const m = e.m;
  switch (i.op) {
    case 'bchk': {
      e.touch(i.a);
      const x = e.use(i.a);
      // a group based at x + low checks that sum (r12); its slow path still follows each member from x
      const low = i.offset ?? 0;
      let at = x;
      if (low !== 0) {
        at = 12;
        m.aluImm('add', 12, x, low, 'any');
      }
      // the slow path calls its tail (r12 and lr change): it reads x again from where x lives
      const home = e.placeOf(i.a)!;
      const place: Place = home.k === 'reg' ? home : x === 12 || x === 14 ? home : { k: 'reg', r: x };
      // the slow path leaves r12 changed: it computes the sum again for the base after it
      boundsCheck(e, at, i.end, i.members ?? [{ c: 0, end: i.end }], place, at === 12 && i.base !== undefined ? low : undefined);
      if (i.base !== undefined) {
        const b = e.def(i.base);
        m.alu('add', b, MEMBASE, at);
        e.commit(i.base, b);
      }
      return;
    }
    case 'ld': {
      if (i.a < 0) {
        const d = e.def(i.d);
        m.load(i.kind, d, MEMBASE, i.offset);
        e.commit(i.d, d);
        return;
      }
      e.touch(i.a, i.d);
      const x = e.use(i.a);
      const d = e.def(i.d, x);
      if (i.direct === true) m.load(i.kind, d, x, i.offset);
      else if (i.offset === 0) m.loadReg(i.kind, d, MEMBASE, x);
      else {
        m.alu('add', d, MEMBASE, x);
        m.load(i.kind, d, d, i.offset);
      }
      e.commit(i.d, d);
      return;
    }
    case 'st': {
      e.touch(i.b);
      if (i.a >= 0) e.touch(i.a);
      const v = e.use(i.b);
      if (i.a < 0) { m.store(i.kind, v, MEMBASE, i.offset); return; }
      const x = e.use(i.a);
      if (i.direct === true) { m.store(i.kind, v, x, i.offset); return; }
      if (i.offset === 0) { m.storeReg(i.kind, v, MEMBASE, x); return; }
      const t = x === 12 || x === 14 ? x : e.scratch();
      m.alu('add', t, MEMBASE, x);
      m.store(i.kind, v, t, i.offset);
      return;
    }
    case 'ldw': {
      const base = i.a < 0 ? e.envIn(e.def(i.d)) : e.use(i.a);
      const d = e.def(i.d, base);
      m.load('w', d, base, i.offset);
      e.commit(i.d, d);
      return;
    }
    case 'stw': {
      e.touch(i.b);
      if (i.a >= 0) e.touch(i.a);
      const v = e.use(i.b);
      const base = i.a < 0 ? e.envIn(e.scratch()) : e.use(i.a);
      m.store('w', v, base, i.offset);
      return;
    }    default: assertNever(i, 'memory IR instruction');
  }
}

/**
 * addr + end <= memory size, else trap (docs/abi.md §9). `redo`: addr is r12 = x + redo, which the code after
 * the check still reads (a group's base), so the slow path computes it again before it returns.
 */
export function boundsCheck(e: OptEmitter, addr: number, end: number, members: readonly CheckMember[], base: Place, redo?: number): void {
  const m = e.m;
  if (end > 0xffffffff) { m.b(e.trapLabel(TrapCode.MemoryOutOfBounds)); return; }
  if (end <= CHECK_SLACK) {
    const slow = m.newLabel();
    const resume = m.newLabel();
    m.cmp(addr, LIMIT);
    m.bcond('cs', slow);
    m.bind(resume);
    e.slowChecks.push({ label: slow, resume, at: base, members, redo });
    return;
  }
  const t = addr === 12 ? 14 : 12;
  const s = t === 12 ? 14 : 12;
  m.mov32(t, end);
  m.alu('add', t, addr, t, true);
  m.bcond('cs', e.trapLabel(TrapCode.MemoryOutOfBounds));
  m.load('w', s, e.envIn(s), EnvOffset.memory);
  m.load('w', s, s, MemoryOffset.size);
  m.cmp(t, s);
  m.bcond('hi', e.trapLabel(TrapCode.MemoryOutOfBounds));
}

/** The exact checks behind the fast ones: r12 = addr + end (33 bits), then a shared tail compares with the size. */
export function emitSlowChecks(e: OptEmitter): void {
  if (e.slowChecks.length === 0) return;
  const m = e.m;
  const tail = m.newLabel();
  for (const c of e.slowChecks) {
    m.bind(c.label);
    for (const k of c.members) {
      // each access as Wasm defines it: a 32-bit wrapping address, then its end in 33 bits
      let x: number;
      if (c.at.k === 'reg') x = c.at.r;
      else { loadPlace(e.m, 12, c.at); x = 12; }
      if (k.c === 0) m.aluImm('add', 12, x, k.end, 'set');
      else {
        m.aluImm('add', 12, x, k.c, 'any');
        m.aluImm('add', 12, 12, k.end, 'set');
      }
      m.bl(tail);
    }
    if (c.redo !== undefined) {
      // r12 = x + low again, as the fast path left it
      let x: number;
      if (c.at.k === 'reg') x = c.at.r;
      else { loadPlace(e.m, 12, c.at); x = 12; }
      m.aluImm('add', 12, x, c.redo, 'any');
    }
    m.b(c.resume);
  }
  m.bind(tail);
  const oob = e.trapLabel(TrapCode.MemoryOutOfBounds);
  m.bcond('cs', oob);
  m.a.push(regList(r(0)));
  m.spAdjust += 4;
  m.load('w', 0, e.envIn(0), EnvOffset.memory);
  m.spAdjust -= 4;
  m.load('w', 0, 0, MemoryOffset.size);
  m.cmp(12, 0);
  m.a.pop(regList(r(0)));
  m.bcond('hi', oob);
  m.bx(LR);
}

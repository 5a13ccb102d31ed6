/**
 * Bounds-check grouping. Accesses at x, x+4, x+8 ... (addresses computed as
 * `alui add v, x, #c`) in one straight stretch of code, with no side effect
 * or other trap between them, need one check: x + max(c + size) <= memory
 * size, made at the first access. Trapping there instead of at a later access
 * is not observable, since nothing in between writes memory, calls or traps
 * differently. The fast path compares x with the check limit (docs/abi.md
 * §9), which covers extents up to CHECK_SLACK; when it fails, the slow path
 * checks every member exactly as Wasm defines it (32-bit wrapping address,
 * then the 33-bit end), so the group never traps where the accesses would not.
 */
import { scratch } from './scratch.js';
import { forEachDef, singleDef, type Inst, type LoadKind } from './ir.js';

export interface CheckMember { readonly c: number; readonly end: number }

/**
 * Rewrites `insts` in place: a group's first check becomes the group check (of x + low, where low is
 * the smallest member offset), the others no-op moves (removed as dead code). The group check also
 * makes `base` = memory base + x + low, and the members' accesses in the group's stretch address
 * memory as [base + (c - low) + offset] directly: one address
 * computation for the group instead of one per access (an access whose offset from the base the target's load
 * or store does not encode, `memOffset`, keeps its own address; 32-bit address arithmetic wraps the same way
 * Wasm's does, so the address is exact whichever path the check took). Returns the new vreg count.
 */
export function groupBoundsChecks(insts: Inst[], numVregs: number, slack: number, memOffset: (kind: LoadKind, v: number) => boolean,
  params: readonly number[]): number {
  const mark = scratch.mark();
  try {
    return group(insts, numVregs, slack, memOffset, params);
  } finally {
    scratch.release(mark);
  }
}

function group(insts: Inst[], numVregs: number, slack: number, memOffset: (kind: LoadKind, v: number) => boolean,
  params: readonly number[]): number {
  let next = numVregs;
  let checks = 0;
  for (const i of insts) if (i.op === 'bchk') checks++;
  if (checks < 2) return numVregs;
  const defAt = scratch.int32(numVregs, -1);
  const defs = scratch.int32(numVregs);
  let at = 0;
  const countDef = (v: number): void => { defs[v]!++; defAt[v] = at; };
  for (at = 0; at < insts.length; at++) {
    const i = insts[at]!;
    const d = singleDef(i);
    if (d >= 0) { defs[d]!++; defAt[d] = at; } else forEachDef(i, countDef);
  }
  // a vreg with one definition holds its value wherever it is read (every vreg is written before it is read),
  // except a parameter, which the caller wrote first
  const isConst = scratch.uint8(numVregs);
  const constVal = scratch.int32(numVregs);
  for (const i of insts) {
    if (i.op === 'movi' && defs[i.d] === 1) { isConst[i.d] = 1; constVal[i.d] = i.imm; }
  }
  for (const p of params) isConst[p] = 0;
  // where the current straight stretch began: an address computed before it (or later, reaching the check
  // around a loop) may have a different base by the time of the check
  let stretch = -1;
  const lastDef = scratch.int32(numVregs, -1);
  interface Group {
    first: number;
    /** the common base vreg of the members' addresses */
    readonly x: number;
    members: CheckMember[];
    /** the smallest member offset, and the largest member end (absolute, from x) */
    low: number;
    high: number;
    /** member address vreg → its c (removed when the vreg is written again) */
    readonly addrs: Map<number, number>;
    /** accesses through a member address in the group's stretch (also after it stopped taking members), with its c */
    readonly accesses: { readonly k: number; readonly c: number }[];
  }
  // groups taking members, by x; and groups closed to members whose base later accesses may still use, until the
  // stretch ends
  const open = new Map<number, Group>();
  const lingering: Group[] = [];
  const removed = scratch.uint8(insts.length);
  const rewrite = new Map<number, Inst>();
  // an access whose address needs an addition without a base: every float one, and loads/stores with an offset
  const wantsBase = (i: Inst): boolean => i.op === 'fld' || i.op === 'fst' || ((i.op === 'ld' || i.op === 'st') && i.offset !== 0);
  const finish = (g: Group): void => {
    let base: number;
    let low: number;
    if (g.members.length >= 2) {
      base = next++;
      low = g.low;
      rewrite.set(g.first, { op: 'bchk', a: g.x, end: g.high - g.low, members: g.members, base, offset: g.low });
    } else {
      // one check: a base pays for itself when it saves two additions
      let n = 0;
      for (const { k } of g.accesses) if (wantsBase(insts[k]!)) n++;
      if (n < 2) return;
      base = next++;
      low = g.members[0]!.c;
      const first = insts[g.first] as Extract<Inst, { op: 'bchk' }>;
      rewrite.set(g.first, { ...first, base });
    }
    for (const { k, c } of g.accesses) {
      const i = insts[k]!;
      if (i.op !== 'ld' && i.op !== 'st' && i.op !== 'fld' && i.op !== 'fst') continue;
      const offset = c - low + i.offset;
      const kind = i.op === 'ld' || i.op === 'st' ? i.kind : 'w';
      // a float access may be two words (the second at offset + 4)
      const fits = memOffset(kind, offset) && (i.op === 'ld' || i.op === 'st' || memOffset(kind, offset + 4));
      if (fits) insts[k] = { ...i, a: base, offset, direct: true };
    }
  };
  const close = (x: number): void => {
    const g = open.get(x);
    if (g === undefined) return;
    open.delete(x);
    lingering.push(g);
  };
  const closeAll = (): void => { if (open.size > 0) for (const x of [...open.keys()]) close(x); };
  const endStretch = (): void => {
    closeAll();
    for (const g of lingering) finish(g);
    lingering.length = 0;
  };
  let pos = 0;
  const onDef = (v: number): void => {
    if (open.size > 0 && open.has(v)) close(v);
    for (const g of open.values()) g.addrs.delete(v);
    for (const g of lingering) g.addrs.delete(v);
    lastDef[v] = pos;
  };
  for (let k = 0; k < insts.length; k++) {
    const i = insts[k]!;
    switch (i.op) {
      case 'label': case 'br': case 'brif': case 'brtable': case 'ret': case 'trap': case 'trapif': case 'call':
        endStretch();
        stretch = k;
        break;
      case 'bchk': {
        let x = i.a, c = 0;
        const j = defAt[i.a]!;
        // the address's only definition, earlier in this stretch (its operands then are still those at the check
        // when nothing redefined them in between: lastDef)
        const def = j > stretch && j < k && defs[i.a] === 1 ? insts[j]! : undefined;
        // x + c or x - c with c below 2^31 (a fixed offset from a common base, e.g. a global array, or fields
        // around a pointer), c an immediate or a vreg holding a constant
        if (def?.op === 'alui' && (def.kind === 'add' || def.kind === 'sub') && def.imm >>> 0 < 0x80000000 && j > lastDef[def.a]!) {
          x = def.a;
          c = def.kind === 'add' ? def.imm >>> 0 : -(def.imm >>> 0);
        } else if (def?.op === 'alu' && def.kind === 'add') {
          const [base, kc] = isConst[def.b] === 1 ? [def.a, def.b] : isConst[def.a] === 1 ? [def.b, def.a] : [-1, -1];
          if (base >= 0 && constVal[kc]! >>> 0 < 0x80000000 && j > lastDef[base]!) {
            x = base;
            c = constVal[kc]! >>> 0;
          }
        }
        const g = open.get(x);
        const low = g === undefined ? c : Math.min(g.low, c);
        const high = g === undefined ? c + i.end : Math.max(g.high, c + i.end);
        if (g !== undefined && high - low <= slack && i.members === undefined) {
          g.members.push({ c, end: i.end });
          g.low = low;
          g.high = high;
          g.addrs.set(i.a, c);
          removed[k] = 1;
        } else {
          close(x);
          if (i.end <= slack && i.members === undefined) {
            open.set(x, { first: k, x, members: [{ c, end: i.end }], low: c, high: c + i.end, addrs: new Map([[i.a, c]]), accesses: [] });
          }
          if (open.size > 8) closeAll();
        }
        break;
      }
      case 'ld': case 'st': case 'fld': case 'fst':
        if (i.a >= 0 && (i.op === 'fld' || i.op === 'fst' || i.direct !== true)) {
          // one group rewrites it (an address may be a member of a closed group and of an open one): the open
          // one, else the latest
          let owner: Group | undefined;
          for (const g of open.values()) if (g.addrs.has(i.a)) { owner = g; break; }
          for (let n = lingering.length - 1; owner === undefined && n >= 0; n--) if (lingering[n]!.addrs.has(i.a)) owner = lingering[n];
          if (owner !== undefined) owner.accesses.push({ k, c: owner.addrs.get(i.a)! });
        }
        break;
      default: break;
    }
    pos = k;
    const d = singleDef(i);
    if (d >= 0) onDef(d); else forEachDef(i, onDef);
    // a store writes memory: a later access's trap may not move before it (the checked groups' bases stay)
    if (i.op === 'st' || i.op === 'stw' || i.op === 'fst') closeAll();
    if (lingering.length > 16) { for (const g of lingering) finish(g); lingering.length = 0; }
  }
  endStretch();
  for (const [k, i] of rewrite) insts[k] = i;
  insts.forEach((i, k) => {
    if (removed[k] === 1 && i.op === 'bchk') insts[k] = { op: 'mov', d: i.a, a: i.a };
  });
  return next;
}

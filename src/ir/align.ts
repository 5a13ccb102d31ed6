/**
 * Known alignment of linear-memory addresses. Wasm promises nothing about alignment (a memarg's `align` is a
 * hint), so a target whose float loads fault on an unaligned address (Arm's VLDR/VSTR) must load the bits with
 * core loads, unless the address is known to be aligned. Compilers lay out doubles and words aligned, and
 * address them as `base + i * size + field`, so most addresses are provably multiples of 4 or 8.
 *
 * A forward dataflow over the blocks computes, for each vreg an address depends on, how many of its low bits
 * are known to be zero where it is read. It starts optimistic (32 bits everywhere but at the entry, where
 * nothing is known) and only ever lowers a count, so it ends at the greatest fixpoint, which is sound on every
 * path from the entry: a pointer stepped by 56 in a loop from an 8-aligned start stays 8-aligned. It is flow
 * sensitive because compilers reuse one Wasm local for unrelated values (a counter, then a pointer).
 * Linear memory's base is MEMORY_BASE_ALIGN-aligned (src/abi.ts), so a group check's machine address keeps up
 * to that many of its Wasm address's bits.
 */
import { MEMORY_BASE_ALIGN } from '../abi.js';
import { splitBlocks } from './cfg.js';
import { scratch } from './scratch.js';
import type { Inst } from './ir.js';

/** Trailing zero bits of a 32-bit constant (32 for zero). */
function tzConst(v: number): number {
  const x = v >>> 0;
  return x === 0 ? 32 : 31 - Math.clz32(x & -x);
}

const BASE_BITS = tzConst(MEMORY_BASE_ALIGN);

/** Beyond this many (block, vreg) states the analysis is skipped: the accesses stay unaligned ones. */
const MAX_STATES = 1 << 22;

/** Sets `aligned` on every float load and store whose address (vreg + offset, or a constant) is a multiple of 4. */
export function markAlignedAccesses(insts: Inst[], numVregs: number, numLabels: number): void {
  let any = false;
  for (const i of insts) {
    if ((i.op === 'fld' || i.op === 'fst') && (i.offset & 3) === 0) { any = true; break; }
  }
  if (!any) return;
  const mark = scratch.mark();
  try {
    analyze(insts, numVregs, numLabels);
  } finally {
    scratch.release(mark);
  }
  // a constant address: memory base + offset
  for (let k = 0; k < insts.length; k++) {
    const i = insts[k]!;
    if ((i.op === 'fld' || i.op === 'fst') && i.a < 0 && (i.offset & 3) === 0) insts[k] = { ...i, aligned: true };
  }
}

function analyze(insts: Inst[], numVregs: number, numLabels: number): void {
  // the vregs addresses depend on through the definitions the analysis follows, numbered densely
  const slot = scratch.int32(numVregs, -1);
  const work: number[] = [];
  let n = 0;
  const want = (v: number): void => { if (v >= 0 && slot[v] === -1) { slot[v] = n++; work.push(v); } };
  for (const i of insts) if ((i.op === 'fld' || i.op === 'fst') && (i.offset & 3) === 0) want(i.a);
  if (n === 0) return;
  // per vreg, its followed definitions' operands (a vreg may have several definitions)
  const defsOf = new Map<number, number[]>();
  insts.forEach((i, k) => {
    const d = defOf(i);
    if (d < 0) return;
    const l = defsOf.get(d);
    if (l === undefined) defsOf.set(d, [k]); else l.push(k);
  });
  while (work.length > 0) {
    const v = work.pop()!;
    for (const k of defsOf.get(v) ?? []) operands(insts[k]!, want);
  }
  const blocks = splitBlocks(insts, numLabels);
  const nb = blocks.first.length;
  if (nb * n > MAX_STATES) return;
  const state = scratch.uint8(nb * n).fill(32);
  // nothing is known at the entry (parameters; every other value is defined before it is read)
  state.fill(0, 0, n);
  const cur = scratch.uint8(n);
  const aligned = scratch.uint8(insts.length);
  const at = (v: number): number => (v < 0 ? 0 : cur[slot[v]!]!);
  const dirty = scratch.uint8(nb).fill(1);
  let again = true;
  while (again) {
    again = false;
    for (let b = 0; b < nb; b++) {
      if (dirty[b] === 0) continue;
      dirty[b] = 0;
      cur.set(state.subarray(b * n, b * n + n));
      for (let k = blocks.first[b]!; k <= blocks.last[b]!; k++) {
        const i = insts[k]!;
        if ((i.op === 'fld' || i.op === 'fst') && (i.offset & 3) === 0 && i.a >= 0) aligned[k] = at(i.a) >= 2 ? 1 : 0;
        const d = defOf(i);
        if (d >= 0) {
          if (slot[d]! >= 0) cur[slot[d]!] = transfer(i, at);
        } else {
          defineOthers(i, (v) => { if (slot[v]! >= 0) cur[slot[v]!] = 0; });
        }
      }
      for (let e = blocks.succAt[b]!; e < blocks.succAt[b + 1]!; e++) {
        const s = blocks.succ[e]!;
        let changed = false;
        for (let j = 0; j < n; j++) {
          if (cur[j]! < state[s * n + j]!) { state[s * n + j] = cur[j]!; changed = true; }
        }
        if (changed) { dirty[s] = 1; again = true; }
      }
    }
  }
  for (let k = 0; k < insts.length; k++) {
    const i = insts[k]!;
    if (aligned[k] === 1 && (i.op === 'fld' || i.op === 'fst')) insts[k] = { ...i, aligned: true };
  }
}

/** Calls f for each vreg operand transfer() reads. */
function operands(i: Inst, f: (v: number) => void): void {
  switch (i.op) {
    case 'mov': case 'alui': case 'shifti': case 'shift': case 'bchk': f(i.a); return;
    case 'alu': case 'alush': case 'selif': f(i.a); f(i.b); return;
    case 'mla': case 'mls': f(i.a); f(i.b); f(i.c); return;
    default: return;
  }
}

/** The one vreg the instruction defines whose bits transfer() follows, else -1. */
function defOf(i: Inst): number {
  switch (i.op) {
    case 'movi': case 'mov': case 'alu': case 'alui': case 'alush': case 'shift': case 'shifti': case 'mla': case 'mls':
    case 'selif':
      return i.d;
    case 'bchk': return i.base ?? -1;
    default: return -1;
  }
}

/** Vregs defined by instructions defOf() does not follow: nothing is known about them. */
function defineOthers(i: Inst, f: (v: number) => void): void {
  switch (i.op) {
    case 'unary': case 'umull': case 'div': case 'setif': case 'ld': case 'ldw': case 'alu64': f(i.d); if ('d2' in i) f(i.d2); return;
    case 'call': for (const v of i.results) f(v); return;
    case 'tocore': f(i.d); if (i.d2 >= 0) f(i.d2); return;
    // float vregs: never addresses
    case 'fconst': case 'fop': case 'funary': case 'fcvt': case 'fromcore': case 'fld': f(i.d); return;
    default: return;
  }
}

function combine(kind: string, a: number, b: number): number {
  switch (kind) {
    case 'add': case 'sub': case 'rsub': case 'or': case 'xor': return Math.min(a, b);
    case 'and': return Math.max(a, b);
    case 'mul': return Math.min(32, a + b);
    default: return 0;
  }
}

/** Known trailing zero bits of the instruction's result, given its operands'. */
function transfer(i: Inst, at: (v: number) => number): number {
  switch (i.op) {
    case 'movi': return tzConst(i.imm);
    case 'mov': return at(i.a);
    case 'alu': return combine(i.kind, at(i.a), at(i.b));
    case 'alui': return combine(i.kind, at(i.a), tzConst(i.imm));
    case 'alush': {
      const b = i.shift === 'lsl' ? Math.min(32, at(i.b) + i.amount) : 0;
      return combine(i.kind, at(i.a), b);
    }
    case 'shifti':
      if (i.kind === 'lsl') return Math.min(32, at(i.a) + i.imm);
      // shifted right, the zeros above the vacated bits stay; a rotation keeps none for certain
      return i.kind === 'ror' ? 0 : Math.max(0, at(i.a) - i.imm);
    // a shift left by any amount keeps the low zeros (Arm: 32 and up clears everything; RISC-V wraps)
    case 'shift': return i.kind === 'lsl' ? at(i.a) : 0;
    case 'mla': case 'mls': return Math.min(Math.min(32, at(i.a) + at(i.b)), at(i.c));
    case 'selif': return Math.min(at(i.a), at(i.b));
    // memory base + x + offset: the base keeps BASE_BITS
    case 'bchk': return Math.min(BASE_BITS, at(i.a), tzConst(i.offset ?? 0));
    default: return 0;
  }
}

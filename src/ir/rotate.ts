/**
 * Loop rotation. A `while` loop compiled from `loop { if (cond) { body; br 0 } }` tests at the top and
 * jumps back unconditionally at the bottom: two branches per iteration. When the test at the head is a
 * few side-effect-free instructions ending in a conditional exit (a `brif`), the back edge gets its own copy of the
 * test with the branch inverted into the body, and the head is only run on entry. Vregs keep their
 * names: a temp of the test is then written on both paths into the body, which the liveness handles.
 */
import { scratch } from './scratch.js';
import { invertCmp, singleDef, type Cmp, type Inst } from './ir.js';

/** at most this many instructions are copied, counting the exit's compare unless it is free (see below) */
const HEAD_LIMIT = 6;


/** Instructions a loop test may hold: no memory, no calls, no traps, one definition at most. */
function duplicable(i: Inst): boolean {
  switch (i.op) {
    case 'movi': case 'mov': case 'alu': case 'alui': case 'alush': case 'shift': case 'shifti': case 'unary':
    case 'setif': case 'selif':
      return true;
    default:
      return false;
  }
}

/**
 * A test of the value the previous instruction just computed against zero: most targets branch on that
 * without a compare instruction (a flag-setting ALU operation, a branch-if-zero).
 */
function compareIsFree(c: Cmp, prev: Inst): boolean {
  return c.k === 'i32' && (c.cond === 'eq' || c.cond === 'ne') && typeof c.b !== 'number' && c.b.imm === 0 &&
    (prev.op === 'alu' || prev.op === 'alui') && prev.kind !== 'mul' && singleDef(prev) === c.a;
}

/** Returns the rotated instruction list (and loop depths), or the input when nothing applies. */
export function rotateLoops(insts: Inst[], depth: number[], numLabels: number): { insts: Inst[]; depth: number[]; numLabels: number } {
  const mark = scratch.mark();
  try {
    return rotate(insts, depth, numLabels);
  } finally {
    scratch.release(mark);
  }
}

function rotate(insts: Inst[], depth: number[], numLabels: number): { insts: Inst[]; depth: number[]; numLabels: number } {
  const refs = scratch.int32(numLabels);
  const brAt = scratch.int32(numLabels, -1);
  insts.forEach((i, k) => {
    if (i.op === 'br') { refs[i.label]!++; brAt[i.label] = k; }
    else if (i.op === 'brif') refs[i.label]!++;
    else if (i.op === 'brtable') for (const l of i.labels) refs[l]!++;
  });
  // first find the heads, so that a function without any costs no copy
  let labels = numLabels;
  const plans = new Map<number, { test: Inst[]; cmp: Cmp; exit: number; body: number; at: number; exitAt: number }>();
  for (let k = 0; k < insts.length; k++) {
    const i = insts[k]!;
    if (i.op !== 'label' || refs[i.label] !== 1) continue;
    // the head: a short test, then a conditional exit; the one other reference is the back edge
    let n = k + 1;
    while (n < insts.length && n - k - 1 < HEAD_LIMIT && duplicable(insts[n]!)) n++;
    const exit = insts[n];
    const back = brAt[i.label]!;
    if (exit?.op === 'brif' && back > n && n - k - 1 + (compareIsFree(exit.cmp, insts[n - 1]!) ? 0 : 1) <= HEAD_LIMIT) {
      plans.set(i.label, { test: insts.slice(k + 1, n), cmp: exit.cmp, exit: exit.label, body: labels++, at: k, exitAt: n });
    }
  }
  if (plans.size === 0) return { insts, depth, numLabels };
  const out: Inst[] = [];
  const outDepth: number[] = [];
  for (let k = 0; k < insts.length; k++) {
    const i = insts[k]!;
    const head = i.op === 'label' ? plans.get(i.label) : undefined;
    if (head !== undefined && head.at === k) {
      for (let j = k; j <= head.exitAt; j++) { out.push(insts[j]!); outDepth.push(depth[j]!); }
      out.push({ op: 'label', label: head.body });
      outDepth.push(depth[head.exitAt]!);
      k = head.exitAt;
      continue;
    }
    if (i.op === 'br' && plans.has(i.label)) {
      const p = plans.get(i.label)!;
      out.push(...p.test, { op: 'brif', cmp: invertCmp(p.cmp), label: p.body });
      for (let j = 0; j <= p.test.length; j++) outDepth.push(depth[k]!);
      // the exit is taken by falling out of the copy
      const next = insts[k + 1];
      if (!(next?.op === 'label' && next.label === p.exit)) { out.push({ op: 'br', label: p.exit }); outDepth.push(depth[k]!); }
      continue;
    }
    out.push(i);
    outDepth.push(depth[k]!);
  }
  return { insts: out, depth: outDepth, numLabels: labels };
}

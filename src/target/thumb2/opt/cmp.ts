/**
 * How the Thumb-2 emitter legalises the IR's comparisons (src/ir/ir.ts, `Cmp`): each becomes a compare that
 * sets the flags (CMP, TST, CMP + IT + CMP, CMP + SBCS, ORRS, VCMP + VMRS) and an ARM condition code for the
 * branch, IT block or select that reads them. Two kinds of reuse save the compare:
 * - consecutive consumers of the same comparison (a 64-bit select is two selects): the first sets the
 *   flags, the others read them;
 * - a comparison of a value with zero (eq/ne) right after the ALU operation that computed it (only moves in
 *   between): the operation sets the flags itself (ADDS, ANDS, ...).
 */
import { InternalError } from '../../../errors.js';
import { cmpOf, forEachCmpUse, forEachDef, isImm, sameCompare, type Cmp, type FCond, type ICond, type Inst } from '../../../ir/ir.js';
import { ModImm } from '../imm.js';
import type { Cond } from '../regs.js';

/** After CMP a, b (32 bits, or the low words then SBCS of the high words for the ordered 64-bit forms). */
const INT_COND: Readonly<Record<ICond, Cond>> = {
  eq: 'eq', ne: 'ne', lt_s: 'lt', ge_s: 'ge', gt_s: 'gt', le_s: 'le', lt_u: 'cc', ge_u: 'cs', gt_u: 'hi', le_u: 'ls',
};

/** After VCMP + VMRS: unordered sets C and V and clears N and Z, so each condition has its NaN case right. */
const FLOAT_COND: Readonly<Record<FCond, Cond>> = {
  eq: 'eq', ne: 'ne', lt: 'mi', uge: 'pl', le: 'ls', ugt: 'hi', gt: 'gt', ule: 'le', ge: 'ge', ult: 'lt',
};

/** The ARM condition under which the comparison holds, once its compare has set the flags. */
export function armCond(c: Cmp): Cond {
  switch (c.k) {
    case 'i32': case 'test': return INT_COND[c.cond];
    case 'i64':
      if (c.cond === 'gt_s' || c.cond === 'le_s' || c.cond === 'gt_u' || c.cond === 'le_u') {
        throw new InternalError(`64-bit ${c.cond} (the builder gives ordered 64-bit compares as lt/ge)`);
      }
      return INT_COND[c.cond];
    case 'f': return FLOAT_COND[c.cond];
  }
}

export interface FlagPlan {
  /** per instruction: an ALU operation that sets the flags for a later consumer's test against zero */
  readonly setFlags: Uint8Array;
  /** per instruction: a consumer that finds its comparison in the flags already */
  readonly reuse: Uint8Array;
  /** per instruction: the flags hold a value a later instruction reads, so it must leave them alone */
  readonly live: Uint8Array;
}

/** Plans the flag reuse of a function's instructions (after allocation: only moves and consumers keep flags). */
export function planFlags(insts: readonly Inst[]): FlagPlan {
  const n = insts.length;
  // one backing store for the three (a typed array of its own costs an allocation each)
  const bytes = new Uint8Array(3 * n);
  const setFlags = bytes.subarray(0, n);
  const reuse = bytes.subarray(n, 2 * n);
  const live = bytes.subarray(2 * n);
  let held: Cmp | undefined;
  let heldAt = -1;
  // the flags came from an ALU operation: only Z is the comparison's (N, C and V are the operation's)
  let zeroOnly = false;
  for (let k = 0; k < n; k++) {
    const i = insts[k]!;
    const c = cmpOf(i);
    if (c !== undefined) {
      const eqne = c.cond === 'eq' || c.cond === 'ne';
      let from = -1;
      if (held !== undefined && sameCompare(held, c) && (eqne || !zeroOnly)) from = heldAt;
      else {
        from = flagSource(insts, k, c);
        if (from >= 0) setFlags[from] = 1;
        zeroOnly = from >= 0;
      }
      if (from >= 0) {
        reuse[k] = 1;
        for (let x = from + 1; x < k; x++) live[x] = 1;
      }
      held = writes(i, c) ? undefined : c;
      heldAt = k;
      continue;
    }
    // moves keep the flags (the emitter picks encodings that do while they are live)
    if ((i.op === 'mov' || i.op === 'movi') && held !== undefined && !writes(i, held)) continue;
    held = undefined;
  }
  return { setFlags, reuse, live };
}

/** Whether instruction i writes a vreg the comparison reads. */
function writes(i: Inst, c: Cmp): boolean {
  let hit = false;
  forEachDef(i, (v) => { forEachCmpUse(c, (u) => { if (u === v) hit = true; }); });
  return hit;
}

/**
 * For `v ==/!= 0`: the ALU instruction just before (only moves between) that computes v and can set Z from
 * it, else -1. With S set, only ADD/SUB may turn an immediate into its negation, so the logical operations
 * need an immediate that encodes as it is.
 */
function flagSource(insts: readonly Inst[], k: number, c: Cmp): number {
  if (c.k !== 'i32' || (c.cond !== 'eq' && c.cond !== 'ne') || !isImm(c.b) || c.b.imm !== 0) return -1;
  let j = k - 1;
  while (j >= 0) {
    const i = insts[j]!;
    if (i.op !== 'mov' && i.op !== 'movi') break;
    if (i.d === c.a) return -1;
    j--;
  }
  const i = insts[j];
  if (i === undefined || (i.op !== 'alu' && i.op !== 'alui') || i.d !== c.a || i.kind === 'mul') return -1;
  // (an ADD/SUB immediate that only ADDW/SUBW encode cannot set the flags)
  if (i.op === 'alui' && !ModImm.fits(i.imm >>> 0) &&
    ((i.kind !== 'add' && i.kind !== 'sub') || !ModImm.fits(-i.imm >>> 0))) return -1;
  return j;
}

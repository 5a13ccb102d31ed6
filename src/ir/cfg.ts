/**
 * Basic blocks of an IR function and their successors, in flat arrays from the passes' scratch memory (valid
 * until the caller's mark is released): the allocator's liveness and the alignment analysis walk them.
 */
import type { Inst } from './ir.js';
import { scratch } from './scratch.js';

export interface Blocks {
  /** first instruction of each block */
  readonly first: Int32Array;
  /** last instruction of each block */
  readonly last: Int32Array;
  /** the successors of block b are succ[succAt[b]] up to succ[succAt[b + 1]] (a br_table's may repeat) */
  readonly succAt: Int32Array;
  readonly succ: Int32Array;
}

/** Blocks begin at labels and after branches, returns and traps; block 0 is the entry. */
export function splitBlocks(insts: readonly Inst[], numLabels: number): Blocks {
  // at most one block per instruction
  const first = scratch.int32(insts.length);
  const last = scratch.int32(insts.length);
  const labelBlock = scratch.int32(numLabels, -1);
  let nb = 0;
  let open = false;
  for (let k = 0; k < insts.length; k++) {
    const i = insts[k]!;
    if (i.op === 'label' || !open) {
      if (open) last[nb - 1] = k - 1;
      first[nb++] = k;
      open = true;
    }
    if (i.op === 'label') labelBlock[i.label] = nb - 1;
    if (i.op === 'br' || i.op === 'brif' || i.op === 'brtable' || i.op === 'ret' || i.op === 'trap') {
      last[nb - 1] = k;
      open = false;
    }
  }
  if (open) last[nb - 1] = insts.length - 1;
  const succAt = scratch.int32(nb + 1);
  let edges = 0;
  for (let b = 0; b < nb; b++) {
    succAt[b] = edges;
    const i = insts[last[b]!]!;
    const next = b + 1 < nb ? 1 : 0;
    switch (i.op) {
      case 'br': edges += 1; break;
      case 'brif': edges += 1 + next; break;
      case 'brtable': edges += i.labels.length; break;
      case 'ret': case 'trap': break;
      default: edges += next;
    }
  }
  succAt[nb] = edges;
  const succ = scratch.int32(edges);
  for (let b = 0; b < nb; b++) {
    const i = insts[last[b]!]!;
    let at = succAt[b]!;
    switch (i.op) {
      case 'br': succ[at] = labelBlock[i.label]!; break;
      case 'brif': succ[at++] = labelBlock[i.label]!; if (b + 1 < nb) succ[at] = b + 1; break;
      case 'brtable': for (const l of i.labels) succ[at++] = labelBlock[l]!; break;
      case 'ret': case 'trap': break;
      default: if (b + 1 < nb) succ[at] = b + 1;
    }
  }
  return { first: first.subarray(0, nb), last: last.subarray(0, nb), succAt, succ };
}

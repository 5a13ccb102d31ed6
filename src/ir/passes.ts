/**
 * The target-neutral IR passes between building and allocation, in order: loop rotation (rotate.ts), then
 * bounds-check grouping (checks.ts), then the alignment of float accesses (align.ts). A back end runs them on
 * every function it compiles, then allocates.
 */
import { CHECK_SLACK } from '../abi.js';
import { markAlignedAccesses } from './align.js';
import { groupBoundsChecks } from './checks.js';
import type { IrFunc } from './ir.js';
import { rotateLoops } from './rotate.js';
import type { IrTarget } from './target.js';

export function optimizeIr(ir: IrFunc, isa: IrTarget): IrFunc {
  // only code inside loops can be rotated
  const rot = ir.depth.includes(1) ? rotateLoops(ir.insts, ir.depth, ir.numLabels) : ir;
  const f: IrFunc = { ...ir, insts: rot.insts, depth: rot.depth, numLabels: rot.numLabels };
  const numVregs = groupBoundsChecks(f.insts, f.numVregs, CHECK_SLACK, (kind, v) => isa.memOffset(kind, v), f.paramVregs);
  markAlignedAccesses(f.insts, numVregs, f.numLabels);
  return { ...f, numVregs };
}

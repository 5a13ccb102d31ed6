/**
 * Control flow for tier 0: blocks, branches and their value moves. On entry
 * to every block the operand stack is flushed to its home slots, so a
 * branch only moves the values it carries, and joins need no merge logic.
 */
import { InternalError } from '../../errors.js';
import { BLOCK_EMPTY, blockTypeValType, type Instr } from '../../wasm/operators.js';
import { Op } from '../../wasm/opcodes.js';
import type { FuncType } from '../../wasm/types.js';
import { Pinned, argClass } from './abi.js';
import { is64, type Ctrl, type FuncCompiler, type RegSet } from './func.js';
import type { Label } from './masm.js';

export function blockSig(fc: FuncCompiler, bt: number): FuncType {
  if (bt === BLOCK_EMPTY) return { params: [], results: [] };
  if (bt < 0) return { params: [], results: [blockTypeValType(bt)] };
  return fc.ctx.module.types[bt]!;
}

/** Moves the top `arity` values to the home slots a branch to `target` expects. */
export function branchMoves(fc: FuncCompiler, target: Ctrl): void {
  if (target.accResult) {
    // everything below the block's height is in slots (flushed on entry): the accumulator is free to carry it
    fc.loadInto(fc.stack.peek(), fc.stack.height - 1, { kind: 'w32', r: Pinned.acc });
    return;
  }
  const vals = target.kind === 'loop' ? target.params : target.results;
  const n = vals.length;
  const top = fc.stack.height;
  for (let i = 0; i < n; i++) {
    const src = top - n + i;
    const dst = target.height + i;
    const v = fc.stack.at(src);
    if (v.kind === 'slot' && src === dst) continue;
    const regs: RegSet = is64(v.type) ? { kind: 'w64', lo: 0, hi: 1 } : { kind: 'w32', r: 0 };
    fc.loadInto(v, src, regs);
    fc.storeToFrame(fc.slotOffset(dst), regs);
  }
}

export function needsMoves(fc: FuncCompiler, target: Ctrl): boolean {
  if (target.accResult) return fc.stack.peek().kind !== 'reg';
  const n = target.kind === 'loop' ? target.params.length : target.results.length;
  const top = fc.stack.height;
  for (let i = 0; i < n; i++) {
    const v = fc.stack.at(top - n + i);
    if (v.kind !== 'slot' || top - n + i !== target.height + i) return true;
  }
  return false;
}

/** Unconditional branch to the frame `depth` levels up. */
export function branchTo(fc: FuncCompiler, depth: number): void {
  const target = fc.ctrls[fc.ctrls.length - 1 - depth]!;
  branchMoves(fc, target);
  if (target.kind !== 'loop') target.endUsed = true;
  fc.m.b(target.label);
}

/** In dead code only nesting matters, until the frame's else/end makes code live again. */
export function visitUnreachable(fc: FuncCompiler, ins: Instr): void {
  switch (ins.op) {
    case Op.Block: case Op.Loop: case Op.If: {
      const sig = blockSig(fc, ins.blockType);
      fc.ctrls.push({
        kind: ins.op === Op.Loop ? 'loop' : ins.op === Op.If ? 'if' : 'block', params: sig.params,
        results: sig.results, height: fc.stack.height, label: -1 as Label, elseLabel: undefined,
        endUsed: false, sawElse: false, live: false, accResult: false,
      });
      return;
    }
    case Op.Else: {
      const f = top(fc);
      if (!f.live) return;
      doElse(fc, f);
      return;
    }
    case Op.End: {
      const f = top(fc);
      if (!f.live) {
        fc.ctrls.pop();
        return;
      }
      doEnd(fc, f);
      return;
    }
    default:
      return;
  }
}

export function top(fc: FuncCompiler): Ctrl {
  const f = fc.ctrls[fc.ctrls.length - 1];
  if (!f) throw new InternalError('control stack underflow', fc.opOffset);
  return f;
}

export function enterBlock(fc: FuncCompiler, kind: 'block' | 'loop' | 'if', bt: number): Ctrl {
  const sig = blockSig(fc, bt);
  const m = fc.m;
  const f: Ctrl = {
    kind, params: sig.params, results: sig.results, height: fc.stack.height - sig.params.length,
    label: m.newLabel(), elseLabel: kind === 'if' ? m.newLabel() : undefined, endUsed: false, sawElse: false,
    live: true,
    accResult: kind !== 'loop' && sig.params.length === 0 && sig.results.length === 1 &&
      argClass(sig.results[0]!, fc.floatAbi) === 'w32',
  };
  fc.ctrls.push(f);
  return f;
}

export function doElse(fc: FuncCompiler, f: Ctrl): void {
  const m = fc.m;
  if (fc.reachable) {
    if (f.accResult) fc.loadInto(fc.stack.peek(), fc.stack.height - 1, { kind: 'w32', r: Pinned.acc });
    else fc.flushTop(f.results.length);
    f.endUsed = true;
    m.b(f.label);
  }
  m.bind(f.elseLabel!);
  f.sawElse = true;
  fc.stack.truncate(f.height);
  for (const t of f.params) fc.stack.pushSlot(t);
  fc.reachable = true;
}

export function doEnd(fc: FuncCompiler, f: Ctrl): void {
  const m = fc.m;
  if (f.kind === 'func' && fc.reachable && !f.endUsed) {
    // nothing branches to the end: return straight from where the results are
    fc.emitReturn();
    fc.ctrls.pop();
    fc.reachable = false;
    return;
  }
  if (fc.reachable) {
    if (f.accResult) fc.loadInto(fc.stack.peek(), fc.stack.height - 1, { kind: 'w32', r: Pinned.acc });
    else fc.flushTop(f.results.length);
  }
  const fallsThrough = fc.reachable;
  if (f.kind === 'if' && !f.sawElse) {
    // the missing else passes the params through: they are already in their slots
    m.bind(f.elseLabel!);
  }
  if (f.kind !== 'loop') m.bind(f.label);
  fc.ctrls.pop();
  fc.stack.truncate(f.height);
  if (f.accResult) fc.pushAcc(f.results[0]!);
  else for (const t of f.results) fc.stack.pushSlot(t);
  fc.reachable = fallsThrough || f.endUsed || (f.kind === 'if' && !f.sawElse);
  if (f.kind === 'func') {
    if (fc.reachable) fc.emitReturn();
    fc.reachable = false;
  }
}

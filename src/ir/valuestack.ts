/**
 * The tier-0 value stack. Every Wasm operand-stack depth d has a home slot in
 * the frame (8 bytes at slotOffset(d)); an entry is either already in its home
 * slot, a latent constant or local that is only materialized when an operator
 * consumes it or control flow needs the canonical state (Winch's lazy `Val`),
 * or the one value the back end keeps in its accumulator register. `max`, when
 * present, is a proven unsigned upper bound of an i32 value (it lets memory
 * accesses skip bounds checks that cannot fail).
 */
import { InternalError } from '../errors.js';
import type { ValType } from '../wasm/types.js';

/** i32/f32/ref constants carry their 32 bits as an unsigned number, i64/f64 as a bigint. */
export type StackVal =
  | { readonly kind: 'const'; readonly type: ValType; readonly bits: number | bigint }
  | { readonly kind: 'local'; readonly type: ValType; readonly index: number }
  | { readonly kind: 'slot'; readonly type: ValType; readonly max?: number }
  /** in the back end's accumulator register (at most one entry at a time; 32-bit values only) */
  | { readonly kind: 'reg'; readonly type: ValType; readonly max?: number }
  /** in the back end's float accumulator register (hard-float; at most one entry at a time) */
  | { readonly kind: 'vreg'; readonly type: ValType }
  /** a 32-bit value in a scratch register `reg`, on top of the stack, for the very next operator to consume */
  | { readonly kind: 'tmp'; readonly type: ValType; readonly reg: number; readonly max?: number }
  /** an i32 0/1 that is still only in the condition flags: `cond` holds when it is 1 (top of stack only) */
  | { readonly kind: 'cond'; readonly type: ValType; readonly cond: string };

export class ValueStack {
  private readonly vals: StackVal[] = [];
  /** deepest height reached: sizes the frame */
  maxHeight = 0;

  get height(): number {
    return this.vals.length;
  }

  push(v: StackVal): void {
    this.vals.push(v);
    if (this.vals.length > this.maxHeight) this.maxHeight = this.vals.length;
  }

  pushSlot(type: ValType): void {
    this.push({ kind: 'slot', type });
  }

  pop(): StackVal {
    const v = this.vals.pop();
    if (v === undefined) throw new InternalError('value stack underflow');
    return v;
  }

  /** Pops n entries, returned bottom-first. */
  popN(n: number): StackVal[] {
    if (n > this.vals.length) throw new InternalError('value stack underflow');
    return this.vals.splice(this.vals.length - n, n);
  }

  peek(fromTop = 0): StackVal {
    const v = this.vals[this.vals.length - 1 - fromTop];
    if (v === undefined) throw new InternalError('value stack underflow');
    return v;
  }

  at(depth: number): StackVal {
    const v = this.vals[depth];
    if (v === undefined) throw new InternalError(`no value at depth ${depth}`);
    return v;
  }

  replace(depth: number, v: StackVal): void {
    if (depth >= this.vals.length) throw new InternalError(`no value at depth ${depth}`);
    this.vals[depth] = v;
  }

  /** Drops everything above `height` (used when control flow resets the stack). */
  truncate(height: number): void {
    this.vals.length = Math.min(this.vals.length, height);
  }

  /** Depths (bottom-first) of latent reads of `local` that a write to it would change. */
  latentLocalDepths(local: number): number[] {
    const out: number[] = [];
    for (let d = 0; d < this.vals.length; d++) {
      const v = this.vals[d]!;
      if (v.kind === 'local' && v.index === local) out.push(d);
    }
    return out;
  }
}

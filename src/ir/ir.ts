/**
 * The compiler's target-neutral IR: one function as a linear list of instructions over virtual registers
 * (vregs). A vreg has a register class (IrFunc.vregClass): a 32-bit core word, or on cores with an FPU an f32
 * (a single-precision float register) or an f64 (a double-precision one, which on targets where they alias may
 * overlap two singles). 64-bit integers (and floats under soft-float) are legalized into (lo, hi) core vreg
 * pairs when the IR is built, and the register allocator allocates the halves independently.
 *
 * There are no condition flags. A comparison (`Cmp`) is part of the instruction that consumes it: a
 * conditional branch (`brif`), a 0/1 result (`setif`), a select (`selif`) or a conditional trap (`trapif`).
 * Conditions say what they mean (`lt_s`, `ge_u`, a float `ult`), and each target legalises them its own way
 * (src/target/thumb2/opt/cmp.ts: CMP + B<cond>, flag reuse after a flag-setting ALU instruction, ...).
 * Immediates appear only where the target said they are legal (src/ir/target.ts, `IrTarget`).
 *
 * Instruction selection into machine code happens after register allocation, in the target's emitter.
 */

/** Integer compare conditions (signed and unsigned orders are distinct conditions). */
export type ICond = 'eq' | 'ne' | 'lt_s' | 'ge_s' | 'gt_s' | 'le_s' | 'lt_u' | 'ge_u' | 'gt_u' | 'le_u';

/**
 * Float compare conditions. `eq lt le gt ge` are Wasm's: false when an operand is NaN (unordered); `ne` is
 * true then (also Wasm's). `ult ule ugt uge` are true when unordered or the order holds: they are the
 * negations of `ge gt le lt`, which the builder needs to invert a float compare for a branch.
 */
export type FCond = 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge' | 'ult' | 'ule' | 'ugt' | 'uge';

/** An immediate operand (only where the target said it encodes one: IrTarget). */
export interface Imm { readonly imm: number }
/** A 32-bit operand: a vreg, or an immediate. */
export type Src = number | Imm;

export const isImm = (s: Src): s is Imm => typeof s !== 'number';

/**
 * A comparison, evaluated by the instruction that carries it.
 * - `i32`: a <cond> b on 32-bit words;
 * - `test`: (a & b) != 0 (`ne`) or == 0 (`eq`), the bit test;
 * - `i64`: (a:ah) <cond> (b:bh) on 64-bit values (lo:hi vreg pairs; one pseudo-op, the target expands it).
 *   Its ordered conditions are only `lt_s ge_s lt_u ge_u` (the builder swaps the operands of gt/le, so that
 *   the immediate side stays on the right);
 * - `f`: a <cond> b on two float vregs of the same class.
 */
export type Cmp =
  | { readonly k: 'i32'; readonly cond: ICond; readonly a: number; readonly b: Src }
  | { readonly k: 'test'; readonly cond: 'eq' | 'ne'; readonly a: number; readonly b: Src }
  | { readonly k: 'i64'; readonly cond: ICond; readonly a: number; readonly ah: number; readonly b: Src; readonly bh: Src }
  | { readonly k: 'f'; readonly cond: FCond; readonly a: number; readonly b: number };

const INVERSE_I: Readonly<Record<ICond, ICond>> = {
  eq: 'ne', ne: 'eq', lt_s: 'ge_s', ge_s: 'lt_s', gt_s: 'le_s', le_s: 'gt_s', lt_u: 'ge_u', ge_u: 'lt_u', gt_u: 'le_u', le_u: 'gt_u',
};
const INVERSE_F: Readonly<Record<FCond, FCond>> = {
  eq: 'ne', ne: 'eq', lt: 'uge', uge: 'lt', le: 'ugt', ugt: 'le', gt: 'ule', ule: 'gt', ge: 'ult', ult: 'ge',
};
/** The condition that holds for b <c'> a exactly when a <c> b holds. */
export const SWAP_I: Readonly<Record<ICond, ICond>> = {
  eq: 'eq', ne: 'ne', lt_s: 'gt_s', gt_s: 'lt_s', le_s: 'ge_s', ge_s: 'le_s', lt_u: 'gt_u', gt_u: 'lt_u', le_u: 'ge_u', ge_u: 'le_u',
};

export function invertICond(c: ICond): ICond { return INVERSE_I[c]; }
export function invertFCond(c: FCond): FCond { return INVERSE_F[c]; }

/** The comparison that holds exactly when `c` does not. */
export function invertCmp(c: Cmp): Cmp {
  switch (c.k) {
    case 'i32': case 'i64': return { ...c, cond: INVERSE_I[c.cond] };
    case 'test': return { ...c, cond: c.cond === 'eq' ? 'ne' : 'eq' };
    case 'f': return { ...c, cond: INVERSE_F[c.cond] };
    default: return assertNeverCmp(c);
  }
}

/** Whether a <c> b holds for two 32-bit words (constant folding). */
export function holdsI32(c: ICond, a: number, b: number): boolean {
  const ua = a >>> 0, ub = b >>> 0, sa = a | 0, sb = b | 0;
  switch (c) {
    case 'eq': return ua === ub; case 'ne': return ua !== ub;
    case 'lt_s': return sa < sb; case 'ge_s': return sa >= sb; case 'gt_s': return sa > sb; case 'le_s': return sa <= sb;
    case 'lt_u': return ua < ub; case 'ge_u': return ua >= ub; case 'gt_u': return ua > ub; case 'le_u': return ua <= ub;
  }
}

/** Whether a <c> b holds for two floats (NaN: unordered). */
export function holdsF(c: FCond, a: number, b: number): boolean {
  const unordered = Number.isNaN(a) || Number.isNaN(b);
  switch (c) {
    case 'eq': return a === b; case 'ne': return a !== b;
    case 'lt': return a < b; case 'le': return a <= b; case 'gt': return a > b; case 'ge': return a >= b;
    case 'ult': return unordered || a < b; case 'ule': return unordered || a <= b;
    case 'ugt': return unordered || a > b; case 'uge': return unordered || a >= b;
  }
}

/** Calls `f` for every vreg the comparison reads. */
export function forEachCmpUse(c: Cmp, f: (v: number) => void): void {
  f(c.a);
  if (c.k === 'i64') f(c.ah);
  if (!isImm(c.b)) f(c.b);
  if (c.k === 'i64' && !isImm(c.bh)) f(c.bh);
}

export function renameCmp(c: Cmp, use: (v: number) => number): Cmp {
  const s = (x: Src): Src => (isImm(x) ? x : use(x));
  switch (c.k) {
    case 'i32': case 'test': return { ...c, a: use(c.a), b: s(c.b) };
    case 'i64': return { ...c, a: use(c.a), ah: use(c.ah), b: s(c.b), bh: s(c.bh) };
    case 'f': return { ...c, a: use(c.a), b: use(c.b) };
    default: return assertNeverCmp(c);
  }
}

/** Two comparisons of the same values in the same way (the condition aside): one evaluation serves both. */
export function sameCompare(x: Cmp, y: Cmp): boolean {
  if (x.k !== y.k || x.a !== y.a || !sameSrc(x.b, y.b)) return false;
  if (x.k === 'i64' && y.k === 'i64') {
    // eq/ne and the ordered conditions are different evaluations
    return x.ah === y.ah && sameSrc(x.bh, y.bh) && ((x.cond === 'eq' || x.cond === 'ne') === (y.cond === 'eq' || y.cond === 'ne'));
  }
  return true;
}

function sameSrc(a: Src, b: Src): boolean {
  return isImm(a) ? isImm(b) && (a.imm >>> 0) === (b.imm >>> 0) : a === b;
}

function formatSrc(s: Src): string {
  return isImm(s) ? `#${s.imm >>> 0}` : `v${s}`;
}

export function formatCmp(c: Cmp): string {
  switch (c.k) {
    case 'i32': return `v${c.a} ${c.cond} ${formatSrc(c.b)}`;
    case 'test': return `v${c.a} & ${formatSrc(c.b)} ${c.cond} 0`;
    case 'i64': return `v${c.a}:v${c.ah} ${c.cond} ${formatSrc(c.b)}:${formatSrc(c.bh)}`;
    case 'f': return `v${c.a} f${c.cond} v${c.b}`;
    default: return assertNeverCmp(c);
  }
}

function assertNeverCmp(c: never): never {
  throw new Error(`unknown comparison ${JSON.stringify(c)}`);
}

/**
 * Two-operand ALU operations: d = a <op> b. `rsub` (d = b - a) appears only as `alui` (d = #imm - a), and only
 * where IrTarget.aluImm says the target has it; elsewhere the constant goes into a vreg for a `sub`.
 */
export type AluKind = 'add' | 'sub' | 'rsub' | 'and' | 'or' | 'xor' | 'mul';
export type ShiftKind = 'lsl' | 'lsr' | 'asr' | 'ror';
/** count leading zeros, reverse the bits, sign-extend the low byte / halfword (IrTarget.unary says which exist) */
export type UnaryKind = 'clz' | 'rbit' | 'sxtb' | 'sxth';
export type LoadKind = 'w' | 'b' | 'sb' | 'h' | 'sh';
export type StoreKind = 'w' | 'b' | 'h';
/** min/max with Wasm's semantics (a NaN operand gives a NaN; -0 < +0): each target expands them its way */
export type FOp = 'add' | 'sub' | 'mul' | 'div' | 'min' | 'max';
/** ceil/floor/trunc/nearest: rounding to an integral value (nearest: ties to even) */
export type FUnaryKind = 'abs' | 'neg' | 'sqrt' | 'ceil' | 'floor' | 'trunc' | 'nearest';
/**
 * promote f32→f64, demote f64→f32, a core i32 (signed/unsigned) to the destination's float class, or
 * (`tos32`/`tou32`) a float to a core i32, rounding toward zero, for a value already known to be in range
 */
export type FCvtKind = 'promote' | 'demote' | 's32' | 'u32' | 'tos32' | 'tou32';

/** Register classes of vregs: a core word, an f32 or an f64 in a float register (RegConfig.vfp says how they map). */
export const CORE = 0;
export const FP32 = 1;
export const FP64 = 2;
export type RegClass = typeof CORE | typeof FP32 | typeof FP64;

/** How a call reaches its callee. */
export type CallTarget =
  /** a function of this module, by index (a direct BL, or the function-pointer table in indirect mode) */
  | { readonly kind: 'func'; readonly index: number }
  /** native symbol `index` of the catalogue, through exec_env's symbol table */
  | {
    readonly kind: 'symbol'; readonly index: number;
    /** the vreg holding the function's address (loaded once per function) */
    readonly fn: number;
  }
  /** the funcref descriptor in vreg `desc` (call_indirect, after its checks) */
  | { readonly kind: 'ref'; readonly desc: number };

/**
 * The C-level class of one call argument or result: one core word, an aligned pair of core words, or (when
 * the value lives in a float vreg: hard-float with an FPU that computes it) one f32/f64 vreg, which the
 * target passes as its float ABI says.
 */
export type WordClass = 'w32' | 'w64' | 'f32' | 'f64';

export type Inst =
  | { readonly op: 'movi'; d: number; readonly imm: number }
  | { readonly op: 'mov'; d: number; readonly a: number }
  | { readonly op: 'alu'; readonly kind: AluKind; d: number; readonly a: number; readonly b: number }
  /** d = a <op> #imm; the builder only makes these when IrTarget.aluImm says the immediate is legal */
  | { readonly op: 'alui'; readonly kind: AluKind; d: number; readonly a: number; readonly imm: number }
  /** d = a <op> (b <shift> #amount): only where IrTarget.shiftedOperand says the target has the form */
  | { readonly op: 'alush'; readonly kind: AluKind; d: number; readonly a: number; readonly b: number; readonly shift: ShiftKind; readonly amount: number }
  /**
   * (d, d2) = (a, ah) <op> (b, bh) on 64-bit values held as (lo, hi) pairs, op 'add' or 'sub' (immediate
   * halves where IrTarget.pairImm allows). The low half is computed first: d may share a register with a or
   * b, never with ah or bh (the allocator keeps those live across d's write).
   */
  | { readonly op: 'alu64'; readonly kind: 'add' | 'sub'; d: number; d2: number; readonly a: number; readonly ah: number; readonly b: Src; readonly bh: Src }
  /** d = a <shift> b (b already reduced modulo 32 where Wasm requires it; an amount from 32 up wraps or shifts everything out as IrTarget.shiftsWrap says) */
  | { readonly op: 'shift'; readonly kind: ShiftKind; d: number; readonly a: number; readonly b: number }
  | { readonly op: 'shifti'; readonly kind: ShiftKind; d: number; readonly a: number; readonly imm: number }
  | { readonly op: 'unary'; readonly kind: UnaryKind; d: number; readonly a: number }
  /** d = a * b + c */
  | { readonly op: 'mla'; d: number; readonly a: number; readonly b: number; readonly c: number }
  /** d = c - a * b */
  | { readonly op: 'mls'; d: number; readonly a: number; readonly b: number; readonly c: number }
  /** (d, d2) = a * b as an unsigned 64-bit product (lo, hi) */
  | { readonly op: 'umull'; d: number; d2: number; readonly a: number; readonly b: number }
  | { readonly op: 'div'; readonly signed: boolean; d: number; readonly a: number; readonly b: number }
  /** d = cmp ? 1 : 0 */
  | { readonly op: 'setif'; readonly cmp: Cmp; d: number }
  /** d = cmp ? a : b, for any register class (of d, a and b alike) */
  | { readonly op: 'selif'; readonly cmp: Cmp; d: number; readonly a: number; readonly b: number }
  | { readonly op: 'label'; readonly label: number }
  | { readonly op: 'br'; readonly label: number }
  /** branch to label when cmp holds, else fall through */
  | { readonly op: 'brif'; readonly cmp: Cmp; readonly label: number }
  /** a in [0, labels.length - 1) jumps to labels[a], anything else to the last label */
  | { readonly op: 'brtable'; readonly a: number; readonly labels: readonly number[] }
  /** trap with a TrapCode (src/abi.ts) */
  | { readonly op: 'trap'; readonly code: number }
  | { readonly op: 'trapif'; readonly cmp: Cmp; readonly code: number }
  /**
   * memory 0 bounds check: a + end <= memory size, else trap (end = offset + access size);
   * with `members`, the check of a group of accesses at a + c (checks.ts)
   */
  | {
    readonly op: 'bchk'; readonly a: number; readonly end: number;
    readonly members?: readonly { readonly c: number; readonly end: number }[];
    /** with members: written with memory base + a + offset once the group is checked */
    readonly base?: number;
    /** with members: the check is of a + offset (the smallest member offset); `end` counts from there */
    readonly offset?: number;
  }
  /**
   * d = linear memory at a + offset (checked before), or at the constant `offset` when a < 0;
   * `direct`: a already holds a machine address (a group check's base)
   */
  | { readonly op: 'ld'; readonly kind: LoadKind; d: number; readonly a: number; readonly offset: number; readonly direct?: boolean }
  | { readonly op: 'st'; readonly kind: StoreKind; readonly a: number; readonly b: number; readonly offset: number; readonly direct?: boolean }
  /** d = word at [base + offset], base a vreg or -1 for exec_env (runtime structures, not linear memory) */
  | { readonly op: 'ldw'; d: number; readonly a: number; readonly offset: number }
  | { readonly op: 'stw'; readonly a: number; readonly b: number; readonly offset: number }
  | {
    readonly op: 'call'; readonly target: CallTarget;
    /** the first argument register carries an exec_env (the caller's, or the funcref's own for 'ref' targets) */
    readonly env: boolean;
    /** argument words, in order; a w64 class takes two consecutive entries (lo, hi), f32/f64 one float vreg */
    readonly args: readonly number[]; readonly argClasses: readonly WordClass[];
    readonly results: readonly number[]; readonly resultClass: WordClass | undefined;
    /**
     * a callee with two or more results (resultClass undefined): their classes. They come back through
     * memory (docs/abi.md §2): the target passes, after the arguments, the address of an area of 8-byte slots
     * that the callee fills, and reads `results` (the results' words in order) from it after the call.
     */
    readonly multi?: readonly WordClass[];
    /** the callee may grow memory 0 (the memory registers are reloaded after it) */
    readonly mayGrowMemory: boolean;
  }
  | { readonly op: 'ret'; readonly values: readonly number[] }
  // ---- float values (vregs of class FP32 / FP64; the width follows the class of d, or of a) ----
  /** d = the float with these bits (hi unused for f32) */
  | { readonly op: 'fconst'; d: number; readonly lo: number; readonly hi: number }
  | { readonly op: 'fop'; readonly kind: FOp; d: number; readonly a: number; readonly b: number }
  | { readonly op: 'funary'; readonly kind: FUnaryKind; d: number; readonly a: number }
  | { readonly op: 'fcvt'; readonly kind: FCvtKind; d: number; readonly a: number }
  /** float d = the bits of core a (f32), or of core a (lo) and b (hi) (f64); b = -1 for f32 */
  | { readonly op: 'fromcore'; d: number; readonly a: number; readonly b: number }
  /** core d = the bits of float a (f32), or d = lo and d2 = hi (f64); d2 = -1 for f32 */
  | { readonly op: 'tocore'; d: number; d2: number; readonly a: number }
  /**
   * float d = linear memory at a + offset (checked before), as ld (any alignment; `direct` as ld). `aligned`:
   * the address is known to be a multiple of 4 (align.ts), so a target may use a float load that needs that.
   */
  | { readonly op: 'fld'; d: number; readonly a: number; readonly offset: number; readonly direct?: boolean; readonly aligned?: boolean }
  | { readonly op: 'fst'; readonly a: number; readonly b: number; readonly offset: number; readonly direct?: boolean; readonly aligned?: boolean };

export type InstOp = Inst['op'];

/** One function in IR form, ready for register allocation. */
export interface IrFunc {
  readonly insts: Inst[];
  /** per instruction: how many loops enclose it (spill costs weigh uses in loops) */
  readonly depth: number[];
  readonly numVregs: number;
  readonly numLabels: number;
  /** vregs holding the params' words, in the target's argument order (after exec_env) */
  readonly paramVregs: readonly number[];
  readonly paramClasses: readonly WordClass[];
  /**
   * the class of the single result; undefined for none or for two or more (the last param is then the
   * address of the caller's result slots, and `ret` carries no values: the body has stored them there)
   */
  readonly resultClass: WordClass | undefined;
  /** the function reads or writes linear memory 0 (it needs the memory registers) */
  readonly usesMemory: boolean;
  /** the function calls something (a Wasm function, a runtime helper or an intrinsic) */
  readonly hasCalls: boolean;
  /** per vreg below its length: its RegClass (later vregs, made by passes, are core words) */
  readonly vregClass?: Uint8Array;
}

/** The register class of vreg v. */
export function classOfVreg(f: { readonly vregClass?: Uint8Array | undefined }, v: number): RegClass {
  const c = f.vregClass;
  return c !== undefined && v < c.length ? (c[v] as RegClass) : CORE;
}

/** True for instructions that end a basic block (no fall-through). */
export function isTerminator(i: Inst): boolean {
  return i.op === 'br' || i.op === 'brtable' || i.op === 'trap' || i.op === 'ret';
}

/** The comparison an instruction carries, if any. */
export function cmpOf(i: Inst): Cmp | undefined {
  switch (i.op) {
    case 'setif': case 'selif': case 'brif': case 'trapif': return i.cmp;
    default: return undefined;
  }
}

const src = (s: Src, f: (v: number) => void): void => { if (!isImm(s)) f(s); };

/** Calls `f` for every vreg the instruction reads. */
export function forEachUse(i: Inst, f: (v: number) => void): void {
  switch (i.op) {
    case 'movi': case 'label': case 'br': case 'trap': return;
    case 'setif': case 'brif': case 'trapif': forEachCmpUse(i.cmp, f); return;
    case 'selif': forEachCmpUse(i.cmp, f); f(i.a); f(i.b); return;
    case 'mov': case 'alui': case 'shifti': case 'unary': case 'bchk': case 'brtable':
      f(i.a); return;
    case 'ld': case 'ldw':
      if (i.a >= 0) f(i.a);
      return;
    case 'alu': case 'alush': case 'shift': case 'umull': case 'div':
      f(i.a); f(i.b); return;
    case 'alu64': f(i.a); f(i.ah); src(i.b, f); src(i.bh, f); return;
    case 'st': case 'stw':
      if (i.a >= 0) f(i.a);
      f(i.b);
      return;
    case 'mla': case 'mls': f(i.a); f(i.b); f(i.c); return;
    case 'call':
      for (const v of i.args) f(v);
      if (i.target.kind === 'ref') f(i.target.desc);
      if (i.target.kind === 'symbol') f(i.target.fn);
      return;
    case 'ret': for (const v of i.values) f(v); return;
    case 'fconst': return;
    case 'funary': case 'fcvt': case 'tocore': f(i.a); return;
    case 'fld': if (i.a >= 0) f(i.a); return;
    case 'fst': if (i.a >= 0) f(i.a); f(i.b); return;
    case 'fop': f(i.a); f(i.b); return;
    case 'fromcore': f(i.a); if (i.b >= 0) f(i.b); return;
    default: assertNeverInst(i);
  }
}

/** Calls `f` for every vreg the instruction writes. */
export function forEachDef(i: Inst, f: (v: number) => void): void {
  switch (i.op) {
    case 'movi': case 'mov': case 'alu': case 'alui': case 'alush': case 'shift': case 'shifti': case 'unary':
    case 'mla': case 'mls': case 'div': case 'setif': case 'selif': case 'ld': case 'ldw':
      f(i.d); return;
    case 'umull': case 'alu64': f(i.d); f(i.d2); return;
    case 'call': for (const v of i.results) f(v); return;
    case 'bchk': if (i.base !== undefined) f(i.base); return;
    case 'label': case 'br': case 'brif': case 'brtable': case 'trap':
    case 'trapif': case 'st': case 'stw': case 'ret': case 'fst':
      return;
    case 'fconst': case 'fop': case 'funary': case 'fcvt': case 'fromcore': case 'fld': f(i.d); return;
    case 'tocore': f(i.d); if (i.d2 >= 0) f(i.d2); return;
    default: assertNeverInst(i);
  }
}

/** Instructions without side effects whose only effect is their result (removable when it is unused). */
export function isPure(i: Inst): boolean {
  switch (i.op) {
    case 'movi': case 'mov': case 'alu': case 'alui': case 'alush': case 'alu64': case 'shift': case 'shifti': case 'unary':
    case 'mla': case 'mls': case 'umull': case 'setif': case 'selif': case 'ldw':
    case 'fconst': case 'fop': case 'funary': case 'fcvt': case 'fromcore': case 'tocore':
      return true;
    default: return false;
  }
}

/**
 * Instructions that read exec_env: its own fields (ldw/stw with a negative base), calls, and anything that may trap
 * (the trap path passes exec_env on). An emitter keeps exec_env in one register for a function with many of them.
 */
export function usesExecEnv(i: Inst): boolean {
  switch (i.op) {
    case 'ldw': case 'stw': return i.a < 0;
    case 'call': case 'trap': case 'trapif': case 'bchk': return true;
    default: return false;
  }
}

function assertNeverInst(i: never): never {
  throw new Error(`unknown IR instruction ${JSON.stringify(i)}`);
}

/** Readable listing, for tests and debugging. */
export function formatInst(i: Inst): string {
  const v = (n: number): string => (n < 0 ? 'env' : `v${n}`);
  switch (i.op) {
    case 'movi': return `${v(i.d)} = #${i.imm >>> 0}`;
    case 'mov': return `${v(i.d)} = ${v(i.a)}`;
    case 'alu': return `${v(i.d)} = ${i.kind} ${v(i.a)}, ${v(i.b)}`;
    case 'alui': return `${v(i.d)} = ${i.kind} ${v(i.a)}, #${i.imm >>> 0}`;
    case 'alush': return `${v(i.d)} = ${i.kind} ${v(i.a)}, ${v(i.b)} ${i.shift} #${i.amount}`;
    case 'alu64': return `${v(i.d)}:${v(i.d2)} = ${i.kind}64 ${v(i.a)}:${v(i.ah)}, ${formatSrc(i.b)}:${formatSrc(i.bh)}`;
    case 'shift': return `${v(i.d)} = ${i.kind} ${v(i.a)}, ${v(i.b)}`;
    case 'shifti': return `${v(i.d)} = ${i.kind} ${v(i.a)}, #${i.imm}`;
    case 'unary': return `${v(i.d)} = ${i.kind} ${v(i.a)}`;
    case 'mla': return `${v(i.d)} = ${v(i.a)} * ${v(i.b)} + ${v(i.c)}`;
    case 'mls': return `${v(i.d)} = ${v(i.c)} - ${v(i.a)} * ${v(i.b)}`;
    case 'umull': return `${v(i.d)}, ${v(i.d2)} = umull ${v(i.a)}, ${v(i.b)}`;
    case 'div': return `${v(i.d)} = ${i.signed ? 's' : 'u'}div ${v(i.a)}, ${v(i.b)}`;
    case 'setif': return `${v(i.d)} = (${formatCmp(i.cmp)})`;
    case 'selif': return `${v(i.d)} = (${formatCmp(i.cmp)}) ? ${v(i.a)} : ${v(i.b)}`;
    case 'label': return `L${i.label}:`;
    case 'br': return `b L${i.label}`;
    case 'brif': return `if (${formatCmp(i.cmp)}) b L${i.label}`;
    case 'brtable': return `brtable ${v(i.a)} [${i.labels.map((l) => `L${l}`).join(' ')}]`;
    case 'trap': return `trap ${i.code}`;
    case 'trapif': return `if (${formatCmp(i.cmp)}) trap ${i.code}`;
    case 'bchk': return `bchk ${v(i.a)} + ${i.end}`;
    case 'ld': return `${v(i.d)} = ld${i.kind} [${i.a < 0 ? 'mem' : v(i.a)} + ${i.offset}]`;
    case 'st': return `st${i.kind} [${i.a < 0 ? 'mem' : v(i.a)} + ${i.offset}] = ${v(i.b)}`;
    case 'ldw': return `${v(i.d)} = ldw [${v(i.a)} + ${i.offset}]`;
    case 'stw': return `stw [${v(i.a)} + ${i.offset}] = ${v(i.b)}`;
    case 'call': return `${i.results.map(v).join(', ')}${i.results.length > 0 ? ' = ' : ''}call ${i.target.kind} ${i.target.kind === 'ref' ? v(i.target.desc) : i.target.index} (${i.args.map(v).join(', ')})`;
    case 'ret': return `ret ${i.values.map(v).join(', ')}`;
    case 'fconst': return `${v(i.d)} = #f(${i.hi >>> 0}:${i.lo >>> 0})`;
    case 'fop': return `${v(i.d)} = f${i.kind} ${v(i.a)}, ${v(i.b)}`;
    case 'funary': return `${v(i.d)} = f${i.kind} ${v(i.a)}`;
    case 'fcvt': return `${v(i.d)} = fcvt.${i.kind} ${v(i.a)}`;
    case 'fromcore': return `${v(i.d)} = fromcore ${v(i.a)}${i.b >= 0 ? `:${v(i.b)}` : ''}`;
    case 'tocore': return `${v(i.d)}${i.d2 >= 0 ? `:${v(i.d2)}` : ''} = tocore ${v(i.a)}`;
    case 'fld': return `${v(i.d)} = fld${i.aligned === true ? '.a' : ''} [${i.a < 0 ? 'mem' : v(i.a)} + ${i.offset}]`;
    case 'fst': return `fst${i.aligned === true ? '.a' : ''} [${i.a < 0 ? 'mem' : v(i.a)} + ${i.offset}] = ${v(i.b)}`;
    default: return assertNeverInst(i);
  }
}

/**
 * The IR builder cannot take this function (an operator or a value kind it does not handle for this target, e.g.
 * i64 division without its runtime function): each back end reports it as an UnsupportedError with the
 * function's offset.
 */
export class NotInTier extends Error {
  /**
   * @param reason a stable category (an operator's name, or a short phrase)
   * @param detail where it was met, for the message only
   */
  constructor(readonly reason: string, detail?: string) {
    super(detail === undefined ? reason : `${reason} (${detail})`);
    this.name = 'NotInTier';
  }
}

/** A copy of the instruction with every read vreg passed through `use` and every written one through `def`. */
export function renameInst(i: Inst, use: (v: number) => number, def: (v: number) => number): Inst {
  const s = (x: Src): Src => (isImm(x) ? x : use(x));
  switch (i.op) {
    case 'movi': return { ...i, d: def(i.d) };
    case 'setif': return { ...i, cmp: renameCmp(i.cmp, use), d: def(i.d) };
    case 'selif': return { ...i, cmp: renameCmp(i.cmp, use), a: use(i.a), b: use(i.b), d: def(i.d) };
    case 'brif': case 'trapif': return { ...i, cmp: renameCmp(i.cmp, use) };
    case 'mov': case 'shifti': case 'unary': return { ...i, d: def(i.d), a: use(i.a) };
    case 'alui': return { ...i, d: def(i.d), a: use(i.a) };
    case 'ld': case 'ldw': return { ...i, d: def(i.d), a: i.a >= 0 ? use(i.a) : i.a };
    case 'alu': case 'alush': case 'shift': case 'div': return { ...i, d: def(i.d), a: use(i.a), b: use(i.b) };
    case 'alu64': return { ...i, d: def(i.d), d2: def(i.d2), a: use(i.a), ah: use(i.ah), b: s(i.b), bh: s(i.bh) };
    case 'mla': case 'mls': return { ...i, d: def(i.d), a: use(i.a), b: use(i.b), c: use(i.c) };
    case 'umull': return { ...i, d: def(i.d), d2: def(i.d2), a: use(i.a), b: use(i.b) };
    case 'brtable': return { ...i, a: use(i.a) };
    case 'bchk': return i.base === undefined ? { ...i, a: use(i.a) } : { ...i, a: use(i.a), base: def(i.base) };
    case 'st': case 'stw': return { ...i, a: i.a >= 0 ? use(i.a) : i.a, b: use(i.b) };
    case 'call': return {
      ...i, args: i.args.map(use), results: i.results.map(def),
      target: i.target.kind === 'ref' ? { kind: 'ref', desc: use(i.target.desc) }
        : i.target.kind === 'symbol' ? { ...i.target, fn: use(i.target.fn) } : i.target,
    };
    case 'ret': return { ...i, values: i.values.map(use) };
    case 'label': case 'br': case 'trap': return i;
    case 'fconst': return { ...i, d: def(i.d) };
    case 'funary': case 'fcvt': return { ...i, d: def(i.d), a: use(i.a) };
    case 'fld': return { ...i, d: def(i.d), a: i.a >= 0 ? use(i.a) : i.a };
    case 'fop': return { ...i, d: def(i.d), a: use(i.a), b: use(i.b) };
    case 'fst': return { ...i, a: i.a >= 0 ? use(i.a) : i.a, b: use(i.b) };
    case 'fromcore': return { ...i, d: def(i.d), a: use(i.a), b: i.b >= 0 ? use(i.b) : i.b };
    case 'tocore': return { ...i, d: def(i.d), d2: i.d2 >= 0 ? def(i.d2) : i.d2, a: use(i.a) };
    default: return assertNeverInst(i);
  }
}

/** The vreg an instruction writes if it writes exactly one (else -1). */
export function singleDef(i: Inst): number {
  switch (i.op) {
    case 'movi': case 'mov': case 'alu': case 'alui': case 'alush': case 'shift': case 'shifti': case 'unary':
    case 'mla': case 'mls': case 'div': case 'setif': case 'selif': case 'ld': case 'ldw':
    case 'fconst': case 'fop': case 'funary': case 'fcvt': case 'fromcore': case 'fld':
      return i.d;
    case 'tocore': return i.d2 < 0 ? i.d : -1;
    default:
      return -1;
  }
}

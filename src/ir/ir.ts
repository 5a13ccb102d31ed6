/**
 * The optimizing tier's IR: one function as a linear list of instructions over
 * virtual registers (vregs). A vreg has a register class (IrFunc.vregClass): a 32-bit core word, or on cores
 * with an FPU an f32 (VFP single register) or an f64 (VFP double register, aliasing two singles). 64-bit
 * integers (and floats under soft-float) are legalized into (lo, hi) core vreg pairs when the IR is built, and
 * the register allocator allocates the halves independently. Control flow is explicit: labels, branches on the
 * condition flags, and a table branch. An instruction that reads the flags
 * (`readsFlags`) always directly follows the one that set them.
 *
 * The IR is target-shaped (Thumb-2 ALU operations, flags, conditions) but not
 * register-shaped: instruction selection into machine code happens after
 * register allocation (src/target/thumb2/opt/emit.ts).
 */

export type Cond = 'eq' | 'ne' | 'cs' | 'cc' | 'mi' | 'pl' | 'vs' | 'vc' | 'hi' | 'ls' | 'ge' | 'lt' | 'gt' | 'le';

const INVERSE: Readonly<Record<Cond, Cond>> = {
  eq: 'ne', ne: 'eq', cs: 'cc', cc: 'cs', mi: 'pl', pl: 'mi', vs: 'vc', vc: 'vs', hi: 'ls', ls: 'hi',
  ge: 'lt', lt: 'ge', gt: 'le', le: 'gt',
};

/** The condition that holds exactly when `c` does not. */
export function invertCond(c: Cond): Cond {
  return INVERSE[c];
}

/** Two-operand ALU operations: d = a <op> b. `adc`/`sbc` read the carry. */
export type AluKind = 'add' | 'sub' | 'rsb' | 'and' | 'orr' | 'eor' | 'bic' | 'orn' | 'adc' | 'sbc' | 'mul';
export type ShiftKind = 'lsl' | 'lsr' | 'asr' | 'ror';
export type UnaryKind = 'clz' | 'rbit' | 'sxtb' | 'sxth';
export type LoadKind = 'w' | 'b' | 'sb' | 'h' | 'sh';
export type StoreKind = 'w' | 'b' | 'h';
export type CmpKind = 'cmp' | 'cmn' | 'tst';
/** min/max with Wasm's semantics (a NaN operand gives a NaN; -0 < +0): each target expands them its way */
export type FOp = 'add' | 'sub' | 'mul' | 'div' | 'min' | 'max';
/** ceil/floor/trunc/nearest: rounding to an integral value (nearest: ties to even) */
export type FUnaryKind = 'abs' | 'neg' | 'sqrt' | 'ceil' | 'floor' | 'trunc' | 'nearest';
/**
 * promote f32→f64, demote f64→f32, a core i32 (signed/unsigned) to the destination's float class, or
 * (`tos32`/`tou32`) a float to a core i32, rounding toward zero, for a value already known to be in range
 */
export type FCvtKind = 'promote' | 'demote' | 's32' | 'u32' | 'tos32' | 'tou32';

/** Register classes of vregs: a core word, an f32 in a VFP single register, an f64 in a VFP double register. */
export const CORE = 0;
export const VFP_S = 1;
export const VFP_D = 2;
export type RegClass = typeof CORE | typeof VFP_S | typeof VFP_D;

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
 * the value lives in a VFP vreg: hard-float with an FPU that computes it) one f32/f64 vreg, which the
 * target passes as its float ABI says.
 */
export type WordClass = 'w32' | 'w64' | 'f32' | 'f64';

export type Inst =
  | { readonly op: 'movi'; d: number; readonly imm: number }
  | { readonly op: 'mov'; d: number; readonly a: number }
  | { readonly op: 'alu'; readonly kind: AluKind; d: number; readonly a: number; readonly b: number; readonly setsFlags: boolean }
  /** d = a <op> #imm; the builder only makes these when the immediate is encodable */
  | { readonly op: 'alui'; readonly kind: AluKind; d: number; readonly a: number; readonly imm: number; readonly setsFlags: boolean }
  /** d = a <op> (b <shift> #amount) */
  | { readonly op: 'alush'; readonly kind: AluKind; d: number; readonly a: number; readonly b: number; readonly shift: ShiftKind; readonly amount: number }
  /** d = a <shift> b (b already reduced modulo 32 where Wasm requires it) */
  | { readonly op: 'shift'; readonly kind: ShiftKind; d: number; readonly a: number; readonly b: number }
  | { readonly op: 'shifti'; readonly kind: ShiftKind; d: number; readonly a: number; readonly imm: number }
  | { readonly op: 'unary'; readonly kind: UnaryKind; d: number; readonly a: number }
  /** d = a * b + c */
  | { readonly op: 'mla'; d: number; readonly a: number; readonly b: number; readonly c: number }
  /** d = c - a * b */
  | { readonly op: 'mls'; d: number; readonly a: number; readonly b: number; readonly c: number }
  /** (d, d2) = a * b as 64 bits */
  | { readonly op: 'umull'; d: number; d2: number; readonly a: number; readonly b: number }
  | { readonly op: 'div'; readonly signed: boolean; d: number; readonly a: number; readonly b: number }
  | { readonly op: 'cmp'; readonly kind: CmpKind; readonly a: number; readonly b: number }
  | { readonly op: 'cmpi'; readonly kind: CmpKind; readonly a: number; readonly imm: number }
  /** flags = (a == c) && (b == e) for the eq/ne conditions (i64 equality) */
  | { readonly op: 'cmp64eq'; readonly a: number; readonly b: number; readonly c: number; readonly e: number }
  /** d = cond ? 1 : 0 */
  | { readonly op: 'setcc'; readonly cond: Cond; d: number }
  /** d = cond ? a : b */
  | { readonly op: 'selcc'; readonly cond: Cond; d: number; readonly a: number; readonly b: number }
  | { readonly op: 'label'; readonly label: number }
  | { readonly op: 'br'; readonly label: number }
  | { readonly op: 'brcc'; readonly cond: Cond; readonly label: number }
  /** a in [0, labels.length - 1) jumps to labels[a], anything else to the last label */
  | { readonly op: 'brtable'; readonly a: number; readonly labels: readonly number[] }
  | { readonly op: 'trap'; readonly code: number }
  | { readonly op: 'trapcc'; readonly cond: Cond; readonly code: number }
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
    /** r0 carries an exec_env (the caller's, or the funcref's own for 'ref' targets) */
    readonly env: boolean;
    /** argument words, in order; a w64 class takes two consecutive entries (lo, hi), f32/f64 one VFP vreg */
    readonly args: readonly number[]; readonly argClasses: readonly WordClass[];
    readonly results: readonly number[]; readonly resultClass: WordClass | undefined;
    /** the callee may grow memory 0 (the memory registers are reloaded after it) */
    readonly mayGrowMemory: boolean;
  }
  | { readonly op: 'ret'; readonly values: readonly number[] }
  // ---- VFP values (vregs of class VFP_S / VFP_D; the width follows the class of d, or of a) ----
  /** d = the float with these bits (hi unused for f32) */
  | { readonly op: 'fconst'; d: number; readonly lo: number; readonly hi: number }
  | { readonly op: 'fop'; readonly kind: FOp; d: number; readonly a: number; readonly b: number }
  | { readonly op: 'funary'; readonly kind: FUnaryKind; d: number; readonly a: number }
  /** flags = compare a with b (unordered: C and V set), for the conditions of catalogue.floatCondFor */
  | { readonly op: 'fcmp'; readonly a: number; readonly b: number }
  | { readonly op: 'fcvt'; readonly kind: FCvtKind; d: number; readonly a: number }
  /** VFP d = the bits of core a (f32), or of core a (lo) and b (hi) (f64); b = -1 for f32 */
  | { readonly op: 'fromcore'; d: number; readonly a: number; readonly b: number }
  /** core d = the bits of VFP a (f32), or d = lo and d2 = hi (f64); d2 = -1 for f32 */
  | { readonly op: 'tocore'; d: number; d2: number; readonly a: number }
  /** VFP d = linear memory at a + offset (checked before), as ld (any alignment: the words go through core loads) */
  | { readonly op: 'fld'; d: number; readonly a: number; readonly offset: number }
  | { readonly op: 'fst'; readonly a: number; readonly b: number; readonly offset: number }
  /** d = cond ? a : b (VFP) */
  | { readonly op: 'fsel'; readonly cond: Cond; d: number; readonly a: number; readonly b: number };

export type InstOp = Inst['op'];

/** One function in IR form, ready for register allocation. */
export interface IrFunc {
  readonly insts: Inst[];
  /** per instruction: how many loops enclose it (spill costs weigh uses in loops) */
  readonly depth: number[];
  readonly numVregs: number;
  readonly numLabels: number;
  /** vregs holding the params' words, in AAPCS order (after exec_env) */
  readonly paramVregs: readonly number[];
  readonly paramClasses: readonly WordClass[];
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

/** True for instructions that set the condition flags for the next one. */
export function setsFlags(i: Inst): boolean {
  switch (i.op) {
    case 'cmp': case 'cmpi': case 'cmp64eq': case 'fcmp': return true;
    case 'alu': case 'alui': return i.setsFlags;
    default: return false;
  }
}

export function readsFlags(i: Inst): boolean {
  switch (i.op) {
    case 'setcc': case 'selcc': case 'brcc': case 'trapcc': case 'fsel': return true;
    case 'alu': case 'alui': return i.kind === 'adc' || i.kind === 'sbc';
    default: return false;
  }
}

/** Calls `f` for every vreg the instruction reads. */
export function forEachUse(i: Inst, f: (v: number) => void): void {
  switch (i.op) {
    case 'movi': case 'setcc': case 'label': case 'br': case 'brcc': case 'trap': case 'trapcc': return;
    case 'mov': case 'alui': case 'shifti': case 'unary': case 'cmpi': case 'bchk': case 'brtable':
      f(i.a); return;
    case 'ld': case 'ldw':
      if (i.a >= 0) f(i.a);
      return;
    case 'alu': case 'alush': case 'shift': case 'umull': case 'div': case 'cmp': case 'selcc':
      f(i.a); f(i.b); return;
    case 'st': case 'stw':
      if (i.a >= 0) f(i.a);
      f(i.b);
      return;
    case 'mla': case 'mls': f(i.a); f(i.b); f(i.c); return;
    case 'cmp64eq': f(i.a); f(i.b); f(i.c); f(i.e); return;
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
    case 'fop': case 'fcmp': case 'fsel': f(i.a); f(i.b); return;
    case 'fromcore': f(i.a); if (i.b >= 0) f(i.b); return;
    default: assertNeverInst(i);
  }
}

/** Calls `f` for every vreg the instruction writes. */
export function forEachDef(i: Inst, f: (v: number) => void): void {
  switch (i.op) {
    case 'movi': case 'mov': case 'alu': case 'alui': case 'alush': case 'shift': case 'shifti': case 'unary':
    case 'mla': case 'mls': case 'div': case 'setcc': case 'selcc': case 'ld': case 'ldw':
      f(i.d); return;
    case 'umull': f(i.d); f(i.d2); return;
    case 'call': for (const v of i.results) f(v); return;
    case 'bchk': if (i.base !== undefined) f(i.base); return;
    case 'cmp': case 'cmpi': case 'cmp64eq': case 'label': case 'br': case 'brcc': case 'brtable': case 'trap':
    case 'trapcc': case 'st': case 'stw': case 'ret': case 'fcmp': case 'fst':
      return;
    case 'fconst': case 'fop': case 'funary': case 'fcvt': case 'fromcore': case 'fld': case 'fsel': f(i.d); return;
    case 'tocore': f(i.d); if (i.d2 >= 0) f(i.d2); return;
    default: assertNeverInst(i);
  }
}

/** Instructions without side effects whose only effect is their result (removable when it is unused). */
export function isPure(i: Inst): boolean {
  switch (i.op) {
    case 'movi': case 'mov': case 'alush': case 'shift': case 'shifti': case 'unary': case 'mla': case 'mls':
    case 'umull': case 'setcc': case 'selcc': case 'ldw':
    case 'fconst': case 'fop': case 'funary': case 'fcvt': case 'fromcore': case 'tocore': case 'fsel':
      return true;
    case 'alu': case 'alui': return !i.setsFlags && i.kind !== 'adc' && i.kind !== 'sbc';
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
    case 'alu': return `${v(i.d)} = ${i.kind}${i.setsFlags ? 's' : ''} ${v(i.a)}, ${v(i.b)}`;
    case 'alui': return `${v(i.d)} = ${i.kind}${i.setsFlags ? 's' : ''} ${v(i.a)}, #${i.imm >>> 0}`;
    case 'alush': return `${v(i.d)} = ${i.kind} ${v(i.a)}, ${v(i.b)} ${i.shift} #${i.amount}`;
    case 'shift': return `${v(i.d)} = ${i.kind} ${v(i.a)}, ${v(i.b)}`;
    case 'shifti': return `${v(i.d)} = ${i.kind} ${v(i.a)}, #${i.imm}`;
    case 'unary': return `${v(i.d)} = ${i.kind} ${v(i.a)}`;
    case 'mla': return `${v(i.d)} = ${v(i.a)} * ${v(i.b)} + ${v(i.c)}`;
    case 'mls': return `${v(i.d)} = ${v(i.c)} - ${v(i.a)} * ${v(i.b)}`;
    case 'umull': return `${v(i.d)}, ${v(i.d2)} = umull ${v(i.a)}, ${v(i.b)}`;
    case 'div': return `${v(i.d)} = ${i.signed ? 's' : 'u'}div ${v(i.a)}, ${v(i.b)}`;
    case 'cmp': return `${i.kind} ${v(i.a)}, ${v(i.b)}`;
    case 'cmpi': return `${i.kind} ${v(i.a)}, #${i.imm >>> 0}`;
    case 'cmp64eq': return `cmp64eq ${v(i.a)}:${v(i.b)}, ${v(i.c)}:${v(i.e)}`;
    case 'setcc': return `${v(i.d)} = set${i.cond}`;
    case 'selcc': return `${v(i.d)} = ${i.cond} ? ${v(i.a)} : ${v(i.b)}`;
    case 'label': return `L${i.label}:`;
    case 'br': return `b L${i.label}`;
    case 'brcc': return `b${i.cond} L${i.label}`;
    case 'brtable': return `brtable ${v(i.a)} [${i.labels.map((l) => `L${l}`).join(' ')}]`;
    case 'trap': return `trap ${i.code}`;
    case 'trapcc': return `trap${i.cond} ${i.code}`;
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
    case 'fcmp': return `fcmp ${v(i.a)}, ${v(i.b)}`;
    case 'fcvt': return `${v(i.d)} = fcvt.${i.kind} ${v(i.a)}`;
    case 'fromcore': return `${v(i.d)} = fromcore ${v(i.a)}${i.b >= 0 ? `:${v(i.b)}` : ''}`;
    case 'tocore': return `${v(i.d)}${i.d2 >= 0 ? `:${v(i.d2)}` : ''} = tocore ${v(i.a)}`;
    case 'fld': return `${v(i.d)} = fld [${i.a < 0 ? 'mem' : v(i.a)} + ${i.offset}]`;
    case 'fst': return `fst [${i.a < 0 ? 'mem' : v(i.a)} + ${i.offset}] = ${v(i.b)}`;
    case 'fsel': return `${v(i.d)} = ${i.cond} ? ${v(i.a)} : ${v(i.b)}`;
    default: return assertNeverInst(i);
  }
}

/**
 * The optimizing tier cannot take this function (an operator or a value kind
 * it does not handle): the function is compiled by tier 0 instead. Never
 * reaches the user.
 */
export class NotInTier extends Error {
  /**
   * @param reason a stable category (an operator's name, or a short phrase), counted per module in
   *   `CodegenStats.tier0` and by `npm run bench:fallbacks`
   * @param detail where it was met, for the message only
   */
  constructor(readonly reason: string, detail?: string) {
    super(detail === undefined ? reason : `${reason} (${detail})`);
    this.name = 'NotInTier';
  }
}

/** A copy of the instruction with every read vreg passed through `use` and every written one through `def`. */
export function renameInst(i: Inst, use: (v: number) => number, def: (v: number) => number): Inst {
  switch (i.op) {
    case 'movi': case 'setcc': return { ...i, d: def(i.d) };
    case 'mov': case 'shifti': case 'unary': return { ...i, d: def(i.d), a: use(i.a) };
    case 'alui': return { ...i, d: def(i.d), a: use(i.a) };
    case 'ld': case 'ldw': return { ...i, d: def(i.d), a: i.a >= 0 ? use(i.a) : i.a };
    case 'alu': case 'alush': case 'shift': case 'div': case 'selcc': return { ...i, d: def(i.d), a: use(i.a), b: use(i.b) };
    case 'mla': case 'mls': return { ...i, d: def(i.d), a: use(i.a), b: use(i.b), c: use(i.c) };
    case 'umull': return { ...i, d: def(i.d), d2: def(i.d2), a: use(i.a), b: use(i.b) };
    case 'cmp': return { ...i, a: use(i.a), b: use(i.b) };
    case 'cmpi': case 'brtable': return { ...i, a: use(i.a) };
    case 'bchk': return i.base === undefined ? { ...i, a: use(i.a) } : { ...i, a: use(i.a), base: def(i.base) };
    case 'cmp64eq': return { ...i, a: use(i.a), b: use(i.b), c: use(i.c), e: use(i.e) };
    case 'st': case 'stw': return { ...i, a: i.a >= 0 ? use(i.a) : i.a, b: use(i.b) };
    case 'call': return {
      ...i, args: i.args.map(use), results: i.results.map(def),
      target: i.target.kind === 'ref' ? { kind: 'ref', desc: use(i.target.desc) }
        : i.target.kind === 'symbol' ? { ...i.target, fn: use(i.target.fn) } : i.target,
    };
    case 'ret': return { ...i, values: i.values.map(use) };
    case 'label': case 'br': case 'brcc': case 'trap': case 'trapcc': return i;
    case 'fconst': return { ...i, d: def(i.d) };
    case 'funary': case 'fcvt': return { ...i, d: def(i.d), a: use(i.a) };
    case 'fld': return { ...i, d: def(i.d), a: i.a >= 0 ? use(i.a) : i.a };
    case 'fop': case 'fsel': return { ...i, d: def(i.d), a: use(i.a), b: use(i.b) };
    case 'fcmp': return { ...i, a: use(i.a), b: use(i.b) };
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
    case 'mla': case 'mls': case 'div': case 'setcc': case 'selcc': case 'ld': case 'ldw':
    case 'fconst': case 'fop': case 'funary': case 'fcvt': case 'fromcore': case 'fld': case 'fsel':
      return i.d;
    case 'tocore': return i.d2 < 0 ? i.d : -1;
    default:
      return -1;
  }
}

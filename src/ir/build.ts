/**
 * Wasm function body → IR (ir.ts), in one pass with an abstract operand stack
 * whose entries are words: a vreg or a known constant. Constants fold as they
 * meet, immediates stay immediates where the target can encode them (IrTarget), a
 * comparison stays pending on the stack until something other than a branch or a
 * select consumes it (then it becomes a 0/1 word), `local.get` costs nothing (the entry names the local's
 * vreg until the local is written), and a result that goes straight into a
 * local is computed there. Control flow becomes labels and branches; values
 * that cross a branch move into the target's vregs.
 *
 * The numeric operators are in build-num.ts. Anything the builder does not
 * handle throws NotInTier, which the back end reports as an UnsupportedError.
 */
import { EnvOffset, MemoryOffset, TrapCode } from '../abi.js';
import { InternalError, assertNever } from '../errors.js';
import { BLOCK_EMPTY, OperatorReader, blockTypeValType, type Instr } from '../wasm/operators.js';
import { opcodeName } from '../wasm/opcodes.js';
import { ValType, memoryMinBytes, pageSizeLog2, type FuncType, type Module } from '../wasm/types.js';
import type { CallTarget, Cmp, Inst, IrFunc, RegClass, WordClass } from './ir.js';
import { CORE, NotInTier, FP64, FP32, forEachDef, forEachUse, invertCmp } from './ir.js';
import type { IrTarget } from './target.js';
import { lowerNumeric } from './build-num.js';
import { callFunc, callIndirect, helper } from './build-call.js';
import { lowerRef } from './build-ref.js';
import { globalGet, globalSet } from './build-global.js';

/** What the builder needs to know about the target and the module's compilation. */
export interface BuildTarget {
  /** the instruction set's legal operand forms */
  readonly isa: IrTarget;
  readonly module: Module;
  /** floats live in core registers and go to the runtime */
  readonly softFloat: boolean;
  /** with hard-float: what the FPU computes (f32 only on 'sp'); f32/f64 values then live in float registers */
  readonly fpu: 'none' | 'sp' | 'dp';
  /**
   * with hard-float: the widths for which the FPU rounds to integral values and has IEEE minNum/maxNum
   * (ceil/floor/trunc/nearest and min/max inline); 'none' when they are runtime calls
   */
  readonly fpuRound: 'none' | 'sp' | 'dp';
  /**
   * with hard-float: the float ABI passes an f64 that the FPU does not compute in core words, as an i64 (RISC-V
   * ilp32f), instead of in a double register (AAPCS-VFP on a single-precision FPU)
   */
  readonly f64InCoreWords?: boolean;
  /** symbol index of the runtime function the intrinsic policy names for this operator, if any */
  intrinsic(operator: string): number | undefined;
  /** per opcode: intrinsic()'s answer (-1: none), filled as the builder asks */
  readonly intrinsicCache: Map<number, number>;
  /** no call can grow memory 0 */
  readonly memoryStable: boolean;
  readonly globalOffsets: readonly number[];
  /** per function that ref.func may name: its descriptor's index in the instance's funcref array */
  readonly funcrefIndex: ReadonlyMap<number, number>;
}

/**
 * One 32-bit part of an operand: vreg `v`, or the constant `c` when v < 0.
 * For a vreg, `c` is a proven unsigned upper bound of its value (0xffffffff
 * when nothing is known): an address below the memory's declared minimum
 * needs no bounds check.
 */
export interface Word { readonly v: number; readonly c: number }

export type Opnd =
  | { readonly k: 'w'; readonly t: ValType; readonly w: readonly Word[] }
  /** an i32 0/1 that is still a comparison, not yet evaluated (top of the stack only) */
  | { readonly k: 'f'; readonly t: ValType; readonly cmp: Cmp };

type FrameKind = 'block' | 'loop' | 'if' | 'func';

interface Frame {
  readonly kind: FrameKind;
  readonly height: number;
  readonly results: readonly ValType[];
  /** operands a branch to this frame carries */
  readonly arity: number;
  /** where branches go: the loop head, else the end */
  readonly target: number;
  readonly end: number;
  readonly elseLabel: number;
  /** the vregs a branch to this frame fills (loop params, else results), word by word */
  readonly dest: readonly number[];
  /** the result vregs, word by word (what the frame's end pushes) */
  readonly resultWords: readonly number[];
  /** an `if`'s params, for its else arm */
  readonly ifParams: readonly Opnd[];
  sawElse: boolean;
  endUsed: boolean;
  /** the code after the last operator of this frame is reachable */
  reachable: boolean;
}

export const CONST = (c: number): Word => ({ v: -1, c: c >>> 0 });
export const VREG = (v: number, max = 0xffffffff): Word => ({ v, c: max >>> 0 });

/** The word's unsigned upper bound (a constant is its own). */
export const bound = (w: Word): number => w.c >>> 0;

export function wordsOf(t: ValType): number {
  switch (t) {
    case ValType.I32: case ValType.F32: return 1;
    case ValType.I64: case ValType.F64: return 2;
    // references: one word (docs/abi.md §5)
    case ValType.FuncRef: case ValType.ExternRef: return 1;
    default: return assertNever(t, 'value type');
  }
}

export function classOf(t: ValType): WordClass {
  return wordsOf(t) === 2 ? 'w64' : 'w32';
}

export class IrBuilder {
  readonly insts: Inst[] = [];
  readonly depth: number[] = [];
  private loops = 0;
  readonly stack: Opnd[] = [];
  readonly target: BuildTarget;
  readonly type: FuncType;
  readonly localTypes: ValType[] = [];
  /** per local: its vreg per word */
  readonly localWords: number[][] = [];
  /** per local: its words as operand words, made once (local.get is the most common operator) */
  private readonly localRefs: (readonly Word[])[] = [];
  /** size of the Wasm body: bounds how far apart its code can end up */
  private bodyBytes = 0;
  /** the locals' vregs are the first ones: below this number */
  private localVregLimit = 0;
  private numVregs = 0;
  private numLabels = 0;
  private readonly frames: Frame[] = [];
  /** nesting depth of skipped (unreachable) blocks */
  private skip = 0;
  usesMemory = false;
  hasCalls = false;
  /** per vreg: index of its defining instruction if it is a temp (single definition), else -1 */
  private readonly defAt: number[] = [];
  offset = 0;

  constructor(target: BuildTarget, funcIndex: number) {
    this.target = target;
    const mod = target.module;
    this.type = mod.types[mod.funcTypeIndices[funcIndex]!]!;
    const body = mod.codes[funcIndex - mod.numImportedFuncs]!;
    this.localTypes.push(...this.type.params);
    for (const d of body.locals) for (let i = 0; i < d.count; i++) this.localTypes.push(d.type);
    for (const t of this.localTypes) {
      const ws: number[] = [];
      const cls = this.vclass(t);
      for (let k = 0; k < this.nwords(t); k++) ws.push(this.newVreg(false, cls));
      this.localWords.push(ws);
      this.localRefs.push(ws.map((v) => VREG(v)));
    }
    this.localVregLimit = this.numVregs;
  }

  // ---- building blocks --------------------------------------------------------------

  newVreg(temp = true, cls: RegClass = CORE): number {
    this.defAt.push(temp ? -2 : -1);
    this.classes.push(cls);
    return this.numVregs++;
  }

  /** per vreg: its register class */
  private readonly classes: RegClass[] = [];

  classOfVreg(v: number): RegClass { return this.classes[v]!; }

  /**
   * The call class of a value of type t, as the float ABI passes it: f32/f64 under hard-float (in a float
   * register), else its core words. Under hard-float an f64 the FPU does not compute lives in core words but
   * travels as 'f64': call() and the function's boundary move it between the two (`fromcore`/`tocore`).
   * That is AAPCS-VFP's rule; under RISC-V's ilp32f (BuildTarget.f64InCoreWords) such an f64 travels as its words.
   */
  argClass(t: ValType): WordClass {
    if (this.coreDoubleWords(t)) return 'w64';
    if (!this.target.softFloat && (t === ValType.F32 || t === ValType.F64)) return t === ValType.F32 ? 'f32' : 'f64';
    return classOf(t);
  }

  /** An f64 in core words that the float ABI also passes in core words (hard-float with f64InCoreWords). */
  private coreDoubleWords(t: ValType): boolean {
    return t === ValType.F64 && !this.target.softFloat && this.target.f64InCoreWords === true && this.vclass(t) === CORE;
  }

  /** The class of a value's words where it lives (multi-value result slots hold these). */
  private storageClass(t: ValType): WordClass {
    const c = this.vclass(t);
    return c === FP32 ? 'f32' : c === FP64 ? 'f64' : classOf(t);
  }

  /** An f64 in core words that the float ABI passes in a float register (hard-float on a single-precision FPU). */
  private coreDouble(t: ValType): boolean {
    return t === ValType.F64 && !this.target.softFloat && this.target.f64InCoreWords !== true && this.vclass(t) === CORE;
  }

  /**
   * Where values of type t live: core words, or (hard-float, with an FPU that computes t) one float register.
   * An f64 on a single-precision FPU (M4, M33) lives in core words and goes to the runtime, as under soft-float.
   */
  vclass(t: ValType): RegClass {
    if (this.target.softFloat || (t !== ValType.F32 && t !== ValType.F64)) return CORE;
    if (t === ValType.F32 && this.target.fpu !== 'none') return FP32;
    if (t === ValType.F64) return this.target.fpu === 'dp' ? FP64 : CORE;
    throw new NotInTier('floats the FPU does not compute');
  }

  /** How many words (vregs) a value of type t takes. */
  nwords(t: ValType): number {
    return this.vclass(t) === CORE ? wordsOf(t) : 1;
  }

  /** A float vreg holding a float constant (made once before the innermost loop using it, like reg()). */
  fconst(cls: RegClass, lo: number, hi: number): number {
    const loop = this.loopStack[this.loopStack.length - 1];
    if (loop !== undefined) {
      const key = `${loop.id}:f${cls}:${lo}:${hi}`;
      let v = this.hoisted.get(key);
      if (v === undefined) {
        v = this.newVreg(false, cls);
        this.hoisted.set(key, v);
        this.preheader.push({ at: loop.labelAt, inst: { op: 'fconst', d: v, lo, hi } });
      }
      return v;
    }
    const d = this.newVreg(true, cls);
    this.emit({ op: 'fconst', d, lo, hi });
    return d;
  }

  newLabel(): number {
    return this.numLabels++;
  }

  emit(i: Inst): void {
    const at = this.insts.length;
    if (i.op === 'label') this.checked.clear();
    forEachDef(i, (v) => {
      const d = this.defAt[v]!;
      this.defAt[v] = d === -2 ? at : -1;
      this.checked.delete(v);
    });
    this.insts.push(i);
    this.depth.push(this.loops);
  }

  /**
   * Per vreg, the largest `end` for which `v + end <= memory size` is known on
   * every path here (memory never shrinks): a later access needing no more is
   * not checked again. Forgotten at labels and when the vreg is written.
   */
  private readonly checked = new Map<number, number>();

  /** Bounds check of an access [a, a + end) unless an earlier one already covers it. */
  check(a: number, end: number): void {
    const known = this.checked.get(a);
    if (known !== undefined && known >= end) return;
    this.emit({ op: 'bchk', a, end });
    this.checked.set(a, end);
  }

  /** The runtime function the intrinsic policy names for this operator (looked up once per opcode). */
  intrinsicOf(code: number, name: string): number | undefined {
    let sym = this.target.intrinsicCache.get(code);
    if (sym === undefined) {
      sym = this.target.intrinsic(name) ?? -1;
      this.target.intrinsicCache.set(code, sym);
    }
    return sym < 0 ? undefined : sym;
  }

  /** Bytes memory 0 always has (its declared minimum). */
  minMemoryBytes(): number {
    const mem = this.target.module.memories[0];
    return mem === undefined ? 0 : memoryMinBytes(mem);
  }

  push(o: Opnd): void { this.stack.push(o); }

  pushWords(t: ValType, w: readonly Word[]): void {
    this.stack.push({ k: 'w', t, w });
  }

  pop(): Opnd {
    const o = this.stack.pop();
    if (o === undefined) throw new InternalError('operand stack underflow', this.offset);
    return o;
  }

  /** Pops an operand as words (a pending comparison becomes 0/1). */
  popWords(): readonly Word[] {
    return this.words(this.pop());
  }

  words(o: Opnd): readonly Word[] {
    if (o.k === 'w') return o.w;
    const d = this.newVreg();
    this.emit({ op: 'setif', cmp: o.cmp, d });
    return [VREG(d, 1)];
  }

  /** A vreg holding the word (constants are materialized). */
  reg(w: Word): number {
    if (w.v >= 0) return w.v;
    const loop = this.loopStack[this.loopStack.length - 1];
    if (loop !== undefined) {
      // a constant is made once, before the innermost loop using it
      const key = `${loop.id}:${w.c}`;
      let v = this.hoisted.get(key);
      if (v === undefined) {
        v = this.newVreg(false);
        this.hoisted.set(key, v);
        this.preheader.push({ at: loop.labelAt, inst: { op: 'movi', d: v, imm: w.c } });
      }
      return v;
    }
    const d = this.newVreg();
    this.emit({ op: 'movi', d, imm: w.c });
    return d;
  }

  /**
   * A word of the runtime's structures that never changes during the instance's life (an exec_env
   * field, an imported global's cell address, a table's descriptor, a signature's type id): loaded
   * once, at the function's entry, and kept in a vreg (the allocator spills it if registers are short).
   */
  invariantLoad(base: number, offset: number): number {
    const key = `${base}:${offset}`;
    let v = this.invariants.get(key);
    if (v === undefined) {
      v = this.newVreg(false);
      this.invariants.set(key, v);
      this.entry.push({ op: 'ldw', d: v, a: base, offset });
    }
    return v;
  }

  /** A call to native symbol `index` through its address, loaded once per function. */
  symbolTarget(index: number): CallTarget {
    return { kind: 'symbol', index, fn: this.invariantLoad(this.invariantLoad(-1, EnvOffset.symbols), 4 * index) };
  }

  private readonly invariants = new Map<string, number>();
  private readonly entry: Inst[] = [];

  private readonly loopStack: { id: number; labelAt: number }[] = [];
  private loopIds = 0;
  private readonly hoisted = new Map<string, number>();
  /** instructions to insert before the instruction at `at` (a loop head) once the body is built */
  private readonly preheader: { at: number; inst: Inst }[] = [];

  /**
   * The comparison `v != 0`: a bit test of x & #k when v is an AND with an immediate just computed for this
   * test (and nothing else needs v).
   */
  testNonZero(v: number): Cmp {
    const last = this.insts.length - 1;
    const i = this.insts[last];
    if (i !== undefined && i.op === 'alui' && i.kind === 'and' && i.d === v && this.defAt[v] === last && this.target.isa.testImm(i.imm) &&
        !this.stack.some((o) => o.k === 'w' && o.w.some((x) => x.v === v))) {
      this.insts.pop();
      this.depth.pop();
      this.defAt[v] = -3;
      return { k: 'test', cond: 'ne', a: i.a, b: { imm: i.imm } };
    }
    return { k: 'i32', cond: 'ne', a: v, b: { imm: 0 } };
  }

  /**
   * x's shift left by a constant, when the instruction just emitted computed it for this one use (a temp on
   * nothing else's operand stack): that instruction is taken back, for the caller to fold the shift into an
   * operation's shifted operand (`alush`).
   */
  takeShiftLeft(x: Word): { a: number; amount: number } | undefined {
    const last = this.insts.length - 1;
    const i = this.insts[last];
    if (x.v < 0 || i === undefined || i.op !== 'shifti' || i.kind !== 'lsl' || i.d !== x.v || this.defAt[x.v] !== last) return undefined;
    if (this.stack.some((o) => o.k === 'w' && o.w.some((w) => w.v === x.v))) return undefined;
    this.insts.pop();
    this.depth.pop();
    this.defAt[x.v] = -3;
    return { a: i.a, amount: i.imm };
  }

  /** Code is being built inside a loop (a constant put in a register there is made once, before it). */
  inLoop(): boolean { return this.loopStack.length > 0; }

  unsupported(ins: Instr): never {
    throw new NotInTier(opcodeName(ins.op), `at offset ${ins.offset}`);
  }

  // ---- the whole function ------------------------------------------------------------

  build(funcIndex: number): IrFunc {
    const mod = this.target.module;
    const body = mod.codes[funcIndex - mod.numImportedFuncs]!;
    this.bodyBytes = body.codeEnd - body.codeStart;
    const paramVregs: number[] = [];
    const paramClasses: WordClass[] = [];
    this.type.params.forEach((t, i) => {
      paramClasses.push(this.argClass(t));
      if (!this.coreDouble(t)) { paramVregs.push(...this.localWords[i]!); return; }
      // arrives in a d register: its bits into the local's core words
      const p = this.newVreg(false, FP64);
      paramVregs.push(p);
      this.emit({ op: 'tocore', d: this.localWords[i]![0]!, d2: this.localWords[i]![1]!, a: p });
    });
    if (this.type.results.length > 1) {
      // the caller's result slots (docs/abi.md §2): their address comes after the params
      this.resultSlots = this.newVreg(false);
      paramVregs.push(this.resultSlots);
      paramClasses.push('w32');
    }
    for (let i = this.type.params.length; i < this.localTypes.length; i++) {
      for (const v of this.localWords[i]!) {
        if (this.classes[v] === CORE) this.emit({ op: 'movi', d: v, imm: 0 });
        else this.emit({ op: 'fconst', d: v, lo: 0, hi: 0 });
      }
    }
    const end = this.newLabel();
    this.frames.push({
      kind: 'func', height: 0, results: this.type.results, arity: this.type.results.length, target: end, end, elseLabel: -1,
      dest: [], resultWords: [], ifParams: [], sawElse: false, endUsed: false, reachable: true,
    });
    const rd = new OperatorReader(mod.bytes, body.codeStart, body.codeEnd);
    while (!rd.atEnd()) {
      const ins = rd.read();
      this.offset = ins.offset;
      this.visit(ins);
    }
    if (this.frames.length !== 0) throw new InternalError('function body without its final end', body.codeEnd);
    for (const p of [...this.preheader].sort((x, y) => y.at - x.at)) {
      this.insts.splice(p.at, 0, p.inst);
      this.depth.splice(p.at, 0, Math.max(0, this.depth[p.at]! - 1));
    }
    this.insts.unshift(...this.entry);
    this.depth.unshift(...this.entry.map(() => 0));
    const resultClass = this.type.results.length === 1 ? this.argClass(this.type.results[0]!) : undefined;
    return {
      insts: this.insts, depth: this.depth, numVregs: this.numVregs, numLabels: this.numLabels, paramVregs, paramClasses, resultClass,
      usesMemory: this.usesMemory, hasCalls: this.hasCalls,
      ...(this.classes.some((c) => c !== CORE) ? { vregClass: Uint8Array.from(this.classes) } : {}),
    };
  }

  private top(): Frame {
    const f = this.frames[this.frames.length - 1];
    if (f === undefined) throw new InternalError('operator after the final end', this.offset);
    return f;
  }

  private visit(ins: Instr): void {
    const name = opcodeName(ins.op);
    const f = this.top();
    if (!f.reachable) {
      if (name === 'block' || name === 'loop' || name === 'if') this.skip++;
      else if (name === 'end') { if (this.skip > 0) this.skip--; else this.end(); }
      else if (name === 'else' && this.skip === 0) this.else();
      return;
    }
    // a pending comparison survives only into an operator that branches or selects on it
    const t = this.stack[this.stack.length - 1];
    if (t?.k === 'f' && name !== 'br_if' && name !== 'if' && name !== 'select' && name !== 'i32.eqz') {
      this.stack[this.stack.length - 1] = { k: 'w', t: ValType.I32, w: this.words(this.stack.pop()!) };
    }
    switch (name) {
      case 'nop': return;
      case 'unreachable': this.emit({ op: 'trap', code: TrapCode.Unreachable }); f.reachable = false; return;
      case 'block': case 'loop': case 'if': this.enter(name, ins.blockType); return;
      case 'else': this.else(); return;
      case 'end': this.end(); return;
      case 'br': this.branch(ins.index); f.reachable = false; return;
      case 'br_if': this.brIf(ins.index); return;
      case 'br_table': this.brTable(ins.targets, ins.index); f.reachable = false; return;
      case 'return': this.branch(this.frames.length - 1); f.reachable = false; return;
      case 'drop': this.pop(); return;
      case 'select': case 'select_typed': this.select(); return;
      case 'local.get': {
        const tl = this.localTypes[ins.index]!;
        this.push({ k: 'w', t: tl, w: this.localRefs[ins.index]! });
        return;
      }
      case 'local.set': this.setLocal(ins.index, false); return;
      case 'local.tee': this.setLocal(ins.index, true); return;
      case 'global.get': globalGet(this, ins.index); return;
      case 'global.set': globalSet(this, ins.index); return;
      case 'call': callFunc(this, ins.index); return;
      case 'call_indirect': callIndirect(this, ins.index, ins.index2); return;
      case 'i32.const': this.pushWords(ValType.I32, [CONST(ins.i32)]); return;
      case 'i64.const': {
        const b = BigInt.asUintN(64, ins.i64);
        this.pushWords(ValType.I64, [CONST(Number(b & 0xffffffffn)), CONST(Number(b >> 32n))]);
        return;
      }
      case 'f32.const': {
        const cls = this.vclass(ValType.F32);
        this.pushWords(ValType.F32, [cls === CORE ? CONST(ins.f32Bits) : VREG(this.fconst(cls, ins.f32Bits >>> 0, 0))]);
        return;
      }
      case 'f64.const': {
        const b = BigInt.asUintN(64, ins.f64Bits);
        const cls = this.vclass(ValType.F64);
        if (cls !== CORE) {
          this.pushWords(ValType.F64, [VREG(this.fconst(cls, Number(b & 0xffffffffn), Number(b >> 32n)))]);
          return;
        }
        this.pushWords(ValType.F64, [CONST(Number(b & 0xffffffffn)), CONST(Number(b >> 32n))]);
        return;
      }
      case 'memory.size': {
        this.usesMemory = true;
        const p = this.invariantLoad(-1, EnvOffset.memory);
        const s = this.newVreg();
        this.emit({ op: 'ldw', d: s, a: p, offset: MemoryOffset.size });
        // size in bytes / page size (custom-page-sizes: with 1-byte pages the size is the byte count)
        const shift = pageSizeLog2(this.target.module.memories[0]!);
        if (shift === 0) { this.pushWords(ValType.I32, [VREG(s)]); return; }
        const d = this.newVreg();
        this.emit({ op: 'shifti', kind: 'lsr', d, a: s, imm: shift });
        this.pushWords(ValType.I32, [VREG(d)]);
        return;
      }
      case 'memory.grow': helper(this, 'xw_memory_grow', [], 1, ValType.I32, true); return;
      case 'memory.fill': helper(this, 'xw_memory_fill', [], 3, undefined, false); return;
      case 'memory.copy': helper(this, 'xw_memory_copy', [], 3, undefined, false); return;
      case 'memory.init': helper(this, 'xw_memory_init', [ins.index], 3, undefined, false); return;
      case 'data.drop': helper(this, 'xw_data_drop', [ins.index], 0, undefined, false); return;
      default:
        if (!lowerNumeric(this, ins, name) && !lowerRef(this, ins, name)) this.unsupported(ins);
    }
  }

  // ---- locals and globals ------------------------------------------------------------

  /** Copies every stack entry that still names local `index` (all locals when index < 0) into temps. */
  private detachLocal(index: number, below: number): void {
    // by the words, not by where an entry came from: an operator may pass a local's word through
    // (f64.copysign keeps the low word, x + 0 is x, i64.extend_i32_u keeps the i32)
    const named = (x: Word): boolean => x.v >= 0 && x.v < this.localVregLimit && (index < 0 || this.localWords[index]!.includes(x.v));
    for (let d = 0; d < below; d++) {
      const o = this.stack[d]!;
      if (o.k !== 'w' || !o.w.some(named)) continue;
      const w = o.w.map((x) => {
        if (!named(x)) return x;
        const v = this.newVreg(true, this.classes[x.v]);
        this.emit({ op: 'mov', d: v, a: x.v });
        return VREG(v, x.c);
      });
      this.stack[d] = { k: 'w', t: o.t, w };
    }
  }


  private setLocal(index: number, tee: boolean): void {
    const o = this.pop();
    this.detachLocal(index, this.stack.length);
    const dst = this.localWords[index]!;
    if (o.k === 'f') {
      this.emit({ op: 'setif', cmp: o.cmp, d: dst[0]! });
    } else if (o.w !== this.localRefs[index]) {
      // (an operand that is this local as local.get/tee left it needs no assignment)
      o.w.forEach((w, k) => this.assign(dst[k]!, w, dst));
    }
    if (tee) this.push({ k: 'w', t: this.localTypes[index]!, w: this.localRefs[index]! });
  }

  /**
   * dst = w. A temp computed by a recent instruction is computed into dst
   * instead when nothing since reads or writes any of `group` (the local's words).
   */
  private assign(dst: number, w: Word, group: readonly number[]): void {
    if (w.v < 0) { this.emit({ op: 'movi', d: dst, imm: w.c }); return; }
    const at = this.defAt[w.v]!;
    if (at >= 0 && this.insts.length - at <= 8) {
      let clash = false;
      const hit = (v: number): void => { if (group.includes(v)) clash = true; };
      for (let i = at + 1; i < this.insts.length && !clash; i++) {
        const x = this.insts[i]!;
        // a branch between would leave with the local already written
        if (x.op === 'label' || x.op === 'br' || x.op === 'brif' || x.op === 'brtable') clash = true;
        forEachUse(x, hit);
        forEachDef(x, hit);
        forEachUse(x, (v) => { if (v === w.v) clash = true; });
      }
      const def = this.insts[at]!;
      if (!clash && def.op === 'alu64') {
        // the high half is written last: it may always become the group member
        if (def.d2 === w.v) { def.d2 = dst; this.defAt[w.v] = -3; return; }
        // the low half is written before the high inputs are read
        if (group.includes(def.ah) || (typeof def.bh === 'number' && group.includes(def.bh))) clash = true;
      }
      // umull writes both halves at once: only its low half may be renamed into a group member
      if (!clash && (def.op === 'umull' || def.op === 'tocore')) {
        forEachUse(def, hit);
        if (def.d2 === w.v) clash = true;
      }
      if (!clash && 'd' in def && def.d === w.v) {
        def.d = dst;
        this.defAt[w.v] = -3;
        return;
      }
    }
    this.emit({ op: 'mov', d: dst, a: w.v });
  }

  // ---- control -----------------------------------------------------------------------

  private blockType(bt: number): { params: readonly ValType[]; results: readonly ValType[] } {
    if (bt === BLOCK_EMPTY) return { params: [], results: [] };
    if (bt < 0) return { params: [], results: [blockTypeValType(bt)] };
    return this.target.module.types[bt]!;
  }

  private freshWords(types: readonly ValType[]): number[] {
    const out: number[] = [];
    for (const t of types) for (let k = 0; k < this.nwords(t); k++) out.push(this.newVreg(false, this.vclass(t)));
    return out;
  }

  private enter(kind: 'block' | 'loop' | 'if', bt: number): void {
    const { params, results } = this.blockType(bt);
    let cond: Cmp | undefined;
    if (kind === 'if') {
      const c = this.pop();
      if (c.k === 'f') cond = c.cmp;
      else cond = this.testNonZero(this.reg(this.words(c)[0]!));
    }
    // entries below the block must not change under it when the block writes a local
    this.detachLocal(-1, this.stack.length);
    const height = this.stack.length - params.length;
    const end = this.newLabel();
    const resultWords = this.freshWords(results);
    if (kind === 'loop') {
      const dest = this.freshWords(params);
      const vals = this.stack.splice(height, params.length);
      this.moveWords(dest, vals);
      let k = 0;
      for (const t of params) {
        const n = this.nwords(t);
        this.pushWords(t, dest.slice(k, k + n).map((v) => VREG(v)));
        k += n;
      }
      const head = this.newLabel();
      this.loops++;
      this.loopStack.push({ id: this.loopIds++, labelAt: this.insts.length });
      this.emit({ op: 'label', label: head });
      this.frames.push({
        kind, height, results, arity: params.length, target: head, end, elseLabel: -1, dest, resultWords, ifParams: [],
        sawElse: false, endUsed: false, reachable: true,
      });
      return;
    }
    let elseLabel = -1;
    if (kind === 'if') {
      elseLabel = this.newLabel();
      this.emit({ op: 'brif', cmp: invertCmp(cond!), label: elseLabel });
    }
    this.frames.push({
      kind, height, results, arity: results.length, target: end, end, elseLabel, dest: resultWords, resultWords,
      ifParams: kind === 'if' ? this.stack.slice(height) : [], sawElse: false, endUsed: false, reachable: true,
    });
  }

  private else(): void {
    const f = this.top();
    if (f.reachable) {
      this.moveWords(f.resultWords, this.stack.splice(f.height));
      this.emit({ op: 'br', label: f.end });
      f.endUsed = true;
    }
    this.stack.length = f.height;
    this.emit({ op: 'label', label: f.elseLabel });
    this.stack.push(...f.ifParams);
    f.sawElse = true;
    f.reachable = true;
  }

  private end(): void {
    const f = this.top();
    if (f.kind === 'func') {
      if (f.reachable) this.ret(this.stack.splice(f.height));
      this.frames.pop();
      return;
    }
    if (f.kind === 'loop') { this.loops--; this.loopStack.pop(); }
    let reachable = f.reachable;
    if (f.reachable) this.moveWords(f.resultWords, this.stack.splice(f.height));
    if (f.kind === 'if' && !f.sawElse) {
      // the missing else arm passes the params through as the results
      if (f.reachable) this.emit({ op: 'br', label: f.end });
      this.emit({ op: 'label', label: f.elseLabel });
      this.moveWords(f.resultWords, [...f.ifParams]);
      reachable = true;
    }
    this.emit({ op: 'label', label: f.end });
    this.frames.pop();
    this.stack.length = f.height;
    let k = 0;
    for (const t of f.results) {
      const n = this.nwords(t);
      this.pushWords(t, f.resultWords.slice(k, k + n).map((v) => VREG(v)));
      k += n;
    }
    this.top().reachable = reachable || f.endUsed;
  }

  /** dst[i] = the words of vals, as a parallel assignment. */
  moveWords(dst: readonly number[], vals: readonly Opnd[]): void {
    const src: Word[] = [];
    for (const o of vals) src.push(...this.words(o));
    if (src.length !== dst.length) throw new InternalError(`branch carries ${src.length} words into ${dst.length}`, this.offset);
    // a source that is also a destination is read before any destination is written
    const safe = src.map((w) => {
      if (w.v < 0 || !dst.includes(w.v)) return w;
      const t = this.newVreg(true, this.classes[w.v]);
      this.emit({ op: 'mov', d: t, a: w.v });
      return VREG(t);
    });
    safe.forEach((w, i) => {
      if (w.v === dst[i]) return;
      if (w.v < 0) this.emit({ op: 'movi', d: dst[i]!, imm: w.c });
      else this.emit({ op: 'mov', d: dst[i]!, a: w.v });
    });
  }

  private ret(vals: readonly Opnd[]): void {
    const words: number[] = [];
    for (const o of vals) for (const w of this.words(o)) words.push(this.reg(w));
    if (this.resultSlots < 0) {
      const t = this.type.results[0];
      if (t !== undefined && this.coreDouble(t)) {
        const d = this.newVreg(true, FP64);
        this.emit({ op: 'fromcore', d, a: words[0]!, b: words[1]! });
        this.emit({ op: 'ret', values: [d] });
        return;
      }
      this.emit({ op: 'ret', values: words });
      return;
    }
    // two or more results: each into its 8-byte slot (a float vreg's bits through core words), nothing in registers
    let k = 0;
    this.type.results.forEach((t, n) => {
      let regs = words.slice(k, k + this.nwords(t));
      k += regs.length;
      if (this.vclass(t) !== CORE) {
        const lo = this.newVreg();
        const hi = wordsOf(t) === 2 ? this.newVreg() : -1;
        this.emit({ op: 'tocore', d: lo, d2: hi, a: regs[0]! });
        regs = hi >= 0 ? [lo, hi] : [lo];
      }
      regs.forEach((v, w) => this.emit({ op: 'stw', a: this.resultSlots, b: v, offset: 8 * n + 4 * w }));
    });
    this.emit({ op: 'ret', values: [] });
  }

  /** with two or more results: the param vreg holding the address of the caller's result slots, else -1 */
  private resultSlots = -1;

  /** Moves the branch values (without popping) and jumps to frame `depth`. */
  private branch(depth: number): void {
    const f = this.frames[this.frames.length - 1 - depth]!;
    if (f.kind === 'func') {
      this.ret(this.stack.slice(this.stack.length - f.results.length));
      return;
    }
    const n = f.arity;
    this.moveWords(f.dest, this.stack.slice(this.stack.length - n));
    if (f.kind !== 'loop') f.endUsed = true;
    this.emit({ op: 'br', label: f.target });
  }

  private carries(f: Frame): boolean {
    return f.kind === 'func' ? f.results.length > 0 : f.dest.length > 0;
  }

  private brIf(depth: number): void {
    const c = this.pop();
    const f = this.frames[this.frames.length - 1 - depth]!;
    let cond: Cmp;
    if (c.k === 'f') cond = c.cmp;
    else {
      const w = this.words(c)[0]!;
      if (w.v < 0) {
        if (w.c !== 0) { this.branch(depth); this.top().reachable = false; }
        return;
      }
      cond = this.testNonZero(w.v);
    }
    if (!this.carries(f) && f.kind !== 'func') {
      if (f.kind !== 'loop') f.endUsed = true;
      this.emit({ op: 'brif', cmp: cond, label: f.target });
      return;
    }
    const skip = this.newLabel();
    this.emit({ op: 'brif', cmp: invertCmp(cond), label: skip });
    this.branch(depth);
    this.emit({ op: 'label', label: skip });
  }

  private brTable(targets: readonly number[], dflt: number): void {
    const idx = this.reg(this.popWords()[0]!);
    const stubs = new Map<number, number>();
    const labels = [...targets, dflt].map((d) => {
      let l = stubs.get(d);
      if (l === undefined) {
        const f = this.frames[this.frames.length - 1 - d]!;
        // a block's end that takes no values is reached straight from the table where the target's table
        // reaches it (block ends are forward)
        if ((f.kind === 'block' || f.kind === 'if') && f.dest.length === 0 && this.target.isa.brtableDirect(this.bodyBytes)) {
          f.endUsed = true;
          l = f.target;
        } else {
          l = this.newLabel();
        }
        stubs.set(d, l);
      }
      return l;
    });
    this.emit({ op: 'brtable', a: idx, labels });
    for (const [depth, label] of stubs) {
      const f = this.frames[this.frames.length - 1 - depth]!;
      if (label === f.target && f.kind !== 'loop' && f.kind !== 'func') continue;
      this.emit({ op: 'label', label });
      this.branch(depth);
    }
  }


  private select(): void {
    const c = this.pop();
    const b = this.pop();
    const a = this.pop();
    if (a.k !== 'w' || b.k !== 'w') throw new InternalError('select on a pending comparison', this.offset);
    if (c.k === 'w' && c.w[0]!.v < 0) { this.push(c.w[0]!.c !== 0 ? a : b); return; }
    let cond: Cmp;
    let ra: number[];
    let rb: number[];
    if (c.k === 'f') {
      cond = c.cmp;
      ra = a.w.map((w) => this.reg(w));
      rb = b.w.map((w) => this.reg(w));
    } else {
      ra = a.w.map((w) => this.reg(w));
      rb = b.w.map((w) => this.reg(w));
      cond = this.testNonZero(c.w[0]!.v);
    }
    const out = ra.map((x, k) => {
      const d = this.newVreg(true, this.classes[x]!);
      this.emit({ op: 'selif', cmp: cond, d, a: x, b: rb[k]! });
      return VREG(d);
    });
    this.pushWords(a.t, out);
  }

  /** Emits a call and pushes its results (none, one, or several: those come back through memory). */
  call(target: CallTarget, env: boolean, args: number[], argClasses: WordClass[], results: readonly ValType[], mayGrowMemory: boolean): void {
    this.hasCalls = true;
    // an 'f64' argument still in core words (lo, hi) goes into a float register first
    const passed: number[] = [];
    let k = 0;
    for (const c of argClasses) {
      const v = args[k]!;
      if (c === 'w64') { passed.push(v, args[k + 1]!); k += 2; continue; }
      if (c === 'f64' && this.classes[v] === CORE) {
        const d = this.newVreg(true, FP64);
        this.emit({ op: 'fromcore', d, a: v, b: args[k + 1]! });
        passed.push(d);
        k += 2;
        continue;
      }
      passed.push(v);
      k++;
    }
    const back = results.length === 1 && this.coreDouble(results[0]!);
    const words: number[][] = results.map((t) => {
      const ws: number[] = [];
      if (back) ws.push(this.newVreg(true, FP64));
      else for (let n = 0; n < this.nwords(t); n++) ws.push(this.newVreg(true, this.vclass(t)));
      return ws;
    });
    const single = results.length === 1 ? this.argClass(results[0]!) : undefined;
    this.emit({
      op: 'call', target, env, args: passed, argClasses, results: words.flat(), resultClass: single, mayGrowMemory,
      ...(results.length > 1 ? { multi: results.map((t) => this.storageClass(t)) } : {}),
    });
    if (back) {
      // a single f64 result in d0, wanted in core words
      const lo = this.newVreg(), hi = this.newVreg();
      this.emit({ op: 'tocore', d: lo, d2: hi, a: words[0]![0]! });
      this.pushWords(results[0]!, [VREG(lo), VREG(hi)]);
      return;
    }
    results.forEach((t, n) => this.pushWords(t, words[n]!.map((v) => VREG(v))));
  }

}


/** Builds the IR of defined function `funcIndex`, or throws UnsupportedError. */
export function buildIr(target: BuildTarget, funcIndex: number): IrFunc {
  return new IrBuilder(target, funcIndex).build(funcIndex);
}

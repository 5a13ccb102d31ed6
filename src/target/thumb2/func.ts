/**
 * Tier 0: a single pass over one validated function body (Winch/Liftoff
 * style): the frame, the value protocol (where each operand-stack value lives
 * and how operators take and give values), calls' and traps' plumbing.
 * Control flow is in control.ts, the locals' register plan in locals.ts, the
 * operators in lower*.ts; docs/compiler.md has the overview.
 *
 * Frame (sp-relative after the prologue, growing up):
 *   [0, 8)                  saved results pointer (functions with 2+ results)
 *   [8, 8 + 8*L)            params and locals, 8 bytes each
 *   [8 + 8*L, +8*H)         home slots of the operand stack (H = max height)
 *   then the padding that keeps sp 8-aligned, then, with --enable-dump-call-stack, the frame record (frames.ts),
 *   then the float locals' d registers and {r4-r11, lr} pushed by the prologue.
 * Outgoing stack arguments are pushed below sp around each call (Masm.spAdjust).
 */
import { InternalError, UnsupportedError, assertNever } from '../../errors.js';
import type { CompileOptions } from '../../xip/options.js';
import { OperatorReader, type Instr } from '../../wasm/operators.js';
import { Op, opcodeName } from '../../wasm/opcodes.js';
import { ValType, memoryMinBytes, type FuncType, type Module } from '../../wasm/types.js';
import { ValueStack, type StackVal } from '../../ir/valuestack.js';
import { EnvOffset, LEAF_FRAME_LIMIT, MemoryOffset, Pinned, TrapCode, argClass, wasmCallSig, type ArgLoc, type FloatAbi } from './abi.js';
import { Masm, type Cond, type Label } from './masm.js';
import type { DReg, Reg, SReg } from './regs.js';
import { lowerOperator } from './lower.js';
import { planLocals, type LocalPlan } from './locals.js';
import { visitUnreachable } from './control.js';
import { FRAME_RECORD_SIZE, pushFrameRecord, unlinkFrameRecord } from './frames.js';

const r = (n: number): Reg => n as Reg;

/** What every function of a module shares while it is compiled. */
export interface ModuleContext {
  readonly module: Module;
  readonly options: CompileOptions;
  readonly floatAbi: FloatAbi;
  /** code label of every function in the index space (import thunks for imports) */
  readonly funcLabels: readonly Label[];
  /** per defined global: its offset in the globals area */
  readonly globalOffsets: readonly number[];
  /** function index → descriptor number k (ref.func) */
  readonly funcrefIndex: ReadonlyMap<number, number>;
  /** native symbols the text calls */
  readonly symbolsUsed: Set<number>;
  /** memory 0's size cannot change during a call (see memoryStableAcrossCalls) */
  readonly memoryStable: boolean;
}

export type CtrlKind = 'block' | 'loop' | 'if' | 'else' | 'func';

export interface Ctrl {
  readonly kind: CtrlKind;
  readonly params: readonly ValType[];
  readonly results: readonly ValType[];
  /** operand-stack height below the block's params */
  readonly height: number;
  /** branch target: the loop head for loops, else the end */
  readonly label: Label;
  /** for `if`: where the condition jumps when false */
  readonly elseLabel: Label | undefined;
  /** some branch targets the end label */
  endUsed: boolean;
  /** the `if` had its `else` */
  sawElse: boolean;
  /** the block's entry was reachable (dead blocks are only tracked for nesting) */
  readonly live: boolean;
  /** the block's one 32-bit result travels in the accumulator rather than a slot (no params, not a loop) */
  readonly accResult: boolean;
}

/** The registers a value occupies while an operator works on it. */
export type RegSet =
  | { readonly kind: 'w32'; readonly r: number }
  | { readonly kind: 'w64'; readonly lo: number; readonly hi: number }
  | { readonly kind: 's'; readonly s: number }
  | { readonly kind: 'd'; readonly d: number };

export const SAVED_REGS_BYTES = 36; // r4-r11, lr
/**
 * The operators that take a 'tmp' top entry straight from its scratch
 * register, and which register: r1 for the b operand of i32 comparisons and
 * add/sub/mul/and/or/xor/shifts (they read it before writing r1), r3 for the
 * address of a load (the bounds check uses r0, r1, r12 and lr).
 */
const TMP_CONSUMERS: ReadonlyMap<number, number> = new Map([
  ...[0x46, 0x47, 0x48, 0x49, 0x4a, 0x4b, 0x4c, 0x4d, 0x4e, 0x4f, 0x6a, 0x6b, 0x6c, 0x71, 0x72, 0x73, 0x74, 0x75, 0x76]
    .map((op): [number, number] => [op, 1]),
  ...Array.from({ length: 0x35 - 0x28 + 1 }, (_, i): [number, number] => [0x28 + i, 3]),
]);
/** The float accumulator: d15, or its low half s30 for f32 (callee-saved in AAPCS-VFP). */
const VACC_D = 15;
const VACC_S = 30;

export class FuncCompiler {
  readonly m: Masm;
  readonly ctx: ModuleContext;
  readonly funcIndex: number;
  readonly type: FuncType;
  readonly localTypes: ValType[];
  readonly stack = new ValueStack();
  readonly ctrls: Ctrl[] = [];
  reachable = true;
  private readonly trapLabels = new Map<TrapCode, Label>();
  private vaccDepth = -1;
  /** minMemoryBytes(), once known (-1 before) */
  private minMemory = -1;
  /** the body's operator reader, for a one-operator look-ahead */
  private reader: OperatorReader | undefined;
  /** offset of the operator being compiled, for error messages */
  opOffset = 0;
  /** what the body does and where its locals live (locals.ts) */
  private readonly plan: LocalPlan;
  readonly localReg: readonly (number | undefined)[];
  readonly localPair: readonly ({ lo: number; hi: number } | undefined)[];
  readonly localVReg: readonly (number | undefined)[];

  constructor(m: Masm, ctx: ModuleContext, funcIndex: number) {
    this.m = m;
    this.ctx = ctx;
    this.funcIndex = funcIndex;
    const mod = ctx.module;
    this.type = mod.types[mod.funcTypeIndices[funcIndex]!]!;
    const body = mod.codes[funcIndex - mod.numImportedFuncs]!;
    this.localTypes = [...this.type.params];
    for (const d of body.locals) for (let i = 0; i < d.count; i++) this.localTypes.push(d.type);
    this.plan = planLocals(mod, funcIndex, this.localTypes, this.floatAbi, this.hasDoubleFpu());
    this.localReg = this.plan.localReg;
    this.localPair = this.plan.localPair;
    this.localVReg = this.plan.localVReg;
  }

  private get maxHeight(): number { return this.plan.maxHeight; }
  private get accessesMemory(): boolean { return this.plan.accessesMemory; }
  private get callsWasm(): boolean { return this.plan.callsWasm; }
  private get usesFloatAcc(): boolean { return this.plan.usesFloatAcc; }
  private get vfpSaved(): number { return this.plan.vfpSaved; }

  private hasDoubleFpu(): boolean {
    return this.floatAbi === 'hard' && this.ctx.options.cpu !== 'cortex-m4' && this.ctx.options.cpu !== 'cortex-m33';
  }

  /** Bytes the prologue pushes: r4-r11 and lr, then the float locals' d registers, then the frame record. */
  savedBytes(): number {
    return SAVED_REGS_BYTES + 8 * this.vfpSaved + (this.ctx.options.dumpCallStack ? FRAME_RECORD_SIZE : 0);
  }

  /** A frame word free for an operator's own use ([sp+4]; [sp+0] holds the results pointer). */
  scratchWordOffset(): number {
    return 4;
  }

  get floatAbi(): FloatAbi {
    return this.ctx.floatAbi;
  }

  // ---- frame layout --------------------------------------------------------

  localOffset(i: number): number {
    return 8 + 8 * i;
  }

  slotOffset(depth: number): number {
    return 8 + 8 * this.localTypes.length + 8 * depth;
  }

  frameSize(): number {
    // sp is 8-aligned before the 36-byte push, so frame + 36 must be a multiple of 8
    const raw = this.slotOffset(this.maxHeight);
    return ((raw + this.savedBytes() + 7) & ~7) - this.savedBytes();
  }

  // ---- the whole function ---------------------------------------------------

  compile(): void {
    const mod = this.ctx.module;
    const body = mod.codes[this.funcIndex - mod.numImportedFuncs]!;
    const m = this.m;
    m.bind(this.ctx.funcLabels[this.funcIndex]!);
    this.prologue();
    const end = m.newLabel();
    this.ctrls.push({
      kind: 'func', params: [], results: this.type.results, height: 0, label: end, elseLabel: undefined,
      endUsed: false, sawElse: false, live: true, accResult: false,
    });
    const rd = new OperatorReader(mod.bytes, body.codeStart, body.codeEnd);
    this.reader = rd;
    while (!rd.atEnd()) {
      const ins = rd.read();
      this.opOffset = ins.offset;
      if (this.ctrls.length === 0) throw new InternalError('operators after the final end', ins.offset);
      this.visit(ins);
      // between operators nothing is live in flags or IT state: a safe place for a literal-pool island
      m.maybeIsland();
    }
    if (this.ctrls.length !== 0) throw new InternalError('function body without its final end', body.codeEnd);
    this.emitSlowChecks();
    this.emitTrapStubs();
    if (this.stack.maxHeight > this.maxHeight) {
      throw new InternalError(`operand stack reached ${this.stack.maxHeight}, above the validated ${this.maxHeight}`);
    }
    m.flushIsland();
  }

  private prologue(): void {
    const m = this.m;
    const sig = wasmCallSig(this.type.params, this.type.results, this.floatAbi);
    m.pushCalleeSaved();
    if (this.vfpSaved > 0) m.vpushD(8, this.vfpSaved);
    m.mov(Pinned.env, 0);
    // before the stack check, so that a function that overflows the stack is on the call stack it reports
    if (this.ctx.options.dumpCallStack) pushFrameRecord(m, Pinned.env, this.funcIndex);
    // the limit leaves a reserve below it for the trap path, so the check can follow the allocation
    m.subSp(this.frameSize());
    m.spAdjust = 0;
    // a leaf with a small frame fits in the reserve the runtime keeps below the limit (docs/abi.md §8)
    if (this.callsWasm || this.frameSize() + this.savedBytes() > LEAF_FRAME_LIMIT) {
      m.load('w', 12, Pinned.env, EnvOffset.stackLimit);
      m.cmp(13, 12);
      m.bcond('cc', this.trapLabel(TrapCode.StackExhausted));
    }
    if (this.accessesMemory) {
      this.reloadMemSize();
      m.load('w', Pinned.memBase, Pinned.env, EnvOffset.memBase);
    }
    // params: from their AAPCS locations to their registers or local slots
    for (let i = 0; i < this.type.params.length; i++) {
      const home = this.localReg[i];
      const vhome = this.localVReg[i];
      const loc = sig.layout.args[i + 1]!;
      if (vhome !== undefined) {
        if (loc.kind === 's') m.vmovS(vhome, loc.reg);
        else if (loc.kind === 'd') m.vmovD(vhome, loc.reg);
        else {
          this.storeIncoming(loc, this.localOffset(i));
          m.vload(this.localTypes[i] === ValType.F32 ? 's' : 'd', vhome, 13, this.localOffset(i));
        }
      } else if (this.localPair[i] !== undefined) {
        const p = this.localPair[i]!;
        if (loc.kind === 'gpr2') {
          m.mov(p.lo, loc.lo);
          m.mov(p.hi, loc.lo + 1);
        } else {
          this.storeIncoming(loc, this.localOffset(i));
          m.loadPair(p.lo, p.hi, 13, this.localOffset(i));
        }
      } else if (home === undefined) this.storeIncoming(loc, this.localOffset(i));
      else if (loc.kind === 'gpr') m.mov(home, loc.reg);
      else if (loc.kind === 's') m.vmovFromS(home, loc.reg);
      else {
        this.storeIncoming(loc, this.localOffset(i));
        m.load('w', home, 13, this.localOffset(i));
      }
    }
    if (sig.resultsPtrArg >= 0) this.storeIncoming(sig.layout.args[sig.resultsPtrArg]!, 0);
    // declared locals start at zero
    const first = this.type.params.length;
    for (let i = first; i < this.localTypes.length; i++) {
      const home = this.localReg[i];
      if (home !== undefined) m.mov32(home, 0);
      const pair = this.localPair[i];
      if (pair !== undefined) { m.mov32(pair.lo, 0); m.mov32(pair.hi, 0); }
    }
    let zeroInR0 = false;
    for (let i = first; i < this.localTypes.length; i++) {
      const vhome = this.localVReg[i];
      if (vhome === undefined) continue;
      if (!zeroInR0) m.mov32(0, 0);
      zeroInR0 = true;
      if (this.localTypes[i] === ValType.F32) m.vmovToS(vhome, 0);
      else m.vmovToD(vhome, 0, 0);
    }
    const count = this.localTypes.length - first;
    const inFrame = this.localTypes.filter((_, i) => i >= first && !this.inRegister(i)).length;
    if (inFrame > 0) {
      m.mov32(0, 0);
      m.mov32(1, 0);
      if (inFrame <= 8) {
        for (let i = first; i < this.localTypes.length; i++) {
          if (!this.inRegister(i)) m.storePair(0, 1, 13, this.localOffset(i));
        }
      } else {
        // a loop keeps big frames from costing 4 bytes of code per local
        m.addImm(2, 13, this.localOffset(first));
        m.mov32(3, count);
        const loop = m.newLabel();
        m.bind(loop);
        m.storePairPostInc(0, 1, 2);
        m.subsImm(3, 3, 1);
        m.bcond('ne', loop);
      }
    }
  }

  private storeIncoming(loc: ArgLoc, dst: number): void {
    const m = this.m;
    switch (loc.kind) {
      case 'gpr': m.store('w', loc.reg, 13, dst); break;
      case 'gpr2': m.storePair(loc.lo, loc.lo + 1, 13, dst); break;
      case 's': m.vstore('s', loc.reg, 13, dst); break;
      case 'd': m.vstore('d', loc.reg, 13, dst); break;
      case 'stack': {
        // the caller's outgoing area: above our frame and the saved registers
        const incoming = this.frameSize() + this.savedBytes() + loc.offset;
        m.load('w', 0, 13, incoming);
        m.store('w', 0, 13, dst);
        if (loc.size === 8) {
          m.load('w', 0, 13, incoming + 4);
          m.store('w', 0, 13, dst + 4);
        }
        break;
      }
      default: assertNever(loc, 'argument location');
    }
  }


  /** Epilogue: results to their return locations, frame popped, return. */
  /** Returns the function's results, taken from the top of the operand stack: results to their places, frame popped. */
  emitReturn(): void {
    const m = this.m;
    const results = this.type.results;
    const base = this.stack.height - results.length;
    if (results.length === 1) {
      const t = results[0]!;
      this.loadInto(this.stack.at(base), base, this.returnRegs(t));
    } else if (results.length > 1) {
      // r3, not r12: loading a value from a far frame slot may need r12 as the address scratch
      m.load('w', 3, 13, 0);
      for (let i = 0; i < results.length; i++) {
        this.copyToMem(this.stack.at(base + i), base + i, 3, 8 * i);
      }
    }
    // the frame record sits right above the frame: popped with it
    const record = this.ctx.options.dumpCallStack ? FRAME_RECORD_SIZE : 0;
    if (record > 0) unlinkFrameRecord(m, Pinned.env, this.frameSize());
    m.spAdjust = this.frameSize() + record;
    m.addSp(this.frameSize() + record);
    if (this.vfpSaved > 0) m.vpopD(8, this.vfpSaved);
    m.popCalleeSavedAndReturn();
  }

  returnRegs(t: ValType): RegSet {
    switch (argClass(t, this.floatAbi)) {
      case 'w32': return { kind: 'w32', r: 0 };
      case 'w64': return { kind: 'w64', lo: 0, hi: 1 };
      case 'f32': return { kind: 's', s: 0 };
      case 'f64': return { kind: 'd', d: 0 };
    }
  }

  // ---- values -------------------------------------------------------------------

  /** Loads a stack value (at `depth`) into registers. */
  loadInto(v: StackVal, depth: number, regs: RegSet): void {
    const m = this.m;
    if (v.kind === 'const') {
      const lo = typeof v.bits === 'bigint' ? Number(BigInt.asUintN(32, v.bits)) : v.bits >>> 0;
      const hi = typeof v.bits === 'bigint' ? Number(BigInt.asUintN(32, v.bits >> 32n)) : 0;
      if (this.fromConstantTable(v.type)) {
        // constop: the function's constant table is its PC-relative literal pool
        switch (regs.kind) {
          case 'w32': m.a.ldrConst(r(regs.r), lo); return;
          case 'w64': m.a.ldrConst(r(regs.lo), lo); m.a.ldrConst(r(regs.hi), hi); return;
          case 's': m.a.vldrConstS(regs.s as SReg, lo); return;
          case 'd': m.a.vldrConstD(regs.d as DReg, (BigInt(hi) << 32n) | BigInt(lo)); return;
          default: assertNever(regs, 'registers');
        }
      }
      switch (regs.kind) {
        case 'w32': m.mov32(regs.r, lo); return;
        case 'w64': m.mov32(regs.lo, lo); m.mov32(regs.hi, hi); return;
        case 's': m.vmovImm32(regs.s, lo); return;
        case 'd': m.vmovImm64(regs.d, lo, hi); return;
        default: assertNever(regs, 'registers');
      }
    }
    if (v.kind === 'tmp') {
      if (regs.kind === 'w32') m.mov(regs.r, v.reg);
      else if (regs.kind === 's') m.vmovToS(regs.s, v.reg);
      else throw new InternalError('a 64-bit value in the scratch register');
      return;
    }
    if (v.kind === 'vreg') {
      switch (regs.kind) {
        case 's': m.vmovS(regs.s, VACC_S); return;
        case 'd': m.vmovD(regs.d, VACC_D); return;
        case 'w32': m.vmovFromS(regs.r, VACC_S); return;
        case 'w64': m.vmovFromD(regs.lo, regs.hi, VACC_D); return;
        default: assertNever(regs, 'registers');
      }
    }
    if (v.kind === 'cond') {
      if (regs.kind !== 'w32') throw new InternalError('a comparison result outside a core register');
      m.setCond(regs.r, v.cond as Cond);
      return;
    }
    if (v.kind === 'reg') {
      switch (regs.kind) {
        case 'w32': m.mov(regs.r, Pinned.acc); return;
        case 's': m.vmovToS(regs.s, Pinned.acc); return;
        default: throw new InternalError('a 64-bit value in the accumulator');
      }
    }
    if (v.kind === 'local') {
      const home = this.localReg[v.index];
      if (home !== undefined) {
        switch (regs.kind) {
          case 'w32': m.mov(regs.r, home); return;
          case 's': m.vmovToS(regs.s, home); return;
          default: throw new InternalError('a 64-bit value in a 32-bit local register');
        }
      }
      const pair = this.localPair[v.index];
      if (pair !== undefined) {
        if (regs.kind === 'w64') {
          m.mov(regs.lo, pair.lo);
          m.mov(regs.hi, pair.hi);
          return;
        }
        if (regs.kind === 'd') {
          m.vmovToD(regs.d, pair.lo, pair.hi);
          return;
        }
        throw new InternalError('a 32-bit value from a 64-bit local pair');
      }
      const vhome = this.localVReg[v.index];
      if (vhome !== undefined) {
        switch (regs.kind) {
          case 's': m.vmovS(regs.s, vhome); return;
          case 'd': m.vmovD(regs.d, vhome); return;
          case 'w32': m.vmovFromS(regs.r, vhome); return;
          case 'w64': m.vmovFromD(regs.lo, regs.hi, vhome); return;
          default: assertNever(regs, 'registers');
        }
      }
    }
    const off = v.kind === 'local' ? this.localOffset(v.index) : this.slotOffset(depth);
    this.loadFromFrame(off, regs);
  }

  private fromConstantTable(t: ValType): boolean {
    const ct = this.ctx.options.intrinsics.constantTable;
    switch (t) {
      case ValType.I32: return ct.has('i32');
      case ValType.I64: return ct.has('i64');
      case ValType.F32: return ct.has('f32');
      case ValType.F64: return ct.has('f64');
      default: return false;
    }
  }

  loadFromFrame(off: number, regs: RegSet): void {
    const m = this.m;
    switch (regs.kind) {
      case 'w32': m.load('w', regs.r, 13, off); return;
      case 'w64': m.loadPair(regs.lo, regs.hi, 13, off); return;
      case 's': m.vload('s', regs.s, 13, off); return;
      case 'd': m.vload('d', regs.d, 13, off); return;
      default: assertNever(regs, 'registers');
    }
  }

  storeToFrame(off: number, regs: RegSet): void {
    const m = this.m;
    switch (regs.kind) {
      case 'w32': m.store('w', regs.r, 13, off); return;
      case 'w64': m.storePair(regs.lo, regs.hi, 13, off); return;
      case 's': m.vstore('s', regs.s, 13, off); return;
      case 'd': m.vstore('d', regs.d, 13, off); return;
      default: assertNever(regs, 'registers');
    }
  }

  /** Copies a value into memory at [base + off] (8-byte slot semantics). */
  copyToMem(v: StackVal, depth: number, base: number, off: number): void {
    const words = is64(v.type) ? 2 : 1;
    const regs: RegSet = words === 2 ? { kind: 'w64', lo: 0, hi: 1 } : { kind: 'w32', r: 0 };
    this.loadInto(v, depth, regs);
    if (words === 2) this.m.storePair(0, 1, base, off);
    else this.m.store('w', 0, base, off);
  }

  /** Pops the top value into registers. */
  pop(regs: RegSet): StackVal {
    const v = this.stack.pop();
    this.loadInto(v, this.stack.height, regs);
    return v;
  }

  /** Pushes a result that is in registers: 32-bit core values go to the accumulator, others to their home slot. */
  pushRegs(t: ValType, regs: RegSet): void {
    if (regs.kind === 'w32' && regs.r !== 12) {
      const acc = this.claimAcc();
      this.m.mov(acc, regs.r);
      this.pushAcc(t);
      return;
    }
    this.storeToFrame(this.slotOffset(this.stack.height), regs);
    this.stack.pushSlot(t);
  }

  /** Makes the value at `depth` live in its home slot. */
  materialize(depth: number): void {
    const v = this.stack.at(depth);
    if (v.kind === 'slot') return;
    if (v.kind === 'cond') throw new InternalError('a pending comparison below the top of the stack');
    if (v.kind === 'tmp') {
      this.m.store('w', v.reg, 13, this.slotOffset(depth));
      this.stack.replace(depth, v.max === undefined ? { kind: 'slot', type: v.type } : { kind: 'slot', type: v.type, max: v.max });
      return;
    }
    if (v.kind === 'vreg') {
      // by size: a reinterpret may have retyped the entry
      if (is64(v.type)) this.m.vstore('d', VACC_D, 13, this.slotOffset(depth));
      else this.m.vstore('s', VACC_S, 13, this.slotOffset(depth));
      this.stack.replace(depth, { kind: 'slot', type: v.type });
      return;
    }
    if (v.kind === 'local' && this.inRegister(v.index)) {
      // straight from the local's register: r0-r3 may hold an operator's operands here
      const core = this.localReg[v.index];
      const pair = this.localPair[v.index];
      const off = this.slotOffset(depth);
      if (core !== undefined) this.m.store('w', core, 13, off);
      else if (pair !== undefined) this.m.storePair(pair.lo, pair.hi, 13, off);
      // by the local's own type: a reinterpret may have retyped the latent entry
      else this.m.vstore(this.localTypes[v.index] === ValType.F32 ? 's' : 'd', this.localVReg[v.index]!, 13, off);
      this.stack.replace(depth, { kind: 'slot', type: v.type });
      return;
    }
    if (v.kind === 'reg') {
      this.m.store('w', Pinned.acc, 13, this.slotOffset(depth));
      this.stack.replace(depth, v.max === undefined ? { kind: 'slot', type: v.type } : { kind: 'slot', type: v.type, max: v.max });
      return;
    }
    const regs: RegSet = is64(v.type) ? { kind: 'w64', lo: 0, hi: 1 } : { kind: 'w32', r: 0 };
    this.loadInto(v, depth, regs);
    this.storeToFrame(this.slotOffset(depth), regs);
    this.stack.replace(depth, { kind: 'slot', type: v.type });
  }

  flushAll(): void {
    for (let d = 0; d < this.stack.height; d++) this.materialize(d);
  }

  flushTop(n: number): void {
    for (let d = this.stack.height - n; d < this.stack.height; d++) this.materialize(d);
  }

  // ---- control --------------------------------------------------------------------

  trapLabel(code: TrapCode): Label {
    let l = this.trapLabels.get(code);
    if (l === undefined) {
      l = this.m.newLabel();
      this.trapLabels.set(code, l);
    }
    return l;
  }

  /**
   * addr + end <= memory->size in 33 bits, else trap; then back to the access.
   * Each site only computes addr + end; one shared tail per function does the
   * rest and returns with BX LR (lr is saved by the prologue, so it is free).
   */
  private emitSlowChecks(): void {
    if (this.slowChecks.length === 0) return;
    const m = this.m;
    const tail = m.newLabel();
    for (const c of this.slowChecks) {
      m.bind(c.label);
      m.aluImm('add', 1, c.addr, c.end, 'set');
      m.bl(tail);
      m.b(c.resume);
    }
    m.bind(tail);
    m.bcond('cs', this.trapLabel(TrapCode.MemoryOutOfBounds));
    m.load('w', 12, Pinned.env, EnvOffset.memory);
    m.load('w', 12, 12, MemoryOffset.size);
    m.cmp(1, 12);
    m.bcond('hi', this.trapLabel(TrapCode.MemoryOutOfBounds));
    m.bx(14);
  }

  private emitTrapStubs(): void {
    if (this.trapLabels.size === 0) return;
    const m = this.m;
    const common = m.newLabel();
    for (const [code, label] of this.trapLabels) {
      m.bind(label);
      m.mov32(1, code);
      m.b(common);
    }
    m.bind(common);
    m.mov(0, Pinned.env);
    this.callSymbol(0 /* xw_trap */);
  }

  /** Calls native symbol `index` (AAPCS args already in place); clobbers r12. */
  callSymbol(index: number): void {
    this.ctx.symbolsUsed.add(index);
    const m = this.m;
    m.load('w', 12, Pinned.env, EnvOffset.symbols);
    m.load('w', 12, 12, 4 * index);
    m.blx(12);
  }

  /** memory 0's check_limit into its pinned register */
  reloadMemSize(): void {
    this.m.load('w', Pinned.memCheckLimit, Pinned.env, EnvOffset.memory);
    this.m.load('w', Pinned.memCheckLimit, Pinned.memCheckLimit, MemoryOffset.checkLimit);
  }

  /** Exact bounds checks for the accesses whose fast check failed, emitted after the body. */
  readonly slowChecks: { label: Label; resume: Label; addr: number; end: number }[] = [];

  /** After any call: the callee may have grown memory (the base never moves). */
  afterCall(): void {
    if (this.accessesMemory && !this.ctx.memoryStable) this.reloadMemSize();
  }

  // ---- the accumulator ----------------------------------------------------------------

  private accDepth = -1;

  /** Frees the accumulator for a new result: spills the entry that holds it, if any is still on the stack. */
  claimAcc(): number {
    const d = this.accDepth;
    const v = d >= 0 && d < this.stack.height ? this.stack.at(d) : undefined;
    if (v?.kind === 'reg') {
      this.m.store('w', Pinned.acc, 13, this.slotOffset(d));
      this.stack.replace(d, v.max === undefined ? { kind: 'slot', type: v.type } : { kind: 'slot', type: v.type, max: v.max });
    }
    this.accDepth = -1;
    return Pinned.acc;
  }

  /**
   * Where a 32-bit result should be computed: straight into a local's register
   * when the next operator is `local.set`/`local.tee` of that local (the result
   * is then the latent local itself, and the set is free), else the
   * accumulator. Only for results written by one instruction after all operands
   * are read. Finish with pushResult.
   */
  claimResult(): number {
    const local = this.nextLocalSet('core');
    if (local !== undefined) {
      for (const d of this.stack.latentLocalDepths(local)) this.materialize(d);
      this.resultLocal = local;
      return this.localReg[local]!;
    }
    this.resultLocal = -1;
    // the accumulator holds a live value and the next operator consumes this one at once: a scratch register
    // spares the spill
    const d = this.accDepth;
    const tmp = this.nextConsumerReg();
    if (tmp !== undefined && d >= 0 && d < this.stack.height && this.stack.at(d).kind === 'reg') {
      this.resultTmp = tmp;
      return tmp;
    }
    return this.claimAcc();
  }

  private resultTmp = -1;

  /** The scratch register in which the next operator takes its top operand, if it is a 'tmp' consumer. */
  private nextConsumerReg(): number | undefined {
    const rd = this.reader;
    const b = rd === undefined ? undefined : this.ctx.module.bytes[rd.pos];
    return b === undefined || b >= 0xfc ? undefined : TMP_CONSUMERS.get(b);
  }

  private resultLocal = -1;

  /** The local lives in a register (core, pair or VFP). */
  inRegister(i: number): boolean {
    return this.localReg[i] !== undefined || this.localPair[i] !== undefined || this.localVReg[i] !== undefined;
  }

  /** claimResult for a 64-bit core value: a local's pair, else r0:r1 (finish with pushResult64). */
  claimResult64(): { lo: number; hi: number } {
    const local = this.nextLocalSet('pair');
    if (local !== undefined) {
      for (const d of this.stack.latentLocalDepths(local)) this.materialize(d);
      this.resultLocal = local;
      return this.localPair[local]!;
    }
    this.resultLocal = -1;
    return { lo: 0, hi: 1 };
  }

  pushResult64(t: ValType): void {
    if (this.resultLocal >= 0) {
      this.stack.push({ kind: 'local', type: t, index: this.resultLocal });
      this.resultLocal = -1;
    } else {
      this.pushRegs(t, { kind: 'w64', lo: 0, hi: 1 });
    }
  }

  /** Pops a 64-bit core value: a local's pair as it is, else loaded into `scratch`. */
  popPair(scratch: { lo: number; hi: number }): { lo: number; hi: number } {
    const v = this.stack.pop();
    if (v.kind === 'local' && this.localPair[v.index] !== undefined) return this.localPair[v.index]!;
    this.loadInto(v, this.stack.height, { kind: 'w64', lo: scratch.lo, hi: scratch.hi });
    return scratch;
  }

  pushResult(t: ValType, max?: number): void {
    if (this.resultTmp >= 0) {
      const reg = this.resultTmp;
      this.resultTmp = -1;
      this.stack.push(max === undefined || max >= 0xffffffff ? { kind: 'tmp', type: t, reg } : { kind: 'tmp', type: t, reg, max });
      return;
    }
    if (this.resultLocal >= 0) {
      this.stack.push({ kind: 'local', type: t, index: this.resultLocal });
      this.resultLocal = -1;
    } else {
      this.pushAcc(t, max);
    }
  }

  /**
   * Where a float result should be computed: the VFP register of the local the
   * next operator sets, else s0/d0. Finish with pushVResult.
   */
  claimVResult(t: ValType): number {
    const local = this.nextLocalSet('vfp');
    if (local !== undefined && this.localTypes[local] === t) {
      for (const d of this.stack.latentLocalDepths(local)) this.materialize(d);
      this.resultLocal = local;
      return this.localVReg[local]!;
    }
    this.resultLocal = -1;
    if (!this.usesFloatAcc) return 0;
    const d = this.vaccDepth;
    const v = d >= 0 && d < this.stack.height ? this.stack.at(d) : undefined;
    if (v?.kind === 'vreg') this.materialize(d);
    this.vaccDepth = -1;
    return t === ValType.F32 ? VACC_S : VACC_D;
  }

  pushVResult(t: ValType): void {
    if (this.resultLocal >= 0) {
      this.stack.push({ kind: 'local', type: t, index: this.resultLocal });
      this.resultLocal = -1;
    } else if (this.usesFloatAcc) {
      this.vaccDepth = this.stack.height;
      this.stack.push({ kind: 'vreg', type: t });
    } else {
      this.pushRegs(t, t === ValType.F32 ? { kind: 's', s: 0 } : { kind: 'd', d: 0 });
    }
  }

  /** Pops a float into a VFP register: a local's own register as it is, else `scratch` (s(2i) / d(i)) loaded. */
  popV(t: ValType, i: number): number {
    const v = this.stack.pop();
    if (v.kind === 'local' && this.localVReg[v.index] !== undefined) return this.localVReg[v.index]!;
    if (v.kind === 'vreg' && v.type === t) return t === ValType.F32 ? VACC_S : VACC_D;
    const regs: RegSet = t === ValType.F32 ? { kind: 's', s: 2 * i } : { kind: 'd', d: i };
    this.loadInto(v, this.stack.height, regs);
    return regs.kind === 's' ? regs.s : (regs as { d: number }).d;
  }

  /** The local the next operator sets (local.set/tee), if it lives in a register of that kind. */
  private nextLocalSet(kind: 'core' | 'pair' | 'vfp'): number | undefined {
    const rd = this.reader;
    if (rd === undefined) return undefined;
    const bytes = this.ctx.module.bytes;
    let p = rd.pos;
    const op = bytes[p];
    if (op !== Op.LocalSet && op !== Op.LocalTee) return undefined;
    let index = 0;
    let shift = 0;
    for (;;) {
      const b = bytes[++p];
      if (b === undefined || shift > 28) return undefined;
      index |= (b & 0x7f) << shift;
      if ((b & 0x80) === 0) break;
      shift += 7;
    }
    index >>>= 0;
    const regs: readonly unknown[] = kind === 'vfp' ? this.localVReg : kind === 'pair' ? this.localPair : this.localReg;
    return index < this.localTypes.length && regs[index] !== undefined ? index : undefined;
  }

  /** Pushes the 32-bit result the caller computed into the accumulator (after claimAcc). */
  pushAcc(t: ValType, max?: number): void {
    this.accDepth = this.stack.height;
    this.stack.push(max === undefined || max >= 0xffffffff ? { kind: 'reg', type: t } : { kind: 'reg', type: t, max });
  }

  /** Bytes memory 0 has at least (its declared minimum; it never shrinks). */
  minMemoryBytes(): number {
    // asked at every memory access: computed once per function
    if (this.minMemory < 0) {
      const mem = this.ctx.module.memories[0];
      this.minMemory = mem === undefined ? 0 : memoryMinBytes(mem);
    }
    return this.minMemory;
  }

  /** A proven unsigned upper bound of a 32-bit stack value (0xffffffff when nothing is known). */
  static boundOf(v: StackVal): number {
    switch (v.kind) {
      case 'const': return typeof v.bits === 'number' ? v.bits >>> 0 : 0xffffffff;
      case 'cond': return 1;
      case 'reg': case 'slot': case 'tmp': return v.max ?? 0xffffffff;
      case 'local': case 'vreg': return 0xffffffff;
      default: return assertNever(v, 'stack value');
    }
  }

  /** popReg, plus the value's bound. */
  popRegBounded(scratch: number): { r: number; max: number } {
    const max = FuncCompiler.boundOf(this.stack.peek());
    return { r: this.popReg(scratch), max };
  }

  /**
   * Pops a 32-bit value and returns a core register that holds it: the
   * accumulator or a local's register as they are, else `scratch` loaded.
   */
  popReg(scratch: number): number {
    const v = this.stack.pop();
    if (v.kind === 'reg') return Pinned.acc;
    if (v.kind === 'tmp') return v.reg;
    if (v.kind === 'local') {
      const home = this.localReg[v.index];
      if (home !== undefined) return home;
    }
    this.loadInto(v, this.stack.height, { kind: 'w32', r: scratch });
    return scratch;
  }

  /** The top value's bits if it is a 64-bit constant (not popped). */
  topConst64(): bigint | undefined {
    const v = this.stack.peek();
    return v.kind === 'const' && typeof v.bits === 'bigint' ? v.bits : undefined;
  }

  /** The top value as an immediate if it is a constant (not popped). */
  topConst32(): number | undefined {
    const v = this.stack.peek();
    return v.kind === 'const' && typeof v.bits === 'number' ? v.bits : undefined;
  }

  // ---- dispatch ------------------------------------------------------------------------

  private visit(ins: Instr): void {
    if (!this.reachable) {
      visitUnreachable(this, ins);
      return;
    }
    // a value in the scratch register survives only into the binary operator it was made for
    if (this.stack.height > 0) {
      const top = this.stack.peek();
      if (top.kind === 'tmp' && TMP_CONSUMERS.get(ins.op) !== top.reg) this.materialize(this.stack.height - 1);
    }
    // a comparison left in the flags survives only into an operator that branches or inverts on it
    if (this.stack.height > 0 && this.stack.peek().kind === 'cond' &&
        ins.op !== Op.BrIf && ins.op !== Op.If && ins.op !== 0x45 /* i32.eqz */ &&
        !(ins.op === Op.Select && argClass(this.stack.peek(1).type, this.floatAbi) === 'w32')) {
      this.materializeCond();
    }
    lowerOperator(this, ins);
  }

  /** Pushes an i32 comparison result that is in the flags (the next operator decides where it goes). */
  pushCond(cond: Cond): void {
    this.stack.push({ kind: 'cond', type: ValType.I32, cond });
  }

  /** Turns a pending comparison on top of the stack into 0/1 in the accumulator. */
  materializeCond(): void {
    const v = this.stack.pop();
    if (v.kind !== 'cond') throw new InternalError('no pending comparison');
    const acc = this.claimAcc(); // a spill is a plain store: the flags survive it
    this.m.setCond(acc, v.cond as Cond);
    this.pushAcc(ValType.I32);
  }

  unsupported(ins: Instr): never {
    throw new UnsupportedError(`operator ${opcodeName(ins.op)} is not supported by the Thumb-2 back end yet`, ins.offset);
  }
}

export function is64(t: ValType): boolean {
  return t === ValType.I64 || t === ValType.F64;
}

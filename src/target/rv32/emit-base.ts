/**
 * The RV32 emitter's foundation (docs/riscv.md, "Emission"): the IrTarget answers for RV32, the register
 * configuration handed to the allocator, and the state every instruction uses: where each vreg lives (a register,
 * a frame slot, a constant), the scratch registers t0-t3, exec_env's place, the trap stubs, and the plain
 * instructions with their compressed forms. emit.ts selects instructions on top of it.
 */
import { InternalError, UnsupportedError } from '../../errors.js';
import type { ICond, Inst, IrFunc, LoadKind, Src, StoreKind, WordClass } from '../../ir/ir.js';
import { CORE, FP32, classOfVreg, isImm, usesExecEnv } from '../../ir/ir.js';
import type { IrTarget } from '../../ir/target.js';
import { allocate, type Allocation, type RegConfig } from '../../ir/regalloc.js';
import type { Module } from '../../wasm/types.js';
import { helperIndex } from '../../xip/catalogue.js';
import type { Label } from '../buffer.js';
import { tryC } from './compress.js';
import * as E from './enc/index.js';
import { SImm12, Shamt } from './imm.js';
import { layoutRv32Frame, type Rv32Frame, type Rv32Masm } from './macro.js';
import { loadFPlace, loadPlace, rv32Layout, rv32ResultPlaces, type Place, type Rv32CallLayout } from './moves.js';
import { A0, A1, SP, T0, ZERO, freg, xreg, type BranchCond, type FReg, type XReg } from './regs.js';

export const fits12 = (v: number): boolean => v >= -2048 && v <= 2047;

/** The RV32 answers to the IR builder's legality questions; `m`: the core has the M extension. */
export function rv32IrTarget(m: boolean): IrTarget {
  return {
    aluImm: (kind, v) => {
      const x = v | 0;
      switch (kind) {
        case 'add': case 'and': case 'or': case 'xor': return fits12(x);
        case 'sub': return fits12(-x);
        case 'rsub': return x === 0;
        case 'mul': return false;
      }
    },
    shiftedOperand: () => false,
    // branches compare two registers; zero is x0
    cmpImm: (v) => (v | 0) === 0,
    testImm: (v) => fits12(v | 0),
    // the eqz form (#0, #0) is always taken; other halves come in registers
    pairImm: () => false,
    // sign extension is two shifts; clz and rbit need Zbb, which no core here has
    unary: (kind) => kind === 'sxtb' || kind === 'sxth',
    hwDiv: m,
    longMultiply: m,
    mulAdd: false,
    // the jump table's entries are jal (±1 MiB)
    brtableDirect: (bodyBytes) => bodyBytes <= 65536,
    // loads and stores take a 12-bit signed offset
    memOffset: (_kind, v) => v >= 0 && v <= 2047,
    shiftsWrap: true,
  };
}

/** What every function of the module shares while it is compiled. */
export interface Rv32Context {
  readonly module: Module;
  readonly funcLabels: readonly Label[];
  /** native symbols the code calls */
  readonly symbolsUsed: Set<number>;
  /** calls between the module's functions through exec_env->func_ptrs (--enable-indirect-mode) */
  readonly callsViaTable: boolean;
  /** direct calls as auipc + jalr (the text may pass jal's ±1 MiB) */
  readonly farCalls: boolean;
  /** the core has M (mul, mulhu, div) */
  readonly hasM: boolean;
  /** ilp32f: f32 values in F registers (the IR is built with FP32 vregs) */
  readonly hardFloat: boolean;
  /** --enable-dump-call-stack: every function links a frame record into exec_env->frames (docs/abi.md §11) */
  readonly frameRecords: boolean;
}

export const MEMBASE = xreg(26);
export const LIMIT = xreg(27);
const SCRATCH: readonly XReg[] = [xreg(5), xreg(6), xreg(7), xreg(28)];
export const SCRATCH_MASK = SCRATCH.reduce((m, r) => m | (1 << r), 0);
export const T2 = xreg(7), T3 = xreg(28);
const CALLER_SAVED = [10, 11, 12, 13, 14, 15, 16, 17, 29, 30, 31];
/**
 * ilp32f: F registers for FP32 vregs. ft0-ft9 and fa0-fa7 are caller-saved, fs0-fs11 callee-saved (the prologue
 * saves those it uses); ft10 and ft11 are the F scratch registers (spilled operands; ft11 also parks a cycle of
 * the parallel moves, moves.ts F_PARK).
 */
const F_CALLER_SAVED = [0, 1, 2, 3, 4, 5, 6, 7, 10, 11, 12, 13, 14, 15, 16, 17, 28, 29];
const F_CALLEE_SAVED = [8, 9, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27];
const F_SCRATCH: readonly FReg[] = [freg(30), freg(31)];
export const F_SCRATCH_MASK = F_SCRATCH.reduce((m, r) => m | (1 << r), 0);
/** t6: the far frame addresses' register in functions with frames beyond 2 KiB */
const FAR_TEMP = 31;
/** A backward branch further than this (less the few instructions of a compare) takes a jal (B-type: 4 KiB). */
const FAR_BACK = 3800;

const LOAD: Readonly<Record<LoadKind, E.LoadKind>> = { w: 'lw', b: 'lbu', sb: 'lb', h: 'lhu', sh: 'lh' };
const STORE: Readonly<Record<StoreKind, E.StoreKind>> = { w: 'sw', b: 'sb', h: 'sh' };
/** An IR integer condition as a branch on (x, y), or on (y, x) when `swap`. */
export const BRANCH: Readonly<Record<ICond, readonly [BranchCond, boolean]>> = {
  eq: ['eq', false], ne: ['ne', false], lt_s: ['lt', false], ge_s: ['ge', false], gt_s: ['lt', true], le_s: ['ge', true],
  lt_u: ['ltu', false], ge_u: ['geu', false], gt_u: ['ltu', true], le_u: ['geu', true],
};
export const BRANCH64: Readonly<Record<ICond, Parameters<Rv32Masm['branch64']>[0]>> = {
  eq: 'eq', ne: 'ne', lt_s: 'lt', ge_s: 'ge', gt_s: 'gt', le_s: 'le', lt_u: 'ltu', ge_u: 'geu', gt_u: 'gtu', le_u: 'leu',
};

export function unsupported(what: string): never {
  throw new UnsupportedError(`RV32: ${what}`, -1);
}

export const simm = (v: number): SImm12 => {
  const i = SImm12.tryFrom(v);
  if (i === undefined) throw new InternalError(`${v} is not a 12-bit immediate`);
  return i;
};

/** Register allocation, places, scratch registers and plain instructions of one function. */
export abstract class Rv32EmitterBase {
  protected readonly alloc: Allocation;
  protected readonly insts: readonly Inst[];
  protected readonly labels: Label[] = [];
  protected readonly frame: Rv32Frame;
  /** bytes of outgoing stack arguments at the bottom of the frame (spill slots above) */
  protected readonly outArea: number;
  protected free = SCRATCH_MASK;
  protected freeF = F_SCRATCH_MASK;
  /** the frame passes 12-bit offsets: t6 is kept out of allocation for far frame addresses */
  protected readonly far: boolean = false;

  /** `f` has been through the IR passes (optimizeIr); the allocation happens here. */
  constructor(protected readonly m: Rv32Masm, protected readonly ctx: Rv32Context, protected readonly f: IrFunc) {
    if (f.vregClass !== undefined && f.vregClass.some((c) => c !== CORE && (c !== FP32 || !ctx.hardFloat))) {
      throw new InternalError('RV32: a float vreg the float ABI does not have');
    }
    const callee = f.usesMemory ? [8, 9, 18, 19, 20, 21, 22, 23, 24, 25] : [8, 9, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27];
    const fp = ctx.hardFloat ? { callerSaved: F_CALLER_SAVED, calleeSaved: F_CALLEE_SAVED, pairedDoubles: false } : undefined;
    // with frame records every return unlinks one through exec_env, which then needs a place
    const wholeUse = ctx.frameRecords ? (i: Inst): boolean => usesExecEnv(i) || i.op === 'ret' : usesExecEnv;
    const config = (callerSaved: readonly number[]): RegConfig => ({
      callerSaved, calleeSaved: callee, fixedHint: hints, wholeUse, ...(fp === undefined ? {} : { fp }),
    });
    let alloc = allocate(f, config(CALLER_SAVED));
    // a frame beyond 12-bit offsets: again without t6, which then forms the far frame addresses (macro.ts farTemp)
    const incoming = rv32Layout(['w32', ...f.paramClasses]).stackBytes;
    if (this.frameOf(alloc, callee).size + incoming > 2040) {
      alloc = allocate(f, config(CALLER_SAVED.filter((x) => x !== FAR_TEMP)));
      this.far = true;
    }
    this.alloc = alloc;
    this.insts = this.alloc.insts;
    this.frame = this.frameOf(this.alloc, callee);
    this.outArea = outArea(this.insts);
    for (let i = 0; i < f.numLabels; i++) this.labels.push(m.a.buf.getLabel());
  }

  private frameOf(alloc: Allocation, callee: readonly number[]): Rv32Frame {
    const saved = callee.filter((x) => (alloc.usedRegs & (1 << x)) !== 0).map(xreg);
    if (this.f.usesMemory) saved.push(MEMBASE, LIMIT);
    const savedF = F_CALLEE_SAVED.filter((x) => (alloc.usedVfp & (1 << x)) !== 0).map(freg);
    return layoutRv32Frame({
      saved, savedF, ra: this.f.hasCalls, locals: outArea(alloc.insts) + 4 * alloc.spillSlots, record: this.ctx.frameRecords,
    });
  }


  // ---- places and scratch registers ---------------------------------------------------------

  protected placeOf(v: number): Place | undefined {
    const l = this.alloc.loc[v]!;
    if (l >= 0) return { k: this.alloc.cls[v] === CORE ? 'reg' : 'freg', r: l };
    const c = this.alloc.remat.get(v);
    if (c !== undefined) return { k: 'imm', c };
    const s = this.alloc.slot[v]!;
    return s >= 0 ? { k: 'frame', off: this.outArea + 4 * s } : undefined;
  }

  protected envPlace(): Place | undefined {
    return this.alloc.whole < 0 ? undefined : this.placeOf(this.alloc.whole);
  }

  protected scratch(): XReg {
    for (const r of SCRATCH) {
      if ((this.free & (1 << r)) !== 0) { this.free &= ~(1 << r); return r; }
    }
    throw new InternalError('RV32: no scratch register left');
  }

  protected release(r: XReg): void {
    if ((SCRATCH_MASK & (1 << r)) !== 0) this.free |= 1 << r;
  }

  /** A register holding vreg v: its own, or a scratch it is loaded (or rematerialized) into. */
  protected use(v: number): XReg {
    const l = this.alloc.loc[v]!;
    if (l >= 0) return xreg(l);
    const p = this.placeOf(v);
    if (p === undefined) throw new InternalError(`v${v} has no location`);
    const s = this.scratch();
    loadPlace(this.m, s, p);
    return s;
  }

  /** A register holding a 32-bit operand: zero is x0, another immediate goes into a scratch. */
  protected src(s: Src): XReg {
    if (!isImm(s)) return this.use(s);
    if ((s.imm | 0) === 0) return ZERO;
    const t = this.scratch();
    this.m.a.li(t, s.imm);
    return t;
  }

  /** The register to compute vreg v in (commit stores it when v lives in the frame). */
  protected def(v: number): XReg {
    const l = this.alloc.loc[v]!;
    return l >= 0 ? xreg(l) : this.scratch();
  }

  protected commit(v: number, r: XReg): void {
    if (this.alloc.loc[v]! >= 0 || this.alloc.remat.has(v)) return;
    const s = this.alloc.slot[v]!;
    if (s < 0) throw new InternalError(`v${v} has no location`);
    this.m.sw(r, SP, this.outArea + 4 * s);
  }

  protected isFloat(v: number): boolean {
    return this.alloc.cls[v] !== CORE;
  }

  protected fscratch(): FReg {
    for (const r of F_SCRATCH) {
      if ((this.freeF & (1 << r)) !== 0) { this.freeF &= ~(1 << r); return r; }
    }
    throw new InternalError('RV32: no F scratch register left');
  }

  /** An F register holding float vreg v: its own, or an F scratch it is loaded into. */
  protected useF(v: number): FReg {
    const l = this.alloc.loc[v]!;
    if (l >= 0) return freg(l);
    const p = this.placeOf(v);
    if (p === undefined) throw new InternalError(`v${v} has no location`);
    const s = this.fscratch();
    loadFPlace(this.m, s, p);
    return s;
  }

  /**
   * The F register to compute float vreg v in (commitF stores it when v lives in the frame). With both F scratch
   * registers holding spilled operands, the first is reused: every float instruction writes its result only after
   * its last read of the operands (on each path), so the result may take an operand's scratch.
   */
  protected defF(v: number): FReg {
    const l = this.alloc.loc[v]!;
    if (l >= 0) return freg(l);
    return this.freeF === 0 ? F_SCRATCH[0]! : this.fscratch();
  }

  protected commitF(v: number, r: FReg): void {
    if (this.alloc.loc[v]! >= 0) return;
    const s = this.alloc.slot[v]!;
    if (s < 0) throw new InternalError(`v${v} has no location`);
    this.m.fsw(r, SP, this.outArea + 4 * s);
  }

  /** A register holding exec_env: its own, or a scratch loaded from its slot. */
  protected envIn(): XReg {
    const p = this.envPlace();
    if (p === undefined) throw new InternalError('exec_env has no place in a function that uses it');
    if (p.k === 'reg') return xreg(p.r);
    const s = this.scratch();
    loadPlace(this.m, s, p);
    return s;
  }

  /** The stub raising trap `code` (in the next island, shared in branch reach): exec_env from its place. */
  protected trapLabel(code: number): Label {
    const env = this.envPlace();
    if (env === undefined || env.k === 'imm' || env.k === 'freg') throw new InternalError('a trap in a function without exec_env');
    const sym = helperIndex('xw_trap');
    this.ctx.symbolsUsed.add(sym);
    const m = this.m;
    const key = env.k === 'reg' ? `x${env.r}` : `sp${env.off}`;
    return m.a.buf.deferredLabel(`rvtrap:${code}:${key}`, 40, () => {
      loadPlace(m, A0, env);
      m.a.li(A1, code);
      m.callSymbol(sym, A0, T0);
    }, 3800);
  }

  // ---- plain instructions ------------------------------------------------------------------

  protected alu(op: E.AluOp, rd: XReg, rs1: XReg, rs2: XReg): void {
    const a = this.m.a;
    if (op === 'add' && (rs1 === ZERO || rs2 === ZERO)) { a.mv(rd, rs1 === ZERO ? rs2 : rs1); return; }
    if (op === 'mul' || op === 'mulhu' || op === 'div' || op === 'divu' || op === 'rem' || op === 'remu') {
      if (!this.ctx.hasM) unsupported(`${op} without the M extension`);
    }
    let c: E.Insn16 | undefined;
    if (a.compressed) {
      if (op === 'add') c = tryC.add(rd, rs1, rs2);
      else if (op === 'sub' || op === 'xor' || op === 'or' || op === 'and') c = tryC.alu(op, rd, rs1, rs2);
    }
    a.put(c ?? E.alu(op, rd, rs1, rs2));
  }

  protected aluImm(op: E.AluImmOp, rd: XReg, rs: XReg, v: number): void {
    const a = this.m.a;
    if (op === 'addi') { a.addi(rd, rs, simm(v)); return; }
    const c = a.compressed && op === 'andi' ? tryC.andi(rd, rs, v) : undefined;
    a.put(c ?? E.aluImm(op, rd, rs, simm(v)));
  }

  protected shiftImm(op: E.ShiftImmOp, rd: XReg, rs: XReg, n: number): void {
    const a = this.m.a;
    if (n === 0) { if (rd !== rs) a.mv(rd, rs); return; }
    const c = a.compressed ? tryC.shiftImm(op, rd, rs, n) : undefined;
    a.put(c ?? E.shiftImm(op, rd, rs, Shamt.tryFrom(n)!));
  }

  /** `base + off` as a base register and a 12-bit offset: beyond that reach, the sum in a scratch register. */
  private reach(base: XReg, off: number): [XReg, number] {
    if (fits12(off)) return [base, off];
    const t = this.scratch();
    this.m.a.li(t, off);
    this.alu('add', t, base, t);
    return [t, 0];
  }

  protected load(kind: LoadKind, rd: XReg, base: XReg, off: number): void {
    [base, off] = this.reach(base, off);
    if (kind === 'w') this.m.lw(rd, base, off);
    else this.m.a.put(E.load(LOAD[kind], rd, base, simm(off)));
  }

  protected store(kind: StoreKind, rs: XReg, base: XReg, off: number): void {
    [base, off] = this.reach(base, off);
    if (kind === 'w') this.m.sw(rs, base, off);
    else this.m.a.put(E.store(STORE[kind], rs, base, simm(off)));
  }

  /**
   * Whether `l` is bound so far back that a B-type branch (±4 KiB) from the next few instructions misses it: a
   * forward label gets a veneer in an island if need be, a bound one does not.
   */
  protected farBack(l: Label): boolean {
    const buf = this.m.a.buf;
    return buf.isBound(l) && buf.offset - buf.labelOffset(l) > FAR_BACK;
  }

}

/** Bytes of outgoing stack arguments (and several results' slots) at the bottom of the frame. */
function outArea(insts: readonly Inst[]): number {
  let out = 0;
  for (const i of insts) {
    if (i.op === 'call') out = Math.max(out, callLayout(i.env, i.argClasses, i.multi).stackBytes + 8 * (i.multi?.length ?? 0));
  }
  return out;
}

/**
 * A call's argument places: exec_env (if passed), the arguments, and for a callee with several results the
 * address of their slots (docs/abi.md §2).
 */
export function callLayout(env: boolean, argClasses: readonly WordClass[], multi: readonly WordClass[] | undefined): Rv32CallLayout {
  return rv32Layout([...(env ? ['w32' as const] : []), ...argClasses, ...(multi === undefined ? [] : ['w32' as const])]);
}

/** Register hints: params where they arrive, call arguments and results where they travel, returned values in a0/a1. */
export function hints(f: IrFunc, hint: Int32Array): void {
  // a register of the vreg's own file (an f32 argument past fa7 travels in a core register: no hint)
  const at = (p: Place | undefined, v: number): number =>
    (p !== undefined && p.k === (classOfVreg(f, v) === CORE ? 'reg' : 'freg') ? (p as { r: number }).r : -1);
  rv32Layout(['w32', ...f.paramClasses]).words.slice(1).forEach((p, k) => {
    const v = f.paramVregs[k];
    if (v !== undefined) hint[v] = at(p, v);
  });
  for (const i of f.insts) {
    if (i.op === 'call') {
      if (i.multi === undefined) {
        const back = rv32ResultPlaces(i.resultClass);
        i.results.forEach((v, k) => { hint[v] = at(back[k], v); });
      }
      callLayout(i.env, i.argClasses, i.multi).words.slice(i.env ? 1 : 0).forEach((p, k) => {
        const v = i.args[k];
        if (v !== undefined && hint[v] === -1) hint[v] = at(p, v);
      });
    } else if (i.op === 'ret') {
      const to = rv32ResultPlaces(f.resultClass);
      i.values.forEach((v, k) => { if (hint[v] === -1) hint[v] = at(to[k], v); });
    }
  }
}

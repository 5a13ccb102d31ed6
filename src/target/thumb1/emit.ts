/**
 * A first Thumb-1 emitter of the target-neutral IR, and the module assembly
 * around it: enough for the micro:bit to run compiled code end to end. It is
 * deliberately simple: every vreg lives in a frame slot, each IR instruction
 * loads its operands into r0-r4, computes with the masm's sequences and
 * stores its result, so it needs no register allocation. It takes integer
 * code (i32/i64 arithmetic, compares, branches, br_table, traps, linear memory
 * with its bounds checks, globals, direct and runtime calls); anything else is
 * an UnsupportedError naming the instruction. Not wired into `compileModule`
 * yet: the CLI still makes Thumb-2 for the M0 (docs/thumb1.md says what the
 * real emitter, with the allocator, needs).
 *
 * Registers: r7 = exec_env, r6 = memory base, r5 = memory 0's check_limit
 * (reloaded after calls that may grow memory); r0-r4 are temporaries.
 */
import { EnvOffset } from '../../abi.js';
import { type AotInput } from '../../aot/writer.js';
import { UnsupportedError } from '../../errors.js';
import { buildIr, type BuildTarget } from '../../ir/build.js';
import type { Cmp, ICond, Inst, IrFunc, Src } from '../../ir/ir.js';
import type { IrTarget } from '../../ir/target.js';
import { isImm } from '../../ir/ir.js';
import { NATIVE_SYMBOLS, helperIndex } from '../../xip/catalogue.js';
import type { Module } from '../../wasm/types.js';
import { layoutArgs } from '../thumb2/abi.js';
import type { Label } from '../buffer.js';
import { type Cond, type Reg, R0, R1, R2, R3, R4, R5, R6, R7, SP, reg } from '../thumb2/regs.js';
import { Thumb1Assembler } from './asm.js';
import * as E from './enc.js';
import { emitEntryTrampoline } from './glue.js';
import { Thumb1Masm, layoutFrame, type Frame } from './masm.js';
import { Imm8, ShiftImm } from '../thumb2/imm.js';

const ENV = R7, MEMBASE = R6, LIMIT = R5;

/** The ARMv6-M answers to the IR builder's legality questions. */
export const THUMB1_IR_TARGET: IrTarget = {
  // the emitter builds every constant into a register anyway
  aluImm: () => false,
  shiftedOperand: () => false,
  cmpImm: (v) => (v | 0) >= 0 && (v | 0) <= 255,
  testImm: () => false,
  pairImm: () => false,
  unary: (kind) => kind === 'sxtb' || kind === 'sxth',
  hwDiv: false,
  longMultiply: false,
  mulAdd: false,
  // jumpTable's halfword entries reach 64 KiB forward
  brtableDirect: (bodyBytes) => bodyBytes <= 32768,
  // the address and the offset are added before the access (loadAny/storeAny take a register offset)
  memOffset: (_kind, v) => v === 0,
};

const COND: Readonly<Record<ICond, Cond>> = {
  eq: 'eq', ne: 'ne', lt_s: 'lt', ge_s: 'ge', gt_s: 'gt', le_s: 'le', lt_u: 'cc', ge_u: 'cs', gt_u: 'hi', le_u: 'ls',
};

function unsupported(what: string): never {
  throw new UnsupportedError(`Thumb-1: ${what}`, -1);
}

class FuncEmitter {
  private readonly a: Thumb1Assembler;
  private readonly m: Thumb1Masm;
  private readonly labels: Label[] = [];
  private readonly frame: Frame;

  constructor(m: Thumb1Masm, private readonly f: IrFunc, private readonly funcLabels: readonly Label[], private readonly symbols: Set<number>) {
    this.m = m;
    this.a = m.a;
    if (4 * f.numVregs > 1020) unsupported(`${f.numVregs} vregs (frame slots reach 1020 bytes)`);
    this.frame = layoutFrame({ low: [R4, R5, R6, R7], high: [], lr: true, locals: 4 * f.numVregs });
    for (let i = 0; i < f.numLabels; i++) this.labels.push(this.a.newLabel());
  }

  private get(v: number, r: Reg): void {
    this.a.load('w', r, SP, 4 * v);
  }

  private put(v: number, r: Reg): void {
    this.a.store('w', r, SP, 4 * v);
  }

  private src(s: Src, r: Reg): void {
    if (isImm(s)) this.a.mov32(r, s.imm);
    else this.get(s, r);
  }

  emit(entry: Label): void {
    const { a, m, f } = this;
    a.bind(entry);
    m.prologue(this.frame);
    a.mov(ENV, R0);
    // the params, from their AAPCS places to their slots
    const layout = layoutArgs(['w32', ...f.paramClasses]);
    let w = 0;
    f.paramClasses.forEach((c, i) => {
      const loc = layout.args[i + 1]!;
      const words = c === 'w64' || c === 'f64' ? 2 : 1;
      for (let k = 0; k < words; k++) {
        const v = f.paramVregs[w++]!;
        if (loc.kind === 'gpr') this.put(v, reg(loc.reg));
        else if (loc.kind === 'gpr2') this.put(v, reg(loc.lo + k));
        else if (loc.kind === 'stack') {
          a.load('w', R0, SP, this.frame.saved + this.frame.locals + loc.offset + 4 * k);
          this.put(v, R0);
        } else unsupported('a float argument');
      }
    });
    m.stackCheck(ENV, R3);
    if (f.usesMemory) {
      m.loadCheckLimit(LIMIT, ENV, LIMIT);
      m.loadEnv(MEMBASE, ENV, EnvOffset.memBase);
    }
    for (const i of f.insts) {
      a.maybeIsland(128);
      this.inst(i);
    }
    a.flushIsland();
  }

  /** Sets the flags for `c`; returns the condition to test. Uses r0-r3. */
  private flags(c: Cmp): Cond {
    const a = this.a;
    switch (c.k) {
      case 'i32':
        this.get(c.a, R0);
        if (isImm(c.b) && c.b.imm >= 0 && c.b.imm <= 255) a.emit(E.cmpImmT1(R0, imm8(c.b.imm)));
        else {
          this.src(c.b, R1);
          a.emit(E.cmpRegT1(R0, R1));
        }
        return COND[c.cond];
      case 'test':
        this.get(c.a, R0);
        this.src(c.b, R1);
        a.emit(E.tstRegT1(R0, R1));
        return c.cond;
      case 'i64': {
        this.get(c.a, R0);
        this.get(c.ah, R1);
        this.src(c.b, R2);
        this.src(c.bh, R3);
        if (c.cond === 'eq' || c.cond === 'ne') {
          const join = a.newLabel();
          a.emit(E.cmpRegT1(R1, R3));
          a.bcond('ne', join);
          a.emit(E.cmpRegT1(R0, R2));
          a.bind(join);
          return c.cond;
        }
        if (c.cond !== 'lt_s' && c.cond !== 'ge_s' && c.cond !== 'lt_u' && c.cond !== 'ge_u') unsupported(`i64 compare ${c.cond}`);
        a.emit(E.cmpRegT1(R0, R2));
        a.emit(E.sbcRegT1(R1, R3));
        return COND[c.cond];
      }
      case 'f': return unsupported('float compares');
    }
  }

  private inst(i: Inst): void {
    const { a, m } = this;
    switch (i.op) {
      case 'movi': a.mov32(R0, i.imm); this.put(i.d, R0); return;
      case 'mov': this.get(i.a, R0); this.put(i.d, R0); return;
      case 'alu': case 'alui': {
        this.get(i.a, R0);
        if (i.op === 'alu') this.get(i.b, R1);
        else a.mov32(R1, i.imm);
        switch (i.kind) {
          case 'add': a.emit(E.addRegT1(R0, R0, R1)); break;
          case 'sub': a.emit(E.subRegT1(R0, R0, R1)); break;
          case 'rsub': a.emit(E.subRegT1(R0, R1, R0)); break;
          case 'and': a.emit(E.andRegT1(R0, R1)); break;
          case 'or': a.emit(E.orrRegT1(R0, R1)); break;
          case 'xor': a.emit(E.eorRegT1(R0, R1)); break;
          case 'mul': a.emit(E.mulT1(R0, R1)); break;
        }
        this.put(i.d, R0);
        return;
      }
      case 'shift': case 'shifti': {
        this.get(i.a, R0);
        if (i.op === 'shifti' && i.kind !== 'ror') {
          if (i.imm !== 0) a.emit((i.kind === 'lsl' ? E.lslImmT1 : i.kind === 'lsr' ? E.lsrImmT1 : E.asrImmT1)(R0, R0, shiftImm(i.kind, i.imm)));
        } else {
          if (i.op === 'shift') this.get(i.b, R1);
          else a.mov32(R1, i.imm);
          const f = { lsl: E.lslRegT1, lsr: E.lsrRegT1, asr: E.asrRegT1, ror: E.rorRegT1 }[i.kind];
          a.emit(f(R0, R1));
        }
        this.put(i.d, R0);
        return;
      }
      case 'unary':
        if (i.kind !== 'sxtb' && i.kind !== 'sxth') unsupported(i.kind);
        this.get(i.a, R0);
        a.emit(i.kind === 'sxtb' ? E.sxtbT1(R0, R0) : E.sxthT1(R0, R0));
        this.put(i.d, R0);
        return;
      case 'alu64':
        this.get(i.a, R0);
        this.get(i.ah, R1);
        this.src(i.b, R2);
        this.src(i.bh, R3);
        if (i.kind === 'add') m.add64(R4, R1, R0, R1, R2, R3);
        else m.sub64(R4, R1, R0, R1, R2, R3);
        this.put(i.d, R4);
        this.put(i.d2, R1);
        return;
      case 'setif': {
        const c = this.flags(i.cmp);
        m.setCond(R0, c);
        this.put(i.d, R0);
        return;
      }
      case 'selif': {
        const c = this.flags(i.cmp);
        // loads leave the flags alone
        this.get(i.a, R1);
        this.get(i.b, R2);
        m.select(c, R0, R1, R2);
        this.put(i.d, R0);
        return;
      }
      case 'label': a.bind(this.labels[i.label]!); return;
      case 'br': a.b(this.labels[i.label]!); return;
      case 'brif': a.bcond(this.flags(i.cmp), this.labels[i.label]!); return;
      case 'brtable': {
        this.get(i.a, R0);
        const ls = i.labels.map((l) => this.labels[l]!);
        m.jumpTable(R0, ls.slice(0, -1), ls[ls.length - 1]!, R1);
        return;
      }
      case 'trap': a.b(m.trapLabel(i.code as never, ENV)); return;
      case 'trapif': a.bcond(this.flags(i.cmp), m.trapLabel(i.code as never, ENV)); return;
      case 'bchk':
        if (i.members !== undefined) unsupported('grouped bounds checks');
        this.get(i.a, R0);
        if (i.end <= 256) m.boundsCheck(R0, LIMIT, i.end, ENV);
        else m.boundsCheckExact(R0, i.end, ENV, R1, R2);
        return;
      case 'ld': case 'st': {
        if (i.direct) unsupported('direct accesses');
        if (i.a < 0) a.mov32(R0, i.offset);
        else {
          this.get(i.a, R0);
          if (i.offset !== 0) a.addImm(R0, R0, i.offset, R1);
        }
        if (i.op === 'ld') {
          m.loadAny(i.kind, R1, MEMBASE, R0, R2, R3);
          this.put(i.d, R1);
        } else {
          this.get(i.b, R1);
          m.storeAny(i.kind, R1, MEMBASE, R0, R2, R3);
        }
        return;
      }
      case 'ldw': {
        const base = i.a < 0 ? ENV : R1;
        if (i.a >= 0) this.get(i.a, R1);
        a.load('w', R0, base, i.offset, R2);
        this.put(i.d, R0);
        return;
      }
      case 'stw': {
        const base = i.a < 0 ? ENV : R1;
        if (i.a >= 0) this.get(i.a, R1);
        this.get(i.b, R0);
        a.store('w', R0, base, i.offset, R2);
        return;
      }
      case 'call': return this.call(i);
      case 'ret': {
        if (i.values.length > 2) unsupported('multiple results');
        i.values.forEach((v, k) => this.get(v, reg(k)));
        m.epilogue(this.frame);
        return;
      }
      default:
        unsupported(`IR instruction ${i.op}`);
    }
  }

  private call(i: Extract<Inst, { op: 'call' }>): void {
    const { a } = this;
    if (i.argClasses.some((c) => c === 'f32' || c === 'f64') || i.resultClass === 'f32' || i.resultClass === 'f64') unsupported('float calls');
    if (i.multi !== undefined) unsupported('calls with several results');
    const layout = layoutArgs([...(i.env ? ['w32' as const] : []), ...i.argClasses.map((c) => (c === 'w64' ? 'w64' as const : 'w32' as const))]);
    if (layout.stackBytes > 0) unsupported('stack arguments');
    let w = 0;
    const first = i.env ? 1 : 0;
    i.argClasses.forEach((_c, k) => {
      const loc = layout.args[first + k]!;
      if (loc.kind === 'gpr') this.get(i.args[w++]!, reg(loc.reg));
      else if (loc.kind === 'gpr2') {
        this.get(i.args[w++]!, reg(loc.lo));
        this.get(i.args[w++]!, reg(loc.lo + 1));
      }
    });
    if (i.env) a.mov(R0, ENV);
    switch (i.target.kind) {
      case 'func': a.bl(this.funcLabels[i.target.index]!); break;
      case 'symbol':
        this.symbols.add(i.target.index);
        this.get(i.target.fn, R4);
        a.blx(R4);
        break;
      case 'ref': unsupported('indirect calls');
    }
    if (i.results.length >= 1) this.put(i.results[0]!, R0);
    if (i.results.length >= 2) this.put(i.results[1]!, R1);
    if (i.mayGrowMemory && this.f.usesMemory) this.m.loadCheckLimit(LIMIT, ENV, LIMIT);
  }
}

function imm8(v: number): Imm8 {
  const i = Imm8.tryFrom(v);
  if (i === undefined) unsupported(`immediate ${v}`);
  return i;
}

function shiftImm(kind: 'lsl' | 'lsr' | 'asr', n: number): ShiftImm {
  const s = ShiftImm.tryFrom(kind, n);
  if (s === undefined) unsupported(`${kind} #${n}`);
  return s;
}

/**
 * The AOT input for a Cortex-M0 image of `module` (imports, tables and floats not yet taken): one entry
 * trampoline per exported function type, then every function through the IR and this emitter.
 */
export function compileThumb1(module: Module, intrinsic: (operator: string) => number | undefined = () => undefined): AotInput {
  if (module.imports.length > 0) unsupported('imports');
  if (module.tables.length > 0) unsupported('tables');
  const globalOffsets = module.globals.map((_g, k) => 8 * k);
  const target: BuildTarget = {
    isa: THUMB1_IR_TARGET, module, softFloat: true, fpu: 'none', fpuRound: 'none', intrinsic,
    intrinsicCache: new Map(), memoryStable: false, globalOffsets, funcrefIndex: new Map(),
  };
  const a = new Thumb1Assembler();
  const m = new Thumb1Masm(a);
  const nf = module.funcTypeIndices.length;
  const funcLabels = Array.from({ length: nf }, () => a.newLabel());
  const exported = new Set(module.exports.filter((e) => e.kind === 'func').map((e) => e.index));
  const entries: (number | undefined)[] = new Array<number | undefined>(nf).fill(undefined);
  const byType = new Map<number, number>();
  for (const f of [...exported].sort((x, y) => x - y)) {
    const t = module.funcTypeIndices[f]!;
    let at = byType.get(t);
    if (at === undefined) {
      a.buf.alignTo(4);
      at = a.offset;
      a.lrSaved = false;
      emitEntryTrampoline(a, module.types[t]!);
      byType.set(t, at);
    }
    entries[f] = at;
  }
  const symbols = new Set<number>([helperIndex('xw_trap')]);
  const code: number[] = [];
  for (let f = module.numImportedFuncs; f < nf; f++) {
    a.flushIsland();
    a.buf.alignTo(4);
    code[f] = a.offset;
    new FuncEmitter(m, buildIr(target, f), funcLabels, symbols).emit(funcLabels[f]!);
  }
  const text = a.finish().code;
  return {
    target: 'thumbv6m', cpu: 'cortex-m0', floatAbi: 'soft',
    flags: { xip: true, callsViaTable: false, constop: false },
    module, text,
    funcCodeOffsets: code,
    funcEntryOffsets: entries,
    funcrefList: [...exported].sort((x, y) => x - y),
    globalOffsets, globalsSize: 8 * module.globals.length,
    nativeSymbols: [...symbols].sort((x, y) => x - y).map((index) => ({ index, name: NATIVE_SYMBOLS[index]!.symbol })),
    relocations: 0,
  };
}


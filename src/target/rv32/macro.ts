/**
 * The RV32 sequences every compiled function needs, independent of the IR (docs/riscv.md, "MacroAssembler"):
 * frames, exec_env loads and exec_env-relative table entries, runtime calls through the native-symbol table,
 * shared trap stubs, the stack check, the bounds-check fast path with its exact out-of-line tail, direct calls,
 * and the 64-bit add/subtract/compare legalisations on register pairs. The ABI constants are src/abi.ts's.
 *
 * Registers are parameters: the emitter's allocator decides where exec_env, the check limit and the scratch
 * registers live; a sequence touches no other register except where it says so. There are no flags on RISC-V:
 * compares are branches, and a carry is an sltu.
 */
import type { Label } from '../buffer.js';
import { EnvOffset, FRAME_RECORD_SIZE, FrameRecordOffset, MemoryOffset, TrapCode } from '../../abi.js';
import { assertNever, InternalError } from '../../errors.js';
import { helperIndex } from '../../xip/catalogue.js';
import { tryC } from './compress.js';
import * as E from './enc/index.js';
import { SImm12 } from './imm.js';
import { Rv32Assembler } from './masm.js';
import { A0, A1, RA, SP, T0, T1, T2, ZERO, fName, xName, xreg, type BranchCond, type FReg, type XReg } from './regs.js';

/** What a function saves and allocates (the emitter's choice). */
export interface Rv32FrameSpec {
  /** Callee-saved registers the body uses (s0-s11). */
  readonly saved: readonly XReg[];
  /** Callee-saved float registers the body uses (fs0-fs11, ilp32f: their low 32 bits, all F has). */
  readonly savedF?: readonly FReg[];
  /** Save ra: every function that calls. */
  readonly ra: boolean;
  /** Bytes of spill slots and outgoing arguments at the bottom of the frame. */
  readonly locals: number;
  /** A frame record { prev, func } right below the saved registers (--enable-dump-call-stack, docs/abi.md §11). */
  readonly record?: boolean;
}

/** The frame as laid out: sp moves by `size` (a multiple of 16, the RISC-V ABI's alignment); ra at the top. */
export interface Rv32Frame {
  readonly saved: readonly XReg[];
  readonly savedF: readonly FReg[];
  readonly ra: boolean;
  readonly size: number;
  /** the frame record's offset from sp once the frame is allocated, or -1 without one */
  readonly recordAt: number;
}

const CALLEE_SAVED = new Set([8, 9, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27]);

export function layoutRv32Frame(spec: Rv32FrameSpec): Rv32Frame {
  for (const r of spec.saved) if (!CALLEE_SAVED.has(r)) throw new InternalError(`frame: ${xName(r)} is not callee-saved`);
  if (spec.locals < 0 || spec.locals % 4 !== 0) throw new InternalError(`frame: ${spec.locals} bytes of locals`);
  for (const r of spec.savedF ?? []) if (!CALLEE_SAVED.has(r)) throw new InternalError(`frame: ${fName(r)} is not callee-saved`);
  const saved = [...new Set(spec.saved)].sort((a, b) => a - b);
  const savedF = [...new Set(spec.savedF ?? [])].sort((a, b) => a - b);
  const saveBytes = 4 * (saved.length + savedF.length + (spec.ra ? 1 : 0));
  const record = spec.record === true ? FRAME_RECORD_SIZE : 0;
  const size = (saveBytes + record + spec.locals + 15) & ~15;
  return { saved, savedF, ra: spec.ra, size, recordAt: record > 0 ? size - saveBytes - record : -1 };
}

const imm = (v: number): SImm12 => {
  const i = SImm12.tryFrom(v);
  if (i === undefined) throw new InternalError(`${v} is not a 12-bit immediate`);
  return i;
};
const fits12 = (v: number): boolean => SImm12.tryFrom(v) !== undefined;

/** A B-type branch reaches ±4 KiB: a trap stub is shared while a branch back to it still reaches. */
const STUB_REACH = 3800;

export class Rv32Masm {
  /**
   * When set, lw/sw at an offset beyond 12 bits compute the address in this register (li + add) instead of
   * failing: the emitter sets it for a function whose frame passes 2 KiB and keeps the register out of allocation.
   */
  farTemp: XReg | undefined;

  constructor(readonly a: Rv32Assembler = new Rv32Assembler(true)) {}

  // ---- plain instructions, compressed where the core has C and GNU as would ---------------------------------

  lw(rd: XReg, base: XReg, off: number): void {
    if (!fits12(off)) { this.a.put(E.load('lw', rd, this.farBase(base, off), imm(0))); return; }
    this.a.put((this.a.compressed ? tryC.lw(rd, base, off) : undefined) ?? E.load('lw', rd, base, imm(off)));
  }

  sw(rs: XReg, base: XReg, off: number): void {
    if (!fits12(off)) { this.a.put(E.store('sw', rs, this.farBase(base, off), imm(0))); return; }
    this.a.put((this.a.compressed ? tryC.sw(rs, base, off) : undefined) ?? E.store('sw', rs, base, imm(off)));
  }

  flw(rd: FReg, base: XReg, off: number): void {
    if (!fits12(off)) { this.a.put(E.flw(rd, this.farBase(base, off), imm(0))); return; }
    this.a.put((this.a.compressed ? tryC.flw(rd, base, off) : undefined) ?? E.flw(rd, base, imm(off)));
  }

  fsw(rs: FReg, base: XReg, off: number): void {
    if (!fits12(off)) { this.a.put(E.fsw(rs, this.farBase(base, off), imm(0))); return; }
    this.a.put((this.a.compressed ? tryC.fsw(rs, base, off) : undefined) ?? E.fsw(rs, base, imm(off)));
  }

  /** farTemp = base + off, for an access beyond a 12-bit offset. */
  private farBase(base: XReg, off: number): XReg {
    const t = this.farTemp;
    if (t === undefined || t === base) throw new InternalError(`${off} is not a 12-bit offset`);
    this.a.li(t, off);
    this.add(t, base, t);
    return t;
  }

  add(rd: XReg, rs1: XReg, rs2: XReg): void {
    if (rs2 === ZERO || rs1 === ZERO) throw new InternalError('add with zero: use mv'); // GNU compresses only one spelling
    this.a.put((this.a.compressed ? tryC.add(rd, rs1, rs2) : undefined) ?? E.alu('add', rd, rs1, rs2));
  }

  sub(rd: XReg, rs1: XReg, rs2: XReg): void {
    this.a.put((this.a.compressed ? tryC.alu('sub', rd, rs1, rs2) : undefined) ?? E.alu('sub', rd, rs1, rs2));
  }

  sltu(rd: XReg, rs1: XReg, rs2: XReg): void {
    this.a.put(E.alu('sltu', rd, rs1, rs2));
  }

  jalr(rs: XReg): void {
    this.a.put((this.a.compressed ? tryC.jalr(RA, rs, 0) : undefined) ?? E.jalr(RA, rs, imm(0)));
  }

  /** rd = rs + value for any 32-bit value; `scratch` (not rs) when it takes more than an addi. */
  addConst(rd: XReg, rs: XReg, value: number, scratch: XReg): void {
    if (fits12(value)) return this.a.addi(rd, rs, imm(value));
    if (scratch === rs) throw new InternalError('addConst: the scratch register is the operand');
    this.a.li(scratch, value);
    this.add(rd, rs, scratch);
  }

  // ---- frames ----------------------------------------------------------------------------------------------

  /**
   * sp -= size; ra and the saved registers just below the old sp. A frame over 2 KiB moves sp in two steps, as
   * GCC does: the save area (16-aligned) with addi, the saves, then the rest through t0.
   */
  prologue(f: Rv32Frame, record?: { readonly env: XReg; readonly func: number }): void {
    if (f.size === 0) return;
    const top = this.saveArea(f);
    this.a.addi(SP, SP, imm(-top));
    this.saves(f, top, (r, off) => this.sw(r, SP, off), (r, off) => this.fsw(r, SP, off));
    if (f.recordAt >= 0) {
      if (record === undefined) throw new InternalError('frame: a record without exec_env');
      // within the first step: the record sits right below the saves
      this.pushFrameRecord(record.env, record.func, f.recordAt - (f.size - top));
    }
    if (f.size > top) this.addConst(SP, SP, top - f.size, T0);
  }

  /**
   * The frame record at sp + at: { env->frames, func }, then env->frames = its address (docs/abi.md §11). Clobbers
   * t0 and t1; env must be neither.
   */
  pushFrameRecord(env: XReg, func: number, at: number): void {
    if (env === T0 || env === T1) throw new InternalError('frame record: exec_env in t0/t1');
    if (FrameRecordOffset.prev !== 0 || FrameRecordOffset.func !== 4 || FRAME_RECORD_SIZE !== 8) throw new InternalError('frame record layout');
    this.lw(T0, env, EnvOffset.frames);
    this.a.li(T1, func);
    this.sw(T0, SP, at);
    this.sw(T1, SP, at + 4);
    this.a.addi(T0, SP, imm(at));
    this.sw(T0, env, EnvOffset.frames);
  }

  /** env->frames = the record at sp + at's prev, before the frame is freed. Clobbers `scratch`. */
  unlinkFrameRecord(env: XReg, at: number, scratch: XReg): void {
    if (scratch === env) throw new InternalError('frame record: scratch is exec_env');
    this.lw(scratch, SP, at + FrameRecordOffset.prev);
    this.sw(scratch, env, EnvOffset.frames);
  }

  /** The saved registers and ra back, sp += size, ret. Leaves a0/a1 (the results) alone; t0 for a large frame. */
  epilogue(f: Rv32Frame): void {
    const top = this.saveArea(f);
    if (f.size > top) this.addConst(SP, SP, f.size - top, T0);
    this.saves(f, top, (r, off) => this.lw(r, SP, off), (r, off) => this.flw(r, SP, off));
    if (top > 0) this.a.addi(SP, SP, imm(top));
    this.a.ret();
  }

  /** What the first sp step allocates: the whole frame when addi reaches, else the save area alone. */
  private saveArea(f: Rv32Frame): number {
    return fits12(-f.size) ? f.size : (4 * (f.saved.length + f.savedF.length + (f.ra ? 1 : 0)) + (f.recordAt >= 0 ? FRAME_RECORD_SIZE : 0) + 15) & ~15;
  }

  /** ra at top - 4, then the s-registers downwards, then the fs-registers. */
  private saves(f: Rv32Frame, top: number, op: (r: XReg, off: number) => void, fop: (r: FReg, off: number) => void): void {
    const x = [...(f.ra ? [RA] : []), ...f.saved];
    x.forEach((r, i) => op(r, top - 4 * (i + 1)));
    f.savedF.forEach((r, i) => fop(r, top - 4 * (x.length + i + 1)));
  }

  // ---- exec_env and the runtime ----------------------------------------------------------------------------

  /** rd = *(env + off): one field of exec_env (EnvOffset). */
  loadEnv(rd: XReg, env: XReg, off: number): void {
    this.lw(rd, env, off);
  }

  /** rd = env->table[index] for a pointer table of exec_env (symbols, func_ptrs, globals...): two loads, or an
      add of the scaled index through `scratch` when 4 * index passes 2 KiB. */
  loadEnvEntry(rd: XReg, env: XReg, envOff: number, index: number, scratch: XReg = rd): void {
    this.lw(rd, env, envOff);
    const off = 4 * index;
    if (fits12(off)) return this.lw(rd, rd, off);
    if (scratch === rd) throw new InternalError('loadEnvEntry: a far entry needs a scratch register');
    this.a.li(scratch, off);
    this.add(rd, rd, scratch);
    this.lw(rd, rd, 0);
  }

  /** Call native symbol `index` through env->symbols, its address in `scratch`; arguments are the caller's. */
  callSymbol(index: number, env: XReg, scratch: XReg): void {
    this.loadEnvEntry(scratch, env, EnvOffset.symbols, index, scratch === T1 ? T2 : T1);
    this.jalr(scratch);
  }

  /** A direct call to a function of the module: jal ra, PC-relative (±1 MiB; auipc + jalr is `a.call`). */
  callDirect(label: Label): void {
    this.a.callNear(label);
  }

  /** The stub raising trap `code`: xw_trap(env, code), out of line in the next island, shared while in reach. */
  trapLabel(code: TrapCode, env: XReg): Label {
    const a = this.a;
    return a.buf.deferredLabel(`trap:${code}:${env}`, 20, () => {
      if (env !== A0) a.mv(A0, env);
      a.li(A1, code);
      this.callSymbol(helperIndex('xw_trap'), A0, T0);
    }, STUB_REACH);
  }

  /** After the frame is allocated: sp below env->stack_limit traps (docs/abi.md §8). */
  stackCheck(env: XReg, scratch: XReg): void {
    this.loadEnv(scratch, env, EnvOffset.stackLimit);
    this.a.branch('ltu', SP, scratch, this.trapLabel(TrapCode.StackExhausted, env));
  }

  /** limit = memory 0's check_limit. */
  loadCheckLimit(limit: XReg, env: XReg): void {
    this.loadEnv(limit, env, EnvOffset.memory);
    this.lw(limit, limit, MemoryOffset.checkLimit);
  }

  // ---- linear memory bounds ----------------------------------------------------------------------------------

  /**
   * The fast check of an access whose offset + size (`end`) is at most CHECK_SLACK: `addr < check_limit`
   * proves it in bounds (docs/abi.md §9), one bgeu. Otherwise an out-of-line tail decides exactly and comes
   * back; it keeps every register (two temporaries are saved below sp, which stays 16-byte aligned).
   */
  boundsCheck(addr: XReg, limit: XReg, end: number, env: XReg): void {
    if (end < 1 || end > 256) throw new InternalError(`boundsCheck: end ${end} needs the exact check`);
    const a = this.a;
    const resume = a.buf.getLabel();
    const [t, u] = [T0, T1, T2, xreg(28)].filter((r) => r !== addr && r !== env) as [XReg, XReg];
    const slow = a.buf.deferredLabel(`oob:${a.buf.offset}`, 40, () => {
      a.addi(SP, SP, imm(-16));
      this.sw(t, SP, 0);
      this.sw(u, SP, 4);
      this.exact(addr, end, env, t, u);
      this.lw(u, SP, 4);
      this.lw(t, SP, 0);
      a.addi(SP, SP, imm(16));
      a.j(resume);
    });
    a.branch('geu', addr, limit, slow);
    a.buf.bindLabel(resume);
  }

  /** The exact check inline, for any end = offset + size up to 2^32 - 1: addr + end <= memory size, with
      t and u scratch (distinct from addr and env). */
  boundsCheckExact(addr: XReg, end: number, env: XReg, t: XReg, u: XReg): void {
    if (t === u || [addr, env].includes(t) || [addr, env].includes(u)) {
      throw new InternalError('boundsCheckExact: the scratch registers must differ from the operands and each other');
    }
    this.exact(addr, end, env, t, u);
  }

  /** size < end, or addr > size - end: trap. */
  private exact(addr: XReg, end: number, env: XReg, t: XReg, u: XReg): void {
    const trap = this.trapLabel(TrapCode.MemoryOutOfBounds, env);
    this.loadEnv(t, env, EnvOffset.memory);
    this.lw(t, t, MemoryOffset.size);
    this.a.li(u, end);
    this.a.branch('ltu', t, u, trap);
    this.sub(t, t, u);
    this.a.branch('ltu', t, addr, trap);
  }

  // ---- 64-bit pseudo-operations on register pairs ------------------------------------------------------------

  /**
   * (dlo, dhi) = (alo, ahi) + (blo, bhi): the carry is dlo < one operand (sltu into `t`). dlo must differ from
   * ahi and bhi (the allocator's early-def); t from every operand and result.
   */
  add64(dlo: XReg, dhi: XReg, alo: XReg, ahi: XReg, blo: XReg, bhi: XReg, t: XReg): void {
    this.pairCheck('add64', dlo, dhi, ahi, bhi, t, [alo, blo]);
    if (dlo === alo && dlo === blo) {
      this.a.put(E.alu('slt', t, alo, ZERO)); // x + x carries the sign bit
      this.add(dlo, alo, blo);
    } else {
      this.add(dlo, alo, blo);
      this.sltu(t, dlo, dlo === blo ? alo : blo);
    }
    this.add(dhi, ahi, bhi);
    this.add(dhi, dhi, t);
  }

  /** (dlo, dhi) = (alo, ahi) - (blo, bhi): the borrow alo < blo first (into `t`); same constraints as add64. */
  sub64(dlo: XReg, dhi: XReg, alo: XReg, ahi: XReg, blo: XReg, bhi: XReg, t: XReg): void {
    this.pairCheck('sub64', dlo, dhi, ahi, bhi, t, [alo, blo]);
    this.sltu(t, alo, blo);
    this.sub(dlo, alo, blo);
    this.sub(dhi, ahi, bhi);
    this.sub(dhi, dhi, t);
  }

  private pairCheck(what: string, dlo: XReg, dhi: XReg, ahi: XReg, bhi: XReg, t: XReg, lows: readonly XReg[]): void {
    if (dlo === ahi || dlo === bhi || dlo === dhi) throw new InternalError(`${what}: the low result overwrites a high operand`);
    if ([dlo, dhi, ahi, bhi, ...lows].includes(t)) throw new InternalError(`${what}: the carry register is an operand`);
  }

  /**
   * Branch to `l` when (alo, ahi) `cond` (blo, bhi) as 64-bit values: eq, ne, and the signed (lt, ge, gt, le)
   * and unsigned (ltu, geu, gtu, leu) orders; the high words decide unless equal, then the low words unsigned.
   * No scratch register.
   */
  branch64(cond: BranchCond | 'gt' | 'le' | 'gtu' | 'leu', alo: XReg, ahi: XReg, blo: XReg, bhi: XReg, l: Label): void {
    const a = this.a;
    const skip = a.buf.getLabel();
    switch (cond) {
      case 'eq':
        a.branch('ne', ahi, bhi, skip);
        a.branch('eq', alo, blo, l);
        break;
      case 'ne':
        a.branch('ne', ahi, bhi, l);
        a.branch('ne', alo, blo, l);
        break;
      case 'gt': return this.branch64('lt', blo, bhi, alo, ahi, l);
      case 'le': return this.branch64('ge', blo, bhi, alo, ahi, l);
      case 'gtu': return this.branch64('ltu', blo, bhi, alo, ahi, l);
      case 'leu': return this.branch64('geu', blo, bhi, alo, ahi, l);
      case 'lt': case 'ltu': {
        const hi: BranchCond = cond; // lt: signed high words
        a.branch(hi, ahi, bhi, l);
        a.branch('ne', ahi, bhi, skip);
        a.branch('ltu', alo, blo, l);
        break;
      }
      case 'ge': case 'geu': {
        a.branch(cond === 'ge' ? 'lt' : 'ltu', ahi, bhi, skip);
        a.branch('ne', ahi, bhi, l);
        a.branch('geu', alo, blo, l);
        break;
      }
      default:
        assertNever(cond, 'branch64 condition');
    }
    a.buf.bindLabel(skip);
  }
}

/**
 * Float operators. Each one is either a call to the runtime function the
 * intrinsic policy names (always on FPU-less cores), or inline VFP code.
 * abs/neg/copysign are sign-bit operations on the value's bits; reinterpret
 * is free because the home slots hold bits whatever the type.
 *
 * Float→int truncation checks NaN and range on the bits with integer
 * instructions (docs/abi.md §7), then converts an in-range value.
 */
import { InternalError } from '../../errors.js';
import { ValType } from '../../wasm/types.js';
import type { Instr } from '../../wasm/operators.js';
import { opcodeName } from '../../wasm/opcodes.js';
import { floatCondFor } from '../../xip/catalogue.js';
import { intrinsicFor } from '../../xip/policy.js';
import { TrapCode } from './abi.js';
import type { FuncCompiler } from './func.js';
import type { Cond, Label } from './masm.js';
import { emitNativeCall, coreRegs, type Lowering } from './lower.js';
import { viaIntrinsic } from './lower-int.js';
import { TRUNC } from '../../ir/build-trunc.js';

const F32 = ValType.F32, F64 = ValType.F64, I32 = ValType.I32, I64 = ValType.I64;
const R0 = { kind: 'w32', r: 0 } as const;
const P01 = { kind: 'w64', lo: 0, hi: 1 } as const;

/** VFP registers for operands a (i = 0, also the result) and b (i = 1): s0/s2 or d0/d1. */
function vregs(t: ValType, i: number): { kind: 's'; s: number } | { kind: 'd'; d: number } {
  return t === F32 ? { kind: 's', s: 2 * i } : { kind: 'd', d: i };
}

/** The register number of operand b. */
function vb(t: ValType): number {
  return t === F32 ? 2 : 1;
}

function noIntrinsic(fc: FuncCompiler, ins: Instr): never {
  throw new InternalError(`${opcodeName(ins.op)}: no FPU for it on ${fc.ctx.options.cpu} and no runtime function enabled`, ins.offset);
}

function hasFpu(fc: FuncCompiler, t: ValType): boolean {
  return fc.floatAbi === 'hard' && (t === F32 || fc.ctx.options.cpu !== 'cortex-m33' && fc.ctx.options.cpu !== 'cortex-m4');
}

function binop(t: ValType, op: 'add' | 'sub' | 'mul' | 'div'): Lowering {
  return (fc, ins) => {
    if (viaIntrinsic(fc, ins, 2, t)) return;
    if (!hasFpu(fc, t)) noIntrinsic(fc, ins);
    const b = fc.popV(t, 1);
    const a = fc.popV(t, 0);
    const rd = fc.claimVResult(t);
    fc.m.vop3(op, t === F64, rd, a, b);
    fc.pushVResult(t);
  };
}

function unop(t: ValType, op: 'sqrt' | 'rint-n' | 'rint-p' | 'rint-m' | 'rint-z'): Lowering {
  return (fc, ins) => {
    if (viaIntrinsic(fc, ins, 1, t)) return;
    if (!hasFpu(fc, t)) noIntrinsic(fc, ins);
    const a = fc.popV(t, 0);
    const rd = fc.claimVResult(t);
    fc.m.vop2(op, t === F64, rd, a);
    fc.pushVResult(t);
  };
}

/** Wasm min/max: NaN if either is NaN; -0 < +0 (VMINNM/VMAXNM order zeros that way). */
function minmax(t: ValType, max: boolean): Lowering {
  return (fc, ins) => {
    if (viaIntrinsic(fc, ins, 2, t)) return;
    if (!hasFpu(fc, t)) noIntrinsic(fc, ins);
    const m = fc.m;
    fc.pop(vregs(t, 1));
    fc.pop(vregs(t, 0));
    const nan = m.newLabel();
    const done = m.newLabel();
    m.vcmp(t === F64, 0, vb(t));
    m.bcond('vs', nan);
    m.vop3(max ? 'maxnm' : 'minnm', t === F64, 0, 0, vb(t));
    m.b(done);
    m.bind(nan);
    m.vop3('add', t === F64, 0, 0, vb(t));
    m.bind(done);
    fc.pushRegs(t, vregs(t, 0));
  };
}

const CMP_COND: Record<string, Cond> = { eq: 'eq', ne: 'ne', lt: 'mi', gt: 'gt', le: 'ls', ge: 'ge' };

function compare(t: ValType, rel: string): Lowering {
  return (fc, ins) => {
    const cond = floatCondFor(opcodeName(ins.op));
    if (cond === undefined) throw new InternalError(`no float condition for ${opcodeName(ins.op)}`);
    if (viaIntrinsic(fc, ins, 2, I32, [{ kind: 'imm', value: cond }])) return;
    if (!hasFpu(fc, t)) noIntrinsic(fc, ins);
    const b = fc.popV(t, 1);
    const a = fc.popV(t, 0);
    fc.m.vcmp(t === F64, a, b);
    fc.pushCond(CMP_COND[rel]!);
  };
}

/** abs/neg/copysign on the sign bit of the (high) word. */
function signOp(t: ValType, op: 'abs' | 'neg' | 'copysign'): Lowering {
  return (fc, ins) => {
    if (viaIntrinsic(fc, ins, op === 'copysign' ? 2 : 1, t)) return;
    const m = fc.m;
    const hi = t === F64 ? 1 : 0;
    if (op === 'copysign') {
      fc.pop(coreRegs(t, 2));
      fc.pop(coreRegs(t, 0));
      const bHi = t === F64 ? 3 : 2;
      m.shiftImm('lsr', bHi, bHi, 31);
      m.bfi(hi, bHi, 31, 1);
    } else {
      fc.pop(coreRegs(t, 0));
      m.mov32(12, 0x80000000);
      m.alu(op === 'abs' ? 'bic' : 'eor', hi, hi, 12);
    }
    fc.pushRegs(t, t === F64 ? P01 : R0);
  };
}

function reinterpret(to: ValType): Lowering {
  return (fc) => {
    const v = fc.stack.pop();
    fc.stack.push({ ...v, type: to });
  };
}

/** int → float: VMOV + VCVT for 32-bit sources with an FPU, else the runtime function. */
function convertFromInt(to: ValType, signed: boolean): Lowering {
  return (fc, ins) => {
    if (viaIntrinsic(fc, ins, 1, to)) return;
    if (!hasFpu(fc, to)) noIntrinsic(fc, ins);
    fc.pop(R0);
    fc.m.vmovToS(0, 0);
    fc.m.vcvtFromInt(to === F64, signed, 0, 0);
    fc.pushRegs(to, vregs(to, 0));
  };
}

function demotePromote(to: ValType): Lowering {
  return (fc, ins) => {
    if (viaIntrinsic(fc, ins, 1, to)) return;
    if (!hasFpu(fc, F64)) noIntrinsic(fc, ins);
    const from = to === F32 ? F64 : F32;
    fc.pop(vregs(from, 1));
    fc.m.vcvtFloat(to === F64, 0, vb(from));
    fc.pushRegs(to, vregs(to, 0));
  };
}

/** Branches to `bad` unless the bits in r0 (or r0:r1 as lo:hi) are below `limit`; clobbers r2, r3, r12. */
function belowOrBranch(fc: FuncCompiler, wide: boolean, mag: number, limit: readonly [number, number], bad: Label): void {
  const m = fc.m;
  if (!wide) {
    m.mov32(12, limit[0]);
    m.cmp(mag, 12);
    m.bcond('cs', bad);
    return;
  }
  // 64-bit unsigned compare of (mag:r0) against limit: lo first, then hi with the borrow
  m.mov32(12, limit[1]);
  m.cmp(0, 12);
  m.mov32(12, limit[0]);
  m.alu('sbc', 3, mag, 12, true);
  m.bcond('cs', bad);
}

function truncate(name: string, sat: boolean): Lowering {
  const spec = TRUNC[name]!;
  return (fc, ins) => {
    const m = fc.m;
    const wide = spec.from === F64;
    const hiReg = wide ? 1 : 0;
    const v = fc.stack.pop();
    const depth = fc.stack.height;
    fc.loadInto(v, depth, coreRegs(spec.from, 0));
    const nan = m.newLabel();
    const over = m.newLabel();
    const under = m.newLabel();
    const done = m.newLabel();
    // r2 = magnitude of the high word; NaN: magnitude above infinity
    m.bic32(2, hiReg, 0x80000000);
    m.mov32(12, 0x7ff00000 >>> (wide ? 0 : 0));
    if (wide) {
      // NaN iff hi_mag > 0x7ff00000, or == with a non-zero low word
      const notNan = m.newLabel();
      m.cmp(2, 12);
      m.bcond('cc', notNan);
      m.bcond('hi', nan);
      m.cmpImm(0, 0);
      m.bcond('ne', nan);
      m.bind(notNan);
    } else {
      m.mov32(12, 0x7f800000);
      m.cmp(2, 12);
      m.bcond('hi', nan);
    }
    const isNeg = m.newLabel();
    const inRange = m.newLabel();
    m.cmpImm(hiReg, 0);
    m.bcond('lt', isNeg);
    belowOrBranch(fc, wide, 2, spec.pos, over);
    m.b(inRange);
    m.bind(isNeg);
    belowOrBranch(fc, wide, 2, spec.neg, under);
    m.bind(inRange);
    // in range: convert
    const intr = intrinsicFor(opcodeName(ins.op), fc.ctx.options.intrinsics);
    const is64 = spec.to === I64;
    if (intr !== undefined) {
      if (fc.floatAbi === 'hard') {
        if (wide) m.vmovToD(0, 0, 1);
        else m.vmovToS(0, 0);
      }
      fc.callSymbol(intr.index);
    } else {
      if (!hasFpu(fc, spec.from) || is64) noIntrinsic(fc, ins);
      if (wide) m.vmovToD(0, 0, 1);
      else m.vmovToS(0, 0);
      m.vcvtToInt(wide, spec.signed, 0, 0);
      m.vmovFromS(0, 0);
    }
    m.b(done);
    // out of range
    const MIN = spec.signed ? (is64 ? [0, 0x80000000] : [0x80000000, 0]) : [0, 0];
    const MAX = spec.signed ? (is64 ? [0xffffffff, 0x7fffffff] : [0x7fffffff, 0]) : (is64 ? [0xffffffff, 0xffffffff] : [0xffffffff, 0]);
    m.bind(nan);
    if (sat) { m.mov32(0, 0); m.mov32(1, 0); m.b(done); } else m.b(fc.trapLabel(TrapCode.InvalidConversion));
    m.bind(over);
    if (sat) { m.mov32(0, MAX[0]!); m.mov32(1, MAX[1]!); m.b(done); } else m.b(fc.trapLabel(TrapCode.IntegerOverflow));
    m.bind(under);
    if (sat) { m.mov32(0, MIN[0]!); m.mov32(1, MIN[1]!); } else m.b(fc.trapLabel(TrapCode.IntegerOverflow));
    m.bind(done);
    fc.pushRegs(spec.to, is64 ? P01 : R0);
  };
}

function ops(t: ValType): Record<string, Lowering> {
  const p = t === F32 ? 'f32' : 'f64';
  return {
    [`${p}.add`]: binop(t, 'add'),
    [`${p}.sub`]: binop(t, 'sub'),
    [`${p}.mul`]: binop(t, 'mul'),
    [`${p}.div`]: binop(t, 'div'),
    [`${p}.sqrt`]: unop(t, 'sqrt'),
    [`${p}.nearest`]: unop(t, 'rint-n'),
    [`${p}.ceil`]: unop(t, 'rint-p'),
    [`${p}.floor`]: unop(t, 'rint-m'),
    [`${p}.trunc`]: unop(t, 'rint-z'),
    [`${p}.min`]: minmax(t, false),
    [`${p}.max`]: minmax(t, true),
    [`${p}.abs`]: signOp(t, 'abs'),
    [`${p}.neg`]: signOp(t, 'neg'),
    [`${p}.copysign`]: signOp(t, 'copysign'),
    [`${p}.eq`]: compare(t, 'eq'),
    [`${p}.ne`]: compare(t, 'ne'),
    [`${p}.lt`]: compare(t, 'lt'),
    [`${p}.gt`]: compare(t, 'gt'),
    [`${p}.le`]: compare(t, 'le'),
    [`${p}.ge`]: compare(t, 'ge'),
  };
}

const truncs: Record<string, Lowering> = {};
for (const name of Object.keys(TRUNC)) {
  truncs[name] = truncate(name, false);
  truncs[name.replace('trunc_', 'trunc_sat_')] = truncate(name, true);
}

export const FLOAT_LOWERINGS: Record<string, Lowering> = {
  ...ops(F32),
  ...ops(F64),
  ...truncs,
  'f32.convert_i32_s': convertFromInt(F32, true),
  'f32.convert_i32_u': convertFromInt(F32, false),
  'f64.convert_i32_s': convertFromInt(F64, true),
  'f64.convert_i32_u': convertFromInt(F64, false),
  'f32.convert_i64_s': (fc, ins) => { if (!viaIntrinsic(fc, ins, 1, F32)) noIntrinsic(fc, ins); },
  'f32.convert_i64_u': (fc, ins) => { if (!viaIntrinsic(fc, ins, 1, F32)) noIntrinsic(fc, ins); },
  'f64.convert_i64_s': (fc, ins) => { if (!viaIntrinsic(fc, ins, 1, F64)) noIntrinsic(fc, ins); },
  'f64.convert_i64_u': (fc, ins) => { if (!viaIntrinsic(fc, ins, 1, F64)) noIntrinsic(fc, ins); },
  'f32.demote_f64': demotePromote(F32),
  'f64.promote_f32': demotePromote(F64),
  'i32.reinterpret_f32': reinterpret(I32),
  'f32.reinterpret_i32': reinterpret(F32),
  'i64.reinterpret_f64': reinterpret(I64),
  'f64.reinterpret_i64': reinterpret(F64),
};

void emitNativeCall;

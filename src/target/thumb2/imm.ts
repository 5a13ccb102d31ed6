/**
 * Typed immediates. Each type can only be built by its `tryFrom*` factory,
 * which returns undefined when the value has no encoding; encoders accept only
 * these types (or assert their own ranges), so no encoder ever masks a value.
 */

import { assertNever } from '../../errors.js';

function isInt(v: number): boolean {
  return Number.isInteger(v);
}

/** A table of interned instances, dense so that lookups stay on V8's fast path. */
function internTable<T>(n: number): (T | undefined)[] {
  return new Array<T | undefined>(n).fill(undefined);
}

/** A 12-bit i:imm3:imm8 field that ThumbExpandImm turns into `value`. */
export class ModImm {
  /** 0..0xff, by far the most frequent values, interned (see UImm). */
  private static readonly small = internTable<ModImm>(256);

  private constructor(
    readonly value: number,
    readonly bits: number,
  ) {}

  static tryFrom(value: number): ModImm | undefined {
    const bits = ModImm.encode(value);
    if (bits < 0) return undefined;
    const v = value >>> 0;
    return v <= 0xff ? (ModImm.small[v] ??= new ModImm(v, bits)) : new ModImm(v, bits);
  }

  /** Whether `value` has an encoding (tryFrom would succeed), without building the immediate. */
  static fits(value: number): boolean {
    return ModImm.encode(value) >= 0;
  }

  /** The i:imm3:imm8 field for `value` (a 32-bit pattern, signed or not), or -1. */
  private static encode(value: number): number {
    if (!isInt(value) || value < -0x80000000 || value > 0xffffffff) return -1;
    const v = value >>> 0;
    if (v <= 0xff) return v;
    const b0 = v & 0xff;
    if (b0 !== 0 && v === ((b0 << 16) | b0) >>> 0) return 0x100 | b0;
    const b1 = (v >>> 8) & 0xff;
    if (b1 !== 0 && v === ((b1 << 24) | (b1 << 8)) >>> 0) return 0x200 | b1;
    if (b0 !== 0 && v === Math.imul(b0, 0x01010101) >>> 0) return 0x300 | b0;
    // The rotated form is 1bcdefgh ROR rot with rot in 8..31, which never wraps
    // around: it occupies bits [32-rot, 39-rot] with the top one set. So the
    // highest set bit t (>= 8 here) fixes rot = 39 - t, and the value is
    // encodable exactly when no bit lies below t - 7.
    const t = 31 - Math.clz32(v);
    const low = t - 7;
    if ((v & ((1 << low) - 1)) !== 0) return -1;
    return ((39 - t) << 7) | ((v >>> low) & 0x7f);
  }
}

/**
 * Unsigned immediate of a fixed width, optionally scaled (the field holds value/scale).
 *
 * The instruction selector asks for several of these per wasm operator, so each
 * class interns its instances in a table indexed by field: a value is built at
 * most once per process, which keeps the hot path free of allocation (and of
 * the megamorphic stores a shared base constructor would do for every
 * subclass's object shape). Instances are immutable, so sharing them is safe.
 * `kind` is a prototype getter for the same reason: it only makes the classes
 * nominally distinct and costs nothing per instance.
 */
abstract class UImm {
  protected constructor(
    readonly value: number,
    readonly field: number,
  ) {}
  protected static check(v: number, bits: number, scale: number): number | undefined {
    if (!isInt(v) || v < 0 || v % scale !== 0) return undefined;
    const f = v / scale;
    return f < 2 ** bits ? f : undefined;
  }
}

export class Imm3 extends UImm {
  private static readonly table = internTable<Imm3>(8);
  get kind(): 'imm3' {
    return 'imm3';
  }
  static tryFrom(v: number): Imm3 | undefined {
    const f = UImm.check(v, 3, 1);
    return f === undefined ? undefined : (Imm3.table[f] ??= new Imm3(v, f));
  }
}
export class Imm8 extends UImm {
  private static readonly table = internTable<Imm8>(256);
  get kind(): 'imm8' {
    return 'imm8';
  }
  static tryFrom(v: number): Imm8 | undefined {
    const f = UImm.check(v, 8, 1);
    return f === undefined ? undefined : (Imm8.table[f] ??= new Imm8(v, f));
  }
}
export class Imm12 extends UImm {
  private static readonly table = internTable<Imm12>(4096);
  get kind(): 'imm12' {
    return 'imm12';
  }
  static tryFrom(v: number): Imm12 | undefined {
    const f = UImm.check(v, 12, 1);
    return f === undefined ? undefined : (Imm12.table[f] ??= new Imm12(v, f));
  }
}
export class Imm16 extends UImm {
  /** Two levels (high byte, then low byte) so that only the pages in use are allocated. */
  private static readonly table = internTable<(Imm16 | undefined)[]>(256);
  get kind(): 'imm16' {
    return 'imm16';
  }
  static tryFrom(v: number): Imm16 | undefined {
    const f = UImm.check(v, 16, 1);
    if (f === undefined) return undefined;
    const page = (Imm16.table[f >>> 8] ??= internTable<Imm16>(256));
    return (page[f & 0xff] ??= new Imm16(v, f));
  }
}
/** imm8 scaled by 4 (0..1020): LDR/STR SP-relative T2, ADD rd, SP T1, ADR T1, LDR literal T1. */
export class Imm8x4 extends UImm {
  private static readonly table = internTable<Imm8x4>(256);
  get kind(): 'imm8x4' {
    return 'imm8x4';
  }
  static tryFrom(v: number): Imm8x4 | undefined {
    const f = UImm.check(v, 8, 4);
    return f === undefined ? undefined : (Imm8x4.table[f] ??= new Imm8x4(v, f));
  }
}
/** imm7 scaled by 4 (0..508): ADD/SUB SP, SP, #imm. */
export class Imm7x4 extends UImm {
  private static readonly table = internTable<Imm7x4>(128);
  get kind(): 'imm7x4' {
    return 'imm7x4';
  }
  static tryFrom(v: number): Imm7x4 | undefined {
    const f = UImm.check(v, 7, 4);
    return f === undefined ? undefined : (Imm7x4.table[f] ??= new Imm7x4(v, f));
  }
}
/** imm5 scaled by the access size: LDR/STR{,B,H} T1 offsets. */
export class Imm5Scaled extends UImm {
  /** Indexed by field * 4 + size (the same field means a different value per size). */
  private static readonly table = internTable<Imm5Scaled>(32 * 4 + 5);
  get kind(): 'imm5scaled' {
    return 'imm5scaled';
  }
  static tryFrom(v: number, size: 1 | 2 | 4): Imm5Scaled | undefined {
    const f = UImm.check(v, 5, size);
    return f === undefined ? undefined : (Imm5Scaled.table[f * 4 + size] ??= new Imm5Scaled(v, f));
  }
}

/** Signed byte offset -255..255 (the T4 load/store forms: U bit + imm8). */
export class SImm8 {
  /** Indexed by value + 255. */
  private static readonly table = internTable<SImm8>(511);
  get kind(): 'simm8' {
    return 'simm8';
  }
  private constructor(
    readonly value: number,
    readonly add: boolean,
    readonly field: number,
  ) {}
  static tryFrom(v: number): SImm8 | undefined {
    if (!isInt(v) || v < -255 || v > 255) return undefined;
    return (SImm8.table[v + 255] ??= new SImm8(v, v >= 0, Math.abs(v)));
  }
}

/** Signed word offset -1020..1020, multiple of 4 (LDRD/STRD, VLDR/VSTR). */
export class SImm8x4 {
  /** Indexed by value + 1020. */
  private static readonly table = internTable<SImm8x4>(2041);
  get kind(): 'simm8x4' {
    return 'simm8x4';
  }
  private constructor(
    readonly value: number,
    readonly add: boolean,
    readonly field: number,
  ) {}
  static tryFrom(v: number): SImm8x4 | undefined {
    if (!isInt(v) || v < -1020 || v > 1020 || v % 4 !== 0) return undefined;
    return (SImm8x4.table[v + 1020] ??= new SImm8x4(v, v >= 0, Math.abs(v) / 4));
  }
}

/** Signed 12-bit offset -4095..4095 (LDR literal T2, ADR T2/T3). */
export class SImm12 {
  /** Indexed by value + 4095. */
  private static readonly table = internTable<SImm12>(8191);
  get kind(): 'simm12' {
    return 'simm12';
  }
  private constructor(
    readonly value: number,
    readonly add: boolean,
    readonly field: number,
  ) {}
  static tryFrom(v: number): SImm12 | undefined {
    if (!isInt(v) || v < -4095 || v > 4095) return undefined;
    return (SImm12.table[v + 4095] ??= new SImm12(v, v >= 0, Math.abs(v)));
  }
}

export type ShiftType = 'lsl' | 'lsr' | 'asr' | 'ror';

/**
 * A constant shift as DecodeImmShift sees it: type + imm5. LSL 0..31,
 * LSR/ASR 1..32 (32 encoded as 0), ROR 1..31. RRX is its own encoder.
 */
export class ShiftImm {
  get kind(): 'shiftimm' {
    return 'shiftimm';
  }
  private constructor(
    readonly type: ShiftType,
    readonly amount: number,
    readonly typeBits: number,
    readonly imm5: number,
  ) {}
  /** Indexed by typeBits * 33 + amount. */
  private static readonly table = internTable<ShiftImm>(4 * 33);
  static tryFrom(type: ShiftType, amount: number): ShiftImm | undefined {
    if (!isInt(amount)) return undefined;
    switch (type) {
      case 'lsl':
        return amount >= 0 && amount <= 31 ? ShiftImm.make(type, amount, 0, amount) : undefined;
      case 'lsr':
        return amount >= 1 && amount <= 32 ? ShiftImm.make(type, amount, 1, amount & 31) : undefined;
      case 'asr':
        return amount >= 1 && amount <= 32 ? ShiftImm.make(type, amount, 2, amount & 31) : undefined;
      case 'ror':
        return amount >= 1 && amount <= 31 ? ShiftImm.make(type, amount, 3, amount) : undefined;
      default:
        return assertNever(type, 'shift type');
    }
  }
  private static make(type: ShiftType, amount: number, typeBits: number, imm5: number): ShiftImm {
    return (ShiftImm.table[typeBits * 33 + amount] ??= new ShiftImm(type, amount, typeBits, imm5));
  }
  static readonly NONE: ShiftImm = ShiftImm.tryFrom('lsl', 0)!;
}

/** VFPExpandImm: the 8-bit abcdefgh form of VMOV.F32/F64 #imm. */
export class VfpImm {
  get kind(): 'vfpimm' {
    return 'vfpimm';
  }
  private constructor(readonly imm8: number) {}

  static tryFromF32Bits(bits: number): VfpImm | undefined {
    const v = bits >>> 0;
    if ((v & 0x7ffff) !== 0) return undefined;
    const sign = v >>> 31;
    const exp = (v >>> 23) & 0xff;
    const b = (exp >>> 6) & 1;
    if (((exp >>> 7) & 1) === b) return undefined;
    if (((exp >>> 2) & 0x1f) !== (b ? 0x1f : 0)) return undefined;
    const cd = exp & 3;
    const efgh = (v >>> 19) & 0xf;
    return new VfpImm((sign << 7) | (b << 6) | (cd << 4) | efgh);
  }

  static tryFromF32(value: number): VfpImm | undefined {
    const f = new Float32Array([value]);
    if (f[0] !== value && !Number.isNaN(value)) return undefined;
    return VfpImm.tryFromF32Bits(new Uint32Array(f.buffer)[0]!);
  }

  static tryFromF64Bits(bits: bigint): VfpImm | undefined {
    const v = BigInt.asUintN(64, bits);
    if ((v & ((1n << 48n) - 1n)) !== 0n) return undefined;
    const hi = Number(v >> 32n);
    const sign = hi >>> 31;
    const exp = (hi >>> 20) & 0x7ff;
    const b = (exp >>> 9) & 1;
    if (((exp >>> 10) & 1) === b) return undefined;
    if (((exp >>> 2) & 0xff) !== (b ? 0xff : 0)) return undefined;
    const cd = exp & 3;
    const efgh = (hi >>> 16) & 0xf;
    return new VfpImm((sign << 7) | (b << 6) | (cd << 4) | efgh);
  }

  static tryFromF64(value: number): VfpImm | undefined {
    const d = new Float64Array([value]);
    return VfpImm.tryFromF64Bits(new BigUint64Array(d.buffer)[0]!);
  }
}

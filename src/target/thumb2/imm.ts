/**
 * Typed immediates. Each type can only be built by its `tryFrom*` factory,
 * which returns undefined when the value has no encoding; encoders accept only
 * these types (or assert their own ranges), so no encoder ever masks a value.
 */

function isInt(v: number): boolean {
  return Number.isInteger(v);
}

/** A 12-bit i:imm3:imm8 field that ThumbExpandImm turns into `value`. */
export class ModImm {
  private constructor(
    readonly value: number,
    readonly bits: number,
  ) {}

  static tryFrom(value: number): ModImm | undefined {
    if (!isInt(value) || value < -0x80000000 || value > 0xffffffff) return undefined;
    const v = value >>> 0;
    if (v <= 0xff) return new ModImm(v, v);
    const b0 = v & 0xff;
    if (b0 !== 0 && v === ((b0 << 16) | b0) >>> 0) return new ModImm(v, 0x100 | b0);
    const b1 = (v >>> 8) & 0xff;
    if (b1 !== 0 && v === ((b1 << 24) | (b1 << 8)) >>> 0) return new ModImm(v, 0x200 | b1);
    if (b0 !== 0 && v === Math.imul(b0, 0x01010101) >>> 0) return new ModImm(v, 0x300 | b0);
    for (let rot = 8; rot < 32; rot++) {
      const x = ((v << rot) | (v >>> (32 - rot))) >>> 0;
      if (x >= 0x80 && x <= 0xff) return new ModImm(v, (rot << 7) | (x & 0x7f));
    }
    return undefined;
  }
}

/** Unsigned immediate of a fixed width, optionally scaled (the field holds value/scale). */
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
  readonly kind = 'imm3' as const;
  static tryFrom(v: number): Imm3 | undefined {
    const f = UImm.check(v, 3, 1);
    return f === undefined ? undefined : new Imm3(v, f);
  }
}
export class Imm8 extends UImm {
  readonly kind = 'imm8' as const;
  static tryFrom(v: number): Imm8 | undefined {
    const f = UImm.check(v, 8, 1);
    return f === undefined ? undefined : new Imm8(v, f);
  }
}
export class Imm12 extends UImm {
  readonly kind = 'imm12' as const;
  static tryFrom(v: number): Imm12 | undefined {
    const f = UImm.check(v, 12, 1);
    return f === undefined ? undefined : new Imm12(v, f);
  }
}
export class Imm16 extends UImm {
  readonly kind = 'imm16' as const;
  static tryFrom(v: number): Imm16 | undefined {
    const f = UImm.check(v, 16, 1);
    return f === undefined ? undefined : new Imm16(v, f);
  }
}
/** imm8 scaled by 4 (0..1020): LDR/STR SP-relative T2, ADD rd, SP T1, ADR T1, LDR literal T1. */
export class Imm8x4 extends UImm {
  readonly kind = 'imm8x4' as const;
  static tryFrom(v: number): Imm8x4 | undefined {
    const f = UImm.check(v, 8, 4);
    return f === undefined ? undefined : new Imm8x4(v, f);
  }
}
/** imm7 scaled by 4 (0..508): ADD/SUB SP, SP, #imm. */
export class Imm7x4 extends UImm {
  readonly kind = 'imm7x4' as const;
  static tryFrom(v: number): Imm7x4 | undefined {
    const f = UImm.check(v, 7, 4);
    return f === undefined ? undefined : new Imm7x4(v, f);
  }
}
/** imm5 scaled by the access size: LDR/STR{,B,H} T1 offsets. */
export class Imm5Scaled extends UImm {
  readonly kind = 'imm5scaled' as const;
  static tryFrom(v: number, size: 1 | 2 | 4): Imm5Scaled | undefined {
    const f = UImm.check(v, 5, size);
    return f === undefined ? undefined : new Imm5Scaled(v, f);
  }
}

/** Signed byte offset -255..255 (the T4 load/store forms: U bit + imm8). */
export class SImm8 {
  readonly kind = 'simm8' as const;
  private constructor(
    readonly value: number,
    readonly add: boolean,
    readonly field: number,
  ) {}
  static tryFrom(v: number): SImm8 | undefined {
    if (!isInt(v) || v < -255 || v > 255) return undefined;
    return new SImm8(v, v >= 0, Math.abs(v));
  }
}

/** Signed word offset -1020..1020, multiple of 4 (LDRD/STRD, VLDR/VSTR). */
export class SImm8x4 {
  readonly kind = 'simm8x4' as const;
  private constructor(
    readonly value: number,
    readonly add: boolean,
    readonly field: number,
  ) {}
  static tryFrom(v: number): SImm8x4 | undefined {
    if (!isInt(v) || v < -1020 || v > 1020 || v % 4 !== 0) return undefined;
    return new SImm8x4(v, v >= 0, Math.abs(v) / 4);
  }
}

/** Signed 12-bit offset -4095..4095 (LDR literal T2, ADR T2/T3). */
export class SImm12 {
  readonly kind = 'simm12' as const;
  private constructor(
    readonly value: number,
    readonly add: boolean,
    readonly field: number,
  ) {}
  static tryFrom(v: number): SImm12 | undefined {
    if (!isInt(v) || v < -4095 || v > 4095) return undefined;
    return new SImm12(v, v >= 0, Math.abs(v));
  }
}

export type ShiftType = 'lsl' | 'lsr' | 'asr' | 'ror';

/**
 * A constant shift as DecodeImmShift sees it: type + imm5. LSL 0..31,
 * LSR/ASR 1..32 (32 encoded as 0), ROR 1..31. RRX is its own encoder.
 */
export class ShiftImm {
  readonly kind = 'shiftimm' as const;
  private constructor(
    readonly type: ShiftType,
    readonly amount: number,
    readonly typeBits: number,
    readonly imm5: number,
  ) {}
  static tryFrom(type: ShiftType, amount: number): ShiftImm | undefined {
    if (!isInt(amount)) return undefined;
    switch (type) {
      case 'lsl':
        return amount >= 0 && amount <= 31 ? new ShiftImm(type, amount, 0, amount) : undefined;
      case 'lsr':
        return amount >= 1 && amount <= 32 ? new ShiftImm(type, amount, 1, amount & 31) : undefined;
      case 'asr':
        return amount >= 1 && amount <= 32 ? new ShiftImm(type, amount, 2, amount & 31) : undefined;
      case 'ror':
        return amount >= 1 && amount <= 31 ? new ShiftImm(type, amount, 3, amount) : undefined;
    }
  }
  static readonly NONE: ShiftImm = new ShiftImm('lsl', 0, 0, 0);
}

/** VFPExpandImm: the 8-bit abcdefgh form of VMOV.F32/F64 #imm. */
export class VfpImm {
  readonly kind = 'vfpimm' as const;
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

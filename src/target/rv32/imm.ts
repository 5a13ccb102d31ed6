/**
 * Typed RV32 immediates. Each is a branded number that only its `tryFrom`
 * factory makes, returning undefined when the value has no encoding, so no
 * encoder ever masks a value. Branded numbers rather than objects (as on
 * Thumb, whose immediates carry split fields): every RV32 field is derived
 * from the value by shifts, and a number costs no allocation on the hot path.
 * `fits` answers the same question without the cast (encodability predicates
 * for choosing a compressed form).
 */

function inRange(v: number, lo: number, hi: number, align: number): boolean {
  return Number.isInteger(v) && v >= lo && v <= hi && v % align === 0;
}

/** A factory for one immediate kind: [lo, hi], multiple of `align`, optionally never 0. */
function kind<B extends string>(lo: number, hi: number, align = 1, nonzero = false) {
  const fits = (v: number): boolean => inRange(v, lo, hi, align) && (!nonzero || v !== 0);
  return {
    lo, hi, align,
    fits,
    tryFrom: (v: number): (number & { readonly __imm: B }) | undefined =>
      fits(v) ? (v as number & { readonly __imm: B }) : undefined,
  };
}

/** I/S-type 12-bit signed: -2048..2047 (addi, loads, stores, jalr). */
export type SImm12 = number & { readonly __imm: 'simm12' };
export const SImm12 = kind<'simm12'>(-2048, 2047);
/** U-type 20-bit field (lui/auipc put it in bits 31..12): 0..0xfffff. */
export type UImm20 = number & { readonly __imm: 'uimm20' };
export const UImm20 = kind<'uimm20'>(0, 0xfffff);
/** Shift amount of slli/srli/srai: 0..31. */
export type Shamt = number & { readonly __imm: 'shamt' };
export const Shamt = kind<'shamt'>(0, 31);
/** CSR number: 0..4095. */
export type CsrNum = number & { readonly __imm: 'csr' };
export const CsrNum = kind<'csr'>(0, 4095);
/** csrr?i zero-extended 5-bit immediate: 0..31. */
export type UImm5 = number & { readonly __imm: 'uimm5' };
export const UImm5 = kind<'uimm5'>(0, 31);
/** B-type branch offset: -4096..4094, even. */
export type BOff = number & { readonly __imm: 'boff' };
export const BOff = kind<'boff'>(-4096, 4094, 2);
/** J-type (jal) offset: -1 MiB..1 MiB-2, even. */
export type JOff = number & { readonly __imm: 'joff' };
export const JOff = kind<'joff'>(-0x100000, 0xffffe, 2);

// ---- RVC -------------------------------------------------------------------
/** c.li / c.andi: -32..31. */
export type CImm6 = number & { readonly __imm: 'cimm6' };
export const CImm6 = kind<'cimm6'>(-32, 31);
/** c.addi: -32..31, not 0 (c.addi rd, 0 is a hint). */
export type CNzImm6 = number & { readonly __imm: 'cnzimm6' };
export const CNzImm6 = kind<'cnzimm6'>(-32, 31, 1, true);
/** c.slli / c.srli / c.srai on RV32: 1..31 (shamt[5] must be 0, shamt 0 is a hint). */
export type CShamt = number & { readonly __imm: 'cshamt' };
export const CShamt = kind<'cshamt'>(1, 31, 1, true);
/** c.addi16sp: -512..496, multiple of 16, not 0. */
export type CAddi16spImm = number & { readonly __imm: 'caddi16sp' };
export const CAddi16spImm = kind<'caddi16sp'>(-512, 496, 16, true);
/** c.addi4spn: 4..1020, multiple of 4. */
export type CAddi4spnImm = number & { readonly __imm: 'caddi4spn' };
export const CAddi4spnImm = kind<'caddi4spn'>(4, 1020, 4, true);
/** c.lw / c.sw / c.flw / c.fsw offset: 0..124, multiple of 4. */
export type CMemOff = number & { readonly __imm: 'cmemoff' };
export const CMemOff = kind<'cmemoff'>(0, 124, 4);
/** c.lwsp / c.swsp / c.flwsp / c.fswsp offset: 0..252, multiple of 4. */
export type CSpOff = number & { readonly __imm: 'cspoff' };
export const CSpOff = kind<'cspoff'>(0, 252, 4);
/** c.beqz / c.bnez offset: -256..254, even. */
export type CBOff = number & { readonly __imm: 'cboff' };
export const CBOff = kind<'cboff'>(-256, 254, 2);
/** c.j / c.jal offset: -2048..2046, even. */
export type CJOff = number & { readonly __imm: 'cjoff' };
export const CJOff = kind<'cjoff'>(-2048, 2046, 2);

/**
 * c.lui's field: the U-type field (as for lui) it stands for, which must be
 * the sign extension of a nonzero 6-bit value: 1..31 or 0xfffe0..0xfffff.
 */
export type CLuiImm = number & { readonly __imm: 'clui' };
export const CLuiImm = {
  fits: (field: number): boolean =>
    Number.isInteger(field) && ((field >= 1 && field <= 31) || (field >= 0xfffe0 && field <= 0xfffff)),
  tryFrom: (field: number): CLuiImm | undefined => (CLuiImm.fits(field) ? (field as CLuiImm) : undefined),
};

/**
 * A 32-bit value (or PC-relative offset) split for lui/auipc + addi/load:
 * value = (hi << 12) + lo with lo sign-extended, hence the rounding of hi.
 * The offset of an auipc pair reaches -2^31-2048 .. 2^31-2049.
 */
export function splitHiLo(value: number): { hi: UImm20; lo: SImm12 } {
  const v = value | 0;
  const lo = ((v << 20) >> 20) as SImm12;
  const hi = (((v - lo) >>> 12) & 0xfffff) as UImm20;
  return { hi, lo };
}

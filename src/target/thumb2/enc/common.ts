/**
 * Encoded instructions. A narrow (16-bit) encoding is a number below 0x10000;
 * a wide one holds its first halfword in bits 31..16 and its second in 15..0,
 * the order of the ARM ARM's `hw1 hw2` diagrams. Every 32-bit Thumb encoding
 * has a first halfword >= 0xE800, so bit 31 is set: a wide encoding is kept as
 * a negative int32, which V8 passes around as a small integer instead of
 * boxing a double for every wide instruction, and `e < 0` tells the kinds apart.
 * Consumers read the halfwords with `e >>> 16` and `e & 0xffff`.
 */
import { InternalError } from '../../../errors.js';

export type Narrow = number & { readonly __width: 16 };
export type Wide = number & { readonly __width: 32 };
export type Enc = Narrow | Wide;

export function n16(v: number): Narrow {
  if (v < 0 || v > 0xffff || v >= 0xe800) throw new InternalError(`bad narrow encoding 0x${v.toString(16)}`);
  return v as Narrow;
}

export function w32(v: number): Wide {
  if (v >>> 16 < 0xe800) throw new InternalError(`bad wide encoding 0x${(v >>> 0).toString(16)}`);
  return (v | 0) as Wide;
}

export function isWide(e: Enc): e is Wide {
  return e < 0;
}

/** Range check for fields that are plain numbers (bit positions, list masks). */
export function field(v: number, lo: number, hi: number, what: string): number {
  if (!Number.isInteger(v) || v < lo || v > hi) throw new InternalError(`${what}: ${v} not in ${lo}..${hi}`);
  return v;
}

/** Byte form as objdump prints it: "f101 0001" or "1c48". */
export function encHex(e: Enc): string {
  if (isWide(e)) {
    return `${(e >>> 16).toString(16).padStart(4, '0')} ${(e & 0xffff).toString(16).padStart(4, '0')}`;
  }
  return e.toString(16).padStart(4, '0');
}

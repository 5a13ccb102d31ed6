/**
 * A bounded little-endian byte reader for the WebAssembly binary format.
 *
 * Every read checks the bound first, so no input can make it index past `end`
 * or throw anything but a DecodeError. Offsets in errors are absolute positions
 * in `bytes` (the whole module), as in wasmparser's BinaryReader.
 */
import { DecodeError } from '../errors.js';

export class Reader {
  readonly bytes: Uint8Array;
  pos: number;
  end: number;

  constructor(bytes: Uint8Array, start = 0, end = bytes.length) {
    this.bytes = bytes;
    this.pos = start;
    this.end = end;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  atEnd(): boolean {
    return this.pos >= this.end;
  }

  eof(what: string, need = 1): DecodeError {
    return new DecodeError(
      `unexpected end: ${what} needs ${need} byte(s), ${Math.max(0, this.end - this.pos)} left`,
      this.pos,
    );
  }

  u8(what = 'byte'): number {
    if (this.pos >= this.end) throw this.eof(what);
    return this.bytes[this.pos++]!;
  }

  /** Bytes as a view of the module (no copy). */
  view(n: number, what = 'bytes'): Uint8Array {
    if (n > this.end - this.pos) throw this.eof(what, n);
    const v = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }

  /** unsigned LEB128, at most 5 bytes, the unused bits of the last byte zero */
  u32(what = 'u32'): number {
    const b = this.bytes;
    const start = this.pos;
    let pos = start;
    if (pos < this.end) {
      const b0 = b[pos]!;
      if (b0 < 0x80) {
        this.pos = pos + 1;
        return b0;
      }
    }
    let result = 0;
    let shift = 0;
    for (;;) {
      if (pos >= this.end) {
        this.pos = pos;
        throw this.eof(what);
      }
      const byte = b[pos++]!;
      if (shift === 28) {
        if (byte & 0x80) throw new DecodeError(`integer representation too long (${what})`, start);
        if (byte & 0x70) throw new DecodeError(`integer too large (${what})`, start);
        result += byte * 0x10000000;
        break;
      }
      result |= (byte & 0x7f) << shift;
      shift += 7;
      if ((byte & 0x80) === 0) break;
    }
    this.pos = pos;
    return result;
  }

  /** unsigned LEB128, at most 10 bytes (the custom-page-sizes proposal's memory limits are u64) */
  u64(what = 'u64'): bigint {
    const start = this.pos;
    let result = 0n;
    for (let shift = 0n; ; shift += 7n) {
      if (this.pos >= this.end) throw this.eof(what);
      const byte = this.bytes[this.pos++]!;
      if (shift === 63n) {
        if (byte & 0x80) throw new DecodeError(`integer representation too long (${what})`, start);
        if (byte & 0x7e) throw new DecodeError(`integer too large (${what})`, start);
      }
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
    }
  }

  /** signed LEB128 for i32.const */
  s32(what = 's32'): number {
    const b = this.bytes;
    const start = this.pos;
    let pos = start;
    let result = 0;
    let shift = 0;
    let byte: number;
    for (;;) {
      if (pos >= this.end) {
        this.pos = pos;
        throw this.eof(what);
      }
      byte = b[pos++]!;
      if (shift === 28) {
        if (byte & 0x80) throw new DecodeError(`integer representation too long (${what})`, start);
        // bits 4..6 are beyond 32 bits and must repeat the sign bit (bit 3)
        const high = byte & 0x70;
        if (high !== ((byte & 0x08) ? 0x70 : 0)) throw new DecodeError(`integer too large (${what})`, start);
        result |= byte << 28;
        this.pos = pos;
        return result | 0;
      }
      result |= (byte & 0x7f) << shift;
      shift += 7;
      if ((byte & 0x80) === 0) break;
    }
    this.pos = pos;
    if (shift < 32 && (byte & 0x40)) result |= -1 << shift;
    return result | 0;
  }

  /** signed 33-bit LEB128, used only by block types; the result fits a double exactly */
  s33(what = 'block type'): number {
    const b = this.bytes;
    const start = this.pos;
    let pos = start;
    let result = 0;
    let mul = 1;
    let byte: number;
    for (let i = 0; ; i++) {
      if (pos >= this.end) {
        this.pos = pos;
        throw this.eof(what);
      }
      byte = b[pos++]!;
      if (i === 4) {
        if (byte & 0x80) throw new DecodeError(`integer representation too long (${what})`, start);
        // value bits 28..32 are byte bits 0..4; bits 5..6 must repeat bit 4
        const high = byte & 0x60;
        if (high !== ((byte & 0x10) ? 0x60 : 0)) throw new DecodeError(`integer too large (${what})`, start);
        result += (byte & 0x1f) * mul;
        this.pos = pos;
        return (byte & 0x10) ? result - 2 ** 33 : result;
      }
      result += (byte & 0x7f) * mul;
      mul *= 128;
      if ((byte & 0x80) === 0) break;
    }
    this.pos = pos;
    if (byte & 0x40) result -= mul;
    return result;
  }

  /** signed LEB128 for i64.const */
  s64(what = 's64'): bigint {
    const b = this.bytes;
    const start = this.pos;
    let pos = start;
    // Small values (the common case) avoid BigInt arithmetic per byte.
    let lo = 0;
    let shift = 0;
    let byte = 0;
    let i = 0;
    for (; i < 4; i++) {
      if (pos >= this.end) {
        this.pos = pos;
        throw this.eof(what);
      }
      byte = b[pos++]!;
      lo |= (byte & 0x7f) << shift;
      shift += 7;
      if ((byte & 0x80) === 0) {
        this.pos = pos;
        if (byte & 0x40) lo |= -1 << shift;
        return BigInt(lo);
      }
    }
    let result = BigInt(lo >>> 0);
    let bshift = 28n;
    for (; ; i++) {
      if (pos >= this.end) {
        this.pos = pos;
        throw this.eof(what);
      }
      byte = b[pos++]!;
      if (i === 9) {
        if (byte & 0x80) throw new DecodeError(`integer representation too long (${what})`, start);
        // only bit 0 is a value bit (bit 63); bits 1..6 must repeat it
        if (byte !== 0 && byte !== 0x7f) throw new DecodeError(`integer too large (${what})`, start);
        result |= BigInt(byte & 1) << 63n;
        this.pos = pos;
        return BigInt.asIntN(64, result);
      }
      result |= BigInt(byte & 0x7f) << bshift;
      bshift += 7n;
      if ((byte & 0x80) === 0) break;
    }
    this.pos = pos;
    if (byte & 0x40) result -= 1n << bshift;
    return BigInt.asIntN(64, result);
  }

  f32bits(): number {
    if (this.end - this.pos < 4) throw this.eof('f32', 4);
    const b = this.bytes;
    const p = this.pos;
    this.pos = p + 4;
    return (b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24)) >>> 0;
  }

  f64bits(): bigint {
    if (this.end - this.pos < 8) throw this.eof('f64', 8);
    const b = this.bytes;
    const p = this.pos;
    this.pos = p + 8;
    const lo = (b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24)) >>> 0;
    const hi = (b[p + 4]! | (b[p + 5]! << 8) | (b[p + 6]! << 16) | (b[p + 7]! << 24)) >>> 0;
    return (BigInt(hi) << 32n) | BigInt(lo);
  }

  /**
   * A vector count whose items take at least `minItemBytes` each: checked
   * against the bytes left so that a huge count never drives an allocation.
   */
  count(what: string, minItemBytes = 1): number {
    const at = this.pos;
    const n = this.u32(`${what} count`);
    if (minItemBytes > 0 && n > (this.end - this.pos) / minItemBytes) {
      throw new DecodeError(`${what} count ${n} exceeds the ${this.end - this.pos} remaining bytes`, at);
    }
    return n;
  }

  /** A name: u32 length then UTF-8, validated. */
  name(what = 'name'): string {
    const at = this.pos;
    const len = this.u32(`${what} length`);
    if (len > this.end - this.pos) throw new DecodeError(`unexpected end: ${what} of ${len} bytes, ${this.end - this.pos} left`, at);
    const start = this.pos;
    this.pos += len;
    return decodeUtf8(this.bytes, start, start + len);
  }
}

/** Strict UTF-8 (no overlongs, no surrogates, max U+10FFFF), as the spec requires for names. */
export function decodeUtf8(b: Uint8Array, start: number, end: number): string {
  let s = '';
  let i = start;
  while (i < end) {
    const c = b[i]!;
    if (c < 0x80) {
      s += String.fromCharCode(c);
      i++;
      continue;
    }
    let cp: number;
    let n: number;
    let min: number;
    if (c >= 0xc2 && c <= 0xdf) { cp = c & 0x1f; n = 1; min = 0x80; }
    else if (c >= 0xe0 && c <= 0xef) { cp = c & 0x0f; n = 2; min = 0x800; }
    else if (c >= 0xf0 && c <= 0xf4) { cp = c & 0x07; n = 3; min = 0x10000; }
    else throw new DecodeError('malformed UTF-8 encoding', i);
    if (i + n >= end) throw new DecodeError('malformed UTF-8 encoding (truncated)', i);
    for (let k = 1; k <= n; k++) {
      const cc = b[i + k]!;
      if ((cc & 0xc0) !== 0x80) throw new DecodeError('malformed UTF-8 encoding', i);
      cp = (cp << 6) | (cc & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
      throw new DecodeError('malformed UTF-8 encoding', i);
    }
    s += String.fromCodePoint(cp);
    i += n + 1;
  }
  return s;
}

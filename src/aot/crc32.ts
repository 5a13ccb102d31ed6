/**
 * CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320), as zlib computes it.
 * A 16-entry nibble table keeps it small; the C runtime uses the same scheme.
 */
const NIBBLE_TABLE: readonly number[] = (() => {
  const t: number[] = [];
  for (let n = 0; n < 16; n++) {
    let c = n;
    for (let k = 0; k < 4; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
    t.push(c >>> 0);
  }
  return t;
})();

/** Continues a CRC: pass the previous result as `crc` (0 to start). */
export function crc32Update(crc: number, bytes: Uint8Array, start = 0, end = bytes.length): number {
  let c = ~crc >>> 0;
  for (let i = start; i < end; i++) {
    c ^= bytes[i]!;
    c = (c >>> 4) ^ NIBBLE_TABLE[c & 15]!;
    c = (c >>> 4) ^ NIBBLE_TABLE[c & 15]!;
  }
  return ~c >>> 0;
}

export function crc32(bytes: Uint8Array): number {
  return crc32Update(0, bytes);
}

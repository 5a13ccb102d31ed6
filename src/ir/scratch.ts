/**
 * Reused memory for the per-function temporaries of the IR passes and the register allocator.
 *
 * Each pass needs a dozen arrays sized by the function's vregs, instructions or labels, and a large module
 * has thousands of functions: a fresh typed array of more than a few words gets its own backing store
 * (allocated, zeroed, tracked as external memory, which also brings the next GC forward), at about ten times
 * the cost of a view on memory that already exists. So the passes take their arrays from one growing buffer
 * instead, and give them all back when the pass ends.
 *
 * Use: `const mark = scratch.mark(); try { ... scratch.int32(n) ... } finally { scratch.release(mark); }`.
 * An array is valid until the release of a mark taken before it; nothing taken here may outlive its pass
 * (results handed to a caller are ordinary arrays). One instance per thread (module state); the passes never
 * run re-entrantly.
 */

/** Bytes of the first buffer; it doubles (at least) whenever a request does not fit. */
const INITIAL_BYTES = 64 * 1024;

export class Scratch {
  private buf = new ArrayBuffer(INITIAL_BYTES);
  private at = 0;
  /** How many times the buffer was outgrown: the arrays of an earlier buffer stay valid (they keep it alive). */
  private generation = 0;

  /** A point to release back to. */
  mark(): number {
    return this.generation * 2 ** 32 + this.at;
  }

  /** Gives back every array taken since `mark`. */
  release(mark: number): void {
    // after the buffer was outgrown, everything in the current one was taken after the mark
    this.at = Math.floor(mark / 2 ** 32) === this.generation ? mark % 2 ** 32 : 0;
  }

  /** `bytes` (a multiple of 8) at an 8-aligned offset of `buf`, which this may replace: read `buf` after. */
  private reserve(bytes: number): number {
    if (this.at + bytes > this.buf.byteLength) {
      let size = 2 * this.buf.byteLength;
      while (size < bytes) size *= 2;
      this.buf = new ArrayBuffer(size);
      this.generation++;
      this.at = 0;
    }
    const off = this.at;
    this.at += bytes;
    return off;
  }

  /** `n` int32s, each `fill` (0 by default). */
  int32(n: number, fill = 0): Int32Array {
    const at = this.reserve((4 * n + 7) & ~7);
    const a = new Int32Array(this.buf, at, n);
    a.fill(fill);
    return a;
  }

  /** `n` uint32s, all 0. */
  uint32(n: number): Uint32Array {
    const at = this.reserve((4 * n + 7) & ~7);
    const a = new Uint32Array(this.buf, at, n);
    a.fill(0);
    return a;
  }

  /** `n` bytes, all 0. */
  uint8(n: number): Uint8Array {
    const at = this.reserve((n + 7) & ~7);
    const a = new Uint8Array(this.buf, at, n);
    a.fill(0);
    return a;
  }

  /** `n` float64s, all 0. */
  float64(n: number): Float64Array {
    const at = this.reserve(8 * n);
    const a = new Float64Array(this.buf, at, n);
    a.fill(0);
    return a;
  }
}

/** This thread's scratch memory for the IR passes. */
export const scratch = new Scratch();

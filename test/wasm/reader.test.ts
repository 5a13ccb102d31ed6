import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DecodeError } from '../../src/errors.js';
import { Reader, decodeUtf8 } from '../../src/wasm/reader.js';
import { moduleWith, sleb, I32, I64 } from './builder.js';
import { V8 } from './v8.js';

const r = (...b: number[]): Reader => new Reader(new Uint8Array(b));

function decodeErr(fn: () => unknown, re: RegExp, offset: number): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof DecodeError, `expected DecodeError, got ${String(e)}`);
    assert.match(e.detail, re);
    assert.equal(e.offset, offset);
    return true;
  });
}

test('u32: spec limits on length and unused bits', () => {
  assert.equal(r(0xff, 0xff, 0xff, 0xff, 0x0f).u32(), 0xffffffff);
  assert.equal(r(0x80, 0x80, 0x80, 0x80, 0x00).u32(), 0); // padded zero is allowed
  assert.equal(r(0xe5, 0x8e, 0x26).u32(), 624485);
  decodeErr(() => r(0x80, 0x80, 0x80, 0x80, 0x80, 0x00).u32(), /too long/, 0);
  decodeErr(() => r(0xff, 0xff, 0xff, 0xff, 0x1f).u32(), /too large/, 0);
  decodeErr(() => r(0x80, 0x80).u32(), /unexpected end/, 2);
  const rd = r(0x05, 0x90);
  assert.equal(rd.u32(), 5);
  decodeErr(() => rd.u32(), /unexpected end/, 2);
});

test('s32 and s33: sign bits of the last byte', () => {
  assert.equal(r(0x7f).s32(), -1);
  assert.equal(r(0x80, 0x80, 0x80, 0x80, 0x78).s32(), -2147483648);
  assert.equal(r(0xff, 0xff, 0xff, 0xff, 0x07).s32(), 2147483647);
  assert.equal(r(0xff, 0xff, 0xff, 0xff, 0x7f).s32(), -1);
  decodeErr(() => r(0xff, 0xff, 0xff, 0xff, 0x4f).s32(), /too large/, 0);
  decodeErr(() => r(0x80, 0x80, 0x80, 0x80, 0x70).s32(), /too large/, 0);
  assert.equal(r(0x40).s33(), -64);
  assert.equal(r(0xff, 0xff, 0xff, 0xff, 0x0f).s33(), 0xffffffff);
  assert.equal(r(0x80, 0x80, 0x80, 0x80, 0x70).s33(), -(2 ** 32));
  decodeErr(() => r(0x80, 0x80, 0x80, 0x80, 0x20).s33(), /too large/, 0);
});

test('s64: tenth byte', () => {
  const min = [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f];
  assert.equal(new Reader(new Uint8Array(min)).s64(), -(2n ** 63n));
  const max = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00];
  assert.equal(new Reader(new Uint8Array(max)).s64(), 2n ** 63n - 1n);
  decodeErr(() => new Reader(new Uint8Array([...max.slice(0, 9), 0x01])).s64(), /too large/, 0);
  decodeErr(() => new Reader(new Uint8Array([...max.slice(0, 9), 0x80, 0x00])).s64(), /too long/, 0);
});

function u8(n: number): number {
  return n & 0xff;
}

/** Random (possibly padded) s32/s64 encodings decoded by V8 (i32/i64.const returned) and by the Reader. */
test('s32/s64 agree with V8 on random values and padded encodings', () => {
  let seed = 12345;
  const rnd = (): number => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return seed;
  };
  for (let i = 0; i < 200; i++) {
    const is64 = i % 2 === 1;
    const bits = rnd() % (is64 ? 64 : 32);
    let v: bigint = BigInt(rnd()) * BigInt(rnd()) * BigInt(rnd());
    v = BigInt.asIntN(is64 ? 64 : 32, v >> BigInt(is64 ? 96 - bits : 96 - bits));
    let enc = sleb(v);
    // pad with redundant sign-extension bytes up to the maximum length
    const maxLen = is64 ? 10 : 5;
    const pad = rnd() % (maxLen - enc.length + 1);
    if (pad > 0) {
      const fill = v < 0n ? 0x7f : 0x00;
      enc = [...enc.slice(0, -1), enc[enc.length - 1]! | 0x80, ...new Array<number>(pad - 1).fill(fill | 0x80), fill];
      if (is64 && enc.length === 10) enc[9] = v < 0n ? 0x7f : 0x00;
      if (!is64 && enc.length === 5) enc[4] = v < 0n ? 0x7f : 0x00;
    }
    const bytes = moduleWith({ funcs: [{ results: [is64 ? I64 : I32], code: [is64 ? 0x42 : 0x41, ...enc.map(u8)] }] });
    const exportSec = [0x07, 0x05, 0x01, 0x01, 0x66, 0x00, 0x00];
    // insert an export "f" before the code section (last section)
    const codeAt = bytes.length - (bytes.length - findCodeSection(bytes));
    const full = new Uint8Array([...bytes.slice(0, codeAt), ...exportSec, ...bytes.slice(codeAt)]);
    const inst = new V8.Instance(new V8.Module(full));
    const f = inst.exports['f'] as () => number | bigint;
    const expected = BigInt(f());
    const rd = new Reader(new Uint8Array(enc));
    const got = is64 ? rd.s64() : BigInt(rd.s32());
    assert.equal(got, expected, `encoding ${enc.map((b) => b.toString(16)).join(' ')}`);
    assert.equal(rd.pos, enc.length);
  }
});

function findCodeSection(b: Uint8Array): number {
  let p = 8;
  for (;;) {
    const at = p;
    const id = b[p++]!;
    let size = 0;
    let shift = 0;
    for (;;) {
      const x = b[p++]!;
      size |= (x & 0x7f) << shift;
      shift += 7;
      if (!(x & 0x80)) break;
    }
    if (id === 10) return at;
    p += size;
  }
}

test('count: a vector count larger than the remaining bytes is refused before allocating', () => {
  decodeErr(() => r(0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2).count('thing', 1), /thing count 4294967295 exceeds the 2 remaining/, 0);
  decodeErr(() => r(0x02, 0x00, 0x00).count('pair', 2), /exceeds/, 0);
  assert.equal(r(0x02, 0x00, 0x00, 0x00, 0x00).count('pair', 2), 2);
});

test('floats keep their bits', () => {
  assert.equal(r(0x00, 0x00, 0xc0, 0x7f).f32bits(), 0x7fc00000);
  assert.equal(r(1, 2, 3, 4, 5, 6, 7, 0x88).f64bits(), 0x8807060504030201n);
  decodeErr(() => r(1, 2, 3).f32bits(), /f32/, 0);
});

test('names: strict UTF-8 (matches TextDecoder fatal)', () => {
  const td = new TextDecoder('utf-8', { fatal: true });
  const cases: number[][] = [
    [0x61, 0x62], [0xc3, 0xa9], [0xe2, 0x82, 0xac], [0xf0, 0x9f, 0x98, 0x80],
    [0xc0, 0x80], [0xc1, 0xbf], [0xe0, 0x80, 0x80], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80],
    [0xf5, 0x80, 0x80, 0x80], [0xc3], [0xe2, 0x82], [0x80], [0xff], [0xef, 0xbf, 0xbf], [0xf0, 0x90, 0x80, 0x80],
  ];
  for (const c of cases) {
    const b = new Uint8Array(c);
    let ref: string | undefined;
    try { ref = td.decode(b); } catch { ref = undefined; }
    let ours: string | undefined;
    try { ours = decodeUtf8(b, 0, b.length); } catch (e) { assert.ok(e instanceof DecodeError); ours = undefined; }
    assert.equal(ours, ref, `bytes ${c.map((x) => x.toString(16)).join(' ')}`);
  }
  decodeErr(() => r(0x03, 0x61, 0xc0, 0x80).name(), /malformed UTF-8/, 2);
  decodeErr(() => r(0x05, 0x61).name(), /unexpected end/, 0);
});

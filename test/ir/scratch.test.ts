/**
 * The IR passes' reused memory (src/ir/scratch.ts): arrays come back filled as asked, never overlap while
 * taken, survive the buffer being outgrown, and a release makes their space available again.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Scratch } from '../../src/ir/scratch.js';

test('arrays are filled as asked and do not overlap while taken', () => {
  const s = new Scratch();
  const mark = s.mark();
  const a = s.int32(5, -1);
  const b = s.uint8(3);
  const c = s.float64(2);
  const d = s.uint32(7);
  assert.deepEqual([...a], [-1, -1, -1, -1, -1]);
  assert.deepEqual([...b], [0, 0, 0]);
  assert.deepEqual([...c], [0, 0]);
  assert.deepEqual([...d], [0, 0, 0, 0, 0, 0, 0]);
  a.fill(7); b.fill(8); c.fill(9); d.fill(10);
  assert.deepEqual([...a], [7, 7, 7, 7, 7]);
  assert.deepEqual([...b], [8, 8, 8]);
  assert.deepEqual([...c], [9, 9]);
  assert.deepEqual([...d], [10, 10, 10, 10, 10, 10, 10]);
  s.release(mark);
  // the space is reused, and refilled
  const e = s.int32(5);
  assert.equal(e.buffer, a.buffer);
  assert.equal(e.byteOffset, a.byteOffset);
  assert.deepEqual([...e], [0, 0, 0, 0, 0]);
});

test('arrays taken before the buffer is outgrown stay valid, and nested releases keep outer arrays', () => {
  const s = new Scratch();
  const outer = s.mark();
  const a = s.int32(100, 3);
  const inner = s.mark();
  // more than the first buffer: a new one
  const big = s.float64(100_000);
  assert.notEqual(big.buffer, a.buffer);
  big.fill(1);
  assert.ok(a.every((x) => x === 3));
  s.release(inner);
  const b = s.int32(10, 4);
  assert.ok(a.every((x) => x === 3));
  assert.ok(b.every((x) => x === 4));
  s.release(outer);
  // everything was given back: the grown buffer is used from its start
  const c = s.uint8(16);
  assert.equal(c.buffer, big.buffer);
  assert.equal(c.byteOffset, 0);
});

test('an inner release before the buffer grew keeps what was taken between the marks', () => {
  const s = new Scratch();
  const m1 = s.mark();
  const a = s.int32(10, 1);
  const m2 = s.mark();
  const b = s.int32(10, 2);
  s.release(m2);
  const c = s.int32(10, 5);
  assert.equal(c.byteOffset, b.byteOffset);
  assert.ok(a.every((x) => x === 1));
  s.release(m1);
});

/**
 * The IR's conditions: every comparison's inverse is its exact negation (NaN included), and the Thumb-2
 * condition code each one becomes holds exactly when the comparison does, given the flags CMP and VCMP + VMRS
 * really set (ARM ARM: NZCV of a - b; VCMP: equal 0110, less 1000, greater 0010, unordered 0011). The
 * references are JavaScript's own integer and IEEE comparisons.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { holdsF, holdsI32, invertCmp, type Cmp, type FCond, type ICond } from '../../src/ir/ir.js';
import { armCond } from '../../src/target/thumb2/opt/cmp.js';
import type { Cond } from '../../src/target/thumb2/regs.js';

const ICONDS: readonly ICond[] = ['eq', 'ne', 'lt_s', 'ge_s', 'gt_s', 'le_s', 'lt_u', 'ge_u', 'gt_u', 'le_u'];
const FCONDS: readonly FCond[] = ['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'ult', 'ule', 'ugt', 'uge'];
const WORDS = [0, 1, 2, 0x7fffffff, 0x80000000, 0x80000001, 0xfffffffe, 0xffffffff, 12345, 0xdeadbeef];
const FLOATS = [NaN, -Infinity, -1.5, -0, 0, 1, 1.5, Infinity];

interface Flags { n: boolean; z: boolean; c: boolean; v: boolean }

function holdsArm(c: Cond, f: Flags): boolean {
  switch (c) {
    case 'eq': return f.z; case 'ne': return !f.z; case 'cs': return f.c; case 'cc': return !f.c;
    case 'mi': return f.n; case 'pl': return !f.n; case 'vs': return f.v; case 'vc': return !f.v;
    case 'hi': return f.c && !f.z; case 'ls': return !f.c || f.z;
    case 'ge': return f.n === f.v; case 'lt': return f.n !== f.v;
    case 'gt': return !f.z && f.n === f.v; case 'le': return f.z || f.n !== f.v;
    case 'al': return true;
  }
}

/** NZCV after CMP a, b. */
function cmpFlags(a: number, b: number): Flags {
  const r = (a - b) >>> 0;
  const sa = a | 0, sb = b | 0;
  return { n: r >= 0x80000000, z: r === 0, c: a >>> 0 >= b >>> 0, v: sa - sb !== (r | 0) };
}

/** NZCV after VCMP a, b; VMRS APSR_nzcv, FPSCR. */
function vcmpFlags(a: number, b: number): Flags {
  if (Number.isNaN(a) || Number.isNaN(b)) return { n: false, z: false, c: true, v: true };
  if (a === b) return { n: false, z: true, c: true, v: false };
  return a < b ? { n: true, z: false, c: false, v: false } : { n: false, z: false, c: true, v: false };
}

test('integer conditions: the inverse negates, and the ARM code after CMP agrees with the comparison', () => {
  for (const cond of ICONDS) {
    for (const a of WORDS) {
      for (const b of WORDS) {
        const cmp: Cmp = { k: 'i32', cond, a: 0, b: 1 };
        const inv = invertCmp(cmp);
        assert.equal(inv.k === 'i32' && holdsI32(inv.cond, a, b), !holdsI32(cond, a, b), `not ${cond} ${a} ${b}`);
        assert.equal(holdsArm(armCond(cmp), cmpFlags(a, b)), holdsI32(cond, a, b), `${cond} ${a} ${b}`);
      }
    }
  }
});

test('float conditions: Wasm semantics with NaN, exact inverses, and the ARM code after VCMP agrees', () => {
  // Wasm's own comparisons are the ordered ones, and ne
  for (const a of FLOATS) {
    for (const b of FLOATS) {
      assert.equal(holdsF('lt', a, b), a < b);
      assert.equal(holdsF('ne', a, b), a !== b);
      for (const cond of FCONDS) {
        const cmp: Cmp = { k: 'f', cond, a: 0, b: 1 };
        const inv = invertCmp(cmp);
        assert.equal(inv.k === 'f' && holdsF(inv.cond, a, b), !holdsF(cond, a, b), `not ${cond} ${a} ${b}`);
        assert.equal(holdsArm(armCond(cmp), vcmpFlags(a, b)), holdsF(cond, a, b), `${cond} ${a} ${b}`);
      }
    }
  }
});

test('a bit test inverts between eq and ne; an ordered 64-bit compare other than lt/ge is refused', () => {
  assert.deepEqual(invertCmp({ k: 'test', cond: 'ne', a: 0, b: { imm: 4 } }), { k: 'test', cond: 'eq', a: 0, b: { imm: 4 } });
  assert.equal(armCond({ k: 'i64', cond: 'lt_u', a: 0, ah: 1, b: 2, bh: 3 }), 'cc');
  assert.throws(() => armCond({ k: 'i64', cond: 'gt_s', a: 0, ah: 1, b: 2, bh: 3 }), /lt\/ge/);
});

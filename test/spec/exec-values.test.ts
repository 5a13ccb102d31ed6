/** The spec's result rules as the board runner applies them (NaN classes, exact bits, reference handles). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareResults, toWasmValue, valueMatches } from './exec-values.js';
import { cause } from './exec-report.js';

describe('spec result comparison', () => {
  it('nan:canonical accepts the canonical NaN of either sign only', () => {
    const canon = { type: 'f32', value: 'nan:canonical' };
    assert.equal(valueMatches(canon, { type: 'f32', bits: 0x7fc00000n }), true);
    assert.equal(valueMatches(canon, { type: 'f32', bits: 0xffc00000n }), true);
    assert.equal(valueMatches(canon, { type: 'f32', bits: 0x7fc00001n }), false);
    assert.equal(valueMatches(canon, { type: 'f32', bits: 0x7f800000n }), false);
    const canon64 = { type: 'f64', value: 'nan:canonical' };
    assert.equal(valueMatches(canon64, { type: 'f64', bits: 0xfff8000000000000n }), true);
    assert.equal(valueMatches(canon64, { type: 'f64', bits: 0x7ff8000000000001n }), false);
  });

  it('nan:arithmetic needs the quiet bit, any payload and sign', () => {
    const arith = { type: 'f64', value: 'nan:arithmetic' };
    assert.equal(valueMatches(arith, { type: 'f64', bits: 0x7ff8000000000001n }), true);
    assert.equal(valueMatches(arith, { type: 'f64', bits: 0xfff8000000000000n }), true);
    assert.equal(valueMatches(arith, { type: 'f64', bits: 0x7ff0000000000001n }), false);
    assert.equal(valueMatches(arith, { type: 'f64', bits: 0x3ff0000000000000n }), false);
  });

  it('numbers compare by exact bits and type', () => {
    assert.equal(valueMatches({ type: 'f32', value: '2147483648' }, { type: 'f32', bits: 0x80000000n }), true);
    assert.equal(valueMatches({ type: 'f32', value: '0' }, { type: 'f32', bits: 0x80000000n }), false);
    assert.equal(valueMatches({ type: 'i64', value: '18446744073709551615' }, { type: 'i64', bits: 0xffffffffffffffffn }), true);
    assert.equal(valueMatches({ type: 'i32', value: '1' }, { type: 'i64', bits: 1n }), false);
    assert.equal(compareResults([{ type: 'i32', value: '3' }], []), 'expected i32:3, got (nothing)');
    assert.equal(compareResults([], []), undefined);
  });

  it('ref.extern N travels as handle N + 1 so that ref.extern 0 is not null', () => {
    assert.deepEqual(toWasmValue({ type: 'externref', value: '0' }), { type: 'externref', bits: 1n });
    assert.deepEqual(toWasmValue({ type: 'externref', value: 'null' }), { type: 'externref', bits: 0n });
    assert.equal(valueMatches({ type: 'externref', value: '0' }, { type: 'externref', bits: 1n }), true);
    assert.equal(valueMatches({ type: 'externref', value: 'null' }, { type: 'externref', bits: 1n }), false);
    assert.equal(valueMatches({ type: 'externref' }, { type: 'externref', bits: 5n }), true);
    assert.equal(valueMatches({ type: 'funcref', value: 'null' }, { type: 'funcref', bits: 0n }), true);
    assert.equal(valueMatches({ type: 'funcref' }, { type: 'funcref', bits: 0n }), false);
  });

  it('groups failures by cause', () => {
    const f = (reason: string): string => cause({ file: 'x.wast', line: 1, command: 'c', reason });
    assert.equal(f('compile error: UnsupportedError: operator f32.sqrt not supported (at offset 0x12)'),
      f('module at line 3 did not compile: compile error: UnsupportedError: operator f32.sqrt not supported (at offset 0x40)'));
    assert.equal(f('expected i32:1, got i32:2 (0x2)'), 'wrong result in x.wast');
    assert.equal(f('fault: F HardFault cfsr=0x0'), 'fault (HardFault)');
  });
});

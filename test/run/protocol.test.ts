/** The driver's side of the batch protocol and the value text forms of `xipwasm run`. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodeName, encodeRequest, parseAnswer } from '../../src/run/protocol.js';
import { describeValue, parseValueText, valueToText } from '../../src/run/values.js';

describe('batch protocol', () => {
  it('percent-encodes names so that any byte string is one field', () => {
    assert.equal(encodeName('add'), '=add');
    assert.equal(encodeName('a b%c'), '=a%20b%25c');
    assert.equal(encodeName(''), '=');
    assert.equal(encodeName('\u00e9\n'), '=%c3%a9%0a');
  });

  it('encodes requests as the firmware parses them', () => {
    const inv = encodeRequest(7, {
      kind: 'invoke', module: 3, name: 'f x',
      args: [{ type: 'i32', bits: -1n }, { type: 'f64', bits: 0x7ff8000000000001n }],
    }, undefined, 0);
    assert.equal(inv, 'I 7 3 =f%20x ? i32:0xffffffff f64:0x7ff8000000000001');
    assert.equal(encodeRequest(1, { kind: 'module', image: new Uint8Array(10) }, { address: 0x100000, size: 10 }, 4), 'M 1 0x100000 10 4');
    assert.equal(encodeRequest(2, { kind: 'register', module: 1, name: 'M' }, undefined, 0), 'N 2 1 =M');
    assert.equal(encodeRequest(3, { kind: 'reset' }, undefined, 0), 'Z 3');
  });

  it('parses every kind of answer', () => {
    assert.deepEqual(parseAnswer('R 4 i32:0x0000002a f64:0x7ff8000000000000'), {
      kind: 'result', idx: 4, result: { kind: 'values', values: [{ type: 'i32', bits: 42n }, { type: 'f64', bits: 0x7ff8000000000000n }] },
    });
    assert.deepEqual(parseAnswer('R 5'), { kind: 'result', idx: 5, result: { kind: 'values', values: [] } });
    assert.deepEqual(parseAnswer('T 6 7 trap: integer divide by zero'), {
      kind: 'result', idx: 6, result: { kind: 'trap', code: 7, message: 'integer divide by zero' },
    });
    assert.deepEqual(parseAnswer('E 8 20 unknown import spectest.nope'), {
      kind: 'result', idx: 8, result: { kind: 'error', code: 20, message: 'unknown import spectest.nope' },
    });
    assert.deepEqual(parseAnswer('K 9 0xdeadbeef'), { kind: 'result', idx: 9, result: { kind: 'crc', crc: 0xdeadbeef } });
    const f = parseAnswer('F MemManage cfsr=0x00000082 hfsr=0x00000000 addr=0x00100040 pc=0x00000988 lr=0x00000227');
    assert.ok(f?.kind === 'fault');
    assert.equal(f.fault.kind, 'MemManage');
    assert.equal(f.fault.address, 0x00100040);
    assert.equal(f.fault.pc, 0x988);
    const g = parseAnswer('F MemManage cfsr=0x00000001 hfsr=0x00000000 addr=- pc=0x20000000 lr=0x000009ad');
    assert.ok(g?.kind === 'fault' && g.fault.address === undefined);
    assert.deepEqual(parseAnswer('D 12'), { kind: 'done', count: 12 });
    assert.equal(parseAnswer('qemu-system-arm: some warning'), undefined);
  });
});

describe('run values', () => {
  it('parses integers by type, signed or unsigned, decimal or hex', () => {
    assert.equal(parseValueText('i32', '-1').bits, 0xffffffffn);
    assert.equal(parseValueText('i32', '0x80000000').bits, 0x80000000n);
    assert.equal(parseValueText('i64', '-9223372036854775808').bits, 0x8000000000000000n);
    assert.equal(parseValueText('i32', 'i32:7').bits, 7n);
    assert.throws(() => parseValueText('i32', '4294967296'), /does not fit/);
    assert.throws(() => parseValueText('i32', 'i64:1'), /has type i64/);
    assert.throws(() => parseValueText('i32', '1.5'), /not an i32/);
  });

  it('parses floats to the bits a typed array gives', () => {
    const f32 = (x: number): bigint => BigInt(new Uint32Array(new Float32Array([x]).buffer)[0] as number);
    const f64 = (x: number): bigint => new BigUint64Array(new Float64Array([x]).buffer)[0] as bigint;
    assert.equal(parseValueText('f32', '1.5').bits, f32(1.5));
    assert.equal(parseValueText('f32', '0.1').bits, f32(0.1));
    assert.equal(parseValueText('f64', '-0').bits, f64(-0));
    assert.equal(parseValueText('f64', '0x1.8p3').bits, f64(12));
    assert.equal(parseValueText('f64', '-inf').bits, f64(-Infinity));
    assert.equal(parseValueText('f32', 'nan').bits, 0x7fc00000n);
    assert.equal(parseValueText('f32', '-nan:0x1').bits, 0xff800001n);
    assert.equal(parseValueText('f64', 'nan:0x4000000000000').bits, 0x7ff4000000000000n);
    assert.equal(parseValueText('f32', 'bits:0x3f800000').bits, 0x3f800000n);
    assert.throws(() => parseValueText('f32', 'nan:0x0'), /out of range/);
    assert.throws(() => parseValueText('f32', 'one'), /not an f32/);
  });

  it('prints values with their type, value and bits', () => {
    assert.equal(valueToText({ type: 'i32', bits: 0xfffffffen }), 'i32:-2');
    assert.equal(valueToText({ type: 'f32', bits: 0x3fc00000n }), 'f32:1.5 (0x3fc00000)');
    assert.equal(valueToText({ type: 'f64', bits: 0xfff8000000000000n }), 'f64:-nan (0xfff8000000000000)');
    assert.equal(valueToText({ type: 'funcref', bits: 0n }), 'funcref:null');
    assert.deepEqual(describeValue({ type: 'i64', bits: 0xffffffffffffffffn }), { type: 'i64', value: '-1', bits: '0xffffffffffffffff' });
    assert.deepEqual(describeValue({ type: 'f64', bits: 0x8000000000000000n }), { type: 'f64', value: '-0', bits: '0x8000000000000000' });
  });
});

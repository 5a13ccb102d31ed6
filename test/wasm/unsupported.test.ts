import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UnsupportedError } from '../../src/errors.js';
import { parseModule } from '../../src/wasm/index.js';
import { I32, codeStartOf, funcType, moduleWith, section, str, vec, wasm } from './builder.js';
import { V8 } from './v8.js';

function refused(bytes: Uint8Array, feature: RegExp, offset: number, v8Accepts?: boolean): void {
  assert.throws(() => parseModule(bytes), (e: unknown) => {
    assert.ok(e instanceof UnsupportedError, `expected UnsupportedError, got ${String(e)}`);
    assert.match(e.detail, feature);
    assert.equal(e.offset, offset, e.message);
    return true;
  });
  // where V8 implements the proposal, the module is a real one, not garbage
  if (v8Accepts !== undefined) assert.equal(V8.validate(bytes), v8Accepts);
}

test('SIMD: 0xFD prefix and the v128 type', () => {
  // v128.const 0 then drop
  const simd = moduleWith({ funcs: [{ code: [0xfd, 0x0c, ...new Array<number>(16).fill(0), 0x1a] }] });
  refused(simd, /SIMD.*opcode 0xfd/, codeStartOf(simd), true);
  refused(wasm(section(1, vec([funcType([0x7b], [])]))), /SIMD.*v128/, 8 + 2 + 3);
});

test('threads: atomics prefix and shared memory', () => {
  const atomics = moduleWith({ memory: true, funcs: [{ code: [0xfe, 0x03, 0x00] }] });
  refused(atomics, /threads.*0xfe/, codeStartOf(atomics));
  refused(wasm(section(5, vec([[0x03, 0x01, 0x01]]))), /threads.*shared memory/, 8 + 3, true);
});

test('exception handling: tag section, try/throw', () => {
  const types = section(1, vec([funcType([], [])]));
  refused(wasm(types, section(13, vec([[0x00, 0x00]]))), /exception handling.*tag section/, 8 + types.length, true);
  const tryBlock = moduleWith({ funcs: [{ code: [0x06, 0x40, 0x0b] }] });
  refused(tryBlock, /exception handling.*0x6/, codeStartOf(tryBlock));
  refused(wasm(section(2, vec([[...str('m'), ...str('t'), 0x04, 0x00, 0x00]]))), /exception handling.*tag import/, 8 + 2 + 1 + 4);
});

test('tail calls, memory64, GC are named', () => {
  const tail = moduleWith({ funcs: [{ code: [0x12, 0x00] }] });
  refused(tail, /tail calls.*0x12/, codeStartOf(tail), true);
  const tailIndirect = moduleWith({ funcs: [{ code: [0x41, 0x00, 0x13, 0x00, 0x00] }] });
  refused(tailIndirect, /tail calls.*0x13/, codeStartOf(tailIndirect) + 2);
  refused(wasm(section(5, vec([[0x04, 0x01]]))), /memory64/, 8 + 3);
  refused(wasm(section(1, vec([[0x5f, 0x00, 0x00]]))), /GC.*0x5f/, 8 + 3);
  const gc = moduleWith({ funcs: [{ code: [0xfb, 0x00] }] });
  refused(gc, /GC/, codeStartOf(gc));
});

test('multi-value and mutable-global import/export are supported (2.0)', () => {
  const mv = wasm(
    section(1, vec([funcType([I32], [I32, I32])])),
    section(2, vec([[...str('m'), ...str('g'), 0x03, I32, 0x01]])),
    section(3, vec([[0]])),
    section(7, vec([[...str('g'), 0x03, 0x00]])),
    // block (type 0) with param i32 and two results, then drop one
    section(10, vec([[0x09, 0x00, 0x20, 0x00, 0x02, 0x00, 0x20, 0x00, 0x0b, 0x0b]])),
  );
  assert.equal(V8.validate(mv), true);
  parseModule(mv);
});

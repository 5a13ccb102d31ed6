import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CompileError, DecodeError, UnsupportedError, ValidationError } from '../../src/errors.js';
import { decodeModule, parseModule } from '../../src/wasm/index.js';
import {
  HEADER, I32, codeStartOf, funcType, moduleWith, section, str, uleb, vec, wasm,
} from './builder.js';
import { V8 } from './v8.js';

type ErrClass = typeof DecodeError | typeof ValidationError | typeof UnsupportedError;

/** Expects `cls` at exactly `offset`, with the message matching `re`; also checks V8 rejects it. */
function rejects(bytes: Uint8Array, cls: ErrClass, re: RegExp, offset: number, v8 = true): CompileError {
  let err: unknown;
  try {
    parseModule(bytes);
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof cls, `expected ${cls.name}, got ${String(err)}`);
  const ce = err as CompileError;
  assert.match(ce.detail, re);
  assert.equal(ce.offset, offset, `offset of "${ce.message}"`);
  assert.doesNotMatch(ce.message, /\n/);
  if (v8 && cls !== UnsupportedError) assert.equal(V8.validate(bytes), false, 'V8 accepts it');
  return ce;
}

test('header errors point at the magic and the version', () => {
  rejects(new Uint8Array([0, 0x61, 0x73]), DecodeError, /magic/, 0);
  rejects(new Uint8Array([0, 0x61, 0x73, 0x6d, 2, 0, 0, 0]), DecodeError, /version/, 4);
  rejects(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0]), DecodeError, /unexpected end/, 4);
});

test('section framing: unknown id, order, size larger than the file, size mismatch', () => {
  rejects(wasm([0x0e, 0x00]), DecodeError, /section id 14/, 8);
  const type = section(1, vec([funcType([], [])]));
  rejects(wasm(type, type), DecodeError, /duplicate or out of order/, 8 + type.length);
  // section size claims 100 bytes, 2 present: the offset is the size field
  rejects(wasm([0x01, 100, 0x01, 0x60]), DecodeError, /exceeds the 2 remaining/, 9);
  // a type section with a trailing byte inside its declared size
  rejects(wasm([0x01, 0x05, 0x01, 0x60, 0x00, 0x00, 0xaa]), DecodeError, /section size mismatch/, 14);
});

test('huge counts are refused before any allocation', () => {
  // type count 2^32-1 in a 6-byte section
  const e = rejects(wasm([0x01, 0x06, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x60]), DecodeError, /type count 4294967295 exceeds/, 10);
  assert.equal(e.kind, 'decode');
  rejects(wasm(section(1, vec([funcType([], [])])), section(3, vec([[0]])), [0x0a, 0x06, 0x01, 0xff, 0xff, 0xff, 0x0f, 0x00]), DecodeError, /body size/, 8 + 6 + 4 + 3);
});

test('bad value type: offset of the type byte', () => {
  // type section: count 1, 0x60, 1 param, param byte 0x55 at offset 8+2+3
  rejects(wasm([0x01, 0x05, 0x01, 0x60, 0x01, 0x55, 0x00]), DecodeError, /malformed parameter type 0x55/, 13);
});

test('operator errors: illegal opcode and zero byte point at their byte', () => {
  const illegal = moduleWith({ funcs: [{ code: [0x01, 0x01, 0xc5] }] });
  rejects(illegal, DecodeError, /illegal opcode 0xc5/, codeStartOf(illegal) + 2);
  const grow = moduleWith({ memory: true, funcs: [{ results: [I32], code: [0x41, 0x00, 0x40, 0x01] }] });
  rejects(grow, DecodeError, /zero byte expected/, codeStartOf(grow) + 3);
  const fc = moduleWith({ funcs: [{ code: [0xfc, 0x7f] }] });
  rejects(fc, DecodeError, /illegal opcode 0xfc 127/, codeStartOf(fc));
});

test('function and code counts, data count rules', () => {
  const t = section(1, vec([funcType([], [])]));
  rejects(wasm(t, section(3, vec([[0], [0]])), section(10, vec([[0x02, 0x00, 0x0b]]))), DecodeError, /inconsistent lengths \(2 vs 1\)/, 8 + 6 + 5 + 2);
  rejects(wasm(t, section(3, vec([[0]]))), DecodeError, /function and code section/, 8 + 6 + 4);
  const dataCount = section(12, [0x01]);
  rejects(wasm(section(5, vec([[0x00, 0x01]])), dataCount), DecodeError, /data count and data section/, 8 + 5 + 3);
  // memory.init without a data count section: offset of the operator
  const init = moduleWith({ memory: true, funcs: [{ code: [0x41, 0, 0x41, 0, 0x41, 0, 0xfc, 0x08, 0x00, 0x00] }] });
  rejects(init, DecodeError, /data count section required/, codeStartOf(init) + 6);
});

test('names: invalid UTF-8 in an import name', () => {
  const imp = section(2, vec([[...str('m'), 0x02, 0xc0, 0x80, 0x03, 0x00, 0x00]]));
  rejects(wasm(imp), DecodeError, /UTF-8/, 8 + 2 + 1 + 2 + 1);
});

test('too many locals', () => {
  const m = moduleWith({ funcs: [{ locals: [[0xffffffff, I32], [2, I32]], code: [] }] });
  rejects(m, DecodeError, /too many locals/, codeStartOf(m) - 1 + 1 + 6);
});

test('name section: module and function names are kept; a broken one is ignored', () => {
  const names = section(0, [...str('name'),
    ...section(0, str('mod')),
    ...section(1, vec([[...uleb(0), ...str('main')]]))]);
  const ok = moduleWith({ funcs: [{ code: [] }] });
  const withNames = new Uint8Array([...ok, ...names]);
  const m = parseModule(withNames);
  assert.equal(m.names.moduleName, 'mod');
  assert.equal(m.names.functions.get(0), 'main');
  // truncated function-names subsection and invalid UTF-8: still a valid module, for V8 too
  const broken = new Uint8Array([...ok, ...section(0, [...str('name'), ...section(0, str('x')), 0x01, 0x09, 0x01, 0x00, 0x02, 0xc0, 0x80])]);
  assert.equal(V8.validate(broken), true);
  const mb = parseModule(broken);
  assert.equal(mb.names.moduleName, 'x');
  assert.equal(mb.names.functions.size, 0);
  // any other custom section is skipped whatever it contains
  assert.doesNotThrow(() => parseModule(new Uint8Array([...ok, ...section(0, [...str('junk'), 0xff, 0xff, 0xff])])));
  // but a custom section's own name must be well-formed
  rejects(new Uint8Array([...ok, ...section(0, [0x02, 0xc0, 0x80])]), DecodeError, /UTF-8/, ok.length + 3);
});

test('decodeModule exposes the structure', () => {
  const bytes = wasm(
    section(1, vec([funcType([I32], [I32])])),
    section(2, vec([[...str('env'), ...str('g'), 0x03, I32, 0x01]])),
    section(3, vec([[0]])),
    section(7, vec([[...str('f'), 0x00, 0x00], [...str('g'), 0x03, 0x00]])),
    section(10, vec([[0x04, 0x00, 0x20, 0x00, 0x0b]])),
  );
  const m = decodeModule(bytes);
  assert.equal(m.numImportedGlobals, 1);
  assert.deepEqual(m.globalTypes[0], { valType: I32, mutable: true });
  assert.deepEqual(m.exports.map((e) => [e.name, e.kind, e.index]), [['f', 'func', 0], ['g', 'global', 0]]);
  assert.equal(m.codes[0]!.codeEnd - m.codes[0]!.codeStart, 3);
  assert.equal(V8.validate(bytes), true);
  parseModule(bytes);
  assert.deepEqual([...HEADER], [...bytes.slice(0, 8)]);
});

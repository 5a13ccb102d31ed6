import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CompileError, UnsupportedError, ValidationError } from '../../src/errors.js';
import { FuncValidator, OperatorReader, decodeModule, parseModule, validatedMaxStackHeight } from '../../src/wasm/index.js';
import {
  EXTERNREF, F32, FUNCREF, I32, I64, codeStartOf, funcType, moduleWith, section, str, vec, wasm, type FuncSpec, uleb,
} from './builder.js';
import { V8 } from './v8.js';

/** Our verdict must match V8's; for rejections also the class and offset. */
function check(bytes: Uint8Array, valid: boolean, re?: RegExp, offset?: number): void {
  assert.equal(V8.validate(bytes), valid, 'V8 disagrees with the expectation');
  let err: unknown;
  try {
    parseModule(bytes);
  } catch (e) {
    err = e;
  }
  if (valid) {
    assert.equal(err, undefined, `rejected: ${String(err)}`);
    return;
  }
  assert.ok(err instanceof ValidationError, `expected ValidationError, got ${String(err)}`);
  if (re) assert.match(err.detail, re);
  if (offset !== undefined) assert.equal(err.offset, offset, err.message);
}

function fn(f: FuncSpec, memory = false): Uint8Array {
  return moduleWith({ funcs: [f], memory });
}

test('operand types, arity and the offset of the offending operator', () => {
  check(fn({ results: [I32], code: [0x41, 0x01, 0x41, 0x02, 0x6a] }), true);
  const bad = fn({ results: [I32], code: [0x41, 0x01, 0x42, 0x02, 0x6a] });
  check(bad, false, /expected i32, found i64/, codeStartOf(bad) + 4);
  const empty = fn({ code: [0x1a] });
  check(empty, false, /stack is empty/, codeStartOf(empty));
  check(fn({ code: [0x41, 0x01] }), false, /remain/);
  check(fn({ results: [I32, I64], code: [0x41, 0x01, 0x42, 0x02] }), true);
});

test('unreachable code is polymorphic (spec appendix Unknown type)', () => {
  check(fn({ results: [I32], code: [0x00, 0x6a] }), true);
  check(fn({ results: [I32], code: [0x00, 0x1b] }), true);
  check(fn({ code: [0x00, 0x42, 0x00, 0x6a, 0x1a] }), false, /expected i32, found i64/);
  // br_table over labels of different types but equal arity in unreachable code
  check(fn({ results: [I32], code: [0x02, 0x7d, 0x00, 0x0e, 0x01, 0x00, 0x01, 0x0b, 0x1a, 0x41, 0x00] }), true);
  check(fn({ code: [0x02, 0x7f, 0x00, 0x0b, 0x1a] }), true);
});

test('blocks, if/else, multi-value block types, labels', () => {
  check(fn({ results: [I32], code: [0x41, 0x01, 0x04, 0x7f, 0x41, 0x02, 0x05, 0x41, 0x03, 0x0b] }), true);
  check(fn({ results: [I32], code: [0x41, 0x01, 0x04, 0x7f, 0x41, 0x02, 0x0b] }), false, /if without else/);
  check(fn({ code: [0x0c, 0x01] }), false, /unknown label 1/);
  check(fn({ code: [0x05] }), false, /else/);
  check(fn({ code: [0x02, 0x05, 0x0b] }), false, /unknown type 5/);
});

test('locals, globals, memory and alignment', () => {
  check(fn({ params: [I32], locals: [[2, F32]], results: [F32], code: [0x20, 0x02] }), true);
  check(fn({ params: [I32], locals: [[2, F32]], code: [0x20, 0x03, 0x1a] }), false, /unknown local 3/);
  // a huge local declaration is looked up without expanding it
  check(fn({ locals: [[3, I32], [40000, I64]], results: [I64], code: [0x20, 0xc2, 0x38] }), true);
  check(fn({ results: [I32], code: [0x41, 0x00, 0x28, 0x02, 0x00] }, true), true);
  const align = fn({ results: [I32], code: [0x41, 0x00, 0x28, 0x03, 0x00] }, true);
  check(align, false, /alignment/, codeStartOf(align) + 2);
  check(fn({ results: [I32], code: [0x41, 0x00, 0x28, 0x02, 0x00] }), false, /unknown memory/);
  const g = section(6, vec([[I32, 0x00, 0x41, 0x00, 0x0b]]));
  check(moduleWith({ funcs: [{ code: [0x41, 0x01, 0x24, 0x00] }], between: [g] }), false, /immutable/);
});

test('constant expressions follow 2.0: only imported immutable globals', () => {
  const imp = (mut: number): number[] => section(2, vec([[...str('m'), ...str('g'), 0x03, I32, mut]]));
  check(wasm(imp(0), section(6, vec([[I32, 0x00, 0x23, 0x00, 0x0b]]))), true);
  check(wasm(imp(1), section(6, vec([[I32, 0x00, 0x23, 0x00, 0x0b]]))), false, /constant expression required/);
  check(wasm(section(6, vec([[I32, 0x00, 0x41, 0x00, 0x0b], [I32, 0x00, 0x23, 0x00, 0x0b]]))), false, /unknown global 0/);
  check(wasm(section(6, vec([[I64, 0x00, 0x41, 0x00, 0x0b]]))), false, /type mismatch/);
  check(wasm(section(6, vec([[I32, 0x00, 0x41, 0x00, 0x41, 0x00, 0x6a, 0x0b]]))), false, /constant expression required|type mismatch/);
});

test('reference types: ref.func declarations, typed select, tables', () => {
  const t = section(1, vec([funcType([], [])]));
  const f = section(3, vec([[0]]));
  const code = (ops: number[]): number[] => section(10, vec([[ops.length + 2, 0x00, ...ops, 0x0b]]));
  // ref.func 0 needs 0 to be declared (export, elem or global)
  check(wasm(t, f, code([0xd2, 0x00, 0x1a])), false, /undeclared function reference/);
  check(wasm(t, f, section(7, vec([[...str('f'), 0x00, 0x00]])), code([0xd2, 0x00, 0x1a])), true);
  check(wasm(t, f, section(9, vec([[0x03, 0x00, 0x01, 0x00]])), code([0xd2, 0x00, 0x1a])), true);
  check(wasm(t, f, code([0xd0, FUNCREF, 0xd0, FUNCREF, 0x41, 0x00, 0x1b, 0x1a])), false, /numeric/);
  check(wasm(t, f, code([0xd0, FUNCREF, 0xd0, FUNCREF, 0x41, 0x00, 0x1c, 0x01, FUNCREF, 0x1a])), true);
  check(wasm(t, f, code([0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0x1c, 0x02, I32, I32, 0x1a])), false, /arity/);
  const tables = section(4, vec([[FUNCREF, 0x00, 0x01], [EXTERNREF, 0x00, 0x01]]));
  check(wasm(t, f, tables, code([0x41, 0x00, 0x25, 0x01, 0x1a])), true);
  check(wasm(t, f, tables, code([0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xfc, 0x0e, 0x00, 0x01])), false, /table.copy/);
  check(wasm(t, f, tables, code([0x41, 0x00, 0x11, 0x00, 0x01])), false, /funcref/);
});

test('module-level rules: exports, start, memories, limits', () => {
  const t = section(1, vec([funcType([], [])]));
  const ti = section(1, vec([funcType([I32], [])]));
  const f = section(3, vec([[0]]));
  const body = section(10, vec([[0x02, 0x00, 0x0b]]));
  check(wasm(t, f, section(7, vec([[...str('a'), 0x00, 0x00], [...str('a'), 0x00, 0x00]])), body), false, /duplicate export name/);
  check(wasm(ti, f, section(8, [0x00]), body), false, /start function/);
  // invalid for this V8 (WebAssembly 2.0), valid with multi-memory: refused as not supported either way
  const twoMemories = wasm(section(5, vec([[0x00, 0x01], [0x00, 0x01]])));
  assert.equal(V8.validate(twoMemories), false);
  assert.throws(() => parseModule(twoMemories), (e) => e instanceof UnsupportedError && /^not supported: multiple memories/.test(e.message));
  check(wasm(section(5, vec([[0x00, 0x81, 0x80, 0x04]]))), false, /65536/);
  check(wasm(section(5, vec([[0x01, 0x02, 0x01]]))), false, /minimum/);
  check(wasm(section(5, vec([[0x01, 0x00, 0x80, 0x80, 0x04]]))), true);
});

test('100k-deep nesting is validated iteratively (no stack overflow)', () => {
  const depth = 100_000;
  const code: number[] = [];
  for (let i = 0; i < depth; i++) code.push(0x02, 0x40);
  for (let i = 0; i < depth; i++) code.push(0x0b);
  const ok = fn({ code });
  parseModule(ok);
  // the same with a type error at the innermost level
  const bad = fn({ code: [...code.slice(0, 2 * depth), 0x41, 0x00, ...code.slice(2 * depth)] });
  assert.throws(() => parseModule(bad), (e: unknown) => e instanceof ValidationError && e.offset === codeStartOf(bad) + 2 * depth + 2);
  // unbalanced: never closed
  assert.throws(() => parseModule(fn({ code: code.slice(0, 2 * depth) })), (e: unknown) => e instanceof CompileError);
  // if/loop nesting with branches to the outermost label
  const deep: number[] = [];
  for (let i = 0; i < depth; i++) deep.push(0x03, 0x40);
  deep.push(0x0c, ...uleb(depth - 1));
  for (let i = 0; i < depth; i++) deep.push(0x0b);
  parseModule(fn({ code: deep }));
});

test('FuncValidator step API: validate-then-visit over OperatorReader', async () => {
  const { FuncValidator, OperatorReader, decodeModule } = await import('../../src/wasm/index.js');
  // (func (result i32) i32.const 1 block unreachable end i32.const 2 i32.add)
  const bytes = fn({ results: [I32], code: [0x41, 0x01, 0x02, 0x40, 0x00, 0x0b, 0x41, 0x02, 0x6a] });
  const m = decodeModule(bytes);
  const body = m.codes[0]!;
  const v = new FuncValidator(m);
  v.begin(body, 0);
  const ops = new OperatorReader(bytes, body.codeStart, body.codeEnd);
  const seen: string[] = [];
  while (!v.done) {
    const ins = ops.read();
    v.step(ins);
    seen.push(`${ins.op.toString(16)}:${v.stackHeight}:${v.reachable ? 'r' : 'u'}:${v.controlDepth}`);
  }
  assert.deepEqual(seen, ['41:1:r:1', '2:1:r:2', '0:1:u:2', 'b:1:r:1', '41:2:r:1', '6a:1:r:1', 'b:1:u:0']);
  assert.equal(ops.atEnd(), true);
});

test('validateModule records each function body\'s maximum operand-stack height', () => {
  // f0: three constants stacked, then dropped: 3. f1 (one import before it): a block
  // whose two operands sit on one outer value: 3, then a call's two arguments: 2.
  const bytes = wasm(
    section(1, vec([funcType([], []), funcType([I32, I32], [])])),
    section(2, vec([[...str('m'), ...str('f'), 0x00, 0x01]])),
    section(3, vec([uleb(0), uleb(0)])),
    section(10, vec([
      [0x41, 0x01, 0x41, 0x02, 0x41, 0x03, 0x1a, 0x1a, 0x1a, 0x0b],
      [0x41, 0x00, 0x02, 0x7f, 0x41, 0x01, 0x41, 0x02, 0x6a, 0x0b, 0x1a, 0x1a, 0x41, 0x00, 0x41, 0x00, 0x10, 0x00, 0x0b],
    ].map((b) => [...uleb(b.length + 1), 0x00, ...b]))),
  );
  assert.equal(V8.validate(bytes), true);
  assert.equal(validatedMaxStackHeight(decodeModule(bytes), 1), undefined, 'not validated yet');
  const m = parseModule(bytes);
  assert.deepEqual([validatedMaxStackHeight(m, 1), validatedMaxStackHeight(m, 2)], [3, 3]);
  // The same figure as stepping a FuncValidator and watching stackHeight (what code generators did).
  for (let f = 1; f <= 2; f++) {
    const body = m.codes[f - 1]!;
    const v = new FuncValidator(m);
    v.begin(body, f);
    const ops = new OperatorReader(m.bytes, body.codeStart, body.codeEnd);
    let max = 0;
    while (!ops.atEnd()) {
      v.step(ops.read());
      max = Math.max(max, v.stackHeight);
    }
    assert.equal(validatedMaxStackHeight(m, f), max);
  }
});

/**
 * Functions compiled apart (module.ts: compileFunctions, assembleModule): a function's code does not depend on
 * which functions were compiled before it in the same buffer, so any split of the functions over any number of
 * threads assembles to the image a whole-module compile gives. The CLI's worker threads rely on this
 * (test/cli/jobs.test.ts checks them end to end).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Thumb2Assembler } from '../../../src/target/thumb2/select.js';
import { R0, R1 } from '../../../src/target/thumb2/regs.js';
import { InternalError } from '../../../src/errors.js';
import { compileModule } from '../../../src/compile.js';
import { writeAot } from '../../../src/aot/writer.js';
import { parseModule } from '../../../src/wasm/index.js';
import { resolveCompileOptions } from '../../../src/xip/options.js';
import { assembleModule, compileFunctions, definedFunctions, type FunctionCode } from '../../../src/target/thumb2/module.js';
import { repoRoot } from '../../../src/run/index.js';

test('after beginIndependent an earlier constant is not shared, and uses of external labels are only recorded', () => {
  const a = new Thumb2Assembler();
  const other = a.buf.externalLabel();
  a.ldrConst(R0, 0x12345678);
  a.flushIsland();
  const afterFirst = a.offset;
  // without the reset, this load would reach back into the first pool instead of getting a pool of its own
  a.ldrConst(R1, 0x12345678);
  a.flushIsland();
  assert.equal(a.offset - afterFirst, 4, 'the second load shares the first pool');
  a.buf.beginIndependent();
  const start = a.offset;
  a.ldrConst(R1, 0x12345678);
  a.bl(other);
  a.flushIsland();
  assert.equal(a.offset - start, 4 + 4 + 4, 'load, BL, and its own pool word');
  const uses = a.buf.takeExternalUses();
  assert.deepEqual(uses, [{ use: start + 4, label: other, kind: 'bl' }]);
  assert.deepEqual(a.buf.takeExternalUses(), []);
  assert.equal(a.buf.isBound(other), false);
  assert.throws(() => a.bind(other), InternalError);
  a.finish();
});

test('beginIndependent refuses to start while a use still waits', () => {
  const a = new Thumb2Assembler();
  const later = a.newLabel();
  a.b(later);
  assert.throws(() => a.buf.beginIndependent(), /uses waiting/);
});

/** Every defined function compiled in `batches` (each in its own buffer, in the order given), then assembled. */
function splitCompile(bytes: Uint8Array, cpu: string, optLevel: number | undefined, batches: readonly (readonly number[])[]): Uint8Array {
  const module = parseModule(bytes);
  const options = resolveCompileOptions({ cpu, xip: true, optLevel });
  const byIndex = new Map<number, FunctionCode>();
  for (const b of batches) for (const c of compileFunctions(module, options, b)) byIndex.set(c.funcIndex, c);
  const codes = definedFunctions(module).map((f) => byIndex.get(f)!);
  const { aot } = assembleModule(module, options, codes);
  return writeAot(aot);
}

const SQL_JS = join(repoRoot(), 'node_modules', 'sql.js', 'dist', 'sql-wasm.wasm');

test('sql.js: the functions split over three batches, each in reverse order, assemble to compileModule\'s image', (ctx) => {
  if (!existsSync(SQL_JS)) return ctx.skip('sql.js (a devDependency) is not installed');
  const bytes = new Uint8Array(readFileSync(SQL_JS));
  const funcs = definedFunctions(parseModule(bytes));
  const batches = [0, 1, 2].map((k) => funcs.filter((_, i) => i % 3 === k).reverse());
  for (const [cpu, optLevel] of [['cortex-m3', undefined], ['cortex-m55', 0]] as const) {
    const whole = compileModule(bytes, { cpu, xip: true, optLevel }).image;
    assert.ok(Buffer.from(splitCompile(bytes, cpu, optLevel, batches)).equals(whole), `${cpu} opt-level ${optLevel ?? 'default'}`);
  }
});

test('assembleModule wants every defined function once, in index order', (ctx) => {
  if (!existsSync(SQL_JS)) return ctx.skip('sql.js (a devDependency) is not installed');
  const module = parseModule(new Uint8Array(readFileSync(SQL_JS)));
  const options = resolveCompileOptions({ cpu: 'cortex-m3', xip: true, optLevel: 0 });
  const [f, g] = definedFunctions(module);
  const codes = compileFunctions(module, options, [g!, f!]);
  assert.throws(() => assembleModule(module, options, codes), InternalError);
  assert.throws(() => compileFunctions(module, options, [0]), /not a defined function/);
});

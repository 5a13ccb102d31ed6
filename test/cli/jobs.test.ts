/**
 * `xipwasm compile --jobs`: the functions compiled on worker threads as well as the main one give the very bytes a
 * single-threaded compile gives (test/target/thumb2/apart.test.ts checks the core's side of that promise).
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileModule } from '../../src/compile.js';
import { main } from '../../src/cli/main.js';
import { nodeIo, type CliIo } from '../../src/cli/io.js';
import { compileWithJobs } from '../../src/cli/jobs.js';
import { repoRoot } from '../../src/run/index.js';
import { testModuleBytes } from '../xip/module-fixture.js';

const SQL_JS = join(repoRoot(), 'node_modules', 'sql.js', 'dist', 'sql-wasm.wasm');
const dir = mkdtempSync(join(tmpdir(), 'xw-jobs-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('sql.js on 2 and 3 threads: every thread\'s functions land, and the image is compileModule\'s', async (ctx) => {
  if (!existsSync(SQL_JS)) return ctx.skip('sql.js (a devDependency) is not installed');
  const bytes = new Uint8Array(readFileSync(SQL_JS));
  const raw = { cpu: 'cortex-m55', xip: true, optLevel: 0 };
  const want = compileModule(bytes, raw).image;
  for (const jobs of [2, 3]) {
    const { result, report } = await compileWithJobs(bytes, raw, jobs);
    assert.equal(report.redone, undefined);
    assert.equal(report.functionsPerThread.length, jobs);
    assert.equal(report.functionsPerThread.reduce((a, b) => a + b, 0), result.stats.functions);
    assert.ok(Buffer.from(result.image).equals(want), `--jobs=${jobs}: functions per thread ${report.functionsPerThread.join(' + ')}`);
  }
});

test('a small module compiles on this thread alone whatever --jobs says, and --jobs wants a count', async () => {
  const bytes = testModuleBytes();
  const { result, report } = await compileWithJobs(bytes, { cpu: 'cortex-m3', xip: true }, 4);
  assert.deepEqual(report.functionsPerThread, [result.stats.functions]);
  assert.ok(Buffer.from(result.image).equals(compileModule(bytes, { cpu: 'cortex-m3', xip: true }).image));
  const input = join(dir, 'small.wasm');
  writeFileSync(input, bytes);
  let err = '';
  const io: CliIo = { ...nodeIo, out: () => undefined, err: (t) => { err += t; } };
  assert.equal(await main(['compile', '--cpu=cortex-m3', '--jobs=0', '-o', join(dir, 'small.aot'), input], io), 1);
  assert.match(err, /--jobs takes a thread count/);
  assert.equal(await main(['compile', '--cpu=cortex-m3', '--jobs=2', '-o', join(dir, 'small.aot'), input], io), 0);
  assert.ok(Buffer.from(readFileSync(join(dir, 'small.aot'))).equals(compileModule(bytes, { cpu: 'cortex-m3' }).image));
});

const leb = (n: number): number[] => {
  const out: number[] = [];
  do {
    const b = n & 0x7f;
    n >>>= 7;
    out.push(n === 0 ? b : b | 0x80);
  } while (n !== 0);
  return out;
};
const section = (id: number, payload: number[]): number[] => [id, ...leb(payload.length), ...payload];

/** Three [] -> [] functions of about 12 KiB of code each (more than one batch); the last leaves a value behind when `bad`. */
function bigModule(bad: boolean): Uint8Array {
  const body = (last: boolean): number[] => {
    const code = [0x00];
    for (let i = 0; i < 4000; i++) code.push(0x41, 0x00, 0x1a);
    if (last && bad) code.push(0x41, 0x00);
    code.push(0x0b);
    return [...leb(code.length), ...code];
  };
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [0x01, 0x60, 0x00, 0x00]),
    ...section(3, [0x03, 0x00, 0x00, 0x00]),
    ...section(10, [0x03, ...body(false), ...body(false), ...body(true)]),
  ]);
}

test('an invalid module gives the single-threaded error on 2 threads, a valid one the same bytes', async () => {
  const out: Record<string, { code: number; err: string; aot?: Buffer }> = {};
  for (const bad of [true, false]) {
    const input = join(dir, `big-${bad}.wasm`);
    writeFileSync(input, bigModule(bad));
    for (const jobs of ['1', '2']) {
      let err = '';
      const io: CliIo = { ...nodeIo, out: () => undefined, err: (t) => { err += t; } };
      const output = join(dir, `big-${bad}-${jobs}.aot`);
      const code = await main(['compile', '--cpu=cortex-m3', `--jobs=${jobs}`, '-o', output, input], io);
      out[`${bad} ${jobs}`] = { code, err, ...(code === 0 ? { aot: readFileSync(output) } : {}) };
    }
  }
  assert.equal(out['true 1']!.code, 1);
  assert.match(out['true 1']!.err, /^xipwasm: error: .*type mismatch/);
  assert.deepEqual(out['true 2'], out['true 1']);
  assert.equal(out['false 1']!.code, 0);
  assert.ok(out['false 2']!.aot!.equals(out['false 1']!.aot!));
});

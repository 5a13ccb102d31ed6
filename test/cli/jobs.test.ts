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

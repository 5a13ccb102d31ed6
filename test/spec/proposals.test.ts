/**
 * The custom-page-sizes proposal's rules, as the repository's own scripts (test/spec/proposals/custom-page-sizes,
 * converted by wast-lite): the front end must reject each assert_malformed module with a DecodeError and each
 * assert_invalid module with a ValidationError naming the expected text, both with a byte offset, and accept every
 * other module; the execution scripts must pass every assertion on the boards, with both compiler tiers.
 * V8 (Node 20) has no custom page sizes, so the scripts' expectations, taken from the proposal, are the reference.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { CompileError, DecodeError, ValidationError } from '../../src/errors.js';
import { boardSpec, type BoardName } from '../../src/run/boards.js';
import { buildFirmware } from '../../src/run/firmware.js';
import { parseModule } from '../../src/wasm/index.js';
import { runWastFile } from './exec.js';
import { loadWast } from './wast.js';

const DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../test/spec/proposals/custom-page-sizes');
const script = (name: string): string => join(DIR, `${name}.wast`);

function tool(cmd: string): boolean {
  try {
    execFileSync(cmd, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const missing = ['qemu-system-arm', 'arm-none-eabi-gcc'].filter((t) => !tool(t));
const skipBoards = missing.length > 0 ? `${missing.join(' and ')} not installed` : false;

describe('custom-page-sizes: front end', () => {
  for (const name of ['invalid', 'limits-valid', 'page-size-1']) {
    it(`${name}.wast: malformed, invalid and valid modules`, () => {
      let malformed = 0, invalid = 0, valid = 0;
      for (const c of loadWast(script(name)).commands) {
        if (c.type !== 'module' && c.type !== 'assert_malformed' && c.type !== 'assert_invalid' && c.type !== 'assert_unlinkable' &&
          !(c.type === 'assert_trap' && c.module !== undefined)) continue;
        const file = c.module!;
        assert.equal(file.moduleType, 'binary', `line ${c.line}`);
        let error: unknown;
        try {
          parseModule(readFileSync(file.path));
        } catch (e) {
          error = e;
        }
        if (c.type === 'assert_malformed' || c.type === 'assert_invalid') {
          const want = c.type === 'assert_malformed' ? DecodeError : ValidationError;
          assert.ok(error instanceof want, `line ${c.line}: ${c.type} "${c.text}" gave ${String(error)}`);
          assert.ok((error as CompileError).message.includes(c.text), `line ${c.line}: "${(error as Error).message}" lacks "${c.text}"`);
          assert.ok((error as CompileError).offset >= 8, `line ${c.line}: no byte offset in "${(error as Error).message}"`);
          if (c.type === 'assert_malformed') malformed++;
          else invalid++;
        } else {
          assert.equal(error, undefined, `line ${c.line}: ${c.type} module rejected: ${String(error)}`);
          valid++;
        }
      }
      // the counts pin the scripts' size, so that a conversion that drops commands fails
      const expected: Record<string, [number, number, number]> = {
        invalid: [6, 13, 2], 'limits-valid': [0, 0, 8], 'page-size-1': [0, 0, 23],
      };
      assert.deepEqual([malformed, invalid, valid], expected[name], `${name}: malformed/invalid/valid`);
    });
  }
});

const RUNS: readonly { board: BoardName; optLevel?: number }[] = [
  { board: 'mps2-an385' }, { board: 'mps2-an385', optLevel: 0 }, { board: 'mps3-an547' },
];

describe('custom-page-sizes: execution on the boards', { skip: skipBoards }, () => {
  for (const run of RUNS) {
    it(`${run.board}${run.optLevel === 0 ? ' --opt-level=0' : ''}: every assertion passes`, async () => {
      const spec = boardSpec(run.board);
      const firmware = await buildFirmware(spec.name);
      for (const [name, count] of [['page-size-1', 105], ['invalid', 2]] as const) {
        const r = await runWastFile(script(name), spec, firmware, { board: spec.name, ...(run.optLevel !== undefined ? { optLevel: run.optLevel } : {}) });
        assert.deepEqual(r.failures, [], `${name}.wast`);
        assert.equal(r.passed, count, `${name}.wast passed`);
        assert.equal(r.skipped, 0);
      }
    });
  }
});

/**
 * The spec testsuite executed on the emulated boards (compiled with --xip for each board's CPU, plus the M55 in the
 * two extra compiler modes): each run must pass at least 99.5% of its assertions. A small control script with
 * doctored expectations proves the runner catches wrong results, wrong trap messages, hangs, and relaunches.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { BoardName } from '../../src/run/boards.js';
import { boardSpec } from '../../src/run/boards.js';
import { buildFirmware } from '../../src/run/firmware.js';
import type { ExecOptions } from './exec.js';
import { runWastFile, runWastFiles } from './exec.js';
import { failureLine, groupedFailures, totalLine, totals } from './exec-report.js';
import { findTestsuite, listWastFiles, wast2jsonAvailable } from './wast.js';

function tool(cmd: string): boolean {
  try {
    execFileSync(cmd, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const dir = findTestsuite();
const missing = ['qemu-system-arm', 'arm-none-eabi-gcc'].filter((t) => !tool(t));
const skipTools = missing.length > 0 ? `${missing.join(' and ')} not installed` : !wast2jsonAvailable() ? 'wast2json (wabt) not installed' : false;
const skipSuite = skipTools !== false ? skipTools : !dir ? 'spec testsuite not found (XIPWASM_TESTSUITE or ../shared/testsuite/core)' : false;

/** Every line marked `;; FAIL` must fail, every other assertion must pass; `;; FAIL-WATCHDOG` fails only when the
    firmware's watchdog stops the spin and the launch goes on (memory keeps the 7 stored before). */
const CONTROL = `(module $A
  (memory 1)
  (global (export "g") i32 (i32.const 0))
  (func $rec (export "rec") (call $rec))
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (func (export "spin") (loop (br 0)))
  (func (export "store") (param i32) (i32.store (i32.const 0) (local.get 0)))
  (func (export "load") (result i32) (i32.load (i32.const 0)))
  (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
  (func (export "nan") (result f32) (f32.div (f32.const 0) (f32.const 0)))
)
(register "A" $A)
(assert_return (invoke "add" (i32.const 1) (i32.const 2)) (i32.const 3))
(assert_return (invoke "add" (i32.const 1) (i32.const 2)) (i32.const 4)) ;; FAIL
(assert_return (invoke "nan") (f32.const nan:canonical))
(assert_return (invoke "nan") (f32.const 0)) ;; FAIL
(assert_trap (invoke "div" (i32.const 1) (i32.const 0)) "integer divide by zero")
(assert_trap (invoke "div" (i32.const 1) (i32.const 0)) "integer overflow") ;; FAIL
(assert_trap (invoke "div" (i32.const 1) (i32.const 1)) "integer divide by zero") ;; FAIL
(invoke "store" (i32.const 7))
(assert_return (invoke "load") (i32.const 7))
(module $B (import "A" "add" (func $add (param i32 i32) (result i32)))
  (func (export "add3") (param i32) (result i32) (call $add (local.get 0) (i32.const 3))))
(invoke $A "spin") ;; FAIL
(assert_return (invoke $B "add3" (i32.const 1)) (i32.const 4))
(assert_return (invoke $A "load") (i32.const 0)) ;; FAIL-WATCHDOG
(assert_unlinkable (module (import "A" "nope" (func))) "unknown import")
(assert_trap (module (memory 1) (data (i32.const 65536) "a")) "out of bounds memory access")
(assert_trap (module (func $s unreachable) (start $s)) "unreachable")
(assert_exhaustion (invoke $A "rec") "call stack exhausted")
(assert_return (get $A "g") (i32.const 0))
(assert_return (get $A "g") (i32.const 1)) ;; FAIL
`;

test('spec runner control: doctored expectations fail; a hang ends the launch (or the watchdog the call), later commands re-link', { skip: skipTools }, async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'xipwasm-spec-control-'));
  try {
    const path = join(tmp, 'control.wast');
    writeFileSync(path, CONTROL);
    const lines = CONTROL.split('\n');
    const failing = (watchdog: boolean): number[] => lines.flatMap((l, i) =>
      (l.endsWith(';; FAIL') || (watchdog && l.endsWith(';; FAIL-WATCHDOG')) ? [i + 1] : []));
    const spinLine = lines.findIndex((l) => l.startsWith('(invoke $A "spin")')) + 1;
    const assertions = lines.filter((l) => /^\((assert_|invoke|module)/.test(l)).length;
    for (const board of ['mps2-an385', 'mps3-an547'] as const) {
      const spec = boardSpec(board);
      const firmware = await buildFirmware(board);
      // without the watchdog the spin ends the first launch; $A is re-instantiated (memory fresh: load gives 0)
      // and re-registered for $B
      const killed = await runWastFile(path, spec, firmware, { board, timeoutMs: 8000, invocationTimeoutMs: 0 });
      assert.deepEqual(killed.failures.map((f) => f.line), failing(false), killed.failures.map(failureLine).join('\n'));
      assert.equal(killed.passed + killed.failed, assertions);
      assert.equal(killed.launches, 2);
      assert.match(killed.failures.find((f) => f.line === spinLine)?.reason ?? '', /^timeout \(8 s launch limit\)/);
      const stopped = await runWastFile(path, spec, firmware, { board, timeoutMs: 30000, invocationTimeoutMs: 2000 });
      assert.deepEqual(stopped.failures.map((f) => f.line), failing(true), stopped.failures.map(failureLine).join('\n'));
      assert.equal(stopped.launches, 1);
      assert.match(stopped.failures.find((f) => f.line === spinLine)?.reason ?? '', /^timeout \(invocation watchdog/);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

const RUNS: readonly { readonly board: BoardName; readonly mode: Omit<ExecOptions, 'board'>; readonly label: string }[] = [
  { board: 'mps2-an385', mode: {}, label: 'mps2-an385 (cortex-m3) --xip' },
  { board: 'mps3-an547', mode: {}, label: 'mps3-an547 (cortex-m55) --xip' },
  { board: 'mps3-an547', mode: { enableIndirectMode: true }, label: 'mps3-an547 --xip --enable-indirect-mode' },
  { board: 'mps3-an547', mode: { enableBuiltinIntrinsics: 'all' }, label: 'mps3-an547 --xip --enable-builtin-intrinsics=all' },
];

for (const run of RUNS) {
  test(`spec testsuite executes on ${run.label}: at least 99.5% pass`, { skip: skipSuite }, async () => {
    const start = performance.now();
    const firmware = await buildFirmware(run.board);
    const results = await runWastFiles(listWastFiles(dir as string), { board: run.board, ...run.mode }, firmware, 2);
    const t = totals(results);
    const failures = results.flatMap((r) => r.failures);
    process.stdout.write(`${run.label}: ${totalLine(t)} in ${((performance.now() - start) / 1000).toFixed(1)} s\n`);
    assert.ok(t.passed > 20000, `only ${t.passed} assertions passed`);
    const rate = t.passed / (t.passed + t.failed);
    assert.ok(rate >= 0.995, `pass rate ${(rate * 100).toFixed(2)}% < 99.5%\n${groupedFailures(failures).split('\n').filter((l) => l.startsWith('==')).join('\n')}`);
  });
}

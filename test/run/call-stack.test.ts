/**
 * --enable-dump-call-stack (docs/abi.md §11): main -> f -> g traps in six ways (unreachable, an out-of-bounds
 * load, an i64 division by zero before its intrinsic call, a trap inside a host function, a runtime helper's trap,
 * stack exhaustion), on both boards, with both tiers, and on the two RISC-V boards; `xipwasm run` must print the call stack V8 reports for the
 * same trap (function indices and names from its stack trace). Without the flag nothing changes: no frame
 * record code in the text, ABI version 1 in the header, no stack lines.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { compileModule } from '../../src/compile.js';
import { readAot } from '../../src/aot/reader.js';
import { functionExtent } from '../../src/cli/inspect.js';
import { disassembleThumb } from '../../src/run/disasm.js';
import { EnvOffset } from '../../src/abi.js';
import { firstMissingTool, missingTools } from '../boards/fixture.js';
import { V8 } from '../wasm/v8.js';
import { cli, haveWat2wasm } from './cli-harness.js';

const FIXTURES = fileURLToPath(new URL('../../../test/run/fixtures/', import.meta.url));
const LIB = join(FIXTURES, 'hostlib.c');

const noWat = haveWat2wasm() ? undefined : 'wat2wasm is not installed';
const noBoard = missingTools() ?? noWat;
const noRiscv = firstMissingTool(['qemu-system-riscv32', 'riscv64-unknown-elf-gcc']) ?? noWat;

/** g's argument for each way to trap, and the trap line the board prints. */
const CASES: readonly [number, string][] = [
  [0, 'trap: unreachable'],
  [1, 'trap: out of bounds memory access'],
  [2, 'trap: integer divide by zero'],
  [3, 'trap: host trap: env.say: out of bounds'],
  [4, 'trap: out of bounds memory access'],
  [5, 'trap: call stack exhausted'],
];
/** The frames the runtime keeps by default (XW_CALL_STACK_CAPACITY). */
const KEPT = 16;

/** V8's stack at the trap of main(k), innermost first, as `#<k> $<name> (func <index>)` lines (a JS import's frame
    becomes the import's index). */
function v8Stack(wasm: Uint8Array, k: number, name = 'main'): string[] {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = KEPT + 4;
  try {
    const inst = new V8.Instance(new V8.Module(wasm), { env: { say: () => { throw new Error('host trap'); } } });
    (inst.exports[name] as (k: number) => number)(k);
  } catch (e) {
    const frames: string[] = [];
    for (const line of String((e as Error).stack).split('\n').slice(1)) {
      const w = /^ +at (\S+) \(wasm:\/\/wasm\/[0-9a-f]+:wasm-function\[(\d+)\]/.exec(line);
      if (w !== null) frames.push(`$${w[1]!} (func ${w[2]!})`);
      else if (/^ +at say \(/.test(line)) frames.push('$say (func 0)');
      else break;
    }
    return frames.slice(0, KEPT).map((f, i) => `#${i} ${f}`);
  } finally {
    Error.stackTraceLimit = limit;
  }
  throw new Error(`${name}(${k}) did not trap in V8`);
}

describe('call stack on trap (--enable-dump-call-stack)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'xipwasm-call-stack-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const wasmPath = join(dir, 'callstack.wasm');
  if (noWat === undefined) execFileSync('wat2wasm', ['--debug-names', join(FIXTURES, 'callstack.wat'), '-o', wasmPath]);

  it('xipwasm run prints V8\'s stack for each way to trap, on both boards and both tiers', { skip: noBoard }, async () => {
    const wasm = readFileSync(wasmPath);
    const calls = [['--invoke', 'leaf', '5'], ['--invoke', 'fleaf', '3'], ...CASES.map(([k]) => ['--invoke', 'main', String(k)]), ['--invoke', 'main', '6'], ['--invoke', 'wide', '0']].flat();
    for (const board of ['mps2-an385', 'mps3-an547']) {
      for (const opt of ['0', '2']) {
        const r = await cli(['run', `--board=${board}`, `--opt-level=${opt}`, '--enable-dump-call-stack', `--native-lib=${LIB}`, wasmPath, ...calls]);
        const what = `${board} --opt-level=${opt}`;
        assert.equal(r.code, 2, `${what}: ${r.err}`);
        assert.equal(r.err, '', what);
        const lines = r.out.split('\n');
        assert.deepEqual(lines.splice(0, 2), ['i32:15', 'f64:414 (0x4079e00000000000)'], what);
        for (const [k, trapLine] of CASES) {
          assert.equal(lines.shift(), trapLine, `${what}, main(${k})`);
          const want = v8Stack(wasm, k);
          assert.deepEqual(lines.splice(0, want.length), want, `${what}, main(${k})`);
          // the recursion is deeper than the frames kept: the rest is counted
          if (k === 5) assert.match(lines.shift() ?? '', /^\.\.\. \d{3,} more frames$/, what);
        }
        // a big frame (many locals) at --opt-level=0
        assert.deepEqual(lines, ['i32:9', 'trap: unreachable', ...v8Stack(wasm, 0, 'wide'), ''], what);
      }
    }
  });

  it('RV32 (ilp32 and ilp32f) prints V8\'s stack for each way to trap', { skip: noRiscv }, async () => {
    const wasm = readFileSync(wasmPath);
    const calls = [['--invoke', 'leaf', '5'], ['--invoke', 'fleaf', '3'], ...CASES.map(([k]) => ['--invoke', 'main', String(k)]), ['--invoke', 'main', '6'], ['--invoke', 'wide', '0']].flat();
    for (const board of ['riscv32-virt', 'riscv32-virt-f']) {
      const r = await cli(['run', `--board=${board}`, '--enable-dump-call-stack', `--native-lib=${LIB}`, wasmPath, ...calls]);
      assert.equal(r.code, 2, `${board}: ${r.err}`);
      assert.equal(r.err, '', board);
      const lines = r.out.split('\n');
      assert.deepEqual(lines.splice(0, 2), ['i32:15', 'f64:414 (0x4079e00000000000)'], board);
      for (const [k, trapLine] of CASES) {
        assert.equal(lines.shift(), trapLine, `${board}, main(${k})`);
        const want = v8Stack(wasm, k);
        assert.deepEqual(lines.splice(0, want.length), want, `${board}, main(${k})`);
        if (k === 5) assert.match(lines.shift() ?? '', /^\.\.\. \d{3,} more frames$/, board);
      }
      // wide's frame passes 2 KiB: its record is written in the prologue's first step and unlinked through t6
      assert.deepEqual(lines, ['i32:9', 'trap: unreachable', ...v8Stack(wasm, 0, 'wide'), ''], board);
    }
    // an import thunk unlinks its record when the host function returns: a later trap does not list the import
    const thunk = join(dir, 'thunk.wasm');
    writeFileSync(join(dir, 'thunk.wat'), '(module (import "env" "log" (func $log (param i32))) (func $t (export "t") (call $log (i32.const 1)) unreachable))');
    execFileSync('wat2wasm', ['--debug-names', join(dir, 'thunk.wat'), '-o', thunk]);
    for (const board of ['riscv32-virt', 'riscv32-virt-f']) {
      const r = await cli(['run', `--board=${board}`, '--enable-dump-call-stack', `--native-lib=${LIB}`, thunk, '--invoke', 't']);
      assert.deepEqual([r.code, r.out], [2, 'log: 1\ntrap: unreachable\n#0 $t (func 1)\n'], board);
    }
    // without the flag the image is the one it always was (ABI version 1), with it ABI version 2
    const plain = compileModule(wasm, { target: 'riscv32', cpu: 'rv32imac', xip: true });
    const off = compileModule(wasm, { target: 'riscv32', cpu: 'rv32imac', xip: true, enableDumpCallStack: false });
    const on = compileModule(wasm, { target: 'riscv32', cpu: 'rv32imac', xip: true, enableDumpCallStack: true });
    assert.deepEqual(off.image, plain.image);
    assert.deepEqual([readAot(plain.image).abiVersion, readAot(on.image).abiVersion], [1, 2]);
  });

  it('--json carries the frames; without the flag there are none', { skip: noBoard }, async () => {
    const json = await cli(['run', '--enable-dump-call-stack', `--native-lib=${LIB}`, '--json', wasmPath, '--invoke', 'main', '0']);
    assert.deepEqual(JSON.parse(json.out), {
      results: [], trap: 'unreachable', instructions: null, callStackDepth: 3,
      callStack: [{ func: 1, name: 'g' }, { func: 3, name: 'f' }, { func: 4, name: 'main' }],
    });
    const plain = await cli(['run', `--native-lib=${LIB}`, wasmPath, '--invoke', 'main', '0', '--invoke', 'main', '3']);
    assert.deepEqual([plain.code, plain.out], [2, 'trap: unreachable\ntrap: host trap: env.say: out of bounds\n']);
  });

  it('a trapping start function shows its stack while instantiating', { skip: noBoard }, async () => {
    const start = join(dir, 'start.wasm');
    const wat = join(dir, 'start.wat');
    writeFileSync(wat, '(module (func $boom unreachable) (func $init (call $boom)) (start $init) (func (export "f")))');
    execFileSync('wat2wasm', ['--debug-names', wat, '-o', start]);
    const r = await cli(['run', '--enable-dump-call-stack', start, '--invoke', 'f']);
    assert.deepEqual([r.code, r.out], [2, 'trap: unreachable (while instantiating)\n#0 $boom (func 0)\n#1 $init (func 1)\n']);
  });

  it('frame record code is in every function and thunk with the flag, and nowhere without it', { skip: noWat }, async () => {
    const wasm = readFileSync(wasmPath);
    // a store to exec_env->frames: [<any base but sp>, #0x38]
    const linkStore = new RegExp(`\\tstr(?:\\.w)?\\t\\w+, \\[(?!sp)\\w+, #0x${EnvOffset.frames.toString(16)}\\]`, 'g');
    for (const cpu of ['cortex-m3', 'cortex-m55'] as const) {
      for (const optLevel of [0, 2] as const) {
        const plain = compileModule(wasm, { cpu, xip: true, optLevel });
        const off = compileModule(wasm, { cpu, xip: true, optLevel, enableDumpCallStack: false });
        const on = compileModule(wasm, { cpu, xip: true, optLevel, enableDumpCallStack: true });
        const what = `${cpu} -O${optLevel}`;
        assert.deepEqual(off.image, plain.image, what);
        assert.deepEqual([readAot(plain.image).abiVersion, readAot(on.image).abiVersion], [1, 2], what);
        for (const [image, linked] of [[plain.image, false], [on.image, true]] as const) {
          const aot = readAot(image);
          for (let f = 0; f < aot.funcs.length; f++) {
            const { start, end } = functionExtent(aot, f);
            const listing = (await disassembleThumb(aot.text.subarray(start, end), start, cpu)).join('\n');
            // the link, and an unlink before each return
            const stores = [...listing.matchAll(linkStore)].length;
            assert.ok(linked ? stores >= 2 : stores === 0, `${what} func ${f}: ${stores} stores\n${listing}`);
          }
        }
      }
    }
  });
});

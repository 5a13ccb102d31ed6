/**
 * A WASI C program built with Debian's wasi-libc (clang --target=wasm32-wasi) runs on both Arm boards and prints
 * through fd_write what Node's own WASI prints for it: the runtime's WASI (runtime/src/wasi.c) with the board
 * firmware's semihosting hooks (boards/common/main.c). Its exit status comes back as XW_ERR_EXIT, not a trap.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, openSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WASI } from 'node:wasi';
import { describe, it } from 'node:test';
import { outOfScope } from '../target/thumb2/vs-v8.js';
import { compileModule } from '../../src/compile.js';
import { BOARDS, CODEGEN_BOARD_NAMES } from '../../src/run/boards.js';
import { runBatch } from '../../src/run/qemu.js';
import { V8 } from '../wasm/v8.js';
import { missingTools } from './fixture.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const source = join(root, 'test', 'boards', 'wasi', 'hello.c');
const XW_ERR_EXIT = 41;

function buildWasm(dir: string): Uint8Array | string {
  const out = join(dir, 'hello.wasm');
  const r = spawnSync('clang-14', ['--target=wasm32-wasi', '-Os', '-Wl,--strip-all', source, '-o', out], { encoding: 'utf8' });
  if (r.status !== 0) return `clang-14 --target=wasm32-wasi failed (install wasi-libc and libclang-rt-14-dev-wasm32): ${r.stderr}`;
  return readFileSync(out);
}

/** What Node's WASI prints for the module (argv as the firmware gives it), and its exit status. */
function reference(dir: string, wasm: Uint8Array): { stdout: string; stderr: string; status: number } {
  const files = ['out', 'err'].map((n) => join(dir, n));
  const fds = files.map((f) => openSync(f, 'w'));
  const wasi = new WASI({ version: 'preview1', args: ['xipwasm'], env: {}, stdout: fds[0], stderr: fds[1], returnOnExit: true });
  const instance = new V8.Instance(new V8.Module(wasm), wasi.getImportObject());
  const status = wasi.start(instance as Parameters<WASI['start']>[0]);
  fds.forEach((fd) => closeSync(fd));
  const [stdout, stderr] = files.map((f) => readFileSync(f, 'utf8'));
  return { stdout: stdout ?? '', stderr: stderr ?? '', status };
}

const dir = mkdtempSync(join(tmpdir(), 'xw-wasi-'));
const built = buildWasm(dir);
const skip = missingTools() || (typeof built === 'string' ? built : false);

describe('WASI preview1 on the boards', { skip }, () => {
  for (const board of CODEGEN_BOARD_NAMES) {
    it(`${board}: a wasi-libc program prints through fd_write what Node's WASI prints, and exits with its status`, async (t) => {
      const wasm = built as Uint8Array;
      // wasi-libc's two 64 KiB pages are beyond the micro:bit's arena
      const why = outOfScope(wasm, board);
      if (why !== undefined) return t.skip(why);
      const want = reference(dir, wasm);
      assert.match(want.stdout, /^hello from WASI: argc=1 argv\[0\]=xipwasm\n/);
      const spec = BOARDS[board];
      const { image } = compileModule(wasm, { target: spec.target, cpu: spec.cpu, xip: true });
      const out = await runBatch(board, [
        { kind: 'module', image },
        { kind: 'invoke', module: 0, name: '_start', args: [] },
        { kind: 'invoke', module: 0, name: '_start', args: [] }, // the instance stays usable after proc_exit
      ], { timeoutMs: 60_000 });
      assert.equal(out.completed, true, out.log);
      const text = (fd: number): string => Buffer.concat(out.output.filter((o) => o.fd === fd).map((o) => o.bytes)).toString('utf8');
      assert.equal(text(1), want.stdout + want.stdout);
      assert.equal(text(2), want.stderr + want.stderr);
      for (const r of out.results.slice(1)) {
        assert.ok(r.kind === 'error' && r.code === XW_ERR_EXIT, JSON.stringify(r));
        assert.equal(r.message, `exit: proc_exit(${want.status})`);
      }
      assert.equal(want.status, 3);
    });
  }
});

process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

/**
 * Every example under examples/ is built and run on a board exactly as its README says: the commands of the
 * README's first ```sh block run in the example's directory (with `xipwasm` on PATH), and their output must be the
 * README's first ```text block, which must in turn be what V8 prints running the same module with the same host
 * functions written in JavaScript.
 */
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32 } from 'node:zlib';
import { WASI } from 'node:wasi';
import { closeSync, openSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { valueToText } from '../../src/run/values.js';
import type { ValueType } from '../../src/run/protocol.js';
import { missingTools } from '../boards/fixture.js';
import { V8 } from '../wasm/v8.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const shims = mkdtempSync(join(tmpdir(), 'xw-examples-bin-'));
after(() => rmSync(shims, { recursive: true, force: true }));

function shim(name: string, target: string): void {
  const path = join(shims, name);
  writeFileSync(path, `#!/bin/sh\nexec ${target} "$@"\n`);
  chmodSync(path, 0o755);
}
shim('xipwasm', `"${process.execPath}" "${join(ROOT, 'bin', 'xipwasm.js')}"`);

function works(cmd: string, args: string[]): boolean {
  try {
    execFileSync(cmd, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** A rustc that has the wasm32 standard library (Debian's /usr/bin/rustc with libstd-rust-dev-wasm32, or rustup's). */
function wasmRustc(): string | undefined {
  for (const rustc of ['rustc', '/usr/bin/rustc']) {
    try {
      const sysroot = execFileSync(rustc, ['--print', 'sysroot'], { encoding: 'utf8' }).trim();
      if (existsSync(join(sysroot, 'lib', 'rustlib', 'wasm32-unknown-unknown'))) return rustc;
    } catch {
      // not installed
    }
  }
  return undefined;
}
const rustc = wasmRustc();
if (rustc !== undefined) shim('rustc', rustc);

function readme(dir: string): { commands: string; expected: string } {
  const text = readFileSync(join(ROOT, 'examples', dir, 'README.md'), 'utf8');
  const sh = /```sh\n([\s\S]*?)```/.exec(text);
  const out = /```text\n([\s\S]*?)```/.exec(text);
  assert.ok(sh !== null && out !== null, `${dir}/README.md needs a sh block and a text block`);
  return { commands: sh[1]!, expected: out[1]! };
}

async function runReadme(dir: string): Promise<string> {
  const { commands } = readme(dir);
  const { stdout } = await promisify(execFile)('bash', ['-euo', 'pipefail', '-c', commands], {
    cwd: join(ROOT, 'examples', dir), env: { ...process.env, PATH: `${shims}:${process.env['PATH'] ?? ''}` }, timeout: 240_000,
  });
  return stdout;
}

function text(type: ValueType, v: number | bigint): string {
  switch (type) {
    case 'i32': return valueToText({ type, bits: BigInt((v as number) >>> 0) });
    case 'i64': return valueToText({ type, bits: BigInt.asUintN(64, v as bigint) });
    case 'f64': {
      const view = new DataView(new ArrayBuffer(8));
      view.setFloat64(0, v as number);
      return valueToText({ type, bits: view.getBigUint64(0) });
    }
    default: throw new Error(type);
  }
}

type Call = [name: string, result: ValueType, ...args: (number | bigint)[]];

/** The README's run, in V8: the host functions' lines and each call's result line. */
function v8Output(dir: string, env: Record<string, (...a: never[]) => unknown>, lines: string[], calls: Call[]): string {
  const inst = new V8.Instance(new V8.Module(readFileSync(join(ROOT, 'examples', dir, 'app.wasm'))), { env });
  for (const [name, type, ...args] of calls) {
    const r = (inst.exports[name] as (...a: unknown[]) => number | bigint)(...args);
    lines.push(text(type, r));
  }
  return lines.map((l) => `${l}\n`).join('');
}

const boards = missingTools();

describe('examples/', { skip: boards }, () => {
  it('c-host-imports: freestanding C with host imports', { skip: works('clang', ['--version']) && works('wasm-ld', ['--version']) ? undefined : 'clang/lld are not installed' }, async () => {
    const out = await runReadme('c-host-imports');
    const lines: string[] = [];
    const want = v8Output('c-host-imports', { log_i32: (x: number) => lines.push(`log ${x}`), millis: () => 10 }, lines,
      [['sum_squares', 'i32', 4], ['tick', 'i32'], ['tick', 'i32']]);
    assert.equal(want, readme('c-host-imports').expected);
    assert.equal(out, want);
  });

  it('assemblyscript: the pinned asc', async () => {
    const out = await runReadme('assemblyscript');
    const lines: string[] = [];
    const want = v8Output('assemblyscript', { log_f64: (x: number) => lines.push(`log ${x.toFixed(6)}`) }, lines,
      [['newton_sqrt', 'f64', 10, 4], ['fib', 'i64', 90]]);
    assert.equal(want, readme('assemblyscript').expected);
    assert.equal(out, want);
  });

  it('c-wasi: printf through the runtime\'s WASI, _start by default', {
    skip: works('clang', ['--version']) && ['/usr/include/wasm32-wasi/stdio.h', '/usr/share/wasi-sysroot/include/stdio.h'].some((p) => existsSync(p))
      ? undefined : 'no wasi-libc (Debian: wasi-libc libclang-rt-14-dev-wasm32)',
  }, async () => {
    const out = await runReadme('c-wasi');
    // Node's WASI on the same module, with the README's arguments and variable
    const files = ['out', 'err'].map((n) => join(shims, `wasi-${n}`));
    const fds = files.map((f) => openSync(f, 'w'));
    const wasi = new WASI({ version: 'preview1', args: ['app.wasm', '100'], env: { GREETING: 'hi' }, stdout: fds[0], stderr: fds[1], returnOnExit: true });
    const inst = new V8.Instance(new V8.Module(readFileSync(join(ROOT, 'examples', 'c-wasi', 'app.wasm'))), wasi.getImportObject());
    const status = wasi.start(inst as Parameters<WASI['start']>[0]);
    fds.forEach((fd) => closeSync(fd));
    assert.equal(status, 0);
    assert.equal(readFileSync(files[1]!, 'utf8'), 'done\n');
    const want = readFileSync(files[0]!, 'utf8');
    assert.equal(want, readme('c-wasi').expected);
    assert.equal(out, want);
  });

  it('rust: no_std with a host import', { skip: rustc === undefined ? 'no rustc with the wasm32 standard library (Debian: rustc libstd-rust-dev-wasm32)' : undefined }, async () => {
    const out = await runReadme('rust');
    const lines: string[] = [];
    const report = (len: number, crc: number): void => {
      // the module's CRC is zlib's
      assert.equal(crc >>> 0, crc32(Uint8Array.from({ length: len }, (_v, i) => i)));
      lines.push(`crc of ${len} bytes: 0x${(crc >>> 0).toString(16).padStart(8, '0')}`);
    };
    const want = v8Output('rust', { report }, lines,
      [['crc_of_counting', 'i32', 9], ['crc_of_counting', 'i32', 64], ['isqrt', 'i64', 1000000000000n]]);
    assert.equal(want, readme('rust').expected);
    assert.equal(out, want);
  });

  it('fib.wat: scripts/demo.sh\'s commands (wat2wasm, compile for the M3 with its intrinsic list, run)', { skip: works('wat2wasm', ['--version']) ? undefined : 'wat2wasm (wabt) is not installed' }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xw-fib-'));
    try {
      const commands = `wat2wasm ${join(ROOT, 'examples', 'fib.wat')} -o fib.wasm
xipwasm compile --target=thumbv7m --cpu=cortex-m3 --xip --enable-builtin-intrinsics=i64.common,fp.common,fpxint -o fib.aot fib.wasm
xipwasm run --board=mps2-an385 fib.aot --invoke fib 24 --invoke fact 20 --invoke hypot 3 4`;
      const { stdout } = await promisify(execFile)('bash', ['-euo', 'pipefail', '-c', commands], {
        cwd: dir, env: { ...process.env, PATH: `${shims}:${process.env['PATH'] ?? ''}` }, timeout: 240_000,
      });
      const inst = new V8.Instance(new V8.Module(readFileSync(join(dir, 'fib.wasm'))), {});
      const call = (name: string, ...a: unknown[]): unknown => (inst.exports[name] as (...x: unknown[]) => unknown)(...a);
      const want = [text('i32', call('fib', 24) as number), text('i64', call('fact', 20n) as bigint), text('f64', call('hypot', 3, 4) as number)];
      assert.equal(want[0], 'i32:46368');
      assert.equal(stdout, want.map((l) => `${l}\n`).join(''));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

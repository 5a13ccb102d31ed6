/**
 * examples/firmware: `bash examples/firmware/run.sh` builds the example (CMake, arm-none-eabi-gcc, clang-14 with
 * wasi-libc, xipwasm) and runs it on QEMU mps2-an386. Its UART shows the WASI program's printf output, the host
 * function's call and result, and the runaway call's "interrupted" trap; the instance then runs the program again.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const have = (cmd: string, args: string[]): boolean => spawnSync(cmd, args).status === 0;
const missing = ['cmake', 'arm-none-eabi-gcc', 'qemu-system-arm', 'clang-14'].filter((t) => !have(t, ['--version']));
const wasiLibc = spawnSync('clang-14', ['--target=wasm32-wasi', '-print-file-name=libc.a']).stdout?.toString().trim().startsWith('/') === true;
const skip = missing.length > 0 ? `${missing.join(', ')} not installed` : !wasiLibc ? 'wasi-libc not installed' : false;

test('examples/firmware/run.sh builds and runs the example firmware on mps2-an386', { skip, timeout: 300_000 }, () => {
  const build = mkdtempSync(join(tmpdir(), 'xw-example-'));
  try {
    const r = spawnSync('bash', [join(root, 'examples', 'firmware', 'run.sh')], { encoding: 'utf8', env: { ...process.env, BUILD: build } });
    assert.equal(r.status, 0, `run.sh failed:\n${r.stdout}\n${r.stderr}`);
    const once = 'hello from a WASI module on a Cortex-M4F\n[host] scale(21) for "doubling"\nhost says scale(21) = 42\n';
    const lines = r.stdout.replace(/\r/g, '');
    assert.match(lines, /^image: \d+ bytes in flash at 0x[0-9a-f]{8}; instance needs \d+ bytes of RAM\n/);
    const rest = lines.slice(lines.indexOf('\n') + 1);
    assert.match(rest, new RegExp(`^${once.replace(/[()[\]"]/g, '\\$&')}_start returned\nrunaway: trap: interrupted after \\d+ ms\n${once.replace(/[()[\]"]/g, '\\$&')}done\n$`));
  } finally {
    rmSync(build, { recursive: true, force: true });
  }
});

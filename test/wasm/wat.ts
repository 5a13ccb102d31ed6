/** Text-format modules for tests, through wabt's wat2wasm (a Debian package, see scripts/setup.sh). */
import { spawnSync } from 'node:child_process';

/** The binary of `wat`, or why wat2wasm could not make it (a test's skip reason). */
export function watOrSkipReason(wat: string): Uint8Array | string {
  const r = spawnSync('wat2wasm', ['-', '--output=-'], { input: wat, maxBuffer: 1 << 28 });
  if (r.error) return `wat2wasm (wabt) not available: ${r.error.message}`;
  if (r.status !== 0) return `wat2wasm failed: ${r.stderr.toString()}`;
  return new Uint8Array(r.stdout);
}

/** The binary of `wat`; throws with wat2wasm's message when it cannot make it (for tests that skip without wabt). */
export function watToWasm(wat: string): Uint8Array {
  const bin = watOrSkipReason(wat);
  if (typeof bin === 'string') throw new Error(bin);
  return bin;
}

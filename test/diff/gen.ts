/**
 * Random valid modules for differential testing: binaryen's translate-to-fuzz (`wasm-opt -ttf`) turns seeded
 * random bytes into a valid module, restricted to the features the compiler supports. Its logging imports
 * ("fuzzing-support" log-i32 ...) are renamed to the spectest print functions the board firmware provides, so
 * every logged value is compared too.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** MVP + the post-MVP features the compiler accepts; everything else stays disabled (-mvp first). Not reference
    types: binaryen 108 then emits the pre-standard anyref (0x6b) and funcref <: externref, which V8 rejects too. */
export const TTF_FEATURES: readonly string[] = [
  '-mvp', '--enable-sign-ext', '--enable-nontrapping-float-to-int', '--enable-bulk-memory',
  '--enable-multivalue', '--enable-mutable-globals',
];

export interface GenOptions {
  /** Length of the random input; binaryen's module size grows with it. */
  readonly inputBytes?: number;
  readonly wasmOpt?: string;
  readonly features?: readonly string[];
  /** wasm-opt passes run on the generated module (e.g. -O2, or -fp: random passes picked by the input), for
      code shapes the raw ttf output lacks */
  readonly passes?: readonly string[];
  /** `--no-fuzz-oob`: every load and store address masked into the first bytes of memory (and no out-of-range
      call_indirect), so the module behaves the same in a memory of a few KiB (small boards, smallMemory) */
  readonly inBounds?: boolean;
}

/** mulberry32: small, seedable, good enough to drive a fuzzer reproducibly. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomBytes(seed: number, n: number): Uint8Array {
  const next = prng(seed ^ 0x5eed);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.floor(next() * 256);
  return out;
}

/** True when wasm-opt can be started. */
export function haveWasmOpt(wasmOpt = 'wasm-opt'): boolean {
  const r = spawnSync(wasmOpt, ['--version'], { encoding: 'utf8' });
  return r.status === 0;
}

/** Runs wasm-opt on `input` with `args` (input file first) and returns the output module. */
export function runWasmOpt(input: Uint8Array, args: readonly string[], wasmOpt = 'wasm-opt'): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'xipwasm-diff-'));
  try {
    const inFile = join(dir, 'in.bin');
    const outFile = join(dir, 'out.wasm');
    writeFileSync(inFile, input);
    const r = spawnSync(wasmOpt, [inFile, ...args, '-o', outFile], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`wasm-opt ${args.join(' ')} failed: ${r.stderr}`);
    return new Uint8Array(readFileSync(outFile));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The ttf module for `seed`, with its logging imports renamed to spectest prints. */
export function generateModule(seed: number, opts: GenOptions = {}): Uint8Array {
  const raw = runWasmOpt(randomBytes(seed, opts.inputBytes ?? 4096),
    ['-ttf', ...(opts.features ?? TTF_FEATURES), ...(opts.inBounds === true ? ['--no-fuzz-oob'] : []), ...(opts.passes ?? [])], opts.wasmOpt);
  return renameImports(raw, LOG_TO_SPECTEST);
}

export const LOG_TO_SPECTEST: ReadonlyMap<string, readonly [string, string]> = new Map([
  ['fuzzing-support\0log-i32', ['spectest', 'print_i32']],
  ['fuzzing-support\0log-i64', ['spectest', 'print_i64']],
  ['fuzzing-support\0log-f32', ['spectest', 'print_f32']],
  ['fuzzing-support\0log-f64', ['spectest', 'print_f64']],
]);

// --- a minimal binary rewriter: only the import section changes, every other section is copied ---

class Reader {
  at = 0;
  constructor(readonly b: Uint8Array) {}
  byte(): number {
    const v = this.b[this.at++];
    if (v === undefined) throw new Error('unexpected end of module');
    return v;
  }
  u32(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = this.byte();
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
      shift += 7;
    }
  }
  name(): string {
    const n = this.u32();
    const s = new TextDecoder().decode(this.b.subarray(this.at, this.at + n));
    this.at += n;
    return s;
  }
  limits(): void {
    const flags = this.byte();
    this.u32();
    if ((flags & 1) !== 0) this.u32();
  }
}

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

function nameBytes(s: string): number[] {
  const b = [...new TextEncoder().encode(s)];
  return [...uleb(b.length), ...b];
}

/** Renames imports (`module\0name` → [module, name]); all else is kept byte for byte. */
export function renameImports(bytes: Uint8Array, map: ReadonlyMap<string, readonly [string, string]>): Uint8Array {
  const r = new Reader(bytes);
  r.at = 8;
  const out: number[] = [...bytes.subarray(0, 8)];
  while (r.at < bytes.length) {
    const id = r.byte();
    const size = r.u32();
    const start = r.at;
    const end = start + size;
    if (id !== 2) {
      out.push(id, ...uleb(size), ...bytes.subarray(start, end));
      r.at = end;
      continue;
    }
    const count = r.u32();
    const body: number[] = [...uleb(count)];
    for (let i = 0; i < count; i++) {
      const mod = r.name();
      const field = r.name();
      const descStart = r.at;
      const kind = r.byte();
      switch (kind) {
        case 0: r.u32(); break;
        case 1: r.byte(); r.limits(); break;
        case 2: r.limits(); break;
        case 3: r.byte(); r.byte(); break;
        default: throw new Error(`import kind ${kind}`);
      }
      const renamed = map.get(`${mod}\0${field}`) ?? [mod, field];
      body.push(...nameBytes(renamed[0]), ...nameBytes(renamed[1]), ...bytes.subarray(descStart, r.at));
    }
    if (r.at !== end) throw new Error('import section size mismatch');
    out.push(2, ...uleb(body.length), ...body);
  }
  return new Uint8Array(out);
}

/**
 * Mutation fuzzing of the front end, with V8 as the reference verdict.
 * Seeds are hand-built modules plus, when the testsuite and wast2json are
 * present, the modules of a few spec scripts. Deterministic PRNG, bounded
 * iterations, no timing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CompileError, UnsupportedError } from '../../src/errors.js';
import { parseModule } from '../../src/wasm/index.js';
import { findTestsuite, loadWast, wast2jsonAvailable } from '../spec/wast.js';
import { F64, FUNCREF, I32, I64, funcType, moduleWith, section, str, vec, wasm } from './builder.js';
import { V8, v8Error } from './v8.js';

class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0 || 1;
  }
  next(): number {
    let x = this.s;
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    this.s = x;
    return x;
  }
  below(n: number): number {
    return this.next() % n;
  }
}

function handmadeSeeds(): Uint8Array[] {
  const t = section(1, vec([funcType([I32], [I32]), funcType([], []), funcType([I64, F64], [I32, I64])]));
  return [
    moduleWith({ memory: true, funcs: [
      { params: [I32], results: [I32], locals: [[2, I64]], code: [0x20, 0x00, 0x04, 0x7f, 0x41, 0x01, 0x05, 0x20, 0x00, 0x28, 0x02, 0x04, 0x0b] },
      { code: [0x02, 0x40, 0x03, 0x40, 0x41, 0x00, 0x0d, 0x01, 0x41, 0x00, 0x0e, 0x02, 0x00, 0x01, 0x00, 0x0b, 0x0b] },
      { results: [I64], code: [0x42, 0xff, 0xff, 0x03, 0x42, 0x01, 0x7c, 0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xfc, 0x0b, 0x00] },
    ] }),
    wasm(
      t,
      section(2, vec([[...str('env'), ...str('f'), 0x00, 0x01], [...str('env'), ...str('g'), 0x03, I32, 0x00]])),
      section(3, vec([[0], [1]])),
      section(4, vec([[FUNCREF, 0x01, 0x02, 0x04]])),
      section(5, vec([[0x01, 0x01, 0x02]])),
      section(6, vec([[I32, 0x01, 0x23, 0x00, 0x0b]])),
      section(7, vec([[...str('a'), 0x00, 0x01], [...str('m'), 0x02, 0x00]])),
      section(9, vec([[0x00, 0x41, 0x00, 0x0b, 0x02, 0x00, 0x01], [0x05, FUNCREF, 0x01, 0xd2, 0x02, 0x0b]])),
      section(12, [0x01]),
      section(10, vec([[0x04, 0x00, 0x20, 0x00, 0x0b], [0x0c, 0x00, 0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xfc, 0x08, 0x00, 0x00, 0x0b]])),
      section(11, vec([[0x01, 0x02, 0x61, 0x62]])),
      section(0, [...str('name'), ...section(1, vec([[0x00, ...str('f')]]))]),
    ),
  ];
}

function specSeeds(): Uint8Array[] {
  const dir = findTestsuite();
  if (!dir || !wast2jsonAvailable()) return [];
  const out: Uint8Array[] = [];
  for (const f of ['binary.wast', 'block.wast', 'br_table.wast', 'bulk.wast', 'call_indirect.wast', 'elem.wast',
    'data.wast', 'global.wast', 'imports.wast', 'select.wast', 'table_copy.wast', 'memory_grow.wast', 'ref_func.wast', 'loop.wast']) {
    for (const c of loadWast(join(dir, f)).commands) {
      if (c.type === 'module') out.push(new Uint8Array(readFileSync(c.module.path)));
    }
  }
  return out;
}

const INTERESTING = [0x00, 0x01, 0x0b, 0x40, 0x7f, 0x80, 0xff, 0x6f, 0x70, 0x60, 0x41, 0xfc];

function mutate(rng: Rng, src: Uint8Array): Uint8Array {
  const b = [...src];
  const n = 1 + rng.below(3);
  for (let k = 0; k < n; k++) {
    const at = 8 + rng.below(Math.max(1, b.length - 8));
    switch (rng.below(7)) {
      case 0: b[at] = rng.below(256); break;
      case 1: b[at] = INTERESTING[rng.below(INTERESTING.length)]!; break;
      case 2: b.splice(at, 0, rng.below(256)); break;
      case 3: b.splice(at, 1 + rng.below(4)); break;
      case 4: b.length = Math.min(b.length, at); break;
      case 5: b.splice(at, 0, 0xff, 0xff, 0xff, 0xff, 0x0f); break;
      default: b[at] = (b[at] ?? 0) ^ (1 << rng.below(8)); break;
    }
  }
  return new Uint8Array(b);
}

type Verdict = 'ok' | 'rejected' | 'unsupported';

function ours(bytes: Uint8Array): Verdict {
  try {
    parseModule(bytes);
    return 'ok';
  } catch (e) {
    if (!(e instanceof CompileError)) {
      throw new assert.AssertionError({ message: `non-CompileError ${String(e)} on ${Buffer.from(bytes).toString('hex')}` });
    }
    return e instanceof UnsupportedError ? 'unsupported' : 'rejected';
  }
}

/** V8 implementation limits (not spec rules) where V8 rejects valid modules. */
const V8_LIMITS = /implementation limit|exceeds? (the )?(maximum|limit)|too (many|large)|larger than/i;

test('mutated modules: only CompileError or success, and the same verdict as V8', () => {
  const seeds = [...handmadeSeeds(), ...specSeeds()];
  for (const s of seeds) assert.doesNotThrow(() => parseModule(s), "seed module must be valid");
  const rng = new Rng(0x5eed);
  const ITER = 4000;
  const counts = { ok: 0, rejected: 0, unsupported: 0, compared: 0 };
  const disagreements: string[] = [];
  for (let i = 0; i < ITER; i++) {
    const m = mutate(rng, seeds[rng.below(seeds.length)]!);
    const v = ours(m);
    counts[v]++;
    if (v === 'unsupported') continue;
    counts.compared++;
    const v8ok = V8.validate(m);
    if (v8ok !== (v === 'ok')) {
      const why = v8Error(m) ?? 'accepted';
      if (v === 'ok' && V8_LIMITS.test(why)) continue;
      let mine = 'accepted';
      try { parseModule(m); } catch (e) { mine = String(e); }
      disagreements.push(`V8: ${why} | ours: ${mine} | ${Buffer.from(m).toString('hex').slice(0, 400)}`);
    }
  }
  process.stdout.write(`fuzz: ${ITER} mutants of ${seeds.length} seeds: ${counts.ok} valid, ${counts.rejected} rejected, ` +
    `${counts.unsupported} unsupported; ${counts.compared} compared with V8, ${disagreements.length} disagreements\n`);
  assert.deepEqual(disagreements.slice(0, 10), []);
  assert.ok(counts.compared >= 300, 'too few comparisons');
  assert.ok(counts.ok > 0 && counts.rejected > 0, 'mutations should produce both valid and invalid modules');
});

test('truncations of every length and garbage never escape as other errors', () => {
  const seeds = handmadeSeeds();
  for (const s of seeds) {
    for (let len = 0; len < s.length; len++) {
      const v = ours(s.subarray(0, len));
      assert.equal(v === 'ok', V8.validate(s.slice(0, len)), `truncation to ${len}: ours ${v}`);
    }
  }
  const rng = new Rng(7);
  for (let i = 0; i < 500; i++) {
    const g = new Uint8Array(8 + rng.below(64));
    for (let k = 0; k < g.length; k++) g[k] = rng.below(256);
    g.set([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);
    ours(g);
  }
});

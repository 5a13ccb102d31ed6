/**
 * The second module source: an operator grid. One exported function per numeric operator and operand form
 * (both operands from parameters, or one a constant, since code generators special-case immediates), called
 * with every pair of edge values of its types; and loads/stores of every width at addresses and offsets around
 * the end of memory. wat2wasm assembles the text. Where ttf explores control flow, this covers the operators'
 * corner cases exhaustively.
 */
import { execFileSync } from 'node:child_process';
import { assertNever } from '../../src/errors.js';
import type { ValueType, WasmValue } from '../../src/run/protocol.js';
import type { PlannedCall } from './v8run.js';

type Num = 'i32' | 'i64' | 'f32' | 'f64';

function f32(x: number): bigint {
  const d = new DataView(new ArrayBuffer(4));
  d.setFloat32(0, x, true);
  return BigInt(d.getUint32(0, true));
}

function f64(x: number): bigint {
  const d = new DataView(new ArrayBuffer(8));
  d.setFloat64(0, x, true);
  return d.getBigUint64(0, true);
}

const I32_EDGES = [0n, 1n, 2n, 31n, 32n, 33n, 0x7fffffffn, 0x80000000n, 0x80000001n, 0xffffn, 0x10000n, 0x12345678n,
  0xfffffffen, 0xffffffffn];
const I64_EDGES = [0n, 1n, 2n, 31n, 32n, 63n, 64n, 65n, 0xffffffffn, 0x100000000n, 0x80000000n, 0x7fffffffffffffffn,
  0x8000000000000000n, 0x8000000000000001n, 0x123456789abcdef0n, 0xffffffff00000000n, 0xfffffffffffffffen, 0xffffffffffffffffn];
const F_EDGES = [0, -0, 1, -1, 0.5, -0.5, 1.5, 2.5, -2.5, Infinity, -Infinity, NaN, 2 ** 31, -(2 ** 31), 2 ** 32,
  2 ** 63, -(2 ** 63), 2 ** 64, 4294967040, 2147483520, -2147483904, 1e-45, 3.4028234663852886e38, 16777217, 0.49999997,
  -1.5];
const F64_EXTRA = [2 ** 53 + 1, 4294967295.9, -2147483648.9, -2147483649, 2147483647.5, 9223372036854774784,
  -9223372036854777856, 18446744073709549568, 5e-324, 1.7976931348623157e308, 0.49999999999999994, 4503599627370497.5];

export function edges(t: Num): WasmValue[] {
  switch (t) {
    case 'i32': return I32_EDGES.map((bits) => ({ type: t, bits }));
    case 'i64': return I64_EDGES.map((bits) => ({ type: t, bits }));
    case 'f32': return F_EDGES.map((x) => ({ type: t, bits: f32(x) }));
    case 'f64': return [...F_EDGES, ...F64_EXTRA].map((x) => ({ type: t, bits: f64(x) }));
    default: return assertNever(t);
  }
}

/** A constant of type t as wat text (exact bits; NaN as the canonical one). */
function constText(v: WasmValue): string {
  switch (v.type) {
    case 'i32': return `(i32.const ${BigInt.asIntN(32, v.bits)})`;
    case 'i64': return `(i64.const ${BigInt.asIntN(64, v.bits)})`;
    case 'f32': return `(f32.reinterpret_i32 (i32.const ${BigInt.asIntN(32, v.bits)}))`;
    case 'f64': return `(f64.reinterpret_i64 (i64.const ${BigInt.asIntN(64, v.bits)}))`;
    case 'funcref': case 'externref': throw new Error(`no ${v.type} constants`);
    default: return assertNever(v.type);
  }
}

/** Constants used as immediate operands: a few per type (the full edge set is the parameter grid). */
function immediates(t: Num): WasmValue[] {
  const e = edges(t);
  switch (t) {
    case 'i32': return [e[0], e[1], e[4], e[5], e[7], e[13], { type: t, bits: 8n }, { type: t, bits: 7n }, { type: t, bits: 0xff00n }] as WasmValue[];
    case 'i64': return [e[0], e[1], e[5], e[8], e[12], e[17], { type: t, bits: 8n }, { type: t, bits: 0x1234567800n }] as WasmValue[];
    case 'f32': case 'f64': return [e[0], e[1], e[2], e[3], e[9], e[11], e[12], e[13]] as WasmValue[];
    default: return assertNever(t);
  }
}

interface Op { readonly name: string; readonly params: readonly Num[]; readonly result: Num }

function ops(): Op[] {
  const list: Op[] = [];
  const add = (names: string, params: Num[], result: Num): void => {
    for (const n of names.split(' ')) list.push({ name: n, params, result });
  };
  for (const t of ['i32', 'i64'] as const) {
    add(`${t}.clz ${t}.ctz ${t}.popcnt ${t}.extend8_s ${t}.extend16_s`, [t], t);
    add(`${t}.eqz`, [t], 'i32');
    add(['add', 'sub', 'mul', 'div_s', 'div_u', 'rem_s', 'rem_u', 'and', 'or', 'xor', 'shl', 'shr_s', 'shr_u', 'rotl', 'rotr']
      .map((o) => `${t}.${o}`).join(' '), [t, t], t);
    add(['eq', 'ne', 'lt_s', 'lt_u', 'gt_s', 'gt_u', 'le_s', 'le_u', 'ge_s', 'ge_u'].map((o) => `${t}.${o}`).join(' '), [t, t], 'i32');
    for (const f of ['f32', 'f64'] as const) {
      add(`${t}.trunc_${f}_s ${t}.trunc_${f}_u ${t}.trunc_sat_${f}_s ${t}.trunc_sat_${f}_u`, [f], t);
    }
  }
  add('i64.extend32_s', ['i64'], 'i64');
  add('i64.extend_i32_s i64.extend_i32_u', ['i32'], 'i64');
  add('i32.wrap_i64', ['i64'], 'i32');
  add('i32.reinterpret_f32', ['f32'], 'i32');
  add('i64.reinterpret_f64', ['f64'], 'i64');
  for (const t of ['f32', 'f64'] as const) {
    add(['abs', 'neg', 'ceil', 'floor', 'trunc', 'nearest', 'sqrt'].map((o) => `${t}.${o}`).join(' '), [t], t);
    add(['add', 'sub', 'mul', 'div', 'min', 'max', 'copysign'].map((o) => `${t}.${o}`).join(' '), [t, t], t);
    add(['eq', 'ne', 'lt', 'gt', 'le', 'ge'].map((o) => `${t}.${o}`).join(' '), [t, t], 'i32');
    add(`${t}.convert_i32_s ${t}.convert_i32_u`, ['i32'], t);
    add(`${t}.convert_i64_s ${t}.convert_i64_u`, ['i64'], t);
  }
  add('f32.demote_f64', ['f64'], 'f32');
  add('f64.promote_f32', ['f32'], 'f64');
  add('f32.reinterpret_i32', ['i32'], 'f32');
  add('f64.reinterpret_i64', ['i64'], 'f64');
  return list;
}

export interface GridModule {
  readonly wat: string;
  readonly calls: PlannedCall[];
}

/** The operator grid; `filter` keeps operators whose name matches (e.g. /^f64\./). */
export function operatorGrid(filter: RegExp = /./): GridModule {
  const funcs: string[] = [];
  const calls: PlannedCall[] = [];
  let n = 0;
  for (const op of ops()) {
    if (!filter.test(op.name)) continue;
    const [a, b] = op.params;
    const sig = `(result ${op.result})`;
    const results: ValueType[] = [op.result];
    if (b === undefined && a !== undefined) {
      const name = `f${n++}_${op.name}`;
      funcs.push(`(func (export "${name}") (param ${a}) ${sig} (${op.name} (local.get 0)))`);
      for (const x of edges(a)) calls.push({ name, args: [x], results });
      continue;
    }
    if (a === undefined || b === undefined) continue;
    const both = `f${n++}_${op.name}`;
    funcs.push(`(func (export "${both}") (param ${a} ${b}) ${sig} (${op.name} (local.get 0) (local.get 1)))`);
    for (const x of edges(a)) for (const y of edges(b)) calls.push({ name: both, args: [x, y], results });
    for (const c of immediates(b)) {
      const right = `f${n++}_${op.name}`;
      funcs.push(`(func (export "${right}") (param ${a}) ${sig} (${op.name} (local.get 0) ${constText(c)}))`);
      for (const x of edges(a)) calls.push({ name: right, args: [x], results });
    }
    for (const c of immediates(a)) {
      const left = `f${n++}_${op.name}`;
      funcs.push(`(func (export "${left}") (param ${b}) ${sig} (${op.name} ${constText(c)} (local.get 0)))`);
      for (const y of edges(b)) calls.push({ name: left, args: [y], results });
    }
  }
  return { wat: `(module\n${funcs.join('\n')}\n)`, calls };
}

const MEM_OPS: readonly { readonly load: string; readonly store: string | undefined; readonly t: Num; readonly size: number }[] = [
  { load: 'i32.load', store: 'i32.store', t: 'i32', size: 4 },
  { load: 'i32.load8_s', store: 'i32.store8', t: 'i32', size: 1 },
  { load: 'i32.load8_u', store: undefined, t: 'i32', size: 1 },
  { load: 'i32.load16_s', store: 'i32.store16', t: 'i32', size: 2 },
  { load: 'i32.load16_u', store: undefined, t: 'i32', size: 2 },
  { load: 'i64.load', store: 'i64.store', t: 'i64', size: 8 },
  { load: 'i64.load8_s', store: 'i64.store8', t: 'i64', size: 1 },
  { load: 'i64.load8_u', store: undefined, t: 'i64', size: 1 },
  { load: 'i64.load16_s', store: 'i64.store16', t: 'i64', size: 2 },
  { load: 'i64.load16_u', store: undefined, t: 'i64', size: 2 },
  { load: 'i64.load32_s', store: 'i64.store32', t: 'i64', size: 4 },
  { load: 'i64.load32_u', store: undefined, t: 'i64', size: 4 },
  { load: 'f32.load', store: 'f32.store', t: 'f32', size: 4 },
  { load: 'f64.load', store: 'f64.store', t: 'f64', size: 8 },
];

/** Loads and stores of every width, with offsets 0..65536, at addresses around the end of a 1-page memory;
    each store is followed by a checksum of the last 64 bytes so the written bytes are compared too. */
export function memoryGrid(): GridModule {
  const funcs: string[] = [
    // bytes 0x80..0xff at both ends, so sign extension matters
    '(memory 1 2)',
    `(data (i32.const 0) "${Array.from({ length: 64 }, (_, i) => `\\${(0x80 + i * 3).toString(16).slice(-2)}`).join('')}")`,
    `(data (i32.const 65472) "${Array.from({ length: 64 }, (_, i) => `\\${(0xc1 + i * 5).toString(16).slice(-2)}`).join('')}")`,
    `(func $sum (param $a i32) (result i64) (local $s i64) (local $i i32)
      (loop $l (local.set $s (i64.add (i64.rotl (local.get $s) (i64.const 7)) (i64.load8_u (i32.add (local.get $a) (local.get $i)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1))) (br_if $l (i32.lt_u (local.get $i) (i32.const 64))))
      (local.get $s))`,
    '(func (export "sum_end") (result i64) (call $sum (i32.const 65472)))',
    '(func (export "sum_start") (result i64) (call $sum (i32.const 0)))',
    '(func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))',
    '(func (export "size") (result i32) (memory.size))',
  ];
  const calls: PlannedCall[] = [];
  const addrs = [0n, 1n, 3n, 65472n, 65528n, 65529n, 65532n, 65533n, 65534n, 65535n, 65536n, 0x7fffffffn, 0xfffffff8n, 0xffffffffn];
  const offsets = [0, 1, 7, 65528, 65535, 65536, 4294967295];
  let n = 0;
  for (const m of MEM_OPS) {
    for (const off of offsets) {
      const ld = `l${n++}_${m.load}`;
      funcs.push(`(func (export "${ld}") (param i32) (result ${m.t}) (${m.load} offset=${off} (local.get 0)))`);
      for (const a of addrs) calls.push({ name: ld, args: [{ type: 'i32', bits: a }], results: [m.t] });
      if (m.store === undefined) continue;
      const st = `s${n++}_${m.store}`;
      funcs.push(`(func (export "${st}") (param i32 ${m.t}) (${m.store} offset=${off} (local.get 0) (local.get 1)))`);
      const vals = edges(m.t);
      addrs.forEach((a, k) => {
        calls.push({ name: st, args: [{ type: 'i32', bits: a }, vals[(k * 5 + n) % vals.length] as WasmValue], results: [] });
        calls.push({ name: 'sum_end', args: [], results: ['i64'] });
      });
      calls.push({ name: 'sum_start', args: [], results: ['i64'] });
    }
  }
  // after growing, the old end is in bounds: the same loads again at the new edge
  calls.push({ name: 'grow', args: [{ type: 'i32', bits: 1n }], results: ['i32'] });
  calls.push({ name: 'size', args: [], results: ['i32'] });
  calls.push({ name: 'grow', args: [{ type: 'i32', bits: 1n }], results: ['i32'] });
  for (const c of [...calls]) if (c.name.startsWith('l')) calls.push({ ...c, args: [{ type: 'i32', bits: BigInt.asUintN(32, (c.args[0] as WasmValue).bits + 65536n) }] });
  return { wat: `(module\n${funcs.join('\n')}\n)`, calls };
}

export function assemble(wat: string): Uint8Array {
  return new Uint8Array(execFileSync('wat2wasm', ['-', '--output=-'], { input: wat, maxBuffer: 64 << 20 }));
}

const NAN32 = [0x7fc00000n, 0xffc00000n, 0x7fa00001n, 0xff800001n, 0x7fc12345n, 0xffffffffn, 0x3f800000n, 0x80000000n, 0x7f800000n, 0x00000001n];
const NAN64 = [0x7ff8000000000000n, 0xfff8000000000000n, 0x7ff4000000000001n, 0xfff0000000000001n, 0x7ff8123456789abcn,
  0xffffffffffffffffn, 0x3ff0000000000000n, 0x8000000000000000n, 0x7ff0000000000000n, 0x0000000000000001n];

function isCanonicalOrNotNaN(float: 'f32' | 'f64', bits: bigint): boolean {
  if (float === 'f32') return (bits & 0x7f800000n) !== 0x7f800000n || (bits & 0x7fffffn) === 0n || (bits & 0x7fffffn) === 0x400000n;
  return (bits & 0x7ff0000000000000n) !== 0x7ff0000000000000n || (bits & 0xfffffffffffffn) === 0n ||
    (bits & 0xfffffffffffffn) === 0x8000000000000n;
}

/** Float operators on NaN bit patterns (canonical, signalling, with payloads, either sign), operands and results
    carried as integers so that V8's bits reach the comparison: arithmetic results must be canonical NaNs when
    every NaN operand is canonical and arithmetic NaNs otherwise; abs, neg and copysign must keep the bits. */
export function nanGrid(): GridModule {
  const funcs: string[] = [];
  const calls: PlannedCall[] = [];
  let n = 0;
  for (const f of ['f32', 'f64'] as const) {
    const i = f === 'f32' ? 'i32' : 'i64';
    const pats = (f === 'f32' ? NAN32 : NAN64).map((bits) => ({ type: i, bits }) as WasmValue);
    const arg = (k: number): string => `(${f}.reinterpret_${i} (local.get ${k}))`;
    const unary = ['abs', 'neg', 'ceil', 'floor', 'trunc', 'nearest', 'sqrt'];
    const binary = ['add', 'sub', 'mul', 'div', 'min', 'max', 'copysign'];
    const exact = new Set(['abs', 'neg', 'copysign']);
    for (const op of unary) {
      const name = `n${n++}_${f}.${op}`;
      funcs.push(`(func (export "${name}") (param ${i}) (result ${i}) (${i}.reinterpret_${f} (${f}.${op} ${arg(0)})))`);
      for (const a of pats) {
        const rule = exact.has(op) ? 'exact' : isCanonicalOrNotNaN(f, a.bits) ? 'canonical' : 'arithmetic';
        calls.push({ name, args: [a], results: [i], nan: { float: f, rule } });
      }
    }
    for (const op of binary) {
      const name = `n${n++}_${f}.${op}`;
      funcs.push(`(func (export "${name}") (param ${i} ${i}) (result ${i}) (${i}.reinterpret_${f} (${f}.${op} ${arg(0)} ${arg(1)})))`);
      for (const a of pats) {
        for (const b of pats) {
          // copysign keeps the first operand's bits whatever they are, and takes only the sign of the second
          const rule = exact.has(op) ? 'exact' : isCanonicalOrNotNaN(f, a.bits) && isCanonicalOrNotNaN(f, b.bits) ? 'canonical' : 'arithmetic';
          calls.push({ name, args: [a, b], results: [i], nan: { float: f, rule } });
        }
      }
    }
  }
  // conversions between the float types
  const conv: [string, 'i32' | 'i64', 'i32' | 'i64', 'f32' | 'f64', 'f32' | 'f64', readonly bigint[]][] = [
    ['f32.demote_f64', 'i64', 'i32', 'f64', 'f32', NAN64],
    ['f64.promote_f32', 'i32', 'i64', 'f32', 'f64', NAN32],
  ];
  for (const [op, pi, ri, pf, rf, pats] of conv) {
    const name = `n${n++}_${op}`;
    funcs.push(`(func (export "${name}") (param ${pi}) (result ${ri}) (${ri}.reinterpret_${rf} (${op} (${pf}.reinterpret_${pi} (local.get 0)))))`);
    for (const bits of pats) {
      calls.push({ name, args: [{ type: pi, bits }], results: [ri], nan: { float: rf, rule: isCanonicalOrNotNaN(pf, bits) ? 'canonical' : 'arithmetic' } });
    }
  }
  // loads, stores, locals, globals and select move NaNs without touching them
  funcs.push('(memory 1)', '(global $g (mut f64) (f64.const 0))', '(global $h (mut f32) (f32.const 0))');
  funcs.push(`(func (export "mv64") (param i64 i32) (result i64) (local f64) (f64.store (i32.const 8) (f64.reinterpret_i64 (local.get 0)))
    (global.set $g (f64.load (i32.const 8))) (local.set 2 (global.get $g))
    (i64.reinterpret_f64 (select (local.get 2) (f64.const 1) (local.get 1))))`);
  funcs.push(`(func (export "mv32") (param i32 i32) (result i32) (local f32) (f32.store (i32.const 4) (f32.reinterpret_i32 (local.get 0)))
    (global.set $h (f32.load (i32.const 4))) (local.set 2 (global.get $h))
    (i32.reinterpret_f32 (select (local.get 2) (f32.const 1) (local.get 1))))`);
  for (const bits of NAN64) calls.push({ name: 'mv64', args: [{ type: 'i64', bits }, { type: 'i32', bits: 1n }], results: ['i64'], nan: { float: 'f64', rule: 'exact' } });
  for (const bits of NAN32) calls.push({ name: 'mv32', args: [{ type: 'i32', bits }, { type: 'i32', bits: 1n }], results: ['i32'], nan: { float: 'f32', rule: 'exact' } });
  return { wat: `(module\n${funcs.join('\n')}\n)`, calls };
}

/** Every k-th edge value, for grids whose forms multiply. */
function someEdges(t: Num, count: number): WasmValue[] {
  const e = edges(t);
  const step = Math.max(1, Math.floor(e.length / count));
  return e.filter((_, i) => i % step === 0).slice(0, count);
}

/** Results written back into locals: the destination local is also an operand (a code generator that computes
    into the local's register must not clobber an operand it still reads, e.g. the high word of an i64), and the
    locals are returned too (multi-value) so a clobbered neighbour shows. */
export function aliasGrid(): GridModule {
  const funcs: string[] = [];
  const calls: PlannedCall[] = [];
  let n = 0;
  for (const op of ops()) {
    const [a, b] = op.params;
    if (a === undefined) continue;
    const r = op.result;
    if (b === undefined) {
      if (r !== a) continue;
      const name = `a${n++}_${op.name}`;
      funcs.push(`(func (export "${name}") (param ${a} ${a}) (result ${a} ${a}) (local.set 0 (${op.name} (local.get 0))) (local.get 0) (local.get 1))`);
      for (const x of edges(a)) calls.push({ name, args: [x, x], results: [a, a] });
      continue;
    }
    if (a !== b) continue;
    const grid = someEdges(a, 10);
    const forms = r === a
      ? ['(local.set 0 (OP (local.get 0) (local.get 1)))', '(local.set 1 (OP (local.get 0) (local.get 1)))',
        '(local.set 0 (OP (local.get 1) (local.get 0)))', '(local.set 1 (OP (local.get 1) (local.get 1)))',
        '(local.set 0 (OP (local.get 0) (local.tee 1 (OP (local.get 1) (local.get 0)))))']
      : ['(local.set 2 (OP (local.get 0) (local.get 1)))', '(local.set 2 (OP (local.get 1) (local.get 0)))'];
    for (const form of forms) {
      const name = `a${n++}_${op.name}`;
      const body = form.replaceAll('OP', op.name);
      if (r === a) {
        funcs.push(`(func (export "${name}") (param ${a} ${a}) (result ${a} ${a}) ${body} (local.get 0) (local.get 1))`);
        for (const x of grid) for (const y of grid) calls.push({ name, args: [x, y], results: [a, a] });
      } else {
        funcs.push(`(func (export "${name}") (param ${a} ${a}) (result ${r} ${a} ${a}) (local ${r}) ${body} (local.get 2) (local.get 0) (local.get 1))`);
        for (const x of grid) for (const y of grid) calls.push({ name, args: [x, y], results: [r, a, a] });
      }
    }
  }
  return { wat: `(module\n${funcs.join('\n')}\n)`, calls };
}

/** Comparisons consumed by control flow (if, br_if, select, eqz, br_table index), where a code generator keeps
    the condition in the flags, each with both operands from parameters and with a constant right operand;
    `filter` keeps the comparisons whose name matches (a small board runs the grid in parts). */
export function branchGrid(filter: RegExp = /./): GridModule {
  const funcs: string[] = [];
  const calls: PlannedCall[] = [];
  let n = 0;
  const consumers = [
    (c: string): string => `(if (result i32) ${c} (then (i32.const 11)) (else (i32.const 22)))`,
    (c: string): string => `(if (result i32) (i32.eqz ${c}) (then (i32.const 11)) (else (i32.const 22)))`,
    (c: string): string => `(block (result i32) (drop (br_if 0 (i32.const 33) ${c})) (i32.const 44))`,
    (c: string): string => `(block (result i32) (drop (br_if 0 (i32.const 33) (i32.eqz ${c}))) (i32.const 44))`,
    (c: string): string => `(select (i32.const 55) (i32.const 66) ${c})`,
    (c: string): string => `(i32.add (i32.eqz ${c}) (i32.const 100))`,
    (c: string): string => `(block (block (br_table 0 1 ${c})) (return (i32.const 77))) (i32.const 88)`,
    (c: string): string => `(if (result i32) (i32.and ${c} (local.get 2)) (then (i32.const 1)) (else (i32.const 2)))`,
  ];
  for (const op of ops()) {
    const [a, b] = op.params;
    const compare = op.result === 'i32' && (b === undefined ? op.name.endsWith('eqz') : a === b);
    if (a === undefined || !compare || !filter.test(op.name)) continue;
    const grid = someEdges(a, b === undefined ? 20 : 10);
    const operands = b === undefined ? ['(local.get 0)'] : ['(local.get 0) (local.get 1)', `(local.get 0) ${constText(grid[1] as WasmValue)}`, `(local.get 0) ${constText(grid[grid.length - 1] as WasmValue)}`];
    for (const ops_ of operands) {
      consumers.forEach((consume) => {
        const name = `b${n++}_${op.name}`;
        const body = consume(`(${op.name} ${ops_})`);
        funcs.push(`(func (export "${name}") (param ${a} ${a} i32) (result i32) ${body})`);
        const ys = b === undefined || !ops_.includes('local.get 1') ? [grid[0] as WasmValue] : grid;
        for (const x of grid) for (const y of ys) calls.push({ name, args: [x, y, { type: 'i32', bits: 1n }], results: ['i32'] });
      });
    }
  }
  return { wat: `(module\n${funcs.join('\n')}\n)`, calls };
}

/** Bulk memory and table operations around the edges: overlapping copies both ways, fills, init from a passive
    segment (and after data.drop), lengths 0 at the very end (allowed) and one past it (a trap, with nothing
    written), each followed by checksums of both ends of memory. Calls depend on earlier ones (memory state). */
export function bulkGrid(): GridModule {
  const pattern = Array.from({ length: 96 }, (_, i) => `\\${((i * 37 + 11) & 0xff).toString(16).padStart(2, '0')}`).join('');
  const funcs = [
    '(memory 1 1)',
    `(data $p "${pattern}")`,
    `(data (i32.const 0) "${pattern}")`,
    `(data (i32.const 65440) "${pattern}")`,
    '(table $t 8 8 funcref)',
    '(elem $e func $f1 $f2 $f3)',
    '(type $ri (func (result i32)))',
    '(func $f1 (result i32) (i32.const 1))',
    '(func $f2 (result i32) (i32.const 2))',
    '(func $f3 (result i32) (i32.const 3))',
    `(func $sum (param $a i32) (param $n i32) (result i64) (local $s i64) (local $i i32)
      (block $b (loop $l (br_if $b (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $s (i64.add (i64.rotl (local.get $s) (i64.const 5)) (i64.load8_u (i32.add (local.get $a) (local.get $i)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1))) (br $l)))
      (local.get $s))`,
    '(func (export "ends") (result i64) (i64.xor (call $sum (i32.const 0) (i32.const 200)) (i64.rotl (call $sum (i32.const 65336) (i32.const 200)) (i64.const 32))))',
    '(func (export "copy") (param i32 i32 i32) (memory.copy (local.get 0) (local.get 1) (local.get 2)))',
    '(func (export "fill") (param i32 i32 i32) (memory.fill (local.get 0) (local.get 1) (local.get 2)))',
    '(func (export "init") (param i32 i32 i32) (memory.init $p (local.get 0) (local.get 1) (local.get 2)))',
    '(func (export "drop") (data.drop $p))',
    '(func (export "tinit") (param i32 i32 i32) (table.init $e (local.get 0) (local.get 1) (local.get 2)))',
    '(func (export "tcopy") (param i32 i32 i32) (table.copy (local.get 0) (local.get 1) (local.get 2)))',
    '(func (export "edrop") (elem.drop $e))',
    '(func (export "tcall") (param i32) (result i32) (call_indirect (type $ri) (local.get 0)))',
  ];
  const i32 = (bits: bigint): WasmValue => ({ type: 'i32', bits: BigInt.asUintN(32, bits) });
  const calls: PlannedCall[] = [];
  const ends = (): void => { calls.push({ name: 'ends', args: [], results: ['i64'] }); };
  const spots = [0n, 1n, 7n, 50n, 65436n, 65472n, 65535n, 65536n, 0xffffffffn];
  const lens = [0n, 1n, 3n, 40n, 64n, 100n, 65536n, 0xffffffffn];
  for (const d of spots) {
    for (const n of lens) {
      for (const s of [0n, 20n, 65470n]) {
        calls.push({ name: 'copy', args: [i32(d), i32(s), i32(n)], results: [] });
        ends();
      }
      calls.push({ name: 'fill', args: [i32(d), i32(0x1a5n + d), i32(n)], results: [] });
      ends();
      for (const s of [0n, 30n, 96n]) {
        calls.push({ name: 'init', args: [i32(d), i32(s), i32(n)], results: [] });
        ends();
      }
    }
  }
  for (const d of [0n, 5n, 8n]) {
    for (const s of [0n, 1n, 3n]) {
      for (const n of [0n, 1n, 2n, 3n, 4n]) {
        calls.push({ name: 'tinit', args: [i32(d), i32(s), i32(n)], results: [] });
        calls.push({ name: 'tcopy', args: [i32(s + 4n), i32(d), i32(n)], results: [] });
        for (let k = 0n; k < 9n; k++) calls.push({ name: 'tcall', args: [i32(k)], results: ['i32'] });
      }
    }
  }
  calls.push({ name: 'drop', args: [], results: [] }, { name: 'edrop', args: [], results: [] });
  for (const n of [0n, 1n]) {
    calls.push({ name: 'init', args: [i32(0n), i32(0n), i32(n)], results: [] });
    calls.push({ name: 'tinit', args: [i32(0n), i32(0n), i32(n)], results: [] });
  }
  ends();
  return { wat: `(module\n${funcs.join('\n')}\n)`, calls };
}

/** Branches and literals over long distances: forward and backward branches, if/else and br_table across
    `n` straight-line steps with constants that need literal pools (i64, f64 and wide i32), so a branch or a
    pool load out of its encoding's range shows. */
export function farGrid(n = 40000): GridModule {
  const step = (k: number): string => k % 3 === 0
    ? `(local.set 1 (i32.add (local.get 1) (i32.const ${(0x12345678 + k * 7919) | 0})))`
    : k % 3 === 1
      ? `(local.set 2 (i64.xor (local.get 2) (i64.const ${BigInt.asIntN(64, 0x0123456789abcdefn * BigInt(k + 1))})))`
      : `(local.set 3 (f64.add (local.get 3) (f64.const ${(k * 1.000000123).toString()})))`;
  const body = Array.from({ length: n }, (_, k) => step(k)).join('\n');
  const tail = '(i64.add (i64.extend_i32_u (local.get 1)) (i64.add (local.get 2) (i64.reinterpret_f64 (local.get 3))))';
  const funcs = [
    `(func (export "fwd") (param i32) (result i64) (local i32 i64 f64)
      (block $skip (br_if $skip (local.get 0))
${body}
      ) ${tail})`,
    `(func (export "back") (param i32) (result i64) (local i32 i64 f64)
      (loop $again
${body}
        (br_if $again (i32.gt_s (local.tee 0 (i32.sub (local.get 0) (i32.const 1))) (i32.const 0)))) ${tail})`,
    `(func (export "ifelse") (param i32) (result i64) (local i32 i64 f64)
      (if (local.get 0) (then
${body}
      ) (else (local.set 1 (i32.const 5)))) ${tail})`,
    `(func (export "table") (param i32) (result i64) (local i32 i64 f64)
      (block $a (block $b (br_table $a $b $a (local.get 0)))
${body}
      ) ${tail})`,
  ];
  const calls: PlannedCall[] = [];
  for (const name of ['fwd', 'back', 'ifelse', 'table']) {
    for (const a of [0n, 1n, 2n, 3n]) calls.push({ name, args: [{ type: 'i32', bits: a }], results: ['i64'] });
  }
  return { wat: `(module\n${funcs.join('\n')}\n)`, calls };
}

/**
 * The grids for a board with a 64 KiB blob region and an 8 KiB instance arena (the micro:bit), seeds -11 and
 * below: the operator and branch grids in parts whose Cortex-M0 images fit the blob region, the NaN grid (its
 * memory in 1-byte pages on the board, test/diff/small.ts), the alias grid, and a far grid of 500 steps (46 KiB
 * on the M0, far beyond the 2 KiB reach of its B and the 256 bytes of B<c>). Not the memory and bulk grids: they
 * test the edges of a 64 KiB page, which such a board cannot hold. Every call stands alone (stateless).
 */
export function smallBoardGrids(): [number, GridModule][] {
  const parts: GridModule[] = [
    ...[/^i32\./, /^i64\.[a-r]/, /^i64\.[s-z]/, /^f32\./, /^f64\./].map((re) => operatorGrid(re)),
    nanGrid(), aliasGrid(),
    ...[/^i32\.[a-l]/, /^i32\.[m-z]/, /^i64\./, /^f/].map((re) => branchGrid(re)),
    farGrid(500),
  ];
  return parts.map((g, k) => [-11 - k, g]);
}

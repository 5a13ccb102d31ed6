/**
 * The ARMv6-M macro-assembler's sequences on the micro:bit's Cortex-M0, with
 * the image of thumb1-fixture.ts (hand-assembled by src/target/thumb1 until the
 * compiler emits Thumb-1): 64-bit add, subtract and every compare, constants
 * built every way, bounds checks (fast path, exact tail, inline exact check,
 * traps at byte granularity), a direct BL, the stack check under deep
 * recursion, a trap through the runtime's symbol table, and high registers
 * saved and restored across a call. Results against V8 on the same module
 * (whose memory is a 64 KiB page: within the image's 1024 bytes the two agree;
 * beyond them the image must trap, by the custom-page-sizes rules).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { crc32 } from '../../src/aot/crc32.js';
import { BOARDS, archOf } from '../../src/run/boards.js';
import type { BatchRequest, BatchResult, WasmValue } from '../../src/run/protocol.js';
import { runBatch } from '../../src/run/qemu.js';
import { V8 } from '../wasm/v8.js';
import { writeAot } from '../../src/aot/writer.js';
import { decodeModule } from '../../src/wasm/decode.js';
import { HEADER, section, str, vec } from '../wasm/builder.js';
import { firstMissingTool, importerWasm } from './fixture.js';
import { KONST, thumb1FixtureAot, thumb1ImporterAot, thumb1Wasm } from './thumb1-fixture.js';

const board = 'microbit';
const spec = BOARDS[board];

const skip = firstMissingTool([archOf(spec).qemu, `${archOf(spec).toolPrefix}gcc`, 'wat2wasm']);

const i32 = (n: number): WasmValue => ({ type: 'i32', bits: BigInt(n >>> 0) });
const i64 = (n: bigint): WasmValue => ({ type: 'i64', bits: BigInt.asUintN(64, n) });
const show = (v: unknown): string => JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `0x${x.toString(16)}` : x));

type Want = WasmValue | 'trap' | undefined;
type Call = { name: string; args: readonly WasmValue[]; want: Want; trapCode?: number };

const PAIRS: readonly [bigint, bigint][] = [
  [0xffffffffn, 1n], [-1n, -1n], [0x7fffffffffffffffn, 1n], [0x123456789n, -0x987654321n], [5n, 5n], [-1n, 1n],
  [1n, -1n], [0x100000000n, 0xffffffffn], [0xffffffffn, 0x100000000n], [-0x8000000000000000n, 0x7fffffffffffffffn],
  [0x500000003n, 0x500000002n], [0x500000002n, 0x500000003n], [0n, 0n],
];
/** Addresses around the image's memory end (1024) and check_limit (1024 - 255): word-aligned, as v6-M needs. */
const ADDRS = [0, 4, 20, 100, 764, 768, 772, 800, 1016, 1020, 1024, 1028, 4096, 0xfffffffc];
const MEM_SIZE = 1024;

function calls(): Call[] {
  const v8 = new V8.Instance(new V8.Module(thumb1Wasm())).exports as Record<string, (...a: never[]) => unknown>;
  const f = <T>(name: string, ...args: unknown[]): T => (v8[name] as (...a: unknown[]) => T)(...args);
  const out: Call[] = [];
  for (const [x, y] of PAIRS) {
    for (const op of ['add64', 'sub64'] as const) out.push({ name: op, args: [i64(x), i64(y)], want: i64(f<bigint>(op, x, y)) });
    out.push({ name: 'cmp64', args: [i64(x), i64(y)], want: i32(f<number>('cmp64', x, y)) });
  }
  for (let k = 0; k <= KONST.length; k++) out.push({ name: 'konst', args: [i32(k)], want: i32(f<number>('konst', k)) });
  for (const addr of ADDRS) {
    const inBounds = addr + 4 <= MEM_SIZE;
    out.push({ name: 'load', args: [i32(addr)], want: inBounds ? i32(f<number>('load', addr)) : 'trap', trapCode: 2 });
    const far = addr + 1000 + 4 <= MEM_SIZE;
    out.push({ name: 'loadFar', args: [i32(addr)], want: far ? i32(f<number>('loadFar', addr)) : 'trap', trapCode: 2 });
  }
  for (const addr of [8, 800, 1020, 1021, 1024]) {
    const ok = addr + 4 <= MEM_SIZE;
    if (ok) f('store', addr, 0x5eed0000 + addr);
    out.push({ name: 'store', args: [i32(addr), i32(0x5eed0000 + addr)], want: ok ? undefined : 'trap', trapCode: 2 });
    if (ok) out.push({ name: 'load', args: [i32(addr)], want: i32(f<number>('load', addr)) });
  }
  out.push({ name: 'twice', args: [i32(21)], want: i32(f<number>('twice', 21)) });
  out.push({ name: 'twice', args: [i32(-0x40000000)], want: i32(f<number>('twice', -0x40000000)) });
  out.push({ name: 'deep', args: [i32(20)], want: i32(f<number>('deep', 20)) });
  assert.throws(() => f('deep', 10_000_000), RangeError);
  out.push({ name: 'deep', args: [i32(10_000_000)], want: 'trap', trapCode: 10 });
  assert.throws(() => f('boom'), /unreachable/);
  out.push({ name: 'boom', args: [], want: 'trap', trapCode: 1 });
  out.push({ name: 'hiregs', args: [i32(5)], want: i32(f<number>('hiregs', 5)) });
  out.push({ name: 'hiregs', args: [i32(-7)], want: i32(f<number>('hiregs', -7)) });
  for (const k of [0, 1, 2, 3, 4, 5, -1]) out.push({ name: 'sw', args: [i32(k)], want: i32(f<number>('sw', k)) });
  for (const c of [0, 1, -1]) out.push({ name: 'sel', args: [i32(c), i32(7), i32(-9)], want: i32(f<number>('sel', c, 7, -9)) });
  for (const [x, y] of [[1, 2], [2, 1], [-1, 1], [1, -1], [5, 5], [-0x80000000, 0x7fffffff]]) {
    for (const op of ['lts', 'ltu']) out.push({ name: op, args: [i32(x!), i32(y!)], want: i32(f<number>(op, x, y)) });
  }
  // unaligned: every misalignment, and the last bytes of memory (1021..1023 are out of bounds for a word)
  for (const addr of [1, 2, 3, 5, 1019, 1020, 1021, 1022, 1023]) {
    out.push({ name: 'ldu', args: [i32(addr)], want: addr + 4 <= MEM_SIZE ? i32(f<number>('ldu', addr)) : 'trap', trapCode: 2 });
    out.push({ name: 'ldu16s', args: [i32(addr)], want: addr + 2 <= MEM_SIZE ? i32(f<number>('ldu16s', addr)) : 'trap', trapCode: 2 });
  }
  for (const [addr, v] of [[9, 0x8899aabb], [14, 0x11223344], [1021, 5]] as const) {
    const ok = addr + 4 <= MEM_SIZE;
    if (ok) f('stu', addr, v);
    out.push({ name: 'stu', args: [i32(addr), i32(v)], want: ok ? undefined : 'trap', trapCode: 2 });
  }
  for (const [addr, v] of [[31, 0xfedc], [1023, 1]] as const) {
    const ok = addr + 2 <= MEM_SIZE;
    if (ok) f('stu16', addr, v);
    out.push({ name: 'stu16', args: [i32(addr), i32(v)], want: ok ? undefined : 'trap', trapCode: 2 });
  }
  for (const addr of [8, 9, 10, 11, 12, 14, 16, 30, 32]) out.push({ name: 'ldu', args: [i32(addr)], want: i32(f<number>('ldu', addr)) });
  return out;
}

/** An AOT input for a module without code on the micro:bit. */
function spectestAotInput(): Parameters<typeof writeAot>[0] {
  return {
    target: spec.target, cpu: spec.cpu, floatAbi: spec.floatAbi, flags: { xip: true, callsViaTable: false, constop: false },
    module: decodeModule(new Uint8Array(HEADER)), text: new Uint8Array(0), funcCodeOffsets: [], funcEntryOffsets: [], funcrefList: [],
    globalOffsets: [], globalsSize: 0, nativeSymbols: [], relocations: 0,
  };
}

function check(c: Call, got: BatchResult | undefined): void {
  const what = `${c.name}(${c.args.map((a) => `0x${a.bits.toString(16)}`).join(', ')})`;
  if (c.want === 'trap') {
    assert.ok(got?.kind === 'trap' && got.code === c.trapCode, `${what}: want trap ${c.trapCode}, got ${show(got)}`);
    return;
  }
  assert.deepEqual(got, { kind: 'values', values: c.want === undefined ? [] : [c.want] }, what);
}

describe('micro:bit: the ARMv6-M macro-assembler\'s sequences on the Cortex-M0', { skip }, () => {
  it('computes what V8 computes, traps where Wasm traps, and keeps its image unchanged', async () => {
    const image = thumb1FixtureAot(thumb1Wasm());
    const cs = calls();
    const requests: BatchRequest[] = [
      { kind: 'module', image, address: spec.blobBase },
      ...cs.map((c): BatchRequest => ({ kind: 'invoke', module: 0, name: c.name, args: c.args })),
      { kind: 'crc', address: spec.blobBase, size: image.length },
    ];
    const out = await runBatch(board, requests, { timeoutMs: 60_000 });
    assert.equal(out.completed, true, out.log);
    assert.deepEqual(out.results[0], { kind: 'ok' }, show(out.results[0]));
    cs.forEach((c, i) => check(c, out.results[1 + i]));
    assert.deepEqual(out.results.at(-1), { kind: 'crc', crc: crc32(image) });
  });

  it('HardFaults on an unaligned word load (ARMv6-M), which the Thumb-1 emitter must therefore never issue', async () => {
    const image = thumb1FixtureAot(thumb1Wasm());
    const out = await runBatch(board, [
      { kind: 'module', image },
      { kind: 'invoke', module: 0, name: 'load', args: [i32(4)] },
      { kind: 'invoke', module: 0, name: 'load', args: [i32(2)] },
    ], { timeoutMs: 30_000 });
    assert.deepEqual(out.results[1], { kind: 'values', values: [i32(0x08070605)] });
    const r = out.results[2];
    assert.ok(r?.kind === 'fault' && r.fault.kind === 'HardFault', show(r));
  });

  it('calls a host import through a Thumb-1 import thunk and reads an imported global through exec_env', async () => {
    // spectest's own module has a 64 KiB memory, more than the board's arena: its global alone, registered under its name
    const globals = new Uint8Array([...HEADER, ...section(6, vec([[0x7f, 0, 0x41, 0x9a, 0x05, 0x0b]])), ...section(7, vec([[...str('global_i32'), 3, 0]]))]);
    const setup: BatchRequest[] = [
      { kind: 'module', image: writeAot({ ...spectestAotInput(), module: decodeModule(globals), globalOffsets: [0], globalsSize: 4 }) },
      { kind: 'register', module: 0, name: 'spectest' },
    ];
    const out = await runBatch(board, [
      ...setup,
      { kind: 'module', image: thumb1ImporterAot(importerWasm()) },
      { kind: 'invoke', module: setup.length, name: 'print', args: [i32(-7)] },
      { kind: 'invoke', module: setup.length, name: 'g', args: [] },
    ], { timeoutMs: 30_000 });
    assert.equal(out.completed, true, out.log);
    assert.deepEqual(out.results[setup.length], { kind: 'ok' }, show(out.results[setup.length]));
    const printed: number[] = [];
    const v8 = new V8.Instance(new V8.Module(importerWasm()), {
      spectest: { print_i32: (x: number) => printed.push(x), global_i32: 666 },
    }).exports as unknown as { print(x: number): void; g(): number };
    v8.print(-7);
    assert.deepEqual(out.prints, [`print_i32 i32:0x${((printed[0] as number) >>> 0).toString(16).padStart(8, '0')}`]);
    assert.deepEqual(out.results[setup.length + 2], { kind: 'values', values: [i32(v8.g())] });
  });
});

/**
 * The RV32 macro-assembler's sequences running on riscv32-virt: an image hand-built with src/target/rv32/macro.ts
 * (frames, the stack check, exec_env loads, the bounds check's fast path and out-of-line tail, the exact check,
 * trap stubs calling xw_trap through env->symbols, direct calls, 64-bit add/sub/compare on register pairs) gives
 * V8's results for the same Wasm module, traps with the right codes, and a deep recursion ends in the stack
 * check's trap. The encodings themselves are checked against GNU as in test/target/rv32/macro.test.ts.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { EnvOffset, TrapCode } from '../../src/abi.js';
import { writeAot } from '../../src/aot/writer.js';
import { archOf, BOARDS } from '../../src/run/boards.js';
import type { BatchRequest, BatchResult, WasmValue } from '../../src/run/protocol.js';
import { runBatch } from '../../src/run/qemu.js';
import type { Label } from '../../src/target/buffer.js';
import { layoutRv32Frame, Rv32Masm } from '../../src/target/rv32/macro.js';
import { Rv32Assembler } from '../../src/target/rv32/masm.js';
import { A0, A1, A2, A3, A4, S0, S1, T0, T1, ZERO, type XReg } from '../../src/target/rv32/regs.js';
import { SImm12 } from '../../src/target/rv32/imm.js';
import { decodeModule } from '../../src/wasm/decode.js';
import { helperIndex } from '../../src/xip/catalogue.js';
import { V8 } from '../wasm/v8.js';
import { firstMissingTool } from './fixture.js';

const board = 'riscv32-virt';
const spec = BOARDS[board];

const skip = firstMissingTool([archOf(spec).qemu, `${archOf(spec).toolPrefix}gcc`, 'cc', 'wat2wasm']);

const CMPS = [['lt_s', 'lt'], ['gt_u', 'gtu'], ['le_s', 'le'], ['ge_u', 'geu'], ['eq', 'eq'], ['ne', 'ne'], ['ge_s', 'ge'],
  ['lt_u', 'ltu']] as const;

const WAT = `(module
  (memory 2)
  (data (i32.const 16) "\\01\\02\\03\\04\\05\\06\\07\\08")
  (data (i32.const 65532) "\\aa\\bb\\cc\\dd")
  (data (i32.const 131068) "\\11\\22\\33\\44")
  (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "loadfar") (param i32) (result i32) (i32.load offset=65536 (local.get 0)))
  (func (export "add64") (param i64 i64) (result i64) (i64.add (local.get 0) (local.get 1)))
  (func (export "sub64") (param i64 i64) (result i64) (i64.sub (local.get 0) (local.get 1)))
${CMPS.map(([n]) => `  (func (export "${n}") (param i64 i64) (result i32) (i64.${n} (local.get 0) (local.get 1)))`).join('\n')}
  (func $rec (export "rec") (param i32) (result i32)
    (if (result i32) (local.get 0)
      (then (i32.add (call $rec (i32.sub (local.get 0) (i32.const 1))) (i32.const 1)))
      (else (i32.const 0)))))`;

const imm = (v: number): SImm12 => SImm12.tryFrom(v) as SImm12;

/** The image: every function's code through the macro-assembler, entry trampolines per signature. */
function image(wasm: Uint8Array): Uint8Array {
  const m = new Rv32Masm(new Rv32Assembler(true));
  const a = m.a, b = a.buf;
  const at = new Map<string, number>();
  const fn = (name: string): void => void at.set(name, b.offset);
  const entry = layoutRv32Frame({ saved: [S0], ra: true, locals: 0 });
  // entry trampolines: (env = a0, slots = a1, code = a2); slots are 8 bytes each
  const trampoline = (name: string, load: (s: XReg) => void, store: (s: XReg) => void): void => {
    fn(name);
    m.prologue(entry);
    a.mv(S0, A1);
    a.mv(T0, A2);
    load(S0);
    m.jalr(T0);
    store(S0);
    m.epilogue(entry);
  };
  trampoline('entry_i_i', (s) => m.lw(A1, s, 0), (s) => m.sw(A0, s, 0));
  trampoline('entry_ll_l', (s) => { m.lw(A1, s, 0); m.lw(A2, s, 4); m.lw(A3, s, 8); m.lw(A4, s, 12); },
    (s) => { m.sw(A0, s, 0); m.sw(A1, s, 4); });
  trampoline('entry_ll_i', (s) => { m.lw(A1, s, 0); m.lw(A2, s, 4); m.lw(A3, s, 8); m.lw(A4, s, 12); }, (s) => m.sw(A0, s, 0));
  // load(env, addr): a leaf, no frame: the fast check against check_limit, the exact tail out of line
  fn('load');
  m.loadCheckLimit(T1, A0);
  m.boundsCheck(A1, T1, 4, A0);
  m.loadEnv(T0, A0, EnvOffset.memBase);
  m.add(T0, T0, A1);
  m.lw(A0, T0, 0);
  a.ret();
  // loadfar(env, addr): offset 65536 needs the exact check inline
  fn('loadfar');
  m.boundsCheckExact(A1, 0x10004, A0, T0, T1);
  m.loadEnv(T0, A0, EnvOffset.memBase);
  m.add(T0, T0, A1);
  m.addConst(T0, T0, 0x10000, T1);
  m.lw(A0, T0, 0);
  a.ret();
  // i64 (a1, a2) op (a3, a4) -> (a0, a1)
  fn('add64');
  m.add64(A0, A1, A1, A2, A3, A4, T0);
  a.ret();
  fn('sub64');
  m.sub64(A0, A1, A1, A2, A3, A4, T0);
  a.ret();
  for (const [name, cond] of CMPS) {
    fn(name);
    const yes = b.getLabel();
    m.branch64(cond, A1, A2, A3, A4, yes);
    a.li(A0, 0);
    a.ret();
    b.bindLabel(yes);
    a.li(A0, 1);
    a.ret();
  }
  // rec(env, n) = n ? rec(n - 1) + 1 : 0: a frame, the stack check, a direct call
  const rec: Label = b.getLabel();
  b.bindLabel(rec);
  fn('rec');
  const f = layoutRv32Frame({ saved: [S0, S1], ra: true, locals: 0 });
  m.prologue(f);
  m.stackCheck(A0, T0);
  const zero = b.getLabel();
  a.branch('eq', A1, ZERO, zero);
  a.addi(A1, A1, imm(-1));
  m.callDirect(rec);
  a.addi(A0, A0, imm(1));
  m.epilogue(f);
  b.bindLabel(zero);
  a.li(A0, 0);
  m.epilogue(f);
  const { code } = b.finish();
  const names = ['load', 'loadfar', 'add64', 'sub64', ...CMPS.map(([n]) => n), 'rec'];
  const entries = ['entry_i_i', 'entry_i_i', 'entry_ll_l', 'entry_ll_l', ...CMPS.map(() => 'entry_ll_i'), 'entry_i_i'];
  return writeAot({
    target: 'riscv32',
    cpu: spec.cpu,
    floatAbi: spec.floatAbi,
    flags: { xip: true, callsViaTable: false, constop: false },
    module: decodeModule(wasm),
    text: code,
    funcCodeOffsets: names.map((n) => at.get(n) as number),
    funcEntryOffsets: entries.map((n) => at.get(n) as number),
    funcrefList: names.map((_n, i) => i),
    globalOffsets: [],
    globalsSize: 0,
    nativeSymbols: [{ index: helperIndex('xw_trap'), name: 'xw_trap' }],
    relocations: 0,
  });
}

const i32 = (n: number): WasmValue => ({ type: 'i32', bits: BigInt(n >>> 0) });
const i64 = (n: bigint): WasmValue => ({ type: 'i64', bits: BigInt.asUintN(64, n) });
const show = (v: unknown): string => JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x));

describe('riscv32-virt: the RV32 macro-assembler\'s sequences against V8', { skip }, () => {
  it('bounds checks (fast, tail, exact), i64 pairs, frames, direct calls and the stack check', async () => {
    const wasm = new Uint8Array(execFileSync('wat2wasm', ['-', '--output=-'], { input: WAT }));
    const ex = new V8.Instance(new V8.Module(wasm)).exports as Record<string, (...a: (number | bigint)[]) => number | bigint>;
    const req: BatchRequest[] = [{ kind: 'module', image: image(wasm) }];
    const expect: (WasmValue | { trap: number })[] = [];
    const call = (name: string, args: WasmValue[], jsArgs: (number | bigint)[], type: 'i32' | 'i64'): void => {
      req.push({ kind: 'invoke', module: 0, name, args });
      try {
        const r = ex[name]!(...jsArgs);
        expect.push(type === 'i32' ? i32(Number(r)) : i64(BigInt(r)));
      } catch {
        expect.push({ trap: TrapCode.MemoryOutOfBounds });
      }
    };
    for (const addr of [16, 20, 0, 65532, 65533, 131068, 131069, 0xfffffffc, 0x7ffffffc]) {
      call('load', [i32(addr)], [addr | 0], 'i32');
      call('loadfar', [i32(addr)], [addr | 0], 'i32');
    }
    const pairs: [bigint, bigint][] = [[1n, 2n], [0xffffffffn, 1n], [-1n, -1n], [1n << 32n, -(1n << 32n)], [0x7fffffffffffffffn, 1n],
      [-5n, 3n], [3n, -5n], [0x100000000n, 0xffffffffn], [0xffffffffn, 0x100000000n], [7n, 7n], [-(1n << 63n), 0n], [0n, 1n << 32n]];
    for (const [x, y] of pairs) {
      for (const n of ['add64', 'sub64']) call(n, [i64(x), i64(y)], [x, y], 'i64');
      for (const [n] of CMPS) call(n, [i64(x), i64(y)], [x, y], 'i32');
    }
    for (const n of [0, 1, 1000]) call('rec', [i32(n)], [n], 'i32');
    req.push({ kind: 'invoke', module: 0, name: 'rec', args: [i32(1_000_000)] }); // past the 1 MiB stack
    req.push({ kind: 'invoke', module: 0, name: 'rec', args: [i32(5)] }); // and the instance still works
    const out = await runBatch(board, req, { timeoutMs: 60_000 });
    assert.equal(out.completed, true, out.log);
    expect.forEach((e, i) => {
      const r: BatchResult | undefined = out.results[1 + i];
      if ('trap' in e) assert.ok(r?.kind === 'trap' && r.code === e.trap, `${show(req[1 + i])}: ${show(r)}`);
      else assert.deepEqual(r?.kind === 'values' ? r.values : r, [e], show(req[1 + i]));
    });
    const deep = out.results[1 + expect.length];
    assert.ok(deep?.kind === 'trap' && deep.code === TrapCode.StackExhausted, show(deep));
    const after = out.results[2 + expect.length];
    assert.deepEqual(after?.kind === 'values' ? after.values : after, [i32(5)]);
  });
});

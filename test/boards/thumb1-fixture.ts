/**
 * An image for the micro:bit's Cortex-M0, hand-assembled with the ARMv6-M
 * macro-assembler (src/target/thumb1) before the compiler emits Thumb-1 code,
 * and the Wasm module it implements (THUMB1_WAT; V8 runs the same text with a
 * 64 KiB page, the image's module has 1024 bytes of 1-byte pages, which fit the
 * board's 8 KiB arena). The code follows docs/abi.md: exec_env in r0, AAPCS
 * (soft-float), entry trampolines xw_entry_fn(env, slots, code). Functions
 * that touch memory keep exec_env in r8 and check_limit in r9, as
 * docs/thumb1.md proposes for the emitter.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EnvOffset, TrapCode } from '../../src/abi.js';
import { writeAot } from '../../src/aot/writer.js';
import type { Label } from '../../src/target/buffer.js';
import { Thumb1Assembler } from '../../src/target/thumb1/asm.js';
import * as E from '../../src/target/thumb1/enc.js';
import { Thumb1Masm, layoutFrame, type FrameSpec } from '../../src/target/thumb1/masm.js';
import { Imm8 } from '../../src/target/thumb2/imm.js';
import { type Cond, R0, R1, R2, R3, R4, R5, R6, R7, R8, R9, R10, R11, LR, SP, invertCond } from '../../src/target/thumb2/regs.js';
import { decodeModule } from '../../src/wasm/decode.js';
import type { FuncType, Module } from '../../src/wasm/types.js';
import { emitEntryTrampoline, emitImportThunk } from '../../src/target/thumb1/glue.js';
import { helperIndex } from '../../src/xip/catalogue.js';

/** The constants `konst` returns: one per way mov32 builds a value (MOVS, MVNS, NEGS, LSLS, ADDS, the pool). */
export const KONST: readonly number[] = [0, 255, -256, -255, 0x80000000, 0x3fc00, 301, 510, 0x12345678, -600, 0x7fffffff, 0xdeadbeef | 0];

/** The ten conditions `cmp64` reports, bit k for CMP64_CONDS[k]. */
export const CMP64_CONDS: readonly Cond[] = ['lt', 'cc', 'eq', 'gt', 'hi', 'ne', 'ge', 'cs', 'le', 'ls'];
const WASM_CMP: Readonly<Record<string, string>> = {
  lt: 'lt_s', cc: 'lt_u', eq: 'eq', gt: 'gt_s', hi: 'gt_u', ne: 'ne', ge: 'ge_s', cs: 'ge_u', le: 'le_s', ls: 'le_u',
};

export const THUMB1_WAT = `(module
  (memory 1)
  (data (i32.const 0) "\\01\\02\\03\\04\\05\\06\\07\\08\\09\\0a\\0b\\0c\\0d\\0e\\0f\\10\\11\\12\\13\\14\\15\\16\\17\\18")
  (data (i32.const 1000) "\\a0\\a1\\a2\\a3\\a4\\a5\\a6\\a7\\a8\\a9\\aa\\ab\\ac\\ad\\ae\\af\\b0\\b1\\b2\\b3\\b4\\b5\\b6\\b7")
  (func $add32 (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (func (export "add64") (param i64 i64) (result i64) (i64.add (local.get 0) (local.get 1)))
  (func (export "sub64") (param i64 i64) (result i64) (i64.sub (local.get 0) (local.get 1)))
  (func (export "cmp64") (param i64 i64) (result i32)
    ${CMP64_CONDS.map((c, k) => `(i32.shl (i64.${WASM_CMP[c]} (local.get 0) (local.get 1)) (i32.const ${k}))`).reduce((acc, x) => `(i32.or ${acc} ${x})`)})
  (func (export "konst") (param i32) (result i32)
    ${KONST.map((v, k) => `(if (i32.eq (local.get 0) (i32.const ${k})) (then (return (i32.const ${v | 0}))))`).join('\n    ')}
    (i32.const 0))
  (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "loadFar") (param i32) (result i32) (i32.load offset=1000 (local.get 0)))
  (func (export "store") (param i32 i32) (i32.store (local.get 0) (local.get 1)))
  (func (export "twice") (param i32) (result i32) (call $add32 (local.get 0) (local.get 0)))
  (func $deep (export "deep") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
      (else (i32.add (call $deep (i32.sub (local.get 0) (i32.const 1))) (i32.const 1)))))
  (func (export "boom") unreachable)
  (func $clobber)
  (func (export "hiregs") (param i32) (result i32) (call $clobber) (i32.add (i32.mul (local.get 0) (i32.const 4)) (i32.const 6)))
  (func (export "sw") (param i32) (result i32)
    (block $d (block $c (block $b (block $a (br_table $a $b $c $a $d (local.get 0)))
      (return (i32.const 100))) (return (i32.const 101))) (return (i32.const 102))) (i32.const 103))
  (func (export "sel") (param i32 i32 i32) (result i32) (select (local.get 1) (local.get 2) (local.get 0)))
  (func (export "lts") (param i32 i32) (result i32) (i32.lt_s (local.get 0) (local.get 1)))
  (func (export "ltu") (param i32 i32) (result i32) (i32.lt_u (local.get 0) (local.get 1)))
  (func (export "ldu") (param i32) (result i32) (i32.load align=1 (local.get 0)))
  (func (export "ldu16s") (param i32) (result i32) (i32.load16_s align=1 (local.get 0)))
  (func (export "stu") (param i32 i32) (i32.store align=1 (local.get 0) (local.get 1)))
  (func (export "stu16") (param i32 i32) (i32.store16 align=1 (local.get 0) (local.get 1))))`;

/** The module's binary (wat2wasm), for V8. */
export function thumb1Wasm(): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'xw-thumb1-'));
  try {
    writeFileSync(join(dir, 'm.wat'), THUMB1_WAT);
    execFileSync('wat2wasm', [join(dir, 'm.wat'), '-o', join(dir, 'm.wasm')], { stdio: ['ignore', 'ignore', 'pipe'] });
    return new Uint8Array(readFileSync(join(dir, 'm.wasm')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The same module with its memory section replaced by 1024 bytes of 1-byte pages (custom-page-sizes). */
export function smallMemoryWasm(wasm: Uint8Array): Uint8Array {
  const out: number[] = [...wasm.subarray(0, 8)];
  let at = 8;
  while (at < wasm.length) {
    const id = wasm[at]!;
    let size = 0, shift = 0, p = at + 1;
    for (;;) {
      const b = wasm[p++]!;
      size |= (b & 0x7f) << shift;
      shift += 7;
      if (b < 0x80) break;
    }
    // one memory: flags 0x08 (page size follows), minimum 1024 (LEB128), page-size exponent 0
    if (id === 5) out.push(5, 5, 1, 0x08, 0x80, 0x08, 0);
    else out.push(...wasm.subarray(at, p + size));
    at = p + size;
  }
  return new Uint8Array(out);
}

const imm8 = (v: number): Imm8 => {
  const i = Imm8.tryFrom(v);
  if (i === undefined) throw new RangeError(`imm8 ${v}`);
  return i;
};

class Fixture {
  readonly a = new Thumb1Assembler();
  readonly m = new Thumb1Masm(this.a);
  readonly at = new Map<string, number>();
  readonly labels = new Map<string, Label>();

  label(name: string): Label {
    let l = this.labels.get(name);
    if (l === undefined) this.labels.set(name, (l = this.a.newLabel()));
    return l;
  }

  /** Starts function `name`: word-aligned, its label bound, its frame pushed. */
  fn(name: string, spec: FrameSpec): ReturnType<typeof layoutFrame> {
    this.a.flushIsland();
    this.a.buf.alignTo(4);
    this.at.set(name, this.a.offset);
    this.a.bind(this.label(name));
    const f = layoutFrame(spec);
    this.m.prologue(f);
    return f;
  }

  end(f: ReturnType<typeof layoutFrame>): void {
    this.m.epilogue(f);
    this.a.flushIsland();
  }

  offset(name: string): number {
    const v = this.at.get(name);
    if (v === undefined) throw new Error(`fixture: no function ${name}`);
    return v;
  }
}

const NONE: FrameSpec = { low: [], high: [], lr: false, locals: 0 };

/** Function order of THUMB1_WAT, and whether the runtime calls it (an export: it gets an entry trampoline). */
const FUNCS: readonly [string, boolean][] = [
  ['add32', false], ['add64', true], ['sub64', true], ['cmp64', true], ['konst', true], ['load', true], ['loadFar', true],
  ['store', true], ['twice', true], ['deep', true], ['boom', true], ['clobber', false], ['hiregs', true],
  ['sw', true], ['sel', true], ['lts', true], ['ltu', true], ['ldu', true], ['ldu16s', true], ['stu', true], ['stu16', true],
];

const typeKey = (t: FuncType): string => `${t.params.join(',')}>${t.results.join(',')}`;
const funcType = (module: Module, i: number): FuncType => module.types[module.funcTypeIndices[i]!]!;

/** One entry trampoline per function type the runtime calls, named `entry:<type>`. */
function trampolines(x: Fixture, module: Module, called: readonly boolean[]): void {
  called.forEach((c, i) => {
    const key = `entry:${typeKey(funcType(module, i))}`;
    if (!c || x.at.has(key)) return;
    x.a.buf.alignTo(4);
    x.at.set(key, x.a.offset);
    emitEntryTrampoline(x.a, funcType(module, i));
  });
}

/** The image's text and where each function and trampoline starts. */
export function thumb1FixtureText(module: Module): { text: Uint8Array; at(name: string): number } {
  const x = new Fixture();
  const { a, m } = x;
  trampolines(x, module, FUNCS.map(([, exported]) => exported));

  // add32(env, a, b): a leaf with no frame
  let f = x.fn('add32', NONE);
  a.emit(E.addRegT1(R0, R1, R2));
  x.end(f);

  // add64/sub64(env, a = r2:r3, b = [sp]): b sits above the two pushed registers
  for (const op of ['add64', 'sub64'] as const) {
    f = x.fn(op, { low: [R4, R5], high: [], lr: false, locals: 0 });
    a.load('w', R4, SP, f.saved);
    a.load('w', R5, SP, f.saved + 4);
    if (op === 'add64') m.add64(R0, R1, R2, R3, R4, R5);
    else {
      // the high result over the subtrahend's high half (MVNS + ADCS)
      m.sub64(R0, R5, R2, R3, R4, R5);
      a.mov(R1, R5);
    }
    x.end(f);
  }

  // cmp64(env, a, b): bit k set when CMP64_CONDS[k] holds
  f = x.fn('cmp64', { low: [R4, R5, R6, R7], high: [], lr: false, locals: 0 });
  a.load('w', R4, SP, f.saved);
  a.load('w', R5, SP, f.saved + 4);
  a.mov32(R7, 0);
  CMP64_CONDS.forEach((c, k) => {
    const skip = a.newLabel();
    // the odd ones without a scratch register (the high operand parked in r12)
    m.branch64(invertCond(c), R2, R3, R4, R5, skip, k % 2 === 0 ? R6 : undefined);
    a.mov32(R1, 1 << k);
    a.emit(E.orrRegT1(R7, R1));
    a.bind(skip);
  });
  a.emit(E.movRegT2(R0, R7));
  x.end(f);

  // konst(env, i): KONST[i], else 0
  f = x.fn('konst', NONE);
  KONST.forEach((v, k) => {
    const next = a.newLabel();
    a.emit(E.cmpImmT1(R1, imm8(k)));
    a.bcond('ne', next);
    a.mov32(R0, v);
    a.bx(LR);
    a.bind(next);
  });
  a.mov32(R0, 0);
  x.end(f);

  // load/loadFar/store(env, addr[, v]): exec_env in r8, check_limit in r9, the memory base in r5
  const MEM: FrameSpec = { low: [R4, R5, R6, R7], high: [R8, R9], lr: true, locals: 0 };
  const memSetup = (): void => {
    a.mov(R8, R0);
    m.loadCheckLimit(R9, R8, R4);
    m.loadEnv(R5, R8, EnvOffset.memBase);
  };
  f = x.fn('load', MEM);
  memSetup();
  m.boundsCheck(R1, R9, 4, R8);
  a.loadReg('w', R0, R5, R1);
  x.end(f);

  f = x.fn('loadFar', MEM);
  memSetup();
  m.boundsCheckExact(R1, 1004, R8, R2, R3);
  a.mov32(R2, 1000);
  a.emit(E.addRegT1(R2, R1, R2));
  a.loadReg('w', R0, R5, R2);
  x.end(f);

  f = x.fn('store', MEM);
  memSetup();
  m.boundsCheck(R1, R9, 4, R8);
  a.storeReg('w', R2, R5, R1);
  x.end(f);

  // twice(env, x) = add32(env, x, x): a direct BL inside the image
  f = x.fn('twice', { low: [], high: [], lr: true, locals: 0 });
  a.mov(R2, R1);
  a.bl(x.label('add32'));
  x.end(f);

  // deep(env, n): recursion with the stack check; exec_env kept in r8
  f = x.fn('deep', { low: [R4], high: [R8], lr: true, locals: 0 });
  a.mov(R8, R0);
  m.stackCheck(R8, R3);
  const rec = a.newLabel(), out = a.newLabel();
  a.emit(E.cmpImmT1(R1, imm8(0)));
  a.bcond('ne', rec);
  a.mov32(R0, 0);
  a.b(out);
  a.bind(rec);
  a.emit(E.subImmT2(R1, imm8(1)));
  a.mov(R0, R8);
  a.bl(x.label('deep'));
  a.emit(E.addImmT2(R0, imm8(1)));
  a.bind(out);
  x.end(f);

  // boom(env): trap 1 through the trap stub (xw_trap from env->symbols)
  f = x.fn('boom', NONE);
  a.b(m.trapLabel(TrapCode.Unreachable, R0));
  x.end(f);

  // clobber(env): saves r4-r6 and r8-r11 (two groups through the low ones), overwrites them, restores them
  f = x.fn('clobber', { low: [R4, R5, R6], high: [R8, R9, R10, R11], lr: false, locals: 12 });
  a.mov32(R4, 0xaa);
  for (const h of [R8, R9, R10, R11]) a.mov(h, R4);
  a.mov(R5, R4);
  a.mov(R6, R4);
  a.store('w', R4, SP, 8);
  x.end(f);

  // hiregs(env, x): r8..r11 = x, x+1, x+2, x+3 across a call to clobber, then their sum 4x + 6
  f = x.fn('hiregs', { low: [R4], high: [R8, R9, R10, R11], lr: true, locals: 0 });
  [R8, R9, R10, R11].forEach((h, k) => {
    a.addImm(R4, R1, k);
    a.mov(h, R4);
  });
  a.bl(x.label('clobber'));
  a.mov(R0, R8);
  for (const h of [R9, R10, R11]) a.emit(E.addRegT2(R0, h));
  x.end(f);

  // sw(env, i): br_table through a halfword jump table; $a is bound before it (a B after the table reaches it)
  f = x.fn('sw', NONE);
  const start = a.newLabel(), la = a.newLabel(), lb = a.newLabel(), lc = a.newLabel(), ld = a.newLabel();
  a.b(start);
  a.bind(la);
  a.mov32(R0, 100);
  a.bx(LR);
  a.bind(start);
  m.jumpTable(R1, [la, lb, lc, la], ld, R2);
  for (const [l, v] of [[lb, 101], [lc, 102], [ld, 103]] as const) {
    a.bind(l);
    a.mov32(R0, v);
    a.bx(LR);
  }
  x.end(f);

  // sel(env, c, x, y) = c ? x : y; lts/ltu(env, a, b) = a < b
  f = x.fn('sel', NONE);
  a.emit(E.cmpImmT1(R1, imm8(0)));
  m.select('ne', R0, R2, R3);
  x.end(f);
  for (const [name, cond] of [['lts', 'lt'], ['ltu', 'cc']] as const) {
    f = x.fn(name, NONE);
    a.emit(E.cmpRegT1(R1, R2));
    m.setCond(R0, cond);
    x.end(f);
  }

  // ldu/ldu16s/stu/stu16(env, addr[, v]): checked, then an access of any alignment
  for (const [name, kind] of [['ldu', 'w'], ['ldu16s', 'sh'], ['stu', 'w'], ['stu16', 'h']] as const) {
    f = x.fn(name, MEM);
    memSetup();
    m.boundsCheck(R1, R9, kind === 'w' ? 4 : 2, R8);
    if (name.startsWith('ld')) m.loadAny(kind, R0, R5, R1, R6, R7);
    else m.storeAny(kind === 'sh' ? 'h' : kind, R2, R5, R1, R6, R7);
    x.end(f);
  }

  const { code } = a.finish();
  return { text: code, at: (n) => x.offset(n) };
}


/** The micro:bit image (Cortex-M0, soft-float, XIP) of THUMB1_WAT with the small memory. */
export function thumb1FixtureAot(wasm: Uint8Array): Uint8Array {
  const module = decodeModule(smallMemoryWasm(wasm));
  const { text, at } = thumb1FixtureText(module);
  const trap = helperIndex('xw_trap');
  return writeAot({
    target: 'thumbv6m',
    cpu: 'cortex-m0',
    floatAbi: 'soft',
    flags: { xip: true, callsViaTable: false, constop: false },
    module,
    text,
    funcCodeOffsets: FUNCS.map(([n]) => at(n)),
    funcEntryOffsets: FUNCS.map(([, e], i) => (e ? at(`entry:${typeKey(funcType(module, i))}`) : undefined)),
    funcrefList: FUNCS.flatMap(([, e], i) => (e ? [i] : [])),
    globalOffsets: [],
    globalsSize: 0,
    nativeSymbols: [{ index: trap, name: 'xw_trap' }],
    relocations: 0,
  });
}

/** importerWasm() (fixture.ts) for the Cortex-M0: an import thunk, a direct BL to it, an imported global through exec_env. */
export function thumb1ImporterAot(wasm: Uint8Array): Uint8Array {
  const module = decodeModule(wasm);
  const x = new Fixture();
  const { a, m } = x;
  trampolines(x, module, [false, true, true]);
  a.buf.alignTo(4);
  x.at.set('thunk', a.offset);
  a.bind(x.label('thunk'));
  emitImportThunk(a, funcType(module, 0), 0);
  let f = x.fn('print', { low: [], high: [], lr: true, locals: 0 });
  a.bl(x.label('thunk'));
  x.end(f);
  f = x.fn('g', NONE);
  m.loadEnv(R3, R0, EnvOffset.importedGlobals);
  a.load('w', R3, R3, 0);
  a.load('w', R0, R3, 0);
  x.end(f);
  const { code } = a.finish();
  return writeAot({
    target: 'thumbv6m',
    cpu: 'cortex-m0',
    floatAbi: 'soft',
    flags: { xip: true, callsViaTable: false, constop: false },
    module,
    text: code,
    funcCodeOffsets: [x.offset('thunk'), x.offset('print'), x.offset('g')],
    funcEntryOffsets: [undefined, ...[1, 2].map((i) => x.offset(`entry:${typeKey(funcType(module, i))}`))],
    funcrefList: [1, 2],
    globalOffsets: [],
    globalsSize: 0,
    nativeSymbols: [],
    relocations: 0,
  });
}

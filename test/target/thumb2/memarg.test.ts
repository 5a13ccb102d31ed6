/**
 * Memarg offsets from 0 to 2^32-1 under register pressure, at every --opt-level, on every board, against V8.
 *
 * An offset that no load/store instruction encodes (Thumb-2's immediate reaches 4095) once made the optimizing
 * tier ask for a third scratch register when the allocator had spilled both the address and the value
 * (`str [14, #4608]: offset needs a scratch register`, issue 9). Each access here sits under a dozen values
 * live on the operand stack and a dozen locals live across it, with its address and stored value in locals
 * that a loop makes expensive to spill, so every spill/scratch combination gets exercised.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileModule } from '../../../src/compile.js';
import { BOARDS, CODEGEN_BOARD_NAMES } from '../../../src/run/boards.js';
import { CPUS } from '../../../src/xip/cpu.js';
import { agreeOnBoard, assemble, compileFor, i32, reference, skipBoards, type Call } from './vs-v8.js';

/** The reduced module of issue 9 (a Huffman coder and a JPEG decoder failed like this), exported to be run. */
const ISSUE9 = `(module (func (export "f") (local i32 i32 i32 i32 i32 i32 i32)
    i32.const 0
    if loop
      local.get 6  i32.const 1
      if (result i32) i32.const 0 local.tee 5 i32.const 0 i32.load i32.gt_u
      else i32.const 0 end
      i32.shl  br 0
    end end
    local.get 0 local.get 4 i32.store
    local.get 3 local.get 5 i32.store offset=4608
    local.get 1 i32.const 1 i32.store
    unreachable)
  (func (export "peek") (param i32) (result i32) (i32.load (local.get 0)))
  (memory 2))`;

const MEM = 2 * 65536;

interface Access { readonly op: string; readonly size: number; readonly store: boolean; readonly as64: (e: string) => string; readonly value?: string }
const ACCESSES: readonly Access[] = [
  { op: 'i32.load', size: 4, store: false, as64: (e) => `(i64.extend_i32_u ${e})` },
  { op: 'i32.load8_s', size: 1, store: false, as64: (e) => `(i64.extend_i32_u ${e})` },
  { op: 'i32.load16_u', size: 2, store: false, as64: (e) => `(i64.extend_i32_u ${e})` },
  { op: 'i64.load', size: 8, store: false, as64: (e) => e },
  { op: 'i64.load32_s', size: 4, store: false, as64: (e) => e },
  { op: 'f32.load', size: 4, store: false, as64: (e) => `(i64.extend_i32_u (i32.reinterpret_f32 ${e}))` },
  { op: 'f64.load', size: 8, store: false, as64: (e) => `(i64.reinterpret_f64 ${e})` },
  { op: 'i32.store', size: 4, store: true, as64: (e) => e, value: '(i32.xor (local.get $x3) (local.get $x7))' },
  { op: 'i32.store8', size: 1, store: true, as64: (e) => e, value: '(local.get $x5)' },
  { op: 'i32.store16', size: 2, store: true, as64: (e) => e, value: '(i32.add (local.get $x1) (local.get $x9))' },
  { op: 'i64.store', size: 8, store: true, as64: (e) => e,
    value: '(i64.or (i64.shl (i64.extend_i32_u (local.get $x2)) (i64.const 32)) (i64.extend_i32_u (local.get $x6)))' },
  { op: 'i64.store32', size: 4, store: true, as64: (e) => e, value: '(i64.extend_i32_s (local.get $x8))' },
  // no NaN bit patterns: the value's exponent is never all ones
  { op: 'f32.store', size: 4, store: true, as64: (e) => e, value: '(f32.reinterpret_i32 (i32.and (local.get $x4) (i32.const 0x3fffffff)))' },
  { op: 'f64.store', size: 8, store: true, as64: (e) => e,
    value: '(f64.reinterpret_i64 (i64.extend_i32_u (local.get $x10)))' },
];

/** Around Thumb-2's reaches (imm8 255, imm12 4095, LDRD's 1020), the memory's end, and where the sum wraps. */
const OFFSETS = [0, 1, 255, 256, 1020, 1024, 4088, 4091, 4092, 4095, 4096, 4097, 4100, 4608, 65535, 65536,
  MEM - 8, MEM - 4, MEM - 1, MEM, 0x7fffffff, 0x80000000, 0xfffffff8, 0xffffffff];

const N = 12;
const xs = Array.from({ length: N }, (_, k) => `$x${k}`);

function accessFunc(name: string, acc: Access, offset: number): string {
  const mem = `${acc.op} offset=${offset} (local.get $a)`;
  const access = acc.store
    ? `(block (result i64) (${mem} ${acc.value!}) (i64.const 1))`
    : acc.as64(`(${mem})`);
  // N values on the operand stack across the access, each a different function of the locals
  let expr = access;
  for (let k = N - 1; k >= 0; k--) {
    expr = `(i64.add (i64.extend_i32_u (i32.rotl (local.get ${xs[k]}) (i32.const ${k + 1}))) ${expr})`;
  }
  const mix = xs.map((x) => `(local.get ${x})`).reduce((a, b) => `(i32.xor ${a} ${b})`);
  return `(func (export "${name}") (param $a i32) (param $s i32) (result i64) (local $i i32) ${xs.map((x) => `(local ${x} i32)`).join(' ')}
    ${xs.map((x, k) => `(local.set ${x} (i32.add (i32.mul (local.get $s) (i32.const ${2 * k + 1})) (i32.const ${k * 0x9e37})))`).join('\n    ')}
    (local.set $i (i32.const 2))
    (loop $l
      ${xs.map((x, k) => `(local.set ${x} (i32.xor (local.get ${x}) (i32.rotl (local.get ${xs[(k + 1) % N]}) (local.get $a))))`).join('\n      ')}
      (local.set $a (i32.add (local.get $a) (i32.const 0)))
      (br_if $l (local.tee $i (i32.sub (local.get $i) (i32.const 1)))))
    (i64.xor ${expr} (i64.extend_i32_u ${mix})))`;
}

interface Stress { readonly wat: string; readonly calls: readonly Call[] }

function stressModule(): Stress {
  const funcs: string[] = [];
  const calls: Call[] = [{ name: 'init', args: [] }];
  ACCESSES.forEach((acc, ai) => {
    OFFSETS.forEach((offset, oi) => {
      const name = `${acc.op.replace('.', '_')}_${oi}`;
      funcs.push(accessFunc(name, acc, offset));
      const last = MEM - offset - acc.size;
      const addrs = new Set<number>([0, 0xffffffff, 0x10000, 8]);
      if (last >= 0) { addrs.add(last); addrs.add(last + 1); addrs.add(last - 3); }
      let s = 0x1234567 + 97 * (ai * OFFSETS.length + oi);
      for (const a of addrs) {
        if (a < 0) continue;
        calls.push({ name, args: [i32(a), i32(s++)] });
        // a store lands exactly where Wasm says, and a trapping store writes nothing
        if (acc.store) calls.push({ name: 'hash', args: [] });
      }
    });
  });
  const wat = `(module (memory 2)
  (func (export "init") (local $i i32)
    (loop $l
      (i32.store (local.get $i) (i32.mul (i32.add (local.get $i) (i32.const 1)) (i32.const 0x9e3779b1)))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 4))) (i32.const ${MEM})))))
  (func (export "hash") (result i64) (local $i i32) (local $h i64)
    (loop $l
      (local.set $h (i64.xor (i64.rotl (local.get $h) (i64.const 5)) (i64.load (local.get $i))))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 8))) (i32.const ${MEM}))))
    (local.get $h))
  ${funcs.join('\n  ')})`;
  return { wat, calls };
}

const LEVELS = [0, 1, 2, 3];

test('every CPU compiles the issue-9 module and the memarg stress module at every opt level', () => {
  const modules = [assemble(ISSUE9), assemble(stressModule().wat)];
  for (const cpu of CPUS) {
    for (const optLevel of LEVELS) {
      for (const wasm of modules) {
        const { relocations } = compileModule(wasm, { target: cpu.targets[0]!, cpu: cpu.name, xip: true, optLevel });
        assert.equal(relocations, 0);
      }
    }
  }
});

// both modules have a 128 KiB memory, which the micro:bit's 8 KiB arena cannot hold (they compile for the M0 above)
for (const board of CODEGEN_BOARD_NAMES.filter((b) => BOARDS[b].arenaSize >= 4 * MEM)) {
  test(`the issue-9 module runs as in V8 on ${board} at every opt level`, { skip: skipBoards }, async () => {
    const spec = BOARDS[board];
    const wasm = assemble(ISSUE9);
    const calls: Call[] = [{ name: 'f', args: [] }, { name: 'peek', args: [i32(4608)] }, { name: 'peek', args: [i32(0)] }];
    const expected = reference(wasm, calls);
    for (const level of LEVELS) await agreeOnBoard(board, compileFor(wasm, spec.target, spec.cpu, level), calls, expected, `-O${level} `);
  });

  test(`memarg offsets 0 .. 2^32-1 under register pressure agree with V8 on ${board} at every opt level`, { skip: skipBoards }, async () => {
    const spec = BOARDS[board];
    const { wat, calls } = stressModule();
    const wasm = assemble(wat);
    const expected = reference(wasm, calls);
    const done: Uint8Array[] = [];
    for (const level of LEVELS) {
      const image = compileFor(wasm, spec.target, spec.cpu, level);
      // levels that produce the same image (1-3 today) need not run again
      if (done.some((d) => d.length === image.length && d.every((b, k) => b === image[k]))) continue;
      done.push(image);
      await agreeOnBoard(board, image, calls, expected, `-O${level} `);
    }
  });
}

/**
 * A spilled value stored from a scratch register is read from that register by the next instruction, not
 * reloaded from its slot (the emitter's `use` after `commit`, when nothing was emitted between). Under heavy
 * register pressure the results agree with V8 on the M3 and M55 boards, the code spills, and no store to a
 * frame slot is followed by a load of the same slot.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readAot } from '../../../src/aot/reader.js';
import { BOARDS } from '../../../src/run/boards.js';
import { disassembleRaw, haveBinutils } from './golden.js';
import { agreeOnBoard, assemble, compileFor, i32, reference, skipBoards } from './vs-v8.js';

const N = 20;
const locals = Array.from({ length: N }, (_, i) => i + 1);
/** 20 locals live through a loop, each update reading the one just written. */
const PRESSURE = `(module
  (func (export "p") (param i32) (result i32) (local ${'i32 '.repeat(N)})
    ${locals.map((l) => `(local.set ${l} (i32.add (local.get 0) (i32.const ${l * 7})))`).join('\n    ')}
    (loop
      ${locals.map((l) => `(local.set ${l} (i32.add (i32.mul (local.get ${l === 1 ? N : l - 1}) (i32.const 3)) (local.get ${l})))`).join('\n      ')}
      (br_if 0 (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
    ${locals.map((l) => `(local.get ${l})`).join(' ')}
    ${'(i32.xor) '.repeat(N - 1)}))`;

/**
 * The same, where the value is stored at the end of a block and read right after its end, which a branch also
 * reaches: the scratch register holds the value only on the path that stored it.
 */
const JOIN = `(module
  (func (export "join") (param i32 i32) (result i32) (local ${'i32 '.repeat(N + 1)})
    (local.set ${N + 2} (i32.xor (local.get 0) (local.get 1)))
    ${locals.map((l) => `(local.set ${l + 1} (i32.mul (local.get 0) (i32.const ${l * 7 + 1})))`).join('\n    ')}
    ${locals.map((l) => `(local.set ${l + 1} (i32.add (local.get ${l + 1}) (local.get ${l === N ? 2 : l + 2})))`).join('\n    ')}
    (block
      (br_if 0 (local.get 1))
      (local.set ${N + 2} (i32.add (local.get 0) (i32.const 5))))
    (local.set ${N + 2} (i32.xor (local.get ${N + 2}) (i32.const 0x55)))
    ${locals.map((l) => `(local.get ${l + 1})`).join(' ')}
    ${'(i32.add) '.repeat(N - 1)}
    (local.get ${N + 2}) (i32.add)))`;

const CASES = [
  { wat: PRESSURE, calls: [1, 2, 7, 100].map((n) => ({ name: 'p', args: [i32(n)] })) },
  { wat: JOIN, calls: [[3, 0], [3, 1], [-5, 9], [123456, 0x40000000]].map(([a, b]) => ({ name: 'join', args: [i32(a!), i32(b!)] })) },
];

test('a spilled value just stored is not reloaded from its slot', (ctx) => {
  if (!haveBinutils()) return ctx.skip('arm-none-eabi-objdump not installed');
  const spec = BOARDS['mps2-an385'];
  const text = readAot(compileFor(assemble(PRESSURE), spec.target, spec.cpu)).text;
  const lines = disassembleRaw(text);
  const slot = (s: string, op: RegExp): string | undefined => (op.test(s) ? /\[sp, #(\d+)\]/.exec(s)?.[1] : undefined);
  assert.ok(lines.some((l) => slot(l.text, /^str(\.w)?\s/) !== undefined), 'the function must spill');
  for (let k = 1; k < lines.length; k++) {
    const st = slot(lines[k - 1]!.text, /^str(\.w)?\s/);
    if (st !== undefined) assert.notEqual(slot(lines[k]!.text, /^ldr(\.w)?\s/), st, `${lines[k - 1]!.text}; ${lines[k]!.text}`);
  }
});

for (const board of ['mps2-an385', 'mps3-an547'] as const) {
  test(`register pressure with stored-then-used spills agrees with V8 on ${board}`, { skip: skipBoards }, async () => {
    const spec = BOARDS[board];
    for (const c of CASES) {
      const wasm = assemble(c.wat);
      await agreeOnBoard(board, compileFor(wasm, spec.target, spec.cpu), c.calls, reference(wasm, c.calls));
    }
  });
}

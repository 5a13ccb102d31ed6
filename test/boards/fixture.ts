/**
 * A small AOT file whose text is hand-assembled with arm-none-eabi-as, so the boards can be tested end to end
 * independently of the code generator. The Wasm module beside it has the same semantics (checked against V8):
 *   add(i32, i32) -> i32        a + b
 *   boom()                      unreachable (traps through the runtime's xw_trap)
 *   count(i32) -> i32           3 * n by a loop of n iterations (4n + 3 instructions, plus its entry trampoline)
 *   spin()                      loops forever
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readAot } from '../../src/aot/reader.js';
import { writeAot } from '../../src/aot/writer.js';
import type { BoardSpec } from '../../src/run/boards.js';
import { decodeModule } from '../../src/wasm/decode.js';
import { helperIndex } from '../../src/xip/catalogue.js';
import { HEADER, section, str, uleb, vec } from '../wasm/builder.js';

const I32 = 0x7f;

export function fixtureWasm(): Uint8Array {
  const types = section(1, vec([[0x60, 2, I32, I32, 1, I32], [0x60, 0, 0], [0x60, 1, I32, 1, I32]]));
  const funcs = section(3, vec([[0], [1], [2], [1]]));
  const exports = section(7, vec([[...str('add'), 0, 0], [...str('boom'), 0, 1], [...str('count'), 0, 2], [...str('spin'), 0, 3]]));
  const body = (locals: number[][], code: number[]): number[] => {
    const b = [...vec(locals), ...code, 0x0b];
    return [...uleb(b.length), ...b];
  };
  const add = body([], [0x20, 0, 0x20, 1, 0x6a]);
  const boom = body([], [0x00]);
  // (block (loop (br_if 1 (i32.eqz n)) (acc += 3) (n -= 1) (br 0))) acc
  const count = body([[1, I32]], [
    0x02, 0x40, 0x03, 0x40,
    0x20, 0, 0x45, 0x0d, 1,
    0x20, 1, 0x41, 3, 0x6a, 0x21, 1,
    0x20, 0, 0x41, 1, 0x6b, 0x21, 0,
    0x0c, 0, 0x0b, 0x0b,
    0x20, 1,
  ]);
  const spin = body([], [0x03, 0x40, 0x0c, 0, 0x0b]);
  const code = section(10, [...uleb(4), ...add, ...boom, ...count, ...spin]);
  return new Uint8Array([...HEADER, ...types, ...funcs, ...exports, ...code]);
}

function assembly(trapIndex: number): string {
  return `
 .syntax unified
 .thumb
 .text
 .p2align 2
 .thumb_func
entry_ii_i:           @ xw_entry_fn(env, slots, code) for (i32, i32) -> i32
  push {r4, lr}
  mov r4, r1
  mov r3, r2
  ldr r1, [r4]
  ldr r2, [r4, #8]
  blx r3
  str r0, [r4]
  pop {r4, pc}
 .thumb_func
entry_v_v:            @ () -> ()
  push {r4, lr}
  blx r2
  pop {r4, pc}
 .thumb_func
entry_i_i:            @ (i32) -> i32
  push {r4, lr}
  mov r4, r1
  ldr r1, [r4]
  blx r2
  str r0, [r4]
  pop {r4, pc}
 .thumb_func
f_add:
  adds r0, r1, r2
  bx lr
 .thumb_func
f_boom:
  push {r4, lr}
  ldr r3, [r0]                 @ env->symbols
  ldr r3, [r3, #${trapIndex * 4}]   @ xw_trap
  movs r1, #1                  @ unreachable
  blx r3
  udf #0
 .thumb_func
f_count:
  movs r0, #0
1:
  cbz r1, 2f
  adds r0, r0, #3
  subs r1, r1, #1
  b 1b
2:
  bx lr
 .thumb_func
f_spin:
  b f_spin
`;
}

/** Assembles Thumb code (plain v7-M, valid for both boards: it passes no float values, so both float ABIs
    agree, and this binutils does not know -mcpu=cortex-m55); returns the text and its symbol offsets. */
function assemble(source: string, cpuFlags: readonly string[] = ['-mcpu=cortex-m3']): { text: Uint8Array; at(name: string): number } {
  const dir = mkdtempSync(join(tmpdir(), 'xipwasm-fixture-'));
  try {
    writeFileSync(join(dir, 'text.s'), source);
    execFileSync('arm-none-eabi-as', [...cpuFlags, '-o', join(dir, 'text.o'), join(dir, 'text.s')]);
    execFileSync('arm-none-eabi-objcopy', ['-O', 'binary', '-j', '.text', join(dir, 'text.o'), join(dir, 'text.bin')]);
    const syms = new Map<string, number>();
    for (const line of execFileSync('arm-none-eabi-nm', [join(dir, 'text.o')], { encoding: 'utf8' }).split('\n')) {
      const [addr, , name] = line.trim().split(/\s+/);
      if (addr !== undefined && name !== undefined) syms.set(name, parseInt(addr, 16));
    }
    const text = new Uint8Array(readFileSync(join(dir, 'text.bin')));
    return {
      text,
      at(name: string): number {
        const v = syms.get(name);
        if (v === undefined) throw new Error(`fixture: no symbol ${name}`);
        return v;
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Builds the fixture AOT for a board (needs arm-none-eabi-as, -objcopy, -nm). */
export function fixtureAot(board: BoardSpec): Uint8Array {
  const trap = helperIndex('xw_trap');
  const { text, at } = assemble(assembly(trap));
  return writeAot({
    target: board.target,
    cpu: board.cpu,
    floatAbi: board.floatAbi,
    flags: { xip: true, callsViaTable: false, constop: false },
    module: decodeModule(fixtureWasm()),
    text,
    funcCodeOffsets: [at('f_add'), at('f_boom'), at('f_count'), at('f_spin')],
    funcEntryOffsets: [at('entry_ii_i'), at('entry_v_v'), at('entry_i_i'), at('entry_v_v')],
    funcrefList: [0, 1, 2, 3],
    globalOffsets: [],
    globalsSize: 0,
    nativeSymbols: [{ index: trap, name: 'xw_trap' }],
    relocations: 0,
  });
}

/**
 * A module that imports from "spectest":
 *   (import "spectest" "print_i32" (func (param i32)))  (import "spectest" "global_i32" (global i32))
 *   (func (export "print") (param i32) (call 0 (local.get 0)))
 *   (func (export "g") (result i32) (global.get 0))
 */
export function importerWasm(): Uint8Array {
  const types = section(1, vec([[0x60, 1, I32, 0], [0x60, 0, 1, I32]]));
  const imports = section(2, vec([
    [...str('spectest'), ...str('print_i32'), 0, 0],
    [...str('spectest'), ...str('global_i32'), 3, I32, 0],
  ]));
  const funcs = section(3, vec([[0], [1]]));
  const exports = section(7, vec([[...str('print'), 0, 1], [...str('g'), 0, 2]]));
  const code = section(10, [...uleb(2), 6, 0, 0x20, 0, 0x10, 0, 0x0b, 4, 0, 0x23, 0, 0x0b]);
  return new Uint8Array([...HEADER, ...types, ...imports, ...funcs, ...exports, ...code]);
}

const IMPORTER_ASM = `
 .syntax unified
 .thumb
 .text
 .p2align 2
 .thumb_func
entry_i_v:            @ (i32) -> ()
  push {r4, lr}
  ldr r1, [r1]
  blx r2
  pop {r4, pc}
 .thumb_func
entry_v_i:            @ () -> i32
  push {r4, lr}
  mov r4, r1
  blx r2
  str r0, [r4]
  pop {r4, pc}
 .thumb_func
thunk_print_i32:      @ import thunk (docs/abi.md 4): imports[0].fn(imports[0].env, slots, imports[0].data)
  push {r4, lr}
  sub sp, #8
  str r1, [sp]
  ldr r3, [r0, #36]
  ldr r0, [r3, #4]
  ldr r2, [r3, #8]
  ldr r3, [r3]
  mov r1, sp
  blx r3
  add sp, #8
  pop {r4, pc}
 .thumb_func
f_print:
  push {r4, lr}
  bl thunk_print_i32
  pop {r4, pc}
 .thumb_func
f_g:
  ldr r3, [r0, #16]     @ env->imported_globals
  ldr r3, [r3]
  ldr r0, [r3]
  bx lr
`;

export function importerAot(board: BoardSpec): Uint8Array {
  const { text, at } = assemble(IMPORTER_ASM);
  return writeAot({
    target: board.target,
    cpu: board.cpu,
    floatAbi: board.floatAbi,
    flags: { xip: true, callsViaTable: false, constop: false },
    module: decodeModule(importerWasm()),
    text,
    funcCodeOffsets: [at('thunk_print_i32'), at('f_print'), at('f_g')],
    funcEntryOffsets: [undefined, at('entry_i_v'), at('entry_v_i')],
    funcrefList: [1, 2],
    globalOffsets: [],
    globalsSize: 0,
    nativeSymbols: [],
    relocations: 0,
  });
}

/** (func (export "mix") (param f64 f64) (result f64) (f64.add (f64.mul (local.get 0) (local.get 1)) (local.get 0))) */
export function floatWasm(): Uint8Array {
  const F64 = 0x7c;
  const types = section(1, vec([[0x60, 2, F64, F64, 1, F64]]));
  const funcs = section(3, vec([[0]]));
  const exports = section(7, vec([[...str('mix'), 0, 0]]));
  const code = section(10, [...uleb(1), 10, 0, 0x20, 0, 0x20, 1, 0xa2, 0x20, 0, 0xa0, 0x0b]);
  return new Uint8Array([...HEADER, ...types, ...funcs, ...exports, ...code]);
}

const FLOAT_ASM = `
 .syntax unified
 .thumb
 .fpu fpv5-d16
 .text
 .p2align 2
 .thumb_func
entry_FF_F:           @ (f64, f64) -> f64, hard-float: arguments and result in d registers
  push {r4, lr}
  mov r4, r1
  vldr d0, [r4]
  vldr d1, [r4, #8]
  blx r2
  vstr d0, [r4]
  pop {r4, pc}
 .thumb_func
f_mix:
  vmul.f64 d2, d0, d1
  vadd.f64 d0, d2, d0
  bx lr
`;

/** The float fixture (hard-float, double-precision VFP: cortex-m55 unless a board with such an FPU is given) and
    the offset of `mix`'s code inside the image. */
export function floatAot(board?: BoardSpec): { image: Uint8Array; mixOffset: number } {
  const { text, at } = assemble(FLOAT_ASM, ['-march=armv7e-m', '-mfpu=fpv5-d16']);
  const image = writeAot({
    target: board?.target ?? 'thumbv8m.main',
    cpu: board?.cpu ?? 'cortex-m55',
    floatAbi: 'hard',
    flags: { xip: true, callsViaTable: false, constop: false },
    module: decodeModule(floatWasm()),
    text,
    funcCodeOffsets: [at('f_mix')],
    funcEntryOffsets: [at('entry_FF_F')],
    funcrefList: [0],
    globalOffsets: [],
    globalsSize: 0,
    nativeSymbols: [],
    relocations: 0,
  });
  return { image, mixOffset: readAot(image).textOffset + at('f_mix') };
}

/** Whether the external tools the board tests need are installed; a reason to skip otherwise. */
/** Why a test must skip: the first of `tools` that does not run, or undefined when all do. */
export function firstMissingTool(tools: readonly string[]): string | undefined {
  for (const tool of tools) {
    try {
      execFileSync(tool, ['--version'], { stdio: 'ignore' });
    } catch {
      return `${tool} is not installed (scripts/setup.sh installs it)`;
    }
  }
  return undefined;
}

export function missingTools(): string | undefined {
  return firstMissingTool(['qemu-system-arm', 'arm-none-eabi-gcc', 'arm-none-eabi-as', 'cc']);
}

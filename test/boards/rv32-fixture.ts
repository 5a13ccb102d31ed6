/**
 * The board fixture of fixture.ts (add, boom, count, spin) and its importer, hand-assembled for RV32 with the
 * project's encoder (src/target/rv32), so the RISC-V board and the runtime's RV32 call path are tested before the
 * compiler emits RV32. The code follows the RV32 ABI of docs/riscv.md: exec_env in a0, parameters from a1 on,
 * the result in a0, entry trampolines `xw_entry_fn(env = a0, slots = a1, code = a2)`, sp 16-byte aligned.
 */
import { writeAot } from '../../src/aot/writer.js';
import { decodeModule } from '../../src/wasm/decode.js';
import { helperIndex } from '../../src/xip/catalogue.js';
import { EnvOffset, ImportOffset } from '../../src/abi.js';
import { tryC } from '../../src/target/rv32/compress.js';
import * as E from '../../src/target/rv32/enc/index.js';
import { SImm12 } from '../../src/target/rv32/imm.js';
import { Rv32Assembler } from '../../src/target/rv32/masm.js';
import { A0, A1, A2, freg, RA, S0, SP, T0, ZERO, type XReg } from '../../src/target/rv32/regs.js';
import type { BoardSpec } from '../../src/run/boards.js';
import { HEADER, section, str, uleb, vec } from '../wasm/builder.js';
import { fixtureWasm, importerWasm } from './fixture.js';

const imm = (v: number): SImm12 => {
  const i = SImm12.tryFrom(v);
  if (i === undefined) throw new RangeError(`immediate ${v}`);
  return i;
};

/** The assembler plus the loads, stores and calls the fixture needs, compressed where the core has C. */
class Asm extends Rv32Assembler {
  readonly at = new Map<string, number>();
  fn(name: string): void {
    this.at.set(name, this.buf.offset);
  }
  lw(rd: XReg, base: XReg, off: number): void {
    this.put((this.compressed ? tryC.lw(rd, base, off) : undefined) ?? E.load('lw', rd, base, imm(off)));
  }
  sw(rs: XReg, base: XReg, off: number): void {
    this.put((this.compressed ? tryC.sw(rs, base, off) : undefined) ?? E.store('sw', rs, base, imm(off)));
  }
  jalr(rs: XReg): void {
    this.put((this.compressed ? tryC.jalr(RA, rs, 0) : undefined) ?? E.jalr(RA, rs, imm(0)));
  }
  /** Frame of 16 bytes: ra and s0 saved (s0 keeps the slots pointer across the call). */
  enter(): void {
    this.addi(SP, SP, imm(-16));
    this.sw(RA, SP, 12);
    this.sw(S0, SP, 8);
  }
  leave(): void {
    this.lw(S0, SP, 8);
    this.lw(RA, SP, 12);
    this.addi(SP, SP, imm(16));
    this.ret();
  }
  offset(name: string): number {
    const v = this.at.get(name);
    if (v === undefined) throw new Error(`fixture: no function ${name}`);
    return v;
  }
}

/** The fixture's text; `compressed` follows the core (rv32imac has C). */
export function rv32FixtureText(compressed: boolean): { text: Uint8Array; at(name: string): number } {
  const a = new Asm(compressed);
  const trap = helperIndex('xw_trap');
  // entry_ii_i(env, slots, code): code(env, slots[0], slots[1]) -> slots[0]
  a.fn('entry_ii_i');
  a.enter();
  a.mv(S0, A1);
  a.mv(T0, A2);
  a.lw(A1, S0, 0);
  a.lw(A2, S0, 8);
  a.jalr(T0);
  a.sw(A0, S0, 0);
  a.leave();
  // entry_v_v(env, slots, code): code(env)
  a.fn('entry_v_v');
  a.enter();
  a.jalr(A2);
  a.leave();
  // entry_i_i(env, slots, code): code(env, slots[0]) -> slots[0]
  a.fn('entry_i_i');
  a.enter();
  a.mv(S0, A1);
  a.mv(T0, A2);
  a.lw(A1, S0, 0);
  a.jalr(T0);
  a.sw(A0, S0, 0);
  a.leave();
  // add(env, x, y) = x + y
  a.fn('f_add');
  a.put(E.alu('add', A0, A1, A2));
  a.ret();
  // boom(env): xw_trap(env, 1) through env->symbols; never returns
  a.fn('f_boom');
  a.lw(T0, A0, EnvOffset.symbols);
  a.lw(T0, T0, trap * 4);
  a.li(A1, 1);
  a.jalr(T0);
  a.put(E.unimp());
  // count(env, n): 3 * n by n iterations of 4 instructions (4n + 3 in all)
  a.fn('f_count');
  a.li(A0, 0);
  const loop = a.buf.getLabel();
  const done = a.buf.getLabel();
  a.buf.bindLabel(loop);
  a.branch('eq', A1, ZERO, done);
  a.addi(A0, A0, imm(3));
  a.addi(A1, A1, imm(-1));
  a.j(loop);
  a.buf.bindLabel(done);
  a.ret();
  // spin(env): for (;;)
  a.fn('f_spin');
  const spin = a.buf.getLabel();
  a.buf.bindLabel(spin);
  a.j(spin);
  const { code } = a.buf.finish();
  return { text: code, at: (n) => a.offset(n) };
}

/** The fixture AOT for an RV32 board (cpu and float ABI from the board unless given). */
export function rv32FixtureAot(board: BoardSpec, over: { cpu?: string; floatAbi?: 'soft' | 'hard' } = {}): Uint8Array {
  const trap = helperIndex('xw_trap');
  const { text, at } = rv32FixtureText(true);
  return writeAot({
    target: 'riscv32',
    cpu: over.cpu ?? board.cpu,
    floatAbi: over.floatAbi ?? board.floatAbi,
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

/** importerWasm() for RV32: an import thunk (docs/abi.md §4) and a read through env->imported_globals. */
export function rv32ImporterAot(board: BoardSpec): Uint8Array {
  const a = new Asm(true);
  // entry_i_v(env, slots, code): code(env, slots[0])
  a.fn('entry_i_v');
  a.enter();
  a.lw(A1, A1, 0);
  a.jalr(A2);
  a.leave();
  // entry_v_i(env, slots, code): code(env) -> slots[0]
  a.fn('entry_v_i');
  a.enter();
  a.mv(S0, A1);
  a.jalr(A2);
  a.sw(A0, S0, 0);
  a.leave();
  // thunk_print_i32(env, x): imports[0].fn(imports[0].env, slots = {x}, imports[0].data)
  const thunk = a.buf.getLabel();
  a.buf.bindLabel(thunk);
  a.fn('thunk_print_i32');
  a.enter();
  a.sw(A1, SP, 0);
  a.lw(T0, A0, EnvOffset.imports);
  a.lw(A0, T0, ImportOffset.env);
  a.lw(A2, T0, ImportOffset.data);
  a.lw(T0, T0, ImportOffset.fn);
  a.mv(A1, SP);
  a.jalr(T0);
  a.leave();
  // print(env, x): a direct call to the thunk inside the image (PC-relative jal)
  a.fn('f_print');
  a.enter();
  a.callNear(thunk);
  a.leave();
  // g(env): *env->imported_globals[0]
  a.fn('f_g');
  a.lw(T0, A0, EnvOffset.importedGlobals);
  a.lw(T0, T0, 0);
  a.lw(A0, T0, 0);
  a.ret();
  const { code } = a.buf.finish();
  return writeAot({
    target: 'riscv32',
    cpu: board.cpu,
    floatAbi: board.floatAbi,
    flags: { xip: true, callsViaTable: false, constop: false },
    module: decodeModule(importerWasm()),
    text: code,
    funcCodeOffsets: [a.offset('thunk_print_i32'), a.offset('f_print'), a.offset('f_g')],
    funcEntryOffsets: [undefined, a.offset('entry_i_v'), a.offset('entry_v_i')],
    funcrefList: [1, 2],
    globalOffsets: [],
    globalsSize: 0,
    nativeSymbols: [],
    relocations: 0,
  });
}

/** (func (export "mix") (param f32 f32) (result f32) (f32.add (f32.mul (local.get 0) (local.get 1)) (local.get 0))) */
export function rv32FloatWasm(): Uint8Array {
  const F32 = 0x7d;
  const types = section(1, vec([[0x60, 2, F32, F32, 1, F32]]));
  const funcs = section(3, vec([[0]]));
  const exports = section(7, vec([[...str('mix'), 0, 0]]));
  const code = section(10, [...uleb(1), 10, 0, 0x20, 0, 0x20, 1, 0x94, 0x20, 0, 0x92, 0x0b]);
  return new Uint8Array([...HEADER, ...types, ...funcs, ...exports, ...code]);
}

/**
 * rv32FloatWasm() for an ilp32f core: the entry trampoline loads the two f32 slots into fa0/fa1 and stores fa0
 * back, and mix is fmul.s + fadd.s (round to nearest even, as Wasm) on F registers: the ilp32f calling convention
 * of docs/riscv.md, which only a runtime built for ilp32f with the FPU on can run.
 */
export function rv32FloatAot(board: BoardSpec, over: { floatAbi?: 'soft' | 'hard' } = {}): Uint8Array {
  const a = new Asm(true);
  const [FA0, FA1, FT0] = [freg(10), freg(11), freg(0)];
  a.fn('entry_FF_F');
  a.enter();
  a.mv(S0, A1);
  a.put(E.flw(FA0, S0, imm(0)));
  a.put(E.flw(FA1, S0, imm(8)));
  a.jalr(A2);
  a.put(E.fsw(FA0, S0, imm(0)));
  a.leave();
  a.fn('f_mix');
  a.put(E.fArith('fmul.s', FT0, FA0, FA1, 'rne'));
  a.put(E.fArith('fadd.s', FA0, FT0, FA0, 'rne'));
  a.ret();
  const { code } = a.buf.finish();
  return writeAot({
    target: 'riscv32',
    cpu: board.cpu,
    floatAbi: over.floatAbi ?? board.floatAbi,
    flags: { xip: true, callsViaTable: false, constop: false },
    module: decodeModule(rv32FloatWasm()),
    text: code,
    funcCodeOffsets: [a.offset('f_mix')],
    funcEntryOffsets: [a.offset('entry_FF_F')],
    funcrefList: [0],
    globalOffsets: [],
    globalsSize: 0,
    nativeSymbols: [],
    relocations: 0,
  });
}

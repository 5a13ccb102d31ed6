/**
 * Linear-memory operators. Every access is bounds-checked inline against
 * memory->size (docs/abi.md §9): end = addr + offset + size, computed with the
 * carry so that a 32-bit wrap is out of bounds. Accesses use core registers
 * only (LDR/STR/LDRH/LDRB tolerate unaligned addresses on v7-M and v8-M;
 * LDRD and VLDR would fault), so floats move as their bits.
 */
import { ValType, pageSizeLog2 } from '../../wasm/types.js';
import type { Instr } from '../../wasm/operators.js';
import { helperIndex } from '../../xip/catalogue.js';
import { CHECK_SLACK, EnvOffset, MemoryOffset, Pinned, TrapCode } from './abi.js';
import type { FuncCompiler } from './func.js';
import type { LoadKind, StoreKind } from './masm.js';
import { emitNativeCall, type Lowering, type NativeArg } from './lower.js';

const P01 = { kind: 'w64', lo: 0, hi: 1 } as const;

/** How an access addresses memory once it is known to be in bounds. */
type Access =
  | { readonly kind: 'offset'; readonly base: number; readonly offset: number }
  | { readonly kind: 'index'; readonly base: number; readonly index: number };

/**
 * Pops the address of an access of `size` bytes at `offset` and checks it
 * (docs/abi.md §9). Returns how to address the access, or undefined when it
 * can never be in bounds (the trap is already emitted). Uses r0, r1, lr.
 */
function address(fc: FuncCompiler, offset: number, size: number): Access | undefined {
  const m = fc.m;
  const end = offset + size;
  const k = fc.topConst32();
  if (k !== undefined && k + end <= fc.minMemoryBytes()) {
    // a constant address below the declared minimum: no check, no address arithmetic
    fc.stack.pop();
    return { kind: 'offset', base: Pinned.memBase, offset: k + offset };
  }
  const { r: addr, max } = fc.popRegBounded(0);
  if (end > 0xffffffff) {
    m.b(fc.trapLabel(TrapCode.MemoryOutOfBounds));
    return undefined;
  }
  // memory never shrinks: an address proven below its declared minimum needs no check
  if (max + end > fc.minMemoryBytes()) {
    if (end <= CHECK_SLACK) {
      // fast: addr < size - 255 proves addr + end <= size; the rare rest is checked exactly out of line
      const slow = m.newLabel();
      const resume = m.newLabel();
      m.cmp(addr, Pinned.memCheckLimit);
      m.bcond('cs', slow);
      m.bind(resume);
      fc.slowChecks.push({ label: slow, resume, addr, end });
    } else {
      // r1 = addr + offset + size in 33 bits: a carry is out of bounds, then compare with the size
      m.load('w', 14, Pinned.env, EnvOffset.memory);
      m.load('w', 14, 14, MemoryOffset.size);
      m.aluImm('add', 1, addr, end, 'set');
      m.bcond('cs', fc.trapLabel(TrapCode.MemoryOutOfBounds));
      m.cmp(1, 14);
      m.bcond('hi', fc.trapLabel(TrapCode.MemoryOutOfBounds));
    }
  }
  if (offset === 0) return { kind: 'index', base: Pinned.memBase, index: addr };
  m.alu('add', 0, Pinned.memBase, addr);
  return { kind: 'offset', base: 0, offset };
}

/** An index access as base + offset (for word pairs). */
function asOffset(fc: FuncCompiler, a: Access): { base: number; offset: number } {
  if (a.kind === 'offset') return a;
  fc.m.alu('add', 0, a.base, a.index);
  return { base: 0, offset: 0 };
}

type Width = { kind: LoadKind; size: 1 | 2 | 4 };

function load(type: ValType, w: Width, extend: 'none' | 'zero' | 'sign' | 'pair'): Lowering {
  return (fc, ins: Instr) => {
    const m = fc.m;
    const size = extend === 'pair' ? 8 : w.size;
    const a = address(fc, ins.memOffset, size);
    const is64 = type === ValType.I64 || type === ValType.F64;
    if (!is64) {
      const rd = fc.claimResult();
      if (a?.kind === 'index') m.loadReg(w.kind, rd, a.base, a.index);
      else if (a) m.load(w.kind, rd, a.base, a.offset);
      fc.pushResult(type, w.kind === 'b' ? 0xff : w.kind === 'h' ? 0xffff : undefined);
      return;
    }
    if (a) {
      const at = asOffset(fc, a);
      if (extend === 'pair') {
        m.load('w', 1, at.base, at.offset + 4);
        m.load('w', 0, at.base, at.offset);
      } else {
        m.load(w.kind, 0, at.base, at.offset);
        if (extend === 'zero') m.mov32(1, 0);
        if (extend === 'sign') m.shiftImm('asr', 1, 0, 31);
      }
    }
    fc.pushRegs(type, P01);
  };
}

function store(type: ValType, kind: StoreKind, size: 1 | 2 | 4 | 8): Lowering {
  return (fc, ins: Instr) => {
    const m = fc.m;
    const is64 = type === ValType.I64 || type === ValType.F64;
    let val = 2;
    if (is64) fc.pop({ kind: 'w64', lo: 2, hi: 3 });
    else val = fc.popReg(2);
    const a = address(fc, ins.memOffset, size);
    if (!a) return;
    if (size === 8) {
      const at = asOffset(fc, a);
      m.store('w', 2, at.base, at.offset);
      m.store('w', 3, at.base, at.offset + 4);
    } else if (a.kind === 'index') {
      m.storeReg(kind, val, a.base, a.index);
    } else {
      m.store(kind, val, a.base, a.offset);
    }
  };
}

function helperCall(name: Parameters<typeof helperIndex>[0], arity: number, imms: number[], result: ValType | undefined): Lowering {
  return (fc) => {
    const vals = fc.stack.popN(arity);
    const base = fc.stack.height;
    const args: NativeArg[] = [
      { kind: 'env' },
      ...imms.map((value) => ({ kind: 'imm' as const, value })),
      ...vals.map((v, i) => ({ kind: 'val' as const, v, depth: base + i })),
    ];
    emitNativeCall(fc, helperIndex(name), args, result);
  };
}

const W: Width = { kind: 'w', size: 4 };
const H: Width = { kind: 'h', size: 2 };
const SH: Width = { kind: 'sh', size: 2 };
const B: Width = { kind: 'b', size: 1 };
const SB: Width = { kind: 'sb', size: 1 };

export const MEM_LOWERINGS: Record<string, Lowering> = {
  'i32.load': load(ValType.I32, W, 'none'),
  'f32.load': load(ValType.F32, W, 'none'),
  'i64.load': load(ValType.I64, W, 'pair'),
  'f64.load': load(ValType.F64, W, 'pair'),
  'i32.load8_s': load(ValType.I32, SB, 'none'),
  'i32.load8_u': load(ValType.I32, B, 'none'),
  'i32.load16_s': load(ValType.I32, SH, 'none'),
  'i32.load16_u': load(ValType.I32, H, 'none'),
  'i64.load8_s': load(ValType.I64, SB, 'sign'),
  'i64.load8_u': load(ValType.I64, B, 'zero'),
  'i64.load16_s': load(ValType.I64, SH, 'sign'),
  'i64.load16_u': load(ValType.I64, H, 'zero'),
  'i64.load32_s': load(ValType.I64, W, 'sign'),
  'i64.load32_u': load(ValType.I64, W, 'zero'),
  'i32.store': store(ValType.I32, 'w', 4),
  'f32.store': store(ValType.F32, 'w', 4),
  'i64.store': store(ValType.I64, 'w', 8),
  'f64.store': store(ValType.F64, 'w', 8),
  'i32.store8': store(ValType.I32, 'b', 1),
  'i32.store16': store(ValType.I32, 'h', 2),
  'i64.store8': store(ValType.I64, 'b', 1),
  'i64.store16': store(ValType.I64, 'h', 2),
  'i64.store32': store(ValType.I64, 'w', 4),
  'memory.size': (fc) => {
    const acc = fc.claimAcc();
    fc.m.load('w', acc, Pinned.env, EnvOffset.memory);
    fc.m.load('w', acc, acc, MemoryOffset.size);
    // size in bytes / page size (custom-page-sizes: no shift with 1-byte pages)
    const shift = pageSizeLog2(fc.ctx.module.memories[0]!);
    if (shift !== 0) fc.m.shiftImm('lsr', acc, acc, shift);
    fc.pushAcc(ValType.I32);
  },
  'memory.grow': helperCall('xw_memory_grow', 1, [], ValType.I32),
  'memory.fill': helperCall('xw_memory_fill', 3, [], undefined),
  'memory.copy': helperCall('xw_memory_copy', 3, [], undefined),
  'memory.init': (fc, ins) => helperCall('xw_memory_init', 3, [ins.index], undefined)(fc, ins),
  'data.drop': (fc, ins) => helperCall('xw_data_drop', 0, [ins.index], undefined)(fc, ins),
};

export { helperCall };

/**
 * The module-level glue of an ARMv6-M image, independent of how functions
 * are compiled: the entry trampoline of a function type (runtime -> compiled
 * code, docs/abi.md §3) and the import thunk of an imported function
 * (compiled code -> host, §4). Soft-float AAPCS only: no v6-M core has an FPU.
 * Both keep slots, code and exec_env in r4-r6 and push 16 bytes, so sp stays
 * 8-byte aligned at the call.
 */
import { EnvOffset, IMPORT_SIZE, ImportOffset } from '../../abi.js';
import { InternalError } from '../../errors.js';
import { type FuncType, ValType } from '../../wasm/types.js';
import { type ArgLoc, wasmCallSig } from '../thumb2/abi.js';
import { LR, PC, R0, R1, R2, R3, R4, R5, R6, SP, reg } from '../thumb2/regs.js';
import * as E from './enc.js';
import type { Thumb1Assembler } from './asm.js';

const SAVED = E.regList(R4, R5, R6, LR);
const RESTORE = E.regList(R4, R5, R6, PC);
const is64 = (t: ValType): boolean => t === ValType.I64 || t === ValType.F64;

/** Loads slot `i` of the array at r4 into an AAPCS argument location (outgoing area at sp); r0 is the scratch. */
function slotToArg(a: Thumb1Assembler, i: number, loc: ArgLoc, wide: boolean): void {
  switch (loc.kind) {
    case 'gpr': a.load('w', reg(loc.reg), R4, 8 * i); return;
    case 'gpr2': a.load('w', reg(loc.lo), R4, 8 * i); a.load('w', reg(loc.lo + 1), R4, 8 * i + 4); return;
    case 'stack':
      a.load('w', R0, R4, 8 * i);
      a.store('w', R0, SP, loc.offset);
      if (wide) {
        a.load('w', R0, R4, 8 * i + 4);
        a.store('w', R0, SP, loc.offset + 4);
      }
      return;
    case 's': case 'd': throw new InternalError('a VFP argument on ARMv6-M');
  }
}

/**
 * void entry(xw_exec_env *env, uint64_t *slots, const void *code): loads the
 * arguments from the slots, calls code(env, ...), stores the result(s).
 */
export function emitEntryTrampoline(a: Thumb1Assembler, t: FuncType): void {
  const sig = wasmCallSig(t.params, t.results, 'soft');
  a.emit(E.pushT1(SAVED));
  a.mov(R4, R1);
  a.mov(R5, R2);
  a.mov(R6, R0);
  const stack = sig.layout.stackBytes;
  a.addSp(-stack, R0);
  // stack arguments first, through r0, before r0-r3 take theirs
  t.params.forEach((p, i) => {
    const loc = sig.layout.args[i + 1]!;
    if (loc.kind === 'stack') slotToArg(a, i, loc, is64(p));
  });
  if (sig.resultsPtrArg >= 0) {
    const loc = sig.layout.args[sig.resultsPtrArg]!;
    if (loc.kind === 'gpr') a.mov(reg(loc.reg), R4);
    else if (loc.kind === 'stack') a.store('w', R4, SP, loc.offset);
    else throw new InternalError('results pointer in a VFP register');
  }
  t.params.forEach((p, i) => {
    const loc = sig.layout.args[i + 1]!;
    if (loc.kind !== 'stack') slotToArg(a, i, loc, is64(p));
  });
  a.mov(R0, R6);
  a.blx(R5);
  a.addSp(stack, R2); // r0-r1 hold the result
  if (sig.result?.kind === 'gpr') a.store('w', R0, R4, 0);
  else if (sig.result?.kind === 'gpr2') {
    a.store('w', R0, R4, 0);
    a.store('w', R1, R4, 4);
  }
  a.emit(E.popT1(RESTORE));
}

/**
 * The compiled-convention face of import `index`: the arguments go to slots
 * on the stack, then imports[index].fn(imports[index].env, slots,
 * imports[index].data), then the results come back from the slots.
 */
export function emitImportThunk(a: Thumb1Assembler, t: FuncType, index: number): void {
  const sig = wasmCallSig(t.params, t.results, 'soft');
  const n = Math.max(t.params.length, t.results.length, 1);
  const area = (8 * n + 7) & ~7;
  a.emit(E.pushT1(SAVED));
  a.mov(R6, R0);
  a.addSp(-area, R4);
  const incoming = area + 16;
  t.params.forEach((p, i) => {
    const loc = sig.layout.args[i + 1]!;
    switch (loc.kind) {
      case 'gpr': a.store('w', reg(loc.reg), SP, 8 * i); break;
      case 'gpr2': a.store('w', reg(loc.lo), SP, 8 * i); a.store('w', reg(loc.lo + 1), SP, 8 * i + 4); break;
      case 'stack':
        a.load('w', R4, SP, incoming + loc.offset);
        a.store('w', R4, SP, 8 * i);
        if (is64(p)) {
          a.load('w', R4, SP, incoming + loc.offset + 4);
          a.store('w', R4, SP, 8 * i + 4);
        }
        break;
      case 's': case 'd': throw new InternalError('a VFP argument on ARMv6-M');
    }
  });
  if (sig.resultsPtrArg >= 0) {
    const loc = sig.layout.args[sig.resultsPtrArg]!;
    if (loc.kind === 'gpr') a.mov(R5, reg(loc.reg));
    else if (loc.kind === 'stack') a.load('w', R5, SP, incoming + loc.offset);
  }
  a.load('w', R4, R6, EnvOffset.imports);
  if (index > 0) a.addImm(R4, R4, IMPORT_SIZE * index, R0);
  a.load('w', R0, R4, ImportOffset.env);
  a.mov(R1, SP);
  a.load('w', R2, R4, ImportOffset.data);
  a.load('w', R3, R4, ImportOffset.fn);
  a.blx(R3);
  if (sig.result?.kind === 'gpr') a.load('w', R0, SP, 0);
  else if (sig.result?.kind === 'gpr2') {
    a.load('w', R0, SP, 0);
    a.load('w', R1, SP, 4);
  } else if (sig.resultsPtrArg >= 0) {
    for (let k = 0; k < 2 * t.results.length; k++) {
      a.load('w', R0, SP, 4 * k);
      a.store('w', R0, R5, 4 * k, R1);
    }
  }
  a.addSp(area, R4);
  a.emit(E.popT1(RESTORE));
}


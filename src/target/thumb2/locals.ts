/**
 * Before a function is compiled: one validating pass over its body gives the
 * operand stack's maximum height and what the body does (memory accesses,
 * calls, float arithmetic), and counts local uses (weighted by loop depth) to
 * decide which locals live in callee-saved registers.
 */
import { FuncValidator } from '../../wasm/validate.js';
import { OperatorReader } from '../../wasm/operators.js';
import { Op } from '../../wasm/opcodes.js';
import type { Module, ValType } from '../../wasm/types.js';
import { argClass, type FloatAbi } from './abi.js';

export interface LocalPlan {
  /** the operand stack's maximum height (sizes the frame before the prologue) */
  readonly maxHeight: number;
  /** the body loads or stores: memory 0's base and check limit are pinned in r10/r9 */
  readonly accessesMemory: boolean;
  /** the body calls Wasm functions (a leaf only calls runtime functions) */
  readonly callsWasm: boolean;
  /** the body does float arithmetic under the hard-float ABI: d15 is its accumulator */
  readonly usesFloatAcc: boolean;
  /** callee-saved register of each 32-bit core local that has one */
  readonly localReg: readonly (number | undefined)[];
  /** the two callee-saved registers of each 64-bit core local (i64; f64 under soft-float) that has them */
  readonly localPair: readonly ({ lo: number; hi: number } | undefined)[];
  /** VFP register of each float local that has one (hard-float): d8-d14, or s16, s18, ... for f32 */
  readonly localVReg: readonly (number | undefined)[];
  /** how many of d8.. the prologue saves */
  readonly vfpSaved: number;
}

export function planLocals(
  module: Module, funcIndex: number, localTypes: readonly ValType[], floatAbi: FloatAbi, doubleFpu: boolean,
): LocalPlan {
  const body = module.codes[funcIndex - module.numImportedFuncs]!;
  const weight = new Float64Array(localTypes.length);
  const rd = new OperatorReader(module.bytes, body.codeStart, body.codeEnd);
  const nest: boolean[] = [];
  let loops = 0;
  let maxHeight = 0;
  let accessesMemory = false;
  let callsWasm = false;
  let usesFloatAcc = false;
  const validator = new FuncValidator(module);
  validator.begin(body, funcIndex);
  while (!rd.atEnd()) {
    const ins = rd.read();
    validator.step(ins);
    if (validator.stackHeight > maxHeight) maxHeight = validator.stackHeight;
    if (ins.op >= 0x28 && ins.op <= 0x3e) accessesMemory = true;
    if (ins.op === Op.Call || ins.op === Op.CallIndirect) callsWasm = true;
    // float arithmetic (0x8b-0xa6): results go to the float accumulator d15, which the prologue then saves
    if (ins.op >= 0x8b && ins.op <= 0xa6 && floatAbi === 'hard') usesFloatAcc = true;
    switch (ins.op) {
      case Op.Block: case Op.If: nest.push(false); break;
      case Op.Loop: nest.push(true); loops++; break;
      case Op.End: if (nest.pop()) loops--; break;
      case Op.LocalGet: case Op.LocalSet: case Op.LocalTee:
        weight[ins.index] = weight[ins.index]! + 8 ** Math.min(loops, 6);
        break;
      default: break;
    }
  }
  // r7 is the accumulator; r9/r10 hold the memory's check limit and base in functions that access it
  const regs = accessesMemory ? [4, 5, 6, 8] : [4, 5, 6, 8, 9, 10];
  // 32-bit locals take one register, 64-bit ones a pair: greedy by uses per register
  const candidates = localTypes
    .map((t, i) => ({ i, w: weight[i]!, c: argClass(t, floatAbi) }))
    .filter((c) => (c.c === 'w32' || c.c === 'w64') && c.w > 0)
    .sort((a, b) => b.w / (a.c === 'w64' ? 2 : 1) - a.w / (b.c === 'w64' ? 2 : 1) || a.i - b.i);
  const localReg: (number | undefined)[] = new Array<number | undefined>(localTypes.length).fill(undefined);
  const localPair: ({ lo: number; hi: number } | undefined)[] = [];
  let next = 0;
  for (const c of candidates) {
    const need = c.c === 'w64' ? 2 : 1;
    if (next + need > regs.length) continue;
    if (need === 1) localReg[c.i] = regs[next]!;
    else localPair[c.i] = { lo: regs[next]!, hi: regs[next + 1]! };
    next += need;
  }
  // float locals of a hard-float function in d8-d14 (callee-saved in AAPCS-VFP); d15 is the float accumulator
  const floats = localTypes
    .map((t, i) => ({ i, w: weight[i]!, c: argClass(t, floatAbi) }))
    .filter((c) => c.w > 0 && (c.c === 'f32' || (c.c === 'f64' && doubleFpu)))
    .sort((a, b) => b.w - a.w || a.i - b.i)
    .slice(0, 7);
  const localVReg: (number | undefined)[] = [];
  floats.forEach((c, k) => { localVReg[c.i] = c.c === 'f32' ? 2 * (8 + k) : 8 + k; });
  return {
    maxHeight, accessesMemory, callsWasm, usesFloatAcc, localReg, localPair, localVReg,
    vfpSaved: usesFloatAcc ? 8 : floats.length,
  };
}

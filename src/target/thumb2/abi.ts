/**
 * The Thumb-2 side of docs/abi.md: AAPCS argument/result placement, the
 * registers the compiled code pins. The exec_env layout and the trap codes are src/abi.ts (re-exported
 * here); the C side is runtime/src/abi.h; both follow docs/abi.md, version 1.
 */
import { InternalError, assertNever } from '../../errors.js';
import { ValType } from '../../wasm/types.js';

// the runtime structures and trap codes are the same for every target: one table, in src/abi.ts
export {
  ABI_VERSION, CHECK_SLACK, EnvOffset, FUNCREF_SIZE, FuncRefOffset, IMPORT_SIZE, ImportOffset, LEAF_FRAME_LIMIT, MemoryOffset, TableOffset,
  TrapCode,
} from '../../abi.js';

export type FloatAbi = 'soft' | 'hard';

/**
 * Where one value travels across an AAPCS call.
 * `gpr`: one core register; `gpr2`: an even/odd pair (lo, lo+1);
 * `s`/`d`: a VFP register (hard-float only); `stack`: at `offset` bytes from
 * the sp at the call, `size` 4 or 8.
 */
export type ArgLoc =
  | { readonly kind: 'gpr'; readonly reg: number }
  | { readonly kind: 'gpr2'; readonly lo: number }
  | { readonly kind: 's'; readonly reg: number }
  | { readonly kind: 'd'; readonly reg: number }
  | { readonly kind: 'stack'; readonly offset: number; readonly size: 4 | 8 };

/** The C-level class of a Wasm value under a float ABI. */
export type ArgClass = 'w32' | 'w64' | 'f32' | 'f64';

export function argClass(t: ValType, floatAbi: FloatAbi): ArgClass {
  switch (t) {
    case ValType.I32:
    case ValType.FuncRef:
    case ValType.ExternRef:
      return 'w32';
    case ValType.I64:
      return 'w64';
    case ValType.F32:
      return floatAbi === 'hard' ? 'f32' : 'w32';
    case ValType.F64:
      return floatAbi === 'hard' ? 'f64' : 'w64';
    default:
      return assertNever(t, 'value type');
  }
}

export interface CallLayout {
  readonly args: readonly ArgLoc[];
  /** bytes of outgoing stack arguments, rounded up to 8 */
  readonly stackBytes: number;
}

const CLASS_CODE: Readonly<Record<ArgClass, number>> = { w32: 0, w64: 1, f32: 2, f64: 3 };
/**
 * Layouts already computed, by their classes read as base-4 digits after a leading 1 (up to 24 classes: the key
 * stays an exact integer). Every call site asks, and a module has few distinct signatures; the layouts are never
 * mutated, so one object serves them all.
 */
const layoutCache = new Map<number, CallLayout>();
const CACHED_CLASSES = 24;

/**
 * AAPCS placement of a list of argument classes (procedure call standard
 * §6.5, with the VFP variant's back-filling of single-precision registers).
 */
export function layoutArgs(classes: readonly ArgClass[]): CallLayout {
  if (classes.length > CACHED_CLASSES) return computeLayout(classes);
  let key = 1;
  for (let i = 0; i < classes.length; i++) key = key * 4 + CLASS_CODE[classes[i]!];
  let layout = layoutCache.get(key);
  if (layout === undefined) {
    layout = computeLayout(classes);
    layoutCache.set(key, layout);
  }
  return layout;
}

function computeLayout(classes: readonly ArgClass[]): CallLayout {
  let ncrn = 0;
  let nsaa = 0;
  // VFP registers as 16 single-precision halves; true = taken.
  const sTaken: boolean[] = new Array<boolean>(16).fill(false);
  let vfpExhausted = false;
  const args: ArgLoc[] = [];
  for (const c of classes) {
    switch (c) {
      case 'w32':
        if (ncrn < 4) {
          args.push({ kind: 'gpr', reg: ncrn++ });
        } else {
          args.push({ kind: 'stack', offset: nsaa, size: 4 });
          nsaa += 4;
        }
        break;
      case 'w64':
        if (ncrn % 2 === 1) ncrn++;
        if (ncrn <= 2) {
          args.push({ kind: 'gpr2', lo: ncrn });
          ncrn += 2;
        } else {
          ncrn = 4;
          nsaa = (nsaa + 7) & ~7;
          args.push({ kind: 'stack', offset: nsaa, size: 8 });
          nsaa += 8;
        }
        break;
      case 'f32': {
        const s = vfpExhausted ? -1 : sTaken.indexOf(false);
        if (s >= 0) {
          sTaken[s] = true;
          args.push({ kind: 's', reg: s });
        } else {
          vfpExhausted = true;
          args.push({ kind: 'stack', offset: nsaa, size: 4 });
          nsaa += 4;
        }
        break;
      }
      case 'f64': {
        let d = -1;
        if (!vfpExhausted) {
          for (let i = 0; i < 8; i++) {
            if (!sTaken[2 * i] && !sTaken[2 * i + 1]) { d = i; break; }
          }
        }
        if (d >= 0) {
          sTaken[2 * d] = sTaken[2 * d + 1] = true;
          args.push({ kind: 'd', reg: d });
        } else {
          vfpExhausted = true;
          nsaa = (nsaa + 7) & ~7;
          args.push({ kind: 'stack', offset: nsaa, size: 8 });
          nsaa += 8;
        }
        break;
      }
      default:
        assertNever(c, 'argument class');
    }
  }
  return { args, stackBytes: (nsaa + 7) & ~7 };
}

/** Where a single result comes back. */
export function resultLoc(c: ArgClass): ArgLoc {
  switch (c) {
    case 'w32': return { kind: 'gpr', reg: 0 };
    case 'w64': return { kind: 'gpr2', lo: 0 };
    case 'f32': return { kind: 's', reg: 0 };
    case 'f64': return { kind: 'd', reg: 0 };
    default: return assertNever(c, 'argument class');
  }
}

/**
 * The C-level signature of a compiled Wasm function (docs/abi.md §2):
 * exec_env first, then the params, then a results pointer when there are
 * two or more results.
 */
export interface WasmCallSig {
  readonly layout: CallLayout;
  /** index in layout.args of the first Wasm param (always 1: env is 0) */
  readonly firstParam: 1;
  /** layout.args index of the hidden results pointer, or -1 */
  readonly resultsPtrArg: number;
  /** where the single result comes back, or undefined for 0 or >=2 results */
  readonly result: ArgLoc | undefined;
}

export function wasmCallSig(params: readonly ValType[], results: readonly ValType[], floatAbi: FloatAbi): WasmCallSig {
  const classes: ArgClass[] = ['w32', ...params.map((t) => argClass(t, floatAbi))];
  const multi = results.length >= 2;
  if (multi) classes.push('w32');
  const layout = layoutArgs(classes);
  if (layout.args[0]?.kind !== 'gpr') throw new InternalError('exec_env must be in r0');
  return {
    layout,
    firstParam: 1,
    resultsPtrArg: multi ? classes.length - 1 : -1,
    result: results.length === 1 ? resultLoc(argClass(results[0]!, floatAbi)) : undefined,
  };
}

/** Registers a function that touches memory pins for its whole life (callee-saved). */
export const Pinned = {
  memBase: 10,
  /** memory 0's check_limit, reloaded after every call (a callee may grow the memory) */
  memCheckLimit: 9,
} as const;

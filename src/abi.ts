/**
 * The runtime ABI every back end shares (docs/abi.md, version 2): the exec_env layout and the runtime
 * structures compiled code reads, the trap codes, the bounds-check slack. One table each; the C side is
 * runtime/src/abi.h and runtime/include/xipwasm.h, and test/runtime/abi-sync.test.ts compiles a check of
 * every entry against them. Pointers are 32 bits on every target this compiler has.
 */

/** docs/abi.md's version (XW_ABI_VERSION in xipwasm.h). */
export const ABI_VERSION = 2;
/**
 * The version an image records in its header: the oldest whose contract its code needs. Version 2 only adds
 * exec_env.frames and the frame records (docs/abi.md §11), which only code built with --enable-dump-call-stack
 * uses, so every other image says 1 and runs on runtimes that predate version 2.
 */
export function imageAbiVersion(linksFrames: boolean): number {
  return linksFrames ? ABI_VERSION : 1;
}

/** Byte offsets of xw_exec_env fields (docs/abi.md §6). */
export const EnvOffset = {
  symbols: 0,
  memory: 4,
  memBase: 8,
  globals: 12,
  importedGlobals: 16,
  tables: 20,
  funcrefs: 24,
  typeIds: 28,
  funcPtrs: 32,
  imports: 36,
  stackLimit: 40,
  textBase: 44,
  /** version 2: the innermost frame record (§11), or NULL */
  frames: 56,
} as const;

/** A frame record (§11): { prev, func }, 8 bytes, in the frame of each function compiled with --enable-dump-call-stack. */
export const FrameRecordOffset = { prev: 0, func: 4 } as const;
export const FRAME_RECORD_SIZE = 8;

/**
 * xw_memory: { base, size (bytes), max_pages, check_limit, page_shift }, where check_limit is
 * size - (CHECK_SLACK - 1), or 0 below CHECK_SLACK (docs/abi.md §9).
 */
export const MemoryOffset = { base: 0, size: 4, checkLimit: 12 } as const;
export const CHECK_SLACK = 256;
/**
 * Linear memory's base (exec_env->mem_base) is a multiple of this: the runtime lays the memory out at an 8-aligned
 * offset of an instance arena it requires to be 8-aligned (runtime/src/instance.c), so an address known to be
 * a multiple of 4 or 8 is one in the machine too (src/ir/align.ts).
 */
export const MEMORY_BASE_ALIGN = 8;
/** xw_table: { size, max, elems } */
export const TableOffset = { size: 0, max: 4, elems: 8 } as const;
export const TABLE_SIZE = 12;
/** xw_funcref: { code, env, type_id } */
export const FuncRefOffset = { code: 0, env: 4, typeId: 8 } as const;
export const FUNCREF_SIZE = 12;
/** xw_import: { fn, env, data } */
export const ImportOffset = { fn: 0, env: 4, data: 8 } as const;
export const IMPORT_SIZE = 12;

/**
 * A function that calls no Wasm function and needs at most this much stack skips the stack check: the runtime
 * keeps XW_STACK_RESERVE (runtime/src/config.h) free below stack_limit for it, a runtime call and the trap path.
 */
export const LEAF_FRAME_LIMIT = 256;

/** Trap codes of docs/abi.md §7 (the runtime's xw_trap_code). */
export const TrapCode = {
  Unreachable: 1,
  MemoryOutOfBounds: 2,
  TableOutOfBounds: 3,
  UndefinedElement: 4,
  UninitializedElement: 5,
  IndirectCallTypeMismatch: 6,
  DivideByZero: 7,
  IntegerOverflow: 8,
  InvalidConversion: 9,
  StackExhausted: 10,
} as const;
export type TrapCode = (typeof TrapCode)[keyof typeof TrapCode];

/** The C names of the entries above, for the check against the runtime's headers. */
export const C_NAMES = {
  env: {
    struct: 'xw_exec_env',
    fields: { symbols: 'symbols', memory: 'memory', memBase: 'mem_base', globals: 'globals', importedGlobals: 'imported_globals',
      tables: 'tables', funcrefs: 'funcrefs', typeIds: 'type_ids', funcPtrs: 'func_ptrs', imports: 'imports',
      stackLimit: 'stack_limit', textBase: 'text_base', frames: 'frames' },
  },
  memory: { struct: 'xw_memory', fields: { base: 'base', size: 'size', checkLimit: 'check_limit' } },
  table: { struct: 'xw_table', fields: { size: 'size', max: 'max', elems: 'elems' } },
  funcref: { struct: 'xw_funcref', fields: { code: 'code', env: 'env', typeId: 'type_id' } },
  import: { struct: 'xw_import', fields: { fn: 'fn', env: 'env', data: 'data' } },
  frameRecord: { struct: 'xw_frame_record', fields: { prev: 'prev', func: 'func' } },
  traps: {
    Unreachable: 'XW_TRAP_UNREACHABLE', MemoryOutOfBounds: 'XW_TRAP_MEMORY_OOB', TableOutOfBounds: 'XW_TRAP_TABLE_OOB',
    UndefinedElement: 'XW_TRAP_UNDEFINED_ELEMENT', UninitializedElement: 'XW_TRAP_UNINITIALIZED_ELEMENT',
    IndirectCallTypeMismatch: 'XW_TRAP_INDIRECT_TYPE_MISMATCH', DivideByZero: 'XW_TRAP_DIV_BY_ZERO',
    IntegerOverflow: 'XW_TRAP_INTEGER_OVERFLOW', InvalidConversion: 'XW_TRAP_INVALID_CONVERSION',
    StackExhausted: 'XW_TRAP_STACK_EXHAUSTED',
  },
} as const;

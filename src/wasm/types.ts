/**
 * The decoded form of a WebAssembly module. The decoder (decode.ts) produces it,
 * the validator checks it, and the back end and AOT writer consume it.
 *
 * Value types are their binary encodings so that tables and files can store
 * them directly.
 */
export const enum ValType {
  I32 = 0x7f,
  I64 = 0x7e,
  F32 = 0x7d,
  F64 = 0x7c,
  FuncRef = 0x70,
  ExternRef = 0x6f,
}

export type NumType = ValType.I32 | ValType.I64 | ValType.F32 | ValType.F64;
export type RefType = ValType.FuncRef | ValType.ExternRef;

export function valTypeName(t: ValType): string {
  switch (t) {
    case ValType.I32: return 'i32';
    case ValType.I64: return 'i64';
    case ValType.F32: return 'f32';
    case ValType.F64: return 'f64';
    case ValType.FuncRef: return 'funcref';
    case ValType.ExternRef: return 'externref';
  }
}

export function isRefType(t: ValType): t is RefType {
  return t === ValType.FuncRef || t === ValType.ExternRef;
}

export interface FuncType {
  readonly params: readonly ValType[];
  readonly results: readonly ValType[];
}

export interface Limits {
  readonly min: number;
  /** undefined when the module gives no maximum */
  readonly max: number | undefined;
}

export interface TableType {
  readonly elemType: RefType;
  readonly limits: Limits;
}

export interface MemoryType {
  /** in pages of 2^pageSizeLog2 bytes */
  readonly limits: Limits;
  /**
   * log2 of the page size (custom-page-sizes proposal): 16 (64 KiB, the default when absent) or 0 (1 byte) in a
   * valid module; the decoder accepts any exponent up to 64 and the validator rejects the others.
   */
  readonly pageSizeLog2?: number;
}

/** The default page size exponent: 64 KiB pages. */
export const DEFAULT_PAGE_SIZE_LOG2 = 16;

/** log2 of a memory's page size in bytes. */
export function pageSizeLog2(m: MemoryType): number {
  return m.pageSizeLog2 ?? DEFAULT_PAGE_SIZE_LOG2;
}

/** A memory's declared minimum in bytes. */
export function memoryMinBytes(m: MemoryType): number {
  return m.limits.min * 2 ** pageSizeLog2(m);
}

export interface GlobalType {
  readonly valType: ValType;
  readonly mutable: boolean;
}

/**
 * A constant expression as allowed in WebAssembly 2.0 (one instruction
 * followed by `end`). i64/f64 payloads are bigints; floats keep their bits.
 */
export type ConstExpr =
  | { readonly kind: 'i32.const'; readonly value: number }
  | { readonly kind: 'i64.const'; readonly value: bigint }
  | { readonly kind: 'f32.const'; readonly bits: number }
  | { readonly kind: 'f64.const'; readonly bits: bigint }
  | { readonly kind: 'ref.null'; readonly refType: RefType }
  | { readonly kind: 'ref.func'; readonly funcIndex: number }
  | { readonly kind: 'global.get'; readonly globalIndex: number };

export type ImportDesc =
  | { readonly kind: 'func'; readonly typeIndex: number }
  | { readonly kind: 'table'; readonly table: TableType }
  | { readonly kind: 'memory'; readonly memory: MemoryType }
  | { readonly kind: 'global'; readonly global: GlobalType };

export interface Import {
  readonly module: string;
  readonly name: string;
  readonly desc: ImportDesc;
  /** byte offset of the import entry, for diagnostics */
  readonly offset: number;
}

export type ExternKind = 'func' | 'table' | 'memory' | 'global';

export interface Export {
  readonly name: string;
  readonly kind: ExternKind;
  readonly index: number;
}

export interface Global {
  readonly type: GlobalType;
  readonly init: ConstExpr;
}

export type SegmentMode = 'active' | 'passive' | 'declarative';

export interface ElemSegment {
  readonly mode: SegmentMode;
  /** table index for active segments, 0 otherwise */
  readonly table: number;
  /** present for active segments */
  readonly offset: ConstExpr | undefined;
  readonly elemType: RefType;
  /** each item is ref.func / ref.null / global.get */
  readonly items: readonly ConstExpr[];
}

export interface DataSegment {
  readonly mode: 'active' | 'passive';
  readonly memory: number;
  readonly offset: ConstExpr | undefined;
  /** a view into the module bytes */
  readonly bytes: Uint8Array;
}

export interface LocalDecl {
  readonly count: number;
  readonly type: ValType;
}

export interface FunctionBody {
  /** index into Module.types */
  readonly typeIndex: number;
  readonly locals: readonly LocalDecl[];
  /** total number of declared locals (not counting params) */
  readonly numLocals: number;
  /** absolute byte offset of the first operator */
  readonly codeStart: number;
  /** absolute byte offset one past the final `end` */
  readonly codeEnd: number;
  /** absolute byte offset of the body's size field */
  readonly bodyOffset: number;
}

export interface NameSection {
  readonly moduleName: string | undefined;
  /** function index (in the full index space) -> name */
  readonly functions: ReadonlyMap<number, string>;
}

/**
 * Absolute byte offsets of module-level entities, for diagnostics (added by
 * the decoder; parallel to the arrays of Module).
 */
export interface ModuleOffsets {
  /** function-section entry of each defined function */
  readonly funcs: readonly number[];
  /** every table in the index space (import entry or table-section entry) */
  readonly tables: readonly number[];
  readonly memories: readonly number[];
  /** defined globals */
  readonly globals: readonly number[];
  readonly exports: readonly number[];
  readonly elems: readonly number[];
  readonly datas: readonly number[];
  /** the start section, or -1 */
  readonly start: number;
}

export interface Module {
  readonly bytes: Uint8Array;
  readonly types: readonly FuncType[];
  readonly imports: readonly Import[];
  /** type index of every function in the index space (imports first) */
  readonly funcTypeIndices: readonly number[];
  readonly numImportedFuncs: number;
  /** every table in the index space (imports first) */
  readonly tables: readonly TableType[];
  readonly numImportedTables: number;
  readonly memories: readonly MemoryType[];
  readonly numImportedMemories: number;
  /** every global's type in the index space (imports first) */
  readonly globalTypes: readonly GlobalType[];
  readonly numImportedGlobals: number;
  /** defined globals only (index - numImportedGlobals) */
  readonly globals: readonly Global[];
  readonly exports: readonly Export[];
  readonly start: number | undefined;
  readonly elems: readonly ElemSegment[];
  readonly datas: readonly DataSegment[];
  readonly dataCount: number | undefined;
  /** defined functions only (index - numImportedFuncs) */
  readonly codes: readonly FunctionBody[];
  readonly names: NameSection;
  /** functions referenced by ref.func outside function bodies (elems, globals, exports) */
  readonly declaredFuncRefs: ReadonlySet<number>;
  readonly offsets: ModuleOffsets;
}

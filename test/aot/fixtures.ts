/**
 * Small handmade modules and their AotInputs, used by the writer/reader tests and
 * written to files for the C host tests (runtime/test/test_main.c knows their layout:
 * keep the two in step). The "text" is fake: the host test hook dispatches on code offsets.
 */
import type { AotInput } from '../../src/aot/writer.js';
import type { ConstExpr, Module } from '../../src/wasm/types.js';

const I32 = 0x7f, I64 = 0x7e, FUNCREF = 0x70;

export function makeModule(p: Partial<Module>): Module {
  const base: Module = {
    offsets: { funcs: [], tables: [], memories: [], globals: [], exports: [], elems: [], datas: [], start: -1 },
    bytes: new Uint8Array(0), types: [], imports: [], funcTypeIndices: [], numImportedFuncs: 0, tables: [],
    numImportedTables: 0, memories: [], numImportedMemories: 0, globalTypes: [], numImportedGlobals: 0, globals: [],
    exports: [], start: undefined, elems: [], datas: [], dataCount: undefined, codes: [],
    names: { moduleName: undefined, functions: new Map() }, declaredFuncRefs: new Set(),
  };
  // Object.assign keeps the result a Module whatever optional fields the type gains.
  return Object.assign(base, p);
}

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const i32c = (value: number): ConstExpr => ({ kind: 'i32.const', value });
const rf = (funcIndex: number): ConstExpr => ({ kind: 'ref.func', funcIndex });

/** Text offsets the C hook dispatches on. */
export const BASIC_CODE = { addImport: 0, addtwo: 16, neg: 32, trapper: 40, start: 48, grow: 52 } as const;
export const BASIC_ENTRY = { t0: 56, t1: 60, t2: 62 } as const;

function baseInput(module: Module, over: Partial<AotInput> = {}): AotInput {
  return {
    target: 'thumbv7m', cpu: 'cortex-m3', floatAbi: 'soft',
    flags: { xip: true, callsViaTable: false, constop: false },
    module, text: new Uint8Array(64).map((_, i) => i), funcCodeOffsets: [], funcEntryOffsets: [], funcrefList: [],
    globalOffsets: [], globalsSize: 0, nativeSymbols: [], relocations: 0, ...over,
  };
}

/**
 * basic: import env.add (ii->i); functions addtwo (ii->i), neg (I->I), trapper (->), start (->), grow (i->i);
 * memory 1..2 pages; table funcref 4..8; globals g0 i32 mut = 42, g1 i64 = 0x1122334455667788, g2 funcref = ref.func 2;
 * active elem at 1: [ref.func 2, null, ref.func 1]; passive elem [ref.func 1]; active data at 10 "hello"; passive data "world".
 */
export function basicInput(): AotInput {
  const types = [
    { params: [], results: [] },
    { params: [I32, I32], results: [I32] },
    { params: [I64], results: [I64] },
    { params: [I32], results: [I32] },
  ];
  const module = makeModule({
    types,
    imports: [{ module: 'env', name: 'add', desc: { kind: 'func', typeIndex: 1 }, offset: 0 }],
    funcTypeIndices: [1, 1, 2, 0, 0, 3],
    numImportedFuncs: 1,
    tables: [{ elemType: FUNCREF, limits: { min: 4, max: 8 } }],
    memories: [{ limits: { min: 1, max: 2 } }],
    globalTypes: [{ valType: I32, mutable: true }, { valType: I64, mutable: false }, { valType: FUNCREF, mutable: false }],
    globals: [
      { type: { valType: I32, mutable: true }, init: i32c(42) },
      { type: { valType: I64, mutable: false }, init: { kind: 'i64.const', value: 0x1122334455667788n } },
      { type: { valType: FUNCREF, mutable: false }, init: rf(2) },
    ],
    exports: [
      { name: 'addtwo', kind: 'func', index: 1 }, { name: 'neg', kind: 'func', index: 2 },
      { name: 'trapper', kind: 'func', index: 3 }, { name: 'grow', kind: 'func', index: 5 },
      { name: 'add_import', kind: 'func', index: 0 }, { name: 'mem', kind: 'memory', index: 0 },
      { name: 'tab', kind: 'table', index: 0 }, { name: 'g', kind: 'global', index: 0 },
    ],
    start: 4,
    elems: [
      { mode: 'active', table: 0, offset: i32c(1), elemType: FUNCREF, items: [rf(2), { kind: 'ref.null', refType: FUNCREF }, rf(1)] },
      { mode: 'passive', table: 0, offset: undefined, elemType: FUNCREF, items: [rf(1)] },
    ],
    datas: [
      { mode: 'active', memory: 0, offset: i32c(10), bytes: enc('hello') },
      { mode: 'passive', memory: 0, offset: undefined, bytes: enc('world') },
    ],
    names: { moduleName: 'basic', functions: new Map([[1, 'addtwo'], [2, 'negate'], [3, 'trapper']]) },
  });
  const c = BASIC_CODE, e = BASIC_ENTRY;
  return baseInput(module, {
    funcCodeOffsets: [c.addImport, c.addtwo, c.neg, c.trapper, c.start, c.grow],
    funcEntryOffsets: [e.t1, e.t1, e.t2, e.t0, e.t0, undefined],
    funcrefList: [1, 2, 3],
    globalOffsets: [0, 8, 16],
    globalsSize: 24,
    nativeSymbols: [{ index: 0, name: 'xw_trap' }, { index: 1, name: 'xw_memory_grow' }],
  });
}

/** importer: imports basic's addtwo, mem, tab and g; writes "abc" at 100 and [ref.func 1] at table 5. */
export function importerInput(): AotInput {
  const module = makeModule({
    types: [{ params: [I32, I32], results: [I32] }],
    imports: [
      { module: 'basic', name: 'addtwo', desc: { kind: 'func', typeIndex: 0 }, offset: 0 },
      { module: 'basic', name: 'mem', desc: { kind: 'memory', memory: { limits: { min: 1, max: undefined } } }, offset: 0 },
      { module: 'basic', name: 'tab', desc: { kind: 'table', table: { elemType: FUNCREF, limits: { min: 4, max: undefined } } }, offset: 0 },
      { module: 'basic', name: 'g', desc: { kind: 'global', global: { valType: I32, mutable: true } }, offset: 0 },
    ],
    funcTypeIndices: [0, 0],
    numImportedFuncs: 1,
    tables: [{ elemType: FUNCREF, limits: { min: 4, max: undefined } }],
    numImportedTables: 1,
    memories: [{ limits: { min: 1, max: undefined } }],
    numImportedMemories: 1,
    globalTypes: [{ valType: I32, mutable: true }, { valType: I32, mutable: false }],
    numImportedGlobals: 1,
    globals: [{ type: { valType: I32, mutable: false }, init: { kind: 'global.get', globalIndex: 0 } }],
    exports: [{ name: 'call_it', kind: 'func', index: 1 }],
    elems: [{ mode: 'active', table: 0, offset: i32c(5), elemType: FUNCREF, items: [rf(1)] }],
    datas: [{ mode: 'active', memory: 0, offset: i32c(100), bytes: enc('abc') }],
  });
  return baseInput(module, {
    funcCodeOffsets: [0, 16], funcEntryOffsets: [undefined, 60], funcrefList: [1],
    globalOffsets: [0], globalsSize: 4,
  });
}

/** oob: data "xy" at 0 succeeds, then "hello" at 65534 is out of bounds (instantiation fails, "xy" stays). */
export function oobDataInput(): AotInput {
  const module = makeModule({
    memories: [{ limits: { min: 1, max: 1 } }],
    datas: [
      { mode: 'active', memory: 0, offset: i32c(0), bytes: enc('xy') },
      { mode: 'active', memory: 0, offset: i32c(65534), bytes: enc('hello') },
    ],
  });
  return baseInput(module);
}

/** An import nobody provides, and one whose host function has the wrong signature. */
export function unlinkableInput(name: 'nothere' | 'add'): AotInput {
  const module = makeModule({
    types: [{ params: [I32], results: [I32] }],
    imports: [{ module: 'env', name, desc: { kind: 'func', typeIndex: 0 }, offset: 0 }],
    funcTypeIndices: [0], numImportedFuncs: 1,
  });
  return baseInput(module, { funcCodeOffsets: [0], funcEntryOffsets: [undefined] });
}

/** Every wasi_snapshot_preview1 function with its type (WAMR signature letters), as runtime/src/wasi.c lists them. */
export const WASI_FUNCS: readonly (readonly [string, string])[] = [
  ['args_get', '(ii)i'], ['args_sizes_get', '(ii)i'], ['environ_get', '(ii)i'], ['environ_sizes_get', '(ii)i'],
  ['clock_res_get', '(ii)i'], ['clock_time_get', '(iIi)i'], ['fd_advise', '(iIIi)i'], ['fd_allocate', '(iII)i'],
  ['fd_close', '(i)i'], ['fd_datasync', '(i)i'], ['fd_fdstat_get', '(ii)i'], ['fd_fdstat_set_flags', '(ii)i'],
  ['fd_fdstat_set_rights', '(iII)i'], ['fd_filestat_get', '(ii)i'], ['fd_filestat_set_size', '(iI)i'],
  ['fd_filestat_set_times', '(iIIi)i'], ['fd_pread', '(iiiIi)i'], ['fd_prestat_get', '(ii)i'],
  ['fd_prestat_dir_name', '(iii)i'], ['fd_pwrite', '(iiiIi)i'], ['fd_read', '(iiii)i'], ['fd_readdir', '(iiiIi)i'],
  ['fd_renumber', '(ii)i'], ['fd_seek', '(iIii)i'], ['fd_sync', '(i)i'], ['fd_tell', '(ii)i'], ['fd_write', '(iiii)i'],
  ['path_create_directory', '(iii)i'], ['path_filestat_get', '(iiiii)i'], ['path_filestat_set_times', '(iiiiIIi)i'],
  ['path_link', '(iiiiiii)i'], ['path_open', '(iiiiiIIii)i'], ['path_readlink', '(iiiiii)i'],
  ['path_remove_directory', '(iii)i'], ['path_rename', '(iiiiii)i'], ['path_symlink', '(iiiii)i'],
  ['path_unlink_file', '(iii)i'], ['poll_oneoff', '(iiii)i'], ['proc_exit', '(i)'], ['proc_raise', '(i)i'],
  ['random_get', '(ii)i'], ['sched_yield', '()i'], ['sock_accept', '(iii)i'], ['sock_recv', '(iiiiii)i'],
  ['sock_send', '(iiiii)i'], ['sock_shutdown', '(ii)i'],
];

/**
 * wasi_imports: imports every WASI function and the fuzzer's natives by signature (env.buf "(*~)i", env.str "($)I",
 * env.one "(*)", env.mix "(IfF)F") and re-exports each, so xw_call reaches them directly; memory 1 page.
 * A seed of the loader fuzzer (runtime/fuzz/fuzz_loader.c), which calls them with arguments from its input.
 */
export function wasiImportsInput(): AotInput {
  const F32 = 0x7d, F64 = 0x7c;
  const letter: Record<string, number> = { i: I32, I: I64, f: F32, F: F64, '*': I32, '~': I32, $: I32 };
  const funcs: [string, string, string][] = [
    ...WASI_FUNCS.map(([n, sig]) => ['wasi_snapshot_preview1', n, sig] as [string, string, string]),
    ['env', 'buf', '(*~)i'], ['env', 'str', '($)I'], ['env', 'one', '(*)'], ['env', 'mix', '(IfF)F'],
  ];
  const sigs = [...new Set(funcs.map(([, , sig]) => sig))];
  const types = sigs.map((sig) => {
    const close = sig.indexOf(')');
    return { params: [...sig.slice(1, close)].map((c) => letter[c] as number), results: [...sig.slice(close + 1)].map((c) => letter[c] as number) };
  });
  const typeOf = funcs.map(([, , sig]) => sigs.indexOf(sig));
  const module = makeModule({
    types,
    imports: funcs.map(([m, name], i) => ({ module: m, name, desc: { kind: 'func', typeIndex: typeOf[i] as number }, offset: 0 })),
    funcTypeIndices: typeOf,
    numImportedFuncs: funcs.length,
    memories: [{ limits: { min: 1, max: 1 } }],
    exports: funcs.map(([, name], i) => ({ name, kind: 'func', index: i })),
  });
  return baseInput(module, { funcCodeOffsets: funcs.map(() => 0), funcEntryOffsets: funcs.map(() => undefined) });
}

/** Every fixture the C host tests read, by file name. */
export function hostFixtures(): Record<string, AotInput> {
  const basic = basicInput();
  return {
    'basic.aot': basic,
    'importer.aot': importerInput(),
    'oob_data.aot': oobDataInput(),
    'unlinkable_missing.aot': unlinkableInput('nothere'),
    'unlinkable_sig.aot': unlinkableInput('add'),
    'hard_float.aot': { ...basic, floatAbi: 'hard', cpu: 'cortex-m55', target: 'thumbv8m.main' },
    'bad_symbol.aot': { ...basic, nativeSymbols: [{ index: 14, name: 'aot_intrinsic_bogus' }] },
    'via_table.aot': { ...basic, flags: { xip: true, callsViaTable: true, constop: false } },
    // custom-page-sizes: the basic module with a memory of 16..300 pages of 1 byte (format version 2)
    'small_pages.aot': { ...basic, module: { ...basic.module, memories: [{ limits: { min: 16, max: 300 }, pageSizeLog2: 0 }] } },
    'wasi_imports.aot': wasiImportsInput(),
  };
}

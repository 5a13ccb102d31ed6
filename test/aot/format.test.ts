import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as zlib from 'node:zlib';
import { crc32, crc32Update } from '../../src/aot/crc32.js';
import { readAot } from '../../src/aot/reader.js';
import { writeAot } from '../../src/aot/writer.js';
import {
  Cpu, ENTRY_SIZE, Feature, Flag, FORMAT_VERSION, FORMAT_VERSION_PAGE_SIZES, H, HEADER_SIZE, ITEM_GLOBAL, ITEM_NULL, InitKind, Kind, rv32FeaturesOf,
  rv32IsaOf, SectionId, SegMode, Target, TEXT_ALIGN,
} from '../../src/aot/format.js';
import { DecodeError, InternalError } from '../../src/errors.js';
import { compileModule } from '../../src/compile.js';
import { BASIC_CODE, BASIC_ENTRY, basicInput, hostFixtures } from './fixtures.js';

const zcrc = (zlib as unknown as { crc32?: (b: Uint8Array) => number }).crc32;

test('crc32 matches the known vector and zlib', () => {
  assert.equal(crc32(new TextEncoder().encode('123456789')), 0xcbf43926);
  if (zcrc === undefined) return;
  const b = new Uint8Array(1000).map((_, i) => (i * 131 + 7) & 255);
  assert.equal(crc32(b), zcrc(b));
  for (const img of Object.values(hostFixtures()).map(writeAot)) {
    const noCrc = new Uint8Array([...img.subarray(0, H.crc32), ...img.subarray(H.crc32 + 4)]);
    assert.equal(new DataView(img.buffer).getUint32(H.crc32, true), zcrc(noCrc));
  }
});

test('crc32Update over any slice and any split agrees with zlib', (ctx) => {
  if (zcrc === undefined) return ctx.skip('node:zlib has no crc32 (Node < 20.15)');
  let x = 5;
  const b = new Uint8Array(300).map(() => (x = (Math.imul(x, 1664525) + 1013904223) >>> 0) >>> 24);
  for (let start = 0; start < 6; start++) {
    for (let end = start; end <= start + 70; end++) {
      const want = zcrc(b.subarray(start, end));
      assert.equal(crc32Update(0, b, start, end), want, `[${start}, ${end})`);
      const mid = start + ((end - start) >> 1) + 1;
      if (mid <= end) assert.equal(crc32Update(crc32Update(0, b, start, mid), b, mid, end), want, `[${start}, ${mid}, ${end})`);
    }
  }
  assert.equal(crc32(b), zcrc(b));
});

test('basic fixture round-trips through the reader', () => {
  const input = basicInput();
  const img = writeAot(input);
  const f = readAot(img);
  assert.equal(f.target, 'thumbv7m');
  assert.equal(f.cpu, 'cortex-m3');
  assert.equal(f.floatAbi, 'soft');
  assert.equal(f.features, 4); // cortex-m3: hardware divide only
  assert.deepEqual(f.flags, { xip: true, callsViaTable: false, constop: false });
  assert.equal(f.crcOk, true);
  assert.equal(f.relocations, 0);
  assert.equal(f.totalSize, img.length);
  assert.equal(f.textOffset % TEXT_ALIGN, 0);
  assert.deepEqual([...f.text], [...input.text]);
  assert.deepEqual(f.types[1], { params: [0x7f, 0x7f], results: [0x7f] });
  assert.deepEqual(f.imports, [{ module: 'env', name: 'add', kind: Kind.Func, index: 0 }]);
  assert.deepEqual(f.funcs[0], { typeIndex: 1, codeOffset: BASIC_CODE.addImport, entryOffset: BASIC_ENTRY.t1, import: 0 });
  assert.deepEqual(f.funcs[5], { typeIndex: 3, codeOffset: BASIC_CODE.grow, entryOffset: undefined, import: undefined });
  assert.deepEqual(f.tables, [{ elemType: 0x70, min: 4, max: 8, import: undefined }]);
  assert.deepEqual(f.memories, [{ min: 1, max: 2, import: undefined, pageSizeLog2: 16 }]);
  assert.deepEqual(f.globals[1]!.init, { kind: InitKind.I64, value: 0x1122334455667788n });
  // ref.func 2 is stored as its funcref-list index (1)
  assert.deepEqual(f.globals[2]!.init, { kind: InitKind.RefFunc, value: 1n });
  assert.equal(f.globals[2]!.storageOffset, 16);
  assert.deepEqual(f.elems[0]!.items, [{ kind: 'funcref', index: 1 }, { kind: 'null' }, { kind: 'funcref', index: 0 }]);
  assert.equal(f.elems[1]!.mode, SegMode.Passive);
  assert.equal(new TextDecoder().decode(f.datas[0]!.bytes), 'hello');
  assert.equal(f.datas[0]!.bytesOffset % 1, 0);
  assert.deepEqual(f.funcrefs, [1, 2, 3]);
  assert.deepEqual(f.symbols, [{ index: 0, name: 'xw_trap' }, { index: 1, name: 'xw_memory_grow' }]);
  assert.equal(f.names.get(2), 'negate');
  assert.equal(f.start, 4);
  assert.equal(f.exports.find((e) => e.name === 'grow')?.index, 5);
});

test('every multi-byte field a C reader touches is naturally aligned', () => {
  const f = readAot(writeAot(basicInput()));
  for (const s of f.sections) assert.equal(s.offset % (s.name === 'text' ? 16 : 8), 0, s.name);
});

test('the reader reports a flipped byte as a bad CRC and truncation as DecodeError', () => {
  const img = writeAot(basicInput());
  const bad = img.slice();
  bad[img.length - 1]! ^= 1;
  assert.equal(readAot(bad).crcOk, false);
  for (let n = 0; n < img.length; n++) assert.throws(() => readAot(img.subarray(0, n)), DecodeError);
});

test('the writer refuses an XIP file with relocations and inconsistent offsets', () => {
  assert.throws(() => writeAot({ ...basicInput(), relocations: 1 }), InternalError);
  assert.throws(() => writeAot({ ...basicInput(), funcCodeOffsets: [0, 1, 2, 3, 4, 5] }), InternalError);
  assert.throws(() => writeAot({ ...basicInput(), funcrefList: [1] }), InternalError); // ref.func 2 not referenceable
});

test('the C loader constants (runtime/src/aot_format.h) match format.ts', async () => {
  const { readFileSync } = await import('node:fs');
  const { fileURLToPath } = await import('node:url');
  const path = fileURLToPath(new URL('../../../runtime/src/aot_format.h', import.meta.url));
  const h = readFileSync(path, 'utf8');
  const define = (name: string): number => {
    const m = new RegExp(`#define ${name} (0x[0-9A-Fa-f]+|\\d+)u?\\b`).exec(h);
    assert.ok(m, `${name} missing`);
    return Number(m[1]);
  };
  const enumValue = (name: string): number => {
    const m = new RegExp(`\\b${name} = (\\d+)`).exec(h);
    assert.ok(m, `${name} missing`);
    return Number(m[1]);
  };
  assert.equal(define('XW_AOT_FORMAT_VERSION'), FORMAT_VERSION);
  assert.equal(define('XW_AOT_HEADER_SIZE'), HEADER_SIZE);
  for (const [field, off] of Object.entries(H)) {
    if (field === 'magic' || field === 'reserved0') continue;
    const cName = `XW_H_${field.replace(/([A-Z])/g, '_$1').toUpperCase()}`.replace('XW_H_SYMBOL_ABI_VERSION', 'XW_H_SYMBOL_ABI');
    assert.equal(define(cName), off, cName);
  }
  const secName: Record<string, string> = { Funcs: 'FUNCS', Datas: 'DATAS', Funcrefs: 'FUNCREFS' };
  for (const [name, id] of Object.entries(SectionId)) {
    if (typeof id !== 'number') continue;
    assert.equal(enumValue(`XW_SEC_${secName[name] ?? name.toUpperCase()}`), id, name);
  }
  const esName: Record<number, string> = {
    [SectionId.Types]: 'TYPE', [SectionId.Imports]: 'IMPORT', [SectionId.Funcs]: 'FUNC', [SectionId.Tables]: 'TABLE',
    [SectionId.Memory]: 'MEMORY', [SectionId.Globals]: 'GLOBAL', [SectionId.Exports]: 'EXPORT', [SectionId.Elems]: 'ELEM',
    [SectionId.Datas]: 'DATA', [SectionId.Funcrefs]: 'FUNCREF', [SectionId.Symbols]: 'SYMBOL', [SectionId.Names]: 'NAME',
  };
  for (const [id, n] of Object.entries(esName)) assert.equal(define(`XW_ES_${n}`), ENTRY_SIZE[Number(id) as SectionId], n);
  assert.equal(define('XW_ITEM_NULL'), ITEM_NULL);
  assert.equal(define('XW_ITEM_GLOBAL'), ITEM_GLOBAL);
  assert.equal(define('XW_FLAG_CALLS_VIA_TABLE'), Flag.CallsViaTable);
  assert.equal(define('XW_TARGET_THUMB_LAST'), Target.Thumbv81mMain);
  assert.equal(define('XW_TARGET_RISCV32'), Target.Riscv32);
  assert.equal(define('XW_CPU_ARM_LAST'), Cpu.CortexM55);
  assert.equal(define('XW_CPU_RV32_FIRST'), Cpu.GenericRv32);
  assert.equal(define('XW_CPU_RV32_LAST'), Cpu.Rv32imafc);
  assert.equal(define('XW_CPU_RV32_ISA'), Cpu.Rv32Isa);
  assert.deepEqual([define('XW_FEAT_RV_F'), define('XW_FEAT_RV_M'), define('XW_FEAT_RV_A'), define('XW_FEAT_RV_C')],
    [Feature.FpuSp, Feature.HwDiv, Feature.RvAtomic, Feature.RvCompressed]);
  assert.equal(enumValue('XW_INIT_GLOBAL_GET'), InitKind.GlobalGet);
  assert.equal(enumValue('XW_MODE_DECLARATIVE'), SegMode.Declarative);
});

test('target, CPU, float ABI and flags are recorded; FPU feature bits only with the hard-float ABI', () => {
  const hard = readAot(writeAot({ ...basicInput(), target: 'thumbv8.1m.main', cpu: 'cortex-m55', floatAbi: 'hard',
    flags: { xip: true, callsViaTable: true, constop: true } }));
  assert.equal(hard.target, 'thumbv8.1m.main');
  assert.equal(hard.cpu, 'cortex-m55');
  assert.equal(hard.floatAbi, 'hard');
  assert.equal(hard.features, 0b1111);
  assert.deepEqual(hard.flags, { xip: true, callsViaTable: true, constop: true });
  const soft = readAot(writeAot({ ...basicInput(), target: 'thumbv8.1m.main', cpu: 'cortex-m55', floatAbi: 'soft' }));
  assert.equal(soft.features, 0b1100); // hwdiv + dsp
  assert.equal(readAot(writeAot({ ...basicInput(), target: 'thumbv6m', cpu: 'cortex-m0' })).features, 0);
  assert.throws(() => writeAot({ ...basicInput(), target: 'thumbv9' }), /unknown target 'thumbv9'/);
});

test('RV32: target 16, named cores and ISA strings, the extensions as feature bits whatever the float ABI', () => {
  const rv = (cpu: string, floatAbi: 'soft' | 'hard' = 'soft') => readAot(writeAot({ ...basicInput(), target: 'riscv32', cpu, floatAbi }));
  const imac = rv('rv32imac');
  assert.deepEqual([imac.target, imac.cpu, imac.floatAbi, imac.features], ['riscv32', 'rv32imac', 'soft', Feature.HwDiv | Feature.RvAtomic | Feature.RvCompressed]);
  assert.equal(rv('rv32imafc').features, Feature.HwDiv | Feature.RvAtomic | Feature.FpuSp | Feature.RvCompressed);
  assert.equal(rv('rv32imafc', 'hard').floatAbi, 'hard');
  assert.deepEqual([rv('esp32c3').cpu, rv('esp32c3').features], ['esp32c3', Feature.HwDiv | Feature.RvCompressed]);
  assert.deepEqual([rv('generic-rv32').cpu, rv('generic-rv32').features], ['generic-rv32', 0]);
  // a core named by its ISA string comes back under that string (CPU code 31: the features spell it)
  for (const isa of ['rv32imc', 'rv32ifc', 'rv32ia', 'rv32i']) {
    const f = rv(isa);
    assert.deepEqual([f.cpu, f.features], [isa, rv32FeaturesOf(isa)]);
    assert.equal(rv32IsaOf(f.features), isa);
  }
  assert.throws(() => writeAot({ ...basicInput(), target: 'riscv32', cpu: 'cortex-m3' }), /CPU 'cortex-m3' is not a riscv32 core/);
  assert.throws(() => writeAot({ ...basicInput(), target: 'thumbv7m', cpu: 'rv32imac' }), /CPU 'rv32imac' is not a thumbv7m core/);
  const bytes = writeAot({ ...basicInput(), target: 'riscv32', cpu: 'rv32imac' });
  bytes[H.target] = Target.Thumbv7m;
  assert.throws(() => readAot(bytes), /CPU rv32imac is not a thumbv7m core/);
});

test('custom page sizes: version 2 with the page size only when a memory has 1-byte pages', () => {
  // (memory 3 7 (pagesize 1)) and the same memory with 64 KiB pages, written by hand (flags 0x09: max + page size)
  const mem = (flags: number[]): Uint8Array => new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 5, flags.length + 1, 1, ...flags]);
  const small = readAot(compileModule(mem([0x09, 3, 7, 0]), { cpu: 'cortex-m3', xip: true }).image);
  assert.equal(small.formatVersion, FORMAT_VERSION_PAGE_SIZES);
  assert.deepEqual(small.memories, [{ min: 3, max: 7, import: undefined, pageSizeLog2: 0 }]);
  const explicit = compileModule(mem([0x09, 3, 7, 16]), { cpu: 'cortex-m3', xip: true }).image;
  const plain = compileModule(mem([0x01, 3, 7]), { cpu: 'cortex-m3', xip: true }).image;
  // an explicit 64 KiB page size gives the same version 1 file as no page size, which older runtimes still load
  assert.deepEqual([...explicit], [...plain]);
  assert.equal(readAot(plain).formatVersion, FORMAT_VERSION);
  assert.deepEqual(readAot(plain).memories, [{ min: 3, max: 7, import: undefined, pageSizeLog2: 16 }]);
  // byte 13 of the memory entry: a page size in a version 1 file, or one other than 1 and 64 KiB, is refused
  const sec = small.sections.find((x) => x.id === SectionId.Memory)!;
  const bad = (version: number, log2: number): Uint8Array => {
    const b = new Uint8Array(compileModule(mem([0x09, 3, 7, 0]), { cpu: 'cortex-m3', xip: true }).image);
    b[H.formatVersion] = version;
    b[sec.offset + 13] = log2;
    const c = crc32Update(crc32Update(0, b.subarray(0, H.crc32)), b.subarray(H.crc32 + 4));
    new DataView(b.buffer).setUint32(H.crc32, c >>> 0, true);
    return b;
  };
  assert.doesNotThrow(() => readAot(bad(2, 16)));
  assert.throws(() => readAot(bad(1, 0 + 16)), /page size in a version 1 file/);
  assert.throws(() => readAot(bad(2, 8)), /memory page size 2\^8/);
  assert.throws(() => readAot(bad(3, 0)), /format version 3 not supported/);
});

/**
 * Constants of the xipwasm AOT file format, version 1 (docs/aot-format.md).
 * The C loader (runtime/src/aot_format.h) mirrors every number here; change
 * both together and bump FORMAT_VERSION.
 */

export const MAGIC = [0x58, 0x57, 0x41, 0x54] as const; // "XWAT"
export const FORMAT_VERSION = 1;
/** docs/abi.md's version, defined with the rest of the runtime ABI */
export { ABI_VERSION } from '../abi.js';
/**
 * Version 2 is version 1 plus a memory's page size (custom-page-sizes proposal) in byte 13 of its memory entry.
 * The writer uses it only when a memory has pages other than 64 KiB, so that a runtime that knows only version 1
 * refuses such a file (it would read the limits as 64 KiB pages) and still runs every other file.
 */
export const FORMAT_VERSION_PAGE_SIZES = 2;

export const HEADER_SIZE = 64;
export const DIR_ENTRY_SIZE = 16;
/** Sections start 8-aligned so the C side can read u64 fields with aligned loads. */
export const SECTION_ALIGN = 8;
/** The text starts 16-aligned in the image (literal pools rely on Align(PC,4) being stable). */
export const TEXT_ALIGN = 16;
export const NONE = 0xffffffff;

/** Byte offsets of the header fields. */
export const H = {
  magic: 0,
  formatVersion: 4, // u16
  abiVersion: 6, // u16
  target: 8, // u8
  cpu: 9, // u8
  floatAbi: 10, // u8
  reserved0: 11, // u8
  features: 12, // u32
  flags: 16, // u32
  totalSize: 20, // u32
  crc32: 24, // u32, CRC-32 of the image with these 4 bytes skipped
  symbolAbiVersion: 28, // u32
  sectionCount: 32, // u32
  relocations: 36, // u32, always 0
  globalsSize: 40, // u32
  startFunc: 44, // u32 or NONE
  // 48..63 reserved, zero
} as const;

/** Thumb codes 1-5 are ordered: code for a target runs on every later one that has its features. RV32 (16) stands
    alone; its extensions are feature bits. */
export enum Target { Thumbv6m = 1, Thumbv7m = 2, Thumbv7em = 3, Thumbv8mMain = 4, Thumbv81mMain = 5, Riscv32 = 16 }
export const TARGET_NAMES: Readonly<Record<string, Target>> = {
  thumbv6m: Target.Thumbv6m,
  thumbv7m: Target.Thumbv7m,
  thumbv7em: Target.Thumbv7em,
  'thumbv8m.main': Target.Thumbv8mMain,
  'thumbv8.1m.main': Target.Thumbv81mMain,
  riscv32: Target.Riscv32,
};

/** RV32 cores from 16 on; Rv32Isa is a core named by its ISA string (rv32imc, ...), which the features spell. */
export enum Cpu {
  Generic = 0, CortexM0 = 1, CortexM0plus = 2, CortexM3 = 3, CortexM4 = 4, CortexM7 = 5, CortexM33 = 6, CortexM55 = 7,
  GenericRv32 = 16, Esp32c3 = 17, SifiveE31 = 18, Rv32imac = 19, Rv32imafc = 20, Rv32Isa = 31,
}
export const CPU_NAMES: Readonly<Record<string, Cpu>> = {
  generic: Cpu.Generic,
  'cortex-m0': Cpu.CortexM0,
  'cortex-m0plus': Cpu.CortexM0plus,
  'cortex-m3': Cpu.CortexM3,
  'cortex-m4': Cpu.CortexM4,
  'cortex-m7': Cpu.CortexM7,
  'cortex-m33': Cpu.CortexM33,
  'cortex-m55': Cpu.CortexM55,
  'generic-rv32': Cpu.GenericRv32,
  esp32c3: Cpu.Esp32c3,
  'sifive-e31': Cpu.SifiveE31,
  rv32imac: Cpu.Rv32imac,
  rv32imafc: Cpu.Rv32imafc,
};

/** Soft: AAPCS base / RV32 ilp32. Hard: AAPCS-VFP / RV32 ilp32f. */
export enum FloatAbi { Soft = 0, Hard = 1 }

/** Features the code may rely on; the runtime's CPU must have all of them. On RV32 they are the ISA's extensions:
    F is FpuSp, M is HwDiv, and A and C have bits of their own. */
export const Feature = {
  FpuSp: 1 << 0,
  FpuDp: 1 << 1,
  HwDiv: 1 << 2,
  Dsp: 1 << 3,
  RvAtomic: 1 << 4,
  RvCompressed: 1 << 5,
} as const;

/** RV32 extension letters and their feature bits, in ISA-string order. */
export const RV32_FEATURE_BITS: readonly (readonly ['m' | 'a' | 'f' | 'c', number])[] = [
  ['m', Feature.HwDiv], ['a', Feature.RvAtomic], ['f', Feature.FpuSp], ['c', Feature.RvCompressed],
];

/** The feature word of an RV32 ISA string (rv32i + m, a, f, c in order), or undefined for anything else. */
export function rv32FeaturesOf(isa: string): number | undefined {
  const m = /^rv32i(m?)(a?)(f?)(c?)$/.exec(isa);
  if (m === null) return undefined;
  return RV32_FEATURE_BITS.reduce((acc, [, bit], i) => (m[i + 1] !== '' ? acc | bit : acc), 0);
}

/** The ISA string an RV32 feature word spells. */
export function rv32IsaOf(features: number): string {
  return `rv32i${RV32_FEATURE_BITS.filter(([, bit]) => (features & bit) !== 0).map(([e]) => e).join('')}`;
}

/** What each CPU has. On Arm the FPU bits only count for files built with the hard-float ABI; on RV32 the word is the
    core's extensions whatever the float ABI (ilp32 code for an F core may still use F inside functions). */
export const CPU_FEATURES: Readonly<Record<Cpu, number>> = {
  [Cpu.Generic]: 0,
  [Cpu.CortexM0]: 0,
  [Cpu.CortexM0plus]: 0,
  [Cpu.CortexM3]: Feature.HwDiv,
  [Cpu.CortexM4]: Feature.HwDiv | Feature.Dsp | Feature.FpuSp,
  [Cpu.CortexM7]: Feature.HwDiv | Feature.Dsp | Feature.FpuSp | Feature.FpuDp,
  [Cpu.CortexM33]: Feature.HwDiv | Feature.Dsp | Feature.FpuSp,
  [Cpu.CortexM55]: Feature.HwDiv | Feature.Dsp | Feature.FpuSp | Feature.FpuDp,
  [Cpu.GenericRv32]: 0,
  [Cpu.Esp32c3]: Feature.HwDiv | Feature.RvCompressed,
  [Cpu.SifiveE31]: Feature.HwDiv | Feature.RvAtomic | Feature.RvCompressed,
  [Cpu.Rv32imac]: Feature.HwDiv | Feature.RvAtomic | Feature.RvCompressed,
  [Cpu.Rv32imafc]: Feature.HwDiv | Feature.RvAtomic | Feature.FpuSp | Feature.RvCompressed,
  [Cpu.Rv32Isa]: 0, // the ISA string gives them (rv32FeaturesOf)
};

export const Flag = {
  Xip: 1 << 0,
  CallsViaTable: 1 << 1,
  Constop: 1 << 2,
} as const;

export enum SectionId {
  Strings = 1, Types = 2, Imports = 3, Funcs = 4, Tables = 5, Memory = 6, Globals = 7,
  Exports = 8, Elems = 9, Datas = 10, Funcrefs = 11, Symbols = 12, Names = 13, Text = 14,
}
export const MAX_SECTION_ID = 14;

/** Size of one entry of each section's table (Strings and Text are plain bytes). */
export const ENTRY_SIZE: Readonly<Record<SectionId, number>> = {
  [SectionId.Strings]: 1,
  [SectionId.Types]: 8,
  [SectionId.Imports]: 24,
  [SectionId.Funcs]: 16,
  [SectionId.Tables]: 16,
  [SectionId.Memory]: 16,
  [SectionId.Globals]: 24,
  [SectionId.Exports]: 16,
  [SectionId.Elems]: 24,
  [SectionId.Datas]: 24,
  [SectionId.Funcrefs]: 4,
  [SectionId.Symbols]: 12,
  [SectionId.Names]: 12,
  [SectionId.Text]: 1,
};

export const SECTION_NAMES: Readonly<Record<SectionId, string>> = {
  [SectionId.Strings]: 'strings',
  [SectionId.Types]: 'types',
  [SectionId.Imports]: 'imports',
  [SectionId.Funcs]: 'functions',
  [SectionId.Tables]: 'tables',
  [SectionId.Memory]: 'memory',
  [SectionId.Globals]: 'globals',
  [SectionId.Exports]: 'exports',
  [SectionId.Elems]: 'elems',
  [SectionId.Datas]: 'datas',
  [SectionId.Funcrefs]: 'funcrefs',
  [SectionId.Symbols]: 'symbols',
  [SectionId.Names]: 'names',
  [SectionId.Text]: 'text',
};

/** External kinds use the Wasm binary encoding. */
export enum Kind { Func = 0, Table = 1, Memory = 2, Global = 3 }

/** Constant-expression kinds (ref.func stores a funcref-list index, not a function index). */
export enum InitKind { None = 0, I32 = 1, I64 = 2, F32 = 3, F64 = 4, RefNull = 5, RefFunc = 6, GlobalGet = 7 }

export enum SegMode { Active = 0, Passive = 1, Declarative = 2 }

/** Elem item encoding: a funcref-list index, or one of these. */
export const ITEM_NULL = 0xffffffff;
export const ITEM_GLOBAL = 0x80000000;

export const PAGE_SIZE = 65536;

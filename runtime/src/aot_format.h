/*
 * The AOT file format v1 as the loader sees it (docs/aot-format.md).
 * The same numbers are in src/aot/format.ts.
 */
#ifndef XW_AOT_FORMAT_H
#define XW_AOT_FORMAT_H

#include <stdint.h>

#define XW_AOT_FORMAT_VERSION 1u
/* version 2 = version 1 + a memory's page size (log2, 0 or 16) in byte 13 of its memory entry */
#define XW_AOT_FORMAT_VERSION_PAGE_SIZES 2u
#define XW_AOT_HEADER_SIZE 64u
#define XW_AOT_DIR_ENTRY_SIZE 16u
#define XW_AOT_NONE 0xFFFFFFFFu

/* header offsets */
#define XW_H_FORMAT_VERSION 4u
#define XW_H_ABI_VERSION 6u
#define XW_H_TARGET 8u
#define XW_H_CPU 9u
#define XW_H_FLOAT_ABI 10u
#define XW_H_FEATURES 12u
#define XW_H_FLAGS 16u
#define XW_H_TOTAL_SIZE 20u
#define XW_H_CRC32 24u
#define XW_H_SYMBOL_ABI 28u
#define XW_H_SECTION_COUNT 32u
#define XW_H_RELOCATIONS 36u
#define XW_H_GLOBALS_SIZE 40u
#define XW_H_START_FUNC 44u

/* target codes: 1..5 Thumb (ordered), 16 RV32; CPU codes: 0..7 Cortex-M, 16..20 named RV32 cores, 31 an RV32 core
   named by its ISA string (the features spell it) */
#define XW_TARGET_THUMB_LAST 5u
#define XW_TARGET_RISCV32 16u
#define XW_CPU_ARM_LAST 7u
#define XW_CPU_RV32_FIRST 16u
#define XW_CPU_RV32_LAST 20u
#define XW_CPU_RV32_ISA 31u
/* RV32 extension feature bits (F and M share the Arm bits of the single-precision FPU and hardware divide) */
#define XW_FEAT_RV_F 1u
#define XW_FEAT_RV_M 4u
#define XW_FEAT_RV_A 16u
#define XW_FEAT_RV_C 32u

#define XW_FLAG_XIP 1u
#define XW_FLAG_CALLS_VIA_TABLE 2u
#define XW_FLAG_CONSTOP 4u

enum {
  XW_SEC_STRINGS = 1, XW_SEC_TYPES = 2, XW_SEC_IMPORTS = 3, XW_SEC_FUNCS = 4, XW_SEC_TABLES = 5,
  XW_SEC_MEMORY = 6, XW_SEC_GLOBALS = 7, XW_SEC_EXPORTS = 8, XW_SEC_ELEMS = 9, XW_SEC_DATAS = 10,
  XW_SEC_FUNCREFS = 11, XW_SEC_SYMBOLS = 12, XW_SEC_NAMES = 13, XW_SEC_TEXT = 14, XW_SEC_MAX = 14
};

/* entry sizes */
#define XW_ES_TYPE 8u
#define XW_ES_IMPORT 24u
#define XW_ES_FUNC 16u
#define XW_ES_TABLE 16u
#define XW_ES_MEMORY 16u
#define XW_ES_GLOBAL 24u
#define XW_ES_EXPORT 16u
#define XW_ES_ELEM 24u
#define XW_ES_DATA 24u
#define XW_ES_FUNCREF 4u
#define XW_ES_SYMBOL 12u
#define XW_ES_NAME 12u

enum { XW_KIND_FUNC = 0, XW_KIND_TABLE = 1, XW_KIND_MEMORY = 2, XW_KIND_GLOBAL = 3 };
enum { XW_INIT_NONE = 0, XW_INIT_I32 = 1, XW_INIT_I64 = 2, XW_INIT_F32 = 3, XW_INIT_F64 = 4,
       XW_INIT_REF_NULL = 5, XW_INIT_REF_FUNC = 6, XW_INIT_GLOBAL_GET = 7 };
enum { XW_MODE_ACTIVE = 0, XW_MODE_PASSIVE = 1, XW_MODE_DECLARATIVE = 2 };

#define XW_ITEM_NULL 0xFFFFFFFFu
#define XW_ITEM_GLOBAL 0x80000000u

#define XW_PAGE_SIZE 65536u

/* Field readers. The loader has checked the alignment of the image, so these are aligned loads. */
static inline uint32_t xw_rd8(const uint8_t *p) { return p[0]; }
static inline uint32_t xw_rd16(const uint8_t *p) { return *(const uint16_t *)(const void *)p; }
static inline uint32_t xw_rd32(const uint8_t *p) { return *(const uint32_t *)(const void *)p; }
static inline uint64_t xw_rd64(const uint8_t *p) {
  /* two 32-bit loads: an 8-byte LDRD from flash needs only 4-byte alignment, but keep it simple and portable */
  return (uint64_t)xw_rd32(p) | ((uint64_t)xw_rd32(p + 4) << 32);
}

#endif /* XW_AOT_FORMAT_H */

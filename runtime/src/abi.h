/*
 * The runtime's side of the ABI between compiled code and the runtime (docs/abi.md, version 2).
 * The compiler's side is src/abi.ts; the two must agree field by field (test/runtime/abi-sync.test.ts checks it).
 */
#ifndef XW_ABI_H
#define XW_ABI_H

#include <stddef.h>
#include <stdint.h>
#include "xipwasm.h"

/* check_limit = size >= XW_CHECK_SLACK ? size - (XW_CHECK_SLACK - 1) : 0: compiled code's fast bounds check (§9) */
#define XW_CHECK_SLACK 256u
/* max_pages and memory.size/grow count pages of 2^page_shift bytes (custom-page-sizes: shift 16 or 0);
   compiled code reads only base, size and check_limit */
typedef struct { uint8_t *base; uint32_t size; uint32_t max_pages; uint32_t check_limit; uint32_t page_shift; } xw_memory; /* §6 */
#define XW_MEMORY_SET_SIZE(m, bytes) \
  ((m)->size = (bytes), (m)->check_limit = (m)->size >= XW_CHECK_SLACK ? (m)->size - (XW_CHECK_SLACK - 1u) : 0u)
typedef struct { uint32_t size; uint32_t max; uint32_t *elems; } xw_table;               /* §5 */
typedef struct { const void *code; xw_exec_env *env; uint32_t type_id; } xw_funcref;     /* §5 */
typedef struct { xw_raw_fn fn; xw_exec_env *env; const void *data; } xw_import;          /* §4 */

/* §11: a frame record. Code built with --enable-dump-call-stack keeps one in each frame of a compiled function and
   of an import thunk, linked from env->frames, innermost first; other code never touches env->frames. */
typedef struct xw_frame_record { const struct xw_frame_record *prev; uint32_t func; } xw_frame_record;

/* §3: the entry trampoline the runtime calls. */
typedef void (*xw_entry_fn)(xw_exec_env *env, uint64_t *slots, const void *code);

struct xw_exec_env {                         /* §6: offsets fixed on 32-bit targets */
  const void *const *symbols;                /*  0 */
  xw_memory *memory;                         /*  4 */
  uint8_t *mem_base;                         /*  8 */
  uint8_t *globals;                          /* 12 */
  void **imported_globals;                   /* 16 */
  xw_table **tables;                         /* 20 */
  xw_funcref *funcrefs;                      /* 24 */
  const uint32_t *type_ids;                  /* 28 */
  const void **func_ptrs;                    /* 32 */
  xw_import *imports;                        /* 36 */
  uintptr_t stack_limit;                     /* 40 */
  const uint8_t *text_base;                  /* 44 */
  void *instance;                            /* 48 */
  void *user_data;                           /* 52 */
  const xw_frame_record *frames;             /* 56: ABI version 2 (§11) */
};

#define XW_STATIC_ASSERT(cond, name) typedef char xw_static_assert_##name[(cond) ? 1 : -1]

#if UINTPTR_MAX == 0xFFFFFFFFu
XW_STATIC_ASSERT(offsetof(xw_exec_env, symbols) == 0, env_symbols);
XW_STATIC_ASSERT(offsetof(xw_exec_env, memory) == 4, env_memory);
XW_STATIC_ASSERT(offsetof(xw_exec_env, mem_base) == 8, env_mem_base);
XW_STATIC_ASSERT(offsetof(xw_exec_env, globals) == 12, env_globals);
XW_STATIC_ASSERT(offsetof(xw_exec_env, imported_globals) == 16, env_imported_globals);
XW_STATIC_ASSERT(offsetof(xw_exec_env, tables) == 20, env_tables);
XW_STATIC_ASSERT(offsetof(xw_exec_env, funcrefs) == 24, env_funcrefs);
XW_STATIC_ASSERT(offsetof(xw_exec_env, type_ids) == 28, env_type_ids);
XW_STATIC_ASSERT(offsetof(xw_exec_env, func_ptrs) == 32, env_func_ptrs);
XW_STATIC_ASSERT(offsetof(xw_exec_env, imports) == 36, env_imports);
XW_STATIC_ASSERT(offsetof(xw_exec_env, stack_limit) == 40, env_stack_limit);
XW_STATIC_ASSERT(offsetof(xw_exec_env, text_base) == 44, env_text_base);
XW_STATIC_ASSERT(offsetof(xw_exec_env, instance) == 48, env_instance);
XW_STATIC_ASSERT(offsetof(xw_exec_env, user_data) == 52, env_user_data);
XW_STATIC_ASSERT(offsetof(xw_exec_env, frames) == 56, env_frames);
XW_STATIC_ASSERT(sizeof(xw_exec_env) == 60, env_size);
XW_STATIC_ASSERT(sizeof(xw_frame_record) == 8 && offsetof(xw_frame_record, func) == 4, frame_record_layout);
XW_STATIC_ASSERT(offsetof(xw_memory, size) == 4, memory_size);
XW_STATIC_ASSERT(offsetof(xw_memory, check_limit) == 12, memory_check_limit);
XW_STATIC_ASSERT(sizeof(xw_funcref) == 12, funcref_size);
XW_STATIC_ASSERT(offsetof(xw_funcref, type_id) == 8, funcref_type_id);
XW_STATIC_ASSERT(sizeof(xw_import) == 12, import_size);
XW_STATIC_ASSERT(sizeof(xw_table) == 12 && offsetof(xw_table, elems) == 8, table_layout);
/* A reference is the descriptor's address. */
#define XW_REF_FROM_PTR(p) ((uint32_t)(uintptr_t)(p))
#define XW_PTR_FROM_REF(r) ((void *)(uintptr_t)(r))
#else
/*
 * 64-bit hosts (tests and fuzzing only): a 32-bit reference is the signed distance of the descriptor
 * from a process-wide base fixed by the first instantiation, so descriptors must lie within ±2 GiB of it.
 */
extern uintptr_t xw_host_ref_base;
uint32_t xw_host_ref_from_ptr(const void *p);
#define XW_REF_FROM_PTR(p) xw_host_ref_from_ptr(p)
#define XW_PTR_FROM_REF(r) ((void *)(xw_host_ref_base + (uintptr_t)(intptr_t)(int32_t)(r)))
#endif

/* A code address carries the Thumb bit on Arm; RISC-V has none (RV32 support is not used yet: issue 11). */
#if defined(__riscv)
#define XW_CODE_ADDR_BIT 0
#else
#define XW_CODE_ADDR_BIT 1
#endif
#define XW_CODE_ADDR(text, off) ((const void *)((const uint8_t *)(text) + (off) + XW_CODE_ADDR_BIT))

#endif /* XW_ABI_H */

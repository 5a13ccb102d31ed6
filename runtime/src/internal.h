/* Shared by the runtime's .c files; not part of the API. */
#ifndef XW_INTERNAL_H
#define XW_INTERNAL_H

#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "xipwasm.h"
#include "config.h"
#include "abi.h"
#include "aot_format.h"

#if defined(__GNUC__) || defined(__clang__)
#define XW_NORETURN_FN __attribute__((noreturn))
#else
#define XW_NORETURN_FN
#endif

struct xw_instance {
  xw_exec_env env;           /* first, so env->instance == the instance == the arena start */
  const xw_module *mod;
  xw_context *ctx;           /* the context it was instantiated in: its calls, traps and messages */
  xw_memory memory;          /* the defined memory, if the module has one */
  uint32_t stack_budget;
  const xw_host_func *host_funcs;
  uint32_t host_func_count;
  const xw_wasi_config *wasi;
  uint8_t *dropped;          /* one byte per data segment, then one per elem segment */
  xw_registration own_name;  /* the node xw_register uses */
};

#define XW_ENV_INST(env) ((xw_instance *)(env)->instance)
#define XW_ENV_CTX(env) (XW_ENV_INST(env)->ctx)

/* ---- module views (valid after xw_load) ---- */
#define XW_ENT(m, sec, es, i) ((m)->sections[sec] + (size_t)(i) * (es))
/* log2 of the page size of the memory whose AOT entry is e: byte 13 in a version 2 file, else 64 KiB */
static inline uint32_t xw_mem_page_shift(const xw_module *m, const uint8_t *e) {
  return xw_rd16(m->image + XW_H_FORMAT_VERSION) == XW_AOT_FORMAT_VERSION_PAGE_SIZES ? xw_rd8(e + 13) : 16u;
}
static inline const char *xw_mod_str(const xw_module *m, uint32_t off) {
  return (const char *)m->sections[XW_SEC_STRINGS] + off;
}
static inline const uint8_t *xw_type_vec(const xw_module *m, uint32_t t) {
  return m->sections[XW_SEC_STRINGS] + xw_rd32(XW_ENT(m, XW_SEC_TYPES, XW_ES_TYPE, t));
}
static inline uint32_t xw_type_nparams(const xw_module *m, uint32_t t) { return xw_rd16(XW_ENT(m, XW_SEC_TYPES, XW_ES_TYPE, t) + 4); }
static inline uint32_t xw_type_nresults(const xw_module *m, uint32_t t) { return xw_rd16(XW_ENT(m, XW_SEC_TYPES, XW_ES_TYPE, t) + 6); }
static inline uint32_t xw_func_type(const xw_module *m, uint32_t f) { return xw_rd32(XW_ENT(m, XW_SEC_FUNCS, XW_ES_FUNC, f)); }
static inline uint32_t xw_func_code(const xw_module *m, uint32_t f) { return xw_rd32(XW_ENT(m, XW_SEC_FUNCS, XW_ES_FUNC, f) + 4); }
static inline uint32_t xw_func_entry(const xw_module *m, uint32_t f) { return xw_rd32(XW_ENT(m, XW_SEC_FUNCS, XW_ES_FUNC, f) + 8); }
/* A name field (off, len) equals the bytes s[0..n) (Wasm names may contain NUL, so lengths, not strcmp). */
static inline int xw_name_eq(const xw_module *m, const uint8_t *field, const char *s, size_t n) {
  return xw_rd32(field + 4) == n && memcmp(xw_mod_str(m, xw_rd32(field)), s, n) == 0;
}
static inline uint32_t xw_valtype_size(uint32_t t) { return (t == XW_I64 || t == XW_F64) ? 8u : 4u; }

/* Both signatures equal (parameter and result types). */
int xw_sig_equal(const xw_module *a, uint32_t ta, const xw_module *b, uint32_t tb);

/* ---- messages and traps (trap.c) ---- */
/* Sets ctx's message (printf-like: %s, %u uint32_t, %z size_t, %x uint32_t in hex, %n name+length) and
   returns `code`; does nothing but return `code` when ctx is NULL. */
xw_result xw_fail(xw_context *ctx, xw_result code, const char *fmt, ...);
/* Appends to ctx's message and returns `code`. */
xw_result xw_append(xw_context *ctx, xw_result code, const char *fmt, ...);

#define XW_UNWIND_TRAP 1
#define XW_UNWIND_EXIT 2
typedef struct xw_call_frame {
  jmp_buf jb;
  uintptr_t floor;           /* the call's stack limit; nested calls stay above it */
  struct xw_call_frame *prev;
  xw_instance *inst;         /* the instance the call entered */
  void *attachment;          /* the context's native attachment when the call began (restored by a trap) */
} xw_call_frame;
/* End the innermost call of ctx with a trap (message "trap: <text>[: detail]") or a WASI exit. */
XW_NORETURN_FN void xw_trap_ctx(xw_context *ctx, uint32_t code, const char *detail);
/* The same for a trap in the code of env (whose call stack xw_trap_call_stack then gives). */
XW_NORETURN_FN void xw_trap_env(xw_context *ctx, xw_exec_env *env, uint32_t code, const char *detail);
XW_NORETURN_FN void xw_exit_ctx(xw_context *ctx, int32_t status);
/* Ends the innermost call with trap `code` in the code of env (NULL: unknown), keeping the message the caller has
   just set. */
XW_NORETURN_FN void xw_unwind_trap(xw_context *ctx, xw_exec_env *env, uint32_t code);
/* Traps "interrupted" when xw_interrupt asked for it and a call is running. */
#if XW_ENABLE_INTERRUPT
void xw_poll_interrupt(xw_context *ctx);
#else
#define xw_poll_interrupt(ctx) ((void)(ctx))
#endif
/* Runs entry(env, slots, code) under a trap frame of inst's context; returns XW_OK, XW_ERR_TRAP or XW_ERR_EXIT.
   `native`: entry is a C function (an import's raw function), not an address in the text. */
xw_result xw_run_entry(xw_instance *inst, xw_entry_fn entry, xw_exec_env *env, uint64_t *slots, const void *code, int native);

/* ---- type ids (instance.c) ---- */
void *xw_global_cell(const xw_instance *inst, uint32_t g);
uint32_t xw_canonical_type(xw_context *ctx, const xw_module *m, uint32_t t); /* 0 when the context's table is full */
/* "(i32, i64) -> f32": the Wasm type t of m, for messages. */
const char *xw_type_text(const xw_module *m, uint32_t t, char *buf, size_t size);

/* ---- natives by signature (natives.c) ---- */
/* Checks a WAMR signature string; returns NULL or what is wrong with it. */
const char *xw_native_sig_error(const char *sig);
/* 1 when the signature string fits the Wasm type t of m. */
int xw_native_sig_matches(const char *sig, const xw_module *m, uint32_t t);
/* The raw import function that calls a native (data: the const xw_native_symbol). */
void xw_native_call(xw_exec_env *env, uint64_t *slots, const void *data);

/* ---- WASI (wasi.c, XW_ENABLE_WASI) ---- */
#if XW_ENABLE_WASI
/* The raw function for wasi_snapshot_preview1.<name> of the Wasm type t of m, or NULL with *why set. */
xw_raw_fn xw_wasi_lookup(const char *name, size_t len, const xw_module *m, uint32_t t, const char **expected);
/* By name alone, with its signature string (tests); and how many functions there are. */
xw_raw_fn xw_wasi_find(const char *name, const char **sig);
uint32_t xw_wasi_count(void);
#endif

/* ---- the runtime helpers compiled code calls (helpers.c, trap.c); docs/abi.md §7 ---- */
XW_NORETURN_FN void xw_trap(xw_exec_env *env, uint32_t code);
int32_t xw_memory_grow(xw_exec_env *env, uint32_t delta_pages);
void xw_memory_fill(xw_exec_env *env, uint32_t dst, uint32_t value, uint32_t n);
void xw_memory_copy(xw_exec_env *env, uint32_t dst, uint32_t src, uint32_t n);
void xw_memory_init(xw_exec_env *env, uint32_t seg, uint32_t dst, uint32_t src, uint32_t n);
void xw_data_drop(xw_exec_env *env, uint32_t seg);
uint32_t xw_table_get(xw_exec_env *env, uint32_t table, uint32_t idx);
void xw_table_set(xw_exec_env *env, uint32_t table, uint32_t idx, uint32_t ref);
uint32_t xw_table_size(xw_exec_env *env, uint32_t table);
int32_t xw_table_grow(xw_exec_env *env, uint32_t table, uint32_t init, uint32_t delta);
void xw_table_fill(xw_exec_env *env, uint32_t table, uint32_t idx, uint32_t ref, uint32_t n);
void xw_table_copy(xw_exec_env *env, uint32_t dst_table, uint32_t src_table, uint32_t dst, uint32_t src, uint32_t n);
void xw_table_init(xw_exec_env *env, uint32_t table, uint32_t seg, uint32_t dst, uint32_t src, uint32_t n);
void xw_elem_drop(xw_exec_env *env, uint32_t seg);

/* The segment helpers' bodies, shared with instantiation (return a trap code or 0). */
uint32_t xw_do_memory_init(xw_instance *inst, uint32_t seg, uint32_t dst, uint32_t src, uint32_t n);
uint32_t xw_do_table_init(xw_instance *inst, uint32_t table, uint32_t seg, uint32_t dst, uint32_t src, uint32_t n);

/* ---- loader.c ---- */
uint32_t xw_crc32_update(uint32_t crc, const uint8_t *p, size_t n);

/* ---- native symbols (symbols.c) ---- */
extern const void *const xw_native_symbols[];
extern const char *const xw_native_symbol_names[];
extern const uint32_t xw_native_symbol_count;

#endif /* XW_INTERNAL_H */

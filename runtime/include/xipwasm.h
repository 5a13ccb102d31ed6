/*
 * xipwasm device runtime: the only public header.
 *
 * Loads an xipwasm AOT image in place (the text is never copied or written),
 * instantiates it into RAM the caller provides, and calls its exports.
 * No dynamic allocation: every object lives in storage the caller owns.
 *
 * Every function returns XW_OK (0) or an error code; xw_last_message() gives
 * a one-line human-readable message for the most recent error or trap.
 */
#ifndef XIPWASM_H
#define XIPWASM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define XW_ABI_VERSION 1u

/* ---- results ---------------------------------------------------------- */
typedef enum {
  XW_OK = 0,
  /* load */
  XW_ERR_TRUNCATED = 1,       /* image shorter than its header or a section says */
  XW_ERR_BAD_MAGIC = 2,
  XW_ERR_BAD_VERSION = 3,     /* format or ABI version not supported */
  XW_ERR_CHECKSUM = 4,        /* integrity check failed */
  XW_ERR_TARGET = 5,          /* target/CPU/feature/float ABI does not match this runtime */
  XW_ERR_MALFORMED = 6,       /* an offset, count or index is out of range */
  XW_ERR_MISSING_SYMBOL = 7,  /* the image needs a native symbol this runtime lacks */
  XW_ERR_ALIGNMENT = 8,       /* image or text not suitably aligned */
  /* link / instantiate */
  XW_ERR_UNLINKABLE = 20,     /* an import is missing or has the wrong type */
  XW_ERR_NO_ROOM = 21,        /* the RAM the caller gave is too small */
  XW_ERR_UNINSTANTIABLE = 22, /* a segment is out of bounds, or the start function trapped */
  XW_ERR_LIMIT = 23,          /* a configured capacity (types, tables, ...) is exceeded */
  /* call */
  XW_ERR_NO_EXPORT = 30,      /* no exported function of that name */
  XW_ERR_SIGNATURE = 31,      /* argument/result count or types differ from the export's */
  XW_ERR_TRAP = 40            /* the call trapped; xw_last_trap() gives the code */
} xw_result;

typedef enum {
  XW_TRAP_NONE = 0,
  XW_TRAP_UNREACHABLE = 1,
  XW_TRAP_MEMORY_OOB = 2,
  XW_TRAP_TABLE_OOB = 3,
  XW_TRAP_UNDEFINED_ELEMENT = 4,
  XW_TRAP_UNINITIALIZED_ELEMENT = 5,
  XW_TRAP_INDIRECT_TYPE_MISMATCH = 6,
  XW_TRAP_DIV_BY_ZERO = 7,
  XW_TRAP_INTEGER_OVERFLOW = 8,
  XW_TRAP_INVALID_CONVERSION = 9,
  XW_TRAP_STACK_EXHAUSTED = 10,
  XW_TRAP_HOST = 11
} xw_trap_code;

/* ---- values ----------------------------------------------------------- */
typedef enum {
  XW_I32 = 0x7f, XW_I64 = 0x7e, XW_F32 = 0x7d, XW_F64 = 0x7c,
  XW_FUNCREF = 0x70, XW_EXTERNREF = 0x6f
} xw_valtype;

typedef struct {
  uint8_t type; /* xw_valtype */
  union { int32_t i32; int64_t i64; float f32; double f64; uint32_t ref; uint32_t f32_bits; uint64_t f64_bits; } of;
} xw_value;

/* ---- objects (contents private; declared here so callers can own the storage) ---- */
typedef struct xw_exec_env xw_exec_env;

typedef struct {
  const uint8_t *image;      /* the AOT image, in place */
  uint32_t image_size;
  const uint8_t *text;       /* start of the text inside the image */
  uint32_t text_size;
  const uint8_t *sections[16];  /* loader's bounded views of the sections, by section id (docs/aot-format.md) */
  uint32_t section_sizes[16];
  uint32_t counts[16];
  uint32_t num_imported[4];  /* imported functions, tables, memories, globals */
  uint32_t globals_size;
  uint32_t start_func;       /* 0xFFFFFFFF: none */
  uint32_t flags;            /* XIP flags of the header */
} xw_module;

typedef void (*xw_raw_fn)(xw_exec_env *env, uint64_t *slots, const void *data);

/* A host function for an import, registered by module name, field name and signature.
   `signature` is "params->results" with one letter per value: i I f F r e
   (i32, i64, f32, f64, funcref, externref), e.g. "ii->i", "->", "I->fF". */
typedef struct {
  const char *module;
  const char *name;
  const char *signature;
  xw_raw_fn fn;
  const void *data;
} xw_host_func;

typedef struct xw_instance xw_instance; /* lives at the start of the caller's RAM arena */

typedef struct {
  void *ram;                  /* arena for the instance: env, memory, globals, tables, ... (8-byte aligned) */
  size_t ram_size;
  uint32_t max_memory_pages;  /* memory.grow never goes beyond this (nor the module's maximum); in the memory's
                                own pages: 64 KiB, or 1 byte with the custom-page-sizes proposal */
  uint32_t stack_budget;      /* bytes of native stack a call may use; 0 = runtime default */
  const xw_host_func *host_funcs;
  uint32_t host_func_count;
  void *user_data;            /* returned by xw_env_user_data() inside host functions */
} xw_config;

/* ---- API ---------------------------------------------------------------- */

/* Checks the image in place (format, version, target, CPU, float ABI, integrity, native symbols, every offset and
   count) and fills `mod`. Nothing is copied; `image` must stay mapped while the module is used. */
xw_result xw_load(xw_module *mod, const uint8_t *image, size_t size);

/* Links imports, lays the instance out in cfg->ram, initializes memory, globals, tables, data and elem segments,
   and runs the start function. */
xw_result xw_instantiate(xw_instance **out, const xw_module *mod, const xw_config *cfg);

/* Bytes of RAM an instance of `mod` needs with at most `max_memory_pages` pages of linear memory (pages of the
   module's memory: 64 KiB, or 1 byte for a memory declared with (pagesize 1)). */
size_t xw_instance_ram_size(const xw_module *mod, uint32_t max_memory_pages);

/* Calls an exported function. The argument types must match the export's signature; `results` receives
   the results (their count must match). Returns XW_ERR_TRAP if the call trapped. */
xw_result xw_call_n(xw_instance *inst, const char *export_name, size_t name_len,
                    const xw_value *args, uint32_t nargs, xw_value *results, uint32_t nresults);

/* xw_call_n with a NUL-terminated name (xw_call_n also takes names that contain NUL). */
static inline xw_result xw_call(xw_instance *inst, const char *export_name,
                                const xw_value *args, uint32_t nargs, xw_value *results, uint32_t nresults) {
  size_t n = 0;
  if (export_name != NULL) while (export_name[n] != '\0') n++;
  return xw_call_n(inst, export_name, n, args, nargs, results, nresults);
}

/* Reads an exported global (any type; refs as their 32-bit handle). */
xw_result xw_get_global(xw_instance *inst, const char *export_name, xw_value *out);

/* Registers the exports of an instance under a module name, so that later instantiations can import them
   (functions, globals, tables, memories). At most XW_MAX_REGISTERED instances; `module_name` is kept by
   pointer and must stay valid. Registering a name again replaces the instance. */
xw_result xw_register(xw_instance *inst, const char *module_name);

/* Inside a host function: the calling instance's memory, user data, and a way to trap. */
uint8_t *xw_env_memory(xw_exec_env *env, uint32_t *size_bytes);
void *xw_env_user_data(xw_exec_env *env);
void xw_env_trap(xw_exec_env *env, const char *message);

/* Forgets every registered instance and canonical signature (they point into images and arenas).
   Call it before reusing the memory of images or instances, e.g. between tests. */
void xw_reset(void);

/* Diagnostics for the most recent error or trap. */
const char *xw_last_message(void);
xw_trap_code xw_last_trap(void);
const char *xw_trap_message(xw_trap_code code);

/* ---- platform hooks (the embedder may override; see runtime/src/config.h) ---- */
/* Reads the current stack pointer (used to set the stack limit of a call). */
uintptr_t xw_platform_stack_pointer(void);

#ifdef __cplusplus
}
#endif
#endif /* XIPWASM_H */

/*
 * xipwasm device runtime: the only public header.
 *
 * Loads an xipwasm AOT image in place (the text is never copied or written),
 * instantiates it into RAM the caller provides, and calls its exports.
 * No dynamic allocation: every object lives in storage the caller owns.
 *
 * Errors: every function that can fail returns XW_OK (0) or an xw_result code, and leaves a one-line message
 * naming what was expected and what was given in its context: xw_last_message(ctx). There is no global
 * mutable state: a context (xw_context) holds the active calls, the last trap and message, the registry of
 * named instances and native functions, and an interrupt request. Concurrency rules: docs/embedding.md and
 * the "Threads and interrupts" note at xw_context below.
 */
#ifndef XIPWASM_H
#define XIPWASM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The ABI of docs/abi.md this runtime implements. Version 2 adds exec_env->frames (§11), which only code built
   with --enable-dump-call-stack uses; every other image says version 1, and this runtime runs both. */
#define XW_ABI_VERSION 2u
#define XW_ABI_VERSION_MIN 1u

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
  XW_ERR_TRAP = 40,           /* the call trapped; xw_last_trap(ctx) gives the code */
  XW_ERR_EXIT = 41,           /* the module called WASI proc_exit; xw_exit_code(ctx) gives the status */
  /* API use */
  XW_ERR_ARGUMENT = 50,       /* a NULL or otherwise invalid argument to an API function */
  XW_ERR_BUSY = 51            /* the object is in use (e.g. a registration node already linked) */
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
  XW_TRAP_HOST = 11,          /* a host function trapped (xw_env_trap); the message says why */
  XW_TRAP_INTERRUPTED = 12    /* xw_interrupt() stopped the call */
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
typedef struct xw_instance xw_instance; /* lives at the start of the caller's RAM arena */

#define XW_MESSAGE_CAPACITY 160u  /* bytes of a context's message buffer (longer messages are cut) */
#define XW_CONTEXT_BIG_TYPES 8u   /* signatures of more than 9 values a context can number (smaller ones need no storage) */
/* Frames of the call stack a context keeps from its last trap (xw_trap_call_stack; the innermost ones when the
   stack is deeper). 0 removes the walk and the storage. It sizes xw_context: give the runtime and every file that
   includes this header the same value. */
#ifndef XW_CALL_STACK_CAPACITY
#define XW_CALL_STACK_CAPACITY 16u
#endif

struct xw_call_frame;
struct xw_module;
struct xw_registration;
struct xw_native_group;

/*
 * An execution context: the unit of concurrency. It holds the chain of active calls (for traps), the last
 * trap code, exit status and message, the registry of named instances and native-function groups, and the
 * interrupt request. Initialize it with xw_context_init; the fields are private.
 *
 * Threads and interrupts:
 *  - Everything reachable from one context (its instances, and the instances they link to, which must
 *    share it) is used by one task at a time. Different contexts share nothing and may run in parallel tasks.
 *  - A host function may call into any instance, of its own context (nested call) or of another.
 *  - From an interrupt handler, or a task other than the one running the call, only xw_interrupt and
 *    xw_interrupt_from_isr may be used.
 */
typedef struct xw_context {
  struct xw_call_frame *frame;        /* innermost active call of this context */
  struct xw_registration *registry;   /* xw_register: named instances */
  struct xw_native_group *natives;    /* xw_register_natives */
  void *attachment;                   /* of the native function being called */
  volatile uint32_t interrupt;        /* set by xw_interrupt, polled at safe points */
  uint32_t trap;                      /* xw_trap_code of the last trap */
  int32_t exit_code;                  /* WASI proc_exit status of the last call that exited */
  uint32_t big_type_count;
  struct { const uint8_t *vec; uint16_t np, nr; } big_types[XW_CONTEXT_BIG_TYPES];
  char message[XW_MESSAGE_CAPACITY];
#if XW_CALL_STACK_CAPACITY > 0
  const struct xw_module *trap_module; /* the module whose functions trap_funcs numbers */
  uint32_t trap_depth;                 /* frames at the last trap (trap_funcs holds the innermost ones) */
  uint32_t trap_funcs[XW_CALL_STACK_CAPACITY];
#endif
} xw_context;

typedef struct xw_module {
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
  xw_context *load_context;  /* private: where xw_load reports */
} xw_module;

/* ---- host functions, raw form ---- */
typedef void (*xw_raw_fn)(xw_exec_env *env, uint64_t *slots, const void *data);

/* A host function for an import in the raw slot convention (docs/abi.md §4), given in xw_config.
   `signature` is "params->results" with one letter per value: i I f F r e
   (i32, i64, f32, f64, funcref, externref), e.g. "ii->i", "->", "I->fF". */
typedef struct {
  const char *module;
  const char *name;
  const char *signature;
  xw_raw_fn fn;
  const void *data;
} xw_host_func;

/* ---- host functions by signature (WAMR-compatible) ---- */
/*
 * A native C function `R fn(xw_exec_env *env, P1 a1, ...)` for an import, with a WAMR signature string
 * "(params)results": i i32 (int32_t), I i64 (int64_t), f f32 (float), F f64 (double);
 * `*` a guest pointer, checked and passed as a native pointer (void *): with `~` right after it the buffer's
 * length is that argument (uint32_t) and the whole buffer is checked, otherwise one byte is;
 * `$` a NUL-terminated string, checked to end inside linear memory, passed as const char *.
 * At most one result (i, I, f or F), e.g. "(ii)i", "(*~)", "($)I", "()". A pointer that fails its check traps
 * "out of bounds memory access" before the function runs. Up to 16 parameters.
 */
typedef struct {
  const char *symbol;     /* the import's field name */
  void *func_ptr;         /* the C function, cast to void * (as in WAMR's NativeSymbol) */
  const char *signature;
  void *attachment;       /* xw_native_attachment(env) inside the call */
} xw_native_symbol;

/* A caller-owned registration node (xw_register_natives); keep it alive while the context is used. */
typedef struct xw_native_group {
  const char *module_name;
  const xw_native_symbol *symbols;
  uint32_t count;
  struct xw_native_group *next;
} xw_native_group;

/* A caller-owned registry node for one name of an instance (xw_register_node). */
typedef struct xw_registration {
  const char *name;
  xw_instance *instance;
  struct xw_registration *next;
} xw_registration;

/* ---- WASI preview1 (built with XW_ENABLE_WASI=1; docs/embedding.md) ---- */
/* Platform hooks; any may be NULL (the WASI function that needs it then fails with ENOSYS, or EBADF for write). */
typedef struct {
  /* Writes len bytes to fd 1 (stdout) or 2 (stderr); returns the number written, or -1. */
  int32_t (*write)(void *user, uint32_t fd, const uint8_t *data, uint32_t len);
  /* Reads clock 0 (realtime, ns since 1970) or 1 (monotonic, ns); returns 0, or -1 if that clock is absent. */
  int32_t (*clock)(void *user, uint32_t clock_id, uint64_t *ns);
  /* Fills buf with len random bytes; returns 0, or -1. */
  int32_t (*random)(void *user, uint8_t *buf, uint32_t len);
  /* Sleeps ns nanoseconds (poll_oneoff on a clock); NULL: poll_oneoff waits by reading the monotonic clock. */
  void (*sleep)(void *user, uint64_t ns);
  /* Told the status when the module calls proc_exit (the call then ends with XW_ERR_EXIT). */
  void (*exit)(void *user, int32_t status);
  void *user;
  uint64_t clock_resolution_ns; /* what clock_res_get reports (0: 1000) */
} xw_wasi_hooks;

typedef struct {
  const xw_wasi_hooks *hooks;
  const char *const *argv;     /* argv[0] is the program name; kept by pointer */
  uint32_t argc;
  const char *const *environ;  /* "NAME=value" strings */
  uint32_t environ_count;
} xw_wasi_config;

typedef struct {
  void *ram;                  /* arena for the instance: env, memory, globals, tables, ... (8-byte aligned) */
  size_t ram_size;
  uint32_t max_memory_pages;  /* memory.grow never goes beyond this (nor the module's maximum); in the memory's
                                own pages: 64 KiB, or 1 byte with the custom-page-sizes proposal */
  uint32_t stack_budget;      /* bytes of native stack a call may use; 0 = runtime default */
  const xw_host_func *host_funcs;
  uint32_t host_func_count;
  void *user_data;            /* returned by xw_env_user_data() inside host functions */
  const xw_wasi_config *wasi; /* NULL: wasi_snapshot_preview1 imports are not provided */
} xw_config;

/* ---- API ---------------------------------------------------------------- */

/* Prepares a context (no registrations, no message). Call it again to forget every registration and
   numbered signature, e.g. before reusing the memory of images or instances. */
void xw_context_init(xw_context *ctx);

/* Checks the image in place (format, version, target, CPU, float ABI, integrity, native symbols, every offset and
   count) and fills `mod`. Nothing is copied; `image` must stay mapped while the module is used. Errors go to ctx. */
xw_result xw_load(xw_context *ctx, xw_module *mod, const uint8_t *image, size_t size);

/* Sets *size to the bytes of RAM an instance of `mod` needs with at most `max_memory_pages` pages of linear
   memory (pages of the module's memory: 64 KiB, or 1 byte for a memory declared with (pagesize 1); the module's
   own maximum wins when smaller). XW_ERR_LIMIT when the memory minimum is above the limit. */
xw_result xw_instance_ram_size(xw_context *ctx, const xw_module *mod, uint32_t max_memory_pages, size_t *size);

/* Links imports (cfg->host_funcs, then the context's native groups, then WASI, then instances registered in
   ctx), lays the instance out in cfg->ram, initializes memory, globals, tables, data and elem segments, and runs
   the start function. The instance belongs to ctx for its whole life. */
xw_result xw_instantiate(xw_context *ctx, xw_instance **out, const xw_module *mod, const xw_config *cfg);

/* The context an instance belongs to. */
xw_context *xw_instance_context(const xw_instance *inst);

/* Calls an exported function. The argument types must match the export's signature; `results` receives
   the results (their count must match). Returns XW_ERR_TRAP if the call trapped, XW_ERR_EXIT if it called
   WASI proc_exit; the instance stays usable after both. */
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

/* Registers the exports of an instance under a module name in its context, so that later instantiations in
   that context can import them (functions, globals, tables, memories). Uses a node inside the instance, so an
   instance has one such name (XW_ERR_BUSY for a second; use xw_register_node). `module_name` is kept by pointer.
   Registering a name again replaces the instance it names. No limit on the number of registrations. */
xw_result xw_register(xw_instance *inst, const char *module_name);
/* The same with a caller-owned node (for more names per instance); the node must outlive the registration. */
xw_result xw_register_node(xw_registration *node, xw_instance *inst, const char *module_name);

/* Registers native functions by signature under a module name in ctx (`group` is the caller's node, filled
   here). Every signature string is checked now: XW_ERR_ARGUMENT names a malformed one. */
xw_result xw_register_natives(xw_context *ctx, xw_native_group *group, const char *module_name,
                              const xw_native_symbol *symbols, uint32_t count);

/* Inside a host function: the calling instance's memory, user data, the native's attachment, and a way to trap
   (does not return; the call ends with XW_ERR_TRAP, code XW_TRAP_HOST, and "host trap: <message>"). */
uint8_t *xw_env_memory(xw_exec_env *env, uint32_t *size_bytes);
void *xw_env_user_data(xw_exec_env *env);
void *xw_native_attachment(xw_exec_env *env);
xw_instance *xw_env_instance(xw_exec_env *env);
void xw_env_trap(xw_exec_env *env, const char *message);

/* Stops the call running in inst's context: it ends with XW_ERR_TRAP, code XW_TRAP_INTERRUPTED, at the next safe
   point (a runtime helper such as memory.fill/copy, a WASI or native function's return, or the next
   xw_interrupt_from_isr). Safe from an interrupt handler or another task; no effect when no call runs. */
void xw_interrupt(xw_instance *inst);   /* absent when the runtime is built with XW_ENABLE_INTERRUPT=0 */
/* Cortex-M and RV32, from an exception handler (e.g. a timer): as xw_interrupt, and when the interrupted code
   (Cortex-M: the exception frame `frame` as stacked by the hardware: r0-r3, r12, lr, pc, xPSR; RV32: the frame
   the handler saved on the interrupted stack, frame[0] = mepc, frame[k] = x<k> for k = 1..31, restored from it
   before mret) is compiled code of an instance of that context, makes the exception return into the runtime's
   trap path. Returns 1 when it did, 0 when the
   call must be caught at a later safe point (call it again on the next tick). Rules: docs/embedding.md. */
int xw_interrupt_from_isr(xw_instance *inst, uint32_t *frame);   /* absent with XW_ENABLE_INTERRUPT=0 */

/* Diagnostics of the most recent error, trap or exit in ctx. */
const char *xw_last_message(const xw_context *ctx);
xw_trap_code xw_last_trap(const xw_context *ctx);
int32_t xw_exit_code(const xw_context *ctx);
const char *xw_trap_message(xw_trap_code code);
const char *xw_result_name(xw_result r);

/* The WebAssembly call stack at the last trap in ctx (a call that returned XW_ERR_TRAP, or an instantiation whose
   start function trapped), innermost first, as function indices of *mod (the Wasm index space: imports first; an
   import is listed when its host function, or what it called, trapped). Fills funcs[0 .. min(depth, capacity))
   and returns the depth. Only code compiled with --enable-dump-call-stack (wamrc's flag) keeps the frame records
   this needs: without it, and in a runtime built with XW_CALL_STACK_CAPACITY 0, the depth is 0. When another
   instance called into the one that trapped, the stack ends at that instance's entry. `mod` may be NULL. */
uint32_t xw_trap_call_stack(const xw_context *ctx, uint32_t *funcs, uint32_t capacity, const xw_module **mod);

/* A name of function `func` of mod for diagnostics (not NUL-free: use *len): its name in the module's name section,
   else the name of an export of it, else for an import its field name; NULL when it has none. */
const char *xw_func_name(const xw_module *mod, uint32_t func, size_t *len);

/* ---- platform hooks (the embedder may override; see runtime/src/config.h) ---- */
/* Reads the current stack pointer (used to set the stack limit of a call). */
uintptr_t xw_platform_stack_pointer(void);

#ifdef __cplusplus
}
#endif
#endif /* XIPWASM_H */

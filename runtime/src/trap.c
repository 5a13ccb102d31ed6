/*
 * Traps and messages: the one table of trap messages (the spec's wording), the per-context message buffer,
 * and the non-local exit from compiled code back to the call that is running. Nothing here is global: the
 * active calls are a chain of frames on the caller's stack, headed in the instance's context.
 */
#include <stdarg.h>
#include "internal.h"
#include "intrinsics.h"

#ifdef XW_ENTRY_HOOK
void XW_ENTRY_HOOK(xw_exec_env *env, uint64_t *slots, const void *entry, const void *code);
#endif

#define XW_TRAP_TABLE(X) \
  X(XW_TRAP_NONE, "no trap") \
  X(XW_TRAP_UNREACHABLE, "unreachable") \
  X(XW_TRAP_MEMORY_OOB, "out of bounds memory access") \
  X(XW_TRAP_TABLE_OOB, "out of bounds table access") \
  X(XW_TRAP_UNDEFINED_ELEMENT, "undefined element") \
  X(XW_TRAP_UNINITIALIZED_ELEMENT, "uninitialized element") \
  X(XW_TRAP_INDIRECT_TYPE_MISMATCH, "indirect call type mismatch") \
  X(XW_TRAP_DIV_BY_ZERO, "integer divide by zero") \
  X(XW_TRAP_INTEGER_OVERFLOW, "integer overflow") \
  X(XW_TRAP_INVALID_CONVERSION, "invalid conversion to integer") \
  X(XW_TRAP_STACK_EXHAUSTED, "call stack exhausted") \
  X(XW_TRAP_HOST, "host trap") \
  X(XW_TRAP_INTERRUPTED, "interrupted")

#define XW_TRAP_TEXT(code, text) text,
static const char *const trap_messages[] = { XW_TRAP_TABLE(XW_TRAP_TEXT) };
#define XW_TRAP_COUNT (sizeof trap_messages / sizeof trap_messages[0])

const char *xw_trap_message(xw_trap_code code) {
  return (uint32_t)code < XW_TRAP_COUNT ? trap_messages[code] : "unknown trap";
}

const char *xw_result_name(xw_result r) {
  switch (r) {
    case XW_OK: return "ok";
    case XW_ERR_TRUNCATED: return "truncated";
    case XW_ERR_BAD_MAGIC: return "bad magic";
    case XW_ERR_BAD_VERSION: return "bad version";
    case XW_ERR_CHECKSUM: return "checksum";
    case XW_ERR_TARGET: return "target mismatch";
    case XW_ERR_MALFORMED: return "malformed";
    case XW_ERR_MISSING_SYMBOL: return "missing symbol";
    case XW_ERR_ALIGNMENT: return "alignment";
    case XW_ERR_UNLINKABLE: return "unlinkable";
    case XW_ERR_NO_ROOM: return "no room";
    case XW_ERR_UNINSTANTIABLE: return "uninstantiable";
    case XW_ERR_LIMIT: return "limit";
    case XW_ERR_NO_EXPORT: return "no export";
    case XW_ERR_SIGNATURE: return "signature";
    case XW_ERR_TRAP: return "trap";
    case XW_ERR_EXIT: return "exit";
    case XW_ERR_ARGUMENT: return "argument";
    case XW_ERR_BUSY: return "busy";
    default: return "unknown";
  }
}

void xw_context_init(xw_context *ctx) {
  if (ctx != NULL) memset(ctx, 0, sizeof *ctx);
}

const char *xw_last_message(const xw_context *ctx) { return ctx != NULL ? ctx->message : ""; }
xw_trap_code xw_last_trap(const xw_context *ctx) { return ctx != NULL ? (xw_trap_code)ctx->trap : XW_TRAP_NONE; }
int32_t xw_exit_code(const xw_context *ctx) { return ctx != NULL ? ctx->exit_code : 0; }

/* ---- the message formatter: %s, %u (uint32_t), %z (size_t), %x (uint32_t, 0x...), %n (name: const char *, size_t) ---- */
typedef struct { char *buf; size_t at; } sink;

static void put_char(sink *s, char c) {
  if (s->at + 1 < XW_MESSAGE_CAPACITY) s->buf[s->at++] = c;
  s->buf[s->at] = '\0';
}

static void put_str(sink *s, const char *p, size_t n) {
  size_t i;
  for (i = 0; i < n && p[i] != '\0'; i++) put_char(s, p[i]);
}

/* uintptr_t, not a 64-bit type: a 32-bit target then needs no 64-bit division routine */
static void put_num(sink *s, uintptr_t v, unsigned base) {
  char tmp[24];
  int n = 0;
  do { tmp[n++] = "0123456789abcdef"[v % base]; v /= base; } while (v != 0);
  if (base == 16) { put_char(s, '0'); put_char(s, 'x'); }
  while (n > 0) put_char(s, tmp[--n]);
}

static void format(sink *s, const char *fmt, va_list ap) {
  for (; *fmt != '\0'; fmt++) {
    if (*fmt != '%' || fmt[1] == '\0') { put_char(s, *fmt); continue; }
    switch (*++fmt) {
      case 's': { const char *p = va_arg(ap, const char *); put_str(s, p != NULL ? p : "(null)", (size_t)-1); break; }
      case 'n': { const char *p = va_arg(ap, const char *); size_t n = va_arg(ap, size_t); put_str(s, p, n); break; }
      case 'u': put_num(s, va_arg(ap, uint32_t), 10); break;
      case 'z': put_num(s, (uintptr_t)va_arg(ap, size_t), 10); break;
      case 'x': put_num(s, va_arg(ap, uint32_t), 16); break;
      default: put_char(s, *fmt); break;
    }
  }
}

xw_result xw_fail(xw_context *ctx, xw_result code, const char *fmt, ...) {
  sink s;
  va_list ap;
  if (ctx == NULL) return code;
  s.buf = ctx->message;
  s.at = 0;
  s.buf[0] = '\0';
  va_start(ap, fmt);
  format(&s, fmt, ap);
  va_end(ap);
  return code;
}

xw_result xw_append(xw_context *ctx, xw_result code, const char *fmt, ...) {
  sink s;
  va_list ap;
  if (ctx == NULL) return code;
  s.buf = ctx->message;
  s.at = strlen(ctx->message);
  va_start(ap, fmt);
  format(&s, fmt, ap);
  va_end(ap);
  return code;
}

/* ---- the call stack at a trap (docs/abi.md §11) ---- */
#if XW_CALL_STACK_CAPACITY > 0
/* The outermost active call's frame: every frame record of an active call lies below it. */
static uintptr_t records_ceiling(const xw_context *ctx) {
  const xw_call_frame *f = ctx->frame;
  while (f->prev != NULL) f = f->prev;
  return (uintptr_t)f;
}

/* A record may be followed when it lies above the previous one (the stack grows down), below the ceiling, and
   word-aligned: a chain that a trap left behind in an instance it unwound is cut there, never followed into
   memory that is no longer a frame. */
static int record_ok(const xw_frame_record *r, uintptr_t above, uintptr_t ceiling) {
  uintptr_t at = (uintptr_t)r;
  return at > above && at < ceiling && (at & 3u) == 0;
}

/* Keeps env's call stack for xw_trap_call_stack. Runs before the longjmp, while the records are intact. */
static void capture_frames(xw_context *ctx, const xw_exec_env *env) {
  const xw_module *m = XW_ENV_INST(env)->mod;
  uintptr_t above = xw_platform_stack_pointer(), ceiling = records_ceiling(ctx);
  const xw_frame_record *r;
  uint32_t n = 0;
  for (r = env->frames; r != NULL && record_ok(r, above, ceiling) && r->func < m->counts[XW_SEC_FUNCS]; r = r->prev) {
    if (n < XW_CALL_STACK_CAPACITY) ctx->trap_funcs[n] = r->func;
    n++;
    above = (uintptr_t)r;
  }
  ctx->trap_depth = n;
  ctx->trap_module = m;
}

/* The unwinding to the innermost call's frame ends every record below it: drop them from env's chain, so that a
   later call links to a live record (or none) rather than to a dead one. */
static void drop_dead_frames(const xw_context *ctx, xw_exec_env *env) {
  uintptr_t above = xw_platform_stack_pointer(), live = (uintptr_t)ctx->frame, ceiling = records_ceiling(ctx);
  const xw_frame_record *r = env->frames;
  while (r != NULL && (uintptr_t)r < live && record_ok(r, above, ceiling)) {
    above = (uintptr_t)r;
    r = r->prev;
  }
  env->frames = r != NULL && (uintptr_t)r < live ? NULL : r;
}

/* Before unwinding ctx's innermost call: keep the call stack of `env` (the code that trapped; NULL: the innermost
   call's instance), and cut the chains the unwinding ends, in every instance the call may have reached (the one
   it entered and the registered ones, through which instances call each other). */
static void unwind_frames(xw_context *ctx, xw_exec_env *env, int capture) {
  const xw_registration *reg;
  if (env == NULL) env = &ctx->frame->inst->env;
  if (capture) capture_frames(ctx, env);
  drop_dead_frames(ctx, env);
  drop_dead_frames(ctx, &ctx->frame->inst->env);
  for (reg = ctx->registry; reg != NULL; reg = reg->next) drop_dead_frames(ctx, &reg->instance->env);
}
#else
#define unwind_frames(ctx, env, capture) ((void)(ctx), (void)(env), (void)(capture))
#endif

uint32_t xw_trap_call_stack(const xw_context *ctx, uint32_t *funcs, uint32_t capacity, const xw_module **mod) {
#if XW_CALL_STACK_CAPACITY > 0
  uint32_t i;
  if (mod != NULL) *mod = ctx != NULL ? ctx->trap_module : NULL;
  if (ctx == NULL) return 0;
  for (i = 0; i < ctx->trap_depth && i < XW_CALL_STACK_CAPACITY && i < capacity && funcs != NULL; i++) funcs[i] = ctx->trap_funcs[i];
  return ctx->trap_depth;
#else
  (void)ctx; (void)funcs; (void)capacity;
  if (mod != NULL) *mod = NULL;
  return 0;
#endif
}

/* ---- leaving compiled code ---- */
/* Ends the innermost active call of ctx with a trap in the code of env (NULL: the innermost call's instance);
   the message is "trap: <spec text>[: detail]". */
XW_NORETURN_FN void xw_trap_env(xw_context *ctx, xw_exec_env *env, uint32_t code, const char *detail) {
  xw_call_frame *f = ctx->frame;
  ctx->trap = code < XW_TRAP_COUNT && code != 0 ? code : XW_TRAP_UNREACHABLE;
  if (detail != NULL) xw_fail(ctx, XW_ERR_TRAP, "trap: %s: %s", xw_trap_message((xw_trap_code)ctx->trap), detail);
  else xw_fail(ctx, XW_ERR_TRAP, "trap: %s", xw_trap_message((xw_trap_code)ctx->trap));
  if (f == NULL) {
    XW_PLATFORM_ABORT(); /* no call to return to: misuse (xw_env_trap outside a host function) */
  }
  unwind_frames(ctx, env, 1);
  longjmp(f->jb, XW_UNWIND_TRAP);
}

XW_NORETURN_FN void xw_trap_ctx(xw_context *ctx, uint32_t code, const char *detail) { xw_trap_env(ctx, NULL, code, detail); }

XW_NORETURN_FN void xw_unwind_trap(xw_context *ctx, xw_exec_env *env, uint32_t code) {
  ctx->trap = code;
  if (ctx->frame == NULL) {
    XW_PLATFORM_ABORT();
  }
  unwind_frames(ctx, env, 1);
  longjmp(ctx->frame->jb, XW_UNWIND_TRAP);
}

XW_NORETURN_FN void xw_exit_ctx(xw_context *ctx, int32_t status) {
  ctx->exit_code = status;
  ctx->trap = XW_TRAP_NONE;
  xw_fail(ctx, XW_ERR_EXIT, "exit: proc_exit(%u)", (uint32_t)status);
  if (ctx->frame == NULL) {
    XW_PLATFORM_ABORT();
  }
  unwind_frames(ctx, NULL, 0);
  longjmp(ctx->frame->jb, XW_UNWIND_EXIT);
}

void xw_trap(xw_exec_env *env, uint32_t code) { xw_trap_env(XW_ENV_CTX(env), env, code, NULL); }

/* WAMR's intrinsic signatures carry no exec_env, so an intrinsic cannot find the call to end. Compiled code
   makes every Wasm check before it calls an intrinsic (docs/abi.md §7), so this is reached only with a
   miscompiled image: stop rather than guess. */
void xw_intrinsic_trap(uint32_t code) {
  (void)code;
  XW_PLATFORM_ABORT();
}

void xw_env_trap(xw_exec_env *env, const char *message) {
  xw_trap_env(XW_ENV_CTX(env), env, XW_TRAP_HOST, message);
}

/* The flag stays set until the outermost call of the context ends, so every level of a nested call stops,
   not only the innermost. */
#if XW_ENABLE_INTERRUPT
void xw_poll_interrupt(xw_context *ctx) {
  if (ctx->interrupt && ctx->frame != NULL) xw_trap_ctx(ctx, XW_TRAP_INTERRUPTED, NULL);
}
#endif

xw_result xw_run_entry(xw_instance *inst, xw_entry_fn entry, xw_exec_env *env, uint64_t *slots, const void *code, int native) {
  xw_context *ctx = inst->ctx;
  xw_call_frame frame;
  uintptr_t sp, budget, limit;
  uintptr_t volatile saved_limit = env->stack_limit;
  const xw_frame_record *volatile saved_frames = env->frames;
  xw_call_frame *volatile outer = ctx->frame;
  int how;

  budget = inst->stack_budget;
  sp = xw_platform_stack_pointer();
  limit = sp > budget ? sp - budget + XW_STACK_RESERVE : XW_STACK_RESERVE;
  /* A nested call (host function calling back in) never gets below the outer call's floor. */
  if (outer != NULL && limit < outer->floor) limit = outer->floor;
  /* An interrupt requested while nothing ran is stale: it was meant for a call that has ended. */
  if (outer == NULL) ctx->interrupt = 0;
  env->stack_limit = limit;
  frame.floor = limit;
  frame.prev = outer;
  frame.inst = inst;
  frame.attachment = ctx->attachment;
  ctx->frame = &frame;
  how = setjmp(frame.jb);
  if (how != 0) {
    ctx->frame = outer;
    ctx->attachment = frame.attachment;
    if (outer == NULL) ctx->interrupt = 0;
    env->stack_limit = saved_limit;
    env->frames = saved_frames; /* the records the trap unwound are gone (§11) */
    return how == XW_UNWIND_EXIT ? XW_ERR_EXIT : XW_ERR_TRAP;
  }
#ifdef XW_ENTRY_HOOK
  if (!native) XW_ENTRY_HOOK(env, slots, (const void *)entry, code);
  else entry(env, slots, code);
#else
  (void)native;
  entry(env, slots, code);
#endif
  ctx->frame = outer;
  if (outer == NULL) ctx->interrupt = 0;
  env->stack_limit = saved_limit;
  return XW_OK;
}

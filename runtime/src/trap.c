/*
 * Traps and messages: the one table of trap messages (the spec's wording), the last-message
 * buffer, and the non-local exit from compiled code back to the call that is running.
 */
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
  X(XW_TRAP_HOST, "host trap")

#define XW_TRAP_TEXT(code, text) text,
static const char *const trap_messages[] = { XW_TRAP_TABLE(XW_TRAP_TEXT) };
#define XW_TRAP_COUNT (sizeof trap_messages / sizeof trap_messages[0])

static char last_message[XW_MESSAGE_SIZE];
xw_call_frame *xw_current_call;
xw_trap_code xw_trap_last;

const char *xw_trap_message(xw_trap_code code) {
  return (uint32_t)code < XW_TRAP_COUNT ? trap_messages[code] : "unknown trap";
}

const char *xw_last_message(void) { return last_message; }
xw_trap_code xw_last_trap(void) { return xw_trap_last; }

static size_t append(size_t at, const char *s) {
  while (s != NULL && *s != '\0' && at + 1 < sizeof last_message) last_message[at++] = *s++;
  last_message[at] = '\0';
  return at;
}

xw_result xw_fail(xw_result code, const char *a, const char *b, const char *c) {
  append(append(append(0, a), b), c);
  return code;
}

xw_result xw_append(xw_result code, const char *s) {
  append(strlen(last_message), s);
  return code;
}

/* Leaves compiled code for the innermost active call; the trap code travels through longjmp. */
static XW_NORETURN_FN void trap_out(uint32_t code, const char *detail) {
  xw_call_frame *f = xw_current_call;
  xw_trap_last = (xw_trap_code)(code < XW_TRAP_COUNT && code != 0 ? code : XW_TRAP_UNREACHABLE);
  append(append(append(0, "trap: "), xw_trap_message(xw_trap_last)), detail);
  if (f == NULL) {
    XW_PLATFORM_ABORT();
  }
  longjmp(f->jb, 1);
}

void xw_trap(xw_exec_env *env, uint32_t code) {
  (void)env;
  trap_out(code, NULL);
}

void xw_intrinsic_trap(uint32_t code) { trap_out(code, NULL); }

void xw_env_trap(xw_exec_env *env, const char *message) {
  (void)env;
  if (message != NULL) {
    xw_trap_last = XW_TRAP_HOST;
    append(append(0, "trap: host trap: "), message);
    if (xw_current_call == NULL) {
      XW_PLATFORM_ABORT();
    }
    longjmp(xw_current_call->jb, 1);
  }
  trap_out(XW_TRAP_HOST, NULL);
}

xw_result xw_run_entry(xw_instance *inst, xw_entry_fn entry, xw_exec_env *env, uint64_t *slots, const void *code, int native) {
  xw_call_frame frame;
  uintptr_t sp, budget, limit;
  uintptr_t volatile saved_limit = env->stack_limit;
  xw_call_frame *volatile outer = xw_current_call;

  budget = inst->stack_budget;
  sp = xw_platform_stack_pointer();
  limit = sp > budget ? sp - budget + XW_STACK_RESERVE : XW_STACK_RESERVE;
  /* A nested call (host function calling back in) never gets below the outer call's floor. */
  if (outer != NULL && limit < outer->floor) limit = outer->floor;
  env->stack_limit = limit;
  frame.floor = limit;
  frame.prev = outer;
  xw_current_call = &frame;
  if (setjmp(frame.jb) != 0) {
    xw_current_call = outer;
    env->stack_limit = saved_limit;
    return XW_ERR_TRAP;
  }
#ifdef XW_ENTRY_HOOK
  if (!native) XW_ENTRY_HOOK(env, slots, (const void *)entry, code);
  else entry(env, slots, code);
#else
  (void)native;
  entry(env, slots, code);
#endif
  xw_current_call = outer;
  env->stack_limit = saved_limit;
  return XW_OK;
}

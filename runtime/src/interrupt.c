/*
 * Stopping a running call (xw_interrupt). Compiled code polls nothing (the code generator is unchanged, so a
 * module that is never interrupted pays nothing), so the call is stopped in one of two ways:
 *  - the runtime's own long-running helpers (memory.fill/copy, in chunks) and the native/WASI adapters look at
 *    the context's flag and trap "interrupted";
 *  - on Cortex-M and RV32, xw_interrupt_from_isr, called from a timer's exception handler, rewrites the saved
 *    return address when the interrupted code is the module's compiled code running on the call's own stack, so the
 *    exception returns into the runtime's trap path (a longjmp to the call's frame). Compiled code holds no
 *    lock, no heap and no half-written runtime state, so leaving it at any instruction is safe; runtime C code
 *    (helpers, intrinsics, host functions) is never left that way: the next tick or a poll catches the call.
 * docs/embedding.md, "Stopping a call", gives the rules.
 */
#include "internal.h"

#if XW_ENABLE_INTERRUPT

void xw_interrupt(xw_instance *inst) {
  if (inst != NULL && inst->ctx->frame != NULL) inst->ctx->interrupt = 1;
}

#if (defined(__arm__) || (defined(__riscv) && __riscv_xlen == 32)) && (defined(__GNUC__) || defined(__clang__))
void xw_interrupt_escape_c(xw_context *ctx);
void xw_interrupt_escape_c(xw_context *ctx) { xw_trap_ctx(ctx, XW_TRAP_INTERRUPTED, NULL); }

void xw_interrupt_escape(void);
#if defined(__arm__)
/* Entered by the exception return with r0 = the context and any sp alignment: align sp to 8 for AAPCS, then
   go to the C side (through a register: Thumb-1 branches are short). Runs on the interrupted call's stack. */
__attribute__((naked)) void xw_interrupt_escape(void) {
  __asm__ volatile(
    ".syntax unified\n\t"
    "mov r1, sp\n\t"
    "lsrs r1, r1, #3\n\t"
    "lsls r1, r1, #3\n\t"
    "mov sp, r1\n\t"
    "ldr r1, =xw_interrupt_escape_c\n\t"
    "bx r1\n\t"
    ".ltorg\n\t");
}
/* The hardware's exception frame: r0-r3, r12, lr, pc, xPSR. */
#define FRAME_PC 6
#define FRAME_ARG0 0
#else
/* Entered by the trap return (mret) with a0 = the context and any sp alignment: align sp to 16 for the RISC-V
   ABI, then go to the C side. Runs on the interrupted call's stack. */
__attribute__((naked)) void xw_interrupt_escape(void) {
  __asm__ volatile(
    "andi sp, sp, -16\n\t"
    "tail xw_interrupt_escape_c\n\t");
}
/* The trap handler's frame (xipwasm.h): frame[0] = mepc, frame[k] = x<k>, so a0 is frame[10]. */
#define FRAME_PC 0
#define FRAME_ARG0 10
#endif

static int in_text(const xw_instance *inst, uint32_t pc) {
  const xw_module *m = inst->mod;
  uintptr_t t = (uintptr_t)m->text;
  return pc >= t && pc - t < m->text_size;
}

/* The interrupted pc is compiled code of an instance this context runs or can reach (the called instances
   and the registered ones, which are all its imports can reach). */
static int text_of_context(const xw_context *ctx, uint32_t pc) {
  const xw_call_frame *f;
  const xw_registration *r;
  for (f = ctx->frame; f != NULL; f = f->prev)
    if (in_text(f->inst, pc)) return 1;
  for (r = ctx->registry; r != NULL; r = r->next)
    if (in_text(r->instance, pc)) return 1;
  return 0;
}

int xw_interrupt_from_isr(xw_instance *inst, uint32_t *frame) {
  xw_context *ctx;
  const xw_call_frame *innermost, *outermost;
  uintptr_t at = (uintptr_t)frame;
  if (inst == NULL || frame == NULL) return 0;
  ctx = inst->ctx;
  innermost = ctx->frame;
  if (innermost == NULL) return 0;
  ctx->interrupt = 1;
  for (outermost = innermost; outermost->prev != NULL; outermost = outermost->prev) { }
  /* Only code running on this call's stack: between the call's stack limit (less the unchecked leaf reserve)
     and the outermost call's frame. Another task running the same module text on its own stack is left alone. */
  if (at < innermost->floor - XW_STACK_RESERVE || at >= (uintptr_t)outermost) return 0;
  if (!text_of_context(ctx, frame[FRAME_PC])) return 0;
  frame[FRAME_ARG0] = (uint32_t)(uintptr_t)ctx;                         /* the escape's argument */
  frame[FRAME_PC] = (uint32_t)(uintptr_t)xw_interrupt_escape & ~1u;     /* the return address */
#if defined(__arm__)
  frame[7] = (frame[7] & (1u << 9)) | (1u << 24);               /* xPSR: Thumb, no IT state; keep the realign bit */
#endif
  return 1;
}
#else
int xw_interrupt_from_isr(xw_instance *inst, uint32_t *frame) {
  (void)frame;
  xw_interrupt(inst);
  return 0;
}
#endif
#else
typedef int xw_interrupt_disabled; /* ISO C: a translation unit is not empty */
#endif /* XW_ENABLE_INTERRUPT */

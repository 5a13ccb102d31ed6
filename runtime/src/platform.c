/* Default platform hooks; an embedder that provides its own builds with -DXW_HAVE_PLATFORM_HOOKS=1. */
#include "internal.h"

#if !XW_HAVE_PLATFORM_HOOKS
uintptr_t xw_platform_stack_pointer(void) {
#if defined(__arm__) && (defined(__GNUC__) || defined(__clang__))
  uintptr_t sp;
  __asm__ volatile("mov %0, sp" : "=r"(sp));
  return sp;
#elif defined(__riscv) && (defined(__GNUC__) || defined(__clang__))
  uintptr_t sp;
  __asm__ volatile("mv %0, sp" : "=r"(sp));
  return sp;
#elif defined(__GNUC__) || defined(__clang__)
  /* The frame address is close enough to the stack pointer on hosts. */
  return (uintptr_t)__builtin_frame_address(0);
#else
  volatile char here = 0;
  volatile uintptr_t sp = (uintptr_t)&here;
  return sp;
#endif
}
#endif

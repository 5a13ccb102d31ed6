/* Links the runtime into a minimal Cortex-M program to measure its real flash cost (make -C runtime size).
   With -DXW_SIZE_BASELINE the program uses no runtime, so the difference is what the runtime adds. */
#include "xipwasm.h"

extern const uint8_t image[];
const uint8_t image[64] __attribute__((aligned(8))) = { 0 };
static uint64_t arena[1024];

int main(void) {
#ifndef XW_SIZE_BASELINE
  static xw_context ctx;
  xw_module mod;
  xw_instance *inst;
  xw_config cfg = { arena, sizeof arena, 1, 0, 0, 0, 0, 0 };
  xw_value args[1], res[1];
  args[0].type = XW_I32;
  args[0].of.i32 = 1;
  xw_context_init(&ctx);
  if (xw_load(&ctx, &mod, image, sizeof image) != XW_OK) return 1;
  if (xw_instantiate(&ctx, &inst, &mod, &cfg) != XW_OK) return 2;
  return (int)xw_call(inst, "f", args, 1, res, 1);
#else
  return (int)arena[0];
#endif
}

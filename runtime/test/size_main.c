/* Links the runtime into a minimal Cortex-M program to measure its real flash cost (make -C runtime size).
   With -DXW_SIZE_BASELINE the program uses no runtime, so the difference is what the runtime adds. The caller's
   objects (context, arena) are in both builds, so the difference in RAM is the runtime's own. */
#include "xipwasm.h"

extern const uint8_t image[];
const uint8_t image[64] __attribute__((aligned(8))) = { 0 };
xw_context size_ctx;
uint64_t size_arena[1024];

int main(void) {
#ifndef XW_SIZE_BASELINE
  xw_module mod;
  xw_instance *inst;
  xw_config cfg = { size_arena, sizeof size_arena, 1, 0, 0, 0, 0, 0 };
  xw_value args[1], res[1];
  args[0].type = XW_I32;
  args[0].of.i32 = 1;
  xw_context_init(&size_ctx);
  if (xw_load(&size_ctx, &mod, image, sizeof image) != XW_OK) return 1;
  if (xw_instantiate(&size_ctx, &inst, &mod, &cfg) != XW_OK) return 2;
  return (int)xw_call(inst, "f", args, 1, res, 1);
#else
  return (int)size_arena[0] + (int)((const unsigned char *)&size_ctx)[0];
#endif
}

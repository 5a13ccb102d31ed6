/*
 * libFuzzer target: any byte string through xw_load, and what loads through xw_instantiate
 * on a fixed arena, then every exported function through xw_call. The text is never run:
 * calls into it go to a hook that does nothing, so what is fuzzed is the runtime's own reading
 * of the image. Built by `make -C runtime fuzz`, run by scripts/fuzz-loader.sh.
 */
#include <stdlib.h>
#include "internal.h"

void xw_fuzz_entry_hook(xw_exec_env *env, uint64_t *slots, const void *entry, const void *code);
void xw_fuzz_entry_hook(xw_exec_env *env, uint64_t *slots, const void *entry, const void *code) {
  (void)env; (void)slots; (void)entry; (void)code;
}

static void host_fn(xw_exec_env *env, uint64_t *slots, const void *data) { (void)env; (void)slots; (void)data; }
static const xw_host_func hosts[] = {
  { "env", "add", "ii->i", host_fn, NULL },
  { "env", "f", "->", host_fn, NULL },
};

#define ARENA_SIZE (3u * 65536u)
static union { uint64_t align; uint8_t bytes[ARENA_SIZE]; } arena;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  /* an exact-size, 8-aligned copy so ASan sees any read past the end */
  uint8_t *img = (uint8_t *)malloc(size ? size : 1);
  xw_module mod;
  xw_instance *inst = NULL;
  xw_config cfg;
  uint32_t i;
  if (img == NULL) return 0;
  if (size) memcpy(img, data, size);
  xw_reset();
  if (xw_load(&mod, img, size) == XW_OK) {
    memset(&cfg, 0, sizeof cfg);
    cfg.ram = arena.bytes;
    cfg.ram_size = ARENA_SIZE;
    cfg.max_memory_pages = 2;
    cfg.host_funcs = hosts;
    cfg.host_func_count = 2;
    (void)xw_instance_ram_size(&mod, 0xFFFFFFFFu);
    if (xw_instantiate(&inst, &mod, &cfg) == XW_OK) {
      for (i = 0; i < mod.counts[XW_SEC_EXPORTS]; i++) {
        const uint8_t *e = XW_ENT(&mod, XW_SEC_EXPORTS, XW_ES_EXPORT, i);
        xw_value args[XW_MAX_CALL_VALUES], res[XW_MAX_CALL_VALUES];
        uint32_t t, k, np, nr;
        if (xw_rd8(e + 8) != XW_KIND_FUNC) continue;
        t = xw_func_type(&mod, xw_rd32(e + 12));
        np = xw_type_nparams(&mod, t);
        nr = xw_type_nresults(&mod, t);
        if (np > XW_MAX_CALL_VALUES || nr > XW_MAX_CALL_VALUES) continue;
        for (k = 0; k < np; k++) { args[k].type = xw_type_vec(&mod, t)[k]; args[k].of.i64 = 0; }
        (void)xw_call(inst, xw_mod_str(&mod, xw_rd32(e)), args, np, res, nr);
      }
    }
  }
  xw_reset();
  free(img);
  return 0;
}

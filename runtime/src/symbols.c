/*
 * The const native-symbol table compiled code calls through (docs/abi.md §7), and its names,
 * both expanded from the generated X-macro in xipwasm_symbols.h, so index i is symbol i.
 * With XW_ENABLE_INTRINSICS=0 only the runtime helpers are present; the loader refuses a file
 * that needs a missing intrinsic and names it.
 */
#include "internal.h"
#include "intrinsics.h"
#include "xipwasm_symbols.h"

#if XW_CHECK_SYMBOL_NAMES
#define XW_SYM_NAME(idx, name, ret, params, noreturn) #name,
const char *const xw_native_symbol_names[XW_SYM_COUNT] = { XW_FOR_EACH_SYMBOL(XW_SYM_NAME) };
#endif

#if XW_ENABLE_INTRINSICS
#define XW_SYM_ADDR(idx, name, ret, params, noreturn) (const void *)&name,
const void *const xw_native_symbols[XW_SYM_COUNT] = { XW_FOR_EACH_SYMBOL(XW_SYM_ADDR) };
#else
const void *const xw_native_symbols[XW_SYM_COUNT] = {
  (const void *)&xw_trap, (const void *)&xw_memory_grow, (const void *)&xw_memory_fill, (const void *)&xw_memory_copy,
  (const void *)&xw_memory_init, (const void *)&xw_data_drop, (const void *)&xw_table_get, (const void *)&xw_table_set,
  (const void *)&xw_table_size, (const void *)&xw_table_grow, (const void *)&xw_table_fill, (const void *)&xw_table_copy,
  (const void *)&xw_table_init, (const void *)&xw_elem_drop
};
#endif

const uint32_t xw_native_symbol_count = XW_SYM_COUNT;

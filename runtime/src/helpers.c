/*
 * The runtime helpers compiled code calls through the native-symbol table (docs/abi.md §7),
 * with the WebAssembly 2.0 semantics of memory.grow, bulk memory and table operations.
 * Argument order: immediates first (segment, table), then the operands in Wasm stack order.
 * Bounds are checked in 64-bit arithmetic, before any byte moves, and trap through xw_trap.
 */
#include "internal.h"

#define INST(env) XW_ENV_INST(env)

static int oob(uint64_t at, uint64_t n, uint64_t size) { return at + n > size; }

int32_t xw_memory_grow(xw_exec_env *env, uint32_t delta) {
  xw_memory *mem = env->memory;
  uint32_t old;
  if (mem == NULL) return -1;
  old = mem->size >> mem->page_shift; /* pages of 2^page_shift bytes (custom-page-sizes) */
  if (delta > mem->max_pages - old) return -1;
  if (delta > 0) {
    /* pages beyond the size were zeroed at instantiation only up to the minimum; max_pages << page_shift fits a u32 */
    memset(mem->base + mem->size, 0, (size_t)delta << mem->page_shift);
    XW_MEMORY_SET_SIZE(mem, mem->size + (delta << mem->page_shift));
  }
  return (int32_t)old;
}

/* memory.fill and memory.copy work in chunks of XW_POLL_CHUNK bytes and look at the context's interrupt flag
   between two (xw_interrupt: a fill of the whole memory is a long loop the timer cannot redirect, since its PC
   is in this C code, not in the module's text). */
void xw_memory_fill(xw_exec_env *env, uint32_t dst, uint32_t value, uint32_t n) {
  xw_memory *mem = env->memory;
  if (mem == NULL || oob(dst, n, mem->size)) xw_trap(env, XW_TRAP_MEMORY_OOB);
#if XW_ENABLE_INTERRUPT
  while (n > XW_POLL_CHUNK) {
    memset(mem->base + dst, (int)(value & 0xFFu), XW_POLL_CHUNK);
    dst += XW_POLL_CHUNK;
    n -= XW_POLL_CHUNK;
    xw_poll_interrupt(XW_ENV_CTX(env));
  }
#endif
  if (n) memset(mem->base + dst, (int)(value & 0xFFu), n);
}

void xw_memory_copy(xw_exec_env *env, uint32_t dst, uint32_t src, uint32_t n) {
  xw_memory *mem = env->memory;
  if (mem == NULL || oob(dst, n, mem->size) || oob(src, n, mem->size)) xw_trap(env, XW_TRAP_MEMORY_OOB);
#if XW_ENABLE_INTERRUPT
  /* chunk order keeps overlapping copies exact: front to back when dst <= src, back to front otherwise */
  while (n > XW_POLL_CHUNK) {
    n -= XW_POLL_CHUNK;
    if (dst <= src) {
      memmove(mem->base + dst, mem->base + src, XW_POLL_CHUNK);
      dst += XW_POLL_CHUNK;
      src += XW_POLL_CHUNK;
    } else {
      memmove(mem->base + dst + n, mem->base + src + n, XW_POLL_CHUNK);
    }
    xw_poll_interrupt(XW_ENV_CTX(env));
  }
#endif
  if (n) memmove(mem->base + dst, mem->base + src, n);
}

uint32_t xw_do_memory_init(xw_instance *inst, uint32_t seg, uint32_t dst, uint32_t src, uint32_t n) {
  const xw_module *m = inst->mod;
  const uint8_t *e;
  xw_memory *mem = inst->env.memory;
  uint32_t len;
  if (seg >= m->counts[XW_SEC_DATAS]) return XW_TRAP_MEMORY_OOB;
  e = XW_ENT(m, XW_SEC_DATAS, XW_ES_DATA, seg);
  len = inst->dropped[seg] ? 0 : xw_rd32(e + 20);
  if (mem == NULL || oob(src, n, len) || oob(dst, n, mem->size)) return XW_TRAP_MEMORY_OOB;
  if (n) memcpy(mem->base + dst, m->sections[XW_SEC_DATAS] + xw_rd32(e + 16) + src, n);
  return 0;
}

void xw_memory_init(xw_exec_env *env, uint32_t seg, uint32_t dst, uint32_t src, uint32_t n) {
  uint32_t trap = xw_do_memory_init(INST(env), seg, dst, src, n);
  if (trap) xw_trap(env, trap);
}

void xw_data_drop(xw_exec_env *env, uint32_t seg) {
  xw_instance *inst = INST(env);
  if (seg < inst->mod->counts[XW_SEC_DATAS]) inst->dropped[seg] = 1;
}

static xw_table *table_of(xw_exec_env *env, uint32_t t) {
  if (t >= INST(env)->mod->counts[XW_SEC_TABLES]) xw_trap(env, XW_TRAP_TABLE_OOB);
  return env->tables[t];
}

uint32_t xw_table_get(xw_exec_env *env, uint32_t table, uint32_t idx) {
  xw_table *t = table_of(env, table);
  if (idx >= t->size) xw_trap(env, XW_TRAP_TABLE_OOB);
  return t->elems[idx];
}

void xw_table_set(xw_exec_env *env, uint32_t table, uint32_t idx, uint32_t ref) {
  xw_table *t = table_of(env, table);
  if (idx >= t->size) xw_trap(env, XW_TRAP_TABLE_OOB);
  t->elems[idx] = ref;
}

uint32_t xw_table_size(xw_exec_env *env, uint32_t table) { return table_of(env, table)->size; }

int32_t xw_table_grow(xw_exec_env *env, uint32_t table, uint32_t init, uint32_t delta) {
  xw_table *t = table_of(env, table);
  uint32_t old = t->size, i;
  if (delta > t->max - old) return -1;
  for (i = 0; i < delta; i++) t->elems[old + i] = init;
  t->size = old + delta;
  return (int32_t)old;
}

void xw_table_fill(xw_exec_env *env, uint32_t table, uint32_t idx, uint32_t ref, uint32_t n) {
  xw_table *t = table_of(env, table);
  uint32_t i;
  if (oob(idx, n, t->size)) xw_trap(env, XW_TRAP_TABLE_OOB);
  for (i = 0; i < n; i++) t->elems[idx + i] = ref;
}

void xw_table_copy(xw_exec_env *env, uint32_t dst_table, uint32_t src_table, uint32_t dst, uint32_t src, uint32_t n) {
  xw_table *d = table_of(env, dst_table), *s = table_of(env, src_table);
  if (oob(dst, n, d->size) || oob(src, n, s->size)) xw_trap(env, XW_TRAP_TABLE_OOB);
  if (n) memmove(d->elems + dst, s->elems + src, (size_t)n * 4u);
}

uint32_t xw_do_table_init(xw_instance *inst, uint32_t table, uint32_t seg, uint32_t dst, uint32_t src, uint32_t n) {
  const xw_module *m = inst->mod;
  const uint8_t *e, *items;
  xw_table *t;
  uint32_t len, i;
  if (seg >= m->counts[XW_SEC_ELEMS] || table >= m->counts[XW_SEC_TABLES]) return XW_TRAP_TABLE_OOB;
  e = XW_ENT(m, XW_SEC_ELEMS, XW_ES_ELEM, seg);
  t = inst->env.tables[table];
  len = inst->dropped[m->counts[XW_SEC_DATAS] + seg] ? 0 : xw_rd32(e + 20);
  if (oob(src, n, len) || oob(dst, n, t->size)) return XW_TRAP_TABLE_OOB;
  items = m->sections[XW_SEC_ELEMS] + xw_rd32(e + 16);
  for (i = 0; i < n; i++) {
    uint32_t it = xw_rd32(items + 4u * (src + i)), ref;
    if (it == XW_ITEM_NULL) ref = 0;
    else if (it & XW_ITEM_GLOBAL) memcpy(&ref, xw_global_cell(inst, it & ~XW_ITEM_GLOBAL), 4);
    else ref = XW_REF_FROM_PTR(&inst->env.funcrefs[it]);
    t->elems[dst + i] = ref;
  }
  return 0;
}

void xw_table_init(xw_exec_env *env, uint32_t table, uint32_t seg, uint32_t dst, uint32_t src, uint32_t n) {
  uint32_t trap = xw_do_table_init(INST(env), table, seg, dst, src, n);
  if (trap) xw_trap(env, trap);
}

void xw_elem_drop(xw_exec_env *env, uint32_t seg) {
  xw_instance *inst = INST(env);
  if (seg < inst->mod->counts[XW_SEC_ELEMS]) inst->dropped[inst->mod->counts[XW_SEC_DATAS] + seg] = 1;
}

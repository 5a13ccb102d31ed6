/*
 * Instantiation: lays an instance out in the caller's arena, links its imports, initializes
 * memory, globals, tables and segments, and runs the start function (docs/abi.md §4-§6).
 *
 * Arena layout (each part 8-aligned):
 *   xw_instance (exec_env first) | type_ids | imports | imported_globals | table pointers |
 *   defined xw_table structs | table elements | funcref descriptors | func_ptrs (CALLS_VIA_TABLE) |
 *   globals | dropped-segment flags | linear memory (reserved up to its limit)
 */
#include "internal.h"
#include "xipwasm_symbols.h"

#if UINTPTR_MAX != 0xFFFFFFFFu
uintptr_t xw_host_ref_base;
uint32_t xw_host_ref_from_ptr(const void *p) {
  intptr_t d;
  if (p == NULL) return 0;
  d = (intptr_t)((uintptr_t)p - xw_host_ref_base);
  if (d < INT32_MIN || d > INT32_MAX || d == 0) {
    XW_PLATFORM_ABORT(); /* test setup error: arenas more than 2 GiB apart */
  }
  return (uint32_t)(int32_t)d;
}
#endif

/* ---- canonical type ids ----
 * Equal signatures must get equal ids in every instance that can exchange function references (docs/abi.md §5).
 * A signature of at most 9 values is numbered without any storage: (np + 1) in bits 0-3, then 3 bits per value
 * type (never 0), so the id is injective and below 2^31. Longer signatures are numbered by the context (bit 31
 * set), whose table points at the signatures in flash. Instances that link to each other share the context. */
static uint32_t type_code(uint8_t t) {
  switch (t) {
    case XW_I32: return 1;
    case XW_I64: return 2;
    case XW_F32: return 3;
    case XW_F64: return 4;
    case XW_FUNCREF: return 5;
    default: return 6;
  }
}

uint32_t xw_canonical_type(xw_context *ctx, const xw_module *m, uint32_t t) {
  const uint8_t *vec = xw_type_vec(m, t);
  uint32_t i, np = xw_type_nparams(m, t), nr = xw_type_nresults(m, t);
  if (np + nr <= 9u) {
    uint32_t id = np + 1u;
    for (i = 0; i < np + nr; i++) id |= type_code(vec[i]) << (4u + 3u * i);
    return id;
  }
  for (i = 0; i < ctx->big_type_count; i++)
    if (ctx->big_types[i].np == np && ctx->big_types[i].nr == nr && memcmp(ctx->big_types[i].vec, vec, np + nr) == 0)
      return 0x80000000u | i;
  if (ctx->big_type_count == XW_CONTEXT_BIG_TYPES) return 0;
  ctx->big_types[ctx->big_type_count].vec = vec;
  ctx->big_types[ctx->big_type_count].np = (uint16_t)np;
  ctx->big_types[ctx->big_type_count].nr = (uint16_t)nr;
  return 0x80000000u | ctx->big_type_count++;
}

int xw_sig_equal(const xw_module *a, uint32_t ta, const xw_module *b, uint32_t tb) {
  uint32_t np = xw_type_nparams(a, ta), nr = xw_type_nresults(a, ta);
  return np == xw_type_nparams(b, tb) && nr == xw_type_nresults(b, tb)
      && memcmp(xw_type_vec(a, ta), xw_type_vec(b, tb), np + nr) == 0;
}

static const char *valtype_name(uint8_t t) {
  switch (t) {
    case XW_I32: return "i32";
    case XW_I64: return "i64";
    case XW_F32: return "f32";
    case XW_F64: return "f64";
    case XW_FUNCREF: return "funcref";
    default: return "externref";
  }
}

const char *xw_type_text(const xw_module *m, uint32_t t, char *buf, size_t size) {
  const uint8_t *v = xw_type_vec(m, t);
  uint32_t np = xw_type_nparams(m, t), n = np + xw_type_nresults(m, t), i;
  size_t at = 0;
  const char *part;
#define XW_PUT(str) for (part = (str); *part != '\0' && at + 1 < size; ) buf[at++] = *part++
  XW_PUT("(");
  for (i = 0; i < n; i++) {
    if (i == np) XW_PUT(") -> (");
    else if (i > 0) XW_PUT(", ");
    XW_PUT(valtype_name(v[i]));
  }
  if (n == np) XW_PUT(") -> (");
  XW_PUT(")");
#undef XW_PUT
  buf[at] = '\0';
  return buf;
}

/* "ii->i": one letter per value (xipwasm.h). */
static uint8_t letter_type(char c) {
  switch (c) {
    case 'i': return XW_I32;
    case 'I': return XW_I64;
    case 'f': return XW_F32;
    case 'F': return XW_F64;
    case 'r': return XW_FUNCREF;
    case 'e': return XW_EXTERNREF;
    default: return 0;
  }
}

static int sig_matches_string(const xw_module *m, uint32_t t, const char *s) {
  const uint8_t *v = xw_type_vec(m, t);
  uint32_t np = xw_type_nparams(m, t), n = np + xw_type_nresults(m, t), i = 0;
  for (; *s != '\0'; s++) {
    if (*s == '-' && s[1] == '>' && i == np) { s++; np = 0xFFFFFFFFu; continue; }
    if (i >= n || v[i] != letter_type(*s)) return 0;
    i++;
  }
  return i == n && np == 0xFFFFFFFFu;
}

/* ---- layout ---- */
typedef struct {
  size_t type_ids, imports, imported_globals, table_ptrs, tables, elems, funcrefs, func_ptrs, globals, dropped, memory, total;
  uint32_t mem_limit_pages, mem_page_shift;
} xw_layout;

static size_t align8(size_t n) { return (n + 7u) & ~(size_t)7u; }

static uint32_t table_capacity(const xw_module *m, uint32_t t) {
  const uint8_t *e = XW_ENT(m, XW_SEC_TABLES, XW_ES_TABLE, t);
  uint32_t min = xw_rd32(e + 4), cap;
  if (xw_rd8(e + 1)) cap = xw_rd32(e + 8);
  else cap = min > 0xFFFFFFFFu - XW_TABLE_GROW_RESERVE ? 0xFFFFFFFFu : min + XW_TABLE_GROW_RESERVE;
  return cap > XW_MAX_TABLE_ELEMS ? XW_MAX_TABLE_ELEMS : cap;
}

static xw_result layout(xw_context *ctx, const xw_module *m, uint32_t max_pages, xw_layout *l) {
  uint64_t at = align8(sizeof(xw_instance)), mem_bytes = 0;
  uint32_t t, nt = m->counts[XW_SEC_TABLES], nti = m->num_imported[XW_KIND_TABLE];
  memset(l, 0, sizeof *l);
  l->type_ids = (size_t)at; at = align8((size_t)at + 4u * m->counts[XW_SEC_TYPES]);
  l->imports = (size_t)at; at += (uint64_t)sizeof(xw_import) * m->num_imported[XW_KIND_FUNC]; at = align8((size_t)at);
  l->imported_globals = (size_t)at; at += (uint64_t)sizeof(void *) * m->num_imported[XW_KIND_GLOBAL]; at = align8((size_t)at);
  l->table_ptrs = (size_t)at; at += (uint64_t)sizeof(xw_table *) * nt; at = align8((size_t)at);
  l->tables = (size_t)at; at += (uint64_t)sizeof(xw_table) * (nt - nti); at = align8((size_t)at);
  l->elems = (size_t)at;
  for (t = nti; t < nt; t++) {
    if (xw_rd32(XW_ENT(m, XW_SEC_TABLES, XW_ES_TABLE, t) + 4) > XW_MAX_TABLE_ELEMS)
      return xw_fail(ctx, XW_ERR_LIMIT, "table %u: minimum %u elements, XW_MAX_TABLE_ELEMS is %u", t,
                     xw_rd32(XW_ENT(m, XW_SEC_TABLES, XW_ES_TABLE, t) + 4), (uint32_t)XW_MAX_TABLE_ELEMS);
    at += 4u * (uint64_t)table_capacity(m, t);
  }
  at = align8((size_t)at);
  l->funcrefs = (size_t)at; at += (uint64_t)sizeof(xw_funcref) * m->counts[XW_SEC_FUNCREFS]; at = align8((size_t)at);
  l->func_ptrs = (size_t)at;
  if (m->flags & XW_FLAG_CALLS_VIA_TABLE) { at += (uint64_t)sizeof(void *) * m->counts[XW_SEC_FUNCS]; at = align8((size_t)at); }
  l->globals = (size_t)at; at += m->globals_size; at = align8((size_t)at);
  l->dropped = (size_t)at; at += (uint64_t)m->counts[XW_SEC_DATAS] + m->counts[XW_SEC_ELEMS]; at = align8((size_t)at);
  l->memory = (size_t)at;
  if (m->counts[XW_SEC_MEMORY] > m->num_imported[XW_KIND_MEMORY]) {
    const uint8_t *e = XW_ENT(m, XW_SEC_MEMORY, XW_ES_MEMORY, 0);
    uint32_t shift = xw_mem_page_shift(m, e), min = xw_rd32(e);
    /* pages of 2^shift bytes; memory->size is a u32, so at most 2^32 - 1 bytes */
    uint64_t lim = xw_rd8(e + 12) ? xw_rd32(e + 4) : (uint64_t)1 << (32u - shift);
    uint64_t cap = ((uint64_t)XW_MAX_MEMORY_PAGES * XW_PAGE_SIZE) >> shift;
    if (lim > max_pages) lim = max_pages;
    if (lim > cap) lim = cap;
    if (lim > (0xFFFFFFFFu >> shift)) lim = 0xFFFFFFFFu >> shift;
    if (lim < min)
      return xw_fail(ctx, XW_ERR_LIMIT, "memory minimum is %u pages, the limit is %u pages (max_memory_pages %u)", min, (uint32_t)lim, max_pages);
    l->mem_limit_pages = (uint32_t)lim;
    l->mem_page_shift = shift;
    mem_bytes = lim << shift;
  }
  at += mem_bytes;
  if (at > (uint64_t)SIZE_MAX) return xw_fail(ctx, XW_ERR_LIMIT, "instance larger than the address space");
  l->total = (size_t)at;
  return XW_OK;
}

xw_result xw_instance_ram_size(xw_context *ctx, const xw_module *mod, uint32_t max_memory_pages, size_t *size) {
  xw_layout l;
  xw_result r;
  if (size != NULL) *size = 0;
  if (mod == NULL || mod->image == NULL || size == NULL)
    return xw_fail(ctx, XW_ERR_ARGUMENT, "xw_instance_ram_size: NULL or unloaded module, or NULL size");
  if ((r = layout(ctx, mod, max_memory_pages, &l)) != XW_OK) return r;
  *size = l.total;
  return XW_OK;
}

/* ---- linking ---- */
/* The instance registered in ctx under the import's module name (field at `e`: off, len). */
static xw_instance *find_registered(const xw_context *ctx, const xw_module *m, const uint8_t *e) {
  const xw_registration *r;
  for (r = ctx->registry; r != NULL; r = r->next)
    if (xw_name_eq(m, e, r->name, strlen(r->name))) return r->instance;
  return NULL;
}

xw_result xw_register_node(xw_registration *node, xw_instance *inst, const char *module_name) {
  xw_context *ctx;
  xw_registration **p;
  if (inst == NULL) return XW_ERR_ARGUMENT;
  ctx = inst->ctx;
  if (node == NULL || module_name == NULL) return xw_fail(ctx, XW_ERR_ARGUMENT, "xw_register: NULL node or name");
  for (p = &ctx->registry; *p != NULL; p = &(*p)->next)
    if (*p == node) return xw_fail(ctx, XW_ERR_BUSY, "xw_register: the node already registers \"%s\"", node->name);
  /* a name registered again names the new instance: unlink the old node */
  for (p = &ctx->registry; *p != NULL; p = &(*p)->next)
    if (strcmp((*p)->name, module_name) == 0) { *p = (*p)->next; break; }
  node->name = module_name;
  node->instance = inst;
  node->next = ctx->registry;
  ctx->registry = node;
  return XW_OK;
}

xw_result xw_register(xw_instance *inst, const char *module_name) {
  if (inst == NULL) return XW_ERR_ARGUMENT;
  return xw_register_node(&inst->own_name, inst, module_name);
}

xw_result xw_register_natives(xw_context *ctx, xw_native_group *group, const char *module_name,
                              const xw_native_symbol *symbols, uint32_t count) {
  xw_native_group *g;
  uint32_t i;
  if (ctx == NULL) return XW_ERR_ARGUMENT;
  if (group == NULL || module_name == NULL || (symbols == NULL && count > 0))
    return xw_fail(ctx, XW_ERR_ARGUMENT, "xw_register_natives: NULL group, module name or symbols");
  for (g = ctx->natives; g != NULL; g = g->next)
    if (g == group) return xw_fail(ctx, XW_ERR_BUSY, "xw_register_natives: the group already registers \"%s\"", g->module_name);
  for (i = 0; i < count; i++) {
    const char *why;
    if (symbols[i].symbol == NULL || symbols[i].func_ptr == NULL || symbols[i].signature == NULL)
      return xw_fail(ctx, XW_ERR_ARGUMENT, "native %s.%s: NULL name, function or signature", module_name,
                     symbols[i].symbol != NULL ? symbols[i].symbol : "?");
    if ((why = xw_native_sig_error(symbols[i].signature)) != NULL)
      return xw_fail(ctx, XW_ERR_ARGUMENT, "native %s.%s: bad signature \"%s\": %s", module_name, symbols[i].symbol,
                     symbols[i].signature, why);
  }
  group->module_name = module_name;
  group->symbols = symbols;
  group->count = count;
  group->next = ctx->natives;
  ctx->natives = group;
  return XW_OK;
}

/* The export of `src` named like the name field `f` of module `m`, of kind `kind`, or NONE. */
static uint32_t find_export(const xw_instance *src, const xw_module *m, const uint8_t *f, uint32_t kind) {
  const xw_module *sm = src->mod;
  uint32_t i;
  for (i = 0; i < sm->counts[XW_SEC_EXPORTS]; i++) {
    const uint8_t *e = XW_ENT(sm, XW_SEC_EXPORTS, XW_ES_EXPORT, i);
    if (xw_rd8(e + 8) == kind && xw_name_eq(sm, e, xw_mod_str(m, xw_rd32(f)), xw_rd32(f + 4))) return xw_rd32(e + 12);
  }
  return XW_AOT_NONE;
}

void *xw_global_cell(const xw_instance *inst, uint32_t g) {
  const xw_module *m = inst->mod;
  if (g < m->num_imported[XW_KIND_GLOBAL]) return inst->env.imported_globals[g];
  return inst->env.globals + xw_rd32(XW_ENT(m, XW_SEC_GLOBALS, XW_ES_GLOBAL, g) + 8);
}

/* Declared limits of table/memory entry `e` (min at min_off, max at max_off, has_max flag at flag_off). */
static int limits_match(uint32_t cur, const uint8_t *exp_e, const uint8_t *imp_e, uint32_t min_off, uint32_t max_off, uint32_t flag_off) {
  if (cur < xw_rd32(imp_e + min_off)) return 0;
  if (!xw_rd8(imp_e + flag_off)) return 1;
  return xw_rd8(exp_e + flag_off) && xw_rd32(exp_e + max_off) <= xw_rd32(imp_e + max_off);
}

/* "<why>: module.name" (names by length: Wasm names may contain NUL) */
static xw_result unlinkable(xw_instance *inst, const uint8_t *ie, const char *why) {
  const xw_module *m = inst->mod;
  return xw_fail(inst->ctx, XW_ERR_UNLINKABLE, "%s: %n.%n", why, xw_mod_str(m, xw_rd32(ie)), (size_t)xw_rd32(ie + 4),
                 xw_mod_str(m, xw_rd32(ie + 8)), (size_t)xw_rd32(ie + 12));
}

/* "incompatible import type: env.f: Wasm type (i32) -> (), <what> <sig>" */
static xw_result func_mismatch(xw_instance *inst, const uint8_t *ie, uint32_t t, const char *what, const char *sig) {
  char buf[64];
  unlinkable(inst, ie, "incompatible import type");
  return xw_append(inst->ctx, XW_ERR_UNLINKABLE, ": Wasm type %s, %s %s", xw_type_text(inst->mod, t, buf, sizeof buf), what, sig);
}

static const xw_native_symbol *find_native(const xw_context *ctx, const xw_module *m, const uint8_t *ie) {
  const xw_native_group *g;
  uint32_t i;
  for (g = ctx->natives; g != NULL; g = g->next) {
    if (!xw_name_eq(m, ie, g->module_name, strlen(g->module_name))) continue;
    for (i = 0; i < g->count; i++)
      if (xw_name_eq(m, ie + 8, g->symbols[i].symbol, strlen(g->symbols[i].symbol))) return &g->symbols[i];
  }
  return NULL;
}

static xw_result link_func(xw_instance *inst, uint32_t f, const uint8_t *ie) {
  const xw_module *m = inst->mod;
  uint32_t t = xw_func_type(m, f), i;
  xw_import *imp = &inst->env.imports[f];
  const xw_native_symbol *ns;
  xw_instance *src;
  uint32_t ef;
  char buf[64];
  for (i = 0; i < inst->host_func_count; i++) {
    const xw_host_func *h = &inst->host_funcs[i];
    if (h->module == NULL || h->name == NULL || !xw_name_eq(m, ie, h->module, strlen(h->module))
        || !xw_name_eq(m, ie + 8, h->name, strlen(h->name))) continue;
    if (h->signature == NULL || h->fn == NULL)
      return func_mismatch(inst, ie, t, "host function with NULL", h->fn == NULL ? "function" : "signature");
    if (!sig_matches_string(m, t, h->signature)) return func_mismatch(inst, ie, t, "host signature", h->signature);
    imp->fn = h->fn;
    imp->env = &inst->env;
    imp->data = h->data;
    return XW_OK;
  }
  if ((ns = find_native(inst->ctx, m, ie)) != NULL) {
    if (!xw_native_sig_matches(ns->signature, m, t)) return func_mismatch(inst, ie, t, "native signature", ns->signature);
    imp->fn = xw_native_call;
    imp->env = &inst->env;
    imp->data = ns;
    return XW_OK;
  }
  if (xw_name_eq(m, ie, "wasi_snapshot_preview1", 22)) {
#if XW_ENABLE_WASI
    const char *expected = NULL;
    xw_raw_fn fn;
    if (inst->wasi == NULL) return unlinkable(inst, ie, "unknown import (WASI is not enabled for this instance: set xw_config.wasi)");
    fn = xw_wasi_lookup(xw_mod_str(m, xw_rd32(ie + 8)), xw_rd32(ie + 12), m, t, &expected);
    if (fn != NULL) {
      imp->fn = fn;
      imp->env = &inst->env;
      imp->data = NULL;
      return XW_OK;
    }
    if (expected != NULL) return func_mismatch(inst, ie, t, "WASI wants", expected);
#else
    return unlinkable(inst, ie, "unknown import (runtime built with XW_ENABLE_WASI=0)");
#endif
  }
  src = find_registered(inst->ctx, m, ie);
  if (src == NULL || (ef = find_export(src, m, ie + 8, XW_KIND_FUNC)) == XW_AOT_NONE)
    return unlinkable(inst, ie, src == NULL ? "unknown import" : "unknown import (no such function export)");
  if (!xw_sig_equal(src->mod, xw_func_type(src->mod, ef), m, t))
    return func_mismatch(inst, ie, t, "export type", xw_type_text(src->mod, xw_func_type(src->mod, ef), buf, sizeof buf));
  if (ef < src->mod->num_imported[XW_KIND_FUNC]) {
    *imp = src->env.imports[ef]; /* re-export of an import: bind to the same target */
    return XW_OK;
  }
  if (xw_func_entry(src->mod, ef) == XW_AOT_NONE) return unlinkable(inst, ie, "exported function has no entry trampoline");
  imp->fn = (xw_raw_fn)XW_CODE_ADDR(src->mod->text, xw_func_entry(src->mod, ef));
  imp->env = &src->env;
  imp->data = XW_CODE_ADDR(src->mod->text, xw_func_code(src->mod, ef));
  return XW_OK;
}

static xw_result link_other(xw_instance *inst, uint32_t kind, uint32_t index, const uint8_t *imp) {
  const xw_module *m = inst->mod;
  xw_instance *src = find_registered(inst->ctx, m, imp);
  uint32_t e = src == NULL ? XW_AOT_NONE : find_export(src, m, imp + 8, kind);
  if (e == XW_AOT_NONE) return unlinkable(inst, imp, "unknown import");
  switch (kind) {
    case XW_KIND_TABLE: {
      xw_table *tab = src->env.tables[e];
      const uint8_t *se = XW_ENT(src->mod, XW_SEC_TABLES, XW_ES_TABLE, e), *ie = XW_ENT(m, XW_SEC_TABLES, XW_ES_TABLE, index);
      if (xw_rd8(se) != xw_rd8(ie) || !limits_match(tab->size, se, ie, 4, 8, 1)) return unlinkable(inst, imp, "incompatible import type (table)");
      inst->env.tables[index] = tab;
      return XW_OK;
    }
    case XW_KIND_MEMORY: {
      xw_memory *mem = src->env.memory;
      const uint8_t *se = XW_ENT(src->mod, XW_SEC_MEMORY, XW_ES_MEMORY, e), *ie = XW_ENT(m, XW_SEC_MEMORY, XW_ES_MEMORY, index);
      /* custom-page-sizes: the page sizes must be equal, then the limits match in those pages */
      if (mem == NULL || xw_mem_page_shift(src->mod, se) != xw_mem_page_shift(m, ie) ||
          !limits_match(mem->size >> mem->page_shift, se, ie, 0, 4, 12)) return unlinkable(inst, imp, "incompatible import type (memory)");
      inst->env.memory = mem;
      inst->env.mem_base = mem->base;
      return XW_OK;
    }
    case XW_KIND_GLOBAL: {
      const uint8_t *se = XW_ENT(src->mod, XW_SEC_GLOBALS, XW_ES_GLOBAL, e), *ie = XW_ENT(m, XW_SEC_GLOBALS, XW_ES_GLOBAL, index);
      if (xw_rd8(se) != xw_rd8(ie) || xw_rd8(se + 1) != xw_rd8(ie + 1)) return unlinkable(inst, imp, "incompatible import type (global)");
      inst->env.imported_globals[index] = xw_global_cell(src, e);
      return XW_OK;
    }
    default:
      return unlinkable(inst, imp, "unknown import kind");
  }
}

static xw_result link_imports(xw_instance *inst) {
  const xw_module *m = inst->mod;
  uint32_t i;
  for (i = 0; i < m->counts[XW_SEC_IMPORTS]; i++) {
    const uint8_t *e = XW_ENT(m, XW_SEC_IMPORTS, XW_ES_IMPORT, i);
    uint32_t kind = xw_rd8(e + 16), index = xw_rd32(e + 20);
    xw_result r = kind == XW_KIND_FUNC ? link_func(inst, index, e) : link_other(inst, kind, index, e);
    if (r != XW_OK) return r;
  }
  return XW_OK;
}

/* ---- initialization ---- */
static uint64_t eval_init(const xw_instance *inst, uint32_t kind, uint64_t value, uint32_t type) {
  switch (kind) {
    case XW_INIT_REF_NULL: return 0;
    case XW_INIT_REF_FUNC: return XW_REF_FROM_PTR(&inst->env.funcrefs[value]);
    case XW_INIT_GLOBAL_GET: {
      const uint8_t *cell = (const uint8_t *)xw_global_cell(inst, (uint32_t)value);
      uint64_t v = 0;
      memcpy(&v, cell, xw_valtype_size(type)); /* little-endian targets */
      return v;
    }
    default: return value; /* numeric constants are stored as their bits */
  }
}

static void init_globals(xw_instance *inst) {
  const xw_module *m = inst->mod;
  uint32_t g;
  for (g = m->num_imported[XW_KIND_GLOBAL]; g < m->counts[XW_SEC_GLOBALS]; g++) {
    const uint8_t *e = XW_ENT(m, XW_SEC_GLOBALS, XW_ES_GLOBAL, g);
    uint32_t t = xw_rd8(e);
    uint64_t v = eval_init(inst, xw_rd8(e + 2), xw_rd64(e + 16), t);
    memcpy(inst->env.globals + xw_rd32(e + 8), &v, xw_valtype_size(t));
  }
}

static xw_result init_segments(xw_instance *inst) {
  const xw_module *m = inst->mod;
  uint32_t i, ndata = m->counts[XW_SEC_DATAS];
  for (i = 0; i < m->counts[XW_SEC_ELEMS]; i++) {
    const uint8_t *e = XW_ENT(m, XW_SEC_ELEMS, XW_ES_ELEM, i);
    uint32_t mode = xw_rd8(e);
    if (mode == XW_MODE_ACTIVE) {
      uint32_t off = (uint32_t)eval_init(inst, xw_rd8(e + 2), xw_rd64(e + 8), XW_I32);
      uint32_t trap = xw_do_table_init(inst, xw_rd32(e + 4), i, off, 0, xw_rd32(e + 20));
      if (trap != 0) return xw_fail(inst->ctx, XW_ERR_UNINSTANTIABLE, "elem segment %u: %s", i, xw_trap_message((xw_trap_code)trap));
    }
    if (mode != XW_MODE_PASSIVE) inst->dropped[ndata + i] = 1;
  }
  for (i = 0; i < ndata; i++) {
    const uint8_t *e = XW_ENT(m, XW_SEC_DATAS, XW_ES_DATA, i);
    if (xw_rd8(e) == XW_MODE_ACTIVE) {
      uint32_t off = (uint32_t)eval_init(inst, xw_rd8(e + 1), xw_rd64(e + 8), XW_I32);
      uint32_t trap = xw_do_memory_init(inst, i, off, 0, xw_rd32(e + 20));
      if (trap != 0) return xw_fail(inst->ctx, XW_ERR_UNINSTANTIABLE, "data segment %u: %s", i, xw_trap_message((xw_trap_code)trap));
      inst->dropped[i] = 1;
    }
  }
  return XW_OK;
}

static xw_result run_start(xw_instance *inst) {
  const xw_module *m = inst->mod;
  uint32_t f = m->start_func;
  uint64_t slot = 0;
  xw_result r;
  if (f == XW_AOT_NONE) return XW_OK;
  if (f < m->num_imported[XW_KIND_FUNC]) {
    const xw_import *imp = &inst->env.imports[f];
    r = xw_run_entry(inst, imp->fn, imp->env, &slot, imp->data, 1);
  } else {
    if (xw_func_entry(m, f) == XW_AOT_NONE) return xw_fail(inst->ctx, XW_ERR_MALFORMED, "start function %u has no entry trampoline", f);
    r = xw_run_entry(inst, (xw_entry_fn)XW_CODE_ADDR(m->text, xw_func_entry(m, f)), &inst->env, &slot,
                     XW_CODE_ADDR(m->text, xw_func_code(m, f)), 0);
  }
  if (r == XW_ERR_TRAP || r == XW_ERR_EXIT) return XW_ERR_UNINSTANTIABLE; /* the trap or exit message stays */
  return r;
}

xw_result xw_instantiate(xw_context *ctx, xw_instance **out, const xw_module *mod, const xw_config *cfg) {
  xw_layout l;
  xw_instance *inst;
  uint8_t *ram;
  uint32_t i;
  xw_result r;
  if (ctx == NULL) return XW_ERR_ARGUMENT;
  if (out == NULL || mod == NULL || cfg == NULL || mod->image == NULL)
    return xw_fail(ctx, XW_ERR_ARGUMENT, "xw_instantiate: NULL instance pointer, config or module, or module not loaded");
  *out = NULL;
  ram = (uint8_t *)cfg->ram;
  if (ram == NULL || ((uintptr_t)ram & 7u) != 0)
    return xw_fail(ctx, XW_ERR_NO_ROOM, "arena at %x: NULL or not 8-byte aligned", (uint32_t)(uintptr_t)ram);
  if ((r = layout(ctx, mod, cfg->max_memory_pages, &l)) != XW_OK) return r;
  if (l.total > cfg->ram_size)
    return xw_fail(ctx, XW_ERR_NO_ROOM, "arena too small: %z bytes given, %z needed (xw_instance_ram_size, max_memory_pages %u)",
                   cfg->ram_size, l.total, cfg->max_memory_pages);
#if UINTPTR_MAX != 0xFFFFFFFFu
  if (xw_host_ref_base == 0) xw_host_ref_base = (uintptr_t)ram;
#endif
  memset(ram, 0, l.memory);
  inst = (xw_instance *)(void *)ram;
  inst->mod = mod;
  inst->ctx = ctx;
  inst->wasi = cfg->wasi;
  inst->stack_budget = cfg->stack_budget != 0 ? cfg->stack_budget : XW_DEFAULT_STACK_BUDGET;
  inst->host_funcs = cfg->host_funcs;
  inst->host_func_count = cfg->host_funcs != NULL ? cfg->host_func_count : 0;
  inst->dropped = ram + l.dropped;
  inst->env.symbols = xw_native_symbols;
  inst->env.globals = ram + l.globals;
  inst->env.imported_globals = (void **)(void *)(ram + l.imported_globals);
  inst->env.tables = (xw_table **)(void *)(ram + l.table_ptrs);
  inst->env.funcrefs = (xw_funcref *)(void *)(ram + l.funcrefs);
  inst->env.type_ids = (const uint32_t *)(void *)(ram + l.type_ids);
  inst->env.imports = (xw_import *)(void *)(ram + l.imports);
  inst->env.text_base = mod->text;
  inst->env.instance = inst;
  inst->env.user_data = cfg->user_data;

  for (i = 0; i < mod->counts[XW_SEC_TYPES]; i++) {
    uint32_t id = xw_canonical_type(ctx, mod, i);
    if (id == 0) return xw_fail(ctx, XW_ERR_LIMIT, "more than XW_CONTEXT_BIG_TYPES (%u) distinct signatures of over 9 values in one context", (uint32_t)XW_CONTEXT_BIG_TYPES);
    ((uint32_t *)(void *)(ram + l.type_ids))[i] = id;
  }
  if (mod->counts[XW_SEC_MEMORY] > mod->num_imported[XW_KIND_MEMORY]) {
    inst->memory.base = ram + l.memory;
    XW_MEMORY_SET_SIZE(&inst->memory, xw_rd32(XW_ENT(mod, XW_SEC_MEMORY, XW_ES_MEMORY, 0)) << l.mem_page_shift);
    inst->memory.max_pages = l.mem_limit_pages;
    inst->memory.page_shift = l.mem_page_shift;
    memset(inst->memory.base, 0, inst->memory.size);
    inst->env.memory = &inst->memory;
    inst->env.mem_base = inst->memory.base;
  }
  {
    xw_table *tabs = (xw_table *)(void *)(ram + l.tables);
    uint32_t *elems = (uint32_t *)(void *)(ram + l.elems), nti = mod->num_imported[XW_KIND_TABLE];
    for (i = nti; i < mod->counts[XW_SEC_TABLES]; i++) {
      xw_table *t = &tabs[i - nti];
      t->size = xw_rd32(XW_ENT(mod, XW_SEC_TABLES, XW_ES_TABLE, i) + 4);
      t->max = table_capacity(mod, i);
      t->elems = elems;
      elems += t->max;
      inst->env.tables[i] = t;
    }
  }
  if ((r = link_imports(inst)) != XW_OK) return r;
  for (i = 0; i < mod->counts[XW_SEC_FUNCREFS]; i++) {
    uint32_t f = xw_rd32(XW_ENT(mod, XW_SEC_FUNCREFS, XW_ES_FUNCREF, i));
    inst->env.funcrefs[i].code = XW_CODE_ADDR(mod->text, xw_func_code(mod, f));
    inst->env.funcrefs[i].env = &inst->env;
    inst->env.funcrefs[i].type_id = inst->env.type_ids[xw_func_type(mod, f)];
  }
  if (mod->flags & XW_FLAG_CALLS_VIA_TABLE) {
    const void **fp = (const void **)(void *)(ram + l.func_ptrs);
    for (i = 0; i < mod->counts[XW_SEC_FUNCS]; i++) fp[i] = XW_CODE_ADDR(mod->text, xw_func_code(mod, i));
    inst->env.func_ptrs = fp;
  }
  init_globals(inst);
  if ((r = init_segments(inst)) != XW_OK || (r = run_start(inst)) != XW_OK) return r;
  *out = inst;
  return XW_OK;
}

uint8_t *xw_env_memory(xw_exec_env *env, uint32_t *size_bytes) {
  if (size_bytes != NULL) *size_bytes = env->memory != NULL ? env->memory->size : 0;
  return env->memory != NULL ? env->memory->base : NULL;
}

void *xw_env_user_data(xw_exec_env *env) { return env->user_data; }
xw_instance *xw_env_instance(xw_exec_env *env) { return XW_ENV_INST(env); }
void *xw_native_attachment(xw_exec_env *env) { return XW_ENV_CTX(env)->attachment; }
xw_context *xw_instance_context(const xw_instance *inst) { return inst != NULL ? inst->ctx : NULL; }

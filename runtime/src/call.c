/*
 * xw_call: calls an export through its type's entry trampoline (docs/abi.md §3), with the
 * arguments packed into 8-byte slots, under a trap frame (trap.c).
 */
#include "internal.h"

static const char *type_name(uint32_t t) {
  switch (t) {
    case XW_I32: return "i32";
    case XW_I64: return "i64";
    case XW_F32: return "f32";
    case XW_F64: return "f64";
    case XW_FUNCREF: return "funcref";
    case XW_EXTERNREF: return "externref";
    default: return "an unknown type";
  }
}

xw_result xw_call_n(xw_instance *inst, const char *export_name, size_t name_len,
                    const xw_value *args, uint32_t nargs, xw_value *results, uint32_t nresults) {
  const xw_module *m;
  uint64_t slots[XW_MAX_CALL_VALUES];
  uint32_t i, f = XW_AOT_NONE, t, np, nr;
  const uint8_t *vec;
  xw_result r;
  char buf[64];
  if (inst == NULL) return XW_ERR_ARGUMENT;
  if (export_name == NULL) return xw_fail(inst->ctx, XW_ERR_ARGUMENT, "xw_call: NULL export name");
  m = inst->mod;
  for (i = 0; i < m->counts[XW_SEC_EXPORTS]; i++) {
    const uint8_t *e = XW_ENT(m, XW_SEC_EXPORTS, XW_ES_EXPORT, i);
    if (xw_rd8(e + 8) == XW_KIND_FUNC && xw_name_eq(m, e, export_name, name_len)) { f = xw_rd32(e + 12); break; }
  }
  if (f == XW_AOT_NONE) return xw_fail(inst->ctx, XW_ERR_NO_EXPORT, "no exported function \"%n\"", export_name, name_len);
  t = xw_func_type(m, f);
  np = xw_type_nparams(m, t);
  nr = xw_type_nresults(m, t);
  vec = xw_type_vec(m, t);
  if (np != nargs || nr != nresults)
    return xw_fail(inst->ctx, XW_ERR_SIGNATURE, "%n has type %s: %u arguments and %u results given", export_name, name_len,
                   xw_type_text(m, t, buf, sizeof buf), nargs, nresults);
  if ((np > 0 && args == NULL) || (nr > 0 && results == NULL))
    return xw_fail(inst->ctx, XW_ERR_ARGUMENT, "xw_call %n: NULL args or results array", export_name, name_len);
  if (np > XW_MAX_CALL_VALUES || nr > XW_MAX_CALL_VALUES)
    return xw_fail(inst->ctx, XW_ERR_LIMIT, "%n: %u parameters and %u results, XW_MAX_CALL_VALUES is %u", export_name, name_len,
                   np, nr, (uint32_t)XW_MAX_CALL_VALUES);
  for (i = 0; i < np; i++) {
    if (vec[i] != args[i].type)
      return xw_fail(inst->ctx, XW_ERR_SIGNATURE, "%n has type %s: argument %u is %s, %s given", export_name, name_len,
                     xw_type_text(m, t, buf, sizeof buf), i, type_name(vec[i]), type_name(args[i].type));
    switch (vec[i]) {
      case XW_I64: slots[i] = (uint64_t)args[i].of.i64; break;
      case XW_F64: slots[i] = args[i].of.f64_bits; break;
      case XW_I32: slots[i] = (uint32_t)args[i].of.i32; break;
      case XW_F32: slots[i] = args[i].of.f32_bits; break;
      default: slots[i] = args[i].of.ref; break;
    }
  }
  for (; i < XW_MAX_CALL_VALUES; i++) slots[i] = 0;
  if (f < m->num_imported[0]) {
    const xw_import *imp = &inst->env.imports[f];
    r = xw_run_entry(inst, imp->fn, imp->env, slots, imp->data, 1);
  } else {
    if (xw_func_entry(m, f) == XW_AOT_NONE)
      return xw_fail(inst->ctx, XW_ERR_NO_EXPORT, "export \"%n\" has no entry trampoline", export_name, name_len);
    r = xw_run_entry(inst, (xw_entry_fn)XW_CODE_ADDR(m->text, xw_func_entry(m, f)), &inst->env, slots,
                     XW_CODE_ADDR(m->text, xw_func_code(m, f)), 0);
  }
  if (r != XW_OK) return r;
  for (i = 0; i < nr; i++) {
    uint32_t rt = vec[np + i];
    results[i].type = (uint8_t)rt;
    switch (rt) {
      case XW_I64: results[i].of.i64 = (int64_t)slots[i]; break;
      case XW_F64: results[i].of.f64_bits = slots[i]; break;
      case XW_I32: results[i].of.i32 = (int32_t)(uint32_t)slots[i]; break;
      case XW_F32: results[i].of.f32_bits = (uint32_t)slots[i]; break;
      default: results[i].of.ref = (uint32_t)slots[i]; break;
    }
  }
  return XW_OK;
}

xw_result xw_get_global(xw_instance *inst, const char *export_name, xw_value *out) {
  const xw_module *m;
  uint32_t i;
  if (inst == NULL) return XW_ERR_ARGUMENT;
  if (export_name == NULL || out == NULL) return xw_fail(inst->ctx, XW_ERR_ARGUMENT, "xw_get_global: NULL name or output");
  m = inst->mod;
  for (i = 0; i < m->counts[XW_SEC_EXPORTS]; i++) {
    const uint8_t *e = XW_ENT(m, XW_SEC_EXPORTS, XW_ES_EXPORT, i);
    if (xw_rd8(e + 8) == XW_KIND_GLOBAL && xw_name_eq(m, e, export_name, strlen(export_name))) {
      uint32_t g = xw_rd32(e + 12), t = xw_rd8(XW_ENT(m, XW_SEC_GLOBALS, XW_ES_GLOBAL, g));
      out->type = (uint8_t)t;
      out->of.i64 = 0;
      memcpy(&out->of, xw_global_cell(inst, g), xw_valtype_size(t)); /* little-endian: i32/f32/ref in the low bytes */
      return XW_OK;
    }
  }
  return xw_fail(inst->ctx, XW_ERR_NO_EXPORT, "no exported global \"%s\"", export_name);
}

const char *xw_func_name(const xw_module *m, uint32_t func, size_t *len) {
  uint32_t i;
  const uint8_t *field = NULL;
  if (m == NULL || func >= m->counts[XW_SEC_FUNCS]) return NULL;
  for (i = 0; i < m->counts[XW_SEC_NAMES] && field == NULL; i++) {
    const uint8_t *e = XW_ENT(m, XW_SEC_NAMES, XW_ES_NAME, i);
    if (xw_rd32(e) == func) field = e + 4;
  }
  for (i = 0; i < m->counts[XW_SEC_EXPORTS] && field == NULL; i++) {
    const uint8_t *e = XW_ENT(m, XW_SEC_EXPORTS, XW_ES_EXPORT, i);
    if (xw_rd8(e + 8) == XW_KIND_FUNC && xw_rd32(e + 12) == func) field = e;
  }
  for (i = 0; i < m->counts[XW_SEC_IMPORTS] && field == NULL; i++) {
    const uint8_t *e = XW_ENT(m, XW_SEC_IMPORTS, XW_ES_IMPORT, i);
    if (xw_rd8(e + 16) == XW_KIND_FUNC && xw_rd32(e + 20) == func) field = e + 8;
  }
  if (field == NULL) return NULL;
  if (len != NULL) *len = xw_rd32(field + 4);
  return xw_mod_str(m, xw_rd32(field));
}

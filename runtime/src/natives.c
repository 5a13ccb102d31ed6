/*
 * Host functions by WAMR-compatible signature string: checking the string, matching it against the import's
 * Wasm type, and calling the C function with its real prototype.
 *
 * C cannot call a function whose prototype it learns at run time, so the call is made the way WAMR's
 * invokeNative assembly does it, in C: the arguments are placed where the platform's calling convention puts
 * them (core registers, VFP/SSE registers, stack words), then the function is called through one fixed
 * prototype that loads exactly those places. Supported: AAPCS (Arm, base and VFP variants) and the System V
 * x86-64 ABI (host tests and fuzzing). Elsewhere xw_register_natives refuses the group.
 */
#include "internal.h"

#define XW_NATIVE_MAX_PARAMS 16u

#if defined(__arm__) || (defined(__x86_64__) && !defined(_WIN32))
#define XW_NATIVES_SUPPORTED 1
#else
#define XW_NATIVES_SUPPORTED 0
#endif

static int letter_ok(char c) { return c == 'i' || c == 'I' || c == 'f' || c == 'F' || c == '*' || c == '~' || c == '$'; }

const char *xw_native_sig_error(const char *sig) {
  uint32_t n = 0;
  const char *p = sig;
  if (!XW_NATIVES_SUPPORTED) return "natives by signature are not supported on this platform";
  if (*p++ != '(') return "must start with '('";
  for (; *p != ')'; p++, n++) {
    if (*p == '\0') return "no ')'";
    if (!letter_ok(*p)) return "unknown parameter letter (i I f F * ~ $)";
    if (*p == '~' && (n == 0 || p[-1] != '*')) return "'~' must follow '*'";
  }
  if (n > XW_NATIVE_MAX_PARAMS) return "more than 16 parameters";
  p++;
  if (*p == '\0') return NULL;
  if (*p != 'i' && *p != 'I' && *p != 'f' && *p != 'F') return "the result must be one of i I f F";
  if (p[1] != '\0') return "more than one result";
  return NULL;
}

static uint8_t letter_wasm(char c) {
  switch (c) {
    case 'I': return XW_I64;
    case 'f': return XW_F32;
    case 'F': return XW_F64;
    default: return XW_I32; /* i * ~ $ */
  }
}

int xw_native_sig_matches(const char *sig, const xw_module *m, uint32_t t) {
  const uint8_t *v = xw_type_vec(m, t);
  uint32_t np = xw_type_nparams(m, t), nr = xw_type_nresults(m, t), i = 0;
  const char *p = sig + 1;
  for (; *p != ')'; p++, i++)
    if (i >= np || v[i] != letter_wasm(*p)) return 0;
  if (i != np) return 0;
  p++;
  if (*p == '\0') return nr == 0;
  return nr == 1 && v[np] == letter_wasm(*p);
}

/* ---- placing the arguments ---- */
typedef struct {
  char kind;   /* 'i' 32-bit integer, 'p' pointer, 'I' 64-bit, 'f' f32 bits, 'F' f64 bits */
  uint64_t bits;
} xw_arg;

#if defined(__arm__)
#define XW_WORDS 44u
typedef uint32_t xw_w;
#define XW_W_PARAMS \
  xw_w, xw_w, xw_w, xw_w, xw_w, xw_w, xw_w, xw_w, xw_w, xw_w, xw_w, xw_w, xw_w, xw_w, xw_w, xw_w, xw_w, xw_w, xw_w, xw_w, xw_w, xw_w, \
  xw_w, xw_w, xw_w, xw_w, xw_w, xw_w, xw_w, xw_w, xw_w, xw_w, xw_w, xw_w, xw_w, xw_w, xw_w, xw_w, xw_w, xw_w, xw_w, xw_w, xw_w, xw_w
#define XW_W_ARGS(w) \
  w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7], w[8], w[9], w[10], w[11], w[12], w[13], w[14], w[15], w[16], w[17], w[18], w[19], \
  w[20], w[21], w[22], w[23], w[24], w[25], w[26], w[27], w[28], w[29], w[30], w[31], w[32], w[33], w[34], w[35], w[36], w[37], \
  w[38], w[39], w[40], w[41], w[42], w[43]
#if defined(__ARM_PCS_VFP)
#define XW_VFP 1
#define XW_D_PARAMS , double, double, double, double, double, double, double, double
#define XW_D_ARGS(d) , d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7]
#else
#define XW_VFP 0
#define XW_D_PARAMS
#define XW_D_ARGS(d)
#endif

/* AAPCS: r0 = env, then core registers r1-r3, 8-byte values in an even pair; the rest on the stack in order,
   8-byte values 8-aligned; with the VFP variant f32/f64 go to s0-s15/d0-d7 (back-filling) while any are free. */
static int place(const xw_arg *a, uint32_t n, void *env, xw_w *w, double *d) {
  uint32_t ncrn = 1, nsaa = 4, i;
#if XW_VFP
  uint32_t s[16], sfree = 0xFFFFu;
  int vfp_full = 0;
  memset(s, 0, sizeof s);
#else
  (void)d;
#endif
  memset(w, 0, XW_WORDS * sizeof *w);
  w[0] = (xw_w)(uintptr_t)env;
  for (i = 0; i < n; i++) {
    uint32_t lo = (uint32_t)a[i].bits, hi = (uint32_t)(a[i].bits >> 32);
    int wide = a[i].kind == 'I' || a[i].kind == 'F';
#if XW_VFP
    if ((a[i].kind == 'f' || a[i].kind == 'F') && !vfp_full) {
      uint32_t k;
      if (a[i].kind == 'f') {
        for (k = 0; k < 16 && !(sfree & (1u << k)); k++) { }
        if (k < 16) { s[k] = lo; sfree &= ~(1u << k); continue; }
      } else {
        for (k = 0; k < 16 && (sfree & (3u << k)) != (3u << k); k += 2) { }
        if (k < 16) { s[k] = lo; s[k + 1] = hi; sfree &= ~(3u << k); continue; }
      }
      vfp_full = 1; /* no VFP register left: this and every later float goes to the stack */
    }
    if (a[i].kind == 'f' || a[i].kind == 'F') {
      if (wide) nsaa = (nsaa + 1u) & ~1u;
      if (nsaa + (wide ? 2u : 1u) > XW_WORDS) return 0;
      w[nsaa++] = lo;
      if (wide) w[nsaa++] = hi;
      continue;
    }
#endif
    if (wide) {
      ncrn = (ncrn + 1u) & ~1u;
      if (ncrn <= 2u) { w[ncrn] = lo; w[ncrn + 1] = hi; ncrn += 2; continue; }
      ncrn = 4;
      nsaa = (nsaa + 1u) & ~1u;
      if (nsaa + 2u > XW_WORDS) return 0;
      w[nsaa++] = lo;
      w[nsaa++] = hi;
    } else if (ncrn < 4u) {
      w[ncrn++] = lo;
    } else {
      if (nsaa + 1u > XW_WORDS) return 0;
      w[nsaa++] = lo;
    }
  }
#if XW_VFP
  for (i = 0; i < 8; i++) {
    uint64_t bits = (uint64_t)s[2 * i] | ((uint64_t)s[2 * i + 1] << 32);
    memcpy(&d[i], &bits, 8);
  }
#endif
  return 1;
}
#define XW_RET_FLOAT_IN_CORE (!XW_VFP) /* base AAPCS returns f32/f64 in r0/r0:r1 */

#elif defined(__x86_64__)
#define XW_WORDS 24u
typedef uint64_t xw_w;
/* System V: rdi = env, then rsi rdx rcx r8 r9, then the stack; floats in xmm0-7, then the stack; stack words in
   argument order. The fixed prototype: (env, 5 integer words, 8 doubles, stack words). */
#define XW_W_PARAMS \
  xw_w, xw_w, xw_w, xw_w, xw_w, xw_w, double, double, double, double, double, double, double, double, \
  xw_w, xw_w, xw_w, xw_w, xw_w, xw_w, xw_w, xw_w, xw_w, xw_w, xw_w, xw_w, xw_w, xw_w, xw_w, xw_w, xw_w, xw_w
#define XW_W_ARGS(w) \
  w[0], w[1], w[2], w[3], w[4], w[5], d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7], \
  w[6], w[7], w[8], w[9], w[10], w[11], w[12], w[13], w[14], w[15], w[16], w[17], w[18], w[19], w[20], w[21], w[22], w[23]
#define XW_D_PARAMS
#define XW_D_ARGS(d)
static int place(const xw_arg *a, uint32_t n, void *env, xw_w *w, double *d) {
  uint32_t nint = 1, nsse = 0, nstack = 6, i;
  memset(w, 0, XW_WORDS * sizeof *w);
  memset(d, 0, 8 * sizeof *d);
  w[0] = (xw_w)(uintptr_t)env;
  for (i = 0; i < n; i++) {
    int fp = a[i].kind == 'f' || a[i].kind == 'F';
    if (fp && nsse < 8) { memcpy(&d[nsse++], &a[i].bits, 8); continue; }
    if (!fp && nint < 6) { w[nint++] = a[i].bits; continue; }
    if (nstack >= XW_WORDS) return 0;
    w[nstack++] = a[i].bits;
  }
  return 1;
}
#define XW_RET_FLOAT_IN_CORE 0
#endif

#if XW_NATIVES_SUPPORTED
typedef uint64_t (*xw_call_int)(XW_W_PARAMS XW_D_PARAMS);
typedef float (*xw_call_f32)(XW_W_PARAMS XW_D_PARAMS);
typedef double (*xw_call_f64)(XW_W_PARAMS XW_D_PARAMS);
#endif

/* Traps "out of bounds memory access" naming the native and the argument. */
static XW_NORETURN_FN void bad_pointer(xw_context *ctx, xw_exec_env *env, const xw_native_symbol *ns, uint32_t i, uint64_t off, uint64_t len, uint32_t size) {
  xw_fail(ctx, XW_ERR_TRAP, "trap: out of bounds memory access: native %s argument %u: %u bytes at %u, memory size %u",
          ns->symbol, i, (uint32_t)len, (uint32_t)off, size);
  xw_unwind_trap(ctx, env, XW_TRAP_MEMORY_OOB);
}

void xw_native_call(xw_exec_env *env, uint64_t *slots, const void *data) {
  const xw_native_symbol *ns = (const xw_native_symbol *)data;
  xw_context *ctx = XW_ENV_CTX(env);
  xw_arg a[XW_NATIVE_MAX_PARAMS];
  const char *p = ns->signature + 1;
  uint32_t n = 0, size = env->memory != NULL ? env->memory->size : 0;
  uint8_t *base = env->memory != NULL ? env->memory->base : NULL;
  void *saved;
  char ret;
  for (; *p != ')'; p++, n++) {
    uint64_t v = slots[n];
    a[n].kind = *p;
    a[n].bits = v;
    switch (*p) {
      case 'i': case '~': a[n].kind = 'i'; a[n].bits = (uint32_t)v; break;
      case 'f': a[n].bits = (uint32_t)v; break;
      case '*': case '$': {
        uint64_t off = (uint32_t)v, len = 1;
        if (*p == '*' && p[1] == '~') len = (uint32_t)slots[n + 1];
        if (base == NULL || off + len > size) bad_pointer(ctx, env, ns, n, off, len, size);
        if (*p == '$' && memchr(base + off, 0, size - (size_t)off) == NULL) bad_pointer(ctx, env, ns, n, off, size - off + 1, size);
        a[n].kind = 'p';
        a[n].bits = (uint64_t)(uintptr_t)(base + off);
        break;
      }
      default: break;
    }
  }
  ret = p[1];
  saved = ctx->attachment;
  ctx->attachment = ns->attachment;
#if XW_NATIVES_SUPPORTED
  {
    xw_w w[XW_WORDS];
    double d[8];
    if (!place(a, n, env, w, d)) xw_trap_env(ctx, env, XW_TRAP_HOST, "too many native arguments");
    if (ret == 'f' && !XW_RET_FLOAT_IN_CORE) {
      float r = ((xw_call_f32)(uintptr_t)ns->func_ptr)(XW_W_ARGS(w) XW_D_ARGS(d));
      uint32_t bits;
      memcpy(&bits, &r, 4);
      slots[0] = bits;
    } else if (ret == 'F' && !XW_RET_FLOAT_IN_CORE) {
      double r = ((xw_call_f64)(uintptr_t)ns->func_ptr)(XW_W_ARGS(w) XW_D_ARGS(d));
      memcpy(&slots[0], &r, 8);
    } else {
      uint64_t r = ((xw_call_int)(uintptr_t)ns->func_ptr)(XW_W_ARGS(w) XW_D_ARGS(d));
      slots[0] = (ret == 'I' || ret == 'F') ? r : (uint32_t)r;
    }
  }
#else
  (void)ret;
  (void)a;
  xw_trap_ctx(ctx, XW_TRAP_HOST, "natives by signature are not supported on this platform");
#endif
  ctx->attachment = saved;
  xw_poll_interrupt(ctx);
}

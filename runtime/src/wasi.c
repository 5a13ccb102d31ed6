/*
 * WASI preview1 (wasi_snapshot_preview1) for microcontrollers: stdout/stderr, arguments, environment, clocks,
 * random bytes, sleep, exit. Every I/O goes through the embedder's hooks (xw_wasi_hooks); there is no file
 * system and no preopened directory. Functions without an MCU meaning link, and return EBADF (a file
 * descriptor or path that cannot exist here) or ENOSYS. Every guest pointer and length is checked against
 * linear memory before use: a bad one gives EFAULT, never a fault. Built only with XW_ENABLE_WASI=1.
 * Each function is an import in the raw slot convention (docs/abi.md §4): slots hold the arguments, slot 0
 * receives the errno.
 */
#include "internal.h"

#if XW_ENABLE_WASI

#define E_SUCCESS 0u
#define E_BADF 8u
#define E_FAULT 21u
#define E_INVAL 28u
#define E_IO 29u
#define E_NOSYS 52u
#define E_SPIPE 70u

#define INST(env) XW_ENV_INST(env)
#define HOOKS(env) (INST(env)->wasi->hooks)
#define ARG32(i) ((uint32_t)slots[i])

/* The guest range [off, off + len) inside linear memory, or NULL. */
static uint8_t *guest(xw_exec_env *env, uint32_t off, uint64_t len) {
  xw_memory *mem = env->memory;
  if (mem == NULL || (uint64_t)off + len > mem->size) return NULL;
  return mem->base + off;
}

static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void put64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }
static uint32_t get32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static uint64_t get64(const uint8_t *p) { uint64_t v; memcpy(&v, p, 8); return v; }

static void ret(uint64_t *slots, uint32_t err) { slots[0] = err; }
static int std_fd(uint32_t fd) { return fd <= 2u; }

/* ---- arguments and environment: (count, strings) shared by both pairs ---- */
static void strings_of(xw_exec_env *env, int environ, const char *const **list, uint32_t *count) {
  const xw_wasi_config *w = INST(env)->wasi;
  *list = environ ? w->environ : w->argv;
  *count = *list == NULL ? 0 : (environ ? w->environ_count : w->argc);
}

static void sizes_get(xw_exec_env *env, uint64_t *slots, int environ) {
  const char *const *list;
  uint32_t n, i;
  uint64_t bytes = 0;
  uint8_t *pc = guest(env, ARG32(0), 4), *pb = guest(env, ARG32(1), 4);
  if (pc == NULL || pb == NULL) { ret(slots, E_FAULT); return; }
  strings_of(env, environ, &list, &n);
  for (i = 0; i < n; i++) bytes += strlen(list[i]) + 1u;
  if (bytes > 0xFFFFFFFFu) { ret(slots, E_INVAL); return; }
  put32(pc, n);
  put32(pb, (uint32_t)bytes);
  ret(slots, E_SUCCESS);
}

static void strings_get(xw_exec_env *env, uint64_t *slots, int environ) {
  const char *const *list;
  uint32_t n, i, ptrs = ARG32(0), buf = ARG32(1), at = 0;
  uint64_t bytes = 0;
  uint8_t *pp, *pb;
  strings_of(env, environ, &list, &n);
  for (i = 0; i < n; i++) bytes += strlen(list[i]) + 1u;
  pp = guest(env, ptrs, 4u * (uint64_t)n);
  pb = guest(env, buf, bytes);
  if (pp == NULL || pb == NULL) { ret(slots, E_FAULT); return; }
  for (i = 0; i < n; i++) {
    size_t len = strlen(list[i]) + 1u;
    put32(pp + 4u * i, buf + at);
    memcpy(pb + at, list[i], len);
    at += (uint32_t)len;
  }
  ret(slots, E_SUCCESS);
}

static void args_sizes_get(xw_exec_env *env, uint64_t *slots, const void *d) { (void)d; sizes_get(env, slots, 0); }
static void args_get(xw_exec_env *env, uint64_t *slots, const void *d) { (void)d; strings_get(env, slots, 0); }
static void environ_sizes_get(xw_exec_env *env, uint64_t *slots, const void *d) { (void)d; sizes_get(env, slots, 1); }
static void environ_get(xw_exec_env *env, uint64_t *slots, const void *d) { (void)d; strings_get(env, slots, 1); }

/* ---- clocks ---- */
/* 0 realtime, 1 monotonic; the CPU-time clocks (2, 3) read the monotonic clock (one task, no accounting). */
static uint32_t read_clock(xw_exec_env *env, uint32_t id, uint64_t *ns) {
  const xw_wasi_hooks *h = HOOKS(env);
  if (id > 3u) return E_INVAL;
  if (h == NULL || h->clock == NULL) return E_NOSYS;
  if (h->clock(h->user, id == 0 ? 0u : 1u, ns) != 0) return E_INVAL;
  return E_SUCCESS;
}

static void clock_time_get(xw_exec_env *env, uint64_t *slots, const void *d) {
  uint8_t *p = guest(env, ARG32(2), 8);
  uint64_t ns = 0;
  uint32_t e;
  (void)d;
  if (p == NULL) { ret(slots, E_FAULT); return; }
  if ((e = read_clock(env, ARG32(0), &ns)) == E_SUCCESS) put64(p, ns);
  ret(slots, e);
}

static void clock_res_get(xw_exec_env *env, uint64_t *slots, const void *d) {
  const xw_wasi_hooks *h = HOOKS(env);
  uint8_t *p = guest(env, ARG32(1), 8);
  uint64_t ns = 0;
  uint32_t e;
  (void)d;
  if (p == NULL) { ret(slots, E_FAULT); return; }
  if ((e = read_clock(env, ARG32(0), &ns)) == E_SUCCESS) put64(p, h->clock_resolution_ns != 0 ? h->clock_resolution_ns : 1000u);
  ret(slots, e);
}

/* ---- file descriptors: 0 stdin (empty), 1 stdout, 2 stderr ---- */
static void fd_write(xw_exec_env *env, uint64_t *slots, const void *d) {
  const xw_wasi_hooks *h = HOOKS(env);
  uint32_t fd = ARG32(0), iovs = ARG32(1), n = ARG32(2), i;
  uint8_t *vec = guest(env, iovs, 8u * (uint64_t)n), *pn = guest(env, ARG32(3), 4);
  uint32_t total = 0;
  (void)d;
  if (fd != 1u && fd != 2u) { ret(slots, E_BADF); return; }
  if (vec == NULL || pn == NULL) { ret(slots, E_FAULT); return; }
  for (i = 0; i < n; i++) /* every buffer is checked before any byte is written */
    if (guest(env, get32(vec + 8u * i), get32(vec + 8u * i + 4u)) == NULL) { ret(slots, E_FAULT); return; }
  if (h == NULL || h->write == NULL) { ret(slots, E_BADF); return; }
  for (i = 0; i < n; i++) {
    uint32_t len = get32(vec + 8u * i + 4u);
    int32_t w;
    if (len == 0) continue;
    w = h->write(h->user, fd, guest(env, get32(vec + 8u * i), len), len);
    if (w < 0) {
      if (total == 0) { ret(slots, E_IO); return; }
      break;
    }
    total += (uint32_t)w;
    if ((uint32_t)w < len) break;
  }
  put32(pn, total);
  ret(slots, E_SUCCESS);
}

/* fdstat: filetype u8 @0, flags u16 @2, rights_base u64 @8, rights_inheriting u64 @16 (24 bytes). */
static void fd_fdstat_get(xw_exec_env *env, uint64_t *slots, const void *d) {
  uint32_t fd = ARG32(0);
  uint8_t *p = guest(env, ARG32(1), 24);
  (void)d;
  if (!std_fd(fd)) { ret(slots, E_BADF); return; }
  if (p == NULL) { ret(slots, E_FAULT); return; }
  memset(p, 0, 24);
  p[0] = 2; /* character device: a terminal to wasi-libc, so stdout is line-buffered */
  /* fd_read (bit 1) or fd_write (bit 6), and poll_fd_readwrite (bit 27); no seek or tell */
  put64(p + 8, (fd == 0 ? (1u << 1) : (1u << 6)) | (1u << 27));
  ret(slots, E_SUCCESS);
}

static void fd_close(xw_exec_env *env, uint64_t *slots, const void *d) {
  (void)env; (void)d;
  ret(slots, std_fd(ARG32(0)) ? E_SUCCESS : E_BADF);
}

static void fd_seek(xw_exec_env *env, uint64_t *slots, const void *d) {
  (void)d;
  if (!std_fd(ARG32(0))) { ret(slots, E_BADF); return; }
  if (guest(env, ARG32(3), 8) == NULL) { ret(slots, E_FAULT); return; }
  ret(slots, E_SPIPE);
}

/* No preopened directories: wasi-libc scans from fd 3 until EBADF. */
static void fd_prestat_get(xw_exec_env *env, uint64_t *slots, const void *d) { (void)env; (void)d; ret(slots, E_BADF); }
static void fd_prestat_dir_name(xw_exec_env *env, uint64_t *slots, const void *d) { (void)env; (void)d; ret(slots, E_BADF); }

/* fd_read: stdin is empty (end of file); other descriptors do not exist. */
static void fd_read(xw_exec_env *env, uint64_t *slots, const void *d) {
  uint32_t fd = ARG32(0), n = ARG32(2), i;
  uint8_t *vec = guest(env, ARG32(1), 8u * (uint64_t)n), *pn = guest(env, ARG32(3), 4);
  (void)d;
  if (!std_fd(fd)) { ret(slots, E_BADF); return; }
  if (vec == NULL || pn == NULL) { ret(slots, E_FAULT); return; }
  for (i = 0; i < n; i++)
    if (guest(env, get32(vec + 8u * i), get32(vec + 8u * i + 4u)) == NULL) { ret(slots, E_FAULT); return; }
  if (fd != 0) { ret(slots, E_BADF); return; }
  put32(pn, 0);
  ret(slots, E_SUCCESS);
}

/* ---- random, exit, yield ---- */
static void random_get(xw_exec_env *env, uint64_t *slots, const void *d) {
  const xw_wasi_hooks *h = HOOKS(env);
  uint32_t len = ARG32(1);
  uint8_t *p = guest(env, ARG32(0), len);
  (void)d;
  if (p == NULL) { ret(slots, E_FAULT); return; }
  if (h == NULL || h->random == NULL) { ret(slots, E_NOSYS); return; }
  ret(slots, h->random(h->user, p, len) == 0 ? E_SUCCESS : E_IO);
}

static void proc_exit(xw_exec_env *env, uint64_t *slots, const void *d) {
  const xw_wasi_hooks *h = HOOKS(env);
  (void)d;
  if (h != NULL && h->exit != NULL) h->exit(h->user, (int32_t)ARG32(0));
  xw_exit_ctx(INST(env)->ctx, (int32_t)ARG32(0));
}

static void sched_yield(xw_exec_env *env, uint64_t *slots, const void *d) {
  (void)d;
  xw_poll_interrupt(INST(env)->ctx);
  ret(slots, E_SUCCESS);
}

/* ---- poll_oneoff: clock subscriptions sleep; fd subscriptions answer at once ----
   subscription (48 bytes): userdata u64 @0, tag u8 @8 (0 clock, 1 fd_read, 2 fd_write), then for a clock:
   id u32 @16, timeout u64 @24, precision u64 @32, flags u16 @40 (bit 0: absolute); for an fd: fd u32 @16.
   event (32 bytes): userdata u64 @0, errno u16 @8, type u8 @10, nbytes u64 @16, flags u16 @24. */
static void poll_oneoff(xw_exec_env *env, uint64_t *slots, const void *d) {
  const xw_wasi_hooks *h = HOOKS(env);
  uint32_t nsubs = ARG32(2), i, nevents = 0, fd_ready = 0;
  uint8_t *in = guest(env, ARG32(0), 48u * (uint64_t)nsubs), *out = guest(env, ARG32(1), 32u * (uint64_t)nsubs);
  uint8_t *pn = guest(env, ARG32(3), 4);
  uint64_t wait = UINT64_MAX, now = 0;
  (void)d;
  if (in == NULL || out == NULL || pn == NULL) { ret(slots, E_FAULT); return; }
  if (nsubs == 0) { ret(slots, E_INVAL); return; }
  for (i = 0; i < nsubs; i++) {
    const uint8_t *s = in + 48u * i;
    if (s[8] == 0) {
      uint64_t timeout = get64(s + 24), left = timeout;
      if (get32(s + 40) & 1u) { /* absolute: relative to the clock's now */
        uint32_t e = read_clock(env, get32(s + 16), &now);
        if (e != E_SUCCESS) { ret(slots, e); return; }
        left = timeout > now ? timeout - now : 0;
      }
      if (left < wait) wait = left;
    } else if (s[8] <= 2u) {
      fd_ready = 1;
    } else {
      ret(slots, E_INVAL);
      return;
    }
  }
  if (!fd_ready && wait != UINT64_MAX && wait > 0) {
    if (h != NULL && h->sleep != NULL) {
      h->sleep(h->user, wait);
    } else {
      uint64_t start, t;
      uint32_t e = read_clock(env, 1, &start);
      if (e != E_SUCCESS) { ret(slots, e); return; }
      do { /* no sleep hook: wait on the monotonic clock, stoppable by xw_interrupt */
        xw_poll_interrupt(INST(env)->ctx);
        if ((e = read_clock(env, 1, &t)) != E_SUCCESS) { ret(slots, e); return; }
      } while (t - start < wait);
    }
    xw_poll_interrupt(INST(env)->ctx);
  }
  for (i = 0; i < nsubs; i++) {
    const uint8_t *s = in + 48u * i;
    uint8_t *ev = out + 32u * nevents;
    uint32_t err = E_SUCCESS;
    if (s[8] == 0) {
      if (fd_ready) continue; /* fd events answer first; the clock has not run */
      if (!(get32(s + 40) & 1u) && get64(s + 24) > wait) continue;
    } else {
      uint32_t fd = get32(s + 16);
      err = (s[8] == 2 && (fd == 1u || fd == 2u)) || (s[8] == 1 && fd == 0u) ? E_SUCCESS : E_BADF;
    }
    memset(ev, 0, 32);
    put64(ev, get64(s));
    ev[8] = (uint8_t)err;
    ev[10] = s[8];
    nevents++;
  }
  put32(pn, nevents);
  ret(slots, E_SUCCESS);
}

/* ---- the functions with no MCU meaning ---- */
/* The first argument is a descriptor: EBADF unless it is 0-2, then ENOSYS. */
static void fd_other(xw_exec_env *env, uint64_t *slots, const void *d) { (void)env; (void)d; ret(slots, std_fd(ARG32(0)) ? E_NOSYS : E_BADF); }
/* A path relative to a directory descriptor: there is none. */
static void no_dir(xw_exec_env *env, uint64_t *slots, const void *d) { (void)env; (void)d; ret(slots, E_BADF); }
static void nosys(xw_exec_env *env, uint64_t *slots, const void *d) { (void)env; (void)d; ret(slots, E_NOSYS); }

typedef struct { const char *name; const char *sig; xw_raw_fn fn; } wasi_fn;

/* Every wasi_snapshot_preview1 function, with its Wasm type as a WAMR signature string. */
static const wasi_fn wasi_fns[] = {
  { "args_get", "(ii)i", args_get },
  { "args_sizes_get", "(ii)i", args_sizes_get },
  { "environ_get", "(ii)i", environ_get },
  { "environ_sizes_get", "(ii)i", environ_sizes_get },
  { "clock_res_get", "(ii)i", clock_res_get },
  { "clock_time_get", "(iIi)i", clock_time_get },
  { "fd_advise", "(iIIi)i", fd_other },
  { "fd_allocate", "(iII)i", fd_other },
  { "fd_close", "(i)i", fd_close },
  { "fd_datasync", "(i)i", fd_other },
  { "fd_fdstat_get", "(ii)i", fd_fdstat_get },
  { "fd_fdstat_set_flags", "(ii)i", fd_other },
  { "fd_fdstat_set_rights", "(iII)i", fd_other },
  { "fd_filestat_get", "(ii)i", fd_other },
  { "fd_filestat_set_size", "(iI)i", fd_other },
  { "fd_filestat_set_times", "(iIIi)i", fd_other },
  { "fd_pread", "(iiiIi)i", fd_other },
  { "fd_prestat_get", "(ii)i", fd_prestat_get },
  { "fd_prestat_dir_name", "(iii)i", fd_prestat_dir_name },
  { "fd_pwrite", "(iiiIi)i", fd_other },
  { "fd_read", "(iiii)i", fd_read },
  { "fd_readdir", "(iiiIi)i", fd_other },
  { "fd_renumber", "(ii)i", fd_other },
  { "fd_seek", "(iIii)i", fd_seek },
  { "fd_sync", "(i)i", fd_other },
  { "fd_tell", "(ii)i", fd_other },
  { "fd_write", "(iiii)i", fd_write },
  { "path_create_directory", "(iii)i", no_dir },
  { "path_filestat_get", "(iiiii)i", no_dir },
  { "path_filestat_set_times", "(iiiiIIi)i", no_dir },
  { "path_link", "(iiiiiii)i", no_dir },
  { "path_open", "(iiiiiIIii)i", no_dir },
  { "path_readlink", "(iiiiii)i", no_dir },
  { "path_remove_directory", "(iii)i", no_dir },
  { "path_rename", "(iiiiii)i", no_dir },
  { "path_symlink", "(iiiii)i", no_dir },
  { "path_unlink_file", "(iii)i", no_dir },
  { "poll_oneoff", "(iiii)i", poll_oneoff },
  { "proc_exit", "(i)", proc_exit },
  { "proc_raise", "(i)i", nosys },
  { "random_get", "(ii)i", random_get },
  { "sched_yield", "()i", sched_yield },
  { "sock_accept", "(iii)i", fd_other },
  { "sock_recv", "(iiiiii)i", fd_other },
  { "sock_send", "(iiiii)i", fd_other },
  { "sock_shutdown", "(ii)i", fd_other },
};

xw_raw_fn xw_wasi_find(const char *name, const char **sig) {
  uint32_t i;
  for (i = 0; i < sizeof wasi_fns / sizeof wasi_fns[0]; i++)
    if (strcmp(wasi_fns[i].name, name) == 0) { *sig = wasi_fns[i].sig; return wasi_fns[i].fn; }
  return NULL;
}

uint32_t xw_wasi_count(void) { return (uint32_t)(sizeof wasi_fns / sizeof wasi_fns[0]); }

xw_raw_fn xw_wasi_lookup(const char *name, size_t len, const xw_module *m, uint32_t t, const char **expected) {
  uint32_t i;
  *expected = NULL;
  for (i = 0; i < sizeof wasi_fns / sizeof wasi_fns[0]; i++) {
    if (strlen(wasi_fns[i].name) != len || memcmp(wasi_fns[i].name, name, len) != 0) continue;
    if (!xw_native_sig_matches(wasi_fns[i].sig, m, t)) { *expected = wasi_fns[i].sig; return NULL; }
    return wasi_fns[i].fn;
  }
  return NULL;
}

#else
typedef int xw_wasi_disabled; /* ISO C: a translation unit is not empty */
#endif

/* QEMU TCG plugin (API v1, QEMU 7.2) that counts the guest instructions one invocation executes.
 *
 * The firmware calls xw_count_begin() before and xw_count_end() after each invocation. Between the two, the
 * plugin counts from the first instruction executed inside the code region [lo, hi) (the AOT blob: the entry
 * trampoline) to the last one executed there (its return), including everything the compiled code calls in
 * between (intrinsics, runtime helpers, host functions). Runtime overhead before the trampoline (export lookup,
 * argument checks, setjmp) and after it is excluded. At every xw_count_end() it appends "<count>\n" to the file
 * `out` (0 when the blob was not entered).
 *
 * With `profile=/path`, it also counts how often each translated block of the blob runs between the markers and
 * writes "<address hex> <instructions> <executions>" per block that ran to that file at exit (a profile of
 * where the instructions go: `npm run bench:profile`).
 *
 * Usage: -plugin icount.so,begin=0x...,end=0x...,lo=0x...,hi=0x...,out=/path[,profile=/path]
 *
 * Debian ships no qemu-plugin.h, so the few declarations of the stable v1 API this file uses are written here.
 * Build: cc -shared -fPIC -O2 -o icount.so icount.c */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- QEMU plugin API v1 (subset) ---- */
typedef uint64_t qemu_plugin_id_t;
typedef struct {
  const char *target_name;
  struct { int min; int cur; } version;
  bool system_emulation;
  union { struct { int smp_vcpus; int max_vcpus; } system; };
} qemu_info_t;
struct qemu_plugin_tb;
enum qemu_plugin_cb_flags { QEMU_PLUGIN_CB_NO_REGS, QEMU_PLUGIN_CB_R_REGS, QEMU_PLUGIN_CB_RW_REGS };
enum qemu_plugin_op { QEMU_PLUGIN_INLINE_ADD_U64 };
typedef void (*qemu_plugin_vcpu_tb_trans_cb_t)(qemu_plugin_id_t id, struct qemu_plugin_tb *tb);
typedef void (*qemu_plugin_vcpu_udata_cb_t)(unsigned int vcpu_index, void *userdata);
typedef void (*qemu_plugin_udata_cb_t)(qemu_plugin_id_t id, void *userdata);
void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id, qemu_plugin_vcpu_tb_trans_cb_t cb);
void qemu_plugin_register_vcpu_tb_exec_cb(struct qemu_plugin_tb *tb, qemu_plugin_vcpu_udata_cb_t cb,
                                          enum qemu_plugin_cb_flags flags, void *userdata);
void qemu_plugin_register_vcpu_tb_exec_inline(struct qemu_plugin_tb *tb, enum qemu_plugin_op op, void *ptr,
                                              uint64_t imm);
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id, qemu_plugin_udata_cb_t cb, void *userdata);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
uint64_t qemu_plugin_tb_vaddr(const struct qemu_plugin_tb *tb);
#define QEMU_PLUGIN_EXPORT __attribute__((visibility("default")))

QEMU_PLUGIN_EXPORT int qemu_plugin_version = 1;

/* ---- counting ---- */
static uint64_t begin_addr, end_addr, lo_addr, hi_addr;
static FILE *out;
/* The M-profile boards have one vCPU, so plain globals suffice. */
static uint64_t total;
static bool armed, entered;
static uint64_t first, last;

/* One record per translated blob block (a block translated twice gets two; the reader adds them up). */
struct block {
  uint64_t pc, n, runs;
};
static struct block *blocks;
static size_t nblocks, capblocks;
static const char *profile_path;

static void on_blob_tb(unsigned int vcpu, void *udata) {
  (void)vcpu;
  uint64_t n = (uint64_t)(uintptr_t)udata;
  if (armed && !entered) {
    entered = true;
    first = total;
  }
  total += n;
  if (armed) last = total;
}

static void on_blob_tb_profiled(unsigned int vcpu, void *udata) {
  struct block *b = &blocks[(size_t)(uintptr_t)udata];
  if (armed) b->runs++;
  on_blob_tb(vcpu, (void *)(uintptr_t)b->n);
}

static void on_begin(unsigned int vcpu, void *udata) {
  (void)vcpu;
  (void)udata;
  armed = true;
  entered = false;
}

static void on_end(unsigned int vcpu, void *udata) {
  (void)vcpu;
  (void)udata;
  if (armed) {
    fprintf(out, "%" PRIu64 "\n", entered ? last - first : 0);
    fflush(out);
  }
  armed = false;
}

static void on_translate(qemu_plugin_id_t id, struct qemu_plugin_tb *tb) {
  (void)id;
  uint64_t pc = qemu_plugin_tb_vaddr(tb);
  size_t n = qemu_plugin_tb_n_insns(tb);
  if (pc >= lo_addr && pc < hi_addr) {
    /* One callback per blob TB; a TB never spans the blob and other code (they are far apart). */
    if (profile_path != NULL) {
      if (nblocks == capblocks) {
        size_t cap = capblocks == 0 ? 4096 : 2 * capblocks;
        struct block *grown = realloc(blocks, cap * sizeof *blocks);
        if (grown == NULL) abort();
        blocks = grown;
        capblocks = cap;
      }
      blocks[nblocks] = (struct block){ pc, n, 0 };
      /* the index, not a pointer: realloc may move the array */
      qemu_plugin_register_vcpu_tb_exec_cb(tb, on_blob_tb_profiled, QEMU_PLUGIN_CB_NO_REGS, (void *)(uintptr_t)nblocks);
      nblocks++;
      return;
    }
    qemu_plugin_register_vcpu_tb_exec_cb(tb, on_blob_tb, QEMU_PLUGIN_CB_NO_REGS, (void *)(uintptr_t)n);
    return;
  }
  qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64, &total, n);
  /* Thumb function addresses from the symbol table carry bit 0; TB addresses do not. */
  if (pc == (begin_addr & ~(uint64_t)1)) qemu_plugin_register_vcpu_tb_exec_cb(tb, on_begin, QEMU_PLUGIN_CB_NO_REGS, 0);
  if (pc == (end_addr & ~(uint64_t)1)) qemu_plugin_register_vcpu_tb_exec_cb(tb, on_end, QEMU_PLUGIN_CB_NO_REGS, 0);
}

static void on_exit_cb(qemu_plugin_id_t id, void *udata) {
  (void)id;
  (void)udata;
  if (out != NULL) fclose(out);
  out = NULL;
  if (profile_path != NULL) {
    FILE *f = fopen(profile_path, "w");
    if (f == NULL) {
      fprintf(stderr, "icount plugin: cannot open %s\n", profile_path);
      return;
    }
    for (size_t i = 0; i < nblocks; i++) {
      if (blocks[i].runs > 0) fprintf(f, "%" PRIx64 " %" PRIu64 " %" PRIu64 "\n", blocks[i].pc, blocks[i].n, blocks[i].runs);
    }
    fclose(f);
  }
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc, char **argv);

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc, char **argv) {
  (void)info;
  const char *out_path = NULL;
  for (int i = 0; i < argc; i++) {
    const char *eq = strchr(argv[i], '=');
    if (eq == NULL) return -1;
    size_t klen = (size_t)(eq - argv[i]);
    const char *v = eq + 1;
    if (klen == 5 && strncmp(argv[i], "begin", 5) == 0) begin_addr = strtoull(v, NULL, 0);
    else if (klen == 3 && strncmp(argv[i], "end", 3) == 0) end_addr = strtoull(v, NULL, 0);
    else if (klen == 2 && strncmp(argv[i], "lo", 2) == 0) lo_addr = strtoull(v, NULL, 0);
    else if (klen == 2 && strncmp(argv[i], "hi", 2) == 0) hi_addr = strtoull(v, NULL, 0);
    else if (klen == 3 && strncmp(argv[i], "out", 3) == 0) out_path = v;
    else if (klen == 7 && strncmp(argv[i], "profile", 7) == 0) profile_path = v;
    else {
      fprintf(stderr, "icount plugin: unknown argument %s\n", argv[i]);
      return -1;
    }
  }
  if (out_path == NULL || begin_addr == 0 || end_addr == 0 || hi_addr <= lo_addr) {
    fprintf(stderr, "icount plugin: needs begin=, end=, lo=, hi= and out=\n");
    return -1;
  }
  out = fopen(out_path, "w");
  if (out == NULL) {
    fprintf(stderr, "icount plugin: cannot open %s\n", out_path);
    return -1;
  }
  qemu_plugin_register_vcpu_tb_trans_cb(id, on_translate);
  qemu_plugin_register_atexit_cb(id, on_exit_cb, NULL);
  return 0;
}

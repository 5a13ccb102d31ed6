/* Batch firmware: reads a request file through semihosting and answers one line per request.
   The protocol is documented in docs/boards.md; src/run/protocol.ts is the other side.

   Requests (one per line, fields separated by one space, numbers decimal or 0x-hex, names %-encoded):
     M <idx> <addr> <size> <max-pages> [<argc> =<arg>... =<NAME=VALUE>...]
                                              load + instantiate the image at addr; the instance is named <idx>;
                                              with argc, its WASI arguments then environment (else argv = "xipwasm")
     N <idx> <module-idx> <name>              register that instance's exports under <name>
     I <idx> <module-idx> <export> <nres|?> <type>:<bits>...   call an export
     C <idx> <addr> <size>                    CRC-32 of memory (to prove the blob was never written)
     W <idx> <addr>                           self-test: store a word to addr (expected to fault)
     J <idx> <addr>                           self-test: call addr, or a return instruction in RAM when addr is 0 (faults: XN)
     Z <idx>                                  forget every instance and registration (xw_context_init), empty the arena
   Answers:
     H <board> <blob-base> <blob-size> <arena-size>   once, at start
     O <idx>                                  M/N/Z succeeded
     R <idx> <type>:<bits>...                 I returned
     T <idx> <trap-code> <message>            I trapped (the batch goes on)
     B <idx> <depth> <func> =<name>           before a T (or an M's E for a trapping start function): one frame of
                                              the Wasm call stack at the trap, innermost first (code compiled with
                                              --enable-dump-call-stack; the runtime keeps the innermost frames of
                                              <depth>); <name> %-encoded, empty when the function has none
     E <idx> <error-code> <message>           M/N/I failed, or I outlived the watchdog (103) (the batch goes on)
     K <idx> <crc32>                          C
     X <idx> <what>                           a self-test did not fault
     P <name> <type>:<bits>...                a spectest print function was called
     S <fd> =<bytes>                          program output for the host's stdout (1) or stderr (2), %-encoded
     F <kind> cfsr=... hfsr=... addr=... pc=... lr=...   hardware fault: the run ends with exit status 3
                                              (RISC-V: cfsr = mcause, hfsr = 0, addr = mtval)
     D <count>                                end of requests: exit status 0 */
#include <stdint.h>
#include <string.h>

#include "board.h"
#include "semihost.h"
#include "spectest.h"
#include "xipwasm.h"
#include "xipwasm_board.h"

/* FW_SMALL (the micro:bit's 16 KiB of RAM, src/run/boards.ts) shrinks every table: a few instances, short
   request lines, few values per call. */
#if defined(FW_SMALL) && FW_SMALL
#define MAX_INSTANCES 8u
#define MAX_VALUES 16u
#define STACK_BUDGET (2u * 1024u)
#define CHUNK_SIZE 256u
#define LINE_SIZE 1024u
#define MAX_HOST_FUNCS 16u
#else
#define MAX_INSTANCES 1024u
#define MAX_VALUES 128u
#define STACK_BUDGET (128u * 1024u)
#define CHUNK_SIZE 4096u
#define LINE_SIZE 16384u
#define MAX_HOST_FUNCS 512u
#endif
#define ERR_PROTOCOL 100u /* a malformed request line */
#define ERR_ARENA 101u    /* the arena cannot hold the module */
#define ERR_RANGE 102u    /* an image outside the board's blob region */
#define ERR_WATCHDOG 103u /* an invocation outlived the watchdog budget */

typedef struct {
  uint32_t idx;
  xw_module *mod;
  xw_instance *inst;
} instance_slot;

/* One context for every instance of a batch: spec scripts link them to each other. */
static xw_context ctx;
static instance_slot instances[MAX_INSTANCES];
static uint32_t instance_count;
static uint32_t arena_used;
/* Invocation watchdog state (see watchdog_tick). */
static volatile uint32_t wd_budget_ticks, wd_ticks;
static volatile uint8_t wd_armed, wd_fired;
static xw_instance *volatile wd_inst;

/* ---- instruction-count markers -------------------------------------------------------------------
   The counting plugin (boards/qemu-plugin/icount.c) is told the addresses of these two functions; it counts
   the instructions executed in the blob region (and everything the blob calls) between them. They must stay
   distinct functions: different bodies keep identical-code folding from merging them. */
volatile uint32_t xw_count_marks;
__attribute__((noinline)) void xw_count_begin(void) { xw_count_marks += 1u; }
__attribute__((noinline)) void xw_count_end(void) { xw_count_marks += 2u; }

/* ---- request reader: the file is streamed in chunks, one line at a time ---- */
static int32_t req_handle;
static char chunk[CHUNK_SIZE];
static uint32_t chunk_pos, chunk_len;
static char req_line[LINE_SIZE];

static int next_char(void) {
  if (chunk_pos == chunk_len) {
    int32_t n = sh_read(req_handle, chunk, sizeof chunk);
    if (n <= 0) return -1;
    chunk_len = (uint32_t)n;
    chunk_pos = 0;
  }
  return (unsigned char)chunk[chunk_pos++];
}

/* Returns the line length, -1 at end of file, -2 if the line does not fit. */
static int32_t read_line(void) {
  uint32_t n = 0;
  int c = next_char();
  if (c < 0) return -1;
  while (c >= 0 && c != '\n') {
    if (n >= sizeof req_line - 1) return -2;
    req_line[n++] = (char)c;
    c = next_char();
  }
  req_line[n] = '\0';
  return (int32_t)n;
}

/* ---- parsing helpers ---- */
static char *fields[MAX_VALUES + 8];
static uint32_t field_count;

static void split_fields(char *s) {
  field_count = 0;
  while (*s != '\0' && field_count < sizeof fields / sizeof fields[0]) {
    while (*s == ' ') s++;
    if (*s == '\0') break;
    fields[field_count++] = s;
    while (*s != ' ' && *s != '\0') s++;
    if (*s == ' ') *s++ = '\0';
  }
}

static int parse_u64(const char *s, uint64_t *out) {
  uint64_t v = 0;
  if (*s == '\0') return 0;
  if (s[0] == '0' && s[1] == 'x') {
    s += 2;
    if (*s == '\0') return 0;
    for (; *s != '\0'; s++) {
      uint32_t d;
      if (*s >= '0' && *s <= '9') d = (uint32_t)(*s - '0');
      else if (*s >= 'a' && *s <= 'f') d = (uint32_t)(*s - 'a' + 10);
      else if (*s >= 'A' && *s <= 'F') d = (uint32_t)(*s - 'A' + 10);
      else return 0;
      v = (v << 4) | d;
    }
  } else {
    for (; *s != '\0'; s++) {
      if (*s < '0' || *s > '9') return 0;
      v = v * 10u + (uint32_t)(*s - '0');
    }
  }
  *out = v;
  return 1;
}

static int parse_u32(const char *s, uint32_t *out) {
  uint64_t v;
  if (!parse_u64(s, &v) || v > 0xFFFFFFFFu) return 0;
  *out = (uint32_t)v;
  return 1;
}

static int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* Decodes %XX in place (names may hold spaces, '%' or any byte). */
/* A name field: '=' then the name with %XX escapes; decoded in place (it may contain NUL), its length in *len. */
static int percent_decode(char *s, size_t *len) {
  char *w = s;
  if (*s != '=') return 0;
  for (char *r = s + 1; *r != '\0'; r++) {
    if (*r == '%') {
      int hi = hex_digit(r[1]);
      int lo = hi < 0 ? -1 : hex_digit(r[2]);
      if (lo < 0) return 0;
      *w++ = (char)(hi * 16 + lo);
      r += 2;
    } else {
      *w++ = *r;
    }
  }
  *len = (size_t)(w - s);
  *w = '\0';
  return 1;
}

static const char *type_name(uint8_t t) {
  switch (t) {
  case XW_I32: return "i32";
  case XW_I64: return "i64";
  case XW_F32: return "f32";
  case XW_F64: return "f64";
  case XW_FUNCREF: return "funcref";
  case XW_EXTERNREF: return "externref";
  default: return "unknown";
  }
}

static int parse_value(const char *s, xw_value *v) {
  static const uint8_t types[] = { XW_I32, XW_I64, XW_F32, XW_F64, XW_FUNCREF, XW_EXTERNREF };
  for (uint32_t i = 0; i < sizeof types; i++) {
    const char *name = type_name(types[i]);
    size_t n = strlen(name);
    if (strncmp(s, name, n) == 0 && s[n] == ':') {
      uint64_t bits;
      if (!parse_u64(s + n + 1, &bits)) return 0;
      memset(v, 0, sizeof *v);
      v->type = types[i];
      if (types[i] == XW_I64 || types[i] == XW_F64) v->of.f64_bits = bits;
      else if (bits > 0xFFFFFFFFu) return 0;
      else v->of.f32_bits = (uint32_t)bits;
      return 1;
    }
  }
  return 0;
}

static void out_value(const xw_value *v) {
  out_str(type_name(v->type));
  out_char(':');
  if (v->type == XW_I64 || v->type == XW_F64) out_hex64(v->of.f64_bits);
  else out_hex32(v->of.f32_bits);
}

/* ---- answers ---- */
static void answer_error(uint32_t idx, uint32_t code, const char *message) {
  out_str("E ");
  out_dec(idx);
  out_char(' ');
  out_dec(code);
  out_char(' ');
  out_str(message);
  out_end();
}

static void answer_ok(uint32_t idx) {
  out_str("O ");
  out_dec(idx);
  out_end();
}

static void *arena_alloc(size_t size) {
  uint32_t start = (arena_used + 7u) & ~7u;
  if (size > board.arena_size || start > board.arena_size - size) return 0;
  arena_used = start + (uint32_t)size;
  return (void *)(uintptr_t)(board.arena_base + start);
}

static instance_slot *find_instance(uint32_t idx) {
  for (uint32_t i = instance_count; i > 0; i--) {
    if (instances[i - 1].idx == idx) return &instances[i - 1];
  }
  return 0;
}

/* ---- host functions: spectest's, then those of every --native-lib file (the driver generates the list) ---- */
typedef uint32_t (*native_lib_fn)(const xw_host_func **funcs);
extern const native_lib_fn xw_native_libs[];
extern const uint32_t xw_native_lib_count;

static xw_host_func host_table[MAX_HOST_FUNCS];
static uint32_t host_count;

/* Returns 0 when the tables do not fit. */
static int collect_host_funcs(void) {
  for (uint32_t i = 0; i < spectest_func_count; i++) host_table[host_count++] = spectest_funcs[i];
  for (uint32_t l = 0; l < xw_native_lib_count; l++) {
    const xw_host_func *funcs = 0;
    uint32_t n = xw_native_libs[l](&funcs);
    if (n > MAX_HOST_FUNCS - host_count) return 0;
    for (uint32_t i = 0; i < n; i++) host_table[host_count++] = funcs[i];
  }
  return 1;
}

static xw_instance *slot_of(uint32_t idx) {
  instance_slot *slot = find_instance(idx);
  return slot == 0 ? 0 : slot->inst;
}

/* ---- WASI through semihosting: output as S lines (xw_board_write), clocks from SYS_CLOCK/SYS_TIME ---- */
static int32_t wasi_write(void *user, uint32_t fd, const uint8_t *data, uint32_t len) {
  (void)user;
  xw_board_write(fd, data, len);
  return (int32_t)len;
}

static int32_t wasi_clock(void *user, uint32_t id, uint64_t *ns) {
  (void)user;
  if (id == 0) {
    int32_t s = sh_call(SH_SYS_TIME, 0);
    if (s < 0) return -1;
    *ns = (uint64_t)(uint32_t)s * 1000000000u;
  } else {
    int32_t cs = sh_call(SH_SYS_CLOCK, 0);
    if (cs < 0) return -1;
    *ns = (uint64_t)(uint32_t)cs * 10000000u;
  }
  return 0;
}

/* Deterministic (xorshift): the batch firmware is a test harness, not a source of secrets. */
static int32_t wasi_random(void *user, uint8_t *buf, uint32_t len) {
  static uint32_t state = 0x2545F491u;
  (void)user;
  for (uint32_t i = 0; i < len; i++) {
    state ^= state << 13;
    state ^= state >> 17;
    state ^= state << 5;
    buf[i] = (uint8_t)state;
  }
  return 0;
}

static const xw_wasi_hooks wasi_hooks = { wasi_write, wasi_clock, wasi_random, 0, 0, 0, 10000000u };
static const char *const wasi_argv[] = { "xipwasm" };
static const xw_wasi_config wasi_config = { &wasi_hooks, wasi_argv, 1, 0, 0 };

/* The optional tail of an M request (fields from 5 on): `<argc> =arg... =NAME=VALUE...`. The runtime keeps the
   config by pointer, so the config, the pointer arrays and the strings go into the arena with the instance. */
static const xw_wasi_config *wasi_config_of_request(uint32_t idx) {
  uint32_t argc;
  if (field_count == 5) return &wasi_config;
  if (field_count == sizeof fields / sizeof fields[0]) {
    answer_error(idx, ERR_PROTOCOL, "too many WASI arguments and variables in one M request");
    return 0;
  }
  if (!parse_u32(fields[5], &argc) || argc > field_count - 6) {
    answer_error(idx, ERR_PROTOCOL, "malformed WASI arguments in M request");
    return 0;
  }
  uint32_t total = field_count - 6;
  xw_wasi_config *w = arena_alloc(sizeof *w);
  const char **list = arena_alloc((total + 1u) * sizeof *list);
  if (w == 0 || list == 0) {
    answer_error(idx, ERR_ARENA, "arena full");
    return 0;
  }
  for (uint32_t i = 0; i < total; i++) {
    size_t len;
    char *copy;
    if (!percent_decode(fields[6 + i], &len) || (copy = arena_alloc(len + 1u)) == 0) {
      answer_error(idx, ERR_PROTOCOL, "malformed or too long WASI argument");
      return 0;
    }
    memcpy(copy, fields[6 + i], len + 1u);
    list[i] = copy;
  }
  w->hooks = &wasi_hooks;
  w->argv = list;
  w->argc = argc;
  w->environ = list + argc;
  w->environ_count = total - argc;
  return w;
}

/* ---- commands ---- */
/* The B lines of the trap just taken (none for code built without --enable-dump-call-stack). */
static void answer_call_stack(uint32_t idx) {
#if XW_CALL_STACK_CAPACITY > 0
  uint32_t funcs[XW_CALL_STACK_CAPACITY];
  const xw_module *mod = 0;
  uint32_t depth = xw_trap_call_stack(&ctx, funcs, XW_CALL_STACK_CAPACITY, &mod);
  for (uint32_t i = 0; i < depth && i < XW_CALL_STACK_CAPACITY; i++) {
    size_t len = 0;
    const char *name = xw_func_name(mod, funcs[i], &len);
    out_str("B ");
    out_dec(idx);
    out_char(' ');
    out_dec(depth);
    out_char(' ');
    out_dec(funcs[i]);
    out_char(' ');
    out_encoded(name, name == 0 ? 0u : (uint32_t)len);
    out_end();
  }
#else
  (void)idx;
#endif
}

static void cmd_module(uint32_t idx) {
  uint32_t addr, size, max_pages;
  if (field_count < 5 || !parse_u32(fields[2], &addr) || !parse_u32(fields[3], &size) ||
      !parse_u32(fields[4], &max_pages)) {
    answer_error(idx, ERR_PROTOCOL, "malformed M request");
    return;
  }
  if (addr < board.blob_base || size > board.blob_size || addr - board.blob_base > board.blob_size - size) {
    answer_error(idx, ERR_RANGE, "image outside the blob region");
    return;
  }
  if (instance_count == MAX_INSTANCES) {
    answer_error(idx, ERR_ARENA, "too many instances in one batch");
    return;
  }
  uint32_t arena_mark = arena_used;
  const xw_wasi_config *wasi = wasi_config_of_request(idx);
  if (wasi == 0) {
    arena_used = arena_mark;
    return;
  }
  xw_module *mod = arena_alloc(sizeof *mod);
  if (mod == 0) {
    answer_error(idx, ERR_ARENA, "arena full");
    return;
  }
  xw_result r = xw_load(&ctx, mod, (const uint8_t *)(uintptr_t)addr, size);
  size_t ram_size = 0;
  if (r == XW_OK) r = xw_instance_ram_size(&ctx, mod, max_pages, &ram_size);
  if (r != XW_OK) {
    arena_used = arena_mark;
    answer_error(idx, (uint32_t)r, xw_last_message(&ctx));
    return;
  }
  void *ram = arena_alloc(ram_size);
  if (ram == 0) {
    arena_used = arena_mark;
    answer_error(idx, ERR_ARENA, "arena full");
    return;
  }
  xw_config cfg;
  memset(&cfg, 0, sizeof cfg);
  cfg.ram = ram;
  cfg.ram_size = ram_size;
  cfg.max_memory_pages = max_pages;
  cfg.stack_budget = STACK_BUDGET;
  cfg.host_funcs = host_table;
  cfg.host_func_count = host_count;
  cfg.wasi = wasi;
  xw_instance *inst = 0;
  r = xw_instantiate(&ctx, &inst, mod, &cfg);
  if (r != XW_OK) {
    if (r == XW_ERR_UNINSTANTIABLE && strncmp(xw_last_message(&ctx), "trap:", 5) == 0) answer_call_stack(idx);
    arena_used = arena_mark;
    answer_error(idx, (uint32_t)r, xw_last_message(&ctx));
    return;
  }
  instances[instance_count].idx = idx;
  instances[instance_count].mod = mod;
  instances[instance_count].inst = inst;
  instance_count++;
  /* O <idx> <bytes>: a module answer also gives the instance's RAM (xw_instance_ram_size) */
  out_str("O ");
  out_dec(idx);
  out_char(' ');
  out_dec((uint32_t)ram_size);
  out_end();
}

static void cmd_register(uint32_t idx) {
  uint32_t mod_idx;
  size_t name_len;
  if (field_count != 4 || !parse_u32(fields[2], &mod_idx) || !percent_decode(fields[3], &name_len)) {
    answer_error(idx, ERR_PROTOCOL, "malformed N request");
    return;
  }
  instance_slot *slot = find_instance(mod_idx);
  if (slot == 0) {
    answer_error(idx, ERR_PROTOCOL, "no such instance");
    return;
  }
  /* The runtime keeps the name and the node by pointer: both live in the arena (an instance may get several names). */
  size_t len = strlen(fields[3]) + 1;
  xw_registration *node = arena_alloc(sizeof *node);
  char *name = node == 0 ? 0 : arena_alloc(len);
  if (name == 0) {
    answer_error(idx, ERR_ARENA, "arena full");
    return;
  }
  memcpy(name, fields[3], len);
  xw_result r = xw_register_node(node, slot->inst, name);
  if (r != XW_OK) answer_error(idx, (uint32_t)r, xw_last_message(&ctx));
  else answer_ok(idx);
}

static xw_value args[MAX_VALUES];
static xw_value results[MAX_VALUES];


static void invoke(uint32_t idx) {
  uint32_t mod_idx;
  size_t name_len;
  if (field_count < 5 || !parse_u32(fields[2], &mod_idx) || !percent_decode(fields[3], &name_len)) {
    answer_error(idx, ERR_PROTOCOL, "malformed I request");
    return;
  }
  wd_inst = slot_of(mod_idx);
  /* `?` means the driver does not know the result count: try counts until the signature matches. */
  uint32_t nres_lo, nres_hi;
  if (fields[4][0] == '?' && fields[4][1] == '\0') {
    nres_lo = 0;
    nres_hi = 16;
  } else if (parse_u32(fields[4], &nres_lo) && nres_lo <= MAX_VALUES) {
    nres_hi = nres_lo;
  } else {
    answer_error(idx, ERR_PROTOCOL, "malformed result count");
    return;
  }
  uint32_t nargs = field_count - 5;
  for (uint32_t i = 0; i < nargs; i++) {
    if (!parse_value(fields[5 + i], &args[i])) {
      answer_error(idx, ERR_PROTOCOL, "malformed argument");
      return;
    }
  }
  instance_slot *slot = find_instance(mod_idx);
  if (slot == 0) {
    answer_error(idx, ERR_PROTOCOL, "no such instance");
    return;
  }
  xw_result r = XW_ERR_SIGNATURE;
  uint32_t nres = nres_lo;
  for (; nres <= nres_hi; nres++) {
    r = xw_call_n(slot->inst, fields[3], name_len, args, nargs, results, nres);
    if (r != XW_ERR_SIGNATURE) break;
  }
  if (r == XW_OK) {
    out_str("R ");
    out_dec(idx);
    for (uint32_t i = 0; i < nres; i++) {
      out_char(' ');
      out_value(&results[i]);
    }
    out_end();
  } else if (r == XW_ERR_TRAP && wd_fired && xw_last_trap(&ctx) == XW_TRAP_INTERRUPTED) {
    /* a host function may have left a half-built line when the call was stopped: it must not prefix the answer */
    out_discard();
    answer_error(idx, ERR_WATCHDOG, "invocation stopped by the watchdog");
  } else if (r == XW_ERR_TRAP) {
    answer_call_stack(idx);
    out_str("T ");
    out_dec(idx);
    out_char(' ');
    out_dec((uint32_t)xw_last_trap(&ctx));
    out_char(' ');
    out_str(xw_last_message(&ctx));
    out_end();
  } else {
    answer_error(idx, (uint32_t)r, xw_last_message(&ctx));
  }
}

/* ---- invocation watchdog ---------------------------------------------------------------------------
   Optional (third command-line argument, in ms; the driver leaves it off when counting instructions, because
   the interrupt would be counted). The architecture's timer (arch_watchdog_start) ticks every 10 ms of virtual
   time; once an armed invocation outlives its budget, every tick calls xw_interrupt_from_isr until the call ends:
   the runtime ends it with the trap "interrupted" (at once when the tick lands in the module's code, where the
   architecture supports that, else at the runtime's next safe point or on a later tick), so the batch goes on. */
static void watchdog_start(uint32_t ms) {
  wd_budget_ticks = (ms + 9u) / 10u;
  arch_watchdog_start();
}

void watchdog_tick(uint32_t *frame) {
  if (!wd_armed || ++wd_ticks < wd_budget_ticks) return;
  wd_fired = 1;
  if (xw_interrupt_from_isr(wd_inst, frame)) wd_armed = 0;
}

/* Every I request passes both markers exactly once, whatever its outcome, so the driver can match the
   plugin's counts to invocations by order. */
static void cmd_invoke(uint32_t idx) {
  xw_count_begin();
  wd_fired = 0;
  wd_ticks = 0;
  wd_armed = 1;
  invoke(idx);
  wd_armed = 0;
  xw_count_end();
}

static uint32_t crc32(const uint8_t *p, uint32_t n) {
  uint32_t crc = 0xFFFFFFFFu;
  for (uint32_t i = 0; i < n; i++) {
    crc ^= p[i];
    for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

static void cmd_crc(uint32_t idx) {
  uint32_t addr, size;
  if (field_count != 4 || !parse_u32(fields[2], &addr) || !parse_u32(fields[3], &size)) {
    answer_error(idx, ERR_PROTOCOL, "malformed C request");
    return;
  }
  out_str("K ");
  out_dec(idx);
  out_char(' ');
  out_hex32(crc32((const uint8_t *)(uintptr_t)addr, size));
  out_end();
}

static void cmd_selftest(uint32_t idx, char kind) {
  uint32_t addr;
  if (field_count != 3 || !parse_u32(fields[2], &addr)) {
    answer_error(idx, ERR_PROTOCOL, "malformed self-test request");
    return;
  }
  if (kind == 'W') arch_selftest_store(addr, 0xDEADBEEFu);
  else arch_selftest_call(addr);
  out_str("X ");
  out_dec(idx);
  out_str(kind == 'W' ? " write did not fault" : " jump did not fault");
  out_end();
}

static void cmd_reset(uint32_t idx) {
  if (field_count != 2) {
    answer_error(idx, ERR_PROTOCOL, "malformed Z request");
    return;
  }
  xw_context_init(&ctx);
  instance_count = 0;
  arena_used = 0;
  answer_ok(idx);
}

int main(void) {
  board_mpu_init();
  xw_context_init(&ctx);

  out_str("H ");
  out_str(board.name);
  out_char(' ');
  out_hex32(board.blob_base);
  out_char(' ');
  out_hex32(board.blob_size);
  out_char(' ');
  out_hex32(board.arena_size);
  out_end();

  if (!collect_host_funcs()) {
    answer_error(0, ERR_PROTOCOL, "too many host functions in the native libraries");
    sh_exit(2);
  }

  /* The command line is "<firmware> <request-file> [<watchdog-ms>]". */
  static char cmdline[512];
  if (sh_cmdline(cmdline, sizeof cmdline) != 0) {
    answer_error(0, ERR_PROTOCOL, "no semihosting command line");
    sh_exit(2);
  }
  char *path = cmdline;
  while (*path != ' ' && *path != '\0') path++;
  while (*path == ' ') path++;
  char *wd = path;
  while (*wd != ' ' && *wd != '\0') wd++;
  if (*wd == ' ') {
    *wd++ = '\0';
    uint32_t ms;
    if (parse_u32(wd, &ms) && ms > 0) watchdog_start(ms);
  }
  req_handle = sh_open_read(path);
  if (req_handle < 0) {
    answer_error(0, ERR_PROTOCOL, "cannot open the request file");
    sh_exit(2);
  }

  uint32_t count = 0;
  for (;;) {
    int32_t n = read_line();
    if (n == -1) break;
    if (n == -2) {
      answer_error(count, ERR_PROTOCOL, "request line too long");
      sh_exit(2);
    }
    split_fields(req_line);
    if (field_count == 0) continue;
    uint32_t idx;
    if (field_count < 2 || fields[0][1] != '\0' || !parse_u32(fields[1], &idx)) {
      answer_error(count, ERR_PROTOCOL, "malformed request");
      continue;
    }
    count++;
    switch (fields[0][0]) {
    case 'M': cmd_module(idx); break;
    case 'N': cmd_register(idx); break;
    case 'I': cmd_invoke(idx); break;
    case 'C': cmd_crc(idx); break;
    case 'Z': cmd_reset(idx); break;
    case 'W':
    case 'J': cmd_selftest(idx, fields[0][0]); break;
    default: answer_error(idx, ERR_PROTOCOL, "unknown request"); break;
    }
  }
  sh_close(req_handle);
  out_str("D ");
  out_dec(count);
  out_end();
  sh_exit(0);
}

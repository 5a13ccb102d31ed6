/*
 * Host unit tests of the runtime core, run under ASan/UBSan by `make -C runtime test FIXTURES=dir`.
 * The fixture images are written by the TS writer (test/aot/fixtures.ts, test/runtime/host.test.ts);
 * the host cannot run Thumb code, so calls into the text go to xw_test_entry_hook, which dispatches
 * on the code offsets the fixtures use.
 */
#include <stdio.h>
#include <stdlib.h>
#include "internal.h"
#include "xipwasm_symbols.h"

int failures, checks;
#define CHECK(c) do { checks++; if (!(c)) { failures++; fprintf(stderr, "%s:%d: CHECK failed: %s (last message: %s)\n", __FILE__, __LINE__, #c, xw_last_message(&ctx)); } } while (0)
#define CHECK_EQ(a, b) do { long long a_ = (long long)(a), b_ = (long long)(b); checks++; if (a_ != b_) { failures++; fprintf(stderr, "%s:%d: %s == %lld, want %s == %lld (last message: %s)\n", __FILE__, __LINE__, #a, a_, #b, b_, xw_last_message(&ctx)); } } while (0)

xw_context ctx;
static const char *fixture_dir;
#define ARENA_SIZE (4u * 65536u)
static union { uint64_t align; uint8_t bytes[ARENA_SIZE]; } arenas[3];

uint8_t *load_file(const char *name, size_t *size);
uint8_t *load_file(const char *name, size_t *size) {
  char path[512];
  FILE *f;
  long n;
  uint8_t *buf;
  snprintf(path, sizeof path, "%s/%s", fixture_dir, name);
  f = fopen(path, "rb");
  if (f == NULL) { fprintf(stderr, "cannot open %s\n", path); exit(2); }
  fseek(f, 0, SEEK_END);
  n = ftell(f);
  fseek(f, 0, SEEK_SET);
  buf = (uint8_t *)malloc((size_t)n + 16);
  if (buf == NULL || fread(buf, 1, (size_t)n, f) != (size_t)n) { fprintf(stderr, "cannot read %s\n", path); exit(2); }
  fclose(f);
  *size = (size_t)n;
  return buf;
}

void test_embedding(void); /* test_embed.c */

/* ---- the fake text (offsets from test/aot/fixtures.ts BASIC_CODE) ---- */
static int start_count;
static uintptr_t seen_limit, seen_sp;
static void host_add(xw_exec_env *env, uint64_t *slots, const void *data);
static int host_tag;
/* With link_records, the fake functions link frame records as code built with --enable-dump-call-stack does
   (docs/abi.md §11): trapper (3) "calls" negate (2), which traps; addtwo (1) with 77 "calls" the import (0), whose
   thunk calls the host function, which calls trapper again. */
static int link_records;
static const xw_frame_record *seen_in_thunk;
__attribute__((noinline)) static void callee_traps(xw_exec_env *env) {
  xw_frame_record rec;
  void (*trap)(xw_exec_env *, uint32_t) = (void (*)(xw_exec_env *, uint32_t))env->symbols[XW_SYM_TRAP];
  rec.prev = env->frames;
  rec.func = 2;
  env->frames = &rec;
  trap(env, XW_TRAP_MEMORY_OOB);
}
__attribute__((noinline)) static void import_thunk(xw_exec_env *env, uint64_t *slots) {
  xw_frame_record rec;
  rec.prev = env->frames;
  rec.func = 0;
  env->frames = &rec;
  host_add(env, slots, &host_tag);
  seen_in_thunk = env->frames;
  CHECK(env->frames == &rec);
  env->frames = rec.prev;
}

void xw_test_entry_hook(xw_exec_env *env, uint64_t *slots, const void *entry, const void *code);
void xw_test_entry_hook(xw_exec_env *env, uint64_t *slots, const void *entry, const void *code) {
  uintptr_t off = (uintptr_t)code - (uintptr_t)env->text_base - 1u;
  xw_frame_record rec;
  (void)entry;
  rec.prev = env->frames;
  rec.func = off == 16 ? 1u : 3u;
  if (link_records && (off == 16 || off == 40)) env->frames = &rec;
  switch (off) {
    case 16: /* addtwo */
      if (link_records) {
        import_thunk(env, slots);
        env->frames = rec.prev;
        break;
      }
      seen_limit = env->stack_limit;
      seen_sp = xw_platform_stack_pointer();
      slots[0] = (uint32_t)((int32_t)(uint32_t)slots[0] + (int32_t)(uint32_t)slots[1]);
      break;
    case 32: slots[0] = (uint64_t)(-(int64_t)slots[0]); break; /* neg */
    case 40: { /* trapper: through the symbol table, as compiled code does */
      void (*trap)(xw_exec_env *, uint32_t) = (void (*)(xw_exec_env *, uint32_t))env->symbols[XW_SYM_TRAP];
      if (link_records) callee_traps(env);
      trap(env, XW_TRAP_MEMORY_OOB);
      break;
    }
    case 48: start_count++; if (env->mem_base != NULL) env->mem_base[0] = 7; break; /* start */
    default: break;
  }
}

xw_instance *basic;
static xw_result nested_result;
static void host_add(xw_exec_env *env, uint64_t *slots, const void *data) {
  CHECK(data == &host_tag);
  CHECK(env != NULL);
  if ((uint32_t)slots[0] == 13u) xw_env_trap(env, "thirteen");
  if ((uint32_t)slots[0] == 77u) {
    /* re-entry: a nested call that traps returns to this host function, not to the outer caller */
    xw_call_frame *outer = ctx.frame;
    nested_result = xw_call(basic, "trapper", NULL, 0, NULL, 0);
    CHECK(ctx.frame == outer);
  }
  slots[0] = (uint32_t)((int32_t)(uint32_t)slots[0] + (int32_t)(uint32_t)slots[1] + 1000);
}
static const xw_host_func host_funcs[] = { { "env", "add", "ii->i", host_add, &host_tag } };

static xw_config config(int arena, uint32_t pages) {
  xw_config c;
  memset(&c, 0, sizeof c);
  c.ram = arenas[arena].bytes;
  c.ram_size = ARENA_SIZE;
  c.max_memory_pages = pages;
  c.host_funcs = host_funcs;
  c.host_func_count = 1;
  return c;
}

static xw_value i32v(int32_t v) { xw_value x; x.type = XW_I32; x.of.i64 = 0; x.of.i32 = v; return x; }
static xw_value i64v(int64_t v) { xw_value x; x.type = XW_I64; x.of.i64 = v; return x; }

static void test_crc_and_messages(void) {
  static const char *const want[] = { "no trap", "unreachable", "out of bounds memory access", "out of bounds table access",
    "undefined element", "uninitialized element", "indirect call type mismatch", "integer divide by zero",
    "integer overflow", "invalid conversion to integer", "call stack exhausted", "host trap" };
  uint32_t i;
  CHECK_EQ(xw_crc32_update(0, (const uint8_t *)"123456789", 9), 0xCBF43926u);
  for (i = 0; i < sizeof want / sizeof want[0]; i++) CHECK(strcmp(xw_trap_message((xw_trap_code)i), want[i]) == 0);
  CHECK_EQ(XW_SYM_COUNT, xw_native_symbol_count);
  CHECK(strcmp(xw_native_symbol_names[XW_SYM_MEMORY_GROW], "xw_memory_grow") == 0);
  CHECK(xw_native_symbols[XW_SYM_MEMORY_GROW] == (const void *)&xw_memory_grow);
}

/* Runs fn(env, NULL, data) under a trap frame, as compiled code calling a helper would. */
typedef struct { uint32_t op, a, b, c, d, e; int32_t ret; } op_args;
static void do_op(xw_exec_env *env, uint64_t *slots, const void *data) {
  op_args *o = (op_args *)(uintptr_t)data;
  (void)slots;
  switch (o->op) {
    case 0: o->ret = xw_memory_grow(env, o->a); break;
    case 1: xw_memory_fill(env, o->a, o->b, o->c); break;
    case 2: xw_memory_copy(env, o->a, o->b, o->c); break;
    case 3: xw_memory_init(env, o->a, o->b, o->c, o->d); break;
    case 4: xw_data_drop(env, o->a); break;
    case 5: o->ret = (int32_t)xw_table_get(env, o->a, o->b); break;
    case 6: xw_table_set(env, o->a, o->b, o->c); break;
    case 7: o->ret = xw_table_grow(env, o->a, o->b, o->c); break;
    case 8: xw_table_fill(env, o->a, o->b, o->c, o->d); break;
    case 9: xw_table_copy(env, o->a, o->b, o->c, o->d, o->e); break;
    case 10: xw_table_init(env, o->a, o->b, o->c, o->d, o->e); break;
    case 11: xw_elem_drop(env, o->a); break;
    case 12: o->ret = (int32_t)xw_table_size(env, o->a); break;
    default: break;
  }
}
static xw_result op(xw_instance *inst, op_args *o) {
  uint64_t slot = 0;
  o->ret = -99;
  return xw_run_entry(inst, do_op, &inst->env, &slot, o, 1);
}
static op_args mk(uint32_t opc, uint32_t a, uint32_t b, uint32_t c, uint32_t d, uint32_t e) {
  op_args o;
  o.op = opc; o.a = a; o.b = b; o.c = c; o.d = d; o.e = e; o.ret = 0;
  return o;
}

xw_module basic_mod;
static uint8_t *basic_img;
static size_t basic_size;

static void test_basic(void) {
  xw_config c = config(0, 2);
  xw_value args[2], res[1];
  const uint8_t *text;
  xw_table *tab;
  uint64_t g1;
  size_t small, big;
  basic_img = load_file("basic.aot", &basic_size);
  CHECK_EQ(xw_load(&ctx, &basic_mod, basic_img, basic_size), XW_OK);
  CHECK_EQ(basic_mod.counts[XW_SEC_FUNCS], 6);
  CHECK_EQ(basic_mod.num_imported[XW_KIND_FUNC], 1);
  CHECK_EQ(basic_mod.text_size, 64);
  CHECK_EQ(basic_mod.start_func, 4);
  CHECK_EQ(xw_instance_ram_size(&ctx, &basic_mod, 1, &small), XW_OK);
  CHECK_EQ(xw_instance_ram_size(&ctx, &basic_mod, 5, &big), XW_OK); /* the module's maximum (2) wins */
  CHECK_EQ(xw_instance_ram_size(&ctx, &basic_mod, 0, &small), XW_ERR_LIMIT); /* below the minimum: an error, not 0 */
  CHECK_EQ(small, 0);
  CHECK(strcmp(xw_last_message(&ctx), "memory minimum is 1 pages, the limit is 0 pages (max_memory_pages 0)") == 0);
  CHECK_EQ(xw_instance_ram_size(&ctx, &basic_mod, 1, &small), XW_OK);
  CHECK_EQ(big - small, 65536);
  c.ram_size = big - 1;
  CHECK_EQ(xw_instantiate(&ctx, &basic, &basic_mod, &c), XW_ERR_NO_ROOM);
  c.ram_size = ARENA_SIZE;
  c.max_memory_pages = 0; /* below the minimum */
  CHECK_EQ(xw_instantiate(&ctx, &basic, &basic_mod, &c), XW_ERR_LIMIT);
  c.max_memory_pages = 2;
  start_count = 0;
  CHECK_EQ(xw_instantiate(&ctx, &basic, &basic_mod, &c), XW_OK);
  if (basic == NULL) return;
  text = basic_mod.text;
  CHECK_EQ(start_count, 1);
  CHECK_EQ(basic->env.mem_base[0], 7);
  CHECK(basic->env.memory == &basic->memory && basic->env.mem_base == basic->memory.base);
  CHECK_EQ(basic->memory.size, 65536);
  CHECK_EQ(basic->memory.max_pages, 2);
  CHECK(memcmp(basic->env.mem_base + 10, "hello", 5) == 0);
  CHECK(basic->env.mem_base[15] == 0 && basic->env.mem_base[9] == 0);
  CHECK(((uintptr_t)basic->env.globals & 7u) == 0);
  CHECK_EQ(*(int32_t *)(void *)basic->env.globals, 42);
  memcpy(&g1, basic->env.globals + 8, 8);
  CHECK(g1 == 0x1122334455667788ull);
  CHECK_EQ(*(uint32_t *)(void *)(basic->env.globals + 16), XW_REF_FROM_PTR(&basic->env.funcrefs[1]));
  CHECK(basic->env.funcrefs[1].code == (const void *)(text + 33));
  CHECK(basic->env.funcrefs[1].env == &basic->env);
  CHECK_EQ(basic->env.funcrefs[1].type_id, basic->env.type_ids[2]);
  CHECK_EQ(basic->env.funcrefs[0].type_id, basic->env.type_ids[1]);
  CHECK(basic->env.type_ids[0] != basic->env.type_ids[1] && basic->env.type_ids[1] != basic->env.type_ids[2]);
  CHECK(basic->env.symbols == xw_native_symbols);
  CHECK(basic->env.func_ptrs == NULL);
  CHECK(basic->env.text_base == text);
  CHECK(basic->env.imports[0].fn == host_add && basic->env.imports[0].env == &basic->env && basic->env.imports[0].data == &host_tag);
  tab = basic->env.tables[0];
  CHECK_EQ(tab->size, 4);
  CHECK_EQ(tab->max, 8);
  CHECK_EQ(tab->elems[0], 0);
  CHECK_EQ(tab->elems[1], XW_REF_FROM_PTR(&basic->env.funcrefs[1]));
  CHECK_EQ(tab->elems[2], 0);
  CHECK_EQ(tab->elems[3], XW_REF_FROM_PTR(&basic->env.funcrefs[0]));
  CHECK_EQ(basic->dropped[0], 1); /* active data */
  CHECK_EQ(basic->dropped[1], 0); /* passive data */
  CHECK_EQ(basic->dropped[2], 1); /* active elem */
  CHECK_EQ(basic->dropped[3], 0); /* passive elem */

  /* calls */
  args[0] = i32v(2); args[1] = i32v(40);
  CHECK_EQ(xw_call(basic, "addtwo", args, 2, res, 1), XW_OK);
  CHECK_EQ(res[0].type, XW_I32);
  CHECK_EQ(res[0].of.i32, 42);
  CHECK(seen_limit < seen_sp && seen_limit >= seen_sp - XW_DEFAULT_STACK_BUDGET);
  CHECK_EQ(basic->env.stack_limit, 0); /* restored after the call */
  args[0] = i32v(-5); args[1] = i32v(3);
  CHECK_EQ(xw_call(basic, "add_import", args, 2, res, 1), XW_OK);
  CHECK_EQ(res[0].of.i32, 998);
  args[0] = i64v(5);
  CHECK_EQ(xw_call(basic, "neg", args, 1, res, 1), XW_OK);
  CHECK(res[0].type == XW_I64 && res[0].of.i64 == -5);
  CHECK_EQ(xw_call(basic, "neg", args, 0, res, 1), XW_ERR_SIGNATURE);
  args[0] = i32v(5);
  CHECK_EQ(xw_call(basic, "neg", args, 1, res, 1), XW_ERR_SIGNATURE);
  CHECK_EQ(xw_call(basic, "nope", args, 0, res, 0), XW_ERR_NO_EXPORT);
  CHECK(strstr(xw_last_message(&ctx), "nope") != NULL);
  CHECK_EQ(xw_call(basic, "mem", args, 0, res, 0), XW_ERR_NO_EXPORT);
  CHECK_EQ(xw_call(basic, "grow", args, 1, res, 1), XW_ERR_NO_EXPORT); /* no entry trampoline */
  CHECK_EQ(xw_call(basic, "trapper", NULL, 0, NULL, 0), XW_ERR_TRAP);
  CHECK_EQ(xw_last_trap(&ctx), XW_TRAP_MEMORY_OOB);
  CHECK(strcmp(xw_last_message(&ctx), "trap: out of bounds memory access") == 0);
  CHECK(ctx.frame == NULL);
  args[0] = i32v(13); args[1] = i32v(0);
  CHECK_EQ(xw_call(basic, "add_import", args, 2, res, 1), XW_ERR_TRAP);
  CHECK_EQ(xw_last_trap(&ctx), XW_TRAP_HOST);
  CHECK(strcmp(xw_last_message(&ctx), "trap: host trap: thirteen") == 0);
  args[0] = i32v(77); args[1] = i32v(1);
  nested_result = XW_OK;
  CHECK_EQ(xw_call(basic, "add_import", args, 2, res, 1), XW_OK);
  CHECK_EQ(nested_result, XW_ERR_TRAP);
  CHECK_EQ(res[0].of.i32, 1078);
  CHECK_EQ(xw_get_global(basic, "g", &res[0]), XW_OK);
  CHECK(res[0].type == XW_I32 && res[0].of.i32 == 42);
  CHECK_EQ(xw_get_global(basic, "addtwo", &res[0]), XW_ERR_NO_EXPORT);
  /* after a trap the instance is still usable */
  args[0] = i32v(1); args[1] = i32v(2);
  CHECK_EQ(xw_call(basic, "addtwo", args, 2, res, 1), XW_OK);
  CHECK_EQ(res[0].of.i32, 3);
}

static void test_helpers(void) {
  op_args o;
  xw_instance *inst = basic;
  uint8_t *mem;
  if (inst == NULL) return;
  mem = inst->env.mem_base;
  /* memory.fill / copy bounds: n = 0 at the end is fine, one past traps */
  o = mk(1, 65536, 0xAB, 0, 0, 0); CHECK_EQ(op(inst, &o), XW_OK);
  o = mk(1, 65536, 0xAB, 1, 0, 0); CHECK_EQ(op(inst, &o), XW_ERR_TRAP); CHECK_EQ(xw_last_trap(&ctx), XW_TRAP_MEMORY_OOB);
  o = mk(1, 0xFFFFFFFFu, 0, 2, 0, 0); CHECK_EQ(op(inst, &o), XW_ERR_TRAP); /* no 32-bit wrap */
  o = mk(1, 1000, 0x1FF, 4, 0, 0); CHECK_EQ(op(inst, &o), XW_OK);
  CHECK(mem[1000] == 0xFF && mem[1003] == 0xFF && mem[1004] == 0);
  o = mk(2, 1001, 1000, 4, 0, 0); CHECK_EQ(op(inst, &o), XW_OK); /* overlapping */
  CHECK(mem[1004] == 0xFF && mem[1000] == 0xFF);
  o = mk(2, 0, 65530, 7, 0, 0); CHECK_EQ(op(inst, &o), XW_ERR_TRAP);
  /* memory.init from the passive segment "world" (data 1) */
  o = mk(3, 1, 200, 1, 4, 0); CHECK_EQ(op(inst, &o), XW_OK);
  CHECK(memcmp(mem + 200, "orld", 4) == 0);
  o = mk(3, 1, 200, 1, 5, 0); CHECK_EQ(op(inst, &o), XW_ERR_TRAP);
  o = mk(3, 0, 200, 0, 1, 0); CHECK_EQ(op(inst, &o), XW_ERR_TRAP); /* active segment was dropped */
  o = mk(3, 0, 200, 0, 0, 0); CHECK_EQ(op(inst, &o), XW_OK);
  o = mk(4, 1, 0, 0, 0, 0); CHECK_EQ(op(inst, &o), XW_OK);
  o = mk(3, 1, 200, 0, 1, 0); CHECK_EQ(op(inst, &o), XW_ERR_TRAP);
  o = mk(3, 1, 65536, 0, 0, 0); CHECK_EQ(op(inst, &o), XW_OK);
  o = mk(3, 1, 65537, 0, 0, 0); CHECK_EQ(op(inst, &o), XW_ERR_TRAP);
  /* memory.grow: max 2 pages, new page zeroed */
  o = mk(0, 0, 0, 0, 0, 0); CHECK_EQ(op(inst, &o), XW_OK); CHECK_EQ(o.ret, 1);
  o = mk(0, 1, 0, 0, 0, 0); CHECK_EQ(op(inst, &o), XW_OK); CHECK_EQ(o.ret, 1);
  CHECK_EQ(inst->memory.size, 131072);
  CHECK(mem[65536] == 0 && mem[131071] == 0);
  o = mk(0, 1, 0, 0, 0, 0); CHECK_EQ(op(inst, &o), XW_OK); CHECK_EQ(o.ret, -1);
  o = mk(0, 0xFFFFFFFFu, 0, 0, 0, 0); CHECK_EQ(op(inst, &o), XW_OK); CHECK_EQ(o.ret, -1);
  /* tables: size 4, max 8 */
  o = mk(12, 0, 0, 0, 0, 0); CHECK_EQ(op(inst, &o), XW_OK); CHECK_EQ(o.ret, 4);
  o = mk(5, 0, 4, 0, 0, 0); CHECK_EQ(op(inst, &o), XW_ERR_TRAP); CHECK_EQ(xw_last_trap(&ctx), XW_TRAP_TABLE_OOB);
  o = mk(5, 1, 0, 0, 0, 0); CHECK_EQ(op(inst, &o), XW_ERR_TRAP); /* no table 1 */
  o = mk(7, 0, 77, 3, 0, 0); CHECK_EQ(op(inst, &o), XW_OK); CHECK_EQ(o.ret, 4);
  o = mk(5, 0, 6, 0, 0, 0); CHECK_EQ(op(inst, &o), XW_OK); CHECK_EQ(o.ret, 77);
  o = mk(7, 0, 0, 2, 0, 0); CHECK_EQ(op(inst, &o), XW_OK); CHECK_EQ(o.ret, -1); /* 7 + 2 > 8 */
  o = mk(8, 0, 5, 9, 2, 0); CHECK_EQ(op(inst, &o), XW_OK);
  o = mk(5, 0, 6, 0, 0, 0); op(inst, &o); CHECK_EQ(o.ret, 9);
  o = mk(8, 0, 6, 9, 2, 0); CHECK_EQ(op(inst, &o), XW_ERR_TRAP);
  o = mk(9, 0, 0, 0, 1, 3); /* copy [1,4) to [0,3) */
  CHECK_EQ(op(inst, &o), XW_OK);
  CHECK_EQ(inst->env.tables[0]->elems[0], XW_REF_FROM_PTR(&inst->env.funcrefs[1]));
  o = mk(9, 0, 0, 5, 0, 3); CHECK_EQ(op(inst, &o), XW_ERR_TRAP);
  /* table.init from the passive elem 1 ([ref.func 1] = funcref 0) */
  o = mk(10, 0, 1, 6, 0, 1); CHECK_EQ(op(inst, &o), XW_OK);
  CHECK_EQ(inst->env.tables[0]->elems[6], XW_REF_FROM_PTR(&inst->env.funcrefs[0]));
  o = mk(10, 0, 1, 6, 0, 2); CHECK_EQ(op(inst, &o), XW_ERR_TRAP);
  o = mk(10, 0, 0, 0, 0, 1); CHECK_EQ(op(inst, &o), XW_ERR_TRAP); /* active elem 0 dropped */
  o = mk(11, 1, 0, 0, 0, 0); CHECK_EQ(op(inst, &o), XW_OK);
  o = mk(10, 0, 1, 0, 0, 1); CHECK_EQ(op(inst, &o), XW_ERR_TRAP);
  o = mk(10, 0, 1, 7, 0, 0); CHECK_EQ(op(inst, &o), XW_OK);
}

static void test_importer(void) {
  size_t size;
  uint8_t *img = load_file("importer.aot", &size);
  xw_module mod;
  xw_instance *inst = NULL;
  xw_config c = config(1, 1);
  xw_value args[2], res[1];
  if (basic == NULL) { free(img); return; }
  CHECK_EQ(xw_load(&ctx, &mod, img, size), XW_OK);
  CHECK_EQ(xw_instantiate(&ctx, &inst, &mod, &c), XW_ERR_UNLINKABLE); /* "basic" not registered yet */
  CHECK(strstr(xw_last_message(&ctx), "basic.addtwo") != NULL);
  CHECK_EQ(xw_register(basic, "basic"), XW_OK);
  *(int32_t *)(void *)basic->env.globals = 123;
  CHECK_EQ(xw_instantiate(&ctx, &inst, &mod, &c), XW_OK);
  if (inst != NULL) {
    CHECK(inst->env.imports[0].fn == (xw_raw_fn)(basic_mod.text + 60 + 1));
    CHECK(inst->env.imports[0].env == &basic->env);
    CHECK(inst->env.imports[0].data == (const void *)(basic_mod.text + 16 + 1));
    CHECK(inst->env.memory == &basic->memory && inst->env.mem_base == basic->memory.base);
    CHECK(inst->env.tables[0] == basic->env.tables[0]);
    CHECK(inst->env.imported_globals[0] == (void *)basic->env.globals);
    CHECK_EQ(*(int32_t *)(void *)inst->env.globals, 123); /* global.get of the import */
    CHECK(memcmp(basic->memory.base + 100, "abc", 3) == 0);
    CHECK_EQ(basic->env.tables[0]->elems[5], XW_REF_FROM_PTR(&inst->env.funcrefs[0]));
    CHECK_EQ(inst->env.funcrefs[0].type_id, basic->env.type_ids[1]); /* same signature, same id */
    args[0] = i32v(20); args[1] = i32v(22);
    CHECK_EQ(xw_call(inst, "call_it", args, 2, res, 1), XW_OK);
    CHECK_EQ(res[0].of.i32, 42);
  }
  xw_context_init(&ctx);
  free(img);
}

static xw_result load_and_instantiate(const char *name, int arena) {
  size_t size;
  uint8_t *img = load_file(name, &size);
  xw_module mod;
  xw_instance *inst = NULL;
  xw_config c = config(arena, 1);
  xw_result r;
  xw_context_init(&ctx); /* the previous fixture's image is freed: forget its signatures */
  r = xw_load(&ctx, &mod, img, size);
  if (r == XW_OK) r = xw_instantiate(&ctx, &inst, &mod, &c);
  free(img);
  return r;
}

static void test_rejections(void) {
  xw_instance *inst;
  CHECK_EQ(load_and_instantiate("oob_data.aot", 2), XW_ERR_UNINSTANTIABLE);
  CHECK(strcmp(xw_last_message(&ctx), "data segment 1: out of bounds memory access") == 0);
  inst = (xw_instance *)(void *)arenas[2].bytes;
  CHECK(memcmp(inst->memory.base, "xy", 2) == 0); /* the first segment's bytes stay (spec 2.0) */
  CHECK_EQ(load_and_instantiate("unlinkable_missing.aot", 2), XW_ERR_UNLINKABLE);
  CHECK(strcmp(xw_last_message(&ctx), "unknown import: env.nothere") == 0);
  CHECK_EQ(load_and_instantiate("unlinkable_sig.aot", 2), XW_ERR_UNLINKABLE);
  CHECK(strcmp(xw_last_message(&ctx), "incompatible import type: env.add: Wasm type (i32) -> (i32), host signature ii->i") == 0);
  CHECK_EQ(load_and_instantiate("hard_float.aot", 2), XW_ERR_TARGET);
  CHECK_EQ(load_and_instantiate("bad_symbol.aot", 2), XW_ERR_MISSING_SYMBOL);
  CHECK(strstr(xw_last_message(&ctx), "aot_intrinsic_bogus") != NULL);
  CHECK_EQ(load_and_instantiate("via_table.aot", 2), XW_OK);
  inst = (xw_instance *)(void *)arenas[2].bytes;
  CHECK(inst->env.func_ptrs != NULL && inst->env.func_ptrs[2] == (const void *)(inst->mod->text + 33));
}

/* Truncations, misplacement and single-byte corruptions (CRC fixed up) never crash and never load a truncated image. */
static void test_corruption(void) {
  uint8_t *buf = (uint8_t *)malloc(basic_size + 16);
  size_t n, pos;
  unsigned k, loaded = 0, rejected = 0, inst_ok = 0;
  static const uint8_t flips[] = { 0x01, 0x80, 0xFF, 0x10 };
  xw_module mod;
  if (buf == NULL) return;
  for (n = 0; n < basic_size; n++) {
    memcpy(buf, basic_img, n);
    CHECK(xw_load(&ctx, &mod, buf, n) != XW_OK);
  }
  memcpy(buf + 4, basic_img, basic_size);
  CHECK_EQ(xw_load(&ctx, &mod, buf + 4, basic_size), XW_ERR_ALIGNMENT);
  for (pos = 0; pos < basic_size; pos++) {
    for (k = 0; k < sizeof flips; k++) {
      xw_instance *inst = NULL;
      xw_config c = config(2, 2);
      uint32_t crc;
      memcpy(buf, basic_img, basic_size);
      buf[pos] ^= flips[k];
      CHECK(xw_load(&ctx, &mod, buf, basic_size) != XW_OK); /* the CRC catches every single-byte change */
      if (pos < XW_H_CRC32 || pos >= XW_H_CRC32 + 4) {
        crc = xw_crc32_update(xw_crc32_update(0, buf, XW_H_CRC32), buf + XW_H_CRC32 + 4, basic_size - XW_H_CRC32 - 4);
        memcpy(buf + XW_H_CRC32, &crc, 4);
      }
      xw_context_init(&ctx);
      if (xw_load(&ctx, &mod, buf, basic_size) != XW_OK) { rejected++; continue; }
      loaded++;
      if (xw_instantiate(&ctx, &inst, &mod, &c) == XW_OK) {
        xw_value args[2], res[2];
        inst_ok++;
        args[0] = i32v(1); args[1] = i32v(2);
        (void)xw_call(inst, "addtwo", args, 2, res, 1);
        (void)xw_call(inst, "trapper", NULL, 0, NULL, 0);
      }
    }
  }
  xw_context_init(&ctx);
  printf("corruption: %u rejected, %u loaded (%u instantiated) of %u single-byte flips\n",
         rejected, loaded, inst_ok, (unsigned)(basic_size * sizeof flips));
  CHECK(rejected > 0);
  free(buf);
}

/* custom-page-sizes: a memory of 16..300 pages of 1 byte; a page size in a version 1 file is refused */
static void test_small_pages(void) {
  size_t size;
  uint8_t *img = load_file("small_pages.aot", &size), *copy;
  xw_module mod;
  xw_instance *inst = NULL;
  xw_config c = config(2, 300);
  op_args o;
  uint32_t crc;
  if (img == NULL) return;
  CHECK_EQ(xw_rd16(img + XW_H_FORMAT_VERSION), XW_AOT_FORMAT_VERSION_PAGE_SIZES);
  CHECK_EQ(xw_load(&ctx, &mod, img, size), XW_OK);
  /* RAM in bytes of memory: 300 - 17 pages of 1 byte more for a limit of 300 than of 17 */
  {
    size_t r300 = 0, r17 = 0, r1000 = 0;
    CHECK_EQ(xw_instance_ram_size(&ctx, &mod, 300, &r300), XW_OK);
    CHECK_EQ(xw_instance_ram_size(&ctx, &mod, 17, &r17), XW_OK);
    CHECK_EQ(xw_instance_ram_size(&ctx, &mod, 1000, &r1000), XW_OK);
    CHECK_EQ(r300 - r17, 283);
    CHECK_EQ(r1000, r300); /* the module's maximum wins */
  }
  CHECK_EQ(xw_instantiate(&ctx, &inst, &mod, &c), XW_OK);
  if (inst != NULL) {
    CHECK_EQ(inst->memory.size, 16);
    CHECK_EQ(inst->memory.page_shift, 0);
    CHECK_EQ(inst->memory.max_pages, 300);
    CHECK_EQ(inst->memory.check_limit, 0); /* below 256 bytes every access takes the exact check */
    o = mk(0, 4, 0, 0, 0, 0); CHECK_EQ(op(inst, &o), XW_OK); CHECK_EQ(o.ret, 16);
    CHECK_EQ(inst->memory.size, 20);
    o = mk(0, 281, 0, 0, 0, 0); CHECK_EQ(op(inst, &o), XW_OK); CHECK_EQ(o.ret, -1);
    o = mk(0, 280, 0, 0, 0, 0); CHECK_EQ(op(inst, &o), XW_OK); CHECK_EQ(o.ret, 20);
    CHECK_EQ(inst->memory.size, 300);
    CHECK_EQ(inst->memory.check_limit, 300 - 255);
    o = mk(1, 299, 0xAB, 1, 0, 0); CHECK_EQ(op(inst, &o), XW_OK);
    o = mk(1, 299, 0xAB, 2, 0, 0); CHECK_EQ(op(inst, &o), XW_ERR_TRAP); /* fill at byte granularity */
  }
  /* the same image as version 1: byte 13 of the memory entry must then be 0 */
  copy = (uint8_t *)malloc(size);
  if (copy != NULL) {
    memcpy(copy, img, size);
    copy[XW_H_FORMAT_VERSION] = 1;
    crc = xw_crc32_update(xw_crc32_update(0, copy, XW_H_CRC32), copy + XW_H_CRC32 + 4, size - XW_H_CRC32 - 4);
    memcpy(copy + XW_H_CRC32, &crc, 4);
    CHECK_EQ(xw_load(&ctx, &mod, copy, size), XW_OK); /* byte 13 is 0: 1-byte pages read as 64 KiB ones */
    copy[mod.sections[XW_SEC_MEMORY] - copy + 13] = 16;
    crc = xw_crc32_update(xw_crc32_update(0, copy, XW_H_CRC32), copy + XW_H_CRC32 + 4, size - XW_H_CRC32 - 4);
    memcpy(copy + XW_H_CRC32, &crc, 4);
    CHECK_EQ(xw_load(&ctx, &mod, copy, size), XW_ERR_MALFORMED);
    copy[XW_H_FORMAT_VERSION] = 2;
    crc = xw_crc32_update(xw_crc32_update(0, copy, XW_H_CRC32), copy + XW_H_CRC32 + 4, size - XW_H_CRC32 - 4);
    memcpy(copy + XW_H_CRC32, &crc, 4);
    CHECK_EQ(xw_load(&ctx, &mod, copy, size), XW_OK); /* version 2 with 64 KiB pages */
    copy[mod.sections[XW_SEC_MEMORY] - copy + 13] = 8;
    crc = xw_crc32_update(xw_crc32_update(0, copy, XW_H_CRC32), copy + XW_H_CRC32 + 4, size - XW_H_CRC32 - 4);
    memcpy(copy + XW_H_CRC32, &crc, 4);
    CHECK_EQ(xw_load(&ctx, &mod, copy, size), XW_ERR_MALFORMED); /* pages of 256 bytes */
    free(copy);
  }
  free(img);
}

/* The call stack at a trap (docs/abi.md §11), from frame records linked as compiled code links them. */
static void test_call_stack(void) {
  uint32_t funcs[8] = { 99, 99, 99, 99, 99, 99, 99, 99 };
  const xw_module *m = NULL;
  xw_value args[2], res[1];
  size_t len = 0;
  const char *name;
  if (basic == NULL) return;
  CHECK(basic->env.frames == NULL);
  CHECK_EQ(xw_call(basic, "trapper", NULL, 0, NULL, 0), XW_ERR_TRAP);
  CHECK_EQ(xw_trap_call_stack(&ctx, funcs, 8, &m), 0); /* no records: built without the flag */
  link_records = 1;
  CHECK_EQ(xw_call(basic, "trapper", NULL, 0, NULL, 0), XW_ERR_TRAP);
  CHECK_EQ(xw_last_trap(&ctx), XW_TRAP_MEMORY_OOB);
  CHECK_EQ(xw_trap_call_stack(&ctx, funcs, 8, &m), 2);
  CHECK(m == &basic_mod);
  CHECK_EQ(funcs[0], 2);
  CHECK_EQ(funcs[1], 3);
  CHECK_EQ(funcs[2], 99);
  CHECK(basic->env.frames == NULL); /* the trap unwound both records */
  /* through a host function that calls back in: the nested call's trap shows the outer call's frames too */
  args[0] = i32v(77); args[1] = i32v(1);
  nested_result = XW_OK;
  seen_in_thunk = NULL;
  CHECK_EQ(xw_call(basic, "addtwo", args, 2, res, 1), XW_OK);
  CHECK_EQ(nested_result, XW_ERR_TRAP);
  CHECK_EQ(res[0].of.i32, 1078);
  CHECK(seen_in_thunk != NULL && seen_in_thunk->func == 0); /* the nested trap left the thunk's record linked */
  CHECK(basic->env.frames == NULL);
  CHECK_EQ(xw_trap_call_stack(&ctx, funcs, 8, NULL), 4);
  CHECK_EQ(funcs[0], 2);
  CHECK_EQ(funcs[1], 3);
  CHECK_EQ(funcs[2], 0);
  CHECK_EQ(funcs[3], 1);
  /* a smaller array gets the innermost frames, and the depth */
  funcs[1] = 99;
  CHECK_EQ(xw_trap_call_stack(&ctx, funcs, 1, NULL), 4);
  CHECK_EQ(funcs[0], 2);
  CHECK_EQ(funcs[1], 99);
  /* a dangling head (a chain a trap left in an instance it did not enter) is cut, not followed */
  {
    xw_frame_record stale;
    stale.prev = (const xw_frame_record *)(uintptr_t)0x10;
    stale.func = 1;
    basic->env.frames = &stale;
    CHECK_EQ(xw_call(basic, "trapper", NULL, 0, NULL, 0), XW_ERR_TRAP);
    CHECK_EQ(xw_trap_call_stack(&ctx, funcs, 8, NULL), 2); /* stale lies above the call's frame */
    CHECK(basic->env.frames == &stale);
    basic->env.frames = NULL;
  }
  link_records = 0;
  /* names: the name section, else an export, else the import's field */
  name = xw_func_name(&basic_mod, 2, &len);
  CHECK(name != NULL && len == 6 && memcmp(name, "negate", 6) == 0);
  name = xw_func_name(&basic_mod, 5, &len);
  CHECK(name != NULL && len == 4 && memcmp(name, "grow", 4) == 0);
  name = xw_func_name(&basic_mod, 0, &len);
  CHECK(name != NULL && len == 10 && memcmp(name, "add_import", 10) == 0);
  CHECK(xw_func_name(&basic_mod, 4, &len) == NULL);
  CHECK(xw_func_name(&basic_mod, 6, &len) == NULL);
}

int main(int argc, char **argv) {
  if (argc < 2) { fprintf(stderr, "usage: %s FIXTURE_DIR\n", argv[0]); return 2; }
  fixture_dir = argv[1];
  test_crc_and_messages();
  test_basic();
  test_call_stack();
  test_helpers();
  test_embedding();
  test_importer();
  xw_context_init(&ctx);
  test_rejections();
  test_corruption();
  test_small_pages();
  free(basic_img);
  printf("%d checks, %d failures\n", checks, failures);
  return failures == 0 ? 0 : 1;
}

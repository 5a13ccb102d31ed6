/*
 * xw_load: checks an AOT image in place (docs/aot-format.md) and fills an xw_module.
 * Every offset, count and index is checked here, once, so that instantiation and
 * calls can index the sections without further checks.
 */
#include "internal.h"
#include "xipwasm_symbols.h"

/* CRC-32 (IEEE, reflected) with a 16-entry nibble table: 64 bytes of flash. */
static const uint32_t crc_nibbles[16] = {
  0x00000000u, 0x1DB71064u, 0x3B6E20C8u, 0x26D930ACu, 0x76DC4190u, 0x6B6B51F4u, 0x4DB26158u, 0x5005713Cu,
  0xEDB88320u, 0xF00F9344u, 0xD6D6A3E8u, 0xCB61B38Cu, 0x9B64C2B0u, 0x86D3D2D4u, 0xA00AE278u, 0xBDBDF21Cu
};

uint32_t xw_crc32_update(uint32_t crc, const uint8_t *p, size_t n) {
  uint32_t c = ~crc;
  while (n--) {
    c ^= *p++;
    c = (c >> 4) ^ crc_nibbles[c & 15u];
    c = (c >> 4) ^ crc_nibbles[c & 15u];
  }
  return ~c;
}

static const uint8_t entry_sizes[XW_SEC_MAX + 1] = {
  0, 1, XW_ES_TYPE, XW_ES_IMPORT, XW_ES_FUNC, XW_ES_TABLE, XW_ES_MEMORY, XW_ES_GLOBAL, XW_ES_EXPORT,
  XW_ES_ELEM, XW_ES_DATA, XW_ES_FUNCREF, XW_ES_SYMBOL, XW_ES_NAME, 1
};

static xw_result bad_at(const xw_module *m, const char *what) { return xw_fail(m->load_context, XW_ERR_MALFORMED, "malformed image: %s", what); }
#define bad(what) bad_at(m, what)

/* A name (off, len) at `p` must lie in the strings section and end in NUL there. */
static int name_ok(const xw_module *m, const uint8_t *p) {
  uint32_t off = xw_rd32(p), len = xw_rd32(p + 4), size = m->section_sizes[XW_SEC_STRINGS];
  if (off >= size || len >= size - off) return 0;
  return m->sections[XW_SEC_STRINGS][off + len] == 0;
}

static int valtype_ok(uint32_t t) {
  return t == XW_I32 || t == XW_I64 || t == XW_F32 || t == XW_F64 || t == XW_FUNCREF || t == XW_EXTERNREF;
}
static int reftype_ok(uint32_t t) { return t == XW_FUNCREF || t == XW_EXTERNREF; }

/* The import field of a table/memory/global/function entry: NONE, or an import of that kind and index. */
static int import_ref_ok(const xw_module *m, uint32_t imp, uint32_t kind, uint32_t index) {
  const uint8_t *e;
  if (imp == XW_AOT_NONE) return index >= m->num_imported[kind];
  if (imp >= m->counts[XW_SEC_IMPORTS] || index >= m->num_imported[kind]) return 0;
  e = XW_ENT(m, XW_SEC_IMPORTS, XW_ES_IMPORT, imp);
  return xw_rd8(e + 16) == kind && xw_rd32(e + 20) == index;
}

static const uint8_t *global_entry(const xw_module *m, uint32_t g) { return XW_ENT(m, XW_SEC_GLOBALS, XW_ES_GLOBAL, g); }

/* A constant expression of type `type`; `nglobals_visible` bounds global.get. */
static int init_ok(const xw_module *m, uint32_t kind, uint64_t value, uint32_t type, uint32_t nglobals_visible) {
  switch (kind) {
    case XW_INIT_I32: return type == XW_I32 && value <= 0xFFFFFFFFu;
    case XW_INIT_I64: return type == XW_I64;
    case XW_INIT_F32: return type == XW_F32 && value <= 0xFFFFFFFFu;
    case XW_INIT_F64: return type == XW_F64;
    case XW_INIT_REF_NULL: return reftype_ok(type) && value == type;
    case XW_INIT_REF_FUNC: return type == XW_FUNCREF && value < m->counts[XW_SEC_FUNCREFS];
    case XW_INIT_GLOBAL_GET:
      return value < nglobals_visible && xw_rd8(global_entry(m, (uint32_t)value)) == type;
    default: return 0;
  }
}

/* thumbv6m < thumbv7m < thumbv7em < thumbv8m.main < thumbv8.1m.main: a later core runs earlier code
   (DSP and the FPU are feature bits, checked separately). */
static int target_ok(uint32_t file_target) {
  return file_target >= (uint32_t)XW_RUNTIME_TARGET_MIN && file_target <= (uint32_t)XW_RUNTIME_TARGET;
}

static const char *target_name(uint32_t t) {
  switch (t) {
    case 1: return "thumbv6m";
    case 2: return "thumbv7m";
    case 3: return "thumbv7em";
    case 4: return "thumbv8m.main";
    case 5: return "thumbv8.1m.main";
    case XW_TARGET_RISCV32: return "riscv32";
    default: return "an unknown target";
  }
}

static int cpu_ok(uint32_t target, uint32_t cpu) {
  if (target == XW_TARGET_RISCV32) return (cpu >= XW_CPU_RV32_FIRST && cpu <= XW_CPU_RV32_LAST) || cpu == XW_CPU_RV32_ISA;
  return cpu <= XW_CPU_ARM_LAST;
}

#if XW_RUNTIME_TARGET == XW_TARGET_RISCV32
/* "rv32i" and the extension letters of an RV32 feature word, in ISA-string order */
static const char *rv32_isa(uint32_t features, char *buf) {
  static const char letters[4] = { 'm', 'a', 'f', 'c' };
  static const uint32_t bits[4] = { XW_FEAT_RV_M, XW_FEAT_RV_A, XW_FEAT_RV_F, XW_FEAT_RV_C };
  uint32_t i, n = 5;
  memcpy(buf, "rv32i", 5);
  for (i = 0; i < 4; i++) if ((features & bits[i]) != 0) buf[n++] = letters[i];
  buf[n] = '\0';
  return buf;
}
#define XW_FLOAT_ABI_NAME(hard) ((hard) ? "ilp32f" : "ilp32")
#else
#define XW_FLOAT_ABI_NAME(hard) ((hard) ? "hard" : "soft")
#endif

static xw_result check_header(xw_module *m, const uint8_t *img, size_t size) {
  uint32_t total;
  if (((uintptr_t)img & (XW_IMAGE_ALIGN - 1u)) != 0)
    return xw_fail(m->load_context, XW_ERR_ALIGNMENT, "image at %x is not %u-byte aligned (make the array const and aligned: docs/embedding.md)",
                   (uint32_t)(uintptr_t)img, (uint32_t)XW_IMAGE_ALIGN);
  if (size < XW_AOT_HEADER_SIZE)
    return xw_fail(m->load_context, XW_ERR_TRUNCATED, "image shorter than its header: %z bytes given, %u needed", size, (uint32_t)XW_AOT_HEADER_SIZE);
  if (img[0] != 'X' || img[1] != 'W' || img[2] != 'A' || img[3] != 'T')
    return xw_fail(m->load_context, XW_ERR_BAD_MAGIC, "not an xipwasm AOT image (bad magic)");
  if (xw_rd16(img + XW_H_FORMAT_VERSION) != XW_AOT_FORMAT_VERSION && xw_rd16(img + XW_H_FORMAT_VERSION) != XW_AOT_FORMAT_VERSION_PAGE_SIZES)
    return xw_fail(m->load_context, XW_ERR_BAD_VERSION, "AOT format version %u, this runtime reads %u and %u", xw_rd16(img + XW_H_FORMAT_VERSION),
                   (uint32_t)XW_AOT_FORMAT_VERSION, (uint32_t)XW_AOT_FORMAT_VERSION_PAGE_SIZES);
  if (xw_rd16(img + XW_H_ABI_VERSION) < XW_ABI_VERSION_MIN || xw_rd16(img + XW_H_ABI_VERSION) > XW_ABI_VERSION)
    return xw_fail(m->load_context, XW_ERR_BAD_VERSION, "ABI version %u, this runtime runs %u..%u", xw_rd16(img + XW_H_ABI_VERSION),
                   (uint32_t)XW_ABI_VERSION_MIN, (uint32_t)XW_ABI_VERSION);
  if (xw_rd32(img + XW_H_SYMBOL_ABI) != XW_NATIVE_SYMBOL_ABI_VERSION)
    return xw_fail(m->load_context, XW_ERR_BAD_VERSION, "native-symbol ABI version %u, this runtime has %u", xw_rd32(img + XW_H_SYMBOL_ABI), (uint32_t)XW_NATIVE_SYMBOL_ABI_VERSION);
  total = xw_rd32(img + XW_H_TOTAL_SIZE);
  if (total > size) return xw_fail(m->load_context, XW_ERR_TRUNCATED, "image truncated: %z bytes given, the header says %u", size, total);
  if (total < XW_AOT_HEADER_SIZE || (total & 3u) != 0) return bad("total size");
  if (!target_ok(xw_rd8(img + XW_H_TARGET)))
    return xw_fail(m->load_context, XW_ERR_TARGET, "image built for %s (target %u), this runtime runs %s..%s (docs/aot-format.md)",
                   target_name(xw_rd8(img + XW_H_TARGET)), xw_rd8(img + XW_H_TARGET), target_name(XW_RUNTIME_TARGET_MIN), target_name(XW_RUNTIME_TARGET));
  if (!cpu_ok(xw_rd8(img + XW_H_TARGET), xw_rd8(img + XW_H_CPU)))
    return xw_fail(m->load_context, XW_ERR_TARGET, "unknown CPU %u for %s in image", xw_rd8(img + XW_H_CPU), target_name(xw_rd8(img + XW_H_TARGET)));
  /* the calling convention before the extensions: an ilp32f image for rv32imafc on an ilp32 rv32imac runtime is
     refused for its float ABI, the mismatch that makes every call with a float wrong */
  if (xw_rd8(img + XW_H_FLOAT_ABI) != XW_RUNTIME_FLOAT_ABI)
    return xw_fail(m->load_context, XW_ERR_TARGET, "image float ABI %s, this runtime %s", XW_FLOAT_ABI_NAME(xw_rd8(img + XW_H_FLOAT_ABI)),
                   XW_FLOAT_ABI_NAME(XW_RUNTIME_FLOAT_ABI));
  if ((xw_rd32(img + XW_H_FEATURES) & ~(uint32_t)XW_RUNTIME_FEATURES) != 0) {
#if XW_RUNTIME_TARGET == XW_TARGET_RISCV32
    char need[12], have[12];
    return xw_fail(m->load_context, XW_ERR_TARGET, "image needs %s, this runtime's core is %s", rv32_isa(xw_rd32(img + XW_H_FEATURES), need),
                   rv32_isa((uint32_t)XW_RUNTIME_FEATURES, have));
#else
    return xw_fail(m->load_context, XW_ERR_TARGET, "image needs CPU features %x, this runtime has %x", xw_rd32(img + XW_H_FEATURES), (uint32_t)XW_RUNTIME_FEATURES);
#endif
  }
  if (xw_rd32(img + XW_H_RELOCATIONS) != 0) return bad("relocations");
#if XW_CHECK_CRC
  {
    uint32_t crc = xw_crc32_update(0, img, XW_H_CRC32);
    crc = xw_crc32_update(crc, img + XW_H_CRC32 + 4, total - XW_H_CRC32 - 4);
    if (crc != xw_rd32(img + XW_H_CRC32)) return xw_fail(m->load_context, XW_ERR_CHECKSUM, "image CRC-32 mismatch");
  }
#endif
  m->image = img;
  m->image_size = total;
  m->flags = xw_rd32(img + XW_H_FLAGS);
  m->globals_size = xw_rd32(img + XW_H_GLOBALS_SIZE);
  m->start_func = xw_rd32(img + XW_H_START_FUNC);
  return XW_OK;
}

static xw_result read_directory(xw_module *m) {
  const uint8_t *img = m->image;
  uint32_t n = xw_rd32(img + XW_H_SECTION_COUNT), i, prev_id = 0, prev_end;
  if (n > XW_SEC_MAX) return bad("section count");
  prev_end = XW_AOT_HEADER_SIZE + n * XW_AOT_DIR_ENTRY_SIZE;
  if (prev_end > m->image_size) return xw_fail(m->load_context, XW_ERR_TRUNCATED, "image shorter than its section directory");
  for (i = 0; i < n; i++) {
    const uint8_t *d = img + XW_AOT_HEADER_SIZE + i * XW_AOT_DIR_ENTRY_SIZE;
    uint32_t id = xw_rd32(d), off = xw_rd32(d + 4), size = xw_rd32(d + 8), count = xw_rd32(d + 12);
    uint32_t align = id == XW_SEC_TEXT ? 16u : 8u;
    if (id <= prev_id || id > XW_SEC_MAX) return bad("section id");
    if ((off & (align - 1u)) != 0 || off < prev_end) return bad("section offset");
    if (off > m->image_size || size > m->image_size - off) return xw_fail(m->load_context, XW_ERR_TRUNCATED, "section runs past the image end");
    if (count > size / entry_sizes[id]) return bad("section entry count");
    if ((id == XW_SEC_STRINGS || id == XW_SEC_TEXT) && count != size) return bad("section byte count");
    m->sections[id] = img + off;
    m->section_sizes[id] = size;
    m->counts[id] = count;
    prev_id = id;
    prev_end = off + size;
  }
  m->text = m->sections[XW_SEC_TEXT];
  m->text_size = m->section_sizes[XW_SEC_TEXT];
  return XW_OK;
}

static int text_off_ok(const xw_module *m, uint32_t off) { return off < m->text_size && (off & 1u) == 0; }

static xw_result check_types_imports(xw_module *m) {
  uint32_t i, k;
  for (i = 0; i < m->counts[XW_SEC_TYPES]; i++) {
    const uint8_t *e = XW_ENT(m, XW_SEC_TYPES, XW_ES_TYPE, i);
    uint32_t off = xw_rd32(e), n = xw_rd16(e + 4) + xw_rd16(e + 6);
    if (off > m->section_sizes[XW_SEC_STRINGS] || n > m->section_sizes[XW_SEC_STRINGS] - off) return bad("type vector");
    for (k = 0; k < n; k++) if (!valtype_ok(m->sections[XW_SEC_STRINGS][off + k])) return bad("value type");
  }
  for (i = 0; i < m->counts[XW_SEC_IMPORTS]; i++) {
    const uint8_t *e = XW_ENT(m, XW_SEC_IMPORTS, XW_ES_IMPORT, i);
    uint32_t kind = xw_rd8(e + 16);
    if (!name_ok(m, e) || !name_ok(m, e + 8)) return bad("import name");
    if (kind > XW_KIND_GLOBAL || xw_rd32(e + 20) != m->num_imported[kind]) return bad("import kind or index");
    m->num_imported[kind]++;
  }
  if (m->num_imported[XW_KIND_FUNC] > m->counts[XW_SEC_FUNCS] || m->num_imported[XW_KIND_TABLE] > m->counts[XW_SEC_TABLES]
      || m->num_imported[XW_KIND_MEMORY] > m->counts[XW_SEC_MEMORY] || m->num_imported[XW_KIND_GLOBAL] > m->counts[XW_SEC_GLOBALS])
    return bad("import counts");
  return XW_OK;
}

static xw_result check_entities(xw_module *m) {
  uint32_t i;
  for (i = 0; i < m->counts[XW_SEC_FUNCS]; i++) {
    const uint8_t *e = XW_ENT(m, XW_SEC_FUNCS, XW_ES_FUNC, i);
    uint32_t entry = xw_rd32(e + 8);
    if (xw_rd32(e) >= m->counts[XW_SEC_TYPES]) return bad("function type index");
    if (!text_off_ok(m, xw_rd32(e + 4))) return bad("function code offset");
    if (entry != XW_AOT_NONE && !text_off_ok(m, entry)) return bad("function entry offset");
    if (!import_ref_ok(m, xw_rd32(e + 12), XW_KIND_FUNC, i)) return bad("function import");
  }
  for (i = 0; i < m->counts[XW_SEC_TABLES]; i++) {
    const uint8_t *e = XW_ENT(m, XW_SEC_TABLES, XW_ES_TABLE, i);
    if (!reftype_ok(xw_rd8(e)) || xw_rd8(e + 1) > 1u) return bad("table type");
    if (xw_rd8(e + 1) && xw_rd32(e + 8) < xw_rd32(e + 4)) return bad("table limits");
    if (!import_ref_ok(m, xw_rd32(e + 12), XW_KIND_TABLE, i)) return bad("table import");
  }
  if (m->counts[XW_SEC_MEMORY] > 1u) return xw_fail(m->load_context, XW_ERR_LIMIT, "more than one memory");
  for (i = 0; i < m->counts[XW_SEC_MEMORY]; i++) {
    const uint8_t *e = XW_ENT(m, XW_SEC_MEMORY, XW_ES_MEMORY, i);
    uint32_t min = xw_rd32(e), max = xw_rd32(e + 4), has_max = xw_rd8(e + 12), shift = xw_mem_page_shift(m, e);
    /* in a version 1 file byte 13 is 0 and the pages are 64 KiB; version 2 gives log2 of the page size there */
    if (xw_rd16(m->image + XW_H_FORMAT_VERSION) == XW_AOT_FORMAT_VERSION && xw_rd8(e + 13) != 0u) return bad("memory page size");
    if (shift != 0u && shift != 16u) return bad("memory page size");
    /* limits within 2^32 / page size pages (65536 of 64 KiB; 2^32 - 1 of one byte, the most a u32 holds) */
    if (has_max > 1u || (shift == 16u && (min > 65536u || (has_max && max > 65536u))) || (has_max && max < min)) return bad("memory limits");
    if (!import_ref_ok(m, xw_rd32(e + 8), XW_KIND_MEMORY, i)) return bad("memory import");
  }
  for (i = 0; i < m->counts[XW_SEC_GLOBALS]; i++) {
    const uint8_t *e = global_entry(m, i);
    uint32_t t = xw_rd8(e), imp = xw_rd32(e + 4), storage = xw_rd32(e + 8), size = xw_valtype_size(t);
    if (!valtype_ok(t) || xw_rd8(e + 1) > 1u) return bad("global type");
    if (!import_ref_ok(m, imp, XW_KIND_GLOBAL, i)) return bad("global import");
    if (imp == XW_AOT_NONE) {
      if ((storage & (size - 1u)) != 0 || storage > m->globals_size || size > m->globals_size - storage) return bad("global storage");
      /* constant expressions may read imported globals only (WebAssembly 2.0) */
      if (!init_ok(m, xw_rd8(e + 2), xw_rd64(e + 16), t, m->num_imported[XW_KIND_GLOBAL])) return bad("global initializer");
    }
  }
  for (i = 0; i < m->counts[XW_SEC_FUNCREFS]; i++)
    if (xw_rd32(XW_ENT(m, XW_SEC_FUNCREFS, XW_ES_FUNCREF, i)) >= m->counts[XW_SEC_FUNCS]) return bad("funcref function index");
  return XW_OK;
}

static uint32_t kind_count(const xw_module *m, uint32_t kind) {
  static const uint8_t sec[4] = { XW_SEC_FUNCS, XW_SEC_TABLES, XW_SEC_MEMORY, XW_SEC_GLOBALS };
  return m->counts[sec[kind]];
}

static xw_result check_segments(xw_module *m) {
  uint32_t i, k, nglobals = m->counts[XW_SEC_GLOBALS];
  for (i = 0; i < m->counts[XW_SEC_EXPORTS]; i++) {
    const uint8_t *e = XW_ENT(m, XW_SEC_EXPORTS, XW_ES_EXPORT, i);
    uint32_t kind = xw_rd8(e + 8);
    if (!name_ok(m, e)) return bad("export name");
    if (kind > XW_KIND_GLOBAL || xw_rd32(e + 12) >= kind_count(m, kind)) return bad("export index");
  }
  for (i = 0; i < m->counts[XW_SEC_ELEMS]; i++) {
    const uint8_t *e = XW_ENT(m, XW_SEC_ELEMS, XW_ES_ELEM, i);
    uint32_t mode = xw_rd8(e), type = xw_rd8(e + 1), items = xw_rd32(e + 16), n = xw_rd32(e + 20);
    uint32_t size = m->section_sizes[XW_SEC_ELEMS];
    if (mode > XW_MODE_DECLARATIVE || !reftype_ok(type)) return bad("elem segment mode");
    if (mode == XW_MODE_ACTIVE) {
      uint32_t t = xw_rd32(e + 4);
      if (t >= m->counts[XW_SEC_TABLES] || xw_rd8(XW_ENT(m, XW_SEC_TABLES, XW_ES_TABLE, t)) != type) return bad("elem segment table");
      if (!init_ok(m, xw_rd8(e + 2), xw_rd64(e + 8), XW_I32, nglobals)) return bad("elem segment offset");
    }
    if ((items & 3u) != 0 || items > size || n > (size - items) / 4u) return bad("elem items");
    for (k = 0; k < n; k++) {
      uint32_t it = xw_rd32(m->sections[XW_SEC_ELEMS] + items + 4u * k);
      if (it == XW_ITEM_NULL) continue;
      if (it & XW_ITEM_GLOBAL) {
        if ((it & ~XW_ITEM_GLOBAL) >= nglobals || xw_rd8(global_entry(m, it & ~XW_ITEM_GLOBAL)) != type) return bad("elem item global");
      } else if (type != XW_FUNCREF || it >= m->counts[XW_SEC_FUNCREFS]) {
        return bad("elem item");
      }
    }
  }
  for (i = 0; i < m->counts[XW_SEC_DATAS]; i++) {
    const uint8_t *e = XW_ENT(m, XW_SEC_DATAS, XW_ES_DATA, i);
    uint32_t mode = xw_rd8(e), off = xw_rd32(e + 16), len = xw_rd32(e + 20), size = m->section_sizes[XW_SEC_DATAS];
    if (mode > XW_MODE_PASSIVE) return bad("data segment mode");
    if (mode == XW_MODE_ACTIVE) {
      if (xw_rd32(e + 4) >= m->counts[XW_SEC_MEMORY]) return bad("data segment memory");
      if (!init_ok(m, xw_rd8(e + 1), xw_rd64(e + 8), XW_I32, nglobals)) return bad("data segment offset");
    }
    if (off > size || len > size - off) return bad("data bytes");
  }
  for (i = 0; i < m->counts[XW_SEC_NAMES]; i++) {
    const uint8_t *e = XW_ENT(m, XW_SEC_NAMES, XW_ES_NAME, i);
    if (xw_rd32(e) >= m->counts[XW_SEC_FUNCS] || !name_ok(m, e + 4)) return bad("function name");
  }
  if (m->start_func != XW_AOT_NONE) {
    uint32_t t;
    if (m->start_func >= m->counts[XW_SEC_FUNCS]) return bad("start function");
    t = xw_func_type(m, m->start_func);
    if (xw_type_nparams(m, t) != 0 || xw_type_nresults(m, t) != 0) return bad("start function type");
  }
  return XW_OK;
}

static xw_result check_symbols(const xw_module *m) {
  uint32_t i;
  for (i = 0; i < m->counts[XW_SEC_SYMBOLS]; i++) {
    const uint8_t *e = XW_ENT(m, XW_SEC_SYMBOLS, XW_ES_SYMBOL, i);
    uint32_t idx = xw_rd32(e);
    const char *name;
    if (!name_ok(m, e + 4)) return bad("native symbol name");
    name = xw_mod_str(m, xw_rd32(e + 4));
    if (idx >= xw_native_symbol_count
#if XW_CHECK_SYMBOL_NAMES
        || strcmp(xw_native_symbol_names[idx], name) != 0
#endif
        )
      return xw_fail(m->load_context, XW_ERR_MISSING_SYMBOL, "%s%s", "native symbol not at its index in this runtime: ", name);
    if (xw_native_symbols[idx] == NULL)
      return xw_fail(m->load_context, XW_ERR_MISSING_SYMBOL, "%s%s", "native symbol left out of this runtime: ", name);
  }
  return XW_OK;
}

xw_result xw_load(xw_context *ctx, xw_module *mod, const uint8_t *image, size_t size) {
  xw_result r;
  if (mod == NULL || image == NULL) return xw_fail(ctx, XW_ERR_ARGUMENT, "xw_load: NULL module or image");
  memset(mod, 0, sizeof *mod);
  mod->load_context = ctx;
  if ((r = check_header(mod, image, size)) != XW_OK || (r = read_directory(mod)) != XW_OK
      || (r = check_types_imports(mod)) != XW_OK || (r = check_entities(mod)) != XW_OK
      || (r = check_segments(mod)) != XW_OK || (r = check_symbols(mod)) != XW_OK) {
    memset(mod, 0, sizeof *mod);
    mod->load_context = ctx;
    return r;
  }
  return XW_OK;
}

/*
 * A freestanding C program for a WebAssembly memory of 1-byte pages (custom-page-sizes proposal): about 5 KiB of
 * linear memory in all (2 KiB stack, 3 KiB of tables and buffers, its strings), so that an instance fits the
 * micro:bit's 16 KiB of RAM. Build and compile (docs/small-memories.md):
 *   clang-14 --target=wasm32 -O2 -nostdlib -ffreestanding -Wl,--no-entry -Wl,--export=run -Wl,--export=__heap_base \
 *     -Wl,--stack-first -Wl,-z,stack-size=2048 -o small-memory.wasm small-memory.c
 *   xipwasm compile --cpu=cortex-m0 --xip --memory-page-size=1 -o small-memory.aot small-memory.wasm
 * run() returns a checksum over a CRC-32, a sort and a recursive walk; test/small-memory.test.ts compares it with
 * the same module (64 KiB pages) in V8.
 */
#include <stdint.h>
#include <stddef.h>

/* clang may call these for struct copies and array initialisation; there is no libc */
void *memset(void *d, int c, size_t n) {
  unsigned char *p = d;
  while (n--) *p++ = (unsigned char)c;
  return d;
}
void *memcpy(void *d, const void *s, size_t n) {
  unsigned char *p = d;
  const unsigned char *q = s;
  while (n--) *p++ = *q++;
  return d;
}

static const char text[] =
    "The micro:bit has 16 KiB of RAM; a WebAssembly page is 64 KiB. With 1-byte pages this module's memory is as "
    "large as its data, stack and buffers, and no larger.";

static uint32_t crc_table[256];   /* 1 KiB */
static uint16_t values[1024];     /* 2 KiB */

static void crc_init(void) {
  for (uint32_t i = 0; i < 256; i++) {
    uint32_t c = i;
    for (int k = 0; k < 8; k++) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    crc_table[i] = c;
  }
}

static uint32_t crc32(const void *data, size_t n) {
  const unsigned char *p = data;
  uint32_t c = 0xFFFFFFFFu;
  while (n--) c = crc_table[(c ^ *p++) & 0xFF] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

/* recursive quicksort: its frames live on the C stack in linear memory */
static void sort(uint16_t *a, int lo, int hi) {
  while (lo < hi) {
    uint16_t pivot = a[(lo + hi) / 2];
    int i = lo, j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) { uint16_t t = a[i]; a[i] = a[j]; a[j] = t; i++; j--; }
    }
    if (j - lo < hi - i) { sort(a, lo, j); lo = i; } else { sort(a, i, hi); hi = j; }
  }
}

/* a recursion whose depth the caller chooses, with a local array in each frame */
static uint32_t walk(uint32_t depth, uint32_t seed) {
  volatile uint32_t frame[8];
  for (int k = 0; k < 8; k++) frame[k] = seed * (uint32_t)(k + 1);
  if (depth == 0) return seed;
  uint32_t r = walk(depth - 1, seed * 1103515245u + 12345u);
  for (int k = 0; k < 8; k++) r ^= frame[k];
  return r;
}

__attribute__((export_name("run"))) uint32_t run(uint32_t depth) {
  crc_init();
  uint32_t h = crc32(text, sizeof text - 1);
  uint32_t x = 12345;
  for (int i = 0; i < 1024; i++) {
    x = x * 1664525u + 1013904223u;
    values[i] = (uint16_t)(x >> 16);
  }
  sort(values, 0, 1023);
  for (int i = 1; i < 1024; i++) {
    if (values[i - 1] > values[i]) return 0xDEAD;
  }
  h ^= crc32(values, sizeof values);
  return h ^ walk(depth, 7);
}

/* String search in a generated 16 KiB text over a 4-letter alphabet: naive scan and Boyer-Moore-Horspool for
   eight patterns (5..19 bytes, some cut from the text so they occur), counting matches with both. */
#include "lib/bench.h"

#define TEXT BENCH_SIZE(16384u, 2048u)
#define PATTERNS 8u

static uint8_t text[TEXT];
static uint8_t pat[PATTERNS][20];
static uint32_t pat_len[PATTERNS];

static uint32_t naive(const uint8_t *p, uint32_t m) {
  uint32_t count = 0;
  for (uint32_t i = 0; i + m <= TEXT; i++) {
    uint32_t j = 0;
    while (j < m && text[i + j] == p[j]) j++;
    if (j == m) count++;
  }
  return count;
}

static uint32_t horspool(const uint8_t *p, uint32_t m) {
  uint32_t shift[256];
  for (uint32_t c = 0; c < 256; c++) shift[c] = m;
  for (uint32_t j = 0; j + 1 < m; j++) shift[p[j]] = m - 1 - j;
  uint32_t count = 0;
  uint32_t i = 0;
  while (i + m <= TEXT) {
    uint8_t last = text[i + m - 1];
    if (last == p[m - 1]) {
      uint32_t j = 0;
      while (j + 1 < m && text[i + j] == p[j]) j++;
      if (j + 1 >= m) count++;
    }
    i += shift[last];
  }
  return count;
}

uint32_t run(void) {
  uint32_t seed = 0xABCDEF01u;
  for (uint32_t i = 0; i < TEXT; i++) {
    uint32_t r = bench_next(&seed);
    /* A skewed alphabet: 'a' is frequent, so the naive scan does real work on partial matches. */
    text[i] = (uint8_t)("aaabbcda"[r & 7u]);
  }
  for (uint32_t k = 0; k < PATTERNS; k++) {
    uint32_t m = 5u + (k * 2u);
    pat_len[k] = m;
    if ((k & 1u) == 0) {
      uint32_t at = bench_next(&seed) % (TEXT - m);
      for (uint32_t j = 0; j < m; j++) pat[k][j] = text[at + j];
    } else {
      for (uint32_t j = 0; j < m; j++) pat[k][j] = (uint8_t)("aaabbcda"[bench_next(&seed) & 7u]);
    }
  }
  uint32_t sum = 0;
  for (uint32_t k = 0; k < PATTERNS; k++) {
    uint32_t n1 = naive(pat[k], pat_len[k]);
    uint32_t n2 = horspool(pat[k], pat_len[k]);
    sum = sum * 131u + n1 * 7u + n2 + (n1 != n2 ? 0x80000000u : 0u);
  }
  return sum;
}

/* memcpy/memmove/memset for the wasm32 and board builds. Built with -fno-builtin so that the compilers do not
   turn these loops back into calls to themselves. Word copies when both pointers are aligned, as a libc would. */
#include "bench.h"

void *memcpy(void *restrict dst, const void *restrict src, size_t n) {
  uint8_t *d = dst;
  const uint8_t *s = src;
  if ((((uintptr_t)d | (uintptr_t)s) & 3u) == 0) {
    for (; n >= 4; n -= 4, d += 4, s += 4) *(uint32_t *)(void *)d = *(const uint32_t *)(const void *)s;
  }
  for (; n > 0; n--) *d++ = *s++;
  return dst;
}

void *memmove(void *dst, const void *src, size_t n) {
  uint8_t *d = dst;
  const uint8_t *s = src;
  if (d >= s + n || d + n <= s) return memcpy(dst, src, n);
  if (d < s) {
    for (; n > 0; n--) *d++ = *s++;
    return dst;
  }
  while (n > 0) {
    n--;
    d[n] = s[n];
  }
  return dst;
}

void *memset(void *dst, int c, size_t n) {
  uint8_t *d = dst;
  uint32_t w = (uint8_t)c * 0x01010101u;
  for (; n > 0 && ((uintptr_t)d & 3u) != 0; n--) *d++ = (uint8_t)c;
  for (; n >= 4; n -= 4, d += 4) *(uint32_t *)(void *)d = w;
  for (; n > 0; n--) *d++ = (uint8_t)c;
  return dst;
}

/* Quicksort (median of three, insertion sort below 12) and heapsort of the same 3000 generated integers. */
#include "lib/bench.h"

#define N BENCH_SIZE(3000, 400)

static int32_t a[N], b[N];

static void insertion(int32_t *v, int lo, int hi) {
  for (int i = lo + 1; i <= hi; i++) {
    int32_t x = v[i];
    int j = i - 1;
    while (j >= lo && v[j] > x) {
      v[j + 1] = v[j];
      j--;
    }
    v[j + 1] = x;
  }
}

static void swap(int32_t *v, int i, int j) {
  int32_t t = v[i];
  v[i] = v[j];
  v[j] = t;
}

static void quicksort(int32_t *v, int lo, int hi) {
  while (hi - lo >= 12) {
    int mid = lo + (hi - lo) / 2;
    if (v[mid] < v[lo]) swap(v, mid, lo);
    if (v[hi] < v[lo]) swap(v, hi, lo);
    if (v[hi] < v[mid]) swap(v, hi, mid);
    int32_t pivot = v[mid];
    int i = lo, j = hi;
    while (i <= j) {
      while (v[i] < pivot) i++;
      while (v[j] > pivot) j--;
      if (i <= j) swap(v, i++, j--);
    }
    /* Recurse into the smaller half, loop on the larger: the depth stays logarithmic. */
    if (j - lo < hi - i) {
      quicksort(v, lo, j);
      lo = i;
    } else {
      quicksort(v, i, hi);
      hi = j;
    }
  }
  insertion(v, lo, hi);
}

static void sift_down(int32_t *v, int root, int n) {
  for (;;) {
    int child = 2 * root + 1;
    if (child >= n) return;
    if (child + 1 < n && v[child + 1] > v[child]) child++;
    if (v[root] >= v[child]) return;
    swap(v, root, child);
    root = child;
  }
}

static void heapsort(int32_t *v, int n) {
  for (int i = n / 2 - 1; i >= 0; i--) sift_down(v, i, n);
  for (int end = n - 1; end > 0; end--) {
    swap(v, 0, end);
    sift_down(v, 0, end);
  }
}

uint32_t run(void) {
  uint32_t seed = 0x1234567u;
  for (int i = 0; i < N; i++) {
    a[i] = (int32_t)bench_next(&seed) >> 4;
    b[i] = a[i];
  }
  quicksort(a, 0, N - 1);
  heapsort(b, N);
  uint32_t sum = 0;
  uint32_t bad = 0;
  for (int i = 0; i < N; i++) {
    sum = sum * 33u + (uint32_t)a[i];
    if (a[i] != b[i] || (i > 0 && a[i - 1] > a[i])) bad++;
  }
  return sum ^ bad;
}

/* A WASI command in plain C (Debian's wasi-libc): printf, a table of primes, an exit status. */
#include <stdio.h>
#include <stdlib.h>

static int is_prime(unsigned n) {
  if (n < 2) return 0;
  for (unsigned d = 2; d * d <= n; d++) {
    if (n % d == 0) return 0;
  }
  return 1;
}

int main(int argc, char **argv) {
  printf("hello from %s on a Cortex-M (argc=%d)\n", argv[0], argc);
  unsigned count = 0;
  for (unsigned n = 0; n < 100; n++) {
    if (is_prime(n)) {
      printf("%u%s", n, ++count % 10 == 0 ? "\n" : " ");
    }
  }
  printf("\n%u primes below 100 (%.1f%% of the numbers)\n", count, 100.0 * count / 100);
  fprintf(stderr, "done\n");
  return count == 25 ? 0 : 1;
}

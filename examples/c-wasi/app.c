/* A WASI command in plain C (Debian's wasi-libc): printf, its arguments and environment, a table of primes, an
   exit status. */
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
  const char *who = getenv("GREETING");
  printf("%s from %s on a Cortex-M (argc=%d)\n", who != NULL ? who : "hello", argv[0], argc);
  unsigned limit = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 10) : 100;
  unsigned count = 0;
  for (unsigned n = 0; n < limit; n++) {
    if (is_prime(n)) {
      printf("%u%s", n, ++count % 10 == 0 ? "\n" : " ");
    }
  }
  printf("\n%u primes below %u (%.1f%% of the numbers)\n", count, limit, 100.0 * count / limit);
  fprintf(stderr, "done\n");
  return count == 25 ? 0 : 1;
}

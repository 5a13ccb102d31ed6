/* A WASI command for the board test (test/boards/wasi.test.ts): stdout and stderr through fd_write, argv,
   clocks, random bytes, a sleep (poll_oneoff) and the exit status. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
  struct timespec a, b;
  unsigned char r[8];
  unsigned sum = 0, i;
  printf("hello from WASI: argc=%d argv[0]=%s\n", argc, argc > 0 ? argv[0] : "?");
  for (i = 1; i <= 10; i++) sum += i * i;
  printf("sum of squares 1..10 = %u, %s\n", sum, getenv("HOME") == NULL ? "no HOME" : "HOME set");
  fprintf(stderr, "a line on stderr\n");
  if (clock_gettime(CLOCK_MONOTONIC, &a) != 0 || getentropy(r, sizeof r) != 0) return 10;
  usleep(20000);
  if (clock_gettime(CLOCK_MONOTONIC, &b) != 0) return 11;
  printf("monotonic clock %s\n", (b.tv_sec > a.tv_sec || (b.tv_sec == a.tv_sec && b.tv_nsec >= a.tv_nsec)) ? "ok" : "went back");
  fflush(stdout);
  return argc > 1 ? atoi(argv[1]) : 3;
}

/* Host baseline: prints run()'s checksum in decimal (the wasm32 and board builds must print the same). */
#include <inttypes.h>
#include <stdio.h>

#if BENCH_I64
uint64_t run(void);
int main(void) { printf("%" PRIu64 "\n", run()); return 0; }
#else
uint32_t run(void);
int main(void) { printf("%" PRIu32 "\n", run()); return 0; }
#endif

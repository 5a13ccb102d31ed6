/* The smallest benchmark: its whole run() is `movs r0, #42; bx lr`, so the harness must count exactly 2. */
#include <stdint.h>

uint32_t run(void) { return 42; }

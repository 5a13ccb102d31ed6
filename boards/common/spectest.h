/* Host functions of the spec test harness's "spectest" module. Its globals, table and memory come from
   boards/common/spectest.wat, which the driver compiles, loads and registers as "spectest" when asked. */
#ifndef BOARD_SPECTEST_H
#define BOARD_SPECTEST_H

#include "xipwasm.h"

extern const xw_host_func spectest_funcs[];
extern const uint32_t spectest_func_count;

#endif

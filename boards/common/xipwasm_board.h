/* What a host-function library for `xipwasm run --native-lib=file.c` may use on the emulated boards
   (docs/run.md). The file is compiled into the batch firmware with the runtime and this directory on the include
   path; it defines one function, get_native_lib, returning its table of host functions (xipwasm.h's xw_host_func:
   module name, field name, signature string such as "ii->i", the function, its data pointer). */
#ifndef XIPWASM_BOARD_H
#define XIPWASM_BOARD_H

#include <stdint.h>

#include "xipwasm.h"

/* Sets *funcs to the library's table and returns its length. Each --native-lib file defines it under this name
   (the driver renames each one, so several files can be given). */
uint32_t get_native_lib(const xw_host_func **funcs);

/* Writes bytes to the host's stdout (fd 1) or stderr (fd 2): `xipwasm run` shows them as they come. */
void xw_board_write(uint32_t fd, const void *data, uint32_t len);

#endif

#!/usr/bin/env bash
# Builds the example firmware (CMake + arm-none-eabi-gcc; the Wasm module with clang-14 + wasi-libc and xipwasm)
# and runs it on QEMU's mps2-an386 (Cortex-M4F). Prints the module's output, the host function's result and the
# interrupted call's trap; exits with the firmware's status.   bash examples/firmware/run.sh
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BUILD=${BUILD:-$HERE/build}
if [ ! -f "$ROOT/dist/src/cli/main.js" ]; then (cd "$ROOT" && npm run --silent build); fi
cmake -S "$HERE" -B "$BUILD" -DCMAKE_TOOLCHAIN_FILE="$HERE/arm-none-eabi.cmake" -DCMAKE_BUILD_TYPE=MinSizeRel >/dev/null
cmake --build "$BUILD" >/dev/null
exec timeout 60 qemu-system-arm -M mps2-an386 -display none -monitor none -serial stdio \
  -semihosting-config enable=on,target=native -kernel "$BUILD/firmware.elf"

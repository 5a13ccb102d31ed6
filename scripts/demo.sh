#!/usr/bin/env bash
# The main job: compile an example Wasm module for the Cortex-M3 and run it, in place from
# MPU-protected read-only flash, on the emulated mps2-an385 board.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
mkdir -p build
wat2wasm examples/fib.wat -o build/fib.wasm
node bin/xipwasm.js compile --target=thumbv7m --cpu=cortex-m3 --xip \
  --enable-builtin-intrinsics=i64.common,fp.common,fpxint -o build/fib.aot build/fib.wasm
node bin/xipwasm.js inspect build/fib.aot | head -20
echo "--- fib(24) on mps2-an385 (Cortex-M3):"
node bin/xipwasm.js run --board=mps2-an385 build/fib.aot --invoke fib 24
echo "--- the same, with the instruction count of the call:"
node bin/xipwasm.js run --board=mps2-an385 build/fib.aot --invoke fib 24 --json --count-instructions

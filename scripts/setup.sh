#!/usr/bin/env bash
# Installs everything xipwasm needs on a fresh Debian/Ubuntu machine, idempotently:
# QEMU (qemu-system-arm; qemu-system-misc for qemu-system-riscv32), the Arm GNU toolchain with newlib, the RISC-V GNU toolchain (RV32 encoder golden tests, runtime), wabt, clang/lld (Wasm from C, libFuzzer), binaryen,
# Chromium (headless test of the in-browser compiler page), Debian's rustc with the wasm32 std (examples/rust),
# wasi-libc with the wasm32 compiler-rt builtins (WASI C programs: clang-14 --target=wasm32-wasi finds
# /usr/include/wasm32-wasi and /usr/lib/wasm32-wasi without --sysroot), cmake (examples/firmware),
# then the npm dependencies, then the TypeScript build.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(qemu-system-arm gcc-arm-none-eabi binutils-arm-none-eabi libnewlib-arm-none-eabi
              wabt clang lld binaryen libclang-rt-14-dev gcc make
              binutils-riscv64-unknown-elf gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf qemu-system-misc
              chromium rustc libstd-rust-dev-wasm32
              wasi-libc libclang-rt-14-dev-wasm32 cmake)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "setup: installing ${missing[*]}"
  $SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# A git worktree may link node_modules to a shared install (-L): npm ci would empty the directory the link points
# to, under every other tree using it, and install here; that install is refreshed where it lives.
if [ -L node_modules ]; then
  :
elif [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
npm run --silent build

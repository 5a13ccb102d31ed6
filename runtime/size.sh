#!/bin/sh
# One row of `make -C runtime size`: the runtime built with -Os for one CPU, as a Markdown table row.
#   sh size.sh --header
#   sh size.sh <cpu> <float-abi label> <tool prefix> "<compile flags>" "<link flags>" <build dir>
# Object columns are the .text+.data of each part's objects (default config: names, intrinsics, interrupt on).
# Linked columns are what a program calling xw_load/xw_instantiate/xw_call (test/size_main.c) grows by against
# the same program without the runtime, both linked with --gc-sections: "minimal" has XW_CHECK_SYMBOL_NAMES=0
# and XW_ENABLE_INTRINSICS=0; "+ intrinsics" adds the intrinsic table with whatever it pulls from libgcc/libm;
# "+ names" the symbol-name list (the default build); "+ WASI" XW_ENABLE_WASI=1 on top of that.
# RAM is the runtime's own .data+.bss (objects), then the linked program's growth in .data+.bss.
set -eu

if [ "$1" = "--header" ]; then
  echo '| cpu | float ABI | loader + instance + call | symbols | traps | helpers | natives | interrupt | intrinsics | minimal embedding, linked | + intrinsics | + names | + WASI | default, linked | RAM: objects / linked |'
  echo '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|'
  exit 0
fi

cpu=$1 abi=$2 prefix=$3 cflags=$4 ldflags=$5 out=$6/$1
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
mkdir -p "$out"
common="-std=c99 -Wall -Wextra -Werror -Os -ffunction-sections -fdata-sections -ffp-contract=off -Iinclude -Isrc"
core="loader instance call platform symbols trap helpers natives interrupt"
intr=$(ls src/intrinsics*.c | sed 's|src/||; s|\.c$||' | sort)

for f in $core $intr; do
  # shellcheck disable=SC2086
  "${prefix}gcc" $common $cflags -c "src/$f.c" -o "$out/$f.o"
done

# text+data of objects, and data+bss
flash() { (cd "$out" && "${prefix}size" -t "$@" | awk 'END { print $1 + $2 }'); }
ram() { (cd "$out" && "${prefix}size" -t "$@" | awk 'END { print $2 + $3 }'); }
objs() { for f in "$@"; do printf '%s.o ' "$f"; done; }

link() { # name, extra flags, sources
  name=$1 extra=$2
  shift 2
  # shellcheck disable=SC2086
  "${prefix}gcc" $common $cflags $ldflags -Wl,--gc-sections $extra test/size_main.c "$@" -o "$out/$name.elf"
}
srcs_core=$(for f in $core; do printf 'src/%s.c ' "$f"; done)
srcs_intr=$(for f in $intr; do printf 'src/%s.c ' "$f"; done)
# shellcheck disable=SC2086
{
  link baseline -DXW_SIZE_BASELINE
  link min "-DXW_CHECK_SYMBOL_NAMES=0 -DXW_ENABLE_INTRINSICS=0" $srcs_core
  link intr "-DXW_CHECK_SYMBOL_NAMES=0" $srcs_core $srcs_intr
  link default "" $srcs_core $srcs_intr
  link wasi "-DXW_ENABLE_WASI=1" $srcs_core $srcs_intr src/wasi.c
}
lflash() { (cd "$out" && "${prefix}size" "$1.elf" | awk 'NR == 2 { print $1 + $2 }'); }
lram() { (cd "$out" && "${prefix}size" "$1.elf" | awk 'NR == 2 { print $2 + $3 }'); }
base=$(lflash baseline)
min=$(( $(lflash min) - base ))
intr_l=$(( $(lflash intr) - base - min ))
names=$(( $(lflash default) - $(lflash intr) ))
wasi=$(( $(lflash wasi) - $(lflash default) ))
deflt=$(( $(lflash default) - base ))
ram_objs=$(ram $(objs $core $intr))
ram_linked=$(( $(lram wasi) - $(lram baseline) ))

# shellcheck disable=SC2046
echo "| $cpu | $abi | $(flash $(objs loader instance call platform)) | $(flash symbols.o) | $(flash trap.o) | $(flash helpers.o)" \
  "| $(flash natives.o) | $(flash interrupt.o) | $(flash $(objs $intr)) | $min | $intr_l | $names | $wasi | $deflt | $ram_objs / $ram_linked |"

#!/bin/sh
# Shrinks a mismatching module with binaryen's wasm-reduce, keeping the mismatch kind on one board.
#   test/diff/reduce.sh SEED [BOARD] [REPROS]   (run from the repository root after `npx tsc`)
# Input: REPROS/SEED.wasm (saved by run-diff.js); output: REPROS/SEED-BOARD.min.wasm and .min.wat.
set -eu
seed=$1
board=${2:-mps2-an385}
repros=${3:-/work/notes/diff-repros}
root=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$repros/$seed.wasm" "$work/orig.wasm"
cd "$work"
wasm-reduce orig.wasm -b "$(dirname "$(command -v wasm-opt)")/" \
  -ef "-mvp --enable-sign-ext --enable-nontrapping-float-to-int --enable-bulk-memory --enable-multivalue --enable-mutable-globals" \
  "--command=node $root/dist/test/diff/run-diff.js --board=$board --check=t.wasm --seed=$seed" \
  -t t.wasm -w w.wasm -to 30 > reduce.log 2>&1 || { tail -20 reduce.log; exit 1; }
cp w.wasm "$repros/$seed-$board.min.wasm"
wasm2wat --enable-all w.wasm > "$repros/$seed-$board.min.wat" || wasm-dis w.wasm > "$repros/$seed-$board.min.wat"
node "$root/dist/test/diff/run-diff.js" --board="$board" --check="$repros/$seed-$board.min.wasm" --seed="$seed" || true
wc -c "$repros/$seed-$board.min.wasm"

#!/bin/sh
# Fuzzes the runtime's AOT loader + instantiation with libFuzzer (clang-14, ASan/UBSan).
#   scripts/fuzz-loader.sh [SECONDS]     default 60
# Seeds: the writer's fixture images (test/aot/fixtures.ts). Findings (crash-*, leak-*, ...) land in fuzz-out/.
set -eu
SECONDS_TO_RUN=${1:-60}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT="$ROOT/fuzz-out"
CORPUS="$OUT/corpus"
mkdir -p "$CORPUS" "$OUT/findings"
cd "$ROOT"
if [ ! -f dist/test/aot/write-fixtures.js ]; then npx tsc -p tsconfig.json >/dev/null || true; fi
node dist/test/aot/write-fixtures.js "$OUT/seeds" >/dev/null
make -s -C runtime fuzz
LOG="$OUT/fuzz.log"
set +e
"$ROOT/runtime/build/fuzz/fuzz_loader" -max_total_time="$SECONDS_TO_RUN" -max_len=4096 -print_final_stats=1 \
  -artifact_prefix="$OUT/findings/" "$CORPUS" "$OUT/seeds" >"$LOG" 2>&1
STATUS=$?
set -e
EXECS=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$LOG" | grep -o '[0-9]*$' || echo '?')
RATE=$(grep -o 'exec/s: *[0-9]*' "$LOG" | tail -1 | grep -o '[0-9]*$' || echo '?')
COV=$(grep -o 'cov: *[0-9]*' "$LOG" | tail -1 | grep -o '[0-9]*$' || echo '?')
FINDINGS=$(ls "$OUT/findings" | wc -l)
echo "fuzz-loader: ${SECONDS_TO_RUN}s, executions: $EXECS (${RATE}/s), coverage: $COV edges, corpus: $(ls "$CORPUS" | wc -l), findings: $FINDINGS, exit: $STATUS"
if [ "$FINDINGS" -gt 0 ] || [ "$STATUS" -ne 0 ]; then
  ls -1 "$OUT/findings"
  grep -m 5 -A 12 'ERROR:\|runtime error' "$LOG" || true
  exit 1
fi

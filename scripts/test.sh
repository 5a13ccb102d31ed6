#!/usr/bin/env bash
# Sets up (idempotently) and runs the whole test suite: front-end conformance counts first,
# then every node:test file (unit, golden encodings, runtime host tests, boards, spec execution).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
echo "== spec front end (decode + validate) =="
node dist/test/spec/run-spec.js --frontend | tail -n 3
echo "== node:test =="
node --test --test-reporter=spec dist/test/

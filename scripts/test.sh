#!/usr/bin/env bash
# Sets up (idempotently) and runs the whole test suite: front-end conformance counts first,
# then every node:test file (unit, golden encodings, runtime host tests, boards, spec execution).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
echo "== spec front end (decode + validate) =="
node dist/test/spec/run-spec.js --frontend | tail -n 3
echo "== node:test =="
# only *.test.js: node would also run every other .js under a test/ directory
node --test --test-reporter=spec $(find dist/test -name '*.test.js' | sort)

;; converter: wast-lite
;; Custom-page-sizes proposal: the largest valid limits (2^32 - 1 pages of 1 byte, 65536 pages of 64 KiB). These
;; modules are valid but too large to instantiate on a microcontroller, so the tests only decode and validate
;; this script (test/spec/proposals.test.ts); invalid.wast has the limits one above.
(module (memory 0xFFFF_FFFF (pagesize 1)))
(module (memory 0 0xFFFF_FFFF (pagesize 1)))
(module (memory 0xFFFF_FFFF 0xFFFF_FFFF (pagesize 1)))
(module (import "m" "mem" (memory 0xFFFF_FFFF (pagesize 1))))
(module (memory 65536 (pagesize 65536)))
(module (memory 0 65536 (pagesize 65536)))
(module binary "\00asm" "\01\00\00\00" "\05\08\01" "\08\ff\ff\ff\ff\0f\00")
(module binary "\00asm" "\01\00\00\00" "\05\07\01" "\09\00\80\80\04\10")

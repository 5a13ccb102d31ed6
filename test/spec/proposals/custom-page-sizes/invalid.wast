;; converter: wast-lite
;; Custom-page-sizes proposal: page sizes and limits that do not decode or do not validate. Written for xipwasm
;; from the proposal's rules: a page size is encoded as its log2 after the limits (flag bit 3); exponents above
;; 64 are malformed; any page size other than 1 and 65536 is invalid; the limits must lie within 2^32 - 1 and
;; within 2^32 / page size.

;; Powers of two other than 1 and 65536 decode but do not validate.
(assert_invalid (module (memory 0 (pagesize 2))) "invalid custom page size")
(assert_invalid (module (memory 0 (pagesize 256))) "invalid custom page size")
(assert_invalid (module (memory 0 (pagesize 4096))) "invalid custom page size")
(assert_invalid (module (memory 0 (pagesize 32768))) "invalid custom page size")
(assert_invalid (module (memory 0 (pagesize 0x20000))) "invalid custom page size")
(assert_invalid (module (import "m" "mem" (memory 0 (pagesize 16)))) "invalid custom page size")

;; The exponents 0 and 16 written out in binary; 64 decodes (2^64) but is invalid; 65 does not decode.
(module binary "\00asm" "\01\00\00\00" "\05\04\01" "\08\00\00")
(module binary "\00asm" "\01\00\00\00" "\05\05\01" "\09\00\02\10")
(assert_invalid (module binary "\00asm" "\01\00\00\00" "\05\04\01" "\08\00\40") "invalid custom page size")
(assert_malformed (module binary "\00asm" "\01\00\00\00" "\05\04\01" "\08\00\41") "invalid custom page size")
(assert_malformed (module binary "\00asm" "\01\00\00\00" "\05\08\01" "\08\00\ff\ff\ff\ff\0f") "invalid custom page size")
;; the exponent is missing, or too long for a u32
(assert_malformed (module binary "\00asm" "\01\00\00\00" "\05\03\01" "\08\00") "unexpected end")
(assert_malformed (module binary "\00asm" "\01\00\00\00" "\05\09\01" "\08\00\80\80\80\80\80\00") "integer representation too long")
;; tables have no page size
(assert_malformed (module binary "\00asm" "\01\00\00\00" "\04\05\01" "\70\08\00\00") "limits flags")
;; flag bits above 3 are malformed
(assert_malformed (module binary "\00asm" "\01\00\00\00" "\05\04\01" "\10\00\00") "limits flags")

;; Limits: within 2^32 / page size and 2^32 - 1 pages (the largest valid limits are in limits-valid.wast).
(assert_invalid (module (memory 65537 (pagesize 65536))) "memory size must be at most")
(assert_invalid (module (memory 0 65537 (pagesize 65536))) "memory size must be at most")
(assert_invalid (module (memory 65537)) "memory size must be at most")
;; 2^32 pages of 1 byte: the limits of a memory with a page size are u64 in the binary format, so this decodes
(assert_invalid
  (module binary "\00asm" "\01\00\00\00" "\05\08\01" "\08\80\80\80\80\10\00")
  "memory size must be at most")
(assert_invalid
  (module binary "\00asm" "\01\00\00\00" "\05\09\01" "\09\00\80\80\80\80\10\00")
  "memory size must be at most")
(assert_invalid (module (memory 2 1 (pagesize 1))) "size minimum must not be greater than maximum")

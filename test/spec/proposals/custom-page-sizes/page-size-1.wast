;; converter: wast-lite
;; Custom-page-sizes proposal: memories of 1-byte pages. memory.size and memory.grow count in the declared pages,
;; and every access is bounds-checked to the byte. Written for xipwasm from the proposal's rules
;; (proposals/custom-page-sizes/Overview.md); expected results follow those rules.

;; Both valid page sizes, with and without a maximum.
(module (memory 1 (pagesize 1)))
(module (memory 1 (pagesize 65536)))
(module (memory 0 3 (pagesize 1)))
(module (memory 1 2 (pagesize 65536)))

;; One page of one byte: a byte load at 0 works, a 2-byte load at 0 does not.
(module
  (memory 1 (pagesize 1))
  (func (export "load8") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "load16") (param i32) (result i32) (i32.load16_u (local.get 0)))
  (func (export "store8") (param i32 i32) (i32.store8 (local.get 0) (local.get 1)))
  (func (export "size") (result i32) (memory.size)))
(assert_return (invoke "size") (i32.const 1))
(assert_return (invoke "load8" (i32.const 0)) (i32.const 0))
(assert_return (invoke "store8" (i32.const 0) (i32.const 0xab)))
(assert_return (invoke "load8" (i32.const 0)) (i32.const 0xab))
(assert_trap (invoke "load16" (i32.const 0)) "out of bounds memory access")
(assert_trap (invoke "load8" (i32.const 1)) "out of bounds memory access")
(assert_trap (invoke "load8" (i32.const -1)) "out of bounds memory access")
(assert_trap (invoke "store8" (i32.const 1) (i32.const 1)) "out of bounds memory access")

;; Growing by single bytes: memory.size and memory.grow count bytes; every width is checked at the last byte.
(module
  (memory 0 300 (pagesize 1))
  (func (export "size") (result i32) (memory.size))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "load8") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "load16") (param i32) (result i32) (i32.load16_u (local.get 0)))
  (func (export "load32") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "load64") (param i32) (result i64) (i64.load (local.get 0)))
  (func (export "load32_off5") (param i32) (result i32) (i32.load offset=5 (local.get 0)))
  (func (export "store32") (param i32 i32) (i32.store (local.get 0) (local.get 1)))
  (func (export "store64") (param i32 i64) (i64.store (local.get 0) (local.get 1))))
(assert_return (invoke "size") (i32.const 0))
(assert_trap (invoke "load8" (i32.const 0)) "out of bounds memory access")
(assert_return (invoke "grow" (i32.const 1)) (i32.const 0))
(assert_return (invoke "size") (i32.const 1))
(assert_return (invoke "load8" (i32.const 0)) (i32.const 0))
(assert_trap (invoke "load16" (i32.const 0)) "out of bounds memory access")
(assert_return (invoke "grow" (i32.const 7)) (i32.const 1))
(assert_return (invoke "size") (i32.const 8))
(assert_return (invoke "load64" (i32.const 0)) (i64.const 0))
(assert_trap (invoke "load64" (i32.const 1)) "out of bounds memory access")
(assert_return (invoke "load32" (i32.const 4)) (i32.const 0))
(assert_trap (invoke "load32" (i32.const 5)) "out of bounds memory access")
(assert_return (invoke "load16" (i32.const 6)) (i32.const 0))
(assert_trap (invoke "load16" (i32.const 7)) "out of bounds memory access")
(assert_trap (invoke "load32_off5" (i32.const 0)) "out of bounds memory access")
(assert_return (invoke "store32" (i32.const 4) (i32.const 0x04030201)))
(assert_return (invoke "load8" (i32.const 7)) (i32.const 4))
(assert_trap (invoke "store32" (i32.const 5) (i32.const 1)) "out of bounds memory access")
(assert_trap (invoke "store64" (i32.const 1) (i64.const 1)) "out of bounds memory access")
;; a failed store changed nothing
(assert_return (invoke "load32" (i32.const 4)) (i32.const 0x04030201))
(assert_return (invoke "grow" (i32.const 1)) (i32.const 8))
(assert_return (invoke "load32_off5" (i32.const 0)) (i32.const 0x00040302))
;; the new bytes are zero
(assert_return (invoke "load8" (i32.const 8)) (i32.const 0))
(assert_return (invoke "grow" (i32.const 0)) (i32.const 9))
;; up to the declared maximum of 300 bytes, not beyond
(assert_return (invoke "grow" (i32.const 292)) (i32.const -1))
(assert_return (invoke "grow" (i32.const 291)) (i32.const 9))
(assert_return (invoke "size") (i32.const 300))
(assert_return (invoke "load32" (i32.const 296)) (i32.const 0))
(assert_trap (invoke "load32" (i32.const 297)) "out of bounds memory access")
(assert_return (invoke "grow" (i32.const 1)) (i32.const -1))
(assert_return (invoke "grow" (i32.const -1)) (i32.const -1))
(assert_return (invoke "size") (i32.const 300))

;; Constant addresses near the declared minimum: with 1-byte pages, "below the minimum" means below 10 bytes,
;; not 10 * 64 KiB (an access a compiler proves in bounds from the minimum must use the real page size).
(module
  (memory 10 20 (pagesize 1))
  (data (i32.const 0) "\00\01\02\03\04\05\06\07\08\09")
  (func (export "at6") (result i32) (i32.load (i32.const 6)))
  (func (export "at7") (result i32) (i32.load (i32.const 7)))
  (func (export "off7") (result i32) (i32.load offset=7 (i32.const 0)))
  (func (export "at9") (result i32) (i32.load8_u (i32.const 9)))
  (func (export "at10") (result i32) (i32.load8_u (i32.const 10)))
  (func (export "sum") (param i32) (result i32)
    ;; a loop of loads whose address the optimizing tier can bound
    (local $s i32) (local $i i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get 0)))
        (local.set $s (i32.add (local.get $s) (i32.load8_u (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $s))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "size") (result i32) (memory.size)))
(assert_return (invoke "at6") (i32.const 0x09080706))
(assert_trap (invoke "at7") "out of bounds memory access")
(assert_trap (invoke "off7") "out of bounds memory access")
(assert_return (invoke "at9") (i32.const 9))
(assert_trap (invoke "at10") "out of bounds memory access")
(assert_return (invoke "sum" (i32.const 10)) (i32.const 45))
(assert_trap (invoke "sum" (i32.const 11)) "out of bounds memory access")
(assert_return (invoke "grow" (i32.const 1)) (i32.const 10))
(assert_return (invoke "size") (i32.const 11))
(assert_return (invoke "at7") (i32.const 0x00090807))
(assert_return (invoke "at10") (i32.const 0))
(assert_return (invoke "sum" (i32.const 11)) (i32.const 45))

;; Bulk memory at byte granularity.
(module
  (memory 16 (pagesize 1))
  (data $d "abcdef")
  (func (export "fill") (param i32 i32 i32) (memory.fill (local.get 0) (local.get 1) (local.get 2)))
  (func (export "copy") (param i32 i32 i32) (memory.copy (local.get 0) (local.get 1) (local.get 2)))
  (func (export "init") (param i32 i32 i32) (memory.init $d (local.get 0) (local.get 1) (local.get 2)))
  (func (export "load8") (param i32) (result i32) (i32.load8_u (local.get 0))))
(assert_return (invoke "fill" (i32.const 15) (i32.const 7) (i32.const 1)))
(assert_return (invoke "load8" (i32.const 15)) (i32.const 7))
(assert_trap (invoke "fill" (i32.const 15) (i32.const 7) (i32.const 2)) "out of bounds memory access")
(assert_return (invoke "fill" (i32.const 16) (i32.const 7) (i32.const 0)))
(assert_trap (invoke "fill" (i32.const 17) (i32.const 7) (i32.const 0)) "out of bounds memory access")
(assert_return (invoke "init" (i32.const 10) (i32.const 0) (i32.const 6)))
(assert_return (invoke "load8" (i32.const 15)) (i32.const 0x66))
(assert_trap (invoke "init" (i32.const 11) (i32.const 0) (i32.const 6)) "out of bounds memory access")
(assert_return (invoke "copy" (i32.const 0) (i32.const 10) (i32.const 6)))
(assert_return (invoke "load8" (i32.const 5)) (i32.const 0x66))
(assert_trap (invoke "copy" (i32.const 11) (i32.const 0) (i32.const 6)) "out of bounds memory access")
(assert_trap (invoke "copy" (i32.const 0) (i32.const 11) (i32.const 6)) "out of bounds memory access")

;; Data segments are checked against the size in bytes.
(module (memory 4 (pagesize 1)) (data (i32.const 1) "abc"))
(assert_trap (module (memory 4 (pagesize 1)) (data (i32.const 2) "abc")) "out of bounds memory access")
(assert_trap (module (memory 0 (pagesize 1)) (data (i32.const 1) "")) "out of bounds memory access")
(module (memory 0 (pagesize 1)) (data (i32.const 0) ""))

;; The inline-data abbreviation sizes the memory in its own pages: three bytes, and no room to grow.
(module
  (memory (pagesize 1) (data "xyz"))
  (func (export "size") (result i32) (memory.size))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "load8") (param i32) (result i32) (i32.load8_u (local.get 0))))
(assert_return (invoke "size") (i32.const 3))
(assert_return (invoke "load8" (i32.const 2)) (i32.const 0x7a))
(assert_trap (invoke "load8" (i32.const 3)) "out of bounds memory access")
(assert_return (invoke "grow" (i32.const 1)) (i32.const -1))
(module
  (memory (pagesize 65536) (data "xyz"))
  (func (export "size") (result i32) (memory.size)))
(assert_return (invoke "size") (i32.const 1))

;; A page size of 1 allows more than 65536 pages; 64 KiB pages stay limited to 65536 pages.
(module
  (memory 0 (pagesize 1))
  (func (export "size") (result i32) (memory.size))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "load8") (param i32) (result i32) (i32.load8_u (local.get 0))))
(assert_return (invoke "grow" (i32.const 65536)) (i32.const 0))
(assert_return (invoke "grow" (i32.const 1)) (i32.const 65536))
(assert_return (invoke "size") (i32.const 65537))
(assert_return (invoke "load8" (i32.const 65536)) (i32.const 0))
(assert_trap (invoke "load8" (i32.const 65537)) "out of bounds memory access")
(module
  (memory 0 (pagesize 65536))
  (func (export "size") (result i32) (memory.size))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))
(assert_return (invoke "grow" (i32.const 65537)) (i32.const -1))
(assert_return (invoke "size") (i32.const 0))

;; Importing a memory: the page sizes must be equal; the limits then compare in those pages.
(module $small
  (memory (export "mem") 5 (pagesize 1))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))
(register "small" $small)
(module $big (memory (export "mem") 1))
(register "big" $big)
(module
  (import "small" "mem" (memory 5 (pagesize 1)))
  (func (export "size") (result i32) (memory.size))
  (func (export "load8") (param i32) (result i32) (i32.load8_u (local.get 0))))
(assert_return (invoke "size") (i32.const 5))
(assert_return (invoke "load8" (i32.const 4)) (i32.const 0))
(assert_trap (invoke "load8" (i32.const 5)) "out of bounds memory access")
(assert_return (invoke $small "grow" (i32.const 2)) (i32.const 5))
(assert_return (invoke "size") (i32.const 7))
(assert_return (invoke "load8" (i32.const 6)) (i32.const 0))
(module (import "big" "mem" (memory 1 (pagesize 65536))))
(assert_unlinkable (module (import "small" "mem" (memory 0 (pagesize 65536)))) "incompatible import type")
(assert_unlinkable (module (import "big" "mem" (memory 0 (pagesize 1)))) "incompatible import type")
(assert_unlinkable (module (import "small" "mem" (memory 8 (pagesize 1)))) "incompatible import type")

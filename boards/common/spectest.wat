;; The non-function part of the spec test harness's "spectest" module (globals, table, memory), as in the
;; reference interpreter's spectest.ml. Its functions are host functions of the firmware (boards/common/spectest.c).
;; The driver compiles this file for the board, loads it first and registers it as "spectest".
(module
  (global (export "global_i32") i32 (i32.const 666))
  (global (export "global_i64") i64 (i64.const 666))
  (global (export "global_f32") f32 (f32.const 666.6))
  (global (export "global_f64") f64 (f64.const 666.6))
  (table (export "table") 10 20 funcref)
  (memory (export "memory") 1 2)
)

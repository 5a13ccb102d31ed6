/*
 * Build-time configuration of the xipwasm runtime. Every knob is an #ifndef
 * default: a board overrides it with -D or by including its own header first
 * (XW_CONFIG_HEADER="board_config.h").
 */
#ifndef XW_CONFIG_H
#define XW_CONFIG_H

#ifdef XW_CONFIG_HEADER
#include XW_CONFIG_HEADER
#endif

/* ---- capacities (all fixed: the runtime never allocates) ---- */
#ifndef XW_MAX_CALL_VALUES      /* params or results of a function called through xw_call */
#define XW_MAX_CALL_VALUES 32
#endif
#ifndef XW_MAX_TABLE_ELEMS      /* elements reserved for one table */
#define XW_MAX_TABLE_ELEMS 4096u
#endif
#ifndef XW_TABLE_GROW_RESERVE   /* extra elements reserved for a table without a maximum (table.grow room; 4 bytes each) */
#define XW_TABLE_GROW_RESERVE 16u
#endif
#ifndef XW_MAX_MEMORY_PAGES     /* hard cap on linear memory in 64 KiB units, whatever the module, its page size and the config say */
#define XW_MAX_MEMORY_PAGES 65536u
#endif

/* ---- stack ---- */
#ifndef XW_DEFAULT_STACK_BUDGET /* bytes a call may use when the config says 0 */
#define XW_DEFAULT_STACK_BUDGET 8192u
#endif
#ifndef XW_STACK_RESERVE        /* kept free below stack_limit for the trap path and intrinsics */
#define XW_STACK_RESERVE 1024u /* a leaf function's frame (up to 256 bytes, unchecked) + a runtime call + the trap path */
#endif

/* ---- what this runtime runs (checked against the AOT header) ---- */
/* Target codes and feature bits as in docs/aot-format.md. */
#ifndef XW_RUNTIME_TARGET
/* GCC 12 spells Armv8.1-M as 8M_MAIN; MVE only exists from v8.1-M on. */
#if defined(__ARM_ARCH_8_1M_MAIN__) || (defined(__ARM_ARCH_8M_MAIN__) && defined(__ARM_FEATURE_MVE))
#define XW_RUNTIME_TARGET 5
#elif defined(__ARM_ARCH_8M_MAIN__)
#define XW_RUNTIME_TARGET 4
#elif defined(__ARM_ARCH_7EM__)
#define XW_RUNTIME_TARGET 3
#elif defined(__ARM_ARCH_7M__)
#define XW_RUNTIME_TARGET 2
#elif defined(__ARM_ARCH_6M__)
#define XW_RUNTIME_TARGET 1
#elif defined(__riscv) && __riscv_xlen == 32
/* RV32 (issue 11): target code 16, run alone (not ordered with the Thumb codes); the extensions are feature
   bits (docs/aot-format.md). */
#define XW_RUNTIME_TARGET 16
#define XW_RUNTIME_TARGET_MIN 16
#else
#define XW_RUNTIME_TARGET 5     /* host build (tests): accept every target */
#define XW_HOST_BUILD 1
#endif
#endif

#ifndef XW_RUNTIME_TARGET_MIN   /* the lowest target code this runtime runs (Thumb: every earlier core) */
#define XW_RUNTIME_TARGET_MIN 1
#endif

#ifndef XW_RUNTIME_FEATURES
#if defined(__riscv)
/* The same bits as on Arm where they mean the same: 0 single-precision FPU (F), 2 hardware divide (M); and
   4 atomics (A), 5 compressed instructions (C). */
#if defined(__riscv_flen) && __riscv_flen >= 32
#define XW_RT_FEAT_SP 1u
#else
#define XW_RT_FEAT_SP 0u
#endif
#if defined(__riscv_div)
#define XW_RT_FEAT_DIV 4u
#else
#define XW_RT_FEAT_DIV 0u
#endif
#if defined(__riscv_atomic)
#define XW_RT_FEAT_RVA 16u
#else
#define XW_RT_FEAT_RVA 0u
#endif
#if defined(__riscv_compressed)
#define XW_RT_FEAT_RVC 32u
#else
#define XW_RT_FEAT_RVC 0u
#endif
#define XW_RUNTIME_FEATURES (XW_RT_FEAT_SP | XW_RT_FEAT_DIV | XW_RT_FEAT_RVA | XW_RT_FEAT_RVC)
#elif defined(__arm__)
#if defined(__ARM_FP) && (__ARM_FP & 4)
#define XW_RT_FEAT_SP 1u
#else
#define XW_RT_FEAT_SP 0u
#endif
#if defined(__ARM_FP) && (__ARM_FP & 8)
#define XW_RT_FEAT_DP 2u
#else
#define XW_RT_FEAT_DP 0u
#endif
#if defined(__ARM_FEATURE_IDIV) || defined(__ARM_ARCH_7M__) || defined(__ARM_ARCH_7EM__) || defined(__ARM_ARCH_8M_MAIN__) || defined(__ARM_ARCH_8_1M_MAIN__)
#define XW_RT_FEAT_DIV 4u
#else
#define XW_RT_FEAT_DIV 0u
#endif
#if defined(__ARM_FEATURE_DSP)
#define XW_RT_FEAT_DSP 8u
#else
#define XW_RT_FEAT_DSP 0u
#endif
#define XW_RUNTIME_FEATURES (XW_RT_FEAT_SP | XW_RT_FEAT_DP | XW_RT_FEAT_DIV | XW_RT_FEAT_DSP)
#else
#define XW_RUNTIME_FEATURES 0xFu
#endif
#endif

#ifndef XW_RUNTIME_FLOAT_ABI    /* 0 soft (AAPCS base, RV32 ilp32), 1 hard (AAPCS-VFP, RV32 ilp32f) */
#if defined(__ARM_PCS_VFP) || defined(__riscv_float_abi_single)
#define XW_RUNTIME_FLOAT_ABI 1
#else
#define XW_RUNTIME_FLOAT_ABI 0
#endif
#endif

/* ---- optional parts ---- */
#ifndef XW_ENABLE_INTRINSICS    /* 0: the symbol table holds only the runtime helpers (files needing intrinsics are refused) */
#define XW_ENABLE_INTRINSICS 1
#endif
#ifndef XW_CHECK_SYMBOL_NAMES  /* 0: drop the ~2 KB name list; the loader then checks symbol indices and presence only */
#define XW_CHECK_SYMBOL_NAMES 1
#endif
#ifndef XW_CHECK_CRC            /* 0: skip the CRC (faster load on a trusted flash image) */
#define XW_CHECK_CRC 1
#endif
#ifndef XW_IMAGE_ALIGN          /* the loader refuses an image placed less aligned than this */
#define XW_IMAGE_ALIGN 8u
#endif

#ifndef XW_ENABLE_WASI          /* 1: wasi_snapshot_preview1 for MCUs (wasi.c); 0 (default): no code, no data */
#define XW_ENABLE_WASI 0
#endif
#ifndef XW_ENABLE_INTERRUPT     /* 0: no xw_interrupt/xw_interrupt_from_isr, memory.fill/copy in one piece, no polls */
#define XW_ENABLE_INTERRUPT 1
#endif
#ifndef XW_POLL_CHUNK           /* bytes memory.fill/copy move between two looks at the interrupt flag */
#define XW_POLL_CHUNK 4096u
#endif

/* ---- platform hooks ---- */
/* Defined by the embedder instead of runtime/src/platform.c when set. */
#ifndef XW_HAVE_PLATFORM_HOOKS
#define XW_HAVE_PLATFORM_HOOKS 0
#endif
/* Called when a trap has no call to return to (a runtime bug or misuse); must not return. */
#ifndef XW_PLATFORM_ABORT
#define XW_PLATFORM_ABORT() for (;;) { }
#endif

/*
 * Test hook: when defined, calls into the text go through
 * `void XW_ENTRY_HOOK(xw_exec_env *env, uint64_t *slots, const void *entry, const void *code)`
 * instead (the host cannot run Thumb code).
 */
/* #define XW_ENTRY_HOOK xw_test_entry_hook */

#endif /* XW_CONFIG_H */

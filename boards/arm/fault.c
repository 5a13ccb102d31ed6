/* Fault handlers: print one machine-readable line and exit with status 3.
     F <kind> cfsr=0x... hfsr=0x... addr=0x...|- pc=0x... lr=0x...
   `addr` is MMFAR (MemManage) or BFAR (BusFault) when the CFSR says it is valid. */
#include "board.h"
#include "semihost.h"

#define REG(addr) (*(volatile uint32_t *)(addr))
#define SCB_SHCSR REG(0xE000ED24u)
#define SCB_CFSR REG(0xE000ED28u)
#define SCB_HFSR REG(0xE000ED2Cu)
#define SCB_MMFAR REG(0xE000ED34u)
#define SCB_BFAR REG(0xE000ED38u)
#define SCB_SFSR REG(0xE000EDE4u)
#define SCB_SFAR REG(0xE000EDE8u)

#define FAULT_EXIT_CODE 3u

void fault_enable_handlers(void) {
#if defined(__ARM_ARCH_6M__)
  /* v6-M escalates every fault to HardFault and has no fault status registers */
#else
  SCB_SHCSR |= (1u << 16) | (1u << 17) | (1u << 18); /* MEMFAULTENA | BUSFAULTENA | USGFAULTENA */
#if __ARM_ARCH >= 8
  SCB_SHCSR |= 1u << 19; /* SECUREFAULTENA */
#endif
#endif
  __asm__ volatile("dsb\n\tisb" ::: "memory");
}

void fault_report(const uint32_t *frame, const char *kind);

void fault_report(const uint32_t *frame, const char *kind) {
#if defined(__ARM_ARCH_6M__)
  /* no CFSR/HFSR/MMFAR/BFAR on v6-M (reading them would fault again): report them as 0 and no address */
  uint32_t cfsr = 0, hfsr = 0;
#else
  uint32_t cfsr = SCB_CFSR, hfsr = SCB_HFSR;
#endif
  out_str("F ");
  out_str(kind);
  out_str(" cfsr=");
  out_hex32(cfsr);
  out_str(" hfsr=");
  out_hex32(hfsr);
  out_str(" addr=");
#if !defined(__ARM_ARCH_6M__)
  if ((cfsr & (1u << 7)) != 0) {
    out_hex32(SCB_MMFAR);
  } else if ((cfsr & (1u << 15)) != 0) {
    out_hex32(SCB_BFAR);
  } else
#endif
  {
    out_char('-');
  }
  out_str(" pc=");
  out_hex32(frame[6]);
  out_str(" lr=");
  out_hex32(frame[5]);
#if __ARM_ARCH >= 8
  if (kind[0] == 'S') {
    out_str(" sfsr=");
    out_hex32(SCB_SFSR);
    out_str(" sfar=");
    out_hex32(SCB_SFAR);
  }
#endif
  out_end();
  sh_exit(FAULT_EXIT_CODE);
}

/* Each handler passes the stacked exception frame and its name. */
#define FAULT_ENTRY(handler, kind)                                  \
  __attribute__((used)) static const char handler##_kind[] = kind;  \
  __attribute__((naked)) void handler(void) {                       \
    __asm__ volatile(BOARD_FRAME_TO_R0                              \
                     "ldr r1, =" #handler "_kind\n\t"               \
                     BOARD_TAIL_CALL("fault_report")                \
                     ".ltorg" ::: "memory");                        \
  }

FAULT_ENTRY(HardFault_Handler, "HardFault")
FAULT_ENTRY(MemManage_Handler, "MemManage")
FAULT_ENTRY(BusFault_Handler, "BusFault")
FAULT_ENTRY(UsageFault_Handler, "UsageFault")
FAULT_ENTRY(SecureFault_Handler, "SecureFault")
FAULT_ENTRY(NMI_Handler, "NMI")
FAULT_ENTRY(Default_Handler, "UnexpectedException")

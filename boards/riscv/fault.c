/* Trap handling (entered from trap_entry in startup.c): the machine timer drives the watchdog; anything else is a
   fault reported as one machine-readable line, then exit status 3:
     F <kind> cfsr=<mcause> hfsr=0x00000000 addr=<mtval> pc=<mepc> lr=<ra>
   (the Arm boards' field names, so the driver parses both alike). */
#include "board.h"
#include "semihost.h"

#define FAULT_EXIT_CODE 3u
#define MCAUSE_INTERRUPT 0x80000000u
#define IRQ_MACHINE_TIMER 7u

void arch_timer_tick(uint32_t *frame);

static const char *cause_name(uint32_t cause) {
  switch (cause) {
    case 0: return "InstructionAddressMisaligned";
    case 1: return "InstructionAccessFault";
    case 2: return "IllegalInstruction";
    case 3: return "Breakpoint";
    case 4: return "LoadAddressMisaligned";
    case 5: return "LoadAccessFault";
    case 6: return "StoreAddressMisaligned";
    case 7: return "StoreAccessFault";
    case 8: return "EcallFromU";
    case 11: return "EcallFromM";
    default: return "UnexpectedException";
  }
}

void riscv_trap(uint32_t *frame, uint32_t mcause, uint32_t mtval);

void riscv_trap(uint32_t *frame, uint32_t mcause, uint32_t mtval) {
  if (mcause == (MCAUSE_INTERRUPT | IRQ_MACHINE_TIMER)) {
    arch_timer_tick(frame);
    return;
  }
  out_str("F ");
  out_str((mcause & MCAUSE_INTERRUPT) != 0 ? "UnexpectedInterrupt" : cause_name(mcause));
  out_str(" cfsr=");
  out_hex32(mcause);
  out_str(" hfsr=");
  out_hex32(0);
  out_str(" addr=");
  out_hex32(mtval);
  out_str(" pc=");
  out_hex32(frame[0]);
  out_str(" lr=");
  out_hex32(frame[1]);
  out_end();
  sh_exit(FAULT_EXIT_CODE);
}

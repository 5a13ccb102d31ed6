/* RISC-V: PMP helpers for boards/<board>/board.c (boards/riscv/pmp.c). The firmware runs in M-mode; every entry
   it writes is locked, which is what makes the PMP bind M-mode too (an unlocked entry only binds S- and U-mode),
   and keeps the entry fixed until reset. Entries are matched lowest number first. */
#ifndef BOARD_ARCH_H
#define BOARD_ARCH_H

#include <stdint.h>

typedef enum {
  PMP_CODE_RX,  /* read + execute, no write */
  PMP_DATA_RW,  /* read + write, no execute */
  PMP_NO_ACCESS /* any access faults */
} pmp_kind;

/* Entry n covers [base, base + size) (NAPOT): size a power of two >= 8 (up to 2^32), base aligned to it. */
void pmp_napot(uint32_t n, uint32_t base, uint64_t size, pmp_kind kind);
/* Entries n and n + 1 cover [base, top) (entry n is OFF and gives the bottom, entry n + 1 is TOR): both 4-aligned. */
void pmp_range(uint32_t n, uint32_t base, uint32_t top, pmp_kind kind);

#endif

/* A small stack-machine interpreter dispatched by a switch (br_table in wasm): it runs a generated program that
   computes a Collatz-style iteration and a running hash over 40 starting values. */
#include "lib/bench.h"

enum { OP_PUSH, OP_LOAD, OP_STORE, OP_ADD, OP_SUB, OP_MUL, OP_AND, OP_SHR, OP_XOR, OP_DUP, OP_JZ, OP_JMP,
       OP_LT, OP_HALT, OP_INC, OP_ODD };

typedef struct {
  uint8_t op;
  int32_t arg;
} insn;

/* Registers: r0 = n, r1 = steps, r2 = hash. Program (hand-assembled):
     loop: load r0; push 1; sub; jz done            -- while (n != 1)
           load r0; odd; jz even
           load r0; push 3; mul; push 1; add; store r0; jmp next
     even: load r0; push 1; shr; store r0
     next: load r2; load r0; xor; push 16777619; mul; store r2
           inc r1; jmp loop
     done: halt */
static const insn program[] = {
  { OP_LOAD, 0 }, { OP_PUSH, 1 }, { OP_SUB, 0 }, { OP_JZ, 30 },
  { OP_LOAD, 0 }, { OP_ODD, 0 }, { OP_JZ, 14 },
  { OP_LOAD, 0 }, { OP_PUSH, 3 }, { OP_MUL, 0 }, { OP_PUSH, 1 }, { OP_ADD, 0 }, { OP_STORE, 0 }, { OP_JMP, 18 },
  { OP_LOAD, 0 }, { OP_PUSH, 1 }, { OP_SHR, 0 }, { OP_STORE, 0 },
  { OP_LOAD, 2 }, { OP_LOAD, 0 }, { OP_XOR, 0 }, { OP_PUSH, 16777619 }, { OP_MUL, 0 }, { OP_STORE, 2 },
  { OP_INC, 1 }, { OP_JMP, 0 }, { OP_HALT, 0 }, { OP_HALT, 0 }, { OP_HALT, 0 }, { OP_HALT, 0 },
  { OP_HALT, 0 },
};

static int32_t execute(int32_t regs[3]) {
  int32_t stack[16];
  int sp = 0;
  uint32_t pc = 0;
  int32_t executed = 0;
  for (;;) {
    insn in = program[pc++];
    executed++;
    switch (in.op) {
      case OP_PUSH: stack[sp++] = in.arg; break;
      case OP_LOAD: stack[sp++] = regs[in.arg]; break;
      case OP_STORE: regs[in.arg] = stack[--sp]; break;
      case OP_ADD: sp--; stack[sp - 1] += stack[sp]; break;
      case OP_SUB: sp--; stack[sp - 1] -= stack[sp]; break;
      case OP_MUL: sp--; stack[sp - 1] = (int32_t)((uint32_t)stack[sp - 1] * (uint32_t)stack[sp]); break;
      case OP_AND: sp--; stack[sp - 1] &= stack[sp]; break;
      case OP_SHR: sp--; stack[sp - 1] = (int32_t)((uint32_t)stack[sp - 1] >> stack[sp]); break;
      case OP_XOR: sp--; stack[sp - 1] ^= stack[sp]; break;
      case OP_DUP: stack[sp] = stack[sp - 1]; sp++; break;
      case OP_JZ: if (stack[--sp] == 0) pc = (uint32_t)in.arg; break;
      case OP_JMP: pc = (uint32_t)in.arg; break;
      case OP_LT: sp--; stack[sp - 1] = stack[sp - 1] < stack[sp]; break;
      case OP_HALT: return executed;
      case OP_INC: regs[in.arg]++; break;
      case OP_ODD: stack[sp - 1] &= 1; break;
      default: return -1;
    }
  }
}

uint32_t run(void) {
  uint32_t h = 0;
  for (int32_t start = 1; start <= 40; start++) {
    int32_t regs[3] = { start * 7 + 27, 0, (int32_t)0x811C9DC5u };
    int32_t executed = execute(regs);
    h = (h * 31u) ^ (uint32_t)regs[1] ^ ((uint32_t)regs[2] << 1) ^ (uint32_t)executed;
  }
  return h;
}

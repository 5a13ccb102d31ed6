/**
 * Choosing the compressed form of a 32-bit operation: each `tryC.*` takes the
 * operands of the 32-bit instruction and returns its RVC equivalent, or
 * undefined when no compressed form holds them. An emitter writes
 * `tryC.addi(rd, rs, v) ?? addi(rd, rs, imm)`. The choices follow GNU as's
 * automatic compression (checked by the golden table 'auto').
 */
import * as C from './enc/compressed.js';
import type { Insn16 } from './enc/common.js';
import {
  CAddi16spImm, CAddi4spnImm, CBOff, CImm6, CJOff, CLuiImm, CMemOff, CNzImm6, CShamt, CSpOff,
} from './imm.js';
import { type FReg, type XReg, isCReg } from './regs.js';

const SP_ = 2;

export const tryC = {
  /** addi rd, rs1, imm: c.addi, c.addi16sp, c.addi4spn, c.li, c.mv or c.nop. */
  addi(rd: XReg, rs1: XReg, imm: number): Insn16 | undefined {
    if (rd === 0) return rs1 === 0 && imm === 0 ? C.cNop() : undefined;
    if (rd === rs1 && CNzImm6.fits(imm)) return C.cAddi(rd, imm as CNzImm6);
    if (rd === SP_ && rs1 === SP_ && CAddi16spImm.fits(imm)) return C.cAddi16sp(imm as CAddi16spImm);
    if (rs1 === SP_ && isCReg(rd) && CAddi4spnImm.fits(imm)) return C.cAddi4spn(rd, imm as CAddi4spnImm);
    if (rs1 === 0 && CImm6.fits(imm)) return C.cLi(rd, imm as CImm6);
    if (imm === 0 && rs1 !== 0) return C.cMv(rd, rs1);
    return undefined;
  },
  /** add rd, rs1, rs2: c.add (either operand order) or c.mv. */
  add(rd: XReg, rs1: XReg, rs2: XReg): Insn16 | undefined {
    if (rd === 0) return undefined;
    if (rs1 === 0 && rs2 !== 0) return C.cMv(rd, rs2);
    if (rs2 === 0 && rs1 !== 0) return C.cMv(rd, rs1);
    if (rd === rs1 && rs2 !== 0) return C.cAdd(rd, rs2);
    if (rd === rs2 && rs1 !== 0) return C.cAdd(rd, rs1);
    return undefined;
  },
  /** sub/xor/or/and rd, rs1, rs2 with rd == rs1 (or rd == rs2 for the commutative ones), all in x8..x15. */
  alu(op: 'sub' | 'xor' | 'or' | 'and', rd: XReg, rs1: XReg, rs2: XReg): Insn16 | undefined {
    if (!isCReg(rd)) return undefined;
    const cop = `c.${op}` as const;
    if (rd === rs1 && isCReg(rs2)) return C.cAlu(cop, rd, rs2);
    if (op !== 'sub' && rd === rs2 && isCReg(rs1)) return C.cAlu(cop, rd, rs1);
    return undefined;
  },
  andi(rd: XReg, rs1: XReg, imm: number): Insn16 | undefined {
    return rd === rs1 && isCReg(rd) && CImm6.fits(imm) ? C.cAndi(rd, imm as CImm6) : undefined;
  },
  shiftImm(op: 'slli' | 'srli' | 'srai', rd: XReg, rs1: XReg, shamt: number): Insn16 | undefined {
    if (rd !== rs1 || !CShamt.fits(shamt)) return undefined;
    if (op === 'slli') return rd !== 0 ? C.cSlli(rd, shamt as CShamt) : undefined;
    if (!isCReg(rd)) return undefined;
    return op === 'srli' ? C.cSrli(rd, shamt as CShamt) : C.cSrai(rd, shamt as CShamt);
  },
  /** lui rd, field. */
  lui(rd: XReg, field: number): Insn16 | undefined {
    return rd !== 0 && rd !== SP_ && CLuiImm.fits(field) ? C.cLui(rd, field as CLuiImm) : undefined;
  },
  lw(rd: XReg, rs1: XReg, off: number): Insn16 | undefined {
    if (rs1 === SP_ && rd !== 0 && CSpOff.fits(off)) return C.cLwsp(rd, off as CSpOff);
    if (isCReg(rd) && isCReg(rs1) && CMemOff.fits(off)) return C.cLw(rd, rs1, off as CMemOff);
    return undefined;
  },
  sw(rs2: XReg, rs1: XReg, off: number): Insn16 | undefined {
    if (rs1 === SP_ && CSpOff.fits(off)) return C.cSwsp(rs2, off as CSpOff);
    if (isCReg(rs2) && isCReg(rs1) && CMemOff.fits(off)) return C.cSw(rs2, rs1, off as CMemOff);
    return undefined;
  },
  flw(rd: FReg, rs1: XReg, off: number): Insn16 | undefined {
    if (rs1 === SP_ && CSpOff.fits(off)) return C.cFlwsp(rd, off as CSpOff);
    if (isCReg(rd) && isCReg(rs1) && CMemOff.fits(off)) return C.cFlw(rd, rs1, off as CMemOff);
    return undefined;
  },
  fsw(rs2: FReg, rs1: XReg, off: number): Insn16 | undefined {
    if (rs1 === SP_ && CSpOff.fits(off)) return C.cFswsp(rs2, off as CSpOff);
    if (isCReg(rs2) && isCReg(rs1) && CMemOff.fits(off)) return C.cFsw(rs2, rs1, off as CMemOff);
    return undefined;
  },
  /** jal rd, off: c.j (rd = x0) or c.jal (rd = ra). */
  jal(rd: XReg, off: number): Insn16 | undefined {
    if (!CJOff.fits(off)) return undefined;
    return rd === 0 ? C.cJ(off as CJOff) : rd === 1 ? C.cJal(off as CJOff) : undefined;
  },
  /** jalr rd, 0(rs1): c.jr (rd = x0) or c.jalr (rd = ra). */
  jalr(rd: XReg, rs1: XReg, imm: number): Insn16 | undefined {
    if (imm !== 0 || rs1 === 0) return undefined;
    return rd === 0 ? C.cJr(rs1) : rd === 1 ? C.cJalr(rs1) : undefined;
  },
  /** beq/bne rs1, x0, off (either operand order). */
  branchZero(cond: 'eq' | 'ne', rs1: XReg, rs2: XReg, off: number): Insn16 | undefined {
    const r = rs2 === 0 ? rs1 : rs1 === 0 ? rs2 : undefined;
    if (r === undefined || !isCReg(r) || !CBOff.fits(off)) return undefined;
    return cond === 'eq' ? C.cBeqz(r, off as CBOff) : C.cBnez(r, off as CBOff);
  },
  ebreak(): Insn16 {
    return C.cEbreak();
  },
};

/**
 * A thin RV32 assembler over the shared code buffer: the instruction
 * sequences an emitter needs around plain encodings (constants, moves, calls,
 * label uses), each choosing the compressed form when the core has C and GNU
 * as would choose it too (the golden tests check both against GNU as).
 */
import { CodeBuffer, type Label } from '../buffer.js';
import { tryC } from './compress.js';
import * as E from './enc/index.js';
import { BOff, JOff, SImm12, UImm20, splitHiLo } from './imm.js';
import { RA, ZERO, type BranchCond, type XReg } from './regs.js';
import { RV32_LABEL_USE, type Rv32LabelUse } from './labeluse.js';

const Z12 = SImm12.tryFrom(0)!;
const Z20 = UImm20.tryFrom(0)!;
const B0 = BOff.tryFrom(0)!;
const J0 = JOff.tryFrom(0)!;

export class Rv32Assembler {
  readonly buf: CodeBuffer<Rv32LabelUse> = new CodeBuffer(RV32_LABEL_USE);

  /** `compressed`: the core has C, so 16-bit forms may be used. */
  constructor(readonly compressed: boolean) {}

  /** Write one instruction. */
  put(e: E.RvEnc): void {
    if (E.isCompressed(e)) this.buf.put16(e);
    else this.buf.putData32(e);
  }

  /** The compressed form when the core has C and one exists, else the 32-bit one. */
  private pick(c: () => E.Insn16 | undefined, full: () => E.Insn32): void {
    this.put((this.compressed ? c() : undefined) ?? full());
  }

  addi(rd: XReg, rs1: XReg, imm: SImm12): void {
    this.pick(() => tryC.addi(rd, rs1, imm), () => E.addi(rd, rs1, imm));
  }

  mv(rd: XReg, rs: XReg): void {
    this.addi(rd, rs, Z12);
  }

  /** rd = value (any 32-bit pattern): addi, lui, or lui + addi, as GNU as expands `li`. */
  li(rd: XReg, value: number): void {
    const { hi, lo } = splitHiLo(value);
    if (hi === 0) {
      this.addi(rd, ZERO, lo);
      return;
    }
    this.pick(() => tryC.lui(rd, hi), () => E.lui(rd, hi));
    if (lo !== 0) this.addi(rd, rd, lo);
    // Post-invariant: rd holds value mod 2^32.
  }

  /** b<cond> rs1, rs2 to `label`; beyond ±4 KiB the buffer's island veneer (jal) takes over. */
  branch(cond: BranchCond, rs1: XReg, rs2: XReg, label: Label): void {
    this.use(E.branch(cond, rs1, rs2, B0), label, 'branch');
  }

  /** Unconditional jump (±1 MiB). */
  j(label: Label): void {
    this.use(E.jal(ZERO, J0), label, 'jal');
  }

  /** Call within ±1 MiB: jal ra. */
  callNear(label: Label): void {
    this.use(E.jal(RA, J0), label, 'jal');
  }

  /** Call anywhere in the image: auipc ra + jalr ra (the link register doubles as the scratch). */
  call(label: Label): void {
    this.pair(E.auipc(RA, Z20), E.jalr(RA, RA, Z12), label, 'pcrelI');
  }

  /** rd = address of `label` (auipc + addi). */
  la(rd: XReg, label: Label): void {
    this.pair(E.auipc(rd, Z20), E.addi(rd, rd, Z12), label, 'pcrelI');
  }

  /** rd = a 32-bit constant from the next island's pool (auipc + lw), for values `li` needs two instructions for anyway. */
  loadConst(rd: XReg, bits: number): void {
    const at = this.buf.offset;
    this.put(E.auipc(rd, Z20));
    this.put(E.load('lw', rd, rd, Z12));
    this.buf.useConstant(at, 'pcrelI', { size: 4, bits: bits >>> 0 });
  }

  ret(): void {
    this.pick(() => tryC.jalr(ZERO, RA, 0), () => E.jalr(ZERO, RA, Z12));
  }

  private use(e: E.Insn32, label: Label, kind: Rv32LabelUse): void {
    const at = this.buf.offset;
    this.put(e);
    this.buf.useLabelAtOffset(at, label, kind);
  }

  /** Both instructions are written before the use is recorded: a bound label patches them at once. */
  private pair(first: E.Insn32, second: E.Insn32, label: Label, kind: 'pcrelI' | 'pcrelS'): void {
    const at = this.buf.offset;
    this.put(first);
    this.put(second);
    this.buf.useLabelAtOffset(at, label, kind);
  }
}

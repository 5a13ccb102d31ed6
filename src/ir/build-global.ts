/**
 * Globals for the IR builder (build.ts): a defined global's cell is at its offset in the instance's globals area,
 * an imported one's behind its pointer in the imported-globals array (both addresses loaded once per function);
 * a float global in a float register moves its bits through core words.
 */
import { EnvOffset } from '../abi.js';
import { CORE } from './ir.js';
import { VREG, wordsOf, type IrBuilder, type Word } from './build.js';

function globalCell(b: IrBuilder, index: number): { base: number; offset: number } {
  const mod = b.target.module;
  const t = mod.globalTypes[index]!.valType;
  b.vclass(t);
  if (index < mod.numImportedGlobals) {
    return { base: b.invariantLoad(b.invariantLoad(-1, EnvOffset.importedGlobals), 4 * index), offset: 0 };
  }
  return { base: b.invariantLoad(-1, EnvOffset.globals), offset: b.target.globalOffsets[index - mod.numImportedGlobals]! };
}

export function globalGet(b: IrBuilder, index: number): void {
  const t = b.target.module.globalTypes[index]!.valType;
  const { base, offset } = globalCell(b, index);
  const w: Word[] = [];
  for (let k = 0; k < wordsOf(t); k++) {
    const d = b.newVreg();
    b.emit({ op: 'ldw', d, a: base, offset: offset + 4 * k });
    w.push(VREG(d));
  }
  const cls = b.vclass(t);
  if (cls !== CORE) {
    // a float global's cell holds its bits: into the float register through the core ones
    const d = b.newVreg(true, cls);
    b.emit({ op: 'fromcore', d, a: w[0]!.v, b: w.length > 1 ? w[1]!.v : -1 });
    b.pushWords(t, [VREG(d)]);
    return;
  }
  b.pushWords(t, w);
}

export function globalSet(b: IrBuilder, index: number): void {
  const t = b.target.module.globalTypes[index]!.valType;
  const w = b.popWords();
  let regs = w.map((x) => b.reg(x));
  if (b.vclass(t) !== CORE) {
    const lo = b.newVreg();
    const hi = wordsOf(t) === 2 ? b.newVreg() : -1;
    b.emit({ op: 'tocore', d: lo, d2: hi, a: regs[0]! });
    regs = hi >= 0 ? [lo, hi] : [lo];
  }
  const { base, offset } = globalCell(b, index);
  regs.forEach((v, k) => b.emit({ op: 'stw', a: base, b: v, offset: offset + 4 * k }));
}

/**
 * `--enable-stack-estimation` / `--stack-usage=FILE`: how much machine stack each compiled function takes.
 * Read back from the emitted code rather than from the code generators (each back end has its own frame
 * layout): the prologue's push, vpush and `sub sp`, plus every later stack decrement in the body (outgoing
 * call arguments, spills around calls) counted as if all were outstanding at once, so the figure is an upper
 * bound on the function's own frame, not counting its callees.
 */
import { readAot } from '../aot/reader.js';
import { disassembleThumb, type DisasmCpu } from '../run/disasm.js';
import { functionExtent } from './listing.js';

export interface StackUse {
  readonly index: number;
  readonly name: string | undefined;
  /** push + vpush + sub sp of the prologue. */
  readonly prologueBytes: number;
  /** Upper bound: the prologue plus every later decrement of sp in the body. */
  readonly boundBytes: number;
}

function regCount(list: string): number {
  let n = 0;
  for (const part of list.replace(/[{}\s]/g, '').split(',')) {
    if (part === '') continue;
    const range = /^([a-z]+)(\d+)-[a-z]+(\d+)$/.exec(part);
    n += range === null ? 1 : Number(range[3]) - Number(range[2]) + 1;
  }
  return n;
}

/** The bytes one instruction (capstone text) takes off sp, given the last known constants in registers. */
function decrement(mnemonic: string, ops: string, consts: Map<string, number>): number {
  const m = mnemonic.replace(/\.w$/, '');
  if (m === 'push' || m === 'stmdb' && ops.startsWith('sp!')) return 4 * regCount(ops.replace(/^sp!,\s*/, ''));
  if (m === 'vpush') return (ops.includes('d') ? 8 : 4) * regCount(ops);
  if ((m === 'sub' || m === 'subw') && /^sp,/.test(ops)) {
    const imm = /#(0x[0-9a-f]+|\d+)$/.exec(ops);
    if (imm !== null) return Number(imm[1]);
    const reg = /,\s*([a-z0-9]+)$/.exec(ops)?.[1];
    return reg !== undefined ? consts.get(reg) ?? 0 : 0;
  }
  return 0;
}

const PROLOGUE_INSTRUCTIONS = 6;

export async function estimateStack(image: Uint8Array, cpu: DisasmCpu): Promise<StackUse[]> {
  const f = readAot(image);
  const out: StackUse[] = [];
  for (let index = 0; index < f.funcs.length; index++) {
    if (f.funcs[index]!.import !== undefined) continue;
    const { start, end } = functionExtent(f, index);
    const lines = await disassembleThumb(f.text.subarray(start, end), start, cpu);
    const consts = new Map<string, number>();
    let prologue = 0;
    let body = 0;
    // the prologue is the push, the vpush and the sub sp within the first instructions (a register move may sit between)
    lines.forEach((line, k) => {
      const [, , mnemonic = '', ops = ''] = line.split('\t').map((s) => s.trim());
      const mov = /^(?:mov|movw|mov\.w)$/.test(mnemonic) ? /^([a-z0-9]+),\s*#(0x[0-9a-f]+|\d+)$/.exec(ops) : null;
      if (mov !== null) consts.set(mov[1]!, Number(mov[2]));
      const d = decrement(mnemonic, ops, consts);
      if (k < PROLOGUE_INSTRUCTIONS) prologue += d;
      else body += d;
    });
    out.push({ index, name: f.names.get(index), prologueBytes: prologue, boundBytes: prologue + body });
  }
  return out;
}

/** clang -fstack-usage style lines: `<name>\t<bytes>\tstatic|bounded`. */
export function formatStackUse(uses: readonly StackUse[]): string {
  return uses.map((u) => `${u.name ?? `func[${u.index}]`}\t${u.boundBytes}\t${u.boundBytes === u.prologueBytes ? 'static' : 'bounded'}\n`).join('');
}

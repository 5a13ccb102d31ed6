/** Text output of the resolved intrinsic table and of a module's symbol uses. */
import { assertNever } from '../errors.js';
import { INLINE_ONLY, isCallable, type IntrinsicEntry } from '../xip/catalogue.js';
import { cpuInfo, type CpuInfo } from '../xip/cpu.js';
import { RV32_INLINE } from '../xip/rv32.js';
import { describeResolution, type IntrinsicReason, type ResolvedIntrinsics } from '../xip/policy.js';
import { cPrototype } from '../xip/symbols-header.js';
import type { SymbolUse } from '../xip/usage.js';

function reasonText(reason: IntrinsicReason, resolved: ResolvedIntrinsics): string {
  switch (reason) {
    case 'default': return `${resolved.cpu} default`;
    case 'requested': return 'requested';
    case 'required': return `required by ${resolved.cpu}`;
    default: return assertNever(reason, 'intrinsic reason');
  }
}

/** How the operation is done inline on this core (the catalogue's text is Thumb's). */
function inlineText(e: IntrinsicEntry, cpu: CpuInfo): string {
  return cpu.isa === 'rv32' ? RV32_INLINE[e.wamrName] ?? e.inline : e.inline;
}

function treatment(e: IntrinsicEntry, reason: IntrinsicReason | undefined, resolved: ResolvedIntrinsics): string {
  if (reason === undefined) return `inline: ${inlineText(e, cpuInfo(resolved.cpu))}`;
  if (!isCallable(e)) return `constant table (${reasonText(reason, resolved)})`;
  return `call #${e.index} ${cPrototype(e)} (${reasonText(reason, resolved)})`;
}

export function formatResolution(resolved: ResolvedIntrinsics): string {
  const cpu = cpuInfo(resolved.cpu);
  const head =
    `target ${resolved.target}, cpu ${cpu.name} (FPU: ${cpu.fpuName}), ` +
    `table: ${resolved.explicitList ? '--enable-builtin-intrinsics list' : 'CPU default'} + operations the CPU cannot do\n`;
  const rows = describeResolution(resolved);
  const nameW = Math.max(...rows.map((r) => r.entry.wamrName.length)) + 2;
  const opW = Math.max(...rows.map((r) => r.entry.operators[0]?.length ?? 0)) + 2;
  const body = rows.map(({ entry, reason }) => {
    const ops = entry.operators.length > 1 ? `${entry.operators[0]} (+${entry.operators.length - 1})` : entry.operators[0] ?? '';
    return `  ${entry.wamrName.padEnd(nameW)}${ops.padEnd(opW + 5)}${treatment(entry, reason, resolved)}\n`;
  });
  const calls = rows.filter((r) => r.reason !== undefined).length;
  if (cpu.isa === 'rv32') {
    return head + body.join('') + `${calls} of ${rows.length} intrinsics are runtime calls or constant tables\n` +
      'RV32 code follows this table; with F, under ilp32f (f32 in F registers, docs/riscv.md)\n';
  }
  const inlineOnly = INLINE_ONLY.map(([op, how]) => `  ${op.padEnd(nameW + opW + 5)}inline: ${how}\n`).join('');
  return head + body.join('') + `${calls} of ${rows.length} intrinsics are runtime calls or constant tables\n` +
    `No WAMR intrinsic; always inline:\n${inlineOnly}`;
}

export function formatUses(uses: readonly SymbolUse[]): string {
  if (uses.length === 0) return 'module needs no runtime functions\n';
  const w = Math.max(...uses.map((u) => u.symbol.symbol.length)) + 2;
  const lines = uses.map((u) =>
    `  #${String(u.symbol.index).padEnd(3)} ${u.symbol.symbol.padEnd(w)}${String(u.sites).padStart(6)} site${u.sites === 1 ? ' ' : 's'}  (${u.operators.join(', ')})\n`);
  return `module needs ${uses.length} runtime function${uses.length === 1 ? '' : 's'}:\n` + lines.join('');
}

/** The target options shared by `compile` and `intrinsics`, and their `=help` listings. */
import { ALL_CPUS, TARGET_ABIS, TARGETS, describeCpus } from '../xip/cpu.js';
import type { FlagSpec, ParsedArgs } from './args.js';
import type { CliIo } from './io.js';

export const TARGET_FLAG_SPECS: readonly FlagSpec[] = [
  { name: '--target', kind: 'value', valueName: '<arch>', help: `Target architecture or triple: ${TARGETS.join(', ')}\nUse --target=help to list them` },
  { name: '--cpu', kind: 'value', valueName: '<cpu>', help: `Target CPU: ${ALL_CPUS.map((c) => c.name).join(', ')}\nUse --cpu=help to list them with their capabilities` },
  { name: '--target-abi', kind: 'value', valueName: '<abi>', help: 'Arm: gnu or eabi (soft-float), gnueabihf or eabihf (hard-float);\nRISC-V: ilp32 (soft-float) or ilp32f (F registers)\nDefault: hard-float when the CPU has an FPU' },
  {
    name: '--cpu-features', kind: 'value', valueName: '<+x,-y>',
    help: 'RV32 only: add or remove extensions of the --cpu (+m,+a,+f,+c), as wamrc.\nRefused on Arm, where the --cpu name fixes the features',
  },
  {
    name: '--enable-builtin-intrinsics', kind: 'value', valueName: '<a,b,...>',
    help: 'Replace the CPU\'s default intrinsic table with these WAMR names or groups\n' +
      '(exact tokens; see `xipwasm intrinsics --cpu=<cpu>`). Operations the CPU\ncannot do are always called',
  },
];

/** Handles --target=help, --cpu=help, --target-abi=help. Returns true when it printed a listing. */
export function printTargetHelp(args: ParsedArgs, io: CliIo): boolean {
  if (args.values.get('--target') === 'help' || args.values.get('--cpu') === 'help') {
    io.out('Supported CPUs (--cpu) and their targets (--target):\n');
    for (const line of describeCpus()) io.out(`  ${line}\n`);
    return true;
  }
  if (args.values.get('--target-abi') === 'help') {
    io.out(`Supported target ABIs: ${TARGET_ABIS.join(', ')}\n`);
    return true;
  }
  return false;
}

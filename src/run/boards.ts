/**
 * The emulated boards, in one place: what QEMU machine each is, how its firmware is compiled, and its memory map
 * (boards/<name>/board.c and board.ld hold the same numbers for the firmware; docs/boards.md explains them).
 */
import { UsageError } from '../errors.js';

export type BoardName = 'mps2-an385' | 'mps3-an547';

export interface BoardSpec {
  readonly name: BoardName;
  /** The `--cpu` the compiler must target for this board. */
  readonly cpu: 'cortex-m3' | 'cortex-m55';
  readonly target: 'thumbv7m' | 'thumbv8m.main';
  readonly floatAbi: 'soft' | 'hard';
  /** QEMU `-M`. */
  readonly qemuMachine: string;
  /** arm-none-eabi-gcc flags selecting the core and float ABI (newlib multilib follows them). */
  readonly gccFlags: readonly string[];
  /** Read-only, executable region AOT images are loaded into (`-device loader`). */
  readonly blobBase: number;
  readonly blobSize: number;
  /** RAM for instances (exec_env, linear memories, globals, tables). */
  readonly arenaBase: number;
  readonly arenaSize: number;
  /** An SRAM address: executing there must fault (execute-never). */
  readonly sramBase: number;
}

export const BOARDS: Readonly<Record<BoardName, BoardSpec>> = {
  'mps2-an385': {
    name: 'mps2-an385',
    cpu: 'cortex-m3',
    target: 'thumbv7m',
    floatAbi: 'soft',
    qemuMachine: 'mps2-an385',
    gccFlags: ['-mcpu=cortex-m3', '-mthumb', '-mfloat-abi=soft'],
    blobBase: 0x00100000,
    blobSize: 0x00300000,
    arenaBase: 0x21000000,
    arenaSize: 0x01000000,
    sramBase: 0x20000000,
  },
  'mps3-an547': {
    name: 'mps3-an547',
    cpu: 'cortex-m55',
    target: 'thumbv8m.main',
    floatAbi: 'hard',
    qemuMachine: 'mps3-an547',
    // -mfpu=auto takes FPv5-D16 + MVE from -mcpu; newlib's multilib is thumb/v8-m.main+dp/hard.
    gccFlags: ['-mcpu=cortex-m55', '-mthumb', '-mfloat-abi=hard', '-mfpu=auto'],
    blobBase: 0x28000000,
    blobSize: 0x00800000,
    arenaBase: 0x60000000,
    arenaSize: 0x10000000,
    sramBase: 0x20000000,
  },
};

export const BOARD_NAMES: readonly BoardName[] = Object.keys(BOARDS) as BoardName[];

export function boardSpec(name: string): BoardSpec {
  if (name in BOARDS) return BOARDS[name as BoardName];
  throw new UsageError(`unknown board '${name}' (boards: ${BOARD_NAMES.join(', ')})`);
}

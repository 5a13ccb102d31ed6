/**
 * The emulated boards, in one place: what QEMU machine each is, how its firmware is compiled, and its memory map
 * (boards/<name>/board.c and board.ld hold the same numbers for the firmware; docs/boards.md explains them).
 * The firmware of a board is boards/common + boards/<arch> + boards/<name>, built with its architecture's
 * toolchain (ARCHS).
 */
import { UsageError } from '../errors.js';

export type BoardName = 'mps2-an385' | 'mps3-an547' | 'riscv32-virt';

/** The architecture directory under boards/ and the tools that go with it. */
export type BoardArch = 'arm' | 'riscv';

export interface ArchSpec {
  /** GNU toolchain prefix: `${prefix}gcc`, `${prefix}nm`, `${prefix}size`, ... */
  readonly toolPrefix: string;
  /** Link flags selecting the C library (newlib-nano on Arm, picolibc on RISC-V). */
  readonly libcFlags: readonly string[];
  readonly qemu: string;
  /** Bit 0 of a code address in the symbol table (the Thumb bit). */
  readonly codeAddressBit: 0 | 1;
  /** Debian packages providing the above (for error messages). */
  readonly packages: string;
}

export const ARCHS: Readonly<Record<BoardArch, ArchSpec>> = {
  arm: {
    toolPrefix: 'arm-none-eabi-',
    libcFlags: ['--specs=nano.specs'],
    qemu: 'qemu-system-arm',
    codeAddressBit: 1,
    packages: 'gcc-arm-none-eabi, libnewlib-arm-none-eabi, qemu-system-arm',
  },
  riscv: {
    toolPrefix: 'riscv64-unknown-elf-',
    libcFlags: ['--specs=picolibc.specs'],
    qemu: 'qemu-system-riscv32',
    codeAddressBit: 0,
    packages: 'gcc-riscv64-unknown-elf, picolibc-riscv64-unknown-elf, qemu-system-misc',
  },
};

export interface BoardSpec {
  readonly name: BoardName;
  readonly arch: BoardArch;
  /** The `--cpu` the compiler must target for this board. */
  readonly cpu: 'cortex-m3' | 'cortex-m55' | 'rv32imac';
  readonly target: 'thumbv7m' | 'thumbv8m.main' | 'riscv32';
  readonly floatAbi: 'soft' | 'hard';
  /** QEMU `-M`. */
  readonly qemuMachine: string;
  /** QEMU options beyond `-M` the machine needs (CPU model, `-bios none`, ...). */
  readonly qemuOptions: readonly string[];
  /** gcc flags selecting the core and float ABI (the C library's multilib follows them). */
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
    arch: 'arm',
    cpu: 'cortex-m3',
    target: 'thumbv7m',
    floatAbi: 'soft',
    qemuMachine: 'mps2-an385',
    qemuOptions: [],
    gccFlags: ['-mcpu=cortex-m3', '-mthumb', '-mfloat-abi=soft'],
    blobBase: 0x00100000,
    blobSize: 0x00300000,
    arenaBase: 0x21000000,
    arenaSize: 0x01000000,
    sramBase: 0x20000000,
  },
  'mps3-an547': {
    name: 'mps3-an547',
    arch: 'arm',
    cpu: 'cortex-m55',
    target: 'thumbv8m.main',
    floatAbi: 'hard',
    qemuMachine: 'mps3-an547',
    qemuOptions: [],
    // -mfpu=auto takes FPv5-D16 + MVE from -mcpu; newlib's multilib is thumb/v8-m.main+dp/hard.
    gccFlags: ['-mcpu=cortex-m55', '-mthumb', '-mfloat-abi=hard', '-mfpu=auto'],
    blobBase: 0x28000000,
    blobSize: 0x00800000,
    arenaBase: 0x60000000,
    arenaSize: 0x10000000,
    sramBase: 0x20000000,
  },
  'riscv32-virt': {
    name: 'riscv32-virt',
    arch: 'riscv',
    cpu: 'rv32imac',
    target: 'riscv32',
    floatAbi: 'soft',
    qemuMachine: 'virt',
    // -bios none: no OpenSBI, QEMU jumps to the firmware's ELF entry in M-mode. F and D off: an FPU-less part.
    qemuOptions: ['-bios', 'none', '-cpu', 'rv32,f=false,d=false'],
    // rv32imac_zicsr: GCC 12 finds no multilib for an -march with _zicsr, so it is spelt in ISA spec 2.2, where
    // Zicsr (and Zifencei) belong to I; the code is the same.
    gccFlags: ['-march=rv32imac', '-mabi=ilp32', '-misa-spec=2.2', '-mcmodel=medany'],
    blobBase: 0x20000000,
    blobSize: 0x02000000,
    arenaBase: 0x81000000,
    arenaSize: 0x01000000,
    sramBase: 0x80100000,
  },
};

export const BOARD_NAMES: readonly BoardName[] = Object.keys(BOARDS) as BoardName[];

/** The boards whose core the compiler generates code for today: tests and benches that compile Wasm run on these.
    RV32 code generation waits for the target-neutral pipeline (issue 11); until then the RISC-V board runs
    hand-assembled images (test/boards/rv32.test.ts). */
export const CODEGEN_BOARD_NAMES: readonly BoardName[] = BOARD_NAMES.filter((b) => BOARDS[b].arch === 'arm');

export function boardSpec(name: string): BoardSpec {
  if (name in BOARDS) return BOARDS[name as BoardName];
  throw new UsageError(`unknown board '${name}' (boards: ${BOARD_NAMES.join(', ')})`);
}

/** The tools of a board's architecture. */
export function archOf(board: BoardSpec): ArchSpec {
  return ARCHS[board.arch];
}

/** The QEMU command for a board, up to the firmware: binary and machine options. */
export function qemuCommand(board: BoardSpec): { readonly qemu: string; readonly args: readonly string[] } {
  return { qemu: archOf(board).qemu, args: ['-M', board.qemuMachine, ...board.qemuOptions] };
}

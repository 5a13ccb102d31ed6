/**
 * The emulated boards, in one place: what QEMU machine each is, how its firmware is compiled, and its memory map
 * (boards/<name>/board.c and board.ld hold the same numbers for the firmware; docs/boards.md explains them).
 * The firmware of a board is boards/common + boards/<arch> + boards/<name>, built with its architecture's
 * toolchain (ARCHS).
 */
import { UsageError } from '../errors.js';
import type { CpuName, FloatAbi, TargetArch } from '../xip/cpu.js';

export type BoardName = 'mps2-an385' | 'mps2-an386' | 'mps2-an500' | 'mps2-an505' | 'mps3-an547' | 'microbit' | 'riscv32-virt'
  | 'riscv32-virt-f';

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
  readonly cpu: CpuName;
  readonly target: TargetArch;
  readonly floatAbi: FloatAbi;
  /** QEMU `-M`. */
  readonly qemuMachine: string;
  /** QEMU options beyond `-M` the machine needs (CPU model, `-bios none`, ...). */
  readonly qemuOptions: readonly string[];
  /** gcc flags selecting the core and float ABI (the C library's multilib follows them). */
  readonly gccFlags: readonly string[];
  /** Extra C flags of the batch firmware on this board (sizes of its tables, runtime limits: the small boards). */
  readonly firmwareFlags: readonly string[];
  /** Read-only, executable region AOT images are loaded into (`-device loader`). */
  readonly blobBase: number;
  readonly blobSize: number;
  /** RAM for instances (exec_env, linear memories, globals, tables). */
  readonly arenaBase: number;
  readonly arenaSize: number;
  /** The RAM the firmware's data lives in: executing there must fault (execute-never) where the board has an MPU. */
  readonly sramBase: number;
  /** An MPU (the PMP on RISC-V) makes the blob read-only and RAM execute-never (false: the micro:bit, whose nRF51
      has none). */
  readonly mpu: boolean;
  /**
   * Whether the board can run compiled Wasm code (CODEGEN_BOARD_NAMES): the Cortex-M0 has its Thumb-1 back end
   * (src/target/thumb1); no RV32 code generation yet. docs/boards.md.
   */
  readonly runsCompiledCode: boolean;
}

/** The table reserve of a table without a maximum (4 KiB each): the boards with megabytes of RAM let such tables
    grow as the spec tests expect. */
const BIG_BOARD_FIRMWARE: readonly string[] = ['-DXW_TABLE_GROW_RESERVE=1024u'];

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
    firmwareFlags: BIG_BOARD_FIRMWARE,
    blobBase: 0x00100000,
    blobSize: 0x00300000,
    arenaBase: 0x21000000,
    arenaSize: 0x01000000,
    sramBase: 0x20000000,
    mpu: true,
    runsCompiledCode: true,
  },
  // The same FPGA map as the AN385 (boards/mps2-an386/board.c), with a Cortex-M4F.
  'mps2-an386': {
    name: 'mps2-an386',
    arch: 'arm',
    cpu: 'cortex-m4',
    target: 'thumbv7em',
    floatAbi: 'hard',
    qemuMachine: 'mps2-an386',
    qemuOptions: [],
    gccFlags: ['-mcpu=cortex-m4', '-mthumb', '-mfloat-abi=hard', '-mfpu=fpv4-sp-d16'],
    firmwareFlags: BIG_BOARD_FIRMWARE,
    blobBase: 0x00100000,
    blobSize: 0x00300000,
    arenaBase: 0x21000000,
    arenaSize: 0x01000000,
    sramBase: 0x20000000,
    mpu: true,
    runsCompiledCode: true,
  },
  // AN500: the AN385 map, but its 16 MiB PSRAM sits at 0x60000000.
  'mps2-an500': {
    name: 'mps2-an500',
    arch: 'arm',
    cpu: 'cortex-m7',
    target: 'thumbv7em',
    floatAbi: 'hard',
    qemuMachine: 'mps2-an500',
    qemuOptions: [],
    gccFlags: ['-mcpu=cortex-m7', '-mthumb', '-mfloat-abi=hard', '-mfpu=fpv5-d16'],
    firmwareFlags: BIG_BOARD_FIRMWARE,
    blobBase: 0x00100000,
    blobSize: 0x00300000,
    arenaBase: 0x60000000,
    arenaSize: 0x01000000,
    sramBase: 0x20000000,
    mpu: true,
    runsCompiledCode: true,
  },
  // AN505 (SSE-200): the firmware runs Secure with the SAU off, from the Secure aliases (boards/mps2-an505/board.c).
  'mps2-an505': {
    name: 'mps2-an505',
    arch: 'arm',
    cpu: 'cortex-m33',
    target: 'thumbv8m.main',
    floatAbi: 'hard',
    qemuMachine: 'mps2-an505',
    qemuOptions: [],
    gccFlags: ['-mcpu=cortex-m33', '-mthumb', '-mfloat-abi=hard', '-mfpu=fpv5-sp-d16'],
    firmwareFlags: BIG_BOARD_FIRMWARE,
    blobBase: 0x10100000,
    blobSize: 0x00300000,
    arenaBase: 0x80000000,
    arenaSize: 0x01000000,
    sramBase: 0x38000000,
    mpu: true,
    runsCompiledCode: true,
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
    firmwareFlags: BIG_BOARD_FIRMWARE,
    blobBase: 0x28000000,
    blobSize: 0x00800000,
    arenaBase: 0x60000000,
    arenaSize: 0x10000000,
    sramBase: 0x20000000,
    mpu: true,
    runsCompiledCode: true,
  },
  // nRF51822: 256 KiB flash at 0x0 (the firmware, then the blob), 16 KiB of RAM for everything else.
  'microbit': {
    name: 'microbit',
    arch: 'arm',
    cpu: 'cortex-m0',
    target: 'thumbv6m',
    floatAbi: 'soft',
    qemuMachine: 'microbit',
    qemuOptions: [],
    gccFlags: ['-mcpu=cortex-m0', '-mthumb', '-mfloat-abi=soft'],
    // boards/common/main.c's tables sized for 16 KiB; tables without a maximum do not grow
    firmwareFlags: ['-DXW_TABLE_GROW_RESERVE=0u', '-DFW_SMALL=1'],
    blobBase: 0x00030000,
    blobSize: 0x00010000,
    arenaBase: 0x20002000,
    arenaSize: 0x00002000,
    sramBase: 0x20000000,
    mpu: false,
    runsCompiledCode: true,
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
    firmwareFlags: BIG_BOARD_FIRMWARE,
    blobBase: 0x20000000,
    blobSize: 0x02000000,
    arenaBase: 0x81000000,
    arenaSize: 0x01000000,
    sramBase: 0x80100000,
    mpu: true, // the PMP
    runsCompiledCode: false,
  },
  // The same machine and map with F on (an RV32IMAFC part: GD32VF103-class, CH32V3); the firmware is ilp32f, so f32
  // arguments and results of the runtime (intrinsics, natives) travel in fa0..fa7 and it refuses ilp32 images.
  'riscv32-virt-f': {
    name: 'riscv32-virt-f',
    arch: 'riscv',
    cpu: 'rv32imafc',
    target: 'riscv32',
    floatAbi: 'hard',
    qemuMachine: 'virt',
    qemuOptions: ['-bios', 'none', '-cpu', 'rv32,f=true,d=false'],
    gccFlags: ['-march=rv32imafc', '-mabi=ilp32f', '-misa-spec=2.2', '-mcmodel=medany'],
    firmwareFlags: BIG_BOARD_FIRMWARE,
    blobBase: 0x20000000,
    blobSize: 0x02000000,
    arenaBase: 0x81000000,
    arenaSize: 0x01000000,
    sramBase: 0x80100000,
    mpu: true,
    runsCompiledCode: false,
  },
};

export const BOARD_NAMES: readonly BoardName[] = Object.keys(BOARDS) as BoardName[];

/** The boards that run compiled Wasm code: every test and bench that executes a compiled module loops over these.
    Not the RISC-V board (RV32 code generation waits for the target-neutral pipeline, issue 11; it runs
    hand-assembled images, test/boards/rv32.test.ts). */
export const CODEGEN_BOARD_NAMES: readonly BoardName[] = BOARD_NAMES.filter((b) => BOARDS[b].runsCompiledCode);

/** The boards whose core and float ABI are the image's (its CPU as recorded in the AOT header). */
export function boardsFor(cpu: string, floatAbi: FloatAbi): BoardName[] {
  // the M0+ runs the M0's instruction set: its images go to the M0 board
  const core = cpu === 'cortex-m0plus' ? 'cortex-m0' : cpu;
  return BOARD_NAMES.filter((b) => BOARDS[b].cpu === core && BOARDS[b].floatAbi === floatAbi);
}

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

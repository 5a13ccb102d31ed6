/**
 * The benchmark programs (all written for this project). Each exports `run()` returning a checksum; the same
 * algorithm also builds natively (C source, or a C twin of an AssemblyScript program) for the baselines.
 */
export interface BenchProgram {
  readonly name: string;
  /** What it exercises, for the tables. */
  readonly covers: string;
  /** Source of the wasm build, relative to bench/ (AssemblyScript is kept as .as so tsc leaves it alone). */
  readonly wasmSource: string;
  readonly lang: 'c' | 'assemblyscript';
  /** C source of the native (board and host) builds, relative to bench/. */
  readonly nativeSource: string;
  readonly result: 'i32' | 'i64';
  /** Build the wasm with -mbulk-memory (memcpy/memset become memory.copy/memory.fill). */
  readonly bulkMemory?: boolean;
  /**
   * The small workload's memory in bytes after the rewrite to 1-byte pages, for a build that exports no
   * `__heap_base` (asc's); clang's builds export it and the rewrite finds their size itself.
   */
  readonly smallMemoryBytes?: number;
}

/**
 * Which inputs a program runs on: `full`, or `small` for a board whose RAM cannot hold a 64 KiB page (the
 * micro:bit). The small workload is the same code with its arrays shrunk (`BENCH_SIZE` in bench/c/lib/bench.h, built
 * with -DBENCH_SMALL=1, or `asc --use BENCH_SMALL=1`) so that its data fit in 4 KiB; its wasm32 build puts a 1 KiB
 * stack first and is rewritten to 1-byte pages (src/wasm/page-size.ts), so the instance takes a few KiB.
 */
export type Workload = 'full' | 'small';

function c(name: string, covers: string, result: 'i32' | 'i64' = 'i32', bulkMemory = false): BenchProgram {
  return { name, covers, wasmSource: `c/${name}.c`, lang: 'c', nativeSource: `c/${name}.c`, result, bulkMemory };
}

export const PROGRAMS: readonly BenchProgram[] = [
  c('crc32', 'table CRC-32, byte loads'),
  c('xtea', 'XTEA cipher, shifts/xor'),
  c('sort', 'quicksort + heapsort'),
  c('matmul', 'i32 matrix multiply'),
  c('strsearch', 'naive + Horspool search'),
  c('graph', 'BFS + Dijkstra (heap)'),
  c('bignum', 'i64 mul, splitmix64, i64 div/rem', 'i64'),
  c('siphash', 'i64 add/rotate/xor, byte loads', 'i64'),
  c('vm', 'switch interpreter (br_table)'),
  c('fir', 'f32 FIR + IIR'),
  c('nbody', 'f64 n-body, sqrt/div', 'i64'),
  c('mandel', 'f64 Mandelbrot'),
  c('calls', 'recursion + call_indirect'),
  c('bulkmem', 'memory.copy / memory.fill', 'i32', true),
  {
    name: 'sieve-as', covers: 'AssemblyScript sieve', wasmSource: 'as/sieve.as', lang: 'assemblyscript',
    nativeSource: 'as/sieve.c', result: 'i32',
    // asc puts memory.data at 1024 (its stack-less layout), and the small workload's flags take 4000 bytes
    smallMemoryBytes: 1024 + 4000,
  },
];

/** C flags that select the workload (the same for the wasm32, host and native builds). */
export function workloadCflags(w: Workload): string[] {
  return w === 'small' ? ['-DBENCH_SMALL=1'] : [];
}

export function findProgram(name: string): BenchProgram | undefined {
  return PROGRAMS.find((p) => p.name === name);
}

/**
 * The float-intrinsics grid: `npm run bench:intrinsics -- [--board=mps2-an385,...] [--cpu=board,cortex-m0] [--update-docs]`
 * (`board`: the board's own CPU, the default).
 *
 * For every float intrinsic of the runtime (runtime/src/intrinsics_*.c, built with the firmware's flags) and the
 * routine a native gcc build calls for the same operation (libgcc's `__aeabi_*`, or newlib's libm where libgcc has
 * none), the instructions one call executes, counted exactly by the QEMU plugin on a soft-float board: on a set of
 * normal operands and on a mixed set (normal, subnormal, ±0, ±inf, NaN). The calls are made by the same loop in the
 * board's blob region (the plugin counts from its first instruction to its return, callees included) through a
 * function pointer; a loop over a one-instruction stub is subtracted, so a figure is the callee's own instructions,
 * its return included. Instruction counts are deterministic.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { archOf, boardSpec, BOARD_NAMES, buildCountPlugin, qemuCommand, repoRoot } from '../src/run/index.js';
import type { BoardArch, BoardName } from '../src/run/index.js';
import { FIRMWARE_CFLAGS, firmwareDirs } from '../src/run/firmware.js';
import { runProcess } from '../src/run/qemu.js';
import { benchLinkerScript } from './native.js';
import { runTool } from './build.js';

/** Register shapes under the soft-float AAPCS: W a 32-bit word (float, i32), L a 64-bit pair (double, i64). */
type Shape = 'W' | 'L';
type Cls = 'f32' | 'f64' | 'i32' | 'u32' | 'i64' | 'u64';

interface Op {
  /** Row label, e.g. `f32.add`. */
  readonly label: string;
  readonly runtime: string;
  /** `cond` argument of the cmp intrinsics. */
  readonly cond?: number;
  readonly native: string;
  readonly params: readonly Cls[];
  readonly result: Cls;
  /** Operands in the float-to-int range of a trapping conversion only (no NaN/inf). */
  readonly trapRange?: readonly [number, number];
  /** Only non-negative operands in the "normal" set (sqrt). */
  readonly positive?: boolean;
}

const shape = (c: Cls): Shape => (c === 'f32' || c === 'i32' || c === 'u32' ? 'W' : 'L');

const OPS: Op[] = [];
for (const t of ['f32', 'f64'] as const) {
  const s = t === 'f32' ? 'f' : 'd';
  const libm = (n: string): string => (t === 'f32' ? `${n}f` : n);
  for (const [w, c, n] of [['add', 'fadd', 'add'], ['sub', 'fsub', 'sub'], ['mul', 'fmul', 'mul'], ['div', 'fdiv', 'div']]) {
    OPS.push({ label: `${t}.${w}`, runtime: `aot_intrinsic_${c}_${t}`, native: `__aeabi_${s}${n}`, params: [t, t], result: t });
  }
  for (const [w, cond, n] of [['eq', 0, 'cmpeq'], ['ne', 1, 'cmpeq'], ['lt', 2, 'cmplt'], ['gt', 3, 'cmpgt'], ['le', 4, 'cmple'],
    ['ge', 5, 'cmpge']] as const) {
    OPS.push({ label: `${t}.${w}`, runtime: `aot_intrinsic_${t}_cmp`, cond, native: `__aeabi_${s}${n}`, params: [t, t], result: 'i32' });
  }
  OPS.push({ label: `${t}.sqrt`, runtime: `aot_intrinsic_sqrt_${t}`, native: libm('sqrt'), params: [t], result: t, positive: true });
  for (const [w, c, n] of [['min', 'fmin', 'fmin'], ['max', 'fmax', 'fmax'], ['copysign', 'copysign', 'copysign']]) {
    OPS.push({ label: `${t}.${w}`, runtime: `aot_intrinsic_${c}_${t}`, native: libm(n), params: [t, t], result: t });
  }
  for (const [w, c, n] of [['abs', 'fabs', 'fabs'], ['ceil', 'ceil', 'ceil'], ['floor', 'floor', 'floor'], ['trunc', 'trunc', 'trunc'],
    ['nearest', 'rint', 'rint']]) {
    OPS.push({ label: `${t}.${w}`, runtime: `aot_intrinsic_${c}_${t}`, native: libm(n), params: [t], result: t });
  }
}
const CONV_NATIVE: Record<string, string> = {
  i32_f32: 'i2f', u32_f32: 'ui2f', i64_f32: 'l2f', u64_f32: 'ul2f', i32_f64: 'i2d', u32_f64: 'ui2d', i64_f64: 'l2d', u64_f64: 'ul2d',
  f32_i32: 'f2iz', f32_u32: 'f2uiz', f32_i64: 'f2lz', f32_u64: 'f2ulz', f64_i32: 'd2iz', f64_u32: 'd2uiz', f64_i64: 'd2lz', f64_u64: 'd2ulz',
};
const RANGE: Record<string, [number, number]> = { i32: [-(2 ** 31), 2 ** 31], u32: [0, 2 ** 32], i64: [-(2 ** 63), 2 ** 63], u64: [0, 2 ** 64] };
for (const f of ['f32', 'f64'] as const) {
  for (const i of ['i32', 'u32', 'i64', 'u64'] as const) {
    const s = i[0] === 'u' ? 'u' : 's';
    OPS.push({ label: `${f}.convert_i${i.slice(1)}_${s}`, runtime: `aot_intrinsic_${i}_to_${f}`, native: `__aeabi_${CONV_NATIVE[`${i}_${f}`]}`,
      params: [i], result: f });
  }
  for (const i of ['i32', 'u32', 'i64', 'u64'] as const) {
    const s = i[0] === 'u' ? 'u' : 's';
    OPS.push({ label: `i${i.slice(1)}.trunc_${f}_${s}`, runtime: `aot_intrinsic_${f}_to_${i}`, native: `__aeabi_${CONV_NATIVE[`${f}_${i}`]}`,
      params: [f], result: i, trapRange: RANGE[i] });
  }
}
OPS.push({ label: 'f64.promote_f32', runtime: 'aot_intrinsic_f32_to_f64', native: '__aeabi_f2d', params: ['f32'], result: 'f64' });
OPS.push({ label: 'f32.demote_f64', runtime: 'aot_intrinsic_f64_to_f32', native: '__aeabi_d2f', params: ['f64'], result: 'f32' });

// ---- operands ----

const N = 64;
let seed = 0x9e3779b9;
function rand32(): number {
  seed ^= seed << 13; seed >>>= 0;
  seed ^= seed >>> 17;
  seed ^= seed << 5; seed >>>= 0;
  return seed;
}
const rand64 = (): bigint => (BigInt(rand32()) << 32n) | BigInt(rand32());
const buf = new DataView(new ArrayBuffer(8));
const f32Bits = (x: number): bigint => { buf.setFloat32(0, x, true); return BigInt(buf.getUint32(0, true)); };
const f64Bits = (x: number): bigint => { buf.setFloat64(0, x, true); return buf.getBigUint64(0, true); };

/** A normal float: random sign (unless positive), exponent within ±12 binades of 1, random significand. */
function normal(t: 'f32' | 'f64', positive: boolean): bigint {
  const sign = positive ? 0n : BigInt(rand32() & 1);
  if (t === 'f32') return (sign << 31n) | (BigInt(127 - 12 + (rand32() % 25)) << 23n) | BigInt(rand32() & 0x7fffff);
  return (sign << 63n) | (BigInt(1023 - 12 + (rand32() % 25)) << 52n) | (rand64() & 0xfffffffffffffn);
}

/** The mixed set: half normal, the rest subnormal, ±0, ±inf, quiet and signalling NaN in turn. */
function mixed(t: 'f32' | 'f64', i: number): bigint {
  const sign = BigInt(rand32() & 1);
  const [sb, frac, inf, qnan] = t === 'f32'
    ? [31n, BigInt(rand32() & 0x7fffff) | 1n, 0x7f800000n, 0x7fc00000n]
    : [63n, (rand64() & 0xfffffffffffffn) | 1n, 0x7ff0000000000000n, 0x7ff8000000000000n];
  switch (i % 10) {
    case 1: case 6: return (sign << sb) | frac; // subnormal
    case 3: return sign << sb;
    case 5: return (sign << sb) | inf;
    case 7: return (sign << sb) | qnan | (frac & 0xffn);
    case 9: return (sign << sb) | inf | (frac & ((qnan - inf) - 1n)) | 1n; // signalling
    default: return normal(t, false);
  }
}

/** An in-range operand of a trapping conversion: its truncation fits [lo, hi). */
function inRange(t: 'f32' | 'f64', lo: number, hi: number, i: number, mix: boolean): bigint {
  const toBits = t === 'f32' ? f32Bits : f64Bits;
  if (mix && i % 4 === 1) return toBits((rand32() & 1 ? -1 : 1) * 2 ** -(130 + (rand32() % 20)) * (t === 'f32' ? 1 : 2 ** -900)); // tiny
  if (mix && i % 4 === 3) return toBits(rand32() & 1 ? -0 : 0);
  const bitsOfRange = Math.log2(hi - lo);
  for (;;) {
    const mag = 2 ** ((rand32() % 1000) / 1000 * (bitsOfRange - 1));
    const v = lo < 0 && rand32() & 1 ? -mag : mag;
    const r = toBits(v);
    const back = t === 'f32' ? Math.fround(v) : v;
    if (Math.trunc(back) >= lo && Math.trunc(back) < hi) return r;
  }
}

function intOperand(c: Cls, mix: boolean, i: number): bigint {
  const wide = c === 'i64' || c === 'u64';
  const specials = wide ? [0n, 1n, 0xffffffffffffffffn, 1n << 63n, (1n << 63n) - 1n, 1n << 53n, (1n << 53n) + 1n]
    : [0n, 1n, 0xffffffffn, 0x80000000n, 0x7fffffffn, 0x01000001n];
  if (mix && i % 3 === 1) return specials[rand32() % specials.length] as bigint;
  const v = wide ? rand64() : BigInt(rand32());
  return v >> BigInt(rand32() % (wide ? 60 : 28)); // random bit length
}

function operands(op: Op, k: number, mix: boolean): bigint[] {
  const c = op.params[k] as Cls;
  const out: bigint[] = [];
  for (let i = 0; i < N; i++) {
    if (c === 'f32' || c === 'f64') {
      if (op.trapRange !== undefined) out.push(inRange(c, op.trapRange[0], op.trapRange[1], i, mix));
      // stagger the classes of the two operands so every pairing occurs
      else out.push(mix ? mixed(c, i + 3 * k * (i >> 3)) : normal(c, op.positive === true));
    } else {
      out.push(intOperand(c, mix, i));
    }
  }
  return out;
}

// ---- the firmware ----

const ctype = (s: Shape): string => (s === 'W' ? 'uint32_t' : 'uint64_t');

/** Loop kinds: the cmp intrinsics take the cond first. */
function kindOf(params: readonly Cls[], result: Cls, cond: boolean): string {
  return `${cond ? 'C' : ''}${params.map(shape).join('')}_${shape(result)}`;
}

function loopSource(kinds: ReadonlySet<string>): string {
  const out = ['#include <stdint.h>', 'volatile uint64_t xwbench_sink;'];
  for (const k of kinds) {
    const cond = k.startsWith('C');
    const [ps, r] = (cond ? k.slice(1) : k).split('_') as [string, string];
    const params = [...ps].map((p) => ctype(p as Shape));
    const fnParams = [...(cond ? ['int32_t'] : []), ...params].join(', ');
    const arrays = params.map((p, i) => `const ${p} *a${i}`).join(', ');
    const args = [...(cond ? ['cond'] : []), ...params.map((_, i) => `a${i}[i]`)].join(', ');
    out.push(`void xwbench_loop_${k}(${ctype(r as Shape)} (*fn)(${fnParams}), ${cond ? 'int32_t cond, ' : ''}${arrays}, uint32_t n)
{
  uint64_t acc = 0;
  for (uint32_t i = 0; i < n; i++) acc ^= fn(${args});
  xwbench_sink = acc;
}`);
  }
  return out.join('\n') + '\n';
}

/** The generic libgcc names of the `__aeabi_*` routines, for RISC-V (libm names are the same on both). The
    comparisons return an int whose sign answers (`__ltsf2(a, b) < 0` is a < b), the Wasm result being one test
    away: the grid counts the routine alone on both ISAs. */
const RISCV_LIBGCC: Readonly<Record<string, string>> = {
  __aeabi_fadd: '__addsf3', __aeabi_fsub: '__subsf3', __aeabi_fmul: '__mulsf3', __aeabi_fdiv: '__divsf3',
  __aeabi_dadd: '__adddf3', __aeabi_dsub: '__subdf3', __aeabi_dmul: '__muldf3', __aeabi_ddiv: '__divdf3',
  __aeabi_fcmpeq: '__eqsf2', __aeabi_fcmplt: '__ltsf2', __aeabi_fcmpgt: '__gtsf2', __aeabi_fcmple: '__lesf2', __aeabi_fcmpge: '__gesf2',
  __aeabi_dcmpeq: '__eqdf2', __aeabi_dcmplt: '__ltdf2', __aeabi_dcmpgt: '__gtdf2', __aeabi_dcmple: '__ledf2', __aeabi_dcmpge: '__gedf2',
  __aeabi_i2f: '__floatsisf', __aeabi_ui2f: '__floatunsisf', __aeabi_l2f: '__floatdisf', __aeabi_ul2f: '__floatundisf',
  __aeabi_i2d: '__floatsidf', __aeabi_ui2d: '__floatunsidf', __aeabi_l2d: '__floatdidf', __aeabi_ul2d: '__floatundidf',
  __aeabi_f2iz: '__fixsfsi', __aeabi_f2uiz: '__fixunssfsi', __aeabi_f2lz: '__fixsfdi', __aeabi_f2ulz: '__fixunssfdi',
  __aeabi_d2iz: '__fixdfsi', __aeabi_d2uiz: '__fixunsdfsi', __aeabi_d2lz: '__fixdfdi', __aeabi_d2ulz: '__fixunsdfdi',
  __aeabi_f2d: '__extendsfdf2', __aeabi_d2f: '__truncdfsf2',
};

/** The ops with their native routine named for the board's architecture. */
function opsFor(arch: BoardArch): Op[] {
  if (arch === 'arm') return OPS;
  return OPS.map((op) => ({ ...op, native: RISCV_LIBGCC[op.native] ?? op.native }));
}

interface Measure { op: Op; fn: string; set: 'normal' | 'mixed' }

function mainSource(arch: BoardArch, measures: readonly Measure[], data: Map<string, { op: Op; arrays: bigint[][] }>): string {
  const out = [
    '#include <stdint.h>', '#include "intrinsics.h"', '#include "semihost.h"',
    ...(arch === 'arm'
      ? ['void fault_enable_handlers(void);', '__attribute__((weak)) void SysTick_Handler(void) { for (;;) {} }']
      : ['void arch_timer_tick(uint32_t *frame);', 'void arch_timer_tick(uint32_t *frame) { (void)frame; }']),
    'void xw_intrinsic_trap(uint32_t code) { out_str("TRAP "); out_dec(code); out_end(); sh_exit(1); }',
    'volatile uint32_t xw_count_marks;',
    '__attribute__((noinline)) void xw_count_begin(void) { xw_count_marks += 1u; }',
    '__attribute__((noinline)) void xw_count_end(void) { xw_count_marks += 2u; }',
    `__attribute__((naked, noinline)) void xwbench_stub(void) { __asm__ volatile("${arch === 'arm' ? 'bx lr' : 'ret'}"); }`,
  ];
  // the native routines under C names of their own (intrinsics.h may declare some libgcc names with their types)
  const natives = [...new Set(measures.filter((m) => m.fn === m.op.native).map((m) => m.fn))];
  for (const n of natives) out.push(`void xwbench_native_${n}(void) __asm__("${n}");`);
  const kinds = new Set(measures.map((m) => kindOf(m.op.params, m.op.result, m.fn === m.op.runtime && m.op.cond !== undefined)));
  for (const k of kinds) out.push(`void xwbench_loop_${k}();`);
  for (const [name, { op, arrays }] of data) {
    arrays.forEach((a, i) => {
      const wide = shape(op.params[i] as Cls) === 'L';
      out.push(`static const ${wide ? 'uint64_t' : 'uint32_t'} ${name}_${i}[${N}] = { ${a.map((v) => `0x${v.toString(16)}u${wide ? 'll' : ''}`).join(', ')} };`);
    });
  }
  out.push('int main(void)', '{', arch === 'arm' ? '  fault_enable_handlers();' : '');
  measures.forEach((m, mi) => {
    const cond = m.fn === m.op.runtime && m.op.cond !== undefined;
    const k = kindOf(m.op.params, m.op.result, cond);
    const name = `d_${m.op.label.replace(/\W/g, '_')}_${m.set}`;
    const arrays = m.op.params.map((_, i) => `${name}_${i}`);
    const fn = m.fn === m.op.native ? `xwbench_native_${m.fn}` : m.fn;
    const call = (fn: string): string => `xwbench_loop_${k}((void (*)(void))${fn}, ${cond ? `${m.op.cond}, ` : ''}${arrays.join(', ')}, ${N}u);`;
    out.push(`  /* ${mi}: ${m.op.label} ${m.fn} ${m.set} */`);
    out.push(`  xw_count_begin(); ${call(fn)} xw_count_end();`);
    out.push(`  xw_count_begin(); ${call('xwbench_stub')} xw_count_end();`);
  });
  out.push('  out_str("DONE"); out_end();', '  sh_exit(0);', '}');
  return out.join('\n') + '\n';
}

interface Row { op: Op; runtime: [number, number]; native: [number, number] }

/**
 * `cpu` (e.g. cortex-m0) compiles the intrinsics, the loops and main for that core instead of the board's, and links
 * its libgcc/libm multilib: Cortex-M0 code measured on the M3 board (the board's startup stays M3 code, outside
 * the counted calls), until an M0 board exists.
 */
async function measureBoard(board: BoardName, cpu: string | undefined): Promise<Row[]> {
  const spec = boardSpec(board);
  const tools = archOf(spec);
  const gcc = `${tools.toolPrefix}gcc`;
  if (cpu !== undefined && spec.arch !== 'arm') throw new Error(`--cpu=${cpu}: only on the Arm boards`);
  const codeFlags = cpu === undefined ? spec.gccFlags : [`-mcpu=${cpu}`, '-mthumb', '-mfloat-abi=soft'];
  if (spec.floatAbi !== 'soft') throw new Error(`${board}: the grid is for FPU-less (soft-float) boards`);
  const root = repoRoot();
  const { common, arch } = firmwareDirs(spec, root);
  const dir = await mkdtemp(join(tmpdir(), 'xipwasm-intrinsics-bench-'));
  try {
    const data = new Map<string, { op: Op; arrays: bigint[][] }>();
    const measures: Measure[] = [];
    for (const op of opsFor(spec.arch)) {
      for (const set of ['normal', 'mixed'] as const) {
        data.set(`d_${op.label.replace(/\W/g, '_')}_${set}`, { op, arrays: op.params.map((_, k) => operands(op, k, set === 'mixed')) });
        measures.push({ op, fn: op.runtime, set }, { op, fn: op.native, set });
      }
    }
    const kinds = new Set(measures.map((m) => kindOf(m.op.params, m.op.result, m.fn === m.op.runtime && m.op.cond !== undefined)));
    await writeFile(join(dir, 'loops.c'), loopSource(kinds));
    await writeFile(join(dir, 'main.c'), mainSource(spec.arch, measures, data));
    const intr = ['intrinsics_float.c', 'intrinsics_int.c', 'intrinsics_conv.c'].map((f) => join(root, 'runtime', 'src', f));
    const ld = join(dir, 'bench.ld');
    await writeFile(ld, benchLinkerScript(await readFile(join(root, 'boards', board, 'board.ld'), 'utf8'), spec.blobBase, spec.blobSize));
    const loopObj = join(dir, 'xwbench-loops.o');
    await runTool(gcc, [...codeFlags, ...tools.libcFlags, '-O2', '-std=c99', '-c', join(dir, 'loops.c'), '-o', loopObj], 'loop build');
    const incs = [`-I${common}`, `-I${arch}`, `-I${join(root, 'runtime', 'src')}`, `-I${join(root, 'runtime', 'include')}`];
    const boardObjs = await Promise.all([join(arch, 'startup.c'), join(common, 'semihost.c'), join(arch, 'fault.c')].map(async (f) => {
      const o = join(dir, basename(f).replace(/\.c$/, '.o'));
      await runTool(gcc, [...spec.gccFlags, ...tools.libcFlags, ...FIRMWARE_CFLAGS, ...incs, '-c', f, '-o', o], 'board build');
      return o;
    }));
    const elf = join(dir, 'bench.elf');
    await runTool(gcc, [
      ...codeFlags, ...FIRMWARE_CFLAGS, ...incs, join(dir, 'main.c'), ...intr, ...boardObjs, loopObj,
      '-nostartfiles', ...tools.libcFlags, '-Wl,--gc-sections', `-L${arch}`, `-T${ld}`, '-o', elf, '-lm',
    ], 'grid firmware build');
    const syms = new Map<string, number>();
    for (const line of (await runTool(`${tools.toolPrefix}nm`, [elf], 'nm')).split('\n')) {
      const [addr, , name] = line.trim().split(/\s+/);
      if (addr !== undefined && name !== undefined) syms.set(name, parseInt(addr, 16));
    }
    const counts = join(dir, 'counts.txt');
    const hi = spec.blobBase + spec.blobSize;
    const proc = await runProcess(tools.qemu, [
      ...qemuCommand(spec).args, '-nographic', '-monitor', 'none', '-serial', 'null', '-kernel', elf,
      '-plugin', `${await buildCountPlugin()},begin=0x${(syms.get('xw_count_begin') ?? 0).toString(16)},` +
        `end=0x${(syms.get('xw_count_end') ?? 0).toString(16)},lo=0x${spec.blobBase.toString(16)},hi=0x${hi.toString(16)},out=${counts}`,
      '-semihosting-config', 'enable=on,target=native',
    ], 600_000);
    if (proc.timedOut || !proc.stderr.includes('DONE')) throw new Error(`grid run failed: ${proc.stderr.slice(0, 800)}`);
    const n = (await readFile(counts, 'utf8')).split('\n').filter((l) => l !== '').map(Number);
    if (n.length !== 2 * measures.length) throw new Error(`expected ${2 * measures.length} counts, got ${n.length}`);
    const per = (i: number): number => ((n[2 * i] as number) - (n[2 * i + 1] as number)) / N + 1;
    const rows: Row[] = [];
    for (let i = 0; i < measures.length; i += 4) {
      rows.push({ op: (measures[i] as Measure).op, runtime: [per(i), per(i + 2)], native: [per(i + 1), per(i + 3)] });
    }
    return rows;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const f1 = (x: number): string => x.toFixed(1);
const f2 = (x: number): string => x.toFixed(2);
const HEADER = ['operation', 'runtime function', 'native routine', 'normal: runtime', 'native', 'ratio', 'mixed: runtime', 'native', 'ratio'];
const cells = (r: Row): string[] => [r.op.label, `${r.op.runtime.replace('aot_intrinsic_', '')}${r.op.cond !== undefined ? `(${r.op.cond})` : ''}`,
  r.op.native, f1(r.runtime[0]), f1(r.native[0]), f2(r.runtime[0] / r.native[0]), f1(r.runtime[1]), f1(r.native[1]), f2(r.runtime[1] / r.native[1])];

function textTable(title: string, rows: readonly Row[]): string {
  const all = [HEADER, ...rows.map(cells)];
  const w = HEADER.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]): string => r.map((c, i) => (i < 3 ? c.padEnd(w[i] as number) : c.padStart(w[i] as number))).join('  ');
  return [`${title}: instructions per call, ${N} operands per set`, ...all.map(line)].join('\n');
}

function markdownTable(rows: readonly Row[]): string {
  const row = (c: string[]): string => `| ${c.join(' | ')} |`;
  return [row(HEADER), row(HEADER.map((_, i) => (i < 3 ? '---' : '---:'))),
    ...rows.map((r) => row(cells(r).map((c, i) => (i === 0 || i === 1 || i === 2 ? `\`${c}\`` : c))))].join('\n');
}

const BEGIN = '<!-- intrinsics:results:begin -->';
const END = '<!-- intrinsics:results:end -->';

async function main(): Promise<void> {
  let boards = BOARD_NAMES.filter((b) => boardSpec(b).floatAbi === 'soft');
  let update = false;
  let cpus: (string | undefined)[] = [undefined];
  for (const arg of process.argv.slice(2)) {
    if (arg.startsWith('--board=')) boards = arg.slice(8).split(',').map((b) => boardSpec(b).name);
    else if (arg.startsWith('--cpu=')) cpus = arg.slice(6).split(',').map((c) => (c === 'board' ? undefined : c));
    else if (arg === '--update-docs') update = true;
    else throw new Error(`unknown argument ${arg} (--board=, --cpu=board,cortex-m0, --update-docs)`);
  }
  const parts: string[] = [];
  for (const b of boards) for (const cpu of cpus) {
    const rows = await measureBoard(b, cpu);
    const title = cpu === undefined ? `${b} (${boardSpec(b).cpu})` : `${cpu} code on ${b}`;
    console.log(textTable(title, rows));
    console.log('');
    parts.push(`### ${title}`, '', markdownTable(rows), '');
  }
  if (update) {
    const path = join(repoRoot(), 'docs', 'performance.md');
    const doc = await readFile(path, 'utf8');
    const i = doc.indexOf(BEGIN);
    const j = doc.indexOf(END);
    if (i < 0 || j < i) throw new Error(`${path}: missing ${BEGIN} / ${END}`);
    const args = process.argv.slice(2).filter((a) => a !== '--update-docs');
    const date = new Date().toISOString().slice(0, 16).replace('T', ' ');
    const body = [BEGIN, `Measured ${date} UTC with \`npm run bench:intrinsics${args.length > 0 ? ` -- ${args.join(' ')}` : ''}\`.`, '', ...parts, END];
    await writeFile(path, doc.slice(0, i) + body.join('\n') + doc.slice(j + END.length));
    console.log('docs/performance.md updated');
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exitCode = 1;
});

/**
 * The compiler's one table of the runtime ABI (src/abi.ts) against the runtime's C headers: every offset,
 * size, trap code and constant becomes a static assertion, compiled for a 32-bit Cortex-M by
 * arm-none-eabi-gcc (the structure layout the compiled code really sees). A mismatch fails to compile.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ABI_VERSION, CHECK_SLACK, C_NAMES, EnvOffset, FRAME_RECORD_SIZE, FrameRecordOffset, FUNCREF_SIZE, FuncRefOffset, IMPORT_SIZE, ImportOffset,
  LEAF_FRAME_LIMIT, MemoryOffset, TABLE_SIZE, TableOffset, TrapCode, imageAbiVersion,
} from '../../src/abi.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const gcc = 'arm-none-eabi-gcc';
const hasGcc = spawnSync(gcc, ['--version']).status === 0;

/** The C translation unit: one XW_STATIC_ASSERT per entry of the TS tables. */
export function abiAssertions(): string {
  const lines = ['#include "abi.h"', '#include "config.h"'];
  let n = 0;
  const check = (cond: string): void => { lines.push(`XW_STATIC_ASSERT(${cond}, c${n++});`); };
  const fields = <K extends string>(table: Readonly<Record<K, number>>, c: { struct: string; fields: Readonly<Record<K, string>> }): void => {
    for (const k of Object.keys(table) as K[]) check(`offsetof(${c.struct}, ${c.fields[k]}) == ${table[k]}`);
  };
  fields(EnvOffset, C_NAMES.env);
  fields(MemoryOffset, C_NAMES.memory);
  fields(TableOffset, C_NAMES.table);
  fields(FuncRefOffset, C_NAMES.funcref);
  fields(ImportOffset, C_NAMES.import);
  fields(FrameRecordOffset, C_NAMES.frameRecord);
  check(`sizeof(xw_frame_record) == ${FRAME_RECORD_SIZE}`);
  check(`sizeof(xw_table) == ${TABLE_SIZE}`);
  check(`sizeof(xw_funcref) == ${FUNCREF_SIZE}`);
  check(`sizeof(xw_import) == ${IMPORT_SIZE}`);
  check(`XW_CHECK_SLACK == ${CHECK_SLACK}`);
  check(`XW_ABI_VERSION == ${ABI_VERSION}`);
  // images without frame records say the oldest version, which the runtime still runs
  check(`XW_ABI_VERSION_MIN == ${imageAbiVersion(false)}`);
  // an unchecked leaf frame, a runtime call and the trap path fit in the reserve
  check(`XW_STACK_RESERVE >= 2 * ${LEAF_FRAME_LIMIT}`);
  for (const k of Object.keys(TrapCode) as (keyof typeof TrapCode)[]) check(`${C_NAMES.traps[k]} == ${TrapCode[k]}`);
  return lines.join('\n') + '\n';
}

test('every trap code has its C name', () => {
  assert.deepEqual(Object.keys(C_NAMES.traps).sort(), Object.keys(TrapCode).sort());
});

test('src/abi.ts agrees with runtime/src/abi.h and xipwasm.h (arm-none-eabi-gcc)', { skip: hasGcc ? false : `${gcc} not found` }, () => {
  const compile = (src: string): ReturnType<typeof spawnSync> => spawnSync(gcc,
    ['-mcpu=cortex-m3', '-mthumb', '-std=c99', '-Wall', '-Wextra', '-Werror', '-Wno-unused-local-typedefs', '-fsyntax-only',
      '-I', join(root, 'runtime/src'), '-I', join(root, 'runtime/include'), '-x', 'c', '-'], { input: src, encoding: 'utf8' });
  const src = abiAssertions();
  const ok = compile(src);
  assert.equal(ok.status, 0, `${String(ok.stderr)}\n${src}`);
  // the check can fail: one wrong offset is caught
  const bad = compile(src.replace(`offsetof(xw_exec_env, stack_limit) == ${EnvOffset.stackLimit}`, 'offsetof(xw_exec_env, stack_limit) == 36'));
  assert.notEqual(bad.status, 0);
});

/**
 * Renders runtime/include/xipwasm_symbols.h from the catalogue, so the
 * runtime's const native-symbol table cannot drift from the compiler's indices.
 * The checked-in file is compared with this output by test/xip/symbols-header.test.ts.
 */
import { assertNever } from '../errors.js';
import { FLOAT_COND, NATIVE_SYMBOL_ABI_VERSION, NATIVE_SYMBOLS, type CType, type NativeSymbol } from './catalogue.js';

export const SYMBOLS_HEADER_PATH = 'runtime/include/xipwasm_symbols.h';
export const SYMBOLS_HEADER_COMMAND = 'npm run gen';

export function cTypeName(t: CType): string {
  switch (t) {
    case 'void': return 'void';
    case 'i32': return 'int32_t';
    case 'u32': return 'uint32_t';
    case 'i64': return 'int64_t';
    case 'u64': return 'uint64_t';
    case 'f32': return 'float';
    case 'f64': return 'double';
    case 'env': return 'xw_exec_env *';
    // WAMR passes AOTFloatCond; an enum argument is an int under AAPCS.
    case 'fcond': return 'int32_t';
    default: return assertNever(t, 'C type');
  }
}

/** The macro suffix: xw_memory_grow -> MEMORY_GROW, aot_intrinsic_fadd_f32 -> FADD_F32. */
export function symbolMacroName(symbol: string): string {
  return symbol.replace(/^xw_/, '').replace(/^aot_intrinsic_/, '').toUpperCase();
}

/** A C prototype, e.g. `float aot_intrinsic_fadd_f32(float, float)`. */
export function cPrototype(s: NativeSymbol): string {
  const params = s.signature.params.map(cTypeName).join(', ');
  return `${cTypeName(s.signature.ret)} ${s.symbol}(${params})`;
}

export function renderSymbolsHeader(): string {
  const lines: string[] = [];
  const p = (l = ''): void => { lines.push(l); };
  p('/*');
  p(' * xipwasm native-symbol table: indices, names and C signatures.');
  p(` * GENERATED from src/xip/catalogue.ts by \`${SYMBOLS_HEADER_COMMAND}\`; do not edit.`);
  p(' *');
  p(' * Compiled code calls native symbol i through the const table whose address');
  p(' * exec_env holds. The order is ABI: a change bumps XW_NATIVE_SYMBOL_ABI_VERSION.');
  p(' * The includer must declare xw_exec_env before expanding XW_FOR_EACH_SYMBOL.');
  p(' */');
  p('#ifndef XIPWASM_SYMBOLS_H');
  p('#define XIPWASM_SYMBOLS_H');
  p();
  p('#include <stdint.h>');
  p();
  p(`#define XW_NATIVE_SYMBOL_ABI_VERSION ${NATIVE_SYMBOL_ABI_VERSION}`);
  p(`#define XW_SYM_COUNT ${NATIVE_SYMBOLS.length}`);
  p();
  const width = Math.max(...NATIVE_SYMBOLS.map((s) => symbolMacroName(s.symbol).length)) + 8;
  for (const s of NATIVE_SYMBOLS) {
    p(`#define ${`XW_SYM_${symbolMacroName(s.symbol)}`.padEnd(width)} ${s.index}`);
  }
  p();
  p('/* The cond argument of aot_intrinsic_f32_cmp / aot_intrinsic_f64_cmp (WAMR\'s AOTFloatCond). */');
  for (const [name, value] of Object.entries(FLOAT_COND)) {
    p(`#define XW_FLOAT_COND_${name.toUpperCase()} ${value}`);
  }
  p();
  p('/*');
  p(' * X(INDEX, NAME, RET, PARAMS, NORETURN) for every symbol in index order.');
  p(' * PARAMS is a parenthesised list of types, NORETURN is 1 when it never returns.');
  p(' */');
  p('#define XW_FOR_EACH_SYMBOL(X) \\');
  for (const s of NATIVE_SYMBOLS) {
    const params = `(${s.signature.params.map(cTypeName).join(', ')})`;
    p(`    X(${s.index}, ${s.symbol}, ${cTypeName(s.signature.ret)}, ${params}, ${s.signature.noreturn ? 1 : 0}) \\`);
  }
  p('    /* end */');
  p();
  p('#endif /* XIPWASM_SYMBOLS_H */');
  return lines.join('\n') + '\n';
}

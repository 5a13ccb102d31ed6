/**
 * Reading an exported global on the board without a runtime API for it: the driver registers the instance under
 * a hidden name and instantiates a two-line getter module that imports the global and returns it.
 *   (import "__xipwasm_get__" "<name>" (global (mut)? T)) (func (export "get") (result T) (global.get 0))
 */
import { Kind } from '../aot/format.js';
import { readAot } from '../aot/reader.js';
import { compileModule } from '../compile.js';
import type { BoardSpec } from './boards.js';
import { name, section } from './wasm-bytes.js';

export const GETTER_MODULE_NAME = '__xipwasm_get__';

export function getterWasm(exportName: string, valType: number, mutable: boolean): Uint8Array {
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [1, 0x60, 0, 1, valType]),
    ...section(2, [1, ...name(GETTER_MODULE_NAME), ...name(exportName), 3, valType, mutable ? 1 : 0]),
    ...section(3, [1, 0]),
    ...section(7, [1, ...name('get'), 0, 0]),
    ...section(10, [1, 4, 0, 0x23, 0, 0x0b]),
  ]);
}

/** The getter image for global `exportName` of `image`, or a reason why there is none. */
export function getterFor(image: Uint8Array, exportName: string, board: BoardSpec): { image: Uint8Array } | { error: string } {
  let aot;
  try {
    aot = readAot(image);
  } catch (e) {
    return { error: `unreadable module image: ${e instanceof Error ? e.message : String(e)}` };
  }
  const exp = aot.exports.find((e) => e.name === exportName && e.kind === Kind.Global);
  const g = exp === undefined ? undefined : aot.globals[exp.index];
  if (g === undefined) return { error: `no exported global ${exportName}` };
  const wasm = getterWasm(exportName, g.valType, g.mutable);
  return { image: compileModule(wasm, { target: board.target, cpu: board.cpu, xip: true }).image };
}

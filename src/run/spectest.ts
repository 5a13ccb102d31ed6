/**
 * The spec test harness's "spectest" module for the boards. Its functions (print, print_i32, ...) are host
 * functions of the firmware (boards/common/spectest.c); its globals, table and memory come from this module
 * (the same as boards/common/spectest.wat), which has no code, so its AOT file needs no compiler:
 * the driver writes it directly. A batch that runs spec scripts starts with spectestRequests().
 */
import { writeAot } from '../aot/writer.js';
import { decodeModule } from '../wasm/decode.js';
import type { BoardSpec } from './boards.js';
import type { BatchRequest } from './protocol.js';
import { name, vecSection } from './wasm-bytes.js';

function leBytes(dv: (v: DataView) => void, n: number): number[] {
  const view = new DataView(new ArrayBuffer(n));
  dv(view);
  return [...new Uint8Array(view.buffer)];
}

/** (module (table 10 20 funcref) (memory 1 2) (global i32 666) (global i64 666) (global f32 666.6)
    (global f64 666.6) + exports named as in the reference interpreter's spectest.ml). */
export function spectestWasm(): Uint8Array {
  const sleb666 = [0x9a, 0x05];
  const globals = [
    [0x7f, 0, 0x41, ...sleb666, 0x0b],
    [0x7e, 0, 0x42, ...sleb666, 0x0b],
    [0x7d, 0, 0x43, ...leBytes((v) => v.setFloat32(0, 666.6, true), 4), 0x0b],
    [0x7c, 0, 0x44, ...leBytes((v) => v.setFloat64(0, 666.6, true), 8), 0x0b],
  ];
  const exports = [
    [...name('global_i32'), 3, 0], [...name('global_i64'), 3, 1], [...name('global_f32'), 3, 2],
    [...name('global_f64'), 3, 3], [...name('table'), 1, 0], [...name('memory'), 2, 0],
  ];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...vecSection(4, [[0x70, 0x01, 10, 20]]),
    ...vecSection(5, [[0x01, 1, 2]]),
    ...vecSection(6, globals),
    ...vecSection(7, exports),
  ]);
}

/** The spectest module as an AOT file for a board. */
export function spectestAot(board: BoardSpec): Uint8Array {
  return writeAot({
    target: board.target,
    cpu: board.cpu,
    floatAbi: board.floatAbi,
    flags: { xip: true, callsViaTable: false, constop: false },
    module: decodeModule(spectestWasm()),
    text: new Uint8Array(0),
    funcCodeOffsets: [],
    funcEntryOffsets: [],
    funcrefList: [],
    globalOffsets: [0, 8, 16, 24],
    globalsSize: 32,
    nativeSymbols: [],
    relocations: 0,
  });
}

/** Requests 0 and 1 of a spec batch: instantiate the spectest module and register it as "spectest". */
export function spectestRequests(board: BoardSpec): BatchRequest[] {
  return [
    { kind: 'module', image: spectestAot(board), maxPages: 2 },
    { kind: 'register', module: 0, name: 'spectest' },
  ];
}

/** Node-only: run AOT files on the emulated boards (docs/boards.md). */
export { ARCHS, archOf, BOARDS, BOARD_NAMES, boardSpec, boardsFor, CODEGEN_BOARD_NAMES, qemuCommand } from './boards.js';
export type { ArchSpec, BoardArch, BoardName, BoardSpec } from './boards.js';
export { buildCountPlugin, buildFirmware, firmwareDirs, readSymbols, repoRoot, runBoardTool } from './firmware.js';
export type { BuildOptions, FirmwareBuild } from './firmware.js';
export { decodeName, encodeName, formatValue, FW_ERR_ARENA, FW_ERR_PROTOCOL, FW_ERR_RANGE, parseValue } from './protocol.js';
export type { BatchRequest, BatchResult, FaultReport, FaultSite, ValueType, WasiArgs, WasmValue } from './protocol.js';
export { defaultMaxPages, runBatch, runBatchWith } from './qemu.js';
export type { BatchOutcome, Placement, RunEvent, RunOptions } from './qemu.js';
export { spectestAot, spectestRequests, spectestWasm } from './spectest.js';
export { describeValue, parseValueText, valueToText } from './values.js';
export type { ValueDescription } from './values.js';
export { GETTER_MODULE_NAME, getterWasm } from './getter.js';

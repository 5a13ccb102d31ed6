/** The parts of @alexaltea/capstone-js (an Emscripten build of Capstone 5) that src/run/disasm.ts uses. */
declare module '@alexaltea/capstone-js' {
  export interface CsInstruction {
    readonly address: bigint | number;
    readonly size: number;
    readonly bytes: readonly number[];
    readonly mnemonic: string;
    readonly op_str: string;
  }
  export interface CsDecoder {
    option(option: number, value: number): void;
    disasm(buffer: readonly number[] | Uint8Array, address: number, max?: number): CsInstruction[];
    close(): void;
  }
  export interface CsModule {
    readonly ARCH_ARM: number;
    readonly MODE_THUMB: number;
    readonly MODE_MCLASS: number;
    readonly MODE_V8: number;
    readonly OPT_SKIPDATA: number;
    readonly OPT_ON: number;
    Capstone: new (arch: number, mode: number) => CsDecoder;
  }
  /** `wasmBinary`: the capstone.wasm bytes, for a page that cannot fetch the file (opened from disk). */
  const MCapstone: (options?: {
    wasmBinary?: Uint8Array;
    /** Emscripten's hook: instantiate the module yourself, hand the instance to `receive`, return its exports. */
    instantiateWasm?: (imports: WebAssembly.Imports, receive: (instance: WebAssembly.Instance) => void) => WebAssembly.Exports;
  }) => Promise<CsModule>;
  export default MCapstone;
}

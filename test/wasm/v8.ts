/** Node's WebAssembly (V8) as a reference; typed here because lib.dom is not in the build. */
export interface V8Wasm {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports?: object) => { exports: Record<string, unknown> };
}

export const V8: V8Wasm = (globalThis as unknown as { WebAssembly: V8Wasm }).WebAssembly;

/** V8's compile error message, or undefined when it accepts the module. */
export function v8Error(bytes: Uint8Array): string | undefined {
  try {
    new V8.Module(bytes);
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

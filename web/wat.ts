/**
 * The .wat parser of the compiler page, built as its own script (dist/web/wat.js) and loaded only when a text
 * module arrives, so the .wasm path does not carry wabt's 0.7 MB. npm `wabt` (WebAssembly's reference toolkit,
 * Emscripten build): parse, resolve names, validate, write the binary without a name section, as `wat2wasm` does.
 */
import wabtInit from 'wabt';

export type WatToWasm = (name: string, text: string) => Promise<Uint8Array>;

const watToWasm: WatToWasm = async (name, text) => {
  const wabt = await wabtInit();
  const mod = wabt.parseWat(name, text);
  try {
    mod.resolveNames();
    mod.validate();
    return mod.toBinary({}).buffer;
  } finally {
    mod.destroy();
  }
};

(globalThis as { xipwasmWatToWasm?: WatToWasm }).xipwasmWatToWasm = watToWasm;

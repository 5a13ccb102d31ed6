/** esbuild's binary loader: importing a .wasm file gives its bytes. */
declare module '*.wasm' {
  const bytes: Uint8Array;
  export default bytes;
}

/**
 * The in-browser compiler page: the same compiler core as the CLI (src/, no Node built-ins), capstone for the
 * disassembly as `xipwasm inspect --disasm` prints it. Input: a dropped, picked or pasted .wasm or .wat (the .wat
 * parser, wat.js, is loaded on first use), or the URL hash `#wasm=<base64url>&cpu=..&opt=..&intrinsics=..&indirect=1`
 * (`#wat=<base64url>` for text; how the tests drive it). When a compile has finished,
 * body[data-state] is 'done' or 'error'.
 */
import MCapstone, { type CsModule } from '@alexaltea/capstone-js';
import capstoneWasm from '../node_modules/@alexaltea/capstone-js/dist/capstone.wasm';
import { readAot } from '../src/aot/reader.js';
import { functionListing } from '../src/cli/listing.js';
import { formatUses } from '../src/cli/format-intrinsics.js';
import { compileWithOptions } from '../src/compile.js';
import { CPUS } from '../src/xip/cpu.js';
import { resolveCompileOptions } from '../src/xip/options.js';
import { moduleSymbolUses } from '../src/xip/usage.js';
import type { WatToWasm } from './wat.js';

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const cpuSelect = $<HTMLSelectElement>('cpu');
const optSelect = $<HTMLSelectElement>('opt');
const intrinsicsInput = $<HTMLInputElement>('intrinsics');
const indirectBox = $<HTMLInputElement>('indirect');
const download = $<HTMLAnchorElement>('download');

let capstone: Promise<CsModule> | undefined;
let input: { name: string; bytes: Uint8Array } | undefined;
let downloadUrl: string | undefined;

for (const c of CPUS) cpuSelect.add(new Option(`${c.name} (${c.fpuName})`, c.name));
cpuSelect.value = 'cortex-m4';

function fromBase64(text: string): Uint8Array {
  const bin = atob(text.replace(/-/g, '+').replace(/_/g, '/').replace(/\s+/g, ''));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

/** Pasted text: hex (spaces allowed) or base64. */
function fromText(text: string): Uint8Array | undefined {
  const t = text.trim();
  if (/^([0-9a-f]{2}\s*)+$/i.test(t)) return Uint8Array.from(t.replace(/\s+/g, '').match(/../g) ?? [], (h) => parseInt(h, 16));
  try {
    return fromBase64(t);
  } catch {
    return undefined;
  }
}

async function compileNow(): Promise<void> {
  if (input === undefined) return;
  document.body.dataset['state'] = 'busy';
  $('error').textContent = '';
  $('name').textContent = `${input.name}: ${input.bytes.length} bytes of WebAssembly`;
  try {
    const options = resolveCompileOptions({
      cpu: cpuSelect.value, xip: true, optLevel: Number(optSelect.value),
      enableBuiltinIntrinsics: intrinsicsInput.value.trim() === '' ? undefined : intrinsicsInput.value.trim(),
      enableIndirectMode: indirectBox.checked,
    });
    const started = performance.now();
    const result = compileWithOptions(input.bytes, options);
    const ms = performance.now() - started;
    $('size').textContent = `${result.image.length} bytes`;
    $('relocs').textContent = String(result.relocations);
    $('funcs').textContent = String(result.stats.functions);
    $('time').textContent = `${ms.toFixed(1)} ms`;
    $('intrinsics-report').textContent = formatUses(moduleSymbolUses(result.module, options.intrinsics));
    if (downloadUrl !== undefined) URL.revokeObjectURL(downloadUrl);
    downloadUrl = URL.createObjectURL(new Blob([result.image.slice().buffer as ArrayBuffer], { type: 'application/octet-stream' }));
    download.href = downloadUrl;
    download.download = input.name.replace(/\.wasm$/i, '') + '.aot';
    download.hidden = false;
    capstone ??= MCapstone({
      wasmBinary: capstoneWasm,
      // compiled synchronously (3.3 MB, under Chromium's 8 MB main-thread limit): no wait on a background
      // compile, which a headless browser's virtual time does not account for
      instantiateWasm: (imports, receive) => {
        const instance = new WebAssembly.Instance(new WebAssembly.Module(capstoneWasm as Uint8Array<ArrayBuffer>), imports);
        receive(instance);
        return instance.exports;
      },
    });
    const cs = await capstone;
    const aot = readAot(result.image);
    const listings: string[] = [];
    for (let i = 0; i < aot.funcs.length; i++) listings.push(await functionListing(aot, i, cs));
    $('disasm').textContent = listings.join('\n');
    document.body.dataset['state'] = 'done';
  } catch (e) {
    $('error').textContent = e instanceof Error ? e.message : String(e);
    for (const id of ['size', 'relocs', 'funcs', 'time']) $(id).textContent = '–';
    $('disasm').textContent = '';
    $('intrinsics-report').textContent = '';
    download.hidden = true;
    document.body.dataset['state'] = 'error';
  }
}

/** A text module: named .wat, or (pasted) bytes that do not start with the binary magic and read as `(` or `;;`. */
function isWat(name: string, bytes: Uint8Array): boolean {
  if (bytes.length >= 4 && bytes[0] === 0 && bytes[1] === 0x61 && bytes[2] === 0x73 && bytes[3] === 0x6d) return false;
  return /\.wat$/i.test(name) || /^\s*(\(|;;)/.test(new TextDecoder().decode(bytes.subarray(0, 256)));
}

let watLoader: Promise<WatToWasm> | undefined;

/** Adds wat.js (built next to this script) on first use: a classic script also loads from a page opened from disk. */
function loadWat(): Promise<WatToWasm> {
  watLoader ??= new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = new URL('wat.js', document.baseURI).href;
    script.onload = () => {
      const fn = (globalThis as { xipwasmWatToWasm?: WatToWasm }).xipwasmWatToWasm;
      if (fn === undefined) reject(new Error('wat.js did not load the .wat parser'));
      else resolve(fn);
    };
    script.onerror = () => reject(new Error('cannot load wat.js (the .wat parser)'));
    document.head.append(script);
  });
  return watLoader;
}

async function take(name: string, bytes: Uint8Array): Promise<void> {
  if (isWat(name, bytes)) {
    document.body.dataset['state'] = 'busy';
    try {
      const wasm = await (await loadWat())(name, new TextDecoder().decode(bytes));
      input = { name: name.replace(/\.wat$/i, '.wasm'), bytes: wasm };
      $('source').textContent = `${name}: ${bytes.length} bytes of text, ${wasm.length} bytes of WebAssembly (wabt)`;
    } catch (e) {
      input = undefined;
      $('error').textContent = e instanceof Error ? e.message : String(e); // wabt's messages name the file, line and column
      document.body.dataset['state'] = 'error';
      return;
    }
  } else {
    input = { name, bytes };
    $('source').textContent = '';
  }
  await compileNow();
}

const drop = $('drop');
const picker = $<HTMLInputElement>('file');
drop.addEventListener('click', () => picker.click());
picker.addEventListener('change', () => {
  const f = picker.files?.[0];
  if (f !== undefined) void f.arrayBuffer().then((b) => take(f.name, new Uint8Array(b)));
});
drop.addEventListener('dragover', (e) => {
  e.preventDefault();
  drop.classList.add('over');
});
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (e) => {
  e.preventDefault();
  drop.classList.remove('over');
  const f = e.dataTransfer?.files[0];
  if (f !== undefined) void f.arrayBuffer().then((b) => take(f.name, new Uint8Array(b)));
});
document.addEventListener('paste', (e) => {
  if (e.target === intrinsicsInput) return;
  const f = e.clipboardData?.files[0];
  if (f !== undefined) {
    void f.arrayBuffer().then((b) => take(f.name, new Uint8Array(b)));
    return;
  }
  const text = e.clipboardData?.getData('text') ?? '';
  if (/^\s*(\(|;;)/.test(text)) {
    void take('pasted.wat', new TextEncoder().encode(text));
    return;
  }
  const bytes = fromText(text);
  if (bytes !== undefined) void take('pasted.wasm', bytes);
});
for (const el of [cpuSelect, optSelect, indirectBox]) el.addEventListener('change', () => void compileNow());
intrinsicsInput.addEventListener('change', () => void compileNow());

// #wasm=<base64url>&cpu=..&opt=..&intrinsics=..&indirect=1
const hash = new URLSearchParams(location.hash.slice(1));
if (hash.get('cpu') !== null) cpuSelect.value = hash.get('cpu') as string;
if (hash.get('opt') !== null) optSelect.value = hash.get('opt') as string;
if (hash.get('intrinsics') !== null) intrinsicsInput.value = hash.get('intrinsics') as string;
indirectBox.checked = hash.get('indirect') === '1';
const inline = hash.get('wasm');
const inlineText = hash.get('wat');
if (inline !== null) void take(hash.get('name') ?? 'module.wasm', fromBase64(inline));
else if (inlineText !== null) void take(hash.get('name') ?? 'module.wat', fromBase64(inlineText));

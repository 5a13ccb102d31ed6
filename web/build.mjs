// Builds the in-browser compiler page into dist/web/: one classic script (so the page also works opened from disk,
// where Chromium refuses module scripts and fetch), capstone's .wasm carried inside it. `npm run build` runs this.
import { build } from 'esbuild';
import { copyFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'web');
await mkdir(out, { recursive: true });
const common = {
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
};
// the .wat parser (npm wabt) is a second classic script, which the page adds only for a text module
await build({
  ...common,
  entryPoints: [join(root, 'web', 'wat.ts')],
  outfile: join(out, 'wat.js'),
  // wabt's Emscripten loader reaches for these only when it runs in Node
  external: ['fs', 'path', 'url', 'module', 'node:*'],
});
await build({
  entryPoints: [join(root, 'web', 'app.ts')],
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: 'es2022',
  outfile: join(out, 'app.js'),
  loader: { '.wasm': 'binary' },
  // capstone's Emscripten loader reads its file with node:fs only when it runs in Node
  external: ['node:fs'],
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
});
await copyFile(join(root, 'web', 'index.html'), join(out, 'index.html'));

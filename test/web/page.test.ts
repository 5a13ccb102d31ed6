/**
 * The in-browser compiler page in headless Chromium: opened from disk and served by `xipwasm serve`, it compiles a
 * fixture, and its AOT size, relocation count, intrinsics report and per-function disassembly must equal what the
 * CLI prints for the same input and flags.
 */
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { main } from '../../src/cli/main.js';
import { nodeIo, type CliIo } from '../../src/cli/io.js';
import { startServer, webRoot } from '../../src/cli/serve.js';
import { readAot } from '../../src/aot/reader.js';
import { testModuleBytes } from '../xip/module-fixture.js';

const CHROMIUM = ['chromium', 'chromium-browser'].find((c) => {
  try {
    execFileSync(c, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
});

async function cli(...argv: string[]): Promise<string> {
  let out = '';
  const io: CliIo = { ...nodeIo, out: (t) => { out += t; }, err: () => undefined };
  assert.equal(await main(argv, io), 0, argv.join(' '));
  return out;
}

const unescape = (html: string): string =>
  html.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&nbsp;/g, '\u00a0').replace(/&amp;/g, '&');

function element(dom: string, id: string): string {
  const m = new RegExp(`id="${id}"[^>]*>([\\s\\S]*?)</(?:pre|b|p)>`).exec(dom);
  assert.ok(m !== null, `no #${id} in the page`);
  return unescape(m[1]!);
}

/** Loads the page in headless Chromium and returns its DOM once scripts have settled (virtual time). */
async function loadPage(url: string): Promise<string> {
  const { stdout } = await promisify(execFile)(CHROMIUM!, ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
    `--user-data-dir=${mkdtempSync(join(tmpdir(), 'xw-chromium-'))}`, '--virtual-time-budget=30000', '--dump-dom', url],
  { maxBuffer: 64 << 20, timeout: 120_000 });
  return stdout;
}

describe('the in-browser compiler page', { skip: CHROMIUM === undefined ? 'chromium is not installed (scripts/setup.sh installs it)' : undefined }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'xw-web-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const wasm = join(dir, 'fixture.wasm');
  writeFileSync(wasm, testModuleBytes());
  const hash = (flags: Record<string, string>): string => {
    const b64 = Buffer.from(testModuleBytes()).toString('base64url');
    return `#${new URLSearchParams({ ...flags, name: 'fixture.wasm', wasm: b64 }).toString()}`;
  };

  /** The same compile through the CLI: file size, and `inspect --disasm=<i>` for every function. */
  async function cliView(cpu: string, extra: string[]): Promise<{ size: number; relocations: number; disasm: string; report: string }> {
    const aot = join(dir, `${cpu}.aot`);
    await cli('compile', `--cpu=${cpu}`, '--xip', ...extra, '-o', aot, wasm);
    const bytes = readFileSync(aot);
    const f = readAot(bytes);
    const listings: string[] = [];
    for (let i = 0; i < f.funcs.length; i++) {
      const out = await cli('inspect', `--disasm=${i}`, aot);
      listings.push(out.slice(out.indexOf('\nfunction ') + 1));
    }
    const intr = await cli('intrinsics', `--cpu=${cpu}`, ...extra.filter((e) => e.startsWith('--enable-builtin')), wasm);
    return { size: bytes.length, relocations: f.relocations, disasm: listings.join('\n'), report: intr.slice(intr.indexOf('functions\n') + 'functions\n'.length) };
  }

  function check(dom: string, want: { size: number; relocations: number; disasm: string; report: string }): void {
    assert.match(dom, /<body[^>]*data-state="done"/, `the page did not finish: ${element(dom, 'error')}`);
    assert.equal(element(dom, 'size'), `${want.size} bytes`);
    assert.equal(element(dom, 'relocs'), String(want.relocations));
    assert.equal(element(dom, 'intrinsics-report'), want.report);
    assert.equal(element(dom, 'disasm'), want.disasm);
    assert.match(element(dom, 'time'), /^\d+\.\d ms$/);
    assert.match(dom, /<a id="download" href="blob:[^"]+" download="fixture\.aot"/);
  }

  it('opened from disk: Cortex-M4, default flags, same output as the CLI', async () => {
    const url = pathToFileURL(join(webRoot(), 'index.html')).href + hash({ cpu: 'cortex-m4', opt: '2' });
    check(await loadPage(url), await cliView('cortex-m4', ['--opt-level=2']));
  });

  it('served by xipwasm serve: Cortex-M3, --opt-level=0, an explicit intrinsic list, same output as the CLI', async () => {
    const { server, url } = await startServer(0);
    try {
      const dom = await loadPage(url + hash({ cpu: 'cortex-m3', opt: '0', intrinsics: 'i64.common,fp.common' }));
      check(dom, await cliView('cortex-m3', ['--opt-level=0', '--enable-builtin-intrinsics=i64.common,fp.common']));
    } finally {
      server.close();
    }
  });

  it('a .wat (parsed by the lazily loaded wat.js): same output as the CLI for wat2wasm\'s binary of it', async () => {
    // examples/fib.wat through Debian's wat2wasm (wabt 1.0.32, the C++ build) for the CLI, and the page's npm wabt
    const fib = join(webRoot(), '..', '..', 'examples', 'fib.wat');
    execFileSync('wat2wasm', [fib, '-o', wasm]);
    const text = Buffer.from(readFileSync(fib)).toString('base64url');
    const dom = await loadPage(`${pathToFileURL(join(webRoot(), 'index.html')).href}#${new URLSearchParams({ cpu: 'cortex-m3', name: 'fixture.wat', wat: text })}`);
    check(dom, await cliView('cortex-m3', []));
    assert.match(element(dom, 'source'), new RegExp(`^fixture\\.wat: ${readFileSync(fib).length} bytes of text, ${readFileSync(wasm).length} bytes of WebAssembly \\(wabt\\)$`));
    // a text module the parser refuses names the line, and the compiler never runs
    const bad = Buffer.from('(module (func (result i32) i32.const))').toString('base64url');
    const err = await loadPage(`${pathToFileURL(join(webRoot(), 'index.html')).href}#cpu=cortex-m3&name=bad.wat&wat=${bad}`);
    assert.match(err, /data-state="error"/);
    assert.match(element(err, 'error'), /bad\.wat:1:37: error: unexpected token "\)", expected a numeric literal/);
    writeFileSync(wasm, testModuleBytes());
  });

  it('reports a module the compiler refuses, as the CLI does', async () => {
    const bad = Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x05, 0x05, 0x02, 0x00, 0x01, 0x00, 0x01]).toString('base64url');
    const dom = await loadPage(`${pathToFileURL(join(webRoot(), 'index.html')).href}#cpu=cortex-m3&wasm=${bad}`);
    assert.match(dom, /data-state="error"/);
    assert.equal(element(dom, 'error'), 'not supported: multiple memories (the multi-memory proposal) (at offset 0xd)');
  });
});

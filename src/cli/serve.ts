/**
 * `xipwasm serve`: serves the in-browser compiler page (dist/web, built by `npm run build`) on localhost. The page
 * also works opened from disk (dist/web/index.html); serving it gives a URL to share on the machine.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../errors.js';
import { formatFlagHelp, parseArgs, type FlagSpec } from './args.js';
import type { CliIo } from './io.js';

const SPECS: readonly FlagSpec[] = [
  { name: '--port', kind: 'value', valueName: '<n>', help: 'TCP port (default 8080; 0 picks a free one)' },
  { name: '--host', kind: 'value', valueName: '<addr>', help: 'Address to listen on (default 127.0.0.1)' },
  { name: '--help', alias: '-h', kind: 'switch', help: 'Show this help' },
];

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.wasm': 'application/wasm', '.png': 'image/png',
};

/** dist/web next to this file (dist/src/cli/ → dist/web/). */
export function webRoot(): string {
  return fileURLToPath(new URL('../../web/', import.meta.url));
}

export async function startServer(port: number, host = '127.0.0.1', root = webRoot()): Promise<{ server: Server; url: string }> {
  if (!existsSync(join(root, 'index.html'))) {
    throw new UsageError(`the page is not built (${join(root, 'index.html')} is missing): run \`npm run build\` in a clone of the repository`);
  }
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    const file = join(root, path.endsWith('/') ? `${path}index.html` : path);
    if (!file.startsWith(root)) {
      res.writeHead(403).end();
      return;
    }
    readFile(file).then((body) => {
      res.writeHead(200, { 'content-type': TYPES[file.slice(file.lastIndexOf('.'))] ?? 'application/octet-stream' }).end(body);
    }, () => res.writeHead(404).end('not found\n'));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const addr = server.address();
  const actual = typeof addr === 'object' && addr !== null ? addr.port : port;
  return { server, url: `http://${host}:${actual}/` };
}

export async function serveCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, SPECS, 'serve');
  if (args.switches.has('--help')) {
    io.out(`Usage: xipwasm serve [--port=<n>] [--host=<addr>]\n\nServes the in-browser compiler page.\n\n${formatFlagHelp(SPECS)}`);
    return 0;
  }
  const portText = args.values.get('--port') ?? '8080';
  if (!/^\d+$/.test(portText) || Number(portText) > 65535) throw new UsageError(`--port needs a port number, not '${portText}'`);
  if (args.positionals.length > 0) throw new UsageError('serve takes no file');
  const { url } = await startServer(Number(portText), args.values.get('--host') ?? '127.0.0.1');
  io.out(`xipwasm: the compiler page is at ${url} (Ctrl-C stops)\n`);
  await new Promise<never>(() => { /* serve until killed */ });
  return 0;
}

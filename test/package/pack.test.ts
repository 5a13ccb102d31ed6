/**
 * The npm package: what `npm pack` puts in the tarball, and that the tarball installed into an empty directory
 * compiles a module with `npx xipwasm` (offline: the one dependency is packed from node_modules alongside).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { compileModule } from '../../src/compile.js';
import { testModuleBytes } from '../xip/module-fixture.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

interface PackEntry { path: string; size: number }

function pack(dest: string, dir = ROOT): { filename: string; files: PackEntry[] } {
  const out = execFileSync(NPM, ['pack', '--ignore-scripts', '--json', '--pack-destination', dest, dir],
    { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const [info] = JSON.parse(out) as { filename: string; files: PackEntry[] }[];
  return { filename: join(dest, info!.filename.replace(/^@/, '').replace('/', '-')), files: info!.files };
}

/** What may ship: the built compiler, runtime sources and headers, board support sources, docs, README. */
const ALLOWED: readonly RegExp[] = [
  /^package\.json$/, /^README\.md$/, /^bin\/xipwasm\.js$/,
  /^dist\/src\/.+\.(js|d\.ts|js\.map)$/,
  /^runtime\/include\/[^/]+\.h$/, /^runtime\/src\/[^/]+\.[ch]$/,
  /^boards\/[^/]+\/[^/]+\.(c|h|ld|wat)$/,
  /^docs\/[^/]+\.md$/,
];

describe('npm package', () => {
  const dir = mkdtempSync(join(tmpdir(), 'xipwasm-pack-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const { filename, files } = pack(dir);
  const paths = files.map((f) => f.path).sort();

  it('holds only the built compiler, runtime and board sources, docs and README', () => {
    for (const p of paths) assert.ok(ALLOWED.some((re) => re.test(p)), `unexpected file in the tarball: ${p}`);
    for (const need of ['bin/xipwasm.js', 'dist/src/index.js', 'dist/src/index.d.ts', 'dist/src/run/index.js', 'dist/src/cli/main.js',
      'runtime/include/xipwasm.h', 'runtime/src/loader.c', 'boards/common/main.c', 'boards/common/xipwasm_board.h',
      'boards/mps2-an385/board.ld', 'boards/qemu-plugin/icount.c', 'docs/run.md', 'docs/boards.md', 'README.md']) {
      assert.ok(paths.includes(need), `missing ${need}`);
    }
    // every runtime and board source of the repository ships (the firmware is built from them on the user's side)
    const tracked = execFileSync('git', ['ls-files', 'runtime/src', 'runtime/include', 'boards'], { cwd: ROOT, encoding: 'utf8' })
      .split('\n').filter((p) => /\.(c|h|ld|wat)$/.test(p) && !/\/(test|build)\//.test(p));
    for (const p of tracked) assert.ok(paths.includes(p), `missing ${p}`);
    // every compiled file has its source in the repository (no stale build products), and no tests
    for (const p of paths.filter((q) => q.startsWith('dist/'))) {
      const src = p.replace(/^dist\//, '').replace(/\.js\.map$|\.d\.ts$|\.js$/, '.ts');
      assert.ok(existsSync(join(ROOT, src)), `${p} has no source ${src}`);
    }
    assert.ok(!paths.some((p) => p.startsWith('dist/test/') || p.includes('/build/')));
  });

  it('ships source maps that resolve: each carries the text of its sources', () => {
    const maps = paths.filter((p) => p.endsWith('.js.map'));
    assert.ok(maps.length > 0);
    for (const m of maps) {
      const map = JSON.parse(readFileSync(join(ROOT, m), 'utf8')) as { sources: string[]; sourcesContent?: (string | null)[] };
      assert.equal(map.sourcesContent?.length, map.sources.length, m);
      for (const c of map.sourcesContent ?? []) assert.equal(typeof c, 'string', m);
      const js = readFileSync(join(ROOT, m.replace(/\.map$/, '')), 'utf8');
      assert.match(js, new RegExp(`//# sourceMappingURL=${m.split('/').pop()!.replace(/\./g, '\\.')}\\s*$`));
    }
  });

  it('installs into an empty directory and compiles with npx xipwasm, byte for byte as the repository does', () => {
    const app = join(dir, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), '{"name":"app","private":true,"type":"module"}\n');
    // the dependency, packed from the installed copy, so that npm needs no network
    const capstone = pack(dir, join(ROOT, 'node_modules', '@alexaltea', 'capstone-js')).filename;
    execFileSync(NPM, ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', filename, capstone],
      { cwd: app, stdio: 'ignore', timeout: 120_000 });
    writeFileSync(join(app, 'hello.wasm'), testModuleBytes());
    execFileSync('npx', ['--offline', 'xipwasm', 'compile', '--cpu', 'cortex-m4', '--xip', '-o', 'hello.aot', 'hello.wasm'],
      { cwd: app, stdio: 'ignore', timeout: 60_000 });
    assert.deepEqual(new Uint8Array(readFileSync(join(app, 'hello.aot'))), compileModule(testModuleBytes(), { cpu: 'cortex-m4', xip: true }).image);
    const listing = execFileSync('npx', ['--offline', 'xipwasm', 'inspect', '--disasm=0', 'hello.aot'], { cwd: app, encoding: 'utf8' });
    assert.match(listing, /function 0.*\n\s+0:\t/);
    // the two entries resolve; internals stay private
    const probe = `
      const core = await import('xipwasm');
      const run = await import('xipwasm/run');
      let blocked = false;
      try { await import('xipwasm/dist/src/compile.js'); } catch (e) { blocked = e.code === 'ERR_PACKAGE_PATH_NOT_EXPORTED'; }
      console.log(typeof core.compileModule, typeof run.runBatch, core.CPUS.length > 0, blocked);`;
    writeFileSync(join(app, 'probe.mjs'), probe);
    assert.equal(execFileSync(process.execPath, ['probe.mjs'], { cwd: app, encoding: 'utf8' }), 'function function true true\n');
  });

  it('types the options precisely: a CPU name that does not exist is a type error for a TypeScript user', () => {
    const app = join(dir, 'app');
    if (!existsSync(join(app, 'node_modules', 'xipwasm'))) return; // the install test reports the failure
    writeFileSync(join(app, 'use.ts'), `import { compileModule, type CpuName } from 'xipwasm';
const good: CpuName = 'cortex-m33';
compileModule(new Uint8Array(0), { cpu: good, optLevel: 2 });
compileModule(new Uint8Array(0), { cpu: 'cortex-m9' });
`);
    // no @types/node: the compiler entry's declarations must stand alone (browser users have none)
    writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, noEmit: true, module: 'nodenext',
      moduleResolution: 'nodenext', target: 'es2022', lib: ['es2022'], types: [] }, files: ['use.ts'] }));
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    let out = '';
    try {
      execFileSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: app, encoding: 'utf8' });
    } catch (e) {
      out = String((e as { stdout?: string }).stdout);
    }
    const errors = out.split('\n').filter((l) => /error TS/.test(l));
    assert.equal(errors.length, 1, out);
    assert.match(errors[0]!, /^use\.ts\(4,.*'"cortex-m9"' is not assignable to type 'CpuName/);
  });
});

/** wamrc's option set: the README's table, row by row, against what `xipwasm compile` does. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { main } from '../../src/cli/main.js';
import { nodeIo, type CliIo } from '../../src/cli/io.js';
import { readAot } from '../../src/aot/reader.js';
import { disassembleThumb } from '../../src/run/disasm.js';
import { functionExtent } from '../../src/cli/inspect.js';
import { testModuleBytes } from '../xip/module-fixture.js';

const ROOT = new URL('../../../', import.meta.url);
const dir = mkdtempSync(join(tmpdir(), 'xw-wamrc-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const hello = join(dir, 'hello.wasm');
writeFileSync(hello, testModuleBytes());

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { ...nodeIo, out: (t) => { out += t; }, err: (t) => { err += t; } };
  return { code: await main(argv, io), out, err };
}

interface Row { flag: string; verdict: 'accepted' | 'refused'; why: string }

/** Accepted flags that change the code (test/run/call-stack.test.ts checks what they do). */
const CHANGES_CODE: ReadonlySet<string> = new Set(['--enable-dump-call-stack']);

function readmeRows(): Row[] {
  const text = readFileSync(new URL('README.md', ROOT), 'utf8');
  const body = text.slice(text.indexOf('<!-- wamrc-flags:begin -->'), text.indexOf('<!-- wamrc-flags:end -->'));
  return body.split('\n').filter((l) => l.startsWith('| `')).map((l) => {
    const cells = l.split(' | ').map((c) => c.replace(/^\| /, '').replace(/ \|$/, ''));
    const verdict = cells[1];
    assert.ok(verdict === 'accepted' || verdict === 'refused', l);
    return { flag: cells[0]!.replace(/^`|`$/g, ''), verdict, why: cells[2] ?? '' };
  });
}

test('every row of the README table: accepted flags compile the same module, refused ones say why', async () => {
  const rows = readmeRows();
  assert.ok(rows.length >= 30, `${rows.length} rows`);
  const plainOut = join(dir, 'plain.aot');
  assert.equal((await run('compile', '--cpu=cortex-m4', '--xip', '-o', plainOut, hello)).code, 0);
  const plain = readFileSync(plainOut);
  for (const { flag, verdict } of rows) {
    const out = join(dir, 'flag.aot');
    // a file the flag writes goes into the temporary directory
    const r = await run('compile', '--cpu=cortex-m4', '--xip', flag.replace(/^(--stack-usage=)/, `$1${dir}/`), '-o', out, hello);
    if (verdict === 'accepted' && CHANGES_CODE.has(flag)) {
      assert.equal(r.code, 0, `${flag}: ${r.err}`);
      assert.notDeepEqual(readFileSync(out), plain, flag);
      // frame records use exec_env->frames: the header asks for ABI version 2 (docs/abi.md §11)
      assert.deepEqual([readAot(readFileSync(out)).abiVersion, readAot(plain).abiVersion], [2, 1], flag);
    } else if (verdict === 'accepted') {
      assert.equal(r.code, 0, `${flag}: ${r.err}`);
      // the other accepted flags do not change the code (they are wamrc's no-ops here, or only report)
      assert.deepEqual(readFileSync(out), plain, flag);
    } else {
      assert.equal(r.code, 1, flag);
      const name = flag.replace(/=.*$/, '');
      assert.match(r.err, new RegExp(`^xipwasm: error: ${name.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')}(=\\S*)?: not supported: \\S`), flag);
      assert.doesNotMatch(r.err, /unknown option/);
    }
  }
});

test('refused flags are left out of --help; accepted ones are listed', async () => {
  const help = (await run('compile', '--help')).out;
  for (const { flag, verdict } of readmeRows()) {
    const name = flag.replace(/=.*$/, '');
    if (verdict === 'accepted' && name !== '-v') assert.ok(help.includes(name), name);
    // --cpu-features is refused on Arm only: RV32 cores take it, so --help lists it.
    if (verdict === 'refused' && !['--bounds-checks', '--stack-bounds-checks', '--format', '--cpu-features'].includes(name)) {
      assert.ok(!help.includes(`${name} `) && !help.includes(`${name}=`), name);
    }
  }
});

test('space-separated values work for every value option, as -o always did', async () => {
  const a = join(dir, 'a.aot');
  const b = join(dir, 'b.aot');
  assert.equal((await run('compile', '--cpu=cortex-m3', '--target=thumbv7m', '--opt-level=0', `-o=${a}`, hello)).code, 0);
  const r = await run('compile', '--cpu', 'cortex-m3', '--target', 'thumbv7m', '--opt-level', '0', '-o', b, hello);
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(readFileSync(b), readFileSync(a));
  const missing = await run('compile', hello, '--cpu');
  assert.match(missing.err, /option --cpu needs a value/);
});

test('--size-level and -v=n take wamrc\'s ranges', async () => {
  assert.match((await run('compile', '--cpu=cortex-m3', '--size-level=4', hello)).err, /--size-level must be 0, 1, 2 or 3, not '4'/);
  assert.match((await run('compile', '--cpu=cortex-m3', '-v=9', hello)).err, /-v=<n> takes 0\.\.5, not '9'/);
  const quiet = await run('compile', '--cpu=cortex-m3', '-v=2', '-o', join(dir, 'q.aot'), hello);
  assert.deepEqual([quiet.code, quiet.err], [0, '']);
  const loud = await run('compile', '--cpu=cortex-m3', '-v=3', '-o', join(dir, 'q.aot'), hello);
  assert.match(loud.err, /^target=thumbv7m cpu=cortex-m3/);
});

test('--enable-stack-estimation: every function, its push + vpush + sub sp read from the disassembly', async () => {
  for (const opt of ['0', '2']) {
    const out = join(dir, `s${opt}.aot`);
    const file = join(dir, `s${opt}.txt`);
    const r = await run('compile', '--cpu=cortex-m55', '--xip', `--opt-level=${opt}`, '--enable-stack-estimation', `--stack-usage=${file}`, '-o', out, hello);
    assert.equal(r.code, 0, r.err);
    const aot = readAot(readFileSync(out));
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    assert.ok(r.out.endsWith(`${lines.join('\n')}\n`));
    const defined = aot.funcs.map((f, i) => [f, i] as const).filter(([f]) => f.import === undefined);
    assert.equal(lines.length, defined.length);
    // reference: the bytes a function's own push/vpush/sub sp take, counted from capstone's listing by hand-written
    // rules independent of the estimator's (regular expressions over the whole listing, every decrement summed)
    for (const [k, [, index]] of defined.entries()) {
      const { start, end } = functionExtent(aot, index);
      const listing = (await disassembleThumb(aot.text.subarray(start, end), start, 'cortex-m55')).join('\n');
      let total = 0;
      for (const m of listing.matchAll(/\tpush(?:\.w)?\t\{([^}]*)\}/g)) total += 4 * m[1]!.split(',').length;
      for (const m of listing.matchAll(/\tvpush\t\{([^}]*)\}/g)) total += 8 * m[1]!.split(',').length;
      for (const m of listing.matchAll(/\tsub(?:\.w|w)?\tsp, (?:sp, )?#(0x[0-9a-f]+|\d+)/g)) total += Number(m[1]);
      const [name, bytes, kind] = lines[k]!.split('\t');
      assert.equal(name, aot.names.get(index) ?? `func[${index}]`);
      assert.equal(Number(bytes), total, `${lines[k]} (opt-level ${opt})\n${listing}`);
      assert.ok(kind === 'static' || kind === 'bounded');
      // a frame holds at least lr, except a leaf that pushes nothing and returns with BX LR (at every opt level)
      assert.ok(total >= 4 || /\tbx\tlr/.test(listing), `a frame holds at least lr\n${listing}`);
    }
  }
});

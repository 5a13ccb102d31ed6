/**
 * Small memories (docs/small-memories.md): examples/small-memory.c, built by clang for wasm32, rewritten to 1-byte
 * pages by `--memory-page-size=1` and run on the micro:bit (Cortex-M0), inside its 16 KiB of RAM. Its results are checked against V8 running the module as clang linked
 * it (64 KiB pages; V8 has no custom page sizes); the rewrite changes only the memory section. The rewrite's
 * refusals are checked on modules made to trip each one.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { compileModule } from '../../src/compile.js';
import { readAot } from '../../src/aot/reader.js';
import { boardSpec, type BoardName } from '../../src/run/boards.js';
import { runBatch } from '../../src/run/qemu.js';
import { parseModule } from '../../src/wasm/index.js';
import { PageSizeRewriteError, withOneBytePages } from '../../src/wasm/page-size.js';
import { V8 } from '../wasm/v8.js';
import { HEADER, section, sleb, str, uleb, vec } from '../wasm/builder.js';

const ROOT = new URL('../../../', import.meta.url);
const CLANG = process.env['CLANG'] ?? 'clang-14';
const RAM_LIMIT = 16 * 1024;

function has(cmd: string): boolean {
  try {
    execFileSync(cmd, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const missing = [CLANG, 'qemu-system-arm', 'arm-none-eabi-gcc'].filter((t) => !has(t));
const dir = mkdtempSync(join(tmpdir(), 'xipwasm-small-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function buildExample(): Uint8Array {
  const out = join(dir, 'small-memory.wasm');
  execFileSync(CLANG, ['--target=wasm32', '-O2', '-nostdlib', '-ffreestanding', '-Wl,--no-entry', '-Wl,--export=run',
    '-Wl,--export=__heap_base', '-Wl,--stack-first', '-Wl,-z,stack-size=2048', '-o', out,
    new URL('examples/small-memory.c', ROOT).pathname]);
  return new Uint8Array(readFileSync(out));
}

/** The micro:bit (Cortex-M0, 16 KiB of RAM, an 8 KiB arena): the board the custom page size is for. */
const BOARD: BoardName = 'microbit';

describe('examples/small-memory.c in 1-byte pages', { skip: missing.length > 0 ? `${missing.join(', ')} not installed` : false }, () => {
  it(`runs on ${BOARD} inside 16 KiB of instance RAM, with V8's results`, async () => {
    const wasm = buildExample();
    const r = withOneBytePages(wasm);
    const orig = parseModule(wasm);
    const hb = orig.exports.find((e) => e.name === '__heap_base');
    const heapBase = hb === undefined ? undefined : orig.globals[hb.index - orig.numImportedGlobals]?.init;
    // clang's layout with --stack-first: stack, then data and bss up to __heap_base (a multiple of 16)
    assert.equal(r.memoryBytes, heapBase?.kind === 'i32.const' ? heapBase.value : NaN);
    assert.ok(r.memoryBytes > 4096 && r.memoryBytes < 8192, `${r.memoryBytes} bytes`);
    const m = parseModule(r.bytes);
    assert.deepEqual(m.memories, [{ limits: { min: r.memoryBytes, max: r.memoryBytes }, pageSizeLog2: 0 }]);

    const spec = boardSpec(BOARD);
    for (const optLevel of [2, 0]) {
      // a fresh instance each time: the trap below leaves the stack pointer global where it was
      const v8 = new V8.Instance(new V8.Module(wasm)).exports as unknown as { run(depth: number): number };
      const image = compileModule(r.bytes, { cpu: spec.cpu, xip: true, optLevel }).image;
      assert.deepEqual(readAot(image).memories[0], { min: r.memoryBytes, max: r.memoryBytes, import: undefined, pageSizeLog2: 0 });
      const out = await runBatch(BOARD, [
        { kind: 'module', image },
        // 12 levels: the micro:bit's firmware gives compiled code a 2 KiB native stack (FW_SMALL), and a level of
        // this recursion takes 72 bytes of it on the M0 (nine saved registers and a 36-byte frame)
        { kind: 'invoke', module: 0, name: 'run', args: [{ type: 'i32', bits: 12n }] },
        { kind: 'invoke', module: 0, name: 'run', args: [{ type: 'i32', bits: 3n }] },
        // a recursion deeper than either stack: a trap on both sides
        { kind: 'invoke', module: 0, name: 'run', args: [{ type: 'i32', bits: 500n }] },
      ], { timeoutMs: 60_000 });
      assert.deepEqual(out.results[0], { kind: 'ok' });
      for (const [i, depth] of [[1, 12], [2, 3]] as const) {
        assert.deepEqual(out.results[i], { kind: 'values', values: [{ type: 'i32', bits: BigInt(v8.run(depth) >>> 0) }] }, `run(${depth})`);
      }
      assert.throws(() => v8.run(500), /out of bounds/);
      const trap = out.results[3];
      // the module's C stack (2 KiB in linear memory) outlasts the micro:bit's native one: the board traps at its
      // stack limit first, where V8 (and a board with a larger native stack) runs out of linear memory
      const limit = BOARD === 'microbit' ? 'call stack exhausted' : 'out of bounds memory access';
      assert.ok(trap?.kind === 'trap' && trap.message === limit, JSON.stringify(trap));
      const ram = out.instanceRam[0];
      console.log(`small-memory.c on ${BOARD} (--opt-level=${optLevel}): linear memory ${r.memoryBytes} bytes, ` +
        `xw_instance_ram_size ${ram} bytes, image ${image.length} bytes`);
      assert.ok(ram !== undefined && ram >= r.memoryBytes && ram <= RAM_LIMIT, `instance RAM ${ram}`);
    }
  });
});

/** A module with one memory of `pages` 64 KiB pages plus the given sections (ids above 5), e.g. data or code. */
function memModule(memory: number[], ...rest: number[][]): Uint8Array {
  return new Uint8Array([...HEADER, ...rest.filter((s) => s[0]! < 5).flat(), ...section(5, vec([memory])), ...rest.filter((s) => s[0]! > 5).flat()]);
}
const typeVoid = section(1, vec([[0x60, 0, 0]]));
const oneFunc = section(3, vec([[0]]));
const code = (...ops: number[]): number[] => section(10, vec([[...uleb(ops.length + 1), 0, ...ops]]));
const heapBaseAt = (n: number): number[][] => [
  section(6, vec([[0x7f, 0, 0x41, ...sleb(n), 0x0b]])),
  section(7, vec([[...str('__heap_base'), 3, 0]])),
];

describe('--memory-page-size=1 refuses what it would change', () => {
  const refuses = (wasm: Uint8Array, re: RegExp, initial?: number): void => {
    assert.throws(() => withOneBytePages(wasm, initial), (e: unknown) => e instanceof PageSizeRewriteError && re.test(e.message));
  };
  it('memory.grow and memory.size in the code', () => {
    refuses(memModule([0, 1], typeVoid, oneFunc, code(0x41, 1, 0x40, 0, 0x1a, 0x0b)), /memory\.grow counts pages/);
    refuses(memModule([0, 1], typeVoid, oneFunc, code(0x3f, 0, 0x1a, 0x0b)), /memory\.size counts pages.*\(at offset 0x/);
  });
  it('no memory, an imported memory, 1-byte pages already', () => {
    refuses(new Uint8Array(HEADER), /no memory/, 16);
    refuses(new Uint8Array([...HEADER, ...section(2, vec([[...str('env'), ...str('m'), 2, 0, 1]]))]), /imported/, 16);
    refuses(memModule([0x08, 16, 0]), /already has 1-byte pages/, 16);
  });
  it('data, a stack pointer or __heap_base beyond the new size; a size above the old one', () => {
    const data = section(11, vec([[0, 0x41, ...sleb(100), 0x0b, 4, 1, 2, 3, 4]]));
    refuses(memModule([0, 1], data), /below the 104 bytes that data segment 0 needs/, 103);
    assert.equal(withOneBytePages(memModule([0, 1], data), 104).memoryBytes, 104);
    const sp = section(6, vec([[0x7f, 1, 0x41, ...sleb(4096), 0x0b]]));
    refuses(memModule([0, 1], sp), /below the 4096 bytes that the initial value of mutable global 0, a stack pointer/, 4000);
    refuses(memModule([0, 1], ...heapBaseAt(300)), /below the 300 bytes that __heap_base/, 299);
    // without __heap_base the end of bss is unknown, unless the size is given
    refuses(memModule([0, 1], data), /does not export __heap_base/);
    refuses(memModule([0, 1]), /above the module's own 65536 bytes/, 65537);
    const auto = withOneBytePages(memModule([0, 1], ...heapBaseAt(300)));
    assert.equal(auto.memoryBytes, 304); // rounded up to 16
    assert.deepEqual(parseModule(auto.bytes).memories, [{ limits: { min: 304, max: 304 }, pageSizeLog2: 0 }]);
  });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inspectCommand } from '../../src/cli/inspect.js';
import type { CliIo } from '../../src/cli/io.js';
import { writeAot } from '../../src/aot/writer.js';
import { UsageError } from '../../src/errors.js';
import { basicInput } from '../aot/fixtures.js';

function fakeIo(file: Uint8Array): CliIo & { text: () => string } {
  let out = '';
  return {
    out: (t) => { out += t; },
    err: (t) => { out += t; },
    readFile: () => Promise.resolve(file),
    writeFile: () => Promise.resolve(),
    text: () => out,
  };
}

test('inspect prints header, sections, symbols and relocations', async () => {
  const io = fakeIo(writeAot(basicInput()));
  assert.equal(await inspectCommand(['basic.aot'], io), 0);
  const t = io.text();
  assert.match(t, /target: thumbv7m {2}cpu: cortex-m3 {2}float ABI: soft {2}features: hwdiv/);
  assert.match(t, /flags: xip\n/);
  assert.match(t, /crc32: 0x[0-9a-f]{8} ok/);
  assert.match(t, /^ {2}text +at 0x[0-9a-f]*0 +64 bytes/m);
  assert.match(t, / {4}1 {2}xw_memory_grow/);
  assert.match(t, /"neg": func 2/);
  assert.match(t, /relocations: 0\n/);
});

test('inspect reports a bad CRC and finds functions by export, name-section name and index', async () => {
  const img = writeAot(basicInput());
  img[img.length - 1]! ^= 0xff;
  const io = fakeIo(img);
  assert.equal(await inspectCommand(['x.aot', '--disasm=negate'], io), 0);
  assert.match(io.text(), /crc32: 0x[0-9a-f]{8} BAD/);
  assert.match(io.text(), /function 2 <negate>: text 0x0020\.\.0x0028/);
  // the fixture text is bytes 0,1,2,...: halfword 0x2120 at 0x20 is MOVS r1, #0x20 (T1 encoding 0010 0 rd imm8)
  assert.match(io.text(), /20:\t2120 +\tmovs\tr1, #0x20\n/);
  assert.equal(io.text().split('\n').filter((l) => /^ +2[0-6]:\t/.test(l)).length, 4);
  const io2 = fakeIo(writeAot(basicInput()));
  await inspectCommand(['x.aot', '--disasm=addtwo'], io2);
  assert.match(io2.text(), /function 1 <addtwo>: text 0x0010\.\.0x0020/);
  await assert.rejects(inspectCommand(['x.aot', '--disasm=nosuch'], fakeIo(img)), UsageError);
});

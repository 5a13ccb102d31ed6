/**
 * Writes the AOT fixture images (fixtures.ts) into a directory:
 *   node dist/test/aot/write-fixtures.js DIR
 * Used by the runtime host test and as the loader fuzzer's seed corpus (scripts/fuzz-loader.sh).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeAot } from '../../src/aot/writer.js';
import { hostFixtures } from './fixtures.js';

/** "XWP2", u32 length of the first image, the first image, the second: the fuzzer instantiates both, linked. */
export function pairSeed(first: Uint8Array, second: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + first.length + second.length);
  out.set([0x58, 0x57, 0x50, 0x32]);
  new DataView(out.buffer).setUint32(4, first.length, true);
  out.set(first, 8);
  out.set(second, 8 + first.length);
  return out;
}

export function writeFixtures(dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const images = Object.entries(hostFixtures()).map(([name, input]) => [name, writeAot(input)] as const);
  for (const [name, image] of images) writeFileSync(join(dir, name), image);
  const byName = new Map(images);
  writeFileSync(join(dir, 'pair_basic_importer.bin'), pairSeed(byName.get('basic.aot')!, byName.get('importer.aot')!));
  return [...images.map(([n]) => n), 'pair_basic_importer.bin'];
}

if (process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/^.*\//, '/'))) {
  const dir = process.argv[2];
  if (dir === undefined) {
    process.stderr.write('usage: node dist/test/aot/write-fixtures.js DIR\n');
    process.exit(2);
  }
  process.stdout.write(`${writeFixtures(dir).length} fixtures written to ${dir}\n`);
}

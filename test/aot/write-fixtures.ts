/**
 * Writes the AOT fixture images (fixtures.ts) into a directory:
 *   node dist/test/aot/write-fixtures.js DIR
 * Used by the runtime host test and as the loader fuzzer's seed corpus (scripts/fuzz-loader.sh).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeAot } from '../../src/aot/writer.js';
import { hostFixtures } from './fixtures.js';

export function writeFixtures(dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  return Object.entries(hostFixtures()).map(([name, input]) => {
    writeFileSync(join(dir, name), writeAot(input));
    return name;
  });
}

if (process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/^.*\//, '/'))) {
  const dir = process.argv[2];
  if (dir === undefined) {
    process.stderr.write('usage: node dist/test/aot/write-fixtures.js DIR\n');
    process.exit(2);
  }
  process.stdout.write(`${writeFixtures(dir).length} fixtures written to ${dir}\n`);
}

/**
 * Regenerates test/target/rv32/expected/<table>.json from GNU as:
 *   npx tsc -p tsconfig.json && node dist/test/target/rv32/gen-golden.js --update
 * (run from the repository root). Without --update it only reports rows whose
 * encoder output differs from GNU as. Review the JSON diff before committing.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { assembleRows, expectedPath, ourHex } from './golden.js';
import { TABLES } from './tables.js';

const update = process.argv.includes('--update');
let mismatches = 0;
let total = 0;
for (const t of TABLES) {
  const hex = assembleRows(t);
  const pairs: [string, string][] = t.rows.map((r, i) => [r.asm, hex[i]!]);
  t.rows.forEach((r, i) => {
    let ours: string;
    try {
      ours = ourHex(r);
    } catch (e) {
      ours = `threw ${(e as Error).message}`;
    }
    if (ours !== hex[i]) {
      mismatches++;
      console.log(`${t.name}: ${r.asm}\n  gnu  ${hex[i]}\n  ours ${ours}`);
    }
  });
  if (update) {
    const p = expectedPath(t.name);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, '[\n' + pairs.map((pr) => '  ' + JSON.stringify(pr)).join(',\n') + '\n]\n');
  }
  total += t.rows.length;
  console.log(`${t.name}: ${t.rows.length} rows`);
}
console.log(`${total} rows, ${mismatches} mismatches${update ? ' (expected files rewritten)' : ''}`);
process.exitCode = mismatches ? 1 : 0;

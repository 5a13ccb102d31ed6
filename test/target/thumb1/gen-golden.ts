/**
 * Regenerates test/target/thumb1/expected/<table>.json from GNU as for ARMv6-M:
 *   npx tsc -p tsconfig.json && node dist/test/target/thumb1/gen-golden.js --update
 * (run from the repository root). Without --update it only reports rows
 * whose encoder output differs from GNU as. Review the JSON diff before committing.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { V6M_AS_FLAGS, assembleRows, expectedPath, ourHex } from '../thumb2/golden.js';
import { TABLES } from './tables.js';

const update = process.argv.includes('--update');
let mismatches = 0;
for (const t of TABLES) {
  const hex = assembleRows(t.rows, V6M_AS_FLAGS);
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
    const p = expectedPath(t.name, 'thumb1');
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, '[\n' + t.rows.map((r, i) => '  ' + JSON.stringify([r.asm, hex[i]])).join(',\n') + '\n]\n');
  }
  console.log(`${t.name}: ${t.rows.length} rows`);
}
console.log(`${mismatches} mismatches${update ? ' (expected files rewritten)' : ''}`);
process.exitCode = mismatches ? 1 : 0;

/**
 * Regenerates test/target/thumb1/expected/<table>.json from GNU as for ARMv6-M:
 *   npx tsc -p tsconfig.json && node dist/test/target/thumb1/gen-golden.js --update
 * (run from the repository root). Without --update it only reports rows
 * whose encoder output differs from GNU as. Review the JSON diff before committing.
 */
import { regenerateGolden } from '../golden-gen.js';
import { V6M_AS_FLAGS, assembleRows, expectedPath, ourHex } from '../thumb2/golden.js';
import { TABLES } from './tables.js';

regenerateGolden({
  tables: TABLES,
  assemble: (t) => assembleRows(t.rows, V6M_AS_FLAGS),
  ours: ourHex,
  path: (name) => expectedPath(name, 'thumb1'),
});

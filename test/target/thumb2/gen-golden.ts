/**
 * Regenerates test/target/thumb2/expected/<table>.json from GNU as:
 *   npx tsc -p tsconfig.json && node dist/test/target/thumb2/gen-golden.js --update
 * (run from the repository root). Without --update it only reports rows
 * whose encoder output differs from GNU as. Review the JSON diff before committing.
 */
import { regenerateGolden } from '../golden-gen.js';
import { assembleRows, expectedPath, ourHex } from './golden.js';
import { TABLES } from './tables.js';

regenerateGolden({ tables: TABLES, assemble: (t) => assembleRows(t.rows), ours: ourHex, path: (name) => expectedPath(name) });

/**
 * The body of every ISA's gen-golden.ts: assembles each table's rows with GNU as, reports the rows whose
 * encoder output differs, and with --update rewrites expected/<table>.json as [asm, GNU hex] pairs.
 * Exit status 1 when any row differs.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export interface GoldenSource<R extends { readonly asm: string }, T extends { readonly name: string; readonly rows: readonly R[] }> {
  readonly tables: readonly T[];
  /** GNU as's bytes for each row of a table, as hex */
  assemble(table: T): string[];
  /** our encoder's bytes for a row, as hex (may throw) */
  ours(row: R): string;
  /** where a table's expected file lives */
  path(tableName: string): string;
}

export function regenerateGolden<R extends { readonly asm: string }, T extends { readonly name: string; readonly rows: readonly R[] }>(
  src: GoldenSource<R, T>,
): void {
  const update = process.argv.includes('--update');
  let mismatches = 0;
  let total = 0;
  for (const t of src.tables) {
    const hex = src.assemble(t);
    t.rows.forEach((r, i) => {
      let ours: string;
      try {
        ours = src.ours(r);
      } catch (e) {
        ours = `threw ${(e as Error).message}`;
      }
      if (ours !== hex[i]) {
        mismatches++;
        console.log(`${t.name}: ${r.asm}\n  gnu  ${hex[i]}\n  ours ${ours}`);
      }
    });
    if (update) {
      const p = src.path(t.name);
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, '[\n' + t.rows.map((r, i) => '  ' + JSON.stringify([r.asm, hex[i]])).join(',\n') + '\n]\n');
    }
    total += t.rows.length;
    console.log(`${t.name}: ${t.rows.length} rows`);
  }
  console.log(`${total} rows, ${mismatches} mismatches${update ? ' (expected files rewritten)' : ''}`);
  process.exitCode = mismatches ? 1 : 0;
}

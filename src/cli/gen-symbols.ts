/** `xipwasm gen-symbols [-o FILE]`: prints runtime/include/xipwasm_symbols.h from the catalogue. */
import { renderSymbolsHeader, SYMBOLS_HEADER_PATH } from '../xip/symbols-header.js';
import { formatFlagHelp, parseArgs, type FlagSpec } from './args.js';
import type { CliIo } from './io.js';

const SPECS: readonly FlagSpec[] = [
  { name: '-o', kind: 'value', separateValue: true, valueName: '<file>', help: `Write to <file> (normally ${SYMBOLS_HEADER_PATH}) instead of stdout` },
  { name: '--help', alias: '-h', kind: 'switch', help: 'Show this help' },
];

export async function genSymbolsCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, SPECS, 'gen-symbols');
  if (args.switches.has('--help')) {
    io.out(`Usage: xipwasm gen-symbols [-o <file>]\n\nRenders the native-symbol header from src/xip/catalogue.ts.\n\n${formatFlagHelp(SPECS)}`);
    return 0;
  }
  const out = args.values.get('-o');
  const text = renderSymbolsHeader();
  if (out === undefined) io.out(text);
  else await io.writeFile(out, text);
  return 0;
}

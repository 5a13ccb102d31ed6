import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NATIVE_SYMBOLS } from '../../src/xip/catalogue.js';
import { renderSymbolsHeader, symbolMacroName, SYMBOLS_HEADER_PATH } from '../../src/xip/symbols-header.js';

const ROOT = new URL('../../../', import.meta.url);
const headerPath = new URL(SYMBOLS_HEADER_PATH, ROOT);

test('the checked-in symbol header is what the catalogue renders', () => {
  const checkedIn = readFileSync(headerPath, 'utf8');
  assert.ok(
    checkedIn === renderSymbolsHeader(),
    `${SYMBOLS_HEADER_PATH} is stale: run \`npm run build && npm run gen\` and commit the result`,
  );
});

test('macro names are unique', () => {
  const names = NATIVE_SYMBOLS.map((s) => symbolMacroName(s.symbol));
  assert.equal(new Set(names).size, names.length);
});

function haveCc(cc: string): boolean {
  return spawnSync(cc, ['--version'], { stdio: 'ignore' }).status === 0;
}

// The header must be valid C99 for the runtime: build a const table and a name
// list from the X-macro and check at compile time and at run time that the
// indices agree with the XW_SYM_* macros.
test('the header builds a native-symbol table in C', (t) => {
  if (!haveCc('cc')) {
    t.skip('no host C compiler (cc)');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'xw-sym-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const src = join(dir, 't.c');
  const checks = NATIVE_SYMBOLS.map((s) =>
    `_Static_assert(XW_SYM_${symbolMacroName(s.symbol)} == ${s.index}, "${s.symbol}");`).join('\n');
  writeFileSync(src, `
#include <stdio.h>
#include <string.h>
typedef struct xw_exec_env xw_exec_env;
#include "xipwasm_symbols.h"
#define DECL(i, name, ret, params, noret) ret name params;
XW_FOR_EACH_SYMBOL(DECL)
#define IDX(i, name, ret, params, noret) i,
static const int idx[] = { XW_FOR_EACH_SYMBOL(IDX) };
#define NAME(i, name, ret, params, noret) #name,
static const char *const names[] = { XW_FOR_EACH_SYMBOL(NAME) };
#define NORET(i, name, ret, params, noret) + noret
_Static_assert(sizeof idx / sizeof idx[0] == XW_SYM_COUNT, "count");
_Static_assert(0 XW_FOR_EACH_SYMBOL(NORET) == 1, "only xw_trap is noreturn");
${checks}
int main(void) {
  for (int i = 0; i < XW_SYM_COUNT; i++) if (idx[i] != i) return 1;
  printf("%d %s %s %s\\n", XW_NATIVE_SYMBOL_ABI_VERSION, names[0], names[XW_SYM_FADD_F32], names[XW_SYM_COUNT - 1]);
  return 0;
}
`);
  const exe = join(dir, 't');
  execFileSync('cc', ['-std=c11', '-Wall', '-Werror', '-I', new URL('runtime/include/', ROOT).pathname, src, '-o', exe]);
  const out = execFileSync(exe, { encoding: 'utf8' });
  assert.equal(out, `1 xw_trap aot_intrinsic_fadd_f32 ${NATIVE_SYMBOLS[NATIVE_SYMBOLS.length - 1]?.symbol}\n`);
});

/**
 * A small .wast-to-JSON converter for the repository's own proposal scripts (test/spec/proposals), which use text
 * syntax that the system's wast2json (wabt 1.0.32) does not parse, such as `(pagesize 1)` of the custom-page-sizes
 * proposal. It writes the same JSON and module files as wast2json, turning each text module into a binary with
 * npm `wabt`'s wat2wasm (1.0.39, `--enable-custom-page-sizes --no-check`, so that invalid modules are written
 * too). It understands the commands those scripts use: module (text, binary, quote), register, invoke,
 * assert_return, assert_trap, assert_invalid, assert_malformed, assert_unlinkable, with i32/i64 constants.
 */
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { rmSync, writeFileSync } from 'node:fs';

/** The first line of a script that this converter (rather than wast2json) handles. */
export const WAST_LITE_MARKER = ';; converter: wast-lite';

type Sexp = { readonly kind: 'list'; readonly items: Sexp[]; readonly start: number; readonly end: number; readonly line: number }
  | { readonly kind: 'atom'; readonly text: string }
  | { readonly kind: 'string'; readonly bytes: Uint8Array };

function parseSexps(src: string): Sexp[] {
  let pos = 0;
  let line = 1;
  const skip = (): void => {
    for (;;) {
      const c = src[pos];
      if (c === '\n') { line++; pos++; } else if (c === ' ' || c === '\t' || c === '\r') pos++;
      else if (src.startsWith(';;', pos)) { while (pos < src.length && src[pos] !== '\n') pos++; }
      else if (src.startsWith('(;', pos)) {
        const e = src.indexOf(';)', pos);
        if (e < 0) throw new Error(`unterminated block comment at line ${line}`);
        for (let i = pos; i < e; i++) if (src[i] === '\n') line++;
        pos = e + 2;
      } else return;
    }
  };
  const str = (): Uint8Array => {
    const out: number[] = [];
    pos++; // opening quote
    for (;;) {
      if (pos >= src.length) throw new Error(`unterminated string at line ${line}`);
      const c = src[pos++]!;
      if (c === '"') return Uint8Array.from(out);
      if (c !== '\\') { out.push(...new TextEncoder().encode(c)); continue; }
      const e = src[pos++]!;
      const simple: Record<string, number> = { n: 10, t: 9, r: 13, '\\': 92, '"': 34, "'": 39 };
      if (simple[e] !== undefined) out.push(simple[e]);
      else if (/[0-9a-fA-F]/.test(e) && /[0-9a-fA-F]/.test(src[pos] ?? '')) out.push(parseInt(e + src[pos++]!, 16));
      else throw new Error(`unsupported string escape \\${e} at line ${line}`);
    }
  };
  const one = (): Sexp => {
    skip();
    const c = src[pos];
    if (c === '(') {
      const start = pos;
      const at = line;
      pos++;
      const items: Sexp[] = [];
      for (;;) {
        skip();
        if (pos >= src.length) throw new Error(`unbalanced parenthesis from line ${at}`);
        if (src[pos] === ')') { pos++; return { kind: 'list', items, start, end: pos, line: at }; }
        items.push(one());
      }
    }
    if (c === '"') return { kind: 'string', bytes: str() };
    const m = /^[^\s()";]+/.exec(src.slice(pos, pos + 4096));
    if (!m) throw new Error(`unexpected '${c}' at line ${line}`);
    pos += m[0].length;
    return { kind: 'atom', text: m[0] };
  };
  const out: Sexp[] = [];
  for (;;) {
    skip();
    if (pos >= src.length) return out;
    out.push(one());
  }
}

const head = (s: Sexp | undefined): string | undefined =>
  s?.kind === 'list' && s.items[0]?.kind === 'atom' ? s.items[0].text : undefined;
const isName = (s: Sexp | undefined): s is { kind: 'atom'; text: string } => s?.kind === 'atom' && s.text.startsWith('$');
const text = (s: Sexp | undefined): string => {
  if (s?.kind !== 'string') throw new Error('expected a string');
  return new TextDecoder().decode(s.bytes);
};

/** wast2json's value: the bit pattern in decimal. */
function constValue(s: Sexp): { type: string; value: string } {
  if (s.kind !== 'list') throw new Error('expected a constant');
  const op = head(s);
  const arg = s.items[1];
  if ((op !== 'i32.const' && op !== 'i64.const') || arg?.kind !== 'atom') throw new Error(`unsupported constant ${op ?? ''}`);
  const bits = op === 'i32.const' ? 32 : 64;
  const t = arg.text.replace(/_/g, '');
  const neg = t.startsWith('-');
  const mag = BigInt(t.replace(/^[+-]/, ''));
  return { type: op.slice(0, 3), value: BigInt.asUintN(bits, neg ? -mag : mag).toString() };
}

const WABT = (): string => join(dirname(createRequire(import.meta.url).resolve('wabt')), 'bin', 'wat2wasm');

/** Converts `src` (the script at wastPath) into dir/<base>.json plus module files. */
export function convertWastLite(src: string, dir: string, base: string): void {
  const commands: unknown[] = [];
  let n = 0;
  const modules = new Map<string, string>(); // $name -> name in JSON
  const writeModule = (m: Sexp & { kind: 'list' }): { filename: string; module_type: string; name?: string } => {
    let i = 1;
    const name = isName(m.items[1]) ? m.items[i++] as { text: string } : undefined;
    const mode = m.items[i]?.kind === 'atom' ? (m.items[i] as { text: string }).text : undefined;
    const file = `${base}.${n++}`;
    if (mode === 'binary' || mode === 'quote') {
      const parts = m.items.slice(i + 1).map((p) => {
        if (p.kind !== 'string') throw new Error(`module ${mode}: expected strings at line ${m.line}`);
        return p.bytes;
      });
      const bytes = Buffer.concat(parts);
      const filename = `${file}.${mode === 'binary' ? 'wasm' : 'wat'}`;
      writeFileSync(join(dir, filename), bytes);
      return { filename, module_type: mode === 'binary' ? 'binary' : 'text', ...(name ? { name: name.text } : {}) };
    }
    // file to file: this wat2wasm (Emscripten) reads no stdin and does not write binary to stdout intact
    const watPath = join(dir, `${file}.src.wat`);
    const filename = `${file}.wasm`;
    writeFileSync(watPath, src.slice(m.start, m.end));
    try {
      execFileSync(process.execPath, [WABT(), '--enable-custom-page-sizes', '--no-check', watPath, '-o', join(dir, filename)],
        { stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      const stderr = (e as { stderr?: Buffer }).stderr?.toString() ?? String(e);
      throw new Error(`wat2wasm failed on the module at line ${m.line}: ${stderr.split('\n')[0] ?? ''}`);
    }
    rmSync(watPath);
    return { filename, module_type: 'binary', ...(name ? { name: name.text } : {}) };
  };
  const action = (a: Sexp): unknown => {
    if (a.kind !== 'list' || head(a) !== 'invoke') throw new Error('only invoke actions are supported');
    let i = 1;
    const mod = isName(a.items[1]) ? (a.items[i++] as { text: string }).text : undefined;
    const field = text(a.items[i++]);
    return { type: 'invoke', ...(mod !== undefined ? { module: modules.get(mod) ?? mod } : {}), field, args: a.items.slice(i).map(constValue) };
  };
  for (const c of parseSexps(src)) {
    if (c.kind !== 'list') throw new Error('top-level atom');
    const line = c.line;
    switch (head(c)) {
      case 'module': {
        const m = writeModule(c);
        if (m.name !== undefined) modules.set(m.name, m.name);
        commands.push({ type: 'module', line, ...m });
        break;
      }
      case 'register': {
        const name = isName(c.items[2]) ? (c.items[2] as { text: string }).text : undefined;
        commands.push({ type: 'register', line, as: text(c.items[1]), ...(name !== undefined ? { name } : {}) });
        break;
      }
      case 'invoke': commands.push({ type: 'action', line, action: action(c), expected: [] }); break;
      case 'assert_return':
        commands.push({ type: 'assert_return', line, action: action(c.items[1]!), expected: c.items.slice(2).map(constValue) });
        break;
      case 'assert_trap':
        if (head(c.items[1]) === 'module') {
          const { filename, module_type } = writeModule(c.items[1] as Sexp & { kind: 'list' });
          commands.push({ type: 'assert_trap', line, filename, module_type, text: text(c.items[2]) });
        } else {
          commands.push({ type: 'assert_trap', line, action: action(c.items[1]!), text: text(c.items[2]) });
        }
        break;
      case 'assert_invalid':
      case 'assert_malformed':
      case 'assert_unlinkable': {
        const m = c.items[1];
        if (m?.kind !== 'list' || head(m) !== 'module') throw new Error(`${head(c)}: expected a module at line ${line}`);
        const { filename, module_type } = writeModule(m);
        commands.push({ type: head(c), line, filename, module_type, text: text(c.items[2]) });
        break;
      }
      default: throw new Error(`unsupported command ${head(c) ?? '?'} at line ${line}`);
    }
  }
  writeFileSync(join(dir, `${base}.json`), JSON.stringify({ source_filename: `${base}.wast`, commands }));
}

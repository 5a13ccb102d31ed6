/**
 * Loads a spec-test .wast script as typed commands, converting it with wabt's
 * wast2json into a content-addressed cache outside the repository
 * (os.tmpdir()/xipwasm-spec-cache/<sha256 of wast2json version + script>/).
 * Shared by the front-end runner and, later, the execution runners.
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WAST_LITE_MARKER, convertWastLite } from './wast-lite.js';

export const WAST2JSON = process.env['XIPWASM_WAST2JSON'] ?? 'wast2json';

/** A spec-test value: type is i32/i64/f32/f64/funcref/externref (or v128); value as wast2json prints it. */
export interface WastValue {
  readonly type: string;
  /** decimal bit pattern, "nan:canonical"/"nan:arithmetic", "null", or lanes for v128 */
  readonly value?: string | readonly string[];
  readonly lane_type?: string;
}

export interface WastAction {
  readonly type: 'invoke' | 'get';
  /** registered/$named module, or undefined for the latest */
  readonly module?: string;
  readonly field: string;
  readonly args?: readonly WastValue[];
}

/** A module file produced by wast2json, absolute path. */
export interface WastModuleFile {
  readonly path: string;
  readonly moduleType: 'binary' | 'text';
}

interface Base { readonly line: number }

export type WastCommand =
  | (Base & { readonly type: 'module'; readonly name?: string; readonly module: WastModuleFile })
  | (Base & { readonly type: 'register'; readonly name?: string; readonly as: string })
  | (Base & { readonly type: 'action'; readonly action: WastAction; readonly expected: readonly WastValue[] })
  | (Base & { readonly type: 'assert_return'; readonly action: WastAction; readonly expected: readonly WastValue[] })
  | (Base & { readonly type: 'assert_exhaustion'; readonly action: WastAction; readonly text: string })
  | (Base & { readonly type: 'assert_trap'; readonly action?: WastAction; readonly module?: WastModuleFile; readonly text: string })
  | (Base & { readonly type: 'assert_malformed' | 'assert_invalid' | 'assert_unlinkable' | 'assert_uninstantiable'; readonly module: WastModuleFile; readonly text: string });

export interface WastScript {
  /** the .wast path */
  readonly source: string;
  readonly commands: readonly WastCommand[];
}

/** The testsuite's core directory, or undefined when absent. */
export function findTestsuite(): string | undefined {
  const env = process.env['XIPWASM_TESTSUITE'];
  if (env) return existsSync(env) ? resolve(env) : undefined;
  // dist/test/spec → repo root is three levels up from this file's directory
  const here = dirname(fileURLToPath(import.meta.url));
  for (const root of [resolve(here, '../../..'), resolve(here, '../..'), process.cwd()]) {
    const dir = resolve(root, '../shared/testsuite/core');
    if (existsSync(dir)) return dir;
  }
  return undefined;
}

export function listWastFiles(dir: string): string[] {
  return readdirSync(dir).filter((f) => f.endsWith('.wast')).sort().map((f) => join(dir, f));
}

let wast2jsonVersion: string | undefined;

/** undefined when wast2json cannot be run */
export function wast2jsonAvailable(): string | undefined {
  if (wast2jsonVersion === undefined) {
    try {
      wast2jsonVersion = execFileSync(WAST2JSON, ['--version'], { encoding: 'utf8' }).trim();
    } catch {
      wast2jsonVersion = '';
    }
  }
  return wast2jsonVersion || undefined;
}

export class WastConversionError extends Error {
  constructor(readonly source: string, readonly stderr: string) {
    super(`wast2json failed on ${basename(source)}: ${stderr.split('\n')[0] ?? ''}`);
    this.name = 'WastConversionError';
  }
}

/** Converts (or reuses the cache) and returns the typed commands; throws WastConversionError. */
export function loadWast(wastPath: string, extraFlags: readonly string[] = []): WastScript {
  const content = readFileSync(wastPath);
  // the repository's proposal scripts go through wast-lite (npm wabt's wat2wasm) instead of wast2json
  const lite = content.subarray(0, WAST_LITE_MARKER.length).toString() === WAST_LITE_MARKER;
  const version = lite ? 'wast-lite 1' : wast2jsonAvailable();
  if (!version) throw new WastConversionError(wastPath, `${WAST2JSON} not found`);
  const hash = createHash('sha256').update(version).update('\0').update(extraFlags.join(' ')).update('\0').update(content)
    .digest('hex').slice(0, 24);
  const cacheRoot = join(tmpdir(), 'xipwasm-spec-cache');
  const dir = join(cacheRoot, hash);
  const base = basename(wastPath, '.wast');
  const jsonPath = join(dir, `${base}.json`);
  if (!existsSync(jsonPath)) {
    // convert into a private directory and rename, so parallel runs never see half a cache entry
    mkdirSync(cacheRoot, { recursive: true });
    const tmp = join(cacheRoot, `${hash}.tmp-${process.pid}-${Date.now()}`);
    mkdirSync(tmp, { recursive: true });
    try {
      if (lite) convertWastLite(content.toString('utf8'), tmp, base);
      else execFileSync(WAST2JSON, [...extraFlags, wastPath, '-o', join(tmp, `${base}.json`)], { stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      rmSync(tmp, { recursive: true, force: true });
      const stderr = (e as { stderr?: Buffer }).stderr?.toString() ?? (e instanceof Error ? e.message : String(e));
      throw new WastConversionError(wastPath, stderr);
    }
    try {
      renameSync(tmp, dir);
    } catch {
      // another process won the race; its entry is identical
      rmSync(tmp, { recursive: true, force: true });
    }
  }
  return { source: wastPath, commands: parseJson(readFileSync(jsonPath, 'utf8'), dir) };
}

interface RawCommand {
  type: string;
  line: number;
  name?: string;
  as?: string;
  filename?: string;
  module_type?: string;
  text?: string;
  action?: WastAction;
  expected?: WastValue[];
}

function parseJson(json: string, dir: string): WastCommand[] {
  const raw = (JSON.parse(json) as { commands: RawCommand[] }).commands;
  const out: WastCommand[] = [];
  for (const c of raw) {
    const line = c.line;
    const mod = (): WastModuleFile => ({
      path: join(dir, c.filename ?? ''),
      moduleType: c.module_type === 'text' ? 'text' : 'binary',
    });
    const text = c.text ?? '';
    switch (c.type) {
      case 'module':
        out.push({ type: 'module', line, ...(c.name !== undefined ? { name: c.name } : {}), module: mod() });
        break;
      case 'register':
        out.push({ type: 'register', line, ...(c.name !== undefined ? { name: c.name } : {}), as: c.as ?? '' });
        break;
      case 'action':
      case 'assert_return':
        out.push({ type: c.type, line, action: c.action!, expected: c.expected ?? [] });
        break;
      case 'assert_exhaustion':
        out.push({ type: c.type, line, action: c.action!, text });
        break;
      case 'assert_trap':
        out.push(c.filename !== undefined ? { type: c.type, line, module: mod(), text } : { type: c.type, line, action: c.action!, text });
        break;
      case 'assert_malformed':
      case 'assert_invalid':
      case 'assert_unlinkable':
      case 'assert_uninstantiable':
        out.push({ type: c.type, line, module: mod(), text });
        break;
      default:
        throw new Error(`unknown wast2json command type ${c.type} at line ${line}`);
    }
  }
  return out;
}

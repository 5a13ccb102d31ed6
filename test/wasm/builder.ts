/** Tiny helpers to hand-assemble WebAssembly binaries in tests. */

export function uleb(n: number | bigint): number[] {
  let v = BigInt(n);
  const out: number[] = [];
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v !== 0n) b |= 0x80;
    out.push(b);
  } while (v !== 0n);
  return out;
}

export function sleb(n: number | bigint): number[] {
  let v = BigInt(n);
  const out: number[] = [];
  for (;;) {
    const b = Number(v & 0x7fn);
    v >>= 7n;
    const done = (v === 0n && (b & 0x40) === 0) || (v === -1n && (b & 0x40) !== 0);
    out.push(done ? b : b | 0x80);
    if (done) return out;
  }
}

export function str(s: string): number[] {
  const b = [...new TextEncoder().encode(s)];
  return [...uleb(b.length), ...b];
}

export function vec(items: readonly (readonly number[])[]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

export function section(id: number, content: readonly number[]): number[] {
  return [id, ...uleb(content.length), ...content];
}

export const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

export function wasm(...sections: (readonly number[])[]): Uint8Array {
  return new Uint8Array([...HEADER, ...sections.flat()]);
}

export const I32 = 0x7f, I64 = 0x7e, F32 = 0x7d, F64 = 0x7c, FUNCREF = 0x70, EXTERNREF = 0x6f;

export function funcType(params: readonly number[], results: readonly number[]): number[] {
  return [0x60, ...vec(params.map((p) => [p])), ...vec(results.map((r) => [r]))];
}

export interface FuncSpec {
  params?: number[];
  results?: number[];
  /** local declarations as [count, type] */
  locals?: [number, number][];
  /** operator bytes without the final end */
  code: number[];
}

export interface ModuleSpec {
  funcs: FuncSpec[];
  memory?: boolean;
  /** extra sections placed between function and code sections, already encoded, in order */
  between?: number[][];
}

/** A module with one type per function, optional one-page memory, bodies ending in `end`. */
export function moduleWith(spec: ModuleSpec): Uint8Array {
  const types = spec.funcs.map((f) => funcType(f.params ?? [], f.results ?? []));
  const bodies = spec.funcs.map((f) => {
    const locals = vec((f.locals ?? []).map(([n, t]) => [...uleb(n), t]));
    const body = [...locals, ...f.code, 0x0b];
    return [...uleb(body.length), ...body];
  });
  return wasm(
    section(1, vec(types)),
    section(3, vec(spec.funcs.map((_, i) => uleb(i)))),
    ...(spec.memory ? [section(5, vec([[0x00, 0x01]]))] : []),
    ...(spec.between ?? []),
    section(10, vec(bodies)),
  );
}

/** Offset of the first operator of the single function of moduleWith({funcs:[f]}) without locals. */
export function codeStartOf(bytes: Uint8Array): number {
  // walk sections to the code section, then skip count, body size and local count
  let p = 8;
  for (;;) {
    const id = bytes[p]!;
    p++;
    let size = 0;
    let shift = 0;
    for (;;) {
      const b = bytes[p++]!;
      size |= (b & 0x7f) << shift;
      shift += 7;
      if (!(b & 0x80)) break;
    }
    if (id === 10) {
      p++; // count (1)
      while (bytes[p]! & 0x80) p++;
      p++; // body size
      p++; // local decl count (0)
      return p;
    }
    p += size;
  }
}

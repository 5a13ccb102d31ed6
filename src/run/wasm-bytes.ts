/** The few pieces of the Wasm binary format the driver uses to build its small helper modules. */

export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

/** A name: its UTF-8 length, then its bytes. */
export function name(s: string): number[] {
  const b = [...new TextEncoder().encode(s)];
  return [...uleb(b.length), ...b];
}

/** A section from its encoded body. */
export function section(id: number, body: readonly number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

/** A section whose body is a vector of entries. */
export function vecSection(id: number, items: readonly (readonly number[])[]): number[] {
  return section(id, [...uleb(items.length), ...items.flat()]);
}

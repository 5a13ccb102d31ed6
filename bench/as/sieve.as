// Sieve of Eratosthenes up to 40000 (byte flags in a static buffer), then a hash over the primes and the gaps
// between them. The native baseline is the same algorithm in C: sieve.c next to this file. (Kept as .as so the
// project's tsc does not read it; bench/build.ts copies it to a .ts name for asc.) The small workload (`asc --use
// BENCH_SMALL=1`, as -DBENCH_SMALL=1 for C) sieves up to 4000.
const LIMIT: u32 = isDefined(BENCH_SMALL) ? 4000 : 40000;
const flags = memory.data(LIMIT);

export function run(): i32 {
  let h: u32 = 0x811C9DC5;
  for (let pass: u32 = 0; pass < 2; pass++) {
    const limit = LIMIT - pass * 1000;
    memory.fill(flags, 1, limit);
    store<u8>(flags, 0);
    store<u8>(flags + 1, 0);
    for (let i: u32 = 2; i * i < limit; i++) {
      if (load<u8>(flags + i) != 0) {
        for (let j = i * i; j < limit; j += i) store<u8>(flags + j, 0);
      }
    }
    let count: u32 = 0;
    let prev: u32 = 2;
    for (let i: u32 = 2; i < limit; i++) {
      if (load<u8>(flags + i) != 0) {
        count++;
        h = (h ^ (i - prev)) * 0x01000193;
        prev = i;
      }
    }
    h = (h ^ count) * 0x01000193;
  }
  return <i32>h;
}

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32), so a failure can be run again. */
export function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One of `list`, chosen by `next`. */
export function pick<T>(next: () => number, list: readonly T[]): T {
  return list[Math.floor(next() * list.length)]!;
}

/** Fewer than `most` of `pieces`, each chosen by `next`, joined: a random source for comparing two parsers. */
export function randomText(next: () => number, pieces: readonly string[], most: number): string {
  return Array.from({ length: Math.floor(next() * most) }, () => pick(next, pieces)).join('');
}

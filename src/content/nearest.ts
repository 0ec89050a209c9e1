/** Edit distance between two strings (insertions, deletions and substitutions). */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * The candidate most like `wanted`, for "did you mean" suggestions; undefined when none is close
 * (more than half of the longer string would have to change).
 */
export function nearest(wanted: string, candidates: Iterable<string>): string | undefined {
  const list = [...candidates];
  // A shortened or lengthened form (`expired-link` for `expired-link-reference-cid3006`) is the likeliest.
  const containing = list.filter((c) => wanted.length >= 3 && (c.startsWith(wanted) || wanted.startsWith(c)) && c.length >= 3);
  if (containing.length > 0) return containing.sort((a, b) => editDistance(wanted, a) - editDistance(wanted, b) || (a < b ? -1 : 1))[0];
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of list) {
    const distance = editDistance(wanted, candidate);
    if (distance < bestDistance || (distance === bestDistance && best !== undefined && candidate < best)) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best !== undefined && bestDistance <= Math.max(wanted.length, best.length) / 2 ? best : undefined;
}

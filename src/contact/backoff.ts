/**
 * How long to wait before the next attempt: the base delay doubled for each failure so far,
 * capped, then jittered between half and all of it so that many messages do not retry in step.
 * `random` returns a number in [0, 1).
 */
export function backoffDelay(
  failures: number,
  options: { baseDelayMs: number; maxDelayMs: number },
  random: () => number = Math.random,
): number {
  const exponent = Math.min(Math.max(failures - 1, 0), 30);
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** exponent);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** The delay to use when the server also asked us to wait: the longer of the two, still capped. */
export function retryDelay(
  failures: number,
  options: { baseDelayMs: number; maxDelayMs: number },
  retryAfterMs: number | undefined,
  random?: () => number,
): number {
  const delay = backoffDelay(failures, options, random);
  return retryAfterMs === undefined ? delay : Math.min(options.maxDelayMs, Math.max(delay, retryAfterMs));
}

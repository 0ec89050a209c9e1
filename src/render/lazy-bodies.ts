import type { PreparedBody } from './prepared';

/**
 * Bodies by URL, each made the first time it is asked for and then kept. Start-up only has to
 * know which URLs exist (and that their content is valid); a page nobody asks for is never
 * rendered, and a thousand pages cost nothing until they are read. Iterating makes every body
 * (the export and the page-weight checks do).
 */
export class LazyBodies implements ReadonlyMap<string, PreparedBody> {
  private readonly made = new Map<string, PreparedBody>();

  constructor(private readonly makers: ReadonlyMap<string, () => PreparedBody>) {}

  get(url: string): PreparedBody | undefined {
    let body = this.made.get(url);
    if (body) return body;
    const make = this.makers.get(url);
    if (!make) return undefined;
    body = make();
    this.made.set(url, body);
    return body;
  }

  has(url: string): boolean {
    return this.makers.has(url);
  }

  get size(): number {
    return this.makers.size;
  }

  /** How many bodies have been made so far. */
  get madeCount(): number {
    return this.made.size;
  }

  keys(): MapIterator<string> {
    return this.makers.keys();
  }

  *entries(): MapIterator<[string, PreparedBody]> {
    for (const url of this.makers.keys()) yield [url, this.get(url)!];
  }

  *values(): MapIterator<PreparedBody> {
    for (const url of this.makers.keys()) yield this.get(url)!;
  }

  forEach(callback: (body: PreparedBody, url: string, map: ReadonlyMap<string, PreparedBody>) => void): void {
    for (const [url, body] of this.entries()) callback(body, url, this);
  }

  [Symbol.iterator](): MapIterator<[string, PreparedBody]> {
    return this.entries();
  }
}

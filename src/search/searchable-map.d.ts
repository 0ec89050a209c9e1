declare module 'minisearch/SearchableMap' {
  /**
   * minisearch's radix tree, exported by the package on its own: prefix and edit-distance
   * look-ups over a set of words. Only what the index uses is declared.
   */
  class SearchableMap<T> {
    constructor();
    get size(): number;
    get(key: string): T | undefined;
    has(key: string): boolean;
    set(key: string, value: T): this;
    delete(key: string): void;
    atPrefix(prefix: string): SearchableMap<T>;
    /** Every key within `maxEditDistance` edits of `key`, with its value and distance. */
    fuzzyGet(key: string, maxEditDistance: number): Map<string, [T, number]>;
    keys(): IterableIterator<string>;
    entries(): IterableIterator<[string, T]>;
    [Symbol.iterator](): IterableIterator<[string, T]>;
  }
  export = SearchableMap;
}

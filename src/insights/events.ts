/**
 * What the site tells the content team about where patients get stuck. Routes report events;
 * a recorder decides how they are counted (batched into the same store as the contact outbox).
 * Events carry only what was typed, and a recorder must remove personal data before keeping it.
 */
export type InsightEvent =
  /** A search that returned no results. */
  | { kind: 'search-no-results'; query: string }
  /** A reference code, typed at /cid or in search, that the site does not explain. */
  | { kind: 'unknown-code'; code: string; via: 'cid' | 'search' }
  /** A known reference code looked up through /cid or search. */
  | { kind: 'code-lookup'; code: string };

export interface InsightRecorder {
  /** Never throws and never waits: counting must add no cost to the request. */
  record(event: InsightEvent): void;
}

/** The recorder when nothing is counted (tests, the static export). */
export const NO_INSIGHTS: InsightRecorder = { record: () => undefined };

import fs from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';

/** Every axe-core rule tagged for WCAG 2.0, 2.1 and 2.2 at levels A and AA. */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];

/** The project's axe-core (newer than the one @axe-core/playwright bundles). */
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeOutcome {
  /** One line per rule broken: "rule-id (impact): help. Where: selectors". */
  violations: string[];
  /** The ids of every rule axe ran (passed, failed, needing review or not applicable). */
  rulesRun: string[];
}

export async function runAxe(page: Page): Promise<AxeOutcome> {
  // resultTypes trims the detail axe returns for passing rules; every rule still runs and is listed.
  const results = await new AxeBuilder({ page, axeSource })
    .options({ resultTypes: ['violations'] })
    .withTags(WCAG_TAGS)
    .analyze();
  const rulesRun = [...results.passes, ...results.violations, ...results.incomplete, ...results.inapplicable].map((rule) => rule.id);
  const violations = results.violations.map(
    (rule) =>
      `${rule.id} (${rule.impact ?? 'no impact given'}): ${rule.help}. Where: ${rule.nodes.map((node) => node.target.join(' ')).join(', ')}`,
  );
  return { violations, rulesRun: [...new Set(rulesRun)].sort() };
}

/** Fails, naming what was shown, when axe finds any violation on the page. */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  const { violations } = await runAxe(page);
  expect({ what, violations }).toEqual({ what, violations: [] });
}

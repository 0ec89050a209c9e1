import fs from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import type { NodeResult, Result } from 'axe-core';
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

/**
 * nhsuk-frontend's radios and checkboxes script (common/index.mjs, toggleConditionalInput) sets
 * aria-expanded on an input that reveals conditional content, which ARIA does not allow on a
 * radio or checkbox. We cannot change that script, so exactly that finding is waived: rule
 * aria-allowed-attr, on an nhsuk-frontend radio or checkbox that controls a conditional
 * reveal, when aria-expanded is the only attribute at fault. Anything else on it still fails.
 */
function isUpstreamConditionalReveal(rule: Result, node: NodeResult): boolean {
  if (rule.id !== 'aria-allowed-attr') return false;
  if (!/class="[^"]*\bnhsuk-(radios|checkboxes)__input\b/.test(node.html) || !/\baria-controls="conditional-/.test(node.html)) return false;
  const failing = [...node.all, ...node.none].filter((check) => check.id === 'aria-allowed-attr');
  const attributes = failing.flatMap((check) => (check.data as { values?: string[] } | null)?.values ?? ['?']);
  return node.any.length === 0 && attributes.length > 0 && attributes.every((attribute) => attribute.startsWith('aria-expanded='));
}

export async function runAxe(page: Page): Promise<AxeOutcome> {
  // resultTypes trims the detail axe returns for passing rules; every rule still runs and is listed.
  const results = await new AxeBuilder({ page, axeSource }).options({ resultTypes: ['violations'] }).withTags(WCAG_TAGS).analyze();
  const rulesRun = [...results.passes, ...results.violations, ...results.incomplete, ...results.inapplicable].map((rule) => rule.id);
  const violations = results.violations
    .map((rule) => ({ rule, nodes: rule.nodes.filter((node) => !isUpstreamConditionalReveal(rule, node)) }))
    .filter(({ nodes }) => nodes.length > 0)
    .map(({ rule, nodes }) => `${rule.id} (${rule.impact ?? 'no impact given'}): ${rule.help}. Where: ${nodes.map((node) => node.target.join(' ')).join(', ')}`);
  return { violations, rulesRun: [...new Set(rulesRun)].sort() };
}

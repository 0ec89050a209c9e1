import fs from 'node:fs';
import type { Page } from 'playwright-core';

/**
 * The IBM Equal Access engine (accessibility-checker-engine), a second accessibility engine
 * beside axe with rules of its own. Its rules are bundled in `ace.js`, so it runs offline inside
 * the page. It is evaluated through the browser's debugging protocol, as axe is, so the page's
 * Content Security Policy stays as strict as it is for patients.
 */
const aceSource = fs.readFileSync(require.resolve('accessibility-checker-engine/ace.js'), 'utf8');

/** The rule set the engine's own tools use by default: WCAG 2.2 A and AA plus IBM's requirements. */
export const EQUAL_ACCESS_POLICY = 'IBM_Accessibility';

export interface EqualAccessOutcome {
  /** Definite failures ("violation"): each must be fixed. */
  violations: string[];
  /** Things a person must judge ("potentialviolation", "recommendation", …), as "ruleId: message". */
  warnings: string[];
  rulesRun: number;
}

interface AceResult {
  ruleId: string;
  /** [VIOLATION | RECOMMENDATION | INFORMATION, PASS | FAIL | POTENTIAL | MANUAL]. */
  value: [string, string];
  message: string;
  path: { dom: string };
  snippet: string;
}

/**
 * Warnings ("needs review" and recommendations) we have looked at and accepted, by rule id, with
 * the reason. docs/accessibility.md lists the same. Any other warning fails the page.
 */
export const ACCEPTED_WARNINGS: Record<string, string> = {
  aria_role_redundant:
    "nhsuk-frontend's header, footer, contents list and pagination templates give landmarks their implicit roles on purpose, for older screen readers",
  input_label_visible: "nhsuk-frontend's header search has a visually hidden label and a visible placeholder and search icon, as on nhs.uk",
  element_tabbable_unobscured:
    'asks a person to confirm that nothing covers a focused element: nothing on the site is fixed over content, and the sticky contents list sits beside the article',
  style_color_misuse:
    'asks a person to confirm colour is not the only cue: links are underlined, the current section is marked with a dash and bold text, and highlights also change weight',
  style_highcontrast_visible:
    "asks a person to check Windows high contrast mode: nhsuk-frontend's icons use forced-colors styles, and our CSS adds no content images",
  text_sensory_misuse:
    'flags words like "below" and "right" in content: they refer to reading order (the next paragraph) or mean "correct", not screen position',
  text_block_heading: 'flags short bold text such as form labels and the result count: these are labels and status text, not headings',
  input_fields_grouped:
    'suggests a fieldset around the contact form: its name and email fields are separate questions, and each radio group already has its own fieldset',
};

/** A definite failure: what the engine's own report calls a "violation". */
function isViolation(result: AceResult): boolean {
  return result.value[0] === 'VIOLATION' && result.value[1] === 'FAIL';
}

/** Runs the engine over the page as it is now. */
export async function runEqualAccess(page: Page): Promise<EqualAccessOutcome> {
  const loaded = await page.evaluate('typeof window.ace === "object"');
  if (!loaded) await page.evaluate(`${aceSource}\n;window.ace = ace;`);
  const report = await page.evaluate<{ numExecuted: number; results: AceResult[] }>(
    `(async () => {
      const report = await new window.ace.Checker().check(document, [${JSON.stringify(EQUAL_ACCESS_POLICY)}]);
      return {
        numExecuted: report.numExecuted,
        results: report.results
          .filter((r) => r.value[1] !== 'PASS' && r.value[0] !== 'INFORMATION')
          .map((r) => ({ ruleId: r.ruleId, value: r.value, message: r.message, path: { dom: r.path.dom }, snippet: r.snippet })),
      };
    })()`,
  );
  const line = (r: AceResult): string => `${r.ruleId}: ${r.message} Where: ${r.path.dom} ${r.snippet.slice(0, 120)}`;
  return {
    violations: report.results.filter(isViolation).map(line),
    warnings: report.results.filter((r) => !isViolation(r) && !(r.ruleId in ACCEPTED_WARNINGS)).map(line),
    rulesRun: report.numExecuted,
  };
}

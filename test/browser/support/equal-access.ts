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
  level: string;
  message: string;
  path: { dom: string };
  snippet: string;
}

/** Warnings we have looked at and accepted, by rule id and the reason recorded in docs/accessibility.md. */
export const ACCEPTED_WARNINGS: Record<string, string> = {};

/** Runs the engine over the page as it is now. */
export async function runEqualAccess(page: Page): Promise<EqualAccessOutcome> {
  const loaded = await page.evaluate('typeof window.ace === "object"');
  if (!loaded) await page.evaluate(`${aceSource}\n;window.ace = ace;`);
  const report = (await page.evaluate(
    `(async () => {
      const report = await new window.ace.Checker().check(document, [${JSON.stringify(EQUAL_ACCESS_POLICY)}]);
      return {
        numExecuted: report.numExecuted,
        results: report.results
          .filter((r) => r.level !== 'pass')
          .map((r) => ({ ruleId: r.ruleId, level: r.level, message: r.message, path: { dom: r.path.dom }, snippet: r.snippet })),
      };
    })()`,
  )) as { numExecuted: number; results: AceResult[] };
  const line = (r: AceResult): string => `${r.ruleId}: ${r.message} Where: ${r.path.dom} ${r.snippet.slice(0, 120)}`;
  return {
    violations: report.results.filter((r) => r.level === 'violation').map(line),
    warnings: report.results.filter((r) => r.level !== 'violation' && !(r.ruleId in ACCEPTED_WARNINGS)).map(line),
    rulesRun: report.numExecuted,
  };
}

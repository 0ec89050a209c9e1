import { loadConfig } from '../config';
import { MAX_READING_AGE, checkContent, readabilityOf } from '../content/check';
import { ContentError, formatProblem } from '../content/errors';
import { readDataFile } from '../content/files';
import { LEDGER_FILE } from '../content/ledger';
import { loadSite } from '../render/rendered-site';
import { createViews } from '../render/views';

/**
 * `npm run check:content`: loads the content, runs the editorial checks and the ledger of published
 * links (content/_data/published.txt), and prints every problem, each with file and line.
 */
function main(): number {
  const config = loadConfig(process.env);
  const views = createViews(config.viewsDir);
  let problems;
  try {
    const site = loadSite(config.contentDir, config.viewsDir, views, { prose: true });
    const readability = readabilityOf(site);
    process.stdout.write(`Reading age of each article (Flesch-Kincaid grade + 5; ${MAX_READING_AGE} or below):\n`);
    for (const article of readability) {
      process.stdout.write(`  ${article.file}: ${article.readingAge.toFixed(1)}${article.reportedOnly ? ' (reported only)' : ''}\n`);
    }
    const warnings = readability.flatMap((article) => article.longSentences);
    if (warnings.length > 0) {
      process.stdout.write(`${warnings.length} warning${warnings.length === 1 ? '' : 's'}:\n`);
      for (const warning of warnings) process.stdout.write(`  ${formatProblem(warning)}\n`);
    }
    problems = checkContent(site, readDataFile(config.contentDir, LEDGER_FILE));
  } catch (error) {
    if (!(error instanceof ContentError)) throw error;
    problems = error.problems;
  }
  if (problems.length === 0) {
    process.stdout.write(`Content check passed: ${config.contentDir}\n`);
    return 0;
  }
  process.stderr.write(`Content check found ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n`);
  for (const problem of problems) process.stderr.write(`  ${formatProblem(problem)}\n`);
  return 1;
}

process.exitCode = main();

import path from 'node:path';
import { loadConfig } from '../config';
import { describeFailure } from '../content/errors';
import { writeExport } from '../render/export';
import { startUp } from '../render/startup';

/** `npm run export -- <dir>`: writes the whole site as static files. */
function main(): number {
  const outDir = process.argv[2];
  if (!outDir) {
    process.stderr.write('Usage: npm run export -- <folder>\n');
    return 2;
  }
  try {
    const config = loadConfig(process.env);
    const count = writeExport(startUp(config), path.resolve(outDir), { feedbackUrl: config.feedback.url });
    process.stdout.write(`Exported ${count} files to ${path.resolve(outDir)} for ${config.baseUrl}\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`${describeFailure(error, 'Export failed')}\n`);
    return 1;
  }
}

process.exitCode = main();

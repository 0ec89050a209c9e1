import fs from 'node:fs';
import path from 'node:path';
import { COMPILED_VIEWS_FILE, buildCompiledViews, compiledViewsFile } from '../render/views';

/** `npm run build` (after tsc): compiles every view, for start-up to run rather than compile (see readCompiledViews). */
const viewsDir = path.join(__dirname, '..', '..', 'views');
const views = buildCompiledViews(viewsDir);
fs.writeFileSync(COMPILED_VIEWS_FILE, compiledViewsFile(views));
process.stdout.write(`Compiled ${views.length} views into ${path.relative(process.cwd(), COMPILED_VIEWS_FILE)}\n`);

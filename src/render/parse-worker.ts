import { parentPort, workerData } from 'node:worker_threads';
import type { SourceFile } from '../content/files';
import { pageLoader } from '../content/site';
import { buildOptions } from './parse-options';
import { createViews } from './views';

/**
 * A start-up worker (see parseContent): parses and checks each batch of content files it is
 * sent, exactly as the server does, and sends back what loading each file gave.
 */
const { contentDir, viewsDir, keepHtml } = workerData as { contentDir: string; viewsDir: string; keepHtml: boolean };
const load = pageLoader(buildOptions(contentDir, viewsDir, createViews(viewsDir), { html: keepHtml }));
parentPort!.on('message', (files: SourceFile[]) => parentPort!.postMessage(load(files)));

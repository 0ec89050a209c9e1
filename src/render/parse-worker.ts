import { parentPort, workerData } from 'node:worker_threads';
import { pageLoader } from '../content/site';
import { buildOptions } from './parse-options';
import { compileViews, createViews, readCompiledViews } from './views';
import type { WorkerRequest, WorkerReply } from './parse-in-workers';

/**
 * A start-up worker (see parseContent): parses and checks each batch of content files it is
 * sent, exactly as the server does, and sends back what loading each file gave; asked for
 * templates, it compiles them for the server (see compileViews).
 */
const { contentDir, viewsDir, keepHtml } = workerData as { contentDir: string; viewsDir: string; keepHtml: boolean };
const load = pageLoader(buildOptions(contentDir, viewsDir, createViews(viewsDir, { compiled: readCompiledViews() }), { html: keepHtml }));
const reply = (message: WorkerReply): void => parentPort!.postMessage(message);
parentPort!.on('message', (request: WorkerRequest) =>
  reply('templates' in request ? { views: compileViews(viewsDir, request.templates) } : { loaded: load(request.files) }),
);

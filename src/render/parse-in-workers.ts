import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { SourceFile } from '../content/files';
import { readContentFiles, urlFromPath } from '../content/files';
import type { LoadedFile } from '../content/site';
import { pageLoader, pageOrder } from '../content/site';
import { buildOptions } from './parse-options';
import type { CompiledView, CompiledViews } from './views';
import { createViews, readCompiledViews } from './views';
import { pageTemplates } from './rendered-site';
import { IndexOnWorker } from '../search/index-on-worker';
import { pageSectionFields } from '../search/search-index';
import type { ParsedFiles } from './parse-options';

/**
 * Fewer files than this per thread are parsed sooner by the server alone than a worker could
 * start and help: on two cores that share their caches, a worker's start and the copy of what
 * it parsed cost more than it saves below 1,000 to 3,000 files (docs/performance.md).
 */
export const FILES_PER_THREAD = 1000;
/**
 * From this many files, when no worker parses, a worker indexes the sections' text while this
 * thread parses (see IndexOnWorker): below it, the worker's start costs more than it saves.
 */
export const INDEX_ON_WORKER_FILES = 200;
/** Files sent to a worker at a time: small enough to share the work out evenly. */
const BATCH = 32;
/** The worker's compiled file, next to this one. Missing when the sources run untranspiled (the tests). */
export const WORKER_FILE = path.join(__dirname, 'parse-worker.js');

/** How many workers to parse `fileCount` files with, beside the server's own thread: none when the machine has one core or the content is small. */
export function workerCount(fileCount: number, cores = os.availableParallelism(), cap = 3): number {
  const threads = Math.min(cores, cap + 1, Math.floor(fileCount / FILES_PER_THREAD));
  return threads >= 2 ? threads - 1 : 0;
}

/** A page's HTML comes back from a worker as a plain Uint8Array: the Buffer the site keeps, over the same memory. */
function asLoaded(loaded: LoadedFile): LoadedFile {
  const html = loaded.page?.html as Uint8Array | undefined;
  if (loaded.page && html && !Buffer.isBuffer(html)) loaded.page.html = Buffer.from(html.buffer, html.byteOffset, html.byteLength);
  return loaded;
}

/** What the server asks a worker: to parse files, or to compile templates. */
export type WorkerRequest = { files: readonly SourceFile[] } | { templates: readonly string[] };
/** What a worker answers. */
export type WorkerReply = { loaded: LoadedFile[] } | { views: CompiledView[] };

/** Lets queued messages from the workers be handled. */
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Reads the content folder and parses its files a batch at a time: on this thread alone, or, when
 * the content is large and the machine has the cores, on workers and on this thread at once, so
 * that start-up uses every core. What each file gave is what parsing it here gives (buildSite takes it from `loaded`, and
 * parses any file missing there itself), keeping each page's HTML or not, and the options
 * parsing used, for building the site with. A file parsed here or on a worker no longer holds
 * its text. A worker that fails fails the whole load. `views` gives the templates the build
 * compiled (readCompiledViews); when there are none, the first worker left without files
 * compiles those pages are rendered with (see pageTemplates) while the server builds the site,
 * or none if that fails. `workers` overrides the count. With no workers, 200 files or more and a
 * second core (or `indexOnWorker`), the files are parsed in the order of the site's pages and
 * their sections indexed on a worker meanwhile (IndexOnWorker): `search` gives that index.
 */
export async function parseContent(
  contentDir: string,
  viewsDir: string,
  keepHtml: boolean,
  workers?: number,
  indexOnWorker?: boolean,
): Promise<ParsedFiles> {
  const files = readContentFiles(contentDir);
  const loaded = new WeakMap<SourceFile, LoadedFile>();
  const count = workers ?? (fs.existsSync(WORKER_FILE) ? workerCount(files.length) : 0);
  // The site's search index is made afresh at start-up: its text can be indexed as it is parsed,
  // on the other core, when no worker parses.
  const indexBeside = indexOnWorker ?? (count === 0 && files.length >= INDEX_ON_WORKER_FILES && os.availableParallelism() >= 2);
  // Parsed in the order of the site's pages, which is the order its sections are indexed in;
  // the files are given back in their own order, which building the site keeps.
  const queue = indexBeside
    ? files
        .map((file) => ({ file, url: urlFromPath(file.relativePath) }))
        .sort(pageOrder)
        .map(({ file }) => file)
    : files;
  let next = 0;
  const take = (): SourceFile[] => {
    const batch = queue.slice(next, next + BATCH);
    next += batch.length;
    return batch;
  };
  let indexing: IndexOnWorker | undefined;
  const started: Worker[] = [];
  // Once what a file gave is kept, its text is read no more: at 10,000 articles the texts are
  // over 200 MB, and held until the site is built they were still in the heap when the server
  // became ready. A worker was sent its own copy.
  const keep = (batch: readonly SourceFile[], results: LoadedFile[]): void =>
    results.forEach((result, i) => {
      loaded.set(batch[i]!, asLoaded(result));
      batch[i]!.text = '';
    });
  let compiling: Worker | undefined;
  const built = readCompiledViews();
  let views: CompiledViews = built;
  /** Asks a worker done parsing for the templates; it stops once it has answered. */
  const compileOn = (worker: Worker): void => {
    compiling = worker;
    views = new Promise<CompiledView[]>((resolve) => {
      worker.on('message', (reply: WorkerReply) => {
        if ('views' in reply) resolve(reply.views);
      });
      worker.once('error', () => resolve([]));
      worker.once('exit', () => resolve([]));
      const request: WorkerRequest = { templates: pageTemplates(viewsDir) };
      worker.postMessage(request);
    }).finally(() => void worker.terminate());
  };
  try {
    indexing = indexBeside ? IndexOnWorker.start() : undefined;
    for (let i = 0; i < count; i += 1) started.push(new Worker(WORKER_FILE, { workerData: { contentDir, viewsDir, keepHtml } }));
    const done = started.map(
      (worker) =>
        new Promise<void>((resolve, reject) => {
          // Two batches in flight, so that a worker is not idle while this thread parses.
          const inFlight: SourceFile[][] = [];
          const send = (): void => {
            const batch = take();
            if (batch.length > 0) {
              inFlight.push(batch);
              const request: WorkerRequest = { files: batch };
              worker.postMessage(request);
            } else if (inFlight.length === 0) {
              if (!compiling && built.length === 0) compileOn(worker);
              resolve();
            }
          };
          worker.on('message', (reply: WorkerReply) => {
            if (!('loaded' in reply)) return;
            keep(inFlight.shift()!, reply.loaded);
            send();
          });
          worker.once('error', reject);
          worker.once('exit', (code) => reject(new Error(`a content parsing worker stopped (exit code ${code})`)));
          send();
          send();
        }),
    );
    // Handled now: a worker may fail while this thread is still parsing.
    const finished = Promise.all(done);
    finished.catch(() => undefined);
    // Made while the workers start: this thread's share (every file, when there are none), then building the site, use them.
    const made = buildOptions(contentDir, viewsDir, createViews(viewsDir, { compiled: built }), { html: keepHtml });
    const load = pageLoader(made);
    for (let batch = take(); batch.length > 0; batch = take()) {
      const results = load(batch);
      indexing?.add(results.flatMap((result) => (result.page ? pageSectionFields(result.page) : [])));
      keep(batch, results);
      await turn();
    }
    await finished;
    return { files, loaded, options: made, views, search: await indexing?.finish() };
  } catch (error) {
    if (compiling) await compiling.terminate();
    await indexing?.stop();
    throw error;
  } finally {
    await Promise.all(started.filter((worker) => worker !== compiling).map((worker) => worker.terminate()));
  }
}

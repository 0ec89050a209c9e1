import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type nunjucks from 'nunjucks';
import { ContentError } from '../content/errors';
import type { RenderedSite, RenderOptions } from './rendered-site';
import { pageBodies, renderDocuments, renderNotFoundPage, returnVariants } from './rendered-site';
import type { Logger } from '../logger';
import { forgetCompiledViews } from './views';
import type { SiteContext } from './view-models/page-view';

/** The project folder: paths in the error banner are shown relative to it. */
const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

/** A folder and every folder below it. */
function foldersUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const found = [dir];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory() && !entry.name.startsWith('.')) found.push(...foldersUnder(path.join(dir, entry.name)));
  }
  return found;
}

/** A message with every absolute path under the project, or under a watched folder's parent, made relative. */
export function withRelativePaths(message: string, roots: string[]): string {
  let result = message;
  for (const root of [PROJECT_ROOT, ...roots.map((dir) => path.dirname(dir))].sort((a, b) => b.length - a.length)) {
    if (root === path.parse(root).root) continue;
    result = result.split(`${root}${path.sep}`).join('');
  }
  return result;
}

/** What changed since the last build: only markdown files, or something else (views, folders, data). */
export interface Change {
  /** Every page and all markdown must be rendered again. */
  all: boolean;
}

export interface LiveSite {
  current(): RenderedSite;
  /**
   * Rebuilds from the files; on a problem keeps serving the last good site, with an error
   * banner. Resolves with the problem, if any. A reload asked for during another waits for it.
   */
  reload(change?: Change): Promise<string | undefined>;
  /** Reloads whenever a file under one of the folders changes, or a folder is deleted and made again. Returns a function that stops watching. */
  watch(dirs: string[], delayMs?: number): () => void;
  /** Resolves when the next reload finishes, with its problem, if any. */
  nextReload(): Promise<string | undefined>;
  /** How many reloads have finished. */
  reloadCount(): number;
}

/**
 * Development mode: the site is rebuilt when content or views change, without a restart. An
 * edit to an article renders again only what it affects (see renderSite); the event loop gets
 * a turn between pages, so the old version keeps being served until the new one is ready. A bad
 * edit never takes the site down: the last good version keeps serving, and every page shows the
 * problem (file, line and what is wrong) in a banner, as the terminal does.
 */
export function createLiveSite(options: {
  build: (options: RenderOptions) => RenderedSite | Promise<RenderedSite>;
  views: nunjucks.Environment;
  context: SiteContext;
  logger: Logger;
  /** The site start-up already rendered; built here when not given. */
  initial?: RenderedSite;
  /** Folders whose paths the banner shows relative to their parent (the content folder). */
  roots?: string[];
}): LiveSite & { ready: Promise<void> } {
  const { build, views, context, logger } = options;
  let roots = options.roots ?? [];
  let lastGood: RenderedSite | undefined = options.initial;
  let serving: RenderedSite | undefined = options.initial;
  const ready = lastGood
    ? Promise.resolve()
    : Promise.resolve(build({ reusable: true })).then((site) => {
        lastGood = site;
        serving = site;
      });

  /** The last good site with the banner on every page: each page is rendered again when next asked for. */
  const withBanner = (good: RenderedSite): RenderedSite => ({
    ...good,
    pages: pageBodies(good.site, views, context),
    documents: renderDocuments(good.site, views, context),
    withReturn: returnVariants(good.site, views, context),
    notFound: renderNotFoundPage(views),
  });

  const rebuild = async (change: Change): Promise<string | undefined> => {
    await ready;
    const started = performance.now();
    views.addGlobal('devError', '');
    if (change.all) forgetCompiledViews(views);
    let built: RenderedSite;
    try {
      // After a banner, unchanged pages are taken from the last good site, which never had it.
      built = await build({ previous: lastGood, all: change.all, reusable: true });
    } catch (error) {
      const raw = error instanceof ContentError ? error.message : `Could not rebuild the site: ${(error as Error).message}`;
      const message = withRelativePaths(raw, roots);
      logger.error(message);
      views.addGlobal('devError', message);
      try {
        serving = withBanner(lastGood!);
      } catch {
        serving = lastGood; // the views themselves are broken: serve the last good pages as they were
      }
      return message;
    }
    lastGood = built;
    serving = built;
    logger.info({ pages: built.pages.size, ms: Math.round(performance.now() - started) }, 'content reloaded');
    return undefined;
  };

  let queue: Promise<string | undefined> = Promise.resolve(undefined);
  let finished = 0;
  let waiting: ((problem: string | undefined) => void)[] = [];
  const reload = (change: Change = { all: true }): Promise<string | undefined> => {
    const run = queue.then(() => rebuild(change));
    queue = run.catch(() => undefined);
    void run.then((problem) => {
      finished += 1;
      const listeners = waiting;
      waiting = [];
      listeners.forEach((resolve) => resolve(problem));
    });
    return run;
  };

  return {
    ready,
    current: () => {
      if (!serving) throw new Error('The site is not built yet');
      return serving;
    },
    reload,
    reloadCount: () => finished,
    nextReload: () => new Promise((resolve) => waiting.push(resolve)),
    watch(dirs, delayMs = 50) {
      roots = [...new Set([...roots, ...dirs])];
      // One watcher per folder, not per file: editors that save by renaming a new file into
      // place replace the file, and a watch on the old file would miss every later change.
      // Each watched folder's parent is watched too, for that folder being deleted and made again.
      const watchers = new Map<string, { watcher: fs.FSWatcher; ino: number }>();
      let timer: NodeJS.Timeout | undefined;
      let pending: Change | undefined;
      let stopped = false;
      const watchFolder = (dir: string, onChange: (filename: string) => void): void => {
        const ino = fs.statSync(dir, { throwIfNoEntry: false })?.ino;
        const existing = watchers.get(dir);
        if (existing && existing.ino === ino) return;
        existing?.watcher.close();
        watchers.delete(dir);
        if (ino === undefined) return;
        try {
          const watcher = fs.watch(dir, (_event, filename) => onChange(filename?.toString() ?? ''));
          // A folder that disappears ends its watcher: forget it, so it is watched again once it is back.
          watcher.on('error', () => {
            watcher.close();
            if (watchers.get(dir)?.watcher === watcher) watchers.delete(dir);
            schedule({ all: true });
          });
          watchers.set(dir, { watcher, ino });
        } catch {
          // Gone between the stat and the watch: the parent's watcher will see it come back.
        }
      };
      const watchFolders = (): void => {
        for (const [dir, { watcher }] of watchers) {
          if (!fs.existsSync(dir)) {
            watcher.close();
            watchers.delete(dir);
          }
        }
        for (const root of dirs) {
          const parent = path.dirname(root);
          watchFolder(parent, (name) => {
            if (name === path.basename(root)) schedule({ all: true });
          });
          for (const dir of foldersUnder(root)) watchFolder(dir, (name) => schedule({ all: !name.endsWith('.md') }));
        }
      };
      function schedule(change: Change): void {
        pending = { all: Boolean(pending?.all) || change.all };
        clearTimeout(timer);
        timer = setTimeout(() => {
          const next = pending!;
          pending = undefined;
          void reload(next).then(() => {
            if (!stopped) watchFolders();
          });
        }, delayMs);
      }
      watchFolders();
      return () => {
        stopped = true;
        clearTimeout(timer);
        watchers.forEach(({ watcher }) => watcher.close());
      };
    },
  };
}

import fs from 'node:fs';
import path from 'node:path';
import type nunjucks from 'nunjucks';
import { ContentError } from '../content/errors';
import type { RenderedSite } from './rendered-site';
import { renderDocuments, renderPages, returnVariants } from './rendered-site';
import type { Logger } from '../logger';
import type { SiteContext } from './view-models/page-view';

/** A folder and every folder below it. */
function foldersUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const found = [dir];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory() && !entry.name.startsWith('.')) found.push(...foldersUnder(path.join(dir, entry.name)));
  }
  return found;
}

export interface LiveSite {
  current(): RenderedSite;
  /** Rebuilds from the files; on a problem keeps serving the last good site, with an error banner. Returns the problem, if any. */
  reload(): string | undefined;
  /** Reloads whenever a file under one of the folders changes. Returns a function that stops watching. */
  watch(dirs: string[], delayMs?: number): () => void;
}

/**
 * Development mode: the site is rebuilt when content or views change, without a restart. A bad
 * edit never takes the site down: the last good version keeps serving, and every page shows the
 * problem (file, line and what is wrong) in a banner, as the terminal does.
 */
export function createLiveSite(options: {
  build: () => RenderedSite;
  views: nunjucks.Environment;
  context: SiteContext;
  logger: Logger;
}): LiveSite {
  const { build, views, context, logger } = options;
  let lastGood = build();
  let serving = lastGood;

  const reload = (): string | undefined => {
    views.addGlobal('devError', '');
    try {
      lastGood = build();
      serving = lastGood;
      logger.info({ pages: lastGood.pages.size }, 'content reloaded');
      return undefined;
    } catch (error) {
      const message = error instanceof ContentError ? error.message : `Could not rebuild the site: ${(error as Error).message}`;
      logger.error(message);
      views.addGlobal('devError', message);
      try {
        serving = {
          ...lastGood,
          pages: renderPages(lastGood.site, views, context),
          documents: renderDocuments(lastGood.site, views, context),
          withReturn: returnVariants(lastGood.site, views, context),
        };
      } catch {
        serving = lastGood; // the views themselves are broken: serve the last good pages as they were
      }
      return message;
    }
  };

  return {
    current: () => serving,
    reload,
    watch(dirs, delayMs = 150) {
      // One watcher per folder, not per file: editors that save by renaming a new file into
      // place replace the file, and a watch on the old file would miss every later change.
      const watchers = new Map<string, fs.FSWatcher>();
      let timer: NodeJS.Timeout | undefined;
      const watchFolders = (): void => {
        for (const dir of dirs.flatMap(foldersUnder)) {
          if (!watchers.has(dir)) watchers.set(dir, fs.watch(dir, schedule));
        }
      };
      function schedule(): void {
        clearTimeout(timer);
        timer = setTimeout(() => {
          reload();
          watchFolders();
        }, delayMs);
      }
      watchFolders();
      return () => {
        clearTimeout(timer);
        watchers.forEach((w) => w.close());
      };
    },
  };
}

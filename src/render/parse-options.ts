import fs from 'node:fs';
import path from 'node:path';
import type nunjucks from 'nunjucks';
import type { SourceFile } from '../content/files';
import { readDataFile, readImageFiles } from '../content/files';
import { createMarkdown } from '../content/markdown';
import { RETIRED_CODES_FILE } from '../content/retired-codes';
import type { BuildOptions, LoadedFile } from '../content/site';
import { readSnippets } from '../content/snippets';
import type { CompiledViews } from './views';
import type { PrebuiltIndex } from '../search/index-on-worker';
import { componentRenderer } from './views';

/** The layouts content may name: every `views/layouts/*.njk` except the base layout. */
export function listLayouts(viewsDir: string): Set<string> {
  const dir = path.join(viewsDir, 'layouts');
  return new Set(
    fs
      .readdirSync(dir)
      .filter((name) => name.endsWith('.njk') && name !== 'base.njk')
      .map((name) => `layouts/${name}`),
  );
}

/**
 * Content files and what loading each gave, when they were parsed before the site is built, with
 * the options they were parsed with: building the site from them uses the same options (snippets,
 * images, markdown parser, what is kept) rather than reading and making them again.
 */
export interface ParsedFiles {
  files: SourceFile[];
  loaded: WeakMap<SourceFile, LoadedFile>;
  options: BuildOptions;
  /** Templates compiled by the build, or meanwhile on a worker (see parseContent), for the server's views. */
  views: CompiledViews;
  /** The sections' text, indexed on a worker while the files were parsed (see IndexOnWorker). */
  search?: PrebuiltIndex;
}

/** What loading keeps: prose for the reading-age checks, and each page's HTML (see BuildOptions). */
export interface Keep {
  prose?: boolean;
  html?: boolean;
}

/** How a content folder's files are parsed and checked: the same in the server and in a parsing worker. */
export function buildOptions(contentDir: string, viewsDir: string, views: nunjucks.Environment, keep: Keep = {}): BuildOptions {
  return {
    renderMarkdown: createMarkdown(componentRenderer(views), { snippets: readSnippets(contentDir), prose: keep.prose }),
    layouts: listLayouts(viewsDir),
    images: readImageFiles(contentDir),
    retiredCodes: readDataFile(contentDir, RETIRED_CODES_FILE),
    prose: keep.prose,
    keepHtml: keep.html,
  };
}

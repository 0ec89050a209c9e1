import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { FileChangedError } from '../../src/content/files';
import type { Site } from '../../src/content/site';
import { loadSite } from '../../src/render/rendered-site';
import { createViews } from '../../src/render/views';
import { useCompiledServer } from '../contact/helpers/server-process';
import { fixtureContent, manyResultsContent, siteContent, testConfig } from '../helpers/app';
import { InvertedIndex } from '../../src/search/inverted-index';
import { renderSite } from '../../src/render/rendered-site';
import type { RenderedSite } from '../../src/render/rendered-site';
import { tokenize } from '../../src/search/terms';
import { startUp } from '../../src/render/startup';
import type * as ParseModule from '../../src/render/parse-in-workers';
import type * as ViewsModule from '../../src/render/views';
import type * as IndexModule from '../../src/search/index-on-worker';

const config = loadConfig({});
const views = createViews(config.viewsDir);
const compiled = useCompiledServer();
/** The compiled module: its workers run the compiled parse-worker.js beside it. */
const workers = (): Promise<typeof ParseModule> =>
  import(path.join(compiled(), 'render', 'parse-in-workers.js')) as Promise<typeof ParseModule>;

/** What a page is to the rest of the site, and its HTML. */
function shapeOf(site: Site): unknown[] {
  return site.pages.map((page) => ({
    url: page.url,
    title: page.title,
    file: page.file,
    headings: page.headings,
    sections: page.sections,
    links: page.links,
    html: site.htmlOf(page),
  }));
}

describe('parsing the content on worker threads', () => {
  it('gives the same site as parsing it in the server', async () => {
    const parsed = await (await workers()).parseContent(fixtureContent, config.viewsDir, false, 2);
    // Every file was parsed, here or on a worker, and no longer holds its text.
    for (const file of parsed.files) expect([parsed.loaded.has(file), file.text]).toEqual([true, '']);
    const inWorkers = loadSite(fixtureContent, config.viewsDir, views, { parsed, keepHtml: false });
    const here = loadSite(fixtureContent, config.viewsDir, views, { keepHtml: false });
    expect(inWorkers.pages.length).toBeGreaterThan(3);
    expect(shapeOf(inWorkers)).toEqual(shapeOf(here));
    expect([...inWorkers.codes.keys()]).toEqual([...here.codes.keys()]);
  });

  it('indexes for search as the server alone does', async () => {
    const parsed = await (await workers()).parseContent(fixtureContent, config.viewsDir, false, 1);
    const inWorkers = startUp(testConfig({ contentDir: fixtureContent }), parsed).rendered.search;
    const here = startUp(testConfig({ contentDir: fixtureContent })).rendered.search;
    expect(inWorkers.size).toBe(here.size);
    expect(here.search('phone').hits.length).toBeGreaterThan(0);
    for (const query of ['mobile phone', 'phone', 'CID3006', 'security code not arriving', 'pasword', 'login']) {
      expect(inWorkers.search(query).hits).toEqual(here.search(query).hits);
    }
  });

  it('keeps each page HTML when asked, as Buffers', async () => {
    const parsed = await (await workers()).parseContent(fixtureContent, config.viewsDir, true, 1);
    const site = loadSite(fixtureContent, config.viewsDir, views, { parsed });
    for (const page of site.pages) expect(Buffer.isBuffer(page.html)).toBe(true);
    expect(shapeOf(site)).toEqual(shapeOf(loadSite(fixtureContent, config.viewsDir, views)));
  });

  it('builds the site with the options the files were parsed with: snippets are read once', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'help-parsed-options-'));
    try {
      fs.cpSync(path.join(__dirname, '..', 'fixtures', 'snippets'), dir, { recursive: true });
      const parsed = await (await workers()).parseContent(dir, config.viewsDir, false, 1);
      const before = loadSite(dir, config.viewsDir, views);
      const snippets = path.join(dir, '_snippets');
      for (const name of fs.readdirSync(snippets)) fs.writeFileSync(path.join(snippets, name), 'Changed after start-up.\n');
      // A page's HTML, rendered from its file when first asked for, has the snippets as parsed.
      const site = loadSite(dir, config.viewsDir, views, { parsed });
      for (const page of site.pages) expect(page.html).toBeUndefined();
      expect(shapeOf(site)).toEqual(shapeOf(before));
      expect(site.pages.map((page) => site.htmlOf(page)).join('')).not.toContain('Changed after start-up');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports the same content problems, naming file and line', async () => {
    const broken = path.join(__dirname, '..', 'fixtures', 'broken');
    const here = (): Site => loadSite(broken, config.viewsDir, views);
    expect(here).toThrow(/\.md:\d+/);
    const parsed = await (await workers()).parseContent(broken, config.viewsDir, false, 2);
    expect(() => loadSite(broken, config.viewsDir, views, { parsed })).toThrow(
      (() => {
        try {
          here();
        } catch (error) {
          return (error as Error).message;
        }
        return 'unreachable';
      })(),
    );
  });

  it('compiles the templates pages are rendered with on a worker, once it has no files left', async () => {
    const parsed = await (await workers()).parseContent(fixtureContent, config.viewsDir, false, 1);
    const compiled = (await parsed.views).map((view) => path.relative(config.viewsDir, view.path));
    expect(compiled).toEqual(expect.arrayContaining(['pages/not-found.njk', 'pages/home.njk', 'layouts/hub.njk', 'layouts/article.njk']));
    const alone = await (await workers()).parseContent(fixtureContent, config.viewsDir, false, 0);
    expect(await alone.views).toEqual([]);
  });

  it('gives the templates the build compiled, and compiles none on a worker, when the build wrote them', async () => {
    const built = (await import(path.join(compiled(), 'render', 'views.js'))) as typeof ViewsModule;
    const views = built.buildCompiledViews(config.viewsDir);
    fs.writeFileSync(built.COMPILED_VIEWS_FILE, built.compiledViewsFile(views));
    try {
      for (const count of [0, 1]) {
        const parsed = await (await workers()).parseContent(fixtureContent, config.viewsDir, false, count);
        expect(parsed.views).toEqual(views);
      }
    } finally {
      fs.rmSync(built.COMPILED_VIEWS_FILE);
    }
  });

  describe('indexing the sections on a worker as they are parsed', () => {
    const context = { baseUrl: 'https://help.example', siteName: 'Help' };
    /** Queries made from the site's own headings: each word, its first letters, a misspelling and pairs of words. */
    const queriesFor = (rendered: RenderedSite): string[] => {
      const queries = new Set<string>();
      for (const page of rendered.site.pages) {
        for (const section of page.sections) {
          const words = tokenize(section.text).filter((word) => word.length >= 3);
          words.forEach((word, i) => {
            queries.add(word);
            queries.add(word.slice(0, 3));
            queries.add(`${word.slice(0, -2)}${word.slice(-1)}`);
            if (i > 0) queries.add(`${words[i - 1]} ${word}`);
          });
        }
      }
      return [...queries].slice(0, 400);
    };
    const answers = (rendered: RenderedSite, queries: string[]): unknown[] =>
      queries.flatMap((query) => [rendered.search.search(query, 1), rendered.search.search(query, 2)]);

    it.each([
      ['the fixture content', fixtureContent],
      ['content with many results for a word', manyResultsContent],
      ["the site's content", siteContent],
    ])('gives, for %s, the answers of an index made on this thread', async (_name, dir) => {
      const parsed = await (await workers()).parseContent(dir, config.viewsDir, false, 0, true);
      expect(parsed.search?.fields.length).toBeGreaterThan(0);
      const fromState = jest.spyOn(InvertedIndex, 'fromState');
      let rendered: RenderedSite;
      try {
        rendered = renderSite(dir, config.viewsDir, views, context, { parsed });
        expect(fromState).toHaveBeenCalledTimes(1);
      } finally {
        fromState.mockRestore();
      }
      const here = renderSite(dir, config.viewsDir, views, context);
      const queries = queriesFor(here);
      expect(queries.length).toBeGreaterThan(20);
      expect(answers(rendered, queries)).toEqual(answers(here, queries));
      expect(rendered.search.size).toBe(here.search.size);
    });

    it('is used for a site whose files are read in another order than its pages are listed', async () => {
      // guides/ is read before guides-more.md, but /guides-more is listed before /guides/beta.
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'help-index-order-'));
      try {
        fs.cpSync(fixtureContent, dir, { recursive: true });
        fs.writeFileSync(
          path.join(dir, 'guides-more.md'),
          '---\ntype: article\ntitle: More guides\nsubtitle: Beside the guides folder.\nhub: guides\nposition: 9\n---\n\n## Guides beside the folder\n\nA page whose file is read after the folder next to it.\n',
        );
        const parsed = await (await workers()).parseContent(dir, config.viewsDir, false, 0, true);
        const fromState = jest.spyOn(InvertedIndex, 'fromState');
        try {
          const rendered = renderSite(dir, config.viewsDir, views, context, { parsed });
          expect(fromState).toHaveBeenCalledTimes(1);
          expect(rendered.search.search('beside folder', 1).hits.map((hit) => hit.href)).toContain('/guides-more#guides-beside-the-folder');
        } finally {
          fromState.mockRestore();
        }
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('leaves the index to this thread when its worker fails', async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'help-index-worker-'));
      try {
        const broken = path.join(dir, 'broken-worker.js');
        fs.writeFileSync(broken, 'throw new Error("this worker cannot start");\n');
        const { IndexOnWorker } = (await import(path.join(compiled(), 'search', 'index-on-worker.js'))) as typeof IndexModule;
        const indexing = IndexOnWorker.start(broken)!;
        indexing.add([['Heading', 'Title', 'Some text']]);
        await expect(indexing.finish()).resolves.toBeUndefined();
        expect(IndexOnWorker.start(path.join(dir, 'missing.js'))).toBeUndefined();
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('is not used for a site whose sections are not what the worker was sent', async () => {
      const parsed = await (await workers()).parseContent(fixtureContent, config.viewsDir, false, 0, true);
      const [first, ...rest] = parsed.search!.fields;
      const search = { ...parsed.search!, fields: [...rest, first!] };
      const fromState = jest.spyOn(InvertedIndex, 'fromState');
      try {
        const rendered = renderSite(fixtureContent, config.viewsDir, views, context, { parsed: { ...parsed, search } });
        expect(fromState).not.toHaveBeenCalled();
        expect(rendered.search.size).toBeGreaterThan(0);
      } finally {
        fromState.mockRestore();
      }
    });

    it('starts only for a large folder that no worker parses, unless asked', async () => {
      const { INDEX_ON_WORKER_FILES } = await workers();
      expect(INDEX_ON_WORKER_FILES).toBeGreaterThan(50);
      const small = await (await workers()).parseContent(fixtureContent, config.viewsDir, false, 0);
      expect(small.search).toBeUndefined();
      const parsedOnWorkers = await (await workers()).parseContent(fixtureContent, config.viewsDir, false, 1);
      expect(parsedOnWorkers.search).toBeUndefined();
    });
  });

  it('uses no workers for a small folder or a single core', async () => {
    const { workerCount, FILES_PER_THREAD } = await workers();
    expect(workerCount(FILES_PER_THREAD - 1, 8)).toBe(0);
    expect(workerCount(10_000, 1)).toBe(0);
    expect(workerCount(2 * FILES_PER_THREAD, 2)).toBe(1);
    expect(workerCount(10_000, 16)).toBe(3);
  });
});

describe('a page whose HTML is not kept', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'help-lazy-html-'));
    fs.cpSync(fixtureContent, dir, { recursive: true });
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('is rendered from its file when first asked for, as the kept HTML would be', () => {
    const lazy = loadSite(dir, config.viewsDir, views, { keepHtml: false });
    const kept = loadSite(dir, config.viewsDir, views);
    for (const page of lazy.pages) {
      expect(page.html).toBeUndefined();
      expect(lazy.htmlOf(page)).toBe(kept.htmlOf(kept.byUrl.get(page.url)!));
    }
  });

  it('is refused, naming the file, when the file changed after loading', () => {
    const site = loadSite(dir, config.viewsDir, views, { keepHtml: false });
    const page = site.pages.find((p) => p.kind === 'article')!;
    const file = path.join(dir, page.source.relativePath);
    fs.appendFileSync(file, '\nA new paragraph.\n');
    expect(() => site.htmlOf(page)).toThrow(FileChangedError);
    expect(() => site.htmlOf(page)).toThrow(page.file);
    fs.rmSync(file);
    expect(() => site.htmlOf(page)).toThrow(/restart the server/);
  });
});

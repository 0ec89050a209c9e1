import nunjucks from 'nunjucks';
import path from 'node:path';
import fs from 'node:fs';
import os from 'node:os';
import {
  buildCompiledViews,
  compiledViewsFile,
  compileViews,
  componentRenderer,
  createViews,
  readCompiledViews,
} from '../../src/render/views';
import { pageTemplates } from '../../src/render/rendered-site';

const views = createViews(path.join(__dirname, '..', '..', 'views'));
const render = (template: string, context: Record<string, unknown> = {}): string => views.renderString(template, context);

describe('the trim filter', () => {
  it.each([
    ['  a b  ', 'a b'],
    ['\n\t a \n', 'a'],
    ['\u00a0x\u2003', 'x'],
    ['', ''],
    ['   ', ''],
  ])('trims %j to %j, as the built-in does', (input, expected) => {
    expect(render('{{ value | trim }}', { value: input })).toBe(expected);
    expect(new nunjucks.Environment().renderString('{{ value | trim }}', { value: input })).toBe(expected);
  });

  it('keeps a safe string safe and escapes a plain one', () => {
    expect(render('{{ value | safe | trim }}', { value: '  <b>x</b>  ' })).toBe('<b>x</b>');
    expect(render('{{ value | trim }}', { value: '  <b>x</b>  ' })).toBe('&lt;b&gt;x&lt;/b&gt;');
  });

  it('trims long runs of spaces on both sides', () => {
    const padded = `${' '.repeat(10_000)}x${' '.repeat(10_000)}`;
    expect(render('{{ value | safe | trim }}', { value: padded })).toBe('x');
  });
});

describe('templates compiled on another thread', () => {
  /** Nunjucks' compiler, which its types leave out: every template compiled here goes through it. */
  const compiler = (nunjucks as unknown as { compiler: { compile: (text: string, ...rest: unknown[]) => string } }).compiler;
  const viewsDir = path.join(__dirname, '..', '..', 'views');
  const locals = {
    pageTitle: 'Page not found',
    robotsNoindex: true,
    siteName: 'Help',
    assets: { url: (name: string) => `/assets/${name}` },
  };

  it('follow every template the pages name, and render as templates compiled here do', async () => {
    const compiled = compileViews(viewsDir, pageTemplates(viewsDir));
    const names = compiled.map((view) => path.relative(viewsDir, view.path));
    expect(names).toEqual(expect.arrayContaining(['pages/not-found.njk', 'layouts/base.njk', 'layouts/article.njk']));
    expect(names.some((name) => name.includes('nhsuk/components/header/template.njk'))).toBe(true);
    const ready = Promise.resolve(compiled);
    const fromCode = createViews(viewsDir, { compiled: ready });
    await ready;
    const run = jest.spyOn(compiler, 'compile');
    let html: string;
    try {
      html = fromCode.render('pages/not-found.njk', locals);
      expect(run).not.toHaveBeenCalled();
    } finally {
      run.mockRestore();
    }
    expect(html).toBe(createViews(viewsDir).render('pages/not-found.njk', locals));
  });

  it('are compiled from the file instead when it no longer holds the text they were compiled from', async () => {
    const compiled = compileViews(viewsDir, ['pages/not-found.njk']).map((view) => ({ ...view, text: `${view.text} ` }));
    const ready = Promise.resolve(compiled);
    const stale = createViews(viewsDir, { compiled: ready });
    await ready;
    const run = jest.spyOn(compiler, 'compile');
    try {
      expect(stale.render('pages/not-found.njk', locals)).toBe(createViews(viewsDir).render('pages/not-found.njk', locals));
      expect(run.mock.calls.map((call) => call[3])).toContain(path.join(viewsDir, 'pages', 'not-found.njk'));
    } finally {
      run.mockRestore();
    }
  });
});

describe('templates compiled by the build', () => {
  const compiler = (nunjucks as unknown as { compiler: { compile: (text: string, ...rest: unknown[]) => string } }).compiler;
  const viewsDir = path.join(__dirname, '..', '..', 'views');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'compiled-views-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('are every view, the component macros content blocks use, and all they name', () => {
    const names = buildCompiledViews(viewsDir).map((view) => view.path);
    const files = fs
      .readdirSync(viewsDir, { recursive: true, encoding: 'utf8' })
      .filter((name) => name.endsWith('.njk'))
      .map((name) => path.join(viewsDir, name));
    expect(files.length).toBeGreaterThan(10);
    expect(names).toEqual(expect.arrayContaining(files));
    for (const component of ['inset-text', 'warning-callout', 'details', 'header'])
      expect(names.some((name) => name.endsWith(path.join('components', component, 'template.njk')))).toBe(true);
  });

  it('are read back from their file and rendered without compiling, as templates compiled here render', () => {
    const file = path.join(dir, 'views.json');
    fs.writeFileSync(file, compiledViewsFile(buildCompiledViews(viewsDir)));
    const read = readCompiledViews(file);
    const locals = {
      pageTitle: 'Page not found',
      robotsNoindex: true,
      siteName: 'Help',
      assets: { url: (name: string) => `/assets/${name}` },
    };
    const fromCode = createViews(viewsDir, { compiled: read });
    const blocks = componentRenderer(fromCode);
    const run = jest.spyOn(compiler, 'compile');
    let html: string;
    let inset: string;
    try {
      html = fromCode.render('pages/not-found.njk', locals);
      inset = blocks('insetText', { html: '<p>Hello</p>' });
      // Only the one-line template that calls the macro is compiled; the macro's file is not.
      expect(run.mock.calls.map((call) => call[3])).toEqual([undefined]);
    } finally {
      run.mockRestore();
    }
    const compiledHere = createViews(viewsDir);
    expect(html).toBe(compiledHere.render('pages/not-found.njk', locals));
    expect(inset).toBe(componentRenderer(compiledHere)('insetText', { html: '<p>Hello</p>' }));
  });

  it('are none when the file is missing or not what the build writes', () => {
    expect(readCompiledViews(path.join(dir, 'missing.json'))).toEqual([]);
    const junk = path.join(dir, 'junk.json');
    fs.writeFileSync(junk, '{"not": "a list"');
    expect(readCompiledViews(junk)).toEqual([]);
    fs.writeFileSync(junk, JSON.stringify({ nunjucks: '0.0.1', views: buildCompiledViews(viewsDir) }));
    expect(readCompiledViews(junk)).toEqual([]);
    fs.writeFileSync(junk, JSON.stringify(buildCompiledViews(viewsDir)));
    expect(readCompiledViews(junk)).toEqual([]);
    fs.writeFileSync(junk, compiledViewsFile([{ path: 'a.njk', text: 'x' }, 3, null] as never));
    expect(readCompiledViews(junk)).toEqual([]);
  });

  it('are compiled from the file instead when their code does not run', () => {
    const locals = {
      pageTitle: 'Page not found',
      robotsNoindex: true,
      siteName: 'Help',
      assets: { url: (name: string) => `/assets/${name}` },
    };
    const broken = buildCompiledViews(viewsDir).map((view) => ({ ...view, code: 'throw new Error("not this code")' }));
    expect(createViews(viewsDir, { compiled: broken }).render('pages/not-found.njk', locals)).toBe(
      createViews(viewsDir).render('pages/not-found.njk', locals),
    );
  });
});

import path from 'node:path';
import MarkdownIt from 'markdown-it';
import { loadConfig } from '../../src/config';
import { ContentError, formatProblem } from '../../src/content/errors';
import { readContentFiles } from '../../src/content/files';
import { createMarkdown } from '../../src/content/markdown';
import { readSnippets } from '../../src/content/snippets';
import { loadSite } from '../../src/render/rendered-site';
import { createViews } from '../../src/render/views';

const render = createMarkdown((name, params) => `<${name} data='${JSON.stringify(params)}'>`, {
  snippets: new Map([
    ['never-share', 'Never share your code.\n\nWe will never ask for it.\n'],
    ['nested', '{{snippet never-share}}\n'],
  ]),
  prose: true,
});

describe('explicit heading ids', () => {
  it('uses {#id} instead of the slug and takes it out of the heading text', () => {
    const result = render('## Email link has expired – Reference CID1002 {#expired-link-reference-cid1002}\n\nText.\n');
    expect(result.headings[0]).toMatchObject({ id: 'expired-link-reference-cid1002', text: 'Email link has expired – Reference CID1002' });
    expect(result.html).toContain('<h2 id="expired-link-reference-cid1002">Email link has expired – Reference CID1002</h2>');
    expect(result.sections[0]!.headingCodes).toEqual(['CID1002']);
    expect(result.problems).toEqual([]);
  });

  it('keeps slugs away from ids written explicitly', () => {
    const result = render('## Old name\n\n## New name {#old-name}\n');
    expect(result.headings.map((h) => h.id)).toEqual(['old-name-2', 'old-name']);
  });

  it.each([
    ['## A {#same}\n\n## B {#same}\n', 'line 3: heading id "same" is already used on this page, by "A"'],
    ['## A {#Bad_Id}\n', 'line 1: heading id "Bad_Id" must be lower-case letters, digits and hyphens'],
  ])('reports a bad id in %j', (source, expected) => {
    const [, line, message] = /^line (\d+): (.*)$/.exec(expected)!;
    const problems = render(source).problems;
    expect(problems).toHaveLength(1);
    expect(problems[0]!.line).toBe(Number(line));
    expect(problems[0]!.message).toContain(message);
  });
});

describe('snippets', () => {
  it('renders a snippet in place, every token on the line that includes it', () => {
    const result = render('## Safety\n\nFirst.\n\n{{snippet never-share}}\n\nLast CID3006.\n');
    expect(result.html).toContain('<p>First.</p>\n<p>Never share your code.</p>\n<p>We will never ask for it.</p>\n<p>Last CID3006.</p>');
    expect(result.sections[0]!.bodyCodes).toEqual([{ code: 'CID3006', line: 7 }]);
    expect(result.sections[0]!.prose!.map((p) => p.line)).toEqual([3, 5, 5, 7]);
  });

  it('reports an unknown snippet with its line', () => {
    expect(render('## A\n\n{{snippet missing}}\n').problems).toEqual([
      { line: 3, message: 'unknown snippet "missing" (snippets are in content/_snippets/)' },
    ]);
  });

  it('does not let a snippet include another', () => {
    expect(render('## A\n\n{{snippet nested}}\n').problems[0]!.message).toMatch(/snippets cannot include snippets/);
  });

  it('reports an include that is not on a line of its own', () => {
    expect(render('## A\n\nSee {{snippet never-share}} here.\n').problems[0]).toMatchObject({
      line: 3,
      message: expect.stringMatching(/on a line of its own/),
    });
  });
});

describe('contact links for code sections', () => {
  it('adds "Contact us about CIDnnnn" at the end of a code section, before its section break', () => {
    const html = render('## Expired – Reference CID3006\n\nAsk again.\n\n***\n\n## Next\n\nText.\n').html;
    expect(html).toContain(
      '<p>Ask again.</p>\n<p class="app-contact-code"><a href="/contact?error=CID3006">Contact us about CID3006</a></p>\n<hr',
    );
  });

  it('adds it for a code named in the body, and at the end of the page', () => {
    expect(render('## Lost phone\n\nIf you see reference CID3001, do this.\n').html).toMatch(
      /<a href="\/contact\?error=CID3001">Contact us about CID3001<\/a><\/p>\n$/,
    );
  });

  it('does not add one where the section already links to the contact form, or names no code', () => {
    const html = render('## Used – Reference CID3007\n\n[Contact us](/contact?error=CID3007).\n\n## Plain\n\nNo code.\n').html;
    expect(html.match(/Contact us/g)).toHaveLength(1);
  });
});

const config = loadConfig({});
const views = createViews(config.viewsDir);
const fixtures = path.join(__dirname, '..', 'fixtures');

describe('a site with snippets', () => {
  const site = loadSite(path.join(fixtures, 'snippets'), config.viewsDir, views);
  const guide = site.byUrl.get('/guide')!;
  const html = site.htmlOf(guide);

  it('does not serve snippets as pages', () => {
    expect(readContentFiles(path.join(fixtures, 'snippets')).map((f) => f.relativePath)).toEqual(['guide.md', 'index.md']);
    expect([...readSnippets(path.join(fixtures, 'snippets')).keys()]).toEqual(['keep-it-safe']);
    expect(site.byUrl.has('/_snippets/keep-it-safe')).toBe(false);
  });

  it('renders the snippet through the page components and checks its links', () => {
    expect(html).toContain('Keep it safe');
    expect(guide.links).toContainEqual({ href: '/guide#how-codes-work', line: 13 });
  });

  it('keeps the old id of a reworded heading so /cid links still land on it', () => {
    expect(site.codes.get('CID1002')!.section.id).toBe('expired-link-reference-cid1002');
  });

  it('gives every code section a contact route carrying its code', () => {
    expect(html).toContain('<a href="/contact?error=CID1002">Contact us about CID1002</a>');
    expect(html).toContain('<a href="/contact?error=CID1004">Contact us about CID1004</a>');
    expect(html).not.toContain('Contact us about CID1003');
    expect(html.indexOf('Contact us about CID1004')).toBeLessThan(html.indexOf('Nothing to see'));
  });
});

describe('a site with an unknown snippet and bad heading ids', () => {
  it('names the file and line of each problem', () => {
    let problems: string[] = [];
    try {
      loadSite(path.join(fixtures, 'broken', 'unknown-snippet'), config.viewsDir, views);
    } catch (error) {
      if (!(error instanceof ContentError)) throw error;
      problems = error.problems.map(formatProblem);
    }
    expect(problems).toEqual([
      expect.stringMatching(/unknown-snippet\/article\.md:13: unknown snippet "no-such-snippet" \(snippets are in content\/_snippets\/\)$/),
      expect.stringMatching(/unknown-snippet\/article\.md:15: heading id "same" is already used on this page, by "First"$/),
      expect.stringMatching(/unknown-snippet\/article\.md:19: heading id "Bad_Id" must be/),
      expect.stringMatching(/unknown-snippet\/article\.md:17: a snippet goes on a line of its own/),
    ]);
  });
});

describe('plain text between markup', () => {
  it.each([
    'Every character that can start markup: ! # $ % & * + - : < = > @ [ \\ ] ^ _ ` { } ~ and 100% done.',
    'Some *emphasis*, __strong__, `code`, ~~struck~~ and a [link](/manage "title") with &amp; &copy; entities.',
    'An escaped \\*star\\*, an autolink <https://www.nhs.uk>, a < b > c, x=y, @name, 2^3 and {braces}.',
    'A line  \nbroken hard, then softly\nand [a link spanning\ntwo lines](/x) with *nested `code` [and link](/y)*.',
    'Wide text – with “curly quotes” and an emoji 😀 then *more* after it.',
  ])('is parsed as markdown-it parses it: %j', (source) => {
    const plain = new MarkdownIt({ html: true, linkify: false, typographer: false });
    expect(render(source).html).toBe(plain.render(source));
  });
});

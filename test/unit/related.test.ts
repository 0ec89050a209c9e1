import { parsePage } from '../../src/content/schema';
import type { SourceFile } from '../../src/content/files';
import type { Article } from '../../src/content/site';
import { buildSite } from '../../src/content/site';
import { relatedProblems } from '../../src/content/related';
import { relatedPages } from '../../src/render/view-models/related';

function file(relativePath: string, frontMatter: string): SourceFile {
  return {
    relativePath,
    displayPath: `content/${relativePath}`,
    text: `---\n${frontMatter}\n---\n\n## Heading\n\nText.\n`,
    modified: new Date('2026-01-01'),
  };
}

const hubs = [
  file('index.md', 'type: hub\nname: home\ntitle: Home'),
  file('h/index.md', 'type: hub\nname: h\ntitle: H\nhub: home\nposition: 1'),
];
const article = (name: string, position: number, extra = ''): SourceFile =>
  file(`h/${name}.md`, `type: article\ntitle: ${name}\nhub: h\nposition: ${position}${extra ? `\n${extra}` : ''}`);

function siteOf(files: SourceFile[]) {
  return buildSite(files, {
    renderMarkdown: () => ({ html: '', headings: [], sections: [], links: [], orphanCodes: [], problems: [] }),
    layouts: new Set(['layouts/article.njk']),
  });
}

describe('related answers', () => {
  it('uses the pages front matter names, in order', () => {
    const site = siteOf([...hubs, article('a', 1, 'related:\n  - /h/c\n  - /h'), article('b', 2), article('c', 3)]);
    expect(relatedPages(site, site.byUrl.get('/h/a') as Article).map((p) => p.url)).toEqual(['/h/c', '/h']);
  });

  it('falls back to the next articles in the same hub, then the ones before', () => {
    const site = siteOf([...hubs, ...['a', 'b', 'c', 'd', 'e'].map((name, i) => article(name, i + 1))]);
    expect(relatedPages(site, site.byUrl.get('/h/c') as Article).map((p) => p.url)).toEqual(['/h/d', '/h/e', '/h/a']);
  });

  it('reports a related URL that names no page, with file and line', () => {
    const site = siteOf([...hubs, article('a', 1, 'related:\n  - /h/nowhere')]);
    expect(relatedProblems(site)).toEqual([
      { file: 'content/h/a.md', line: 6, message: '"related" names /h/nowhere, but no page has that URL' },
    ]);
  });

  it.each([
    ['related: /h/b/', '"related" must be a list of page URLs'],
    ['related:\n  - h/b', '"related" must be a list of page URLs'],
    ['related:\n  - /a\n  - /b\n  - /c\n  - /d', '"related" names 4 pages'],
  ])('rejects %j in front matter', (extra, message) => {
    const { problems } = parsePage(article('a', 1, extra));
    expect(problems.map((p) => p.message).join('\n')).toContain(message);
  });
});

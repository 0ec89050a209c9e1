import { parsePage, splitFrontMatter } from '../../src/content/schema';
import type { SourceFile } from '../../src/content/files';

const file = (text: string): SourceFile => ({
  text,
  relativePath: 'guides/example.md',
  displayPath: 'content/guides/example.md',
  modified: new Date('2026-01-01T00:00:00Z'),
});

describe('front matter', () => {
  it('splits at the next line of three dashes, and the body starts on the line after it', () => {
    expect(splitFrontMatter('---\ntitle: A\n---\n## Heading\n')).toEqual({ frontMatter: '\ntitle: A', body: '## Heading\n' });
    expect(splitFrontMatter('---\r\ntitle: A\r\n---\r\nBody\r\n')).toEqual({ frontMatter: '\r\ntitle: A\r', body: 'Body\r\n' });
    expect(splitFrontMatter('---\ntitle: A\n---\n\nBody')).toEqual({ frontMatter: '\ntitle: A', body: '\nBody' });
  });

  it('reads a file without a closing line as all front matter', () => {
    expect(splitFrontMatter('---\ntitle: A\n')).toEqual({ frontMatter: '\ntitle: A\n', body: '' });
  });

  it('gives the body and the file line it starts on', () => {
    const { page, problems } = parsePage(
      file('---\ntype: article\ntitle: Example\nhub: guides\nposition: 1\n# a comment\n---\n## First\n\nText.\n'),
    );
    expect(problems).toEqual([]);
    expect(page).toMatchObject({ title: 'Example', body: '## First\n\nText.\n', bodyLine: 8, lines: { title: 3, position: 5 } });
  });

  it('names the file line of a YAML problem', () => {
    const { page, problems } = parsePage(file('---\ntype: article\ntitle: Colon: here\nhub: guides\nposition: 1\n---\nText\n'));
    expect(page).toBeUndefined();
    expect(problems).toEqual([expect.objectContaining({ file: 'content/guides/example.md', line: 3 })]);
    expect(problems[0]!.message).toMatch(/^front matter: YAML: this value contains a colon/);
  });

  it('reads front matter of only comments as no fields', () => {
    const { problems } = parsePage(file('---\n# nothing yet\n---\nText\n'));
    expect(problems.map((p) => p.message)).toEqual([
      '"type" is required',
      '"title" is required',
      '"hub" is required',
      '"position" is required',
    ]);
  });
});

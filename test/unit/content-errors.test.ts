import path from 'node:path';
import { ContentError } from '../../src/content/errors';
import { urlFromPath } from '../../src/content/files';
import { loadConfig } from '../../src/config';
import { createViews } from '../../src/render/views';
import { loadSite } from '../../src/render/rendered-site';

const broken = (name: string): string => path.join(__dirname, '..', 'fixtures', 'broken', name);
const config = loadConfig({});
const views = createViews(config.viewsDir);

function problemsOf(name: string): string {
  try {
    loadSite(broken(name), config.viewsDir, views);
  } catch (error) {
    expect(error).toBeInstanceOf(ContentError);
    return (error as ContentError).message;
  }
  throw new Error(`${name} loaded without a problem`);
}

describe('urlFromPath', () => {
  it.each([
    ['index.md', '/'],
    ['manage/index.md', '/manage'],
    ['manage/mobile-phone.md', '/manage/mobile-phone'],
    ['a/b/c.md', '/a/b/c'],
  ])('%s -> %s', (file, url) => expect(urlFromPath(file)).toBe(url));
});

describe('invalid content stops loading with the file and the problem', () => {
  it('reports a YAML syntax error with its line', () => {
    expect(problemsOf('yaml-syntax')).toMatch(/yaml-syntax\/bad\.md:\d+: YAML syntax error/);
  });

  it('reports every missing or wrong field at once', () => {
    const message = problemsOf('missing-fields');
    expect(message).toContain('missing-fields/bad.md:1: "type" is required');
    expect(message).toContain('"title" is required');
    expect(message).toContain('"hub" is required');
    expect(message).toContain('missing-fields/bad.md:3: "position" must be a number (got "three")');
  });

  it('reports an unknown type', () => {
    expect(problemsOf('unknown-type')).toContain('unknown-type/bad.md:2: "type" must be "hub" or "article" (got "page")');
  });

  it('reports an article whose hub does not exist', () => {
    expect(problemsOf('unknown-hub')).toMatch(/unknown-hub\/bad\.md: "hub" names "nowhere", but no hub has that name/);
  });

  it('reports two files with the same URL, naming both', () => {
    expect(problemsOf('duplicate-url')).toMatch(/duplicate-url\/same\.md: has the same URL \/same as .*duplicate-url\/same\/index\.md/);
  });

  it('reports a hub cycle', () => {
    expect(problemsOf('hub-cycle')).toMatch(/hubs form a cycle: .*a\/index\.md \(a\) -> .*b\/index\.md \(b\)/);
  });

  it('reports an unknown layout', () => {
    expect(problemsOf('unknown-layout')).toContain('unknown-layout/bad.md:6: unknown layout "layouts/fancy.njk"');
  });

  it('reports two headings that name the same code, with both places', () => {
    expect(problemsOf('duplicate-code')).toMatch(
      /duplicate-code\/two\.md:\d+: heading "Link expired – Reference CID1002" names CID1002, but so does "Expired – Reference CID1002" in .*duplicate-code\/one\.md:8;/,
    );
  });
});

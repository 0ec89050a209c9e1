import path from 'node:path';
import { ContentError } from '../../src/content/errors';
import { urlFromPath } from '../../src/content/files';
import { parsePage } from '../../src/content/schema';
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
  it('reports a YAML syntax error at its line, in plain words', () => {
    expect(problemsOf('yaml-syntax')).toContain(
      'yaml-syntax/bad.md:4: front matter: YAML: a quoted value is not closed. Add the closing quote',
    );
  });

  it('reports a value holding a colon at its own line, saying to quote it', () => {
    expect(problemsOf('yaml-colon')).toContain(
      'yaml-colon/bad.md:3: front matter: YAML: this value contains a colon, which YAML reads as the start of another key. Put quotes around the value: title: "Ordering: repeat prescriptions"',
    );
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

describe('links, redirects, aliases, retired codes, images and HTML stop loading with file and line', () => {
  it('reports broken links and fragments with the nearest page or heading', () => {
    const message = problemsOf('links');
    expect(message).toContain('links/bad.md:11: link "/goood" goes to /goood, which is not a page (did you mean /good?)');
    expect(message).toContain(
      'links/bad.md:11: link "/good#expired-link" goes to #expired-link, which is not a heading on /good (did you mean #expired-link-reference-cid1002?)',
    );
    expect(message).toContain('links/bad.md:12: link "/cid/CID9999" names a reference code no section explains');
    expect(message).toContain('links/bad.md:12: contact link "/contact?error=CID4444" names CID4444, which no section explains');
    expect(message).toContain('links/bad.md:13: link "/cid/%E0" names a reference code no section explains');
    expect(message).toContain('links/bad.md:13: link "/good#%E0" has a malformed #fragment');
    expect(message).toContain('links/bad.md:14: link "#linkz" goes to #linkz, which is not a heading on /bad (did you mean #links?)');
    expect(message).toContain('links/bad.md:15: link "/nope" goes to /nope, which is not a page');
    expect(message).toContain('Content has 8 problems');
  });

  it('reports an old address claimed twice, one that is a live page, and one the site serves', () => {
    const message = problemsOf('redirects');
    expect(message).toMatch(/redirects\/b\.md:7: "redirect_from" lists \/old-name, but .*redirects\/a\.md lists it too/);
    expect(message).toMatch(
      /redirects\/a\.md:7: "redirect_from" lists \/b, but that is the address of .*redirects\/b\.md; a live page cannot redirect/,
    );
    expect(message).toContain('redirects/a.md:7: "redirect_from" lists /cid/cid1002, which the site itself serves');
  });

  it('reports aliases that cannot work and bad or repeated heading ids', () => {
    const message = problemsOf('aliases');
    expect(message).toContain(
      'aliases/bad.md:7: "section_aliases": "gone-id" points to "no-such-heading", which is not a heading id on this page',
    );
    expect(message).toContain('aliases/bad.md:7: "section_aliases": "still-here" is still the id of a heading on this page');
    expect(message).toContain('aliases/bad.md:16: heading id "Bad_Id" must be lower-case letters, digits and hyphens');
    expect(message).toContain('aliases/bad.md:20: heading id "same-id" is already used on this page, by "First"');
  });

  it('reports every problem in retired-codes.yml at its line', () => {
    const message = problemsOf('retired-codes');
    const file = 'retired-codes/_data/retired-codes.yml';
    expect(message).toMatch(
      new RegExp(`${file}:1: CID1002 is marked retired, but "Expired link – Reference CID1002" in .*good\\.md:9 still explains it`),
    );
    expect(message).toContain(`${file}:3: "code" must be written like CID1234 (got "cid1235")`);
    expect(message).toContain(`${file}:5: "note" is required`);
    expect(message).toContain(`${file}:6: "see": link "/no-such-page" goes to /no-such-page, which is not a page`);
    expect(message).toContain(`${file}:11: CID1238 is already listed at line 9`);
    expect(message).toContain(`${file}:11: unknown key "colour"`);
  });

  it('reports images without alt text, missing files and files that are not images', () => {
    const message = problemsOf('images');
    expect(message).toContain('images/bad.md:11: image "/images/logo.svg" has no alt text');
    expect(message).toContain(
      'images/bad.md:13: image "/images/logoo.svg" is missing: there is no file content/_images/logoo.svg (did you mean /images/logo.svg?)',
    );
    expect(message).toContain('images/bad.md:15: image "/images/logo.svg" is marked "decorative" but has alt text "The NHS logo"');
    expect(message).toContain('images/bad.md:17: image "https://elsewhere.example/photo.png" must be a file in content/_images/');
    expect(message).toContain('images/_images/notes.png: is not an image this site can serve');
  });

  it('refuses scripts, styles, event handlers, inline styles, iframes and unknown classes in HTML', () => {
    const message = problemsOf('raw-html');
    expect(message).toContain('raw-html/bad.md:11: HTML <script> is not allowed');
    expect(message).toContain('raw-html/bad.md:13: HTML <style> is not allowed');
    expect(message).toContain('raw-html/bad.md:15: HTML event handler onclick="…" on <p> is not allowed');
    expect(message).toContain('raw-html/bad.md:17: inline style on <p> is not allowed');
    expect(message).toContain('raw-html/bad.md:19: HTML <iframe> is not allowed');
    expect(message).toContain('raw-html/bad.md:21: HTML class "big-red" on <div> is not allowed');
    expect(message).toContain('raw-html/bad.md:22: HTML link "javascript:alert(1)" uses javascript:, which is not allowed');
    expect(message).toContain('raw-html/bad.md:25: HTML event handler onmouseover="…" on <span> is not allowed');
    expect(message).toContain('raw-html/bad.md:27: HTML <img> is not allowed');
  });
});

describe('front matter for moved content', () => {
  const file = (text: string) => ({ relativePath: 'a.md', displayPath: 'content/a.md', text, modified: new Date(0) });
  const head = '---\ntype: article\ntitle: A\nhub: home\nposition: 1\n';

  it('reads redirect_from and section_aliases', () => {
    const { page } = parsePage(file(`${head}redirect_from: [/Old/Name/, /other]\nsection_aliases:\n  old-id: new-id\n---\n`));
    expect(page?.redirectFrom).toEqual(['/old/name', '/other']);
    expect([...page!.sectionAliases]).toEqual([['old-id', 'new-id']]);
  });

  it('refuses an old address that is not a site path, and an alias that is not an id', () => {
    const { problems } = parsePage(file(`${head}redirect_from: [https://x.example/a]\nsection_aliases: { Old_Id: new-id }\n---\n`));
    expect(problems.map((p) => `${p.line}: ${p.message}`)).toEqual([
      '6: "redirect_from" entries must be site paths starting with one /, without ? or # (got "https://x.example/a")',
      '7: "section_aliases": "Old_Id" is not an id (lower-case letters, digits and hyphens)',
    ]);
  });
});

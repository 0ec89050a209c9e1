import { createMarkdown, slugify, unicodeSlug, uniqueSlug } from '../../src/content/markdown';
import { random, randomText } from '../helpers/random';

const render = createMarkdown((name, params) => `<${name} data='${JSON.stringify(params)}'>`);

describe('slugify', () => {
  it.each([
    ['Expired link – Reference CID3006', 'expired-link-reference-cid3006'],
    ['You have lost access to your mobile phone number', 'you-have-lost-access-to-your-mobile-phone-number'],
    ["What's an ODS code?", 'whats-an-ods-code'],
    ['Café  &  more', 'cafe-more'],
    ['***', 'section'],
    ["'Quoted' -- and -- DASHED, 2 ways", 'quoted-and-dashed-2-ways'],
    ['', 'section'],
  ])('turns %j into %s', (text, slug) => {
    expect(slugify(text)).toBe(slug);
  });

  it('slugs ASCII text in one pass exactly as the rule for any text does', () => {
    const next = random(7);
    // Every ASCII character, control characters and tabs among them.
    const ascii = Array.from({ length: 128 }, (_, code) => String.fromCharCode(code));
    const texts = Array.from({ length: 5000 }, () => randomText(next, ascii, 24));
    for (const text of texts) expect([text, slugify(text)]).toEqual([text, unicodeSlug(text)]);
  });

  it('makes repeated slugs unique with a counter', () => {
    const used = new Set<string>();
    expect(['a', 'a', 'a', 'a-2'].map((s) => uniqueSlug(s, used))).toEqual(['a', 'a-2', 'a-3', 'a-2-2']);
  });
});

describe('createMarkdown', () => {
  it('gives h2 and h3 unique ids and records sections with their codes', () => {
    const result = render('## Links\n\n### Expired link\n\nSee CID3006.\n\n### Expired link\n\nAgain.\n');
    expect(result.headings.map((h) => [h.id, h.level, h.line])).toEqual([
      ['links', 2, 1],
      ['expired-link', 3, 3],
      ['expired-link-2', 3, 7],
    ]);
    expect(result.html).toContain('<h3 id="expired-link-2">Expired link</h3>');
    expect(result.sections[1]).toMatchObject({ body: 'See CID3006.', bodyCodes: [{ code: 'CID3006', line: 5 }] });
  });

  it('takes codes named in headings apart from codes in the body', () => {
    const result = render('## Used link – Reference CID3007\n\nText.\n');
    expect(result.sections[0]).toMatchObject({ headingCodes: ['CID3007'], bodyCodes: [] });
  });

  it('does not count a code inside a link address as a mention', () => {
    const result = render('## Help\n\n[Contact us](/contact?error=CID3006) today.\n');
    expect(result.sections[0]!.bodyCodes).toEqual([]);
    expect(result.links).toEqual([{ href: '/contact?error=CID3006', line: 3 }]);
  });

  it('records codes written before any heading as orphans', () => {
    expect(render('Intro CID1001.\n\n## Heading\n').orphanCodes).toEqual([{ code: 'CID1001', line: 1 }]);
  });

  it('renders *** as an NHS.UK section break', () => {
    expect(render('a\n\n***\n\nb\n').html).toContain(
      '<hr class="nhsuk-section-break nhsuk-section-break--l nhsuk-section-break--visible">',
    );
  });

  it('renders ::: blocks through the component renderer, with markdown inside', () => {
    const html = render('::: warning Keep it safe\nNever **share** it.\n:::\n').html;
    expect(html).toContain('<warningCallout data=\'{"heading":"Keep it safe","html":"<p>Never <strong>share</strong> it.</p>"}\'>');
    expect(render('::: details Why\nBecause.\n:::\n').html).toContain('"summary":{"text":"Why"}');
    expect(render('::: inset\nNote.\n:::\n').html).toContain('<insetText data=\'{"html":"<p>Note.</p>"}\'>');
  });

  it('passes allowed raw HTML through and refuses a script with its line, never rendering it', () => {
    const ok = render(
      '## Hi\n\n<ol class="nhsuk-list nhsuk-list--number">\n<li>One</li>\n</ol>\n\nSay <abbr title="General practice">GP</abbr>.\n',
    );
    expect(ok.problems).toEqual([]);
    expect(ok.html).toContain('<ol class="nhsuk-list nhsuk-list--number">\n<li>One</li>\n</ol>');
    expect(ok.html).toContain('<abbr title="General practice">GP</abbr>');
    const bad = render('## Hi\n\n<script>alert(1)</script>\n');
    expect(bad.problems).toEqual([{ line: 3, message: expect.stringContaining('HTML <script> is not allowed') as unknown }]);
    expect(bad.html).not.toContain('<script');
  });
});

describe('explicit heading ids and section aliases', () => {
  it('uses {#id} as the id and strips it from the text', () => {
    const result = render('## Expired link – Reference CID3006 {#expired-link}\n\nText.\n');
    expect(result.headings[0]).toMatchObject({ id: 'expired-link', text: 'Expired link – Reference CID3006' });
    expect(result.html).toContain('<h2 id="expired-link">Expired link – Reference CID3006</h2>');
    expect(result.sections[0]!.headingCodes).toEqual(['CID3006']);
  });

  it('puts an element with each old id first inside the heading it points to', () => {
    const aliases = new Map([
      ['old-b', 'new-id'],
      ['old-a', 'new-id'],
    ]);
    const html = render('## New words {#new-id}\n', { aliases }).html;
    expect(html).toContain(
      '<h2 id="new-id"><span id="old-a" class="app-section-alias"></span><span id="old-b" class="app-section-alias"></span>New words</h2>',
    );
  });
});

describe('images', () => {
  const resolveImage = (src: string) =>
    src === '/images/a.png' ? { url: '/static/images/a.1234567890.png', width: 40, height: 30 } : `no ${src}`;

  it('writes the versioned URL, width and height, and an empty alt only for a decorative image', () => {
    const result = render('![A phone](/images/a.png)\n\n![](/images/a.png "decorative")\n', { resolveImage });
    expect(result.problems).toEqual([]);
    expect(result.html).toContain('<img src="/static/images/a.1234567890.png" alt="A phone" width="40" height="30">');
    expect(result.html).toContain('<img src="/static/images/a.1234567890.png" alt="" width="40" height="30">');
  });

  it('refuses an image without alt text and a missing file, each at its line', () => {
    const result = render('Text\n\n![](/images/a.png)\n\n![B](/images/b.png)\n', { resolveImage });
    expect(result.problems).toEqual([
      { line: 3, message: expect.stringContaining('has no alt text') as unknown },
      { line: 5, message: 'no /images/b.png' },
    ]);
  });
});

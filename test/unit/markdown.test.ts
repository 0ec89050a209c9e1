import { createMarkdown, slugify, uniqueSlug } from '../../src/content/markdown';

const render = createMarkdown((name, params) => `<${name} data='${JSON.stringify(params)}'>`);

describe('slugify', () => {
  it.each([
    ['Expired link – Reference CID3006', 'expired-link-reference-cid3006'],
    ['You have lost access to your mobile phone number', 'you-have-lost-access-to-your-mobile-phone-number'],
    ["What's an ODS code?", 'whats-an-ods-code'],
    ['Café  &  more', 'cafe-more'],
    ['***', 'section'],
  ])('turns %j into %s', (text, slug) => {
    expect(slugify(text)).toBe(slug);
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

  it('escapes raw HTML in content', () => {
    expect(render('## Hi\n\n<script>alert(1)</script>\n').html).toContain('&lt;script&gt;');
  });
});

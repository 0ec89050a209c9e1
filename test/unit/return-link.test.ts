import { findReturnLink, returnLinksFor, withFrom } from '../../src/render/view-models/return-link';
import { parseServices } from '../../src/contact/services';

const links = returnLinksFor([
  { id: 'nhs-app', name: 'NHS App', common: true, url: 'https://www.nhsapp.service.nhs.uk/login' },
  { id: 'not-sure', name: "I'm not sure", common: false },
]);

describe('return links', () => {
  it('knows only services with an address', () => {
    expect([...links.keys()]).toEqual(['nhs-app']);
  });

  it.each([
    ['nhs-app', 'NHS App'],
    ['NHS-APP', undefined],
    ['not-sure', undefined],
    ['elsewhere', undefined],
    [['nhs-app', 'nhs-app'], undefined],
    [undefined, undefined],
  ])('?from=%j names %s', (from, name) => {
    expect(findReturnLink(links, from)?.name).toBe(name);
  });

  it.each([
    ['/manage', '/manage?from=nhs-app'],
    ['/manage/mobile-phone#expired-link', '/manage/mobile-phone?from=nhs-app#expired-link'],
    ['/search?q=x', '/search?q=x&from=nhs-app'],
  ])('carries from into %s', (path, expected) => {
    expect(withFrom(path, links.get('nhs-app'))).toBe(expected);
  });

  it('leaves a path alone without a service', () => {
    expect(withFrom('/manage#a', undefined)).toBe('/manage#a');
  });
});

describe('services.yml url', () => {
  it('reads an https address, and names the line of anything else', () => {
    const text =
      '- id: a\n  name: A\n  common: true\n  url: https://a.example/\n- id: b\n  name: B\n  url: http://b.example/\n- id: c\n  name: C\n  url: 3\n';
    const { problems } = parseServices(text, 'services.yml');
    expect(problems.map((p) => `${p.line}: ${p.message}`)).toEqual([
      '7: "url" must be an https:// address (got "http://b.example/")',
      '10: "url" must be an https:// address (got 3)',
    ]);
    expect(parseServices('- id: a\n  name: A\n  common: true\n  url: https://a.example/\n', 'x').services[0]?.url).toBe(
      'https://a.example/',
    );
  });
});

import type { Reference } from '../../src/contact/form-view';
import { EMPTY_VALUES, contactFormView } from '../../src/contact/form-view';
import { referenceFor } from '../../src/contact/submit';
import type { ReturnLink } from '../../src/render/view-models/return-link';
import {
  CONTACT_VIEW,
  contactPageLocals,
  contactShellLocals,
  contactShellVariant,
  cutContactShell,
  fillContactShell,
} from '../../src/render/view-models/contact-page';
import { services } from '../contact/helpers/contact-app';
import { appFor } from '../helpers/app';

// The contact form as it is rendered whole, through Nunjucks and nhsuk-frontend's macros (and as
// it still is with errors): the form built from a shell must be the same, byte for byte.
const { startup } = appFor();
const { views } = startup;
const { site } = startup.rendered;

function fullPage(reference: Reference | undefined, csrfToken: string, returnTo?: ReturnLink): string {
  const form = contactFormView({ values: { ...EMPTY_VALUES, code: reference?.code ?? '' }, errors: [], services, reference, csrfToken });
  return views.render(CONTACT_VIEW, { ...contactPageLocals(form), returnTo });
}

function shellPage(reference: Reference | undefined, csrfToken: string, returnTo?: ReturnLink): string {
  const variant = contactShellVariant(reference);
  const shell = cutContactShell(views.render(CONTACT_VIEW, { ...contactShellLocals(services, variant), returnTo }), variant);
  return fillContactShell(shell, reference, csrfToken);
}

const token = 'AAAAAAAAAAAAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB';
const nhsApp: ReturnLink = { id: 'nhs-app', name: 'NHS App', href: 'https://www.nhsapp.service.nhs.uk/login' };
const hostileLink: ReturnLink = { id: 'odd', name: `"><script>alert('x')</script> {{ 7*7 }}`, href: 'https://example.com/?a=1&b="2"' };
const hostile = `"><script>alert('x')</script> {{ 7*7 }} {% raw %} \\ & \u0001code\u0001`;

describe('contact form from a shell', () => {
  it('knows the fixture’s code CID3006 by its heading, so the known-code cases show one', () => {
    expect(referenceFor(site, 'cid3006')).toEqual({ code: 'CID3006', heading: 'Expired link – Reference CID3006' });
    expect(referenceFor(site, '7023')).toEqual({ code: 'CID7023', heading: undefined });
  });

  const asked: [string, unknown][] = [
    ['no code', undefined],
    ['a known code', 'cid3006'],
    ['an unknown code', '7023'],
    ['a hostile code', '"><script>alert(1)</script>'],
    ['a template in the code', '{{ 7*7 }}'],
    ['a repeated code', ['3006', '3007']],
  ];
  const links: [string, ReturnLink | undefined][] = [
    ['', undefined],
    [', with a return link', nhsApp],
    [', with an odd return link', hostileLink],
  ];
  it.each(asked.flatMap(([name, code]) => links.map(([to, link]) => [`${name}${to}`, code, link] as const)))(
    '%s: the same bytes as the whole page rendered through the macros',
    (_, code, returnTo) => {
      const reference = referenceFor(site, code);
      expect(shellPage(reference, token, returnTo)).toBe(fullPage(reference, token, returnTo));
    },
  );

  it.each<[string, Reference]>([
    ['a hostile code and heading', { code: hostile, heading: hostile }],
    ['a hostile code and no heading', { code: hostile }],
    ['an empty heading', { code: 'CID3006', heading: '' }],
  ])('%s, as no request can give: still escaped exactly as the views escape it', (_, reference) => {
    expect(shellPage(reference, hostile, nhsApp)).toBe(fullPage(reference, hostile, nhsApp));
    const page = shellPage(reference, hostile);
    expect(page).not.toContain(`<script>alert`);
    expect(page).toContain(
      'name="_csrf" value="&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; {{ 7*7 }} {% raw %} &#92; &amp; \u0001code\u0001"',
    );
  });

  it('puts each request’s token and reference where the view shows them', () => {
    const page = shellPage({ code: 'CID3006', heading: 'Expired link' }, token);
    expect(page).toContain(`<input type="hidden" name="_csrf" value="${token}">`);
    expect(page).toContain('<input type="hidden" name="code" value="CID3006">');
    expect(page).toContain('<p class="nhsuk-body-l" id="reference">Reference: CID3006 – Expired link</p>');
    expect(page).not.toContain('\u0001');
    expect(shellPage(undefined, token)).not.toContain('Reference:');
  });

  it('fails loudly when the view loses or repeats a placeholder', () => {
    const plain = views.render(CONTACT_VIEW, contactShellLocals(services, 'plain'));
    expect(() => cutContactShell(plain, 'code')).toThrow(/pages\/contact\.njk must show the placeholders code, code, csrfToken/);
    expect(() => cutContactShell(plain + plain, 'plain')).toThrow(/pages\/contact\.njk/);
    expect(() => cutContactShell('<html>no holes</html>', 'plain')).toThrow(/it shows none/);
  });
});

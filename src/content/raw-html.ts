import type SanitizeHtml from 'sanitize-html';

let sanitizer: typeof SanitizeHtml | undefined;
/**
 * sanitize-html, loaded the first time content has raw HTML: most pages have none, and loading
 * it (with postcss and htmlparser2) is a tenth of a start-up's module loading.
 */
function sanitizeHtml(...args: Parameters<typeof SanitizeHtml>): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, see above
  sanitizer ??= require('sanitize-html') as typeof SanitizeHtml;
  return sanitizer(...args);
}

/**
 * Raw HTML in markdown: checked against an allowlist, so that a refused element or attribute is a
 * content error with its line, then passed through sanitize-html with the same allowlist, so that
 * nothing outside it can reach a page even if a check is missed.
 */

export const ALLOWED_TAGS = [
  'p', 'br', 'hr', 'ul', 'ol', 'li', 'dl', 'dt', 'dd',
  'strong', 'em', 'b', 'i', 'small', 'sub', 'sup', 'abbr', 'span', 'div', 'a',
  'h4', 'blockquote', 'code', 'pre',
  'table', 'caption', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td',
]; // prettier-ignore

const GLOBAL_ATTRIBUTES = ['class', 'title', 'lang'];
const ALLOWED_ATTRIBUTES: Record<string, string[]> = {
  '*': GLOBAL_ATTRIBUTES,
  a: ['href', ...GLOBAL_ATTRIBUTES],
  ol: ['start', 'reversed', ...GLOBAL_ATTRIBUTES],
  th: ['scope', 'colspan', 'rowspan', ...GLOBAL_ATTRIBUTES],
  td: ['colspan', 'rowspan', ...GLOBAL_ATTRIBUTES],
};
/** nhsuk-frontend's classes (`nhsuk-list--number`) and the site's own (`app-...`). */
const ALLOWED_CLASS = /^(?:nhsuk|app)-[a-z0-9_-]+$/;
const ALLOWED_SCHEMES = ['http', 'https', 'mailto', 'tel'];

/** Why a tag is refused, for the tags people most often try. */
const REFUSED: Record<string, string> = {
  script: 'scripts cannot run in content (the Content Security Policy blocks them)',
  noscript: 'scripts cannot run in content',
  style: 'styles belong in the site stylesheet; use nhsuk-frontend classes instead',
  link: 'styles belong in the site stylesheet; use nhsuk-frontend classes instead',
  iframe: 'pages cannot embed other sites; link to the page instead',
  frame: 'pages cannot embed other sites; link to the page instead',
  object: 'pages cannot embed other content; link to it instead',
  embed: 'pages cannot embed other content; link to it instead',
  img: 'write images in markdown, ![alt text](/images/name.png), so they get their size and a cached address',
  h1: 'the page title is the only h1; use ## or ### headings in markdown',
  h2: 'write headings in markdown (## Heading) so they get an id and a section',
  h3: 'write headings in markdown (### Heading) so they get an id and a section',
  form: 'forms cannot be written in content',
  input: 'forms cannot be written in content',
  button: 'forms cannot be written in content',
};

export interface HtmlCheck {
  /** What is refused, each with its line offset inside the HTML (0 for the first line). */
  problems: { offset: number; message: string }[];
  /** Every `<a href>`, so that links in HTML are checked like markdown links. */
  links: { offset: number; href: string }[];
}

function lineOffset(html: string, position: number): number {
  let lines = 0;
  for (let i = 0; i < position; i += 1) if (html.charCodeAt(i) === 10) lines += 1;
  return lines;
}

/** Every refused tag, attribute, class and link scheme in a piece of HTML, with its line. */
export function checkHtml(html: string): HtmlCheck {
  const result: HtmlCheck = { problems: [], links: [] };
  let cursor = 0;
  sanitizeHtml(html, {
    allowedTags: false,
    allowedAttributes: false,
    allowVulnerableTags: true,
    onOpenTag(name, attributes) {
      // Tags arrive in document order, so the next `<name` from the cursor is this one.
      const found = new RegExp(`<${name}(?=[\\s/>])`, 'ig');
      found.lastIndex = cursor;
      const match = found.exec(html);
      if (match) cursor = match.index + 1;
      const offset = lineOffset(html, match ? match.index : cursor);
      const refuse = (message: string): void => {
        result.problems.push({ offset, message });
      };
      if (!ALLOWED_TAGS.includes(name)) {
        refuse(`HTML <${name}> is not allowed: ${REFUSED[name] ?? `content may use ${ALLOWED_TAGS.map((t) => `<${t}>`).join(' ')}`}`);
        return;
      }
      const allowed = ALLOWED_ATTRIBUTES[name] ?? GLOBAL_ATTRIBUTES;
      for (const [attribute, value] of Object.entries(attributes)) {
        if (/^on/i.test(attribute)) refuse(`HTML event handler ${attribute}="…" on <${name}> is not allowed: scripts cannot run in content`);
        else if (attribute === 'style') refuse(`inline style on <${name}> is not allowed: use nhsuk-frontend classes (for example nhsuk-u-margin-bottom-3)`);
        else if (!allowed.includes(attribute)) refuse(`HTML attribute "${attribute}" on <${name}> is not allowed (allowed: ${allowed.join(', ')})`);
        else if (attribute === 'class') {
          for (const name_ of value.split(/\s+/).filter(Boolean)) {
            if (!ALLOWED_CLASS.test(name_)) refuse(`HTML class "${name_}" on <${name}> is not allowed: use nhsuk-frontend classes (nhsuk-...) or the site's own (app-...)`);
          }
        } else if (attribute === 'href') {
          const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(value.trim())?.[1]?.toLowerCase();
          if (scheme && !ALLOWED_SCHEMES.includes(scheme)) refuse(`HTML link "${value}" uses ${scheme}:, which is not allowed`);
          else result.links.push({ offset, href: value });
        }
      }
    },
  });
  return result;
}

const CLASSES = Object.fromEntries(ALLOWED_TAGS.map((tag) => [tag, ['nhsuk-*', 'app-*']]));

/** The HTML with everything outside the allowlist removed (and comments dropped). */
export function sanitiseHtml(html: string): string {
  return sanitizeHtml(html, {
    allowedTags: ALLOWED_TAGS,
    allowedAttributes: ALLOWED_ATTRIBUTES,
    allowedClasses: CLASSES,
    allowedSchemes: ALLOWED_SCHEMES,
    allowProtocolRelative: false,
    disallowedTagsMode: 'discard',
  });
}

/**
 * One inline tag (`<abbr title="…">`, `</abbr>`, `<br>`) as markdown-it hands it over: checked
 * like a block, and written back from its parsed name and attributes so nothing else survives.
 */
export function sanitiseInlineTag(tag: string): string {
  const closing = /^<\/([a-z][a-z0-9]*)\s*>$/i.exec(tag.trim());
  if (closing) return ALLOWED_TAGS.includes(closing[1]!.toLowerCase()) ? `</${closing[1]!.toLowerCase()}>` : '';
  if (/^<!--[\s\S]*-->$/.test(tag.trim())) return '';
  // sanitize-html closes what it opens: keep the opening tag it writes, drop its closing tag.
  const clean = sanitiseHtml(tag);
  const opening = /^<[a-z][a-z0-9]*(?:\s[^>]*)?>/i.exec(clean);
  return opening ? opening[0] : '';
}

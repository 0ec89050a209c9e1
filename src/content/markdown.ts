import MarkdownIt from 'markdown-it';

type Token = MarkdownIt.Token;
type RuleBlock = MarkdownIt.ParserBlock.RuleBlock;
import container from 'markdown-it-container';
import type { ProseBlock } from './readability';
import { checkHtml, sanitiseHtml, sanitiseInlineTag } from './raw-html';
import { findCodes } from './reference-codes';
import { ownCopy } from './detach';
import { SNIPPET_LIKE, SNIPPET_LINE, SNIPPETS_FOLDER } from './snippets';

export interface Heading {
  id: string;
  text: string;
  level: number;
  /** 1-based line in the markdown body. */
  line: number;
}

/** A heading (h2 or h3) and the plain text under it, up to the next h2 or h3. */
export interface Section extends Heading {
  body: string;
  /** Codes named in the heading text. */
  headingCodes: string[];
  /** Codes named in the body text, with the line of their first mention. */
  bodyCodes: { code: string; line: number }[];
  /** The body text block by block (paragraphs, list items), without code, for reading age; only when the site is loaded with `prose`. */
  prose?: ProseBlock[];
}

export interface Link {
  href: string;
  line: number;
}

export interface RenderedMarkdown {
  html: string;
  headings: Heading[];
  sections: Section[];
  links: Link[];
  /** Codes mentioned before the first heading, which no section can own. */
  orphanCodes: { code: string; line: number }[];
  /** Problems in the markdown itself (unknown snippet, bad heading id), by line. */
  problems: { line: number; message: string }[];
}

export interface MarkdownOptions {
  /** Snippets by name, included with `{{snippet name}}` on a line of its own. */
  snippets?: ReadonlyMap<string, string>;
  /** Record each section's prose blocks, for the reading-age checks (the server does not need them). */
  prose?: boolean;
}

/** An image as a page shows it: its versioned URL and its size in pixels. */
export interface ResolvedImage {
  url: string;
  width: number;
  height: number;
}

/** What a page's markdown needs from outside it: its section aliases and the image files. */
export interface MarkdownContext {
  /** Old section id -> current heading id (front matter `section_aliases`). */
  aliases?: Map<string, string>;
  /** The served form of an image `src`, or why there is none. */
  resolveImage?: (src: string) => ResolvedImage | string;
  /** Render the HTML (the default); false only parses and checks, and gives empty `html`. */
  html?: boolean;
}

/** The NHS.UK components that content can use through `::: name` blocks. */
export type ComponentName = 'insetText' | 'warningCallout' | 'details';
export type RenderComponent = (name: ComponentName, params: Record<string, unknown>) => string;

const BLOCKS: Record<string, { component: ComponentName; toParams: (title: string, html: string) => Record<string, unknown> }> = {
  inset: { component: 'insetText', toParams: (_title, html) => ({ html }) },
  warning: {
    component: 'warningCallout',
    toParams: (title, html) => ({ heading: title || 'Important', html }),
  },
  details: { component: 'details', toParams: (title, html) => ({ summary: { text: title || 'More information' }, html }) },
};

/**
 * The heading id rule: lower case, every run of other characters than letters and digits
 * becomes one hyphen, no hyphen at either end. `Expired link – Reference CID3006` ->
 * `expired-link-reference-cid3006`.
 */
export function slugify(text: string): string {
  return asciiSlug(text) ?? unicodeSlug(text);
}

/** slugify for any text: accents taken off letters (NFKD), then the rule. */
export function unicodeSlug(text: string): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['’]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug || 'section';
}

/**
 * slugify in one pass for text that is all ASCII (NFKD leaves it as it is), or undefined for
 * any other: most headings are, and each page's are slugged as it is parsed.
 */
function asciiSlug(text: string): string | undefined {
  let slug = '';
  let gap = false;
  for (let i = 0; i < text.length; i += 1) {
    let code = text.charCodeAt(i);
    if (code >= 128) return undefined;
    if (code >= 65 && code <= 90) code += 32;
    if ((code >= 97 && code <= 122) || (code >= 48 && code <= 57)) {
      if (gap && slug !== '') slug += '-';
      gap = false;
      slug += String.fromCharCode(code);
    } else if (code !== 39) gap = true;
  }
  return slug || 'section';
}

/** Makes `slug` unique among `used` by adding -2, -3, ... and records it. */
export function uniqueSlug(slug: string, used: Set<string>): string {
  let candidate = slug;
  for (let n = 2; used.has(candidate); n += 1) candidate = `${slug}-${n}`;
  used.add(candidate);
  return candidate;
}

/** An explicit id at the end of a heading: `## Heading text {#explicit-id}`. */
const EXPLICIT_ID = /\s*\{#([^}]*)\}\s*$/;
const VALID_ID = /^[a-z0-9][a-z0-9-]*$/;

/** A character V8 cannot hold in one byte (or a rare control character, which only costs a copy). */
const BEYOND_LATIN1 = /[^\t\n\r\x20-\xff]/;

/** The link added to a section that owns a code and has no link to the contact form. */
export function contactLinkHtml(code: string, escape: (text: string) => string): string {
  return `<p class="app-contact-code"><a href="${escape(`/contact?error=${encodeURIComponent(code)}`)}">Contact us about ${escape(code)}</a></p>\n`;
}

function isContactLink(href: string): boolean {
  return /^\/contact(?:[?#]|$)/.test(href);
}

/** Removes a trailing `{#id}` from a heading's inline token, and returns the id written. */
function takeExplicitId(inline: Token | undefined): string | undefined {
  const last = inline?.children?.[inline.children.length - 1];
  if (!inline || !last || last.type !== 'text') return undefined;
  const match = EXPLICIT_ID.exec(last.content);
  if (!match) return undefined;
  last.content = last.content.slice(0, match.index);
  inline.content = inline.content.replace(EXPLICIT_ID, '');
  return match[1]!.trim();
}

function inlineText(token: Token | undefined): string {
  if (!token?.children) return token?.content ?? '';
  return token.children
    .filter((child) => child.type === 'text' || child.type === 'code_inline')
    .map((child) => child.content)
    .join('');
}

interface Env {
  result: Omit<RenderedMarkdown, 'html'>;
  /** True while a snippet is being parsed, so snippets cannot include snippets. */
  inSnippet?: boolean;
  /** Record each section's prose blocks (for the reading-age checks). */
  prose?: boolean;
  /** Whether the markdown has a character beyond Latin-1, so that V8 holds it, and all cut from it, in two bytes a character. */
  wideSource?: boolean;
  context: MarkdownContext;
}

/**
 * One pass over the finished token stream gives every h2/h3 its id and records headings,
 * sections, links and the codes each section names. Nothing else computes heading ids.
 * An explicit `{#id}` wins over the slug; slugs never take an id written explicitly.
 * Returns, for each section, the index of its heading_open token and whether it links to /contact.
 */
function recordStructure(tokens: Token[], env: Env): { start: number; section: Section; linksToContact: boolean }[] {
  const { headings, sections, links, orphanCodes, problems } = env.result;
  const isHeading = (token: Token): boolean => token.type === 'heading_open' && (token.tag === 'h2' || token.tag === 'h3');

  const explicit = new Map<number, string>();
  const explicitTexts = new Map<string, string>();
  for (let i = 0; i < tokens.length; i += 1) {
    if (!isHeading(tokens[i]!)) continue;
    const id = takeExplicitId(tokens[i + 1]);
    if (id === undefined) continue;
    const line = (tokens[i]!.map?.[0] ?? 0) + 1;
    if (!VALID_ID.test(id)) {
      problems.push({ line, message: `heading id "${id}" must be lower-case letters, digits and hyphens, starting with a letter or digit` });
    } else if (explicitTexts.has(id)) {
      problems.push({ line, message: `heading id "${id}" is already used on this page, by "${explicitTexts.get(id)}"` });
    } else {
      explicit.set(i, id);
      explicitTexts.set(id, inlineText(tokens[i + 1]).trim());
    }
  }

  const used = new Set<string>(explicitTexts.keys());
  const owned: { start: number; section: Section; linksToContact: boolean }[] = [];
  let current: (typeof owned)[number] | undefined;
  // A section's text is joined once, at the end: joining as it goes would keep every piece (and,
  // through them, the whole file) alive behind the string.
  const bodies = new Map<Section, string[]>();
  for (let i = 0; i < tokens.length; i += 1) {
    const token = tokens[i]!;
    const line = (token.map?.[0] ?? 0) + 1;
    if (isHeading(token)) {
      const text = inlineText(tokens[i + 1]).trim();
      const id = explicit.get(i) ?? uniqueSlug(slugify(text), used);
      token.attrSet('id', id);
      const heading: Heading = { id, text, level: Number(token.tag.slice(1)), line };
      headings.push(heading);
      const section: Section = { id, text, level: heading.level, line, body: '', headingCodes: findCodes(text), bodyCodes: [], prose: undefined };
      if (env.prose) section.prose = [];
      sections.push(section);
      current = { start: i, section, linksToContact: false };
      owned.push(current);
      i += 2; // the inline and heading_close tokens belong to the heading
      continue;
    }
    if (token.type !== 'inline') continue;
    // Line breaks inside a paragraph move the line on, so links and codes get their own line.
    let childLine = line;
    let prose = '';
    for (const child of token.children ?? []) {
      if (child.type === 'softbreak' || child.type === 'hardbreak') {
        childLine += 1;
        if (env.prose) prose += '\n';
      } else if (child.type === 'link_open') {
        const href = String(child.attrGet('href') ?? '');
        links.push({ href, line: childLine });
        if (current && isContactLink(href)) current.linksToContact = true;
      } else if (child.type === 'text' || child.type === 'code_inline') {
        if (child.type === 'text' && env.prose) prose += child.content;
        if (child.content.includes('{{') && SNIPPET_LIKE.test(child.content)) {
          problems.push({ line: childLine, message: 'a snippet goes on a line of its own, with a blank line before and after: {{snippet name}}' });
        }
        for (const code of findCodes(child.content)) {
          if (!current) orphanCodes.push({ code, line: childLine });
          else if (!current.section.bodyCodes.some((c) => c.code === code)) current.section.bodyCodes.push({ code, line: childLine });
        }
      }
    }
    const text = inlineText(token);
    if (current) {
      const parts = bodies.get(current.section) ?? [];
      if (parts.length === 0) bodies.set(current.section, parts);
      if (text) parts.push(text);
      if (env.prose && prose.trim()) current.section.prose?.push({ text: prose, line });
    }
  }
  // A file with one character beyond Latin-1 (an en dash in a heading) is held in two bytes a
  // character, and so is every piece cut from it: a section of plain text is copied into one byte a character.
  for (const [section, parts] of bodies) {
    const body = parts.join(' ');
    section.body = parts.length === 1 || (env.wideSource && !BEYOND_LATIN1.test(body)) ? ownCopy(body) : body;
  }
  return owned;
}

/**
 * Adds "Contact us about CIDnnnn" at the end of every section that names a code and has no
 * link to the contact form, before any section break that closes it.
 */
function addContactLinks(md: MarkdownIt, tokens: Token[], owned: ReturnType<typeof recordStructure>): void {
  const Token = tokens[0]?.constructor as (new (type: string, tag: string, nesting: number) => Token) | undefined;
  if (!Token) return;
  for (let k = owned.length - 1; k >= 0; k -= 1) {
    const { start, section, linksToContact } = owned[k]!;
    const codes = [...new Set([...section.headingCodes, ...section.bodyCodes.map((c) => c.code)])];
    if (linksToContact || codes.length === 0) continue;
    let end = owned[k + 1]?.start ?? tokens.length;
    while (end > start + 3 && tokens[end - 1]!.type === 'hr') end -= 1;
    const token = new Token('html_block', '', 0);
    token.content = codes.map((code) => contactLinkHtml(code, (text) => md.utils.escapeHtml(text))).join('');
    token.map = tokens[end - 1]?.map ?? null;
    tokens.splice(end, 0, token);
  }
}

/** The block rule for `{{snippet name}}`: parses the snippet in place, every token on the include's line. */
function snippetRule(snippets: ReadonlyMap<string, string>): RuleBlock {
  return (state, startLine, _endLine, silent) => {
    if (state.sCount[startLine]! - state.blkIndent >= 4) return false;
    const from = state.bMarks[startLine]! + state.tShift[startLine]!;
    const match = SNIPPET_LINE.exec(state.src.slice(from, state.eMarks[startLine]));
    if (!match) return false;
    if (silent) return true;
    const env = state.env as unknown as Env;
    const name = match[1]!;
    const source = snippets.get(name);
    if (env.inSnippet) {
      env.result.problems.push({ line: startLine + 1, message: `snippet "${name}" is included inside another snippet; snippets cannot include snippets` });
    } else if (source === undefined) {
      env.result.problems.push({ line: startLine + 1, message: `unknown snippet "${name}" (snippets are in content/${SNIPPETS_FOLDER}/)` });
    } else {
      const inner: Token[] = [];
      env.inSnippet = true;
      state.md.block.parse(source, state.md, state.env, inner);
      env.inSnippet = false;
      for (const token of inner) {
        token.map = [startLine, startLine + 1];
        token.level += state.level;
        state.tokens.push(token);
      }
    }
    state.line = startLine + 1;
    return true;
  };
}

/**
 * The characters markdown-it's inline rules can give a meaning to, as a character class's
 * contents: its terminators (`isTerminatorChar`: newline and ! # $ % & * + - : < = > @ [ \ ] ^ _ ` { } ~).
 */
const TERMINATORS = '\\n!#$%&*+\\-:<=>@[\\\\\\]^_`{}~';

/** A run of characters markdown-it's inline rules give no meaning to: every character but its terminators. */
const PLAIN_RUN = new RegExp(`[^${TERMINATORS}]+`, 'y');

/**
 * markdown-it's `text` rule, finding the end of the run with one sticky regular expression
 * rather than a call per character: the same tokens, and most of the inline parse is this rule.
 */
const plainText: MarkdownIt.ParserInline.RuleInline = (state, silent) => {
  const from = state.pos;
  PLAIN_RUN.lastIndex = from;
  if (!PLAIN_RUN.test(state.src)) return false;
  const to = Math.min(PLAIN_RUN.lastIndex, state.posMax);
  if (to <= from) return false;
  if (!silent) state.pending += state.src.slice(from, to);
  state.pos = to;
  return true;
};

// ---- Section aliases: old ids kept at the section they moved to ----------------------------

/**
 * Puts an empty element carrying each old id first inside the heading it now points to, so a
 * browser following `#old-id` lands on that heading, with or without JavaScript. Aliases whose
 * target is not a heading, or whose old id is still a heading, are left to the site's checks.
 */
function addAliasAnchors(tokens: Token[], env: Env): void {
  const aliases = env.context.aliases;
  if (!aliases || aliases.size === 0) return;
  const ids = new Set(env.result.headings.map((h) => h.id));
  for (let i = 0; i < tokens.length; i += 1) {
    const token = tokens[i]!;
    const inline = tokens[i + 1];
    if (token.type !== 'heading_open' || !inline?.children) continue;
    const id = token.attrGet('id');
    const old = [...aliases].filter(([from, to]) => to === id && !ids.has(from)).map(([from]) => from);
    const anchors = old.sort().map((from) => {
      const anchor = new (inline.constructor as new (type: string, tag: string, nesting: number) => Token)('section_alias', 'span', 0);
      anchor.attrSet('id', from);
      return anchor;
    });
    inline.children.unshift(...anchors);
  }
}

function renderAlias(tokens: Token[], idx: number): string {
  return `<span id="${tokens[idx]!.attrGet('id')}" class="app-section-alias"></span>`;
}

// ---- Raw HTML: checked against the allowlist, then sanitised -------------------------------

/** Refuses HTML outside the allowlist with its line, records its links, and sanitises it. */
function checkRawHtml(tokens: Token[], env: Env): void {
  const report = (content: string, line: number): void => {
    const check = checkHtml(content);
    for (const problem of check.problems) env.result.problems.push({ line: line + problem.offset, message: problem.message });
    for (const link of check.links) env.result.links.push({ href: link.href, line: line + link.offset });
  };
  for (const token of tokens) {
    const line = (token.map?.[0] ?? 0) + 1;
    if (token.type === 'html_block') {
      report(token.content, line);
      token.content = `${sanitiseHtml(token.content).trim()}\n`;
    } else if (token.type === 'inline') {
      let childLine = line;
      for (const child of token.children ?? []) {
        if (child.type === 'softbreak' || child.type === 'hardbreak') childLine += 1;
        else if (child.type === 'html_inline') {
          if (!child.content.startsWith('</')) report(child.content, childLine);
          child.content = sanitiseInlineTag(child.content);
        }
      }
    }
  }
}

// ---- Images: files under content/_images, with their size and alt text ---------------------

/** The title that marks an image as decorative: `![](/images/divider.png "decorative")`. */
export const DECORATIVE = 'decorative';

/** Gives every image its served URL, width and height; refuses missing files and missing alt text. */
function resolveImages(tokens: Token[], env: Env): void {
  for (const token of tokens) {
    if (token.type !== 'inline') continue;
    let line = (token.map?.[0] ?? 0) + 1;
    for (const child of token.children ?? []) {
      if (child.type === 'softbreak' || child.type === 'hardbreak') line += 1;
      if (child.type !== 'image') continue;
      const src = String(child.attrGet('src') ?? '');
      const alt = child.content.trim();
      const decorative = child.attrGet('title') === DECORATIVE;
      const problem = (message: string): void => {
        env.result.problems.push({ line, message });
      };
      if (decorative) {
        child.attrs = (child.attrs ?? []).filter(([name]) => name !== 'title');
        if (alt) problem(`image "${src}" is marked "${DECORATIVE}" but has alt text "${alt}": remove one of them`);
      } else if (!alt) {
        problem(`image "${src}" has no alt text: describe it, ![What the image shows](${src}), or if it only decorates the page mark it ![](${src} "${DECORATIVE}")`);
      }
      const resolved = env.context.resolveImage ? env.context.resolveImage(src) : `image "${src}" cannot be shown here`;
      if (typeof resolved === 'string') {
        problem(resolved);
        continue;
      }
      child.attrSet('src', resolved.url);
      child.attrSet('width', String(resolved.width));
      child.attrSet('height', String(resolved.height));
    }
  }
}

/** Replaces each `::: name` block's tokens by the HTML of the matching NHS.UK component. */
function renderBlocks(md: MarkdownIt, tokens: Token[], env: Env, renderComponent: RenderComponent): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < tokens.length; i += 1) {
    const token = tokens[i]!;
    const match = /^container_(\w+)_open$/.exec(token.type);
    const block = match ? BLOCKS[match[1]!] : undefined;
    if (!match || !block) {
      out.push(token);
      continue;
    }
    let depth = 1;
    let j = i + 1;
    for (; j < tokens.length; j += 1) {
      if (tokens[j]!.type === token.type) depth += 1;
      else if (tokens[j]!.type === `container_${match[1]}_close` && --depth === 0) break;
    }
    const inner = renderBlocks(md, tokens.slice(i + 1, j), env, renderComponent);
    const html = md.renderer.render(inner, md.options, env).trim();
    const title = token.info.trim().slice(match[1]!.length).trim();
    const replacement = new (token.constructor as new (type: string, tag: string, nesting: number) => Token)(
      'html_block',
      '',
      0,
    );
    replacement.content = `${renderComponent(block.component, block.toParams(title, html)).trim()}\n`;
    replacement.map = token.map;
    out.push(replacement);
    i = j;
  }
  return out;
}

/** Inline text none of markdown-it's inline rules would give any meaning to: no terminator character at all. */
const PLAIN_INLINE = new RegExp(`^[^${TERMINATORS}]+$`);

/**
 * markdown-it's `inline` core rule, which parses each block's inline content, giving content that
 * is plain text (PLAIN_INLINE) the one text token markdown-it's inline parser would give it,
 * without running the parser: most paragraphs and list items of plain prose. Other content is
 * parsed as before.
 */
export function plainInline(md: MarkdownIt): void {
  md.core.ruler.at('inline', (state) => {
    for (const token of state.tokens) {
      if (token.type !== 'inline') continue;
      token.children ??= [];
      if (PLAIN_INLINE.test(token.content)) {
        const text = new state.Token('text', '', 0);
        text.content = token.content;
        token.children.push(text);
      } else state.md.inline.parse(token.content, state.md, state.env, token.children);
    }
  });
}

/** markdown-it's block state, whose constructor marks where each line starts, ends and is indented. */
type BlockStateClass = MarkdownIt['block']['State'];

/**
 * markdown-it's block state with the same line marks, found faster: markdown-it reads every
 * character of the source in a loop of its own to find the ends of lines, where `indexOf` finds
 * each line's end and only its indentation is read character by character. At 1,000 articles
 * that loop was a tenth of start-up's parsing. The state is made as markdown-it makes it, for an
 * empty source, then given the source and its marks, so every other field stays markdown-it's own.
 */
export function fasterBlockState(State: BlockStateClass): BlockStateClass {
  function FasterState(this: MarkdownIt.StateBlock, src: string, md: MarkdownIt, env: unknown, tokens: Token[]): void {
    (State as unknown as (this: MarkdownIt.StateBlock, ...args: unknown[]) => void).call(this, '', md, env, tokens);
    const bMarks: number[] = [];
    const eMarks: number[] = [];
    const tShift: number[] = [];
    const sCount: number[] = [];
    const bsCount: number[] = [];
    const length = src.length;
    let start = 0;
    while (start < length) {
      // Spaces and tabs first, as markdown-it counts them: a tab to the next multiple of 4.
      let pos = start;
      let offset = 0;
      for (; pos < length; pos += 1) {
        const code = src.charCodeAt(pos);
        if (code === 0x20) offset += 1;
        else if (code === 0x09) offset += 4 - (offset % 4);
        else break;
      }
      // A last line of nothing but spaces, with no line break after it, is no line to markdown-it.
      if (pos === length) break;
      const newline = src.indexOf('\n', pos);
      const end = newline < 0 ? length : newline;
      bMarks.push(start);
      eMarks.push(end);
      tShift.push(pos - start);
      sCount.push(offset);
      bsCount.push(0);
      start = end + 1;
    }
    // markdown-it's fake last line, which spares its rules a bounds check.
    bMarks.push(length);
    eMarks.push(length);
    tShift.push(0);
    sCount.push(0);
    bsCount.push(0);
    Object.assign(this, { src, bMarks, eMarks, tShift, sCount, bsCount, lineMax: bMarks.length - 1 });
  }
  FasterState.prototype = State.prototype;
  return FasterState as unknown as BlockStateClass;
}

/**
 * The markdown parser for articles and hubs: markdown-it with our heading ids, snippets,
 * contact links for code sections, section aliases, checked raw HTML, images and NHS.UK blocks.
 */
export function createMarkdown(
  renderComponent: RenderComponent,
  options: MarkdownOptions = {},
): (source: string, context?: MarkdownContext) => RenderedMarkdown {
  const md = new MarkdownIt({ html: true, linkify: false, typographer: false });
  md.block.State = fasterBlockState(md.block.State);
  plainInline(md);
  for (const name of Object.keys(BLOCKS)) md.use(container, name);
  md.block.ruler.before('paragraph', 'snippet', snippetRule(options.snippets ?? new Map()));
  md.inline.ruler.at('text', plainText);

  md.core.ruler.push('help_centre_structure', (state) => {
    const env = state.env as unknown as Env;
    checkRawHtml(state.tokens, env);
    resolveImages(state.tokens, env);
    const owned = recordStructure(state.tokens, env);
    addContactLinks(md, state.tokens, owned);
    addAliasAnchors(state.tokens, env);
    state.tokens = renderBlocks(md, state.tokens, env, renderComponent);
  });

  const renderHr = md.renderer.rules.hr ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
  md.renderer.rules.hr = (tokens, idx, options, env, self) => {
    tokens[idx]!.attrSet('class', 'nhsuk-section-break nhsuk-section-break--l nhsuk-section-break--visible');
    return renderHr(tokens, idx, options, env, self);
  };

  md.renderer.rules.section_alias = renderAlias;

  return (source, context = {}) => {
    const env: Env = {
      result: { headings: [], sections: [], links: [], orphanCodes: [], problems: [] },
      context,
      prose: options.prose,
      wideSource: BEYOND_LATIN1.test(source),
    };
    const tokens = md.parse(source, env);
    const html = context.html === false ? '' : md.renderer.render(tokens, md.options, env);
    return { html, ...env.result };
  };
}

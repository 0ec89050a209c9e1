import MarkdownIt from 'markdown-it';

type Token = MarkdownIt.Token;
import container from 'markdown-it-container';
import { findCodes } from './reference-codes';

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
  details: { component: 'details', toParams: (title, html) => ({ summaryText: title || 'More information', html }) },
};

/**
 * The heading id rule: lower case, every run of other characters than letters and digits
 * becomes one hyphen, no hyphen at either end. `Expired link – Reference CID3006` ->
 * `expired-link-reference-cid3006`.
 */
export function slugify(text: string): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['’]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug || 'section';
}

/** Makes `slug` unique among `used` by adding -2, -3, ... and records it. */
export function uniqueSlug(slug: string, used: Set<string>): string {
  let candidate = slug;
  for (let n = 2; used.has(candidate); n += 1) candidate = `${slug}-${n}`;
  used.add(candidate);
  return candidate;
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
}

/**
 * One pass over the finished token stream gives every h2/h3 its id and records headings,
 * sections, links and the codes each section names. Nothing else computes heading ids.
 */
function recordStructure(tokens: Token[], env: Env): void {
  const used = new Set<string>();
  const { headings, sections, links, orphanCodes } = env.result;
  let current: Section | undefined;
  for (let i = 0; i < tokens.length; i += 1) {
    const token = tokens[i]!;
    const line = (token.map?.[0] ?? 0) + 1;
    if (token.type === 'heading_open' && (token.tag === 'h2' || token.tag === 'h3')) {
      const text = inlineText(tokens[i + 1]).trim();
      const id = uniqueSlug(slugify(text), used);
      token.attrSet('id', id);
      const heading: Heading = { id, text, level: Number(token.tag.slice(1)), line };
      headings.push(heading);
      current = { ...heading, body: '', headingCodes: findCodes(text), bodyCodes: [] };
      sections.push(current);
      i += 2; // the inline and heading_close tokens belong to the heading
      continue;
    }
    if (token.type !== 'inline') continue;
    // Line breaks inside a paragraph move the line on, so links and codes get their own line.
    let childLine = line;
    for (const child of token.children ?? []) {
      if (child.type === 'softbreak' || child.type === 'hardbreak') childLine += 1;
      else if (child.type === 'link_open') links.push({ href: String(child.attrGet('href') ?? ''), line: childLine });
      else if (child.type === 'text' || child.type === 'code_inline') {
        for (const code of findCodes(child.content)) {
          if (!current) orphanCodes.push({ code, line: childLine });
          else if (!current.bodyCodes.some((c) => c.code === code)) current.bodyCodes.push({ code, line: childLine });
        }
      }
    }
    const text = inlineText(token);
    if (current) current.body = current.body ? `${current.body} ${text}` : text;
  }
}

/** Replaces each `::: name` block's tokens by the HTML of the matching NHS.UK component. */
function renderBlocks(md: MarkdownIt.MarkdownIt, tokens: Token[], env: Env, renderComponent: RenderComponent): Token[] {
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
    const html = md.renderer.render(inner, md.options, env as unknown as MarkdownIt.Env).trim();
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

/** The markdown parser for articles and hubs: markdown-it with our heading ids and NHS.UK blocks. */
export function createMarkdown(renderComponent: RenderComponent): (source: string) => RenderedMarkdown {
  const md = new MarkdownIt({ html: false, linkify: false, typographer: false });
  for (const name of Object.keys(BLOCKS)) md.use(container, name);

  md.core.ruler.push('help_centre_structure', (state) => {
    const env = state.env as unknown as Env;
    recordStructure(state.tokens, env);
    state.tokens = renderBlocks(md, state.tokens, env, renderComponent);
  });

  const renderHr = md.renderer.rules.hr ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
  md.renderer.rules.hr = (tokens, idx, options, env, self) => {
    tokens[idx]!.attrSet('class', 'nhsuk-section-break nhsuk-section-break--l nhsuk-section-break--visible');
    return renderHr(tokens, idx, options, env, self);
  };

  return (source) => {
    const env: Env = { result: { headings: [], sections: [], links: [], orphanCodes: [] } };
    const html = md.render(source, env as unknown as MarkdownIt.Env);
    return { html, ...env.result };
  };
}

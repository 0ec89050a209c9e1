/**
 * A page rendered once with placeholders where each request's parts go, and cut there, so that
 * a request only joins strings: the search page and the contact form. What goes in a hole is
 * HTML, escaped by the caller as the views would have escaped it (escape.ts `escapeAsViews`).
 */

/**
 * The placeholder for a part: made of a control character that nothing else a shell is rendered
 * with holds (its fixed text, the return link's service), and that autoescape leaves as it is.
 * Parts go in after the cut, so what they hold cannot be taken for a placeholder.
 */
export function placeholder(name: string): string {
  return `\u0001${name}\u0001`;
}

// eslint-disable-next-line no-control-regex
const PLACEHOLDER = /\u0001([A-Za-z]+)\u0001/g;

/** A rendered page cut at its placeholders: `pieces` has one more string than `holes`. */
export interface Shell<Part extends string = string> {
  pieces: readonly string[];
  /** The name of the part each hole takes, in the order they stand in the page. */
  holes: readonly Part[];
}

/**
 * Cuts a rendered view at its placeholders, which must stand in the page as many times as
 * `holes` names them (in any order): a view that lost or gained one fails loudly here, where
 * its shell is made, rather than sending a page with a part missing or shown twice.
 */
export function cutShell<Part extends string>(view: string, html: string, holes: readonly Part[]): Shell<Part> {
  const pieces: string[] = [];
  const found: string[] = [];
  let from = 0;
  for (const match of html.matchAll(PLACEHOLDER)) {
    pieces.push(html.slice(from, match.index));
    found.push(match[1]!);
    from = match.index + match[0].length;
  }
  pieces.push(html.slice(from));
  const sorted = (names: readonly string[]): string => [...names].sort().join(', ');
  if (sorted(found) !== sorted(holes)) {
    throw new Error(`${view} must show the placeholders ${sorted(holes)} (it shows ${sorted(found) || 'none'})`);
  }
  return { pieces, holes: found as Part[] };
}

/** How to make one page's shells: the view, its locals for a variant, and where to cut it. */
export interface ShellRecipe<Variant extends string, S> {
  view: string;
  locals(variant: Variant): Record<string, unknown>;
  cut(html: string, variant: Variant): S;
}

/** The page: the shell with each hole filled with its part (HTML, already escaped). */
export function fillShell<Part extends string>(shell: Shell<Part>, parts: Readonly<Record<Part, string>>): string {
  let html = shell.pieces[0]!;
  for (let i = 0; i < shell.holes.length; i += 1) html += parts[shell.holes[i]!] + shell.pieces[i + 1]!;
  return html;
}

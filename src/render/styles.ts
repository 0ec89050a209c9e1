import fs from 'node:fs';
import path from 'node:path';

/**
 * The NHS.UK frontend components this site uses. The stylesheet is built from nhsuk-frontend's
 * Sass with only these, instead of the whole library.
 */
export const COMPONENTS = [
  'back-link',
  'breadcrumb',
  'button',
  'card',
  'character-count',
  'contents-list',
  'details',
  'error-message',
  'error-summary',
  'fieldset',
  'footer',
  'header',
  'hero',
  'hint',
  'input',
  'inset-text',
  'label',
  'pagination',
  'radios',
  'search-input',
  'select',
  'skip-link',
  'tables',
  'textarea',
  'warning-callout',
];

const FONT_FILES = [
  { weight: '$nhsuk-font-weight-normal', file: 'FrutigerLTW01-55Roman' },
  { weight: '$nhsuk-font-weight-bold', file: 'FrutigerLTW01-65Bold' },
];

/** The Sass entry point: nhsuk-frontend's core, our components, and the NHS font unless switched off. */
export function stylesEntry(options: { fonts: boolean; fontsPath: string }): string {
  const lines = [
    `@use "nhsuk-frontend/dist/nhsuk/core" as * with ($nhsuk-include-font-face: false, $nhsuk-fonts-path: "${options.fontsPath}");`,
    ...COMPONENTS.map((name) => `@use "nhsuk-frontend/dist/nhsuk/components/${name}";`),
  ];
  // nhsuk-frontend sets the page font only with its own @font-face, which we replace.
  lines.push(`html { font-family: ${options.fonts ? '$nhsuk-font-family' : '$nhsuk-font-fallback'}; }`);
  if (options.fonts) {
    for (const { weight, file } of FONT_FILES) {
      lines.push(
        `@font-face { font-family: "Frutiger W01"; font-style: normal; font-weight: ${weight}; font-display: swap; ` +
          `src: nhsuk-font-url("${file}.woff2") format("woff2"), nhsuk-font-url("${file}.woff") format("woff"); }`,
      );
    }
  }
  return lines.join('\n');
}

/** The Unicode replacement character, which Sass prints for the `\\0` in `@media screen\\0`. */
const REPLACEMENT_CHARACTER = '\uFFFD';

/**
 * Removes `@media screen\\0 { … }` blocks from compiled CSS. nhsuk-frontend's details component
 * uses that old hack to target Internet Explorer 9 and 10 only. No browser we support applies
 * those rules, and Sass cannot print a NUL escape, so it writes U+FFFD instead: invalid CSS
 * that checkers report. A block ends at its matching closing brace.
 */
export function removeIeOnlyMedia(css: string): string {
  const opener = `@media screen${REPLACEMENT_CHARACTER}`;
  let result = css;
  for (let start = result.indexOf(opener); start >= 0; start = result.indexOf(opener, start)) {
    let depth = 0;
    let end = result.indexOf('{', start);
    for (; end < result.length; end += 1) {
      if (result[end] === '{') depth += 1;
      else if (result[end] === '}' && --depth === 0) break;
    }
    result = `${result.slice(0, start)}${result.slice(end + 1)}`;
  }
  if (result.includes(REPLACEMENT_CHARACTER)) throw new Error('The compiled stylesheet still contains U+FFFD: a Sass escape was lost');
  return result;
}

/**
 * Declarations nhsuk-frontend keeps for browsers long gone, whose values are not CSS: the header
 * logo's `height: intrinsic` (Safari before 11). Modern browsers drop them; checkers report them.
 */
export function removeNonStandardDeclarations(css: string): string {
  return css.replace(/;height:intrinsic(?=[;}])/g, '').replace(/height:intrinsic;/g, '');
}

export const STYLES_OUTPUT = path.join(__dirname, '..', '..', 'dist', 'assets', 'site.css');

/**
 * Compiles the site stylesheet: nhsuk-frontend's Sass (only the components we use), then our own
 * public/css/app.css. NHSUK_FONTS=false leaves out the NHS font for offline use.
 */
export async function buildStyles(options: { fonts: boolean; publicDir: string; output?: string }): Promise<string> {
  const sass = await import('sass');
  const root = path.join(__dirname, '..', '..');
  const result = sass.compileString(stylesEntry({ fonts: options.fonts, fontsPath: 'https://assets.nhs.uk/fonts/' }), {
    loadPaths: [path.join(root, 'node_modules')],
    style: 'compressed',
    // No @charset or byte-order mark: the stylesheet is served as text/css; charset=utf-8.
    charset: false,
    quietDeps: true,
    silenceDeprecations: ['import'],
  });
  const app = fs.readFileSync(path.join(options.publicDir, 'css', 'app.css'), 'utf8');
  const css = `${removeNonStandardDeclarations(removeIeOnlyMedia(result.css))}\n${app}`;
  const output = options.output ?? STYLES_OUTPUT;
  fs.mkdirSync(path.dirname(output), { recursive: true });
  fs.writeFileSync(output, css);
  return output;
}

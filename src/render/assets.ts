import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { PreparedBody } from './prepared';
import { prepareBody } from './prepared';
import { STYLES_OUTPUT } from './styles';

export interface AssetSource {
  /** Logical name used by views and imports: `app.js`. */
  name: string;
  file: string;
}

export interface Assets {
  /** The versioned URL of an asset: `/static/app.3f9c2a1b.js`. */
  url(name: string): string;
  /** The prepared body served at a versioned URL, if any. */
  get(urlPath: string): PreparedBody | undefined;
  entries(): { name: string; url: string; prepared: PreparedBody }[];
}

export const ASSET_PREFIX = '/static/';

const TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
};

/**
 * Reads our CSS and JS once, names each file by a hash of its content, and prepares it
 * compressed. In a JS file, `from './name.js'` that names an earlier asset is rewritten to that
 * asset's versioned URL, so modules can import each other and still be cached for a year.
 */
export function buildAssets(sources: AssetSource[]): Assets {
  const byName = new Map<string, { url: string; prepared: PreparedBody }>();
  const byUrl = new Map<string, PreparedBody>();
  for (const source of sources) {
    const ext = path.extname(source.name);
    const type = TYPES[ext];
    if (!type) throw new Error(`Unknown asset type: ${source.name}`);
    let text = fs.readFileSync(source.file, 'utf8');
    if (ext === '.js') {
      text = text.replace(/(from\s*|import\s*\(?\s*)(['"])\.\/([\w.-]+)\2/g, (whole, lead: string, quote: string, name: string) => {
        const target = byName.get(name);
        return target ? `${lead}${quote}${target.url}${quote}` : whole;
      });
      text = text.replace(/\n\/\/# sourceMappingURL=.*$/, '');
    } else {
      text = text.replace(/\n?\/\*# sourceMappingURL=.*?\*\/\s*$/, '');
    }
    const hash = crypto.createHash('sha256').update(text).digest('hex').slice(0, 10);
    const url = `${ASSET_PREFIX}${path.basename(source.name, ext)}.${hash}${ext}`;
    const prepared = prepareBody(text, type);
    byName.set(source.name, { url, prepared });
    byUrl.set(url, prepared);
  }
  return {
    url(name) {
      const asset = byName.get(name);
      if (!asset) throw new Error(`No asset named ${name}`);
      return asset.url;
    },
    get: (urlPath) => byUrl.get(urlPath),
    entries: () => [...byName.entries()].map(([name, asset]) => ({ name, ...asset })),
  };
}

const nhsukDir = path.join(path.dirname(require.resolve('nhsuk-frontend/package.json')), 'dist', 'nhsuk');

/**
 * The site's assets: the stylesheet built from nhsuk-frontend's Sass and our CSS
 * (`npm run build`), nhsuk-frontend's compiled JS, and our JS from public/.
 */
export function siteAssetSources(publicDir: string, stylesFile = STYLES_OUTPUT): AssetSource[] {
  if (!fs.existsSync(stylesFile)) {
    throw new Error(`The stylesheet has not been built: ${stylesFile} is missing. Run npm run build.`);
  }
  return [
    { name: 'site.css', file: stylesFile },
    { name: 'nhsuk.js', file: path.join(nhsukDir, 'nhsuk-frontend.min.js') },
    { name: 'app.js', file: path.join(publicDir, 'js', 'app.js') },
    { name: 'feedback.js', file: path.join(publicDir, 'js', 'feedback.js') },
  ];
}

/** The folder of favicons and the web manifest that nhsuk-frontend's template links to under /assets. */
export const nhsukAssetsDir = path.join(nhsukDir, 'assets');

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
  '.json': 'application/manifest+json; charset=utf-8',
  '.svg': 'image/svg+xml; charset=utf-8',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/** Files kept byte for byte: never read as text or rewritten. */
const BINARY = new Set(['.png', '.ico']);

/** The URL nhsuk-frontend's compiled Sass gives its icons: `$nhsuk-assets-path` defaults to /assets/. */
const NHSUK_ASSET_URL = /url\((["']?)\/assets\/(images\/[\w.-]+)\1\)/g;

/** An icon in the web manifest: `"src": "images/favicon.ico"`, relative to the manifest. */
const MANIFEST_SRC = /("src"\s*:\s*")(images\/[\w.-]+)(")/g;

/**
 * Reads every file the pages load once, names each by a hash of its content, and prepares it
 * compressed. References to earlier assets are rewritten to their versioned URLs, so every file
 * can be cached for a year: in a JS file `from './name.js'`, in CSS nhsuk-frontend's
 * `url("/assets/images/…")`, and in the web manifest its icons' `"src"`.
 */
export function buildAssets(sources: AssetSource[]): Assets {
  const byName = new Map<string, { url: string; prepared: PreparedBody }>();
  const byUrl = new Map<string, PreparedBody>();
  for (const source of sources) {
    const ext = path.extname(source.name);
    const type = TYPES[ext];
    if (!type) throw new Error(`Unknown asset type: ${source.name}`);
    const versioned = (name: string): string | undefined => byName.get(name)?.url;
    if (BINARY.has(ext)) {
      const bytes = fs.readFileSync(source.file);
      const url = versionedUrl(source.name, bytes);
      const prepared = prepareOnce(bytes, type);
      byName.set(source.name, { url, prepared });
      byUrl.set(url, prepared);
      continue;
    }
    let text = fs.readFileSync(source.file, 'utf8');
    if (ext === '.json') {
      text = text.replace(MANIFEST_SRC, (whole, lead: string, name: string, end: string) => {
        const url = versioned(name);
        return url ? `${lead}${url}${end}` : whole;
      });
    } else if (ext === '.css') {
      text = text.replace(NHSUK_ASSET_URL, (whole, quote: string, name: string) => {
        const url = versioned(name);
        return url ? `url(${quote}${url}${quote})` : whole;
      });
    }
    if (ext === '.js') {
      text = text.replace(/(from\s*|import\s*\(?\s*)(['"])\.\/([\w.-]+)\2/g, (whole, lead: string, quote: string, name: string) => {
        const target = byName.get(name);
        return target ? `${lead}${quote}${target.url}${quote}` : whole;
      });
      text = text.replace(/\n\/\/# sourceMappingURL=.*$/, '');
    } else if (ext === '.css') {
      text = text.replace(/\n?\/\*# sourceMappingURL=.*?\*\/\s*$/, '');
    }
    const url = versionedUrl(source.name, text);
    const prepared = prepareOnce(text, type);
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

/**
 * Prepared (compressed) bodies by content hash and type. Compressing the stylesheet and icons at
 * brotli's highest level is most of the time start-up spends on assets, and the same bytes come
 * round again whenever a process starts up more than once (tests, development restarts).
 */
const preparedByContent = new Map<string, PreparedBody>();

function prepareOnce(content: string | Buffer, type: string): PreparedBody {
  const key = `${type} ${crypto.createHash('sha256').update(content).digest('hex')}`;
  let prepared = preparedByContent.get(key);
  if (!prepared) {
    prepared = prepareBody(content, type);
    preparedByContent.set(key, prepared);
  }
  return prepared;
}

/** `/static/<name>.<hash>.<ext>`; a name in a folder keeps its folder: `/static/images/favicon.<hash>.ico`. */
function versionedUrl(name: string, content: string | Buffer): string {
  const ext = path.extname(name);
  const hash = crypto.createHash('sha256').update(content).digest('hex').slice(0, 10);
  const dir = path.posix.dirname(name);
  return `${ASSET_PREFIX}${dir === '.' ? '' : `${dir}/`}${path.posix.basename(name, ext)}.${hash}${ext}`;
}

const nhsukDir = path.join(path.dirname(require.resolve('nhsuk-frontend/package.json')), 'dist', 'nhsuk');

/**
 * nhsuk-frontend's favicons, icons and web manifest. Pages load them from /static/ with a hash
 * in the name (see siteAssetSources); the folder is also served as-is under /assets, for pages
 * still held in caches from before.
 */
export const nhsukAssetsDir = path.join(nhsukDir, 'assets');

/**
 * The site's assets: nhsuk-frontend's icons and web manifest, the stylesheet built from
 * nhsuk-frontend's Sass and our CSS (`npm run build`), nhsuk-frontend's compiled JS, and our JS
 * from public/. Images come first so that the manifest and the stylesheet can name them.
 */
export function siteAssetSources(publicDir: string, stylesFile = STYLES_OUTPUT): AssetSource[] {
  if (!fs.existsSync(stylesFile)) {
    throw new Error(`The stylesheet has not been built: ${stylesFile} is missing. Run npm run build.`);
  }
  const imagesDir = path.join(nhsukAssetsDir, 'images');
  const images = fs
    .readdirSync(imagesDir)
    .filter((file) => BINARY.has(path.extname(file)) || path.extname(file) === '.svg')
    .sort()
    .map((file) => ({ name: `images/${file}`, file: path.join(imagesDir, file) }));
  return [
    ...images,
    { name: 'manifest.json', file: path.join(nhsukAssetsDir, 'manifest.json') },
    { name: 'site.css', file: stylesFile },
    { name: 'nhsuk.js', file: path.join(nhsukDir, 'nhsuk-frontend.min.js') },
    { name: 'app.js', file: path.join(publicDir, 'js', 'app.js') },
    { name: 'feedback.js', file: path.join(publicDir, 'js', 'feedback.js') },
  ];
}

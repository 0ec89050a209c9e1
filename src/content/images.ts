import crypto from 'node:crypto';
import type * as ImageSize from 'image-size';
import type { Problem } from './errors';
import type { ImageFile } from './files';
import { IMAGES_DIR } from './files';
import type { ResolvedImage } from './markdown';
import { nearest } from './nearest';

/** How markdown names an image: `/images/<name>` is the file `content/_images/<name>`. */
export const IMAGE_SRC_PREFIX = '/images/';
/** Where images are served, with a hash of their bytes in the name. */
export const IMAGE_URL_PREFIX = '/static/images/';

const TYPES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  svg: 'image/svg+xml',
  webp: 'image/webp',
  gif: 'image/gif',
};

/** An image the site serves: its versioned URL, size, type and bytes. */
export interface SiteImage extends ResolvedImage {
  /** `/images/<name>`, as markdown names it. */
  src: string;
  file: string;
  type: string;
  bytes: Buffer;
}

let imageSize: typeof ImageSize.imageSize | undefined;

/** Reads each image's size and type from its header and names it by a hash of its bytes. image-size is loaded for the first image: most content folders have none. */
export function buildImages(files: ImageFile[]): { images: Map<string, SiteImage>; problems: Problem[] } {
  const images = new Map<string, SiteImage>();
  const problems: Problem[] = [];
  for (const file of files) {
    let size: ReturnType<typeof ImageSize.imageSize>;
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, see above
    imageSize ??= (require('image-size') as typeof ImageSize).imageSize;
    try {
      size = imageSize(file.bytes);
    } catch {
      problems.push({ file: file.displayPath, message: 'is not an image this site can serve (use PNG, JPEG, SVG, WebP or GIF)' });
      continue;
    }
    const type = size.type ? TYPES[size.type] : undefined;
    if (!type || !size.width || !size.height) {
      problems.push({ file: file.displayPath, message: `is not an image this site can serve (found ${size.type ?? 'no image type'}; use PNG, JPEG, SVG, WebP or GIF)` });
      continue;
    }
    const dot = file.name.lastIndexOf('.');
    const base = dot > 0 ? file.name.slice(0, dot) : file.name;
    const hash = crypto.createHash('sha256').update(file.bytes).digest('hex').slice(0, 10);
    const ext = size.type === 'jpg' ? 'jpg' : size.type!;
    const src = `${IMAGE_SRC_PREFIX}${file.name}`;
    images.set(src, {
      src,
      url: `${IMAGE_URL_PREFIX}${base.replace(/[^A-Za-z0-9/_-]/g, '-')}.${hash}.${ext}`,
      width: size.width,
      height: size.height,
      file: file.displayPath,
      type,
      bytes: file.bytes,
    });
  }
  return { images, problems };
}

/** The image an `src` names, or why it cannot be shown (with the nearest file as a suggestion). */
export function resolveImage(images: Map<string, SiteImage>, src: string): SiteImage | string {
  const image = images.get(src);
  if (image) return image;
  if (!src.startsWith(IMAGE_SRC_PREFIX)) {
    return `image "${src}" must be a file in content/${IMAGES_DIR}/, written as ${IMAGE_SRC_PREFIX}<file name>`;
  }
  const suggestion = nearest(src, [...images.keys()]);
  return `image "${src}" is missing: there is no file content/${IMAGES_DIR}/${src.slice(IMAGE_SRC_PREFIX.length)}${suggestion ? ` (did you mean ${suggestion}?)` : ''}`;
}

import crypto from 'node:crypto';
import zlib from 'node:zlib';

/** A response body prepared once: its ETag and its gzip and brotli forms are computed up front. */
export interface PreparedBody {
  type: string;
  body: Buffer;
  gzip: Buffer;
  br: Buffer;
  etag: string;
}

export function prepareBody(content: string | Buffer, type: string): PreparedBody {
  const body = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  return {
    type,
    body,
    gzip: zlib.gzipSync(body, { level: 9 }),
    br: zlib.brotliCompressSync(body, {
      params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length },
    }),
    etag: `"${crypto.createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
  };
}

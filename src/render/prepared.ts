import crypto from 'node:crypto';
import zlib from 'node:zlib';

export type Encoding = 'br' | 'gzip';

/** One form of a body as it goes on the wire: its bytes and the strong ETag naming exactly those bytes. */
export interface Representation {
  bytes: Buffer;
  etag: string;
  /** Whether this is the smallest form made (brotli 11, gzip 9), which never changes. */
  best: boolean;
}

/** Quickest levels, for a form made on the request path or before the best is ready. */
const FAST = { gzip: 1, br: 4 } as const;
const BEST = { gzip: 9, br: 11 } as const;

const brotliParams = (quality: number, size: number): zlib.BrotliOptions => ({
  params: { [zlib.constants.BROTLI_PARAM_QUALITY]: quality, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: size },
});

/** Compresses at a fast level on the calling thread: microseconds for a page. */
export function compressFast(body: Buffer, encoding: Encoding): Buffer {
  return encoding === 'gzip'
    ? zlib.gzipSync(body, { level: FAST.gzip })
    : zlib.brotliCompressSync(body, brotliParams(FAST.br, body.length));
}

function compressBestSync(body: Buffer, encoding: Encoding): Buffer {
  return encoding === 'gzip'
    ? zlib.gzipSync(body, { level: BEST.gzip })
    : zlib.brotliCompressSync(body, brotliParams(BEST.br, body.length));
}

function compressBest(body: Buffer, encoding: Encoding): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const done = (error: Error | null, result: Buffer): void => (error ? reject(error) : resolve(result));
    if (encoding === 'gzip') zlib.gzip(body, { level: BEST.gzip }, done);
    else zlib.brotliCompress(body, brotliParams(BEST.br, body.length), done);
  });
}

/**
 * The best forms are made off the main thread (zlib's async calls run on the libuv pool), one
 * body at a time, so that brotli 11 never delays a request and never takes both cores.
 */
const queue: PreparedBody[] = [];
let running: Promise<void> | undefined;

function schedule(prepared: PreparedBody): void {
  queue.push(prepared);
  running ??= (async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      // A body whose best forms cannot be made keeps serving its fast ones.
      await next.upgrade().catch(() => undefined);
    }
    running = undefined;
  })();
}

/** Resolves when every best form asked for so far is made (tests and the export wait on it). */
export async function compressionSettled(): Promise<void> {
  while (running) await running;
}

/**
 * A response body prepared once, with its strong ETag. At first only a fast gzip form is kept
 * (the smallest thing that can serve every client: identity is one gunzip away). The first
 * request for the body schedules its best gzip and brotli forms; until they are ready, clients
 * get the fast gzip, or a fast brotli made then and kept for a brotli-only client. Each form has
 * its own ETag, so a client never holds an ETag for bytes other than those it was sent. Once the
 * best forms are made, they are all that is kept.
 */
export class PreparedBody {
  readonly type: string;
  /** The ETag of the uncompressed body. */
  readonly etag: string;
  private forms: Partial<Record<Encoding, Representation>> = {};
  private state: 'fast' | 'scheduled' | 'best' = 'fast';

  constructor(content: string | Buffer, type: string) {
    const body = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    this.type = type;
    this.etag = `"${crypto.createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
    this.forms.gzip = { bytes: compressFast(body, 'gzip'), etag: this.fastEtag('gzip'), best: false };
  }

  /** The strong ETag of the best form of an encoding, whether or not it is made yet: it names fixed bytes. */
  bestEtag(encoding: Encoding): string {
    return `${this.etag.slice(0, -1)}-${encoding}"`;
  }

  private fastEtag(encoding: Encoding): string {
    return `${this.etag.slice(0, -1)}-${encoding}-fast"`;
  }

  /** The uncompressed body, unpacked from the gzip form (a client that accepts no encoding is rare). */
  get body(): Buffer {
    return zlib.gunzipSync(this.forms.gzip!.bytes);
  }

  /**
   * What to send to a client accepting `accepted` (in order of preference), never compressing
   * slowly: the best form already made, else a fast one. Undefined means send the identity body.
   */
  representation(accepted: readonly Encoding[]): { encoding: Encoding; form: Representation } | undefined {
    if (accepted.length === 0) return undefined;
    if (this.state === 'fast') {
      this.state = 'scheduled';
      schedule(this);
    }
    for (const encoding of accepted) {
      const form = this.forms[encoding];
      if (form?.best) return { encoding, form };
    }
    for (const encoding of accepted) {
      const form = this.forms[encoding];
      if (form) return { encoding, form };
    }
    const encoding = accepted[0]!;
    const form = { bytes: compressFast(this.body, encoding), etag: this.fastEtag(encoding), best: false };
    this.forms[encoding] = form;
    return { encoding, form };
  }

  /** Makes the best gzip and brotli forms off the main thread and swaps them in. */
  async upgrade(): Promise<void> {
    if (this.state === 'best') return;
    const body = this.body;
    const [gzip, br] = await Promise.all([compressBest(body, 'gzip'), compressBest(body, 'br')]);
    this.forms = {
      gzip: { bytes: gzip, etag: this.bestEtag('gzip'), best: true },
      br: { bytes: br, etag: this.bestEtag('br'), best: true },
    };
    this.state = 'best';
  }

  /** The best form of an encoding, made now on this thread if need be: for the static export and size checks, never for requests. */
  bestForm(encoding: Encoding): Buffer {
    const form = this.forms[encoding];
    if (form?.best) return form.bytes;
    const body = this.body;
    this.forms = {
      gzip: { bytes: compressBestSync(body, 'gzip'), etag: this.bestEtag('gzip'), best: true },
      br: { bytes: compressBestSync(body, 'br'), etag: this.bestEtag('br'), best: true },
    };
    this.state = 'best';
    return this.forms[encoding]!.bytes;
  }

  /** The best gzip form (see bestForm). */
  get gzip(): Buffer {
    return this.bestForm('gzip');
  }

  /** The best brotli form (see bestForm). */
  get br(): Buffer {
    return this.bestForm('br');
  }

  /** Bytes kept for this body now. */
  get keptBytes(): number {
    return (this.forms.gzip?.bytes.length ?? 0) + (this.forms.br?.bytes.length ?? 0);
  }
}

export function prepareBody(content: string | Buffer, type: string): PreparedBody {
  return new PreparedBody(content, type);
}

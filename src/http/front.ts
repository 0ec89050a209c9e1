import type http from 'node:http';
import { STATUS_CODES, maxHeaderSize } from 'node:http';
import net from 'node:net';
import type { FastAnswer, FastRequest, LoggedFastPath } from './fast-path';
import { mayMake, noteMade } from './fast-path';
import type { Lifecycle } from './lifecycle';
import { logRequest } from './middleware/log-requests';

/** The end of a request's head. */
const HEAD_END = Buffer.from('\r\n\r\n', 'latin1');

/** node:http's own limits: a longer head gets 431 there (--max-http-header-size), and more header lines are not read. */
const MAX_HEAD_BYTES = Math.min(16 * 1024, maxHeaderSize);
const MAX_HEADER_LINES = 100;

/**
 * A whole plain head, checked in one pass: GET or HEAD of an origin-form target in HTTP/1.1, then
 * header fields of a token, a colon and a value of visible ASCII, spaces and tabs. No folding, no
 * bare CR or LF, nothing outside ASCII. (Linear: a value cannot hold the CR that ends its line.)
 */
const PLAIN_HEAD = /^(?:GET|HEAD) \/[!-~]* HTTP\/1\.1(?:\r\n[!#$%&'*+.^_`|~0-9A-Za-z-]+:[\t\x20-\x7e]*)*$/;

/** The headers the fast path reads, each of which must come once at most. */
const READ = new Set(['accept-encoding', 'if-none-match', 'x-forwarded-for']);
/** Headers that give a request a body, or another protocol, or a wait: node:http handles them. */
const PASS_ON = new Set(['content-length', 'transfer-encoding', 'upgrade', 'expect', 'http2-settings']);
/** The lengths of every name above and of Host and Connection: other headers need no closer look. */
const NOTED_LENGTHS = new Set(['host', 'connection', ...READ, ...PASS_ON].map((name) => name.length));

/** How much longer than the Keep-Alive it advertises node:http keeps an idle connection open (HTTP_SERVER_KEEP_ALIVE_TIMEOUT_BUFFER). */
const KEEP_ALIVE_GRACE_MS = 1000;

/** How many whole answers are kept for the current second (see answerFromSocket). */
const WHOLE_ANSWERS = 512;

/**
 * Node's own fields for a socket that reads into a buffer it is given (net.Socket's `onread`
 * option): the buffer, and the function called with each read's length. net.Server makes its
 * sockets without that option, so the front sets the same two fields on each connection and tells
 * its handle to read into the buffer, as net.Socket does for `onread`. Each read then costs no new
 * buffer and none of the stream machinery: about a fifth more requests a second than 'data' events
 * in a bare server on one core. The fields are found on a socket made with `onread` and checked to
 * hold what was given; undefined on a Node.js without them, where the front reads 'data' events.
 */
interface OwnBufferFields {
  buffer: symbol;
  callback: symbol;
}

function findOwnBufferFields(): OwnBufferFields | undefined {
  const buffer = Buffer.alloc(1);
  const callback = (): boolean => true;
  // `onread` is net.Socket's option as much as connect's, though Node's types list it only for connect.
  const options = { onread: { buffer, callback } } as net.SocketConstructorOpts;
  const probe = new net.Socket(options) as unknown as Record<symbol, unknown>;
  const symbols = Object.getOwnPropertySymbols(probe);
  const named = (description: string): symbol | undefined => symbols.find((symbol) => symbol.description === description);
  const fields = { buffer: named('kBuffer'), callback: named('kBufferCb') };
  // A buffer given as such, not made by a function: the case the front uses.
  const generator = named('kBufferGen');
  (probe as unknown as net.Socket).destroy();
  if (!fields.buffer || !fields.callback || !generator) return undefined;
  if (probe[fields.buffer] !== buffer || probe[fields.callback] !== callback || probe[generator] !== null) return undefined;
  return fields as OwnBufferFields;
}

export const OWN_BUFFER_FIELDS = findOwnBufferFields();

/** The handle method net.Socket calls for `onread`. */
type OwnBufferHandle = { useUserBuffer?: (buffer: Uint8Array) => void } | undefined;

/**
 * The buffer every connection reads into. Reads are handled one at a time on this thread, each
 * before the next read, so one serves all: whatever must outlive a read is copied out of it.
 */
const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);

/** What node:http writes to a connection whose request head did not arrive within headersTimeout. */
const REQUEST_TIMEOUT = 'HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n';

/**
 * Reads a request head, `text` being its bytes as latin1 without the blank line. Undefined for
 * anything but the plainest request, which node:http then reads instead: the fast path answers
 * only GET and HEAD without a body, so a request with any sign of one (Content-Length,
 * Transfer-Encoding), or asking for something else (Upgrade, Expect, Connection: close), or
 * written loosely (folded or repeated headers, bytes outside ASCII, no Host or two), is not ours.
 */
export function readHead(text: string): FastRequest | undefined {
  if (!PLAIN_HEAD.test(text)) return undefined;
  const space = text.indexOf(' ');
  const method = text.slice(0, space);
  const lineEnd = text.indexOf('\r\n');
  const url = text.slice(space + 1, (lineEnd < 0 ? text.length : lineEnd) - ' HTTP/1.1'.length);
  const headers: http.IncomingHttpHeaders = {};
  let hosts = 0;
  let lines = 0;
  let start = lineEnd < 0 ? -1 : lineEnd + 2;
  while (start >= 0) {
    const end = text.indexOf('\r\n', start);
    const stop = end < 0 ? text.length : end;
    lines += 1;
    if (lines > MAX_HEADER_LINES) return undefined;
    const colon = text.indexOf(':', start);
    if (NOTED_LENGTHS.has(colon - start)) {
      const name = text.slice(start, colon).toLowerCase();
      if (name === 'host') hosts += 1;
      else if (PASS_ON.has(name)) return undefined;
      else if (READ.has(name)) {
        if (headers[name] !== undefined) return undefined;
        // The value is ASCII without control characters, so trim() takes off exactly its spaces and tabs.
        headers[name] = text.slice(colon + 1, stop).trim();
      } else if (
        name === 'connection' &&
        text
          .slice(colon + 1, stop)
          .trim()
          .toLowerCase() !== 'keep-alive'
      )
        return undefined;
    }
    start = end < 0 ? -1 : end + 2;
  }
  if (hosts !== 1) return undefined;
  return { method, url, headers };
}

/**
 * Answers the fast path's requests straight from the socket, before node:http reads them: node:http
 * costs more per request than the fast path does, and a request the fast path answers needs
 * nothing of it. Each connection starts here. Its requests are read whole from each chunk that
 * arrives; while each one is plain (see readHead) and the fast path answers it, the answer is
 * written with exactly the bytes node:http would write for it (a test compares them). At the
 * first request that is not, or a head split across chunks, the connection is handed to node:http
 * for good, with every byte not yet answered, as `server.emit('connection')` allows. So everything
 * node:http checks and limits (malformed requests, slow clients, bodies) it still does itself.
 *
 * Like node:http, an idle connection is closed after `headersTimeout` before its first request
 * (with 408) and after `keepAliveTimeout` (plus its grace) after an answer; while the lifecycle is
 * draining each answer says `Connection: close` and the connection is ended after it; and
 * closeIdleConnections and closeAllConnections close the connections held here too.
 */
export function answerFromSocket(
  server: http.Server,
  { answer: fastPath, logger }: LoggedFastPath,
  lifecycle: Lifecycle,
  { ownBuffer = true }: { ownBuffer?: boolean } = {},
): void {
  const passOn = server.listeners('connection') as ((this: http.Server, socket: net.Socket) => void)[];
  server.removeAllListeners('connection');
  /** Each connection held here, and whether it has had an answer: until then it is not idle, as in node:http. */
  const held = new Map<net.Socket, boolean>();
  const heads = new WeakMap<readonly string[], string>();
  /**
   * Whole keep-alive answers with a body, by header list, for the second their Date names: a page
   * asked for again within it is one write of bytes already made. Only this second's are kept, and
   * at most WHOLE_ANSWERS of them, so a busy second holds a few megabytes at most.
   */
  const whole = new Map<readonly string[], Buffer>();
  let date = '';
  let dateExpires = 0;

  /** The status line and headers of an answer, made once per header list. */
  const headOf = (answer: FastAnswer): string => {
    let head = heads.get(answer.headers);
    if (head === undefined) {
      head = `HTTP/1.1 ${answer.status} ${STATUS_CODES[answer.status]}\r\n`;
      for (let i = 0; i < answer.headers.length; i += 2) head += `${answer.headers[i]}: ${answer.headers[i + 1]}\r\n`;
      heads.set(answer.headers, head);
    }
    return head;
  };

  /** The Date header's value, as node:http makes it: once a second. The whole answers kept were for the last. */
  const now = (): string => {
    const ms = Date.now();
    if (ms >= dateExpires) {
      date = new Date(ms).toUTCString();
      dateExpires = ms - (ms % 1000) + 1000;
      whole.clear();
    }
    return date;
  };

  /** The bytes of an answer: node:http puts Date after the headers given, then its own Connection and Keep-Alive. */
  const bytesOf = (answer: FastAnswer, closing: boolean): Buffer => {
    const today = now();
    const kept = answer.body && !closing ? whole.get(answer.headers) : undefined;
    if (kept) return kept;
    // While draining, Connection: close is one of the headers given (see drainingAware in serve.ts).
    const keepAlive = server.keepAliveTimeout ? `Keep-Alive: timeout=${Math.floor(server.keepAliveTimeout / 1000)}\r\n` : '';
    const end = closing ? `Connection: close\r\nDate: ${today}\r\n\r\n` : `Date: ${today}\r\nConnection: keep-alive\r\n${keepAlive}\r\n`;
    const head = Buffer.from(headOf(answer) + end, 'latin1');
    if (!answer.body) return head;
    const bytes = Buffer.concat([head, answer.body]);
    if (!closing && whole.size < WHOLE_ANSWERS) whole.set(answer.headers, bytes);
    return bytes;
  };

  server.on('connection', (socket: net.Socket) => {
    held.set(socket, false);
    let timerForIdle = false;
    let closing = false;
    /** Set once the connection is node:http's: reads are then handed to the stream. */
    let handedOver = false;
    /** Set while answers wait for the client to read them: what is read meanwhile waits too. */
    let waiting = false;
    /** The bytes read and not yet answered while waiting. */
    let pending: Buffer | undefined;

    const release = (): void => {
      handedOver = true;
      socket.removeListener('data', onData);
      socket.removeListener('timeout', onTimeout);
      socket.removeListener('error', onError);
      socket.removeListener('end', onEnd);
      socket.setTimeout(0);
      held.delete(socket);
    };

    const handOver = (unread: Buffer): void => {
      release();
      socket.pause();
      socket.unshift(unread);
      for (const listener of passOn) listener.call(server, socket);
      socket.resume();
    };

    /**
     * Reads no more, and closes the connection once what was written has been sent: at once if
     * that is never (a client that does not read), at the idle timeout. Errors still destroy it,
     * and it stays held, so that closing connections at shutdown reaches it.
     */
    const close = (last?: string): void => {
      closing = true;
      held.set(socket, true);
      socket.removeListener('data', onData);
      socket.removeListener('end', onEnd);
      const destroy = (): void => void socket.destroy();
      if (last) socket.end(last, 'latin1', destroy);
      else socket.end(destroy);
    };

    /** Bytes of a chunk that must outlive this read: a copy when the chunk is READ_BUFFER. */
    const kept = (chunk: Buffer, from: number, to: number): Buffer =>
      chunk === READ_BUFFER ? Buffer.from(chunk.subarray(from, to)) : chunk.subarray(from, to);

    /**
     * Each read, of `length` bytes of `chunk`: answered now, or kept while answers wait (pause()
     * stops reading then, so nothing should come; whatever does waits its turn). False stops reading.
     */
    function received(chunk: Buffer, length: number): boolean {
      if (closing) return true;
      if (waiting) {
        const more = kept(chunk, 0, length);
        pending = pending ? Buffer.concat([pending, more]) : more;
        return false;
      }
      take(chunk, length);
      return true;
    }

    function onData(chunk: Buffer): void {
      received(chunk, chunk.length);
    }

    /** Answers each whole request in the first `length` bytes of `chunk`. */
    function take(chunk: Buffer, length: number): void {
      let offset = 0;
      socket.cork();
      try {
        while (offset < length) {
          const logging = logger.isLevelEnabled('info');
          const start = logging ? process.hrtime.bigint() : 0n;
          const end = chunk.indexOf(HEAD_END, offset);
          const whole = end >= 0 && end + HEAD_END.length <= length && end - offset <= MAX_HEAD_BYTES;
          const head = whole ? readHead(chunk.toString('latin1', offset, end)) : undefined;
          // One search page made for a connection in a turn: a later search in the same chunk goes to node:http and Express.
          const request = head && !mayMake(socket) ? { ...head, quick: true } : head;
          const answer = request && fastPath(request);
          if (!answer) return handOver(kept(chunk, offset, length));
          if (answer.made) noteMade(socket);
          const draining = lifecycle.draining;
          socket.write(bytesOf(answer, draining));
          held.set(socket, true);
          // Reading and writing restart a socket's timer, so it is set only when it changes: after the first answer.
          if (!timerForIdle) {
            timerForIdle = true;
            socket.setTimeout(server.keepAliveTimeout ? server.keepAliveTimeout + KEEP_ALIVE_GRACE_MS : 0);
          }
          if (logging) logRequest(logger, request.method, answer.path, answer.status, start);
          offset = end + HEAD_END.length;
          if (draining) return close();
          // A client that sends requests without reading the answers is not read from until it
          // does: the rest of the chunk waits, so that no more answers are queued meanwhile.
          if (socket.writableNeedDrain) return wait(offset < length ? kept(chunk, offset, length) : undefined);
        }
      } finally {
        socket.uncork();
      }
    }

    /** Stops reading until what was written is sent; then answers what waited, in order, and reads on. */
    function wait(rest: Buffer | undefined): void {
      waiting = true;
      pending = rest;
      socket.pause();
      socket.once('drain', () => {
        waiting = false;
        const next = pending;
        pending = undefined;
        if (next) take(next, next.length);
        if (!waiting && !handedOver && !closing) socket.resume();
      });
    }

    function onTimeout(): void {
      if (closing) return void socket.destroy();
      // An answer still being sent to a slow client is not idleness: node:http does not time it
      // out either. The timer starts again when the write completes.
      if (socket.writableLength > 0) return;
      // Held as idle once it has had an answer; before that, it had HEADERS_TIMEOUT_MS for its request.
      if (held.get(socket)) socket.destroy();
      else close(REQUEST_TIMEOUT);
    }

    function onError(): void {
      socket.destroy();
    }

    // node:http's sockets stay open for writing when the client ends its side: every answer here
    // is written already, so close ours, as node:http does once it has answered. (A paused
    // socket, one whose answers wait, emits 'end' only once it is resumed, after they are made.)
    function onEnd(): void {
      close();
    }

    const handle = (socket as unknown as { _handle: OwnBufferHandle })._handle;
    if (ownBuffer && OWN_BUFFER_FIELDS && typeof handle?.useUserBuffer === 'function') {
      const fields = socket as unknown as Record<symbol, unknown>;
      fields[OWN_BUFFER_FIELDS.buffer] = READ_BUFFER;
      // Returning false stops reading, as push() does when the stream's buffer is full; pause()
      // and resume() stop and start the handle for a socket with these fields.
      fields[OWN_BUFFER_FIELDS.callback] = (length: number, buffer: Buffer): boolean =>
        // node:http reads the connection itself once it has it (its parser takes the handle's
        // reads); whatever still comes this way goes through the stream, as a copy.
        handedOver ? socket.push(kept(buffer, 0, length)) : received(buffer, length);
      handle.useUserBuffer(READ_BUFFER);
    } else {
      socket.on('data', onData);
    }
    socket.on('timeout', onTimeout);
    socket.on('error', onError);
    socket.on('end', onEnd);
    socket.once('close', () => held.delete(socket));
    socket.setTimeout(server.headersTimeout);
  });

  // A connection held here that has had an answer is idle: each request is answered as it is read.
  // One that has sent nothing yet is not, as in node:http: it has HEADERS_TIMEOUT_MS to send its request.
  const closeIdle = server.closeIdleConnections.bind(server);
  const closeAll = server.closeAllConnections.bind(server);
  server.closeIdleConnections = () => {
    for (const [socket, idle] of held) {
      if (!idle) continue;
      // As node:http does for a connection whose last response has been written (if not sent).
      held.delete(socket);
      socket.destroy();
    }
    closeIdle();
  };
  server.closeAllConnections = () => {
    for (const socket of held.keys()) socket.destroy();
    held.clear();
    closeAll();
  };
}

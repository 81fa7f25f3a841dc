/**
 * The command's fetch (FetchLike) over node:http and node:https with keep-alive agents.
 *
 * Measured with `npm run bench -- limits path` (5,000 requests 256 at a time against the
 * loopback server): Node's global fetch spends most of a small request's CPU time on
 * WHATWG machinery the engine never uses: web streams for every body (one for the
 * request, teed for a possible redirect, one for the answer, each made transferable),
 * and, for a request with an AbortSignal, a following signal held by a WeakRef and a
 * FinalizationRegistry entry that the garbage collector then has to process. The
 * engine reads every answer whole as text, so this reads it as bytes from the socket.
 *
 * What it keeps of fetch: redirects followed (at most 20; 303, and 301/302 of a POST,
 * become a GET without body; credentials dropped when the origin changes), compressed
 * answers (gzip, deflate, br) decoded, the AbortSignal ending the exchange with its
 * reason. Connections stay open between requests (one socket per request in flight,
 * reused when free), so a run opens about as many connections as it has requests at
 * once; a request whose reused socket the server had just closed (ECONNRESET before any
 * answer) is sent once more, as Node's documentation advises. Idle sockets do not keep
 * the process alive.
 *
 * Why not undici's `request()` (7.30.3, tried in place of this file): it costs no more CPU
 * (`npm run bench -- limits path`, engine CPU 1.46 and 1.66 s against this file's 1.64 and
 * 1.71 s, two A/B runs on a busy machine) and would replace only the agents and the
 * exchange (116 lines of code against 151), but three of this file's tests failed. It does
 * not tell whether a request went out on a reused socket, so the retry of a stale one
 * cannot be told apart from a reset on a fresh one (both "other side closed",
 * UND_ERR_SOCKET); and a request sent as soon as the previous answer is read opens a new
 * connection (20 in a row: 2; three rounds of 8: 16, not 8). Its interceptors do not fit:
 * the redirect one drops only authorization, cookie and proxy-authorization on another
 * origin (x-api-key, Anthropic's key, would follow) and gives up at the first repeated
 * URL, not after 20; the decompress one is experimental and warns on stderr on every run.
 * So redirects and decoding would stay hand-written, next to a 2.2 MB dependency.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { brotliDecompress, gunzip, inflate } from 'node:zlib';
import type {
  FetchLike,
  HeadersLike,
  RequestInitLike,
  ResponseLike,
} from '../core/models/fetch.ts';

/** Redirects followed before giving up, as fetch. */
const MAX_REDIRECTS = 20;

/** Headers a redirect to another origin does not carry (credentials). */
const CREDENTIALS = ['authorization', 'x-api-key', 'cookie', 'proxy-authorization'];

type Decoder = (buf: Buffer, cb: (err: Error | null, out: Buffer) => void) => void;
const DECODERS: Record<string, Decoder> = {
  gzip: gunzip,
  'x-gzip': gunzip,
  deflate: inflate,
  br: brotliDecompress,
};

/** An answer read whole: its headers by lower-cased name. */
class NodeResponse implements ResponseLike {
  readonly ok: boolean;
  readonly headers: HeadersLike;
  constructor(
    readonly status: number,
    readonly statusText: string,
    headers: IncomingMessage['headers'],
    private readonly body: string,
  ) {
    this.ok = status >= 200 && status < 300;
    this.headers = {
      get(name: string): string | null {
        const value = headers[name.toLowerCase()];
        if (value === undefined) return null;
        return Array.isArray(value) ? value.join(', ') : value;
      },
    };
  }

  text(): Promise<string> {
    return Promise.resolve(this.body);
  }
}

/** The command's fetch and the agents that hold its connections. */
export class NodeHttpFetch {
  readonly #http = new HttpAgent({ keepAlive: true, maxSockets: Infinity });
  readonly #https = new HttpsAgent({ keepAlive: true, maxSockets: Infinity });

  readonly fetch: FetchLike = (url, init) => this.#send(new URL(url), init ?? {}, 0);

  /** Closes every kept-alive connection. */
  close(): void {
    this.#http.destroy();
    this.#https.destroy();
  }

  async #send(target: URL, init: RequestInitLike, redirects: number): Promise<ResponseLike> {
    const answer = await this.#exchange(target, init).catch((err: unknown) => {
      // A kept-alive socket the server closed as it was reused: once more on another.
      if (err instanceof StaleSocket) return this.#exchange(target, init);
      throw err;
    });
    const location = answer.res.headers.location;
    if (!isRedirect(answer.res.statusCode) || location === undefined) {
      return new NodeResponse(
        answer.res.statusCode ?? 0,
        answer.res.statusMessage ?? '',
        answer.res.headers,
        await decode(answer.res, answer.body),
      );
    }
    if (redirects >= MAX_REDIRECTS) {
      throw new TypeError(`${target.origin}: more than ${MAX_REDIRECTS} redirects`);
    }
    const next = new URL(location, target);
    return this.#send(next, redirected(init, answer.res.statusCode!, target, next), redirects + 1);
  }

  #exchange(target: URL, init: RequestInitLike): Promise<{ res: IncomingMessage; body: Buffer }> {
    const { signal } = init;
    if (signal?.aborted) return Promise.reject(signal.reason as Error);
    const https = target.protocol === 'https:';
    if (!https && target.protocol !== 'http:') {
      return Promise.reject(new TypeError(`${target.protocol} URLs are not supported`));
    }
    const headers: Record<string, string> = { 'accept-encoding': 'gzip, deflate, br' };
    for (const [name, value] of Object.entries(init.headers ?? {})) {
      headers[name.toLowerCase()] = value;
    }
    const body = init.body !== undefined ? Buffer.from(init.body, 'utf8') : undefined;
    if (body) headers['content-length'] = String(body.length);
    return new Promise((resolve, reject) => {
      const outgoing = (https ? httpsRequest : httpRequest)(target, {
        method: init.method ?? 'GET',
        headers,
        agent: https ? this.#https : this.#http,
      });
      const abort = () => outgoing.destroy(signal!.reason as Error);
      signal?.addEventListener('abort', abort, { once: true });
      let answered = false;
      const fail = (err: Error) => {
        signal?.removeEventListener('abort', abort);
        if (signal?.aborted) reject(signal.reason as Error);
        else if (!answered && outgoing.reusedSocket && isReset(err)) reject(new StaleSocket(err));
        else reject(err);
      };
      outgoing.on('error', fail);
      outgoing.on('response', (res: IncomingMessage) => {
        answered = true;
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', fail);
        res.on('end', () => {
          signal?.removeEventListener('abort', abort);
          resolve({ res, body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks) });
        });
      });
      outgoing.end(body);
    });
  }
}

/** A request sent on a kept-alive socket that turned out closed (Node's documented retry case). */
class StaleSocket extends Error {
  constructor(readonly reset: Error) {
    super(reset.message, { cause: reset });
  }
}

function isReset(err: Error): boolean {
  return (err as NodeJS.ErrnoException).code === 'ECONNRESET';
}

function isRedirect(status: number | undefined): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

/** The request a redirect asks for, as fetch makes it. */
function redirected(init: RequestInitLike, status: number, from: URL, to: URL): RequestInitLike {
  const headers = { ...init.headers };
  if (from.origin !== to.origin) {
    for (const name of Object.keys(headers)) {
      if (CREDENTIALS.includes(name.toLowerCase())) delete headers[name];
    }
  }
  const method = init.method ?? 'GET';
  if (
    status === 303 ? method !== 'HEAD' : (status === 301 || status === 302) && method === 'POST'
  ) {
    for (const name of Object.keys(headers)) {
      if (/^content-/i.test(name)) delete headers[name];
    }
    const { body: _dropped, ...rest } = init;
    return { ...rest, method: 'GET', headers };
  }
  return { ...init, headers };
}

/** The body as text, decoded per its content-encoding. */
async function decode(res: IncomingMessage, body: Buffer): Promise<string> {
  const encoding = res.headers['content-encoding']?.trim().toLowerCase();
  const decoder = encoding ? DECODERS[encoding] : undefined;
  if (!decoder || body.length === 0) return body.toString('utf8');
  const plain = await new Promise<Buffer>((resolve, reject) =>
    decoder(body, (err, out) => (err ? reject(err) : resolve(out))),
  );
  return plain.toString('utf8');
}

/** The command's one instance: every model request of this process shares its connections. */
export const nodeHttpFetch = new NodeHttpFetch();

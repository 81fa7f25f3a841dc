/**
 * The relay's outgoing side: sends a tab's request from Node with keep-alive agents
 * that open as many connections as the requests need (the tab's engine already
 * holds each model to its limits), through the address guard of relay-policy.ts.
 * Redirects are returned, not followed. Nothing here logs; an error message names
 * the target and the cause, never a header.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { RelayRequest, RelayServerMessage } from '../runtime/relay-protocol.ts';
import { RelayRefusal, checkTarget, guardedLookup } from './relay-policy.ts';

/** The largest answer the relay passes on. */
const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

/** Headers the relay never forwards: hop-by-hop ones, and what belongs to the tab's own origin. */
const DROPPED = new Set([
  'host',
  'connection',
  'keep-alive',
  'content-length',
  'transfer-encoding',
  'upgrade',
  'te',
  'trailer',
  'proxy-authorization',
  'proxy-connection',
  'cookie',
  'origin',
  'referer',
]);

export class RelayForwarder {
  readonly #http = new HttpAgent({ keepAlive: true, maxSockets: Infinity });
  readonly #https = new HttpsAgent({ keepAlive: true, maxSockets: Infinity });

  /** Sends `req`; resolves to the answer or a failure message, never rejects. */
  async send(req: RelayRequest, signal: AbortSignal): Promise<RelayServerMessage> {
    try {
      const target = checkTarget(req.method, req.url);
      return { ...(await this.#exchange(target, req, signal)), type: 'response', id: req.id };
    } catch (err) {
      const refused = err instanceof RelayRefusal;
      const message = err instanceof Error ? err.message : String(err);
      return { type: 'failure', id: req.id, refused, message };
    }
  }

  /** Closes the kept-alive connections. */
  close(): void {
    this.#http.destroy();
    this.#https.destroy();
  }

  #exchange(
    target: URL,
    req: RelayRequest,
    signal: AbortSignal,
  ): Promise<{
    status: number;
    statusText: string;
    headers: Record<string, string>;
    body: string;
  }> {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      const lower = name.toLowerCase();
      if (!DROPPED.has(lower) && !lower.startsWith('sec-')) headers[lower] = value;
    }
    const body = req.body !== undefined ? Buffer.from(req.body, 'utf8') : undefined;
    if (body) headers['content-length'] = String(body.length);
    const https = target.protocol === 'https:';
    return new Promise((resolve, reject) => {
      const outgoing = (https ? httpsRequest : httpRequest)(target, {
        method: req.method,
        headers,
        agent: https ? this.#https : this.#http,
        lookup: guardedLookup,
        signal,
      });
      outgoing.on('error', (err) => reject(describe(err, target)));
      outgoing.on('response', (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_RESPONSE_BYTES) {
            res.destroy(
              new Error(`the answer of ${target.host} is over ${MAX_RESPONSE_BYTES} bytes`),
            );
            return;
          }
          chunks.push(chunk);
        });
        res.on('error', (err) => reject(describe(err, target)));
        res.on('end', () => {
          const out: Record<string, string> = {};
          for (const [name, value] of Object.entries(res.headers)) {
            if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
          }
          resolve({
            status: res.statusCode ?? 502,
            statusText: res.statusMessage ?? '',
            headers: out,
            body: Buffer.concat(chunks).toString('utf8'),
          });
        });
      });
      outgoing.end(body);
    });
  }
}

function describe(err: Error, target: URL): Error {
  if (err instanceof RelayRefusal) return err;
  const code = (err as NodeJS.ErrnoException).code;
  return new Error(`${target.origin} could not be reached from the relay: ${code ?? err.message}`);
}
